"""The service worker is served from the root (its scope is the whole app), as JavaScript, never cached stale."""
from __future__ import annotations

from server.protection.headers import CSP


def test_the_service_worker_is_served_from_the_root_as_javascript(http):
    response = http.get("/sw.js")
    body = response.get_data(as_text=True)
    response.close()  # the file the response streamed from
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    # A browser checks for a new worker on every navigation only when the script is not cached.
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Content-Security-Policy"] == CSP
    # It never answers for the socket, the API or downloads: those always go to the server.
    assert '"/socket.io/", "/api/"' in body and "respondWith(networkFirst(event))" in body
