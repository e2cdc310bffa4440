"""Join links point at the room's address (SNOWBALL_PUBLIC_URL), on the page and in the QR code alike."""
from __future__ import annotations

import re


def test_page_shell_and_qr_carry_the_public_url(make_app):
    app = make_app(public_url="http://192.168.1.20:5000/")
    http = app.test_client()
    page = http.get("/b/ABCDEF").get_data(as_text=True)
    assert re.search(r'<meta name="snowball-public-url" content="http://192\.168\.1\.20:5000">', page)
    code = http.post("/api/boards", json={"title": "Atelier", "language": "fr"}).get_json()["board"]["code"]
    qr = http.get(f"/b/{code}/qr.svg").get_data(as_text=True)
    assert f"<title>http://192.168.1.20:5000/b/{code}</title>" in qr


def test_without_a_public_url_links_use_the_address_the_page_was_asked_on(make_app):
    http = make_app().test_client()
    page = http.get("/", base_url="http://10.0.0.7:5000").get_data(as_text=True)
    assert '<meta name="snowball-public-url" content="http://10.0.0.7:5000">' in page
