"""Security headers on every response, Flask's and Socket.IO's; a CSP with no inline script but the hashed import map."""
from __future__ import annotations

import base64
import hashlib
import json

from flask import Flask, Response

IMPORT_MAP = json.dumps({"imports": {"socket.io-client": "/vendor/socket.io.esm.min.js"}})
_IMPORT_MAP_HASH = base64.b64encode(hashlib.sha256(IMPORT_MAP.encode()).digest()).decode()

CSP = "; ".join((
    "default-src 'self'",
    f"script-src 'self' 'sha256-{_IMPORT_MAP_HASH}'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self' ws: wss:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
))


def install(app: Flask) -> None:
    """Add the security headers to every response of the app."""

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response


# Headers for the responses Flask never sees: Engine.IO long-polling (text/plain carrying board events).
SOCKET_HEADERS = (("X-Content-Type-Options", "nosniff"), ("Cache-Control", "no-store"), ("Referrer-Policy", "no-referrer"))


def socket_headers(wsgi_app, path: str = "/socket.io"):
    """Wrap the outermost WSGI app (Socket.IO's middleware): add SOCKET_HEADERS to its answers where missing."""

    def app(environ, start_response):
        if not environ.get("PATH_INFO", "").startswith(path):
            return wsgi_app(environ, start_response)

        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers = list(headers) + [(n, v) for n, v in SOCKET_HEADERS if n.lower() not in present]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return wsgi_app(environ, start)

    return app
