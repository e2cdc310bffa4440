"""Security headers on every kind of response; the CSP allows exactly the page's import map."""
from __future__ import annotations

import base64
import hashlib
import re

import pytest

from server.protection.headers import CSP

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.mark.parametrize("method, path, status", [
    ("get", "/", 200),
    ("get", "/b/ACDEFG", 200),
    ("get", "/healthz", 200),
    ("get", "/api/boards/ACDEFG", 404),
    ("post", "/api/boards", 400),
    ("get", "/static/index.html", 200),
    ("get", "/no/such/page", 404),
])
def test_every_response_has_the_headers(http, method, path, status):
    with getattr(http, method)(path) as response:  # closes a streamed static file
        assert response.status_code == status
        assert response.headers["Content-Security-Policy"] == CSP
        for name, value in EXPECTED.items():
            assert response.headers[name] == value


def test_csp_has_no_unsafe_sources():
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'none'"


def test_the_only_inline_script_is_the_hashed_import_map(http):
    html = http.get("/").get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in CSP


def test_pages_are_not_cached(http):
    assert http.get("/").headers["Cache-Control"] == "no-store"
