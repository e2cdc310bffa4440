"""Run Snowball: `python wsgi.py` starts one process (eventlet, SQLite by default)."""
from __future__ import annotations

import os

ASYNC_MODE = os.environ.get("SNOWBALL_ASYNC_MODE", "eventlet")
if ASYNC_MODE == "eventlet":
    import eventlet

    eventlet.monkey_patch()
elif ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()

from server import create_app  # noqa: E402
from server.config import Settings  # noqa: E402
from server.http.listener import serve  # noqa: E402
from server.realtime.hub import socketio  # noqa: E402

settings = Settings()
app = create_app(settings)

if __name__ == "__main__":
    print(f"Snowball on http://{settings.host}:{settings.port}/ ({settings.database_url.split('://')[0]})", flush=True)
    # eventlet: no tracebacks to clients, a header timeout, a per-address share of half-open connections.
    serve(app, settings, socketio)
