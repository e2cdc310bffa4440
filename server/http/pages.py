"""Pages (one HTML shell; the client routes), static files, the client library from npm (health: ops.py)."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, send_from_directory

from ..paths import SOCKET_IO_FILE, socket_io_dir
from ..protection.headers import IMPORT_MAP

bp = Blueprint("pages", __name__)


def _shell():
    settings = current_app.extensions["snowball"].settings
    transports = "websocket" if settings.websocket_only else "polling,websocket"
    # The room's address for join links (the QR code uses the same), not the facilitator's localhost.
    public_url = (settings.public_url or request.host_url).rstrip("/")
    return render_template("index.html", transports=transports, public_url=public_url, import_map=IMPORT_MAP)


@bp.get("/")
def home():
    """Home: create a board or type a join code."""
    return _shell()


@bp.get("/b/<code>")
@bp.get("/b/<code>/host")
@bp.get("/b/<code>/screen")
def board_page(code: str):
    """The board as a participant, the facilitator (secret in the fragment) or the projector sees it."""
    return _shell()


@bp.get("/vendor/socket.io.esm.min.js")
def socket_io_client():
    """socket.io-client from npm (client/node_modules at set-up, or the wheel's copy; server/paths.py)."""
    settings = current_app.extensions["snowball"].settings
    return send_from_directory(socket_io_dir(settings.client_dir, settings.socket_io_dir), SOCKET_IO_FILE,
                               mimetype="text/javascript")


@bp.get("/sw.js")
def service_worker():
    """The service worker, served from the root so its scope is the whole app (the shell opens offline)."""
    client_dir = current_app.extensions["snowball"].settings.client_dir
    response = send_from_directory(client_dir, "sw.js", mimetype="text/javascript", max_age=0)
    # Browsers check for a new worker on every navigation when it is not cached.
    response.headers["Cache-Control"] = "no-cache"
    return response

