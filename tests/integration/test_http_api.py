"""The JSON API over HTTP (Flask test client, in-process app in threading mode, SQLite)."""
from __future__ import annotations

import pytest

from server.domain.codes import BOARD_CODE_LENGTH, REJOIN_CODE_LENGTH, is_well_formed
from server.domain.actors import Role
from server.services import identity
from tests.support.clients import op_id


def create(http, **body) -> dict:
    response = http.post("/api/boards", json={"title": "Atelier", "language": "fr", **body})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def error_code(response) -> str:
    body = response.get_json()
    assert body["ok"] is False
    assert body["error"]["message"]
    return body["error"]["code"]


def test_create_board(http, app):
    body = create(http, starts_at="2026-06-03T17:00")
    code = body["board"]["code"]
    assert is_well_formed(code, BOARD_CODE_LENGTH)
    assert body["board"]["title"] == "Atelier" and body["board"]["starts_at"] == "2026-06-03T17:00"
    links = body["links"]
    assert links["join"] == f"http://localhost/b/{code}"
    assert links["facilitator"] == f"http://localhost/b/{code}/host#{body['facilitator_token']}"
    # The projector's secret stands in the answer too (as in the import answer), not only in its link.
    projector_secret = body["projector_token"]
    assert links["projector"] == f"http://localhost/b/{code}/screen#{projector_secret}"
    db = app.extensions["snowball"].db
    assert identity.authenticate(db, code, body["facilitator_token"])[0].role is Role.FACILITATOR
    assert identity.authenticate(db, code, projector_secret)[0].role is Role.PROJECTOR


def test_public_url_setting_is_used_for_links(make_app):
    http = make_app(public_url="https://snowball.example.org/").test_client()
    body = create(http)
    assert body["links"]["join"] == f"https://snowball.example.org/b/{body['board']['code']}"


@pytest.mark.parametrize("body, code", [
    ({"title": ""}, "required"),
    ({"title": "Atelier", "language": "de"}, "invalid_choice"),
    ({"title": "x" * 201}, "too_long"),
    ({"title": 42}, "invalid_payload"),
    ({"title": "Atelier", "extra": 1}, "invalid_payload"),
    ({}, "invalid_payload"),
    ([1, 2], "invalid_payload"),
    ("title", "invalid_payload"),
])
def test_create_board_refuses_bad_bodies(http, body, code):
    response = http.post("/api/boards", json=body)
    assert response.status_code == 400
    assert error_code(response) == code


def test_create_board_refuses_non_json(http):
    response = http.post("/api/boards", data="title=Atelier", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert error_code(response) == "invalid_payload"


def test_board_info(http):
    board = create(http)["board"]
    response = http.get(f"/api/boards/{board['code'].lower()}")
    assert response.status_code == 200
    assert response.get_json() == {"ok": True, "board": board}


def test_board_info_unknown(http):
    response = http.get("/api/boards/ACDEFG")
    assert response.status_code == 404
    assert error_code(response) == "board_not_found"


def test_join_and_rejoin(http, app):
    code = create(http)["board"]["code"]
    response = http.post(f"/api/boards/{code}/join", json={"name": " Ana ", "op_id": op_id()})
    assert response.status_code == 201
    joined = response.get_json()
    assert joined["ok"] is True and joined["board_code"] == code
    assert joined["participant"]["name"] == "Ana"
    assert joined["seq"] == 1
    assert is_well_formed(joined["rejoin_code"], REJOIN_CODE_LENGTH)
    response = http.post(f"/api/boards/{code}/rejoin", json={"rejoin_code": joined["rejoin_code"].lower()})
    assert response.status_code == 200
    again = response.get_json()
    assert again["participant"] == joined["participant"]
    assert again["token"] != joined["token"]
    db = app.extensions["snowball"].db
    assert identity.authenticate(db, code, again["token"]) == identity.authenticate(db, code, joined["token"])


def test_join_retry_with_same_op_id_is_the_same_person(http):
    code = create(http)["board"]["code"]
    op = op_id()
    first = http.post(f"/api/boards/{code}/join", json={"name": "Ana", "op_id": op}).get_json()
    again = http.post(f"/api/boards/{code}/join", json={"name": "Ana", "op_id": op}).get_json()
    assert again["participant"] == first["participant"] and again["seq"] == first["seq"]
    assert again["rejoin_code"] is None


@pytest.mark.parametrize("body, status, code", [
    ({"name": ""}, 400, "required"),
    ({"name": "x" * 41}, 400, "too_long"),
    ({"name": "Ana", "op_id": "short"}, 400, "invalid_payload"),
    ({"name": "Ana", "op_id": "bad op id!"}, 400, "invalid_payload"),
    ({"name": ["Ana"]}, 400, "invalid_payload"),
    ({"name": "Ana", "token": "x"}, 400, "invalid_payload"),
])
def test_join_refuses_bad_bodies(http, body, status, code):
    board_code = create(http)["board"]["code"]
    response = http.post(f"/api/boards/{board_code}/join", json=body)
    assert response.status_code == status
    assert error_code(response) == code


def test_join_unknown_board(http):
    response = http.post("/api/boards/ACDEFG/join", json={"name": "Ana"})
    assert response.status_code == 404
    assert error_code(response) == "board_not_found"


@pytest.mark.parametrize("rejoin_code", ["", "ACDEFGHJ", "x" * 32])
def test_rejoin_unknown(http, rejoin_code):
    code = create(http)["board"]["code"]
    response = http.post(f"/api/boards/{code}/rejoin", json={"rejoin_code": rejoin_code})
    assert response.status_code == 400
    assert error_code(response) == "rejoin_code_unknown"


def test_oversized_body_is_refused(http, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = http.post("/api/boards", data=b'{"title": "' + b"x" * limit + b'"}', content_type="application/json")
    assert response.status_code == 413


@pytest.mark.parametrize("path", ["/", "/b/ACDEFG", "/b/ACDEFG/host", "/b/ACDEFG/screen"])
def test_pages_are_the_html_shell(http, path):
    response = http.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert b'<script type="importmap">' in response.data


def test_healthz(http):
    response = http.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"ok": True}
