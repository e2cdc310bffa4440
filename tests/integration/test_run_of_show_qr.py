"""The join QR code the projector shows: an SVG of the join link, for known boards only."""
from __future__ import annotations

import re


def test_the_qr_code_is_an_svg_of_the_join_link(http):
    created = http.post("/api/boards", json={"title": "Atelier", "language": "fr"}).get_json()
    code = created["board"]["code"]
    response = http.get(f"/b/{code.lower()}/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    body = response.get_data(as_text=True)
    assert body.startswith("<svg") and "<path" in body
    assert re.search(rf"<title>http://[^<]+/b/{code}</title>", body)


def test_an_unknown_board_has_no_qr_code(http):
    assert http.get("/b/ZZZZZZ/qr.svg").status_code == 404
