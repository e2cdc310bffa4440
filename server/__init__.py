"""Snowball server: create_app() is the composition root."""
from __future__ import annotations

import os

# psycopg 3 must wait cooperatively under eventlet; set before psycopg is ever imported.
os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")

from dataclasses import dataclass  # noqa: E402

from flask import Flask  # noqa: E402

from .config import Settings  # noqa: E402
from .persistence.db import Database  # noqa: E402


@dataclass
class Snowball:
    """What every handler reaches through `current_app.extensions["snowball"]`."""

    settings: Settings
    db: Database


def create_app(settings: Settings | None = None) -> Flask:
    """Build the app: database (migrated), HTTP blueprints, Socket.IO handlers."""
    settings = settings or Settings()
    app = Flask(
        __name__,
        static_folder=str(settings.client_dir),
        static_url_path="/static",
        template_folder=str(settings.client_dir),
    )
    app.config.update(SECRET_KEY=settings.secret_key, MAX_CONTENT_LENGTH=settings.max_payload_bytes * 4, JSON_SORT_KEYS=False)
    db = Database(settings.database_url, settings.sqlite_busy_timeout_s)
    db.migrate()
    app.extensions["snowball"] = Snowball(settings, db)

    from .http import api, pages, security
    from .realtime import handlers, rate_limits
    from .realtime.hub import init_hub

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    from .http import qr  # the projector's join QR code
    app.register_blueprint(qr.bp)
    from .http import downloads  # exports and archive import
    app.register_blueprint(downloads.bp)
    security.install(app)
    rate_limits.configure(settings.redis_url, settings.trusted_proxies, settings.rate_limit_exempt,
                          settings.failed_lookup_limits, settings.sync_limits)
    handlers.load()
    init_hub(app, settings)
    return app
