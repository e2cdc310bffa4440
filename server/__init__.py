"""Snowball server: create_app() is the composition root."""
from __future__ import annotations

import os

# psycopg 3 must wait cooperatively under eventlet; set before psycopg is ever imported.
os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")

from dataclasses import dataclass  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

# Importing the package stays light (no Flask, no SQLAlchemy): `python -m server.serve` must
# monkey-patch (eventlet/gevent) before those libraries load. They are imported in create_app().
if TYPE_CHECKING:
    from flask import Flask

    from .config import Settings
    from .persistence.db import Database


@dataclass
class Snowball:
    """What every handler reaches through `current_app.extensions["snowball"]`."""

    settings: Settings
    db: Database


def create_app(settings: Settings | None = None) -> Flask:
    """Build the app: database (migrated), then every subsystem (server/wiring.py)."""
    from flask import Flask

    from .config import Settings
    from .persistence.db import Database

    from .loop import effective_async_mode

    settings = settings or Settings()
    settings.async_mode = effective_async_mode(settings.async_mode)  # `flask run` does not monkey-patch
    app = Flask(
        __name__,
        static_folder=str(settings.client_dir),
        static_url_path="/static",
        template_folder=str(settings.client_dir),
    )
    app.config.update(SECRET_KEY=settings.secret_key, MAX_CONTENT_LENGTH=settings.max_payload_bytes * 4, JSON_SORT_KEYS=False)
    db = Database(settings.database_url, settings.sqlite_busy_timeout_s, settings.pg_reads)
    db.migrate()
    app.extensions["snowball"] = Snowball(settings, db)

    from .wiring import wire

    wire(app, settings)
    return app
