"""The authorisation matrix of the HTTP routes, cell by cell (in process, Flask test client).

Every route of the app (read from its URL map when the test runs) must be declared here: public, or
a row per role for each download. A new route fails `test_every_route_is_declared` until it is.
Roles as in test_authz_matrix.py: participant (not the booklet's owner), author (the booklet's
owner), facilitator, projector, no_token, other_token (another board's facilitator token on this
board's code), other_ids (another board's facilitator, on its own board, naming this board's person).
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from server.domain.actors import Actor, Role
from server.realtime.payloads import ProjectFieldsIn
from server.services import projects
from tests.support.clients import op_id

ROLES = ("participant", "author", "facilitator", "projector", "no_token", "other_token")

# Routes anyone may call without a board token (rate-limited per address; see test_rate_limits.py).
PUBLIC = {
    "static", "pages.home", "pages.board_page", "pages.socket_io_client", "pages.service_worker", "ops.health",
    "ops.prometheus",  # no board token: its own SNOWBALL_METRICS_TOKEN (404 without, 401 wrong; test_ops_http.py)
    "api.create_board", "api.board_info", "api.join", "api.rejoin", "qr.join_qr",
    "downloads.import_board",  # makes a new board from an archive, like creating one
}

# Download cells: path (under /api/boards/<code>/exports/) -> status per role.
S, B = 200, "booklet.{fmt}?participant={author}"
DOWNLOADS: dict[str, tuple[int, ...]] = {
    "summary.md":      (403, 403, S, 403, 401, 401),
    "summary.html":    (403, 403, S, 403, 401, 401),
    "summary.pdf":     (403, 403, S, 403, 401, 401),
    "archive.json":    (403, 403, S, 403, 401, 401),
    "tables.zip":      (403, 403, S, 403, 401, 401),
    "projects.csv":    (403, 403, S, 403, 401, 401),
    "map_nodes.csv":   (403, 403, S, 403, 401, 401),
    "plan_items.csv":  (403, 403, S, 403, 401, 401),
    "booklet.md":      (S, S, 400, 403, 401, 401),   # one's own; the facilitator must say whose
    B.format(fmt="md", author="{author}"):   (403, S, S, 403, 401, 401),
    B.format(fmt="html", author="{author}"): (403, S, S, 403, 401, 401),
    B.format(fmt="pdf", author="{author}"):  (403, S, S, 403, 401, 401),
}


@dataclass
class Board:
    code: str
    tokens: dict[str, str]
    ids: dict[str, int]


def make_board(http, app) -> Board:
    created = http.post("/api/boards", json={"title": "Atelier", "language": "en"}).get_json()
    code = created["board"]["code"]
    tokens = {"facilitator": created["facilitator_token"], "projector": created["links"]["projector"].split("#", 1)[1]}
    ids = {}
    db = app.extensions["snowball"].db
    for who in ("author", "participant"):
        joined = http.post(f"/api/boards/{code}/join", json={"name": who.capitalize()}).get_json()
        tokens[who], ids[who] = joined["token"], joined["participant"]["id"]
        board_id = _board_id(app, code, joined["token"])
        projects.post_project(db, Actor(board_id, Role.PARTICIPANT, ids[who]), op_id(),
                              ProjectFieldsIn(title=f"Story of {who}", pitch="A pitch").model_dump())
    return Board(code, tokens, ids)


def _board_id(app, code: str, token: str) -> int:
    from server.services import identity

    return identity.authenticate(app.extensions["snowball"].db, code, token)[0].board_id


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One in-process app (threading mode) with two boards."""
    from server import create_app
    from server.config import Settings

    app = create_app(Settings(database_url=f"sqlite:///{tmp_path_factory.mktemp('authz_http') / 'http.sqlite3'}",
                              async_mode="threading"))
    app.config.update(TESTING=True)
    http = app.test_client()
    yield app, http, make_board(http, app), make_board(http, app)
    app.extensions["snowball"].db.dispose()


def test_every_route_is_declared(world):
    app, *_ = world
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    undeclared = endpoints - PUBLIC - {"downloads.download"}
    assert not undeclared, f"declare who may call {sorted(undeclared)} (PUBLIC or a row of cells)"
    assert PUBLIC <= endpoints, f"declared routes that no longer exist: {sorted(PUBLIC - endpoints)}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", sorted(DOWNLOADS))
def test_download_cell(world, path, role):
    app, http, board, other = world
    expected = DOWNLOADS[path][ROLES.index(role)]
    token = {"no_token": None, "other_token": other.tokens["facilitator"]}.get(role, board.tokens.get(role))
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    url = f"/api/boards/{board.code}/exports/" + path.format(author=board.ids["author"])
    response = http.get(url, headers=headers)
    assert response.status_code == expected, (url, role, response.get_data()[:300])
    if expected == S:
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["Cache-Control"] == "no-store"
    else:
        assert response.get_json()["ok"] is False


@pytest.mark.parametrize("path", ["booklet.md?participant={person}", "booklet.pdf?participant={person}"])
def test_another_boards_facilitator_cannot_name_this_boards_people(world, path):
    app, http, board, other = world
    url = f"/api/boards/{other.code}/exports/" + path.format(person=board.ids["author"])
    response = http.get(url, headers={"Authorization": f"Bearer {other.tokens['facilitator']}"})
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "participant_not_found"


def test_a_token_in_the_query_string_is_not_accepted(world):
    """Tokens travel in a header only: URLs end up in logs and browser histories."""
    app, http, board, _ = world
    response = http.get(f"/api/boards/{board.code}/exports/summary.md?token={board.tokens['facilitator']}")
    assert response.status_code == 401
