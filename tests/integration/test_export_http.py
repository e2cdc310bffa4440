"""Every download route and who may use it; the archive import route. In-process app on SQLite."""
from __future__ import annotations

import io
import zipfile

import pytest

from server.export import json_archive
from server.services.archive import exports
from tests.golden.board import build_board

SUMMARY_FILES = ["summary.md", "summary.html", "summary.pdf", "archive.json", "tables.zip", "projects.csv",
                 "map_nodes.csv", "plan_items.csv"]
BOOKLET_FILES = ["booklet.md", "booklet.html", "booklet.pdf"]
CHEAP_SUMMARY = [f for f in SUMMARY_FILES if f != "summary.pdf"]


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """One app and one fixed board for the module: these tests only read (imports add new boards)."""
    from server import create_app
    from server.config import Settings

    path = tmp_path_factory.mktemp("exports-http") / "app.sqlite3"
    app = create_app(Settings(database_url=f"sqlite:///{path}", async_mode="threading"))
    app.config.update(TESTING=True)
    board = build_board(app.extensions["snowball"].db)
    yield app.test_client(), board
    app.extensions["snowball"].db.dispose()


def _get(client, board, filename, token=None, query=""):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(f"/api/boards/{board.code}/exports/{filename}{query}", headers=headers)


@pytest.mark.parametrize("filename", SUMMARY_FILES + BOOKLET_FILES)
def test_without_a_token_nothing_is_exported(setup, filename):
    client, board = setup
    for response in (_get(client, board, filename), _get(client, board, filename, "not-a-token"),
                     # A token in the query string is not a way in: tokens travel in the header only.
                     _get(client, board, filename, query=f"?token={board.facilitator_secret}"),
                     client.get(f"/api/boards/{board.code}/exports/{filename}", headers={"Authorization": board.facilitator_secret})):
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorised"


@pytest.mark.parametrize("filename", SUMMARY_FILES + BOOKLET_FILES)
def test_the_projector_link_exports_nothing(setup, filename):
    client, board = setup
    response = _get(client, board, filename, board.projector_secret)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("filename", SUMMARY_FILES)
def test_a_participant_cannot_download_the_summary(setup, filename):
    client, board = setup
    response = _get(client, board, filename, board.tokens["Ana"])
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("filename", BOOKLET_FILES)
def test_a_participant_downloads_their_own_booklet_only(setup, filename):
    client, board = setup
    mine = _get(client, board, filename, board.tokens["Ana"])
    assert mine.status_code == 200
    assert mine.headers["Content-Disposition"] == f'attachment; filename="snowball-{board.code}-booklet-{board.pid("Ana")}.{filename.split(".")[1]}"'
    assert mine.headers["Cache-Control"] == "no-store"
    if not filename.endswith(".pdf"):
        body = mine.get_data(as_text=True)
        assert "La Ferme du Bonheur" in body and "Notre ferme a besoin de toi" in body
        assert "Radio Quartier" not in body and "Le Cosmonaute" not in body  # nobody else's project
    else:
        assert mine.data.startswith(b"%PDF-")
    explicit = _get(client, board, filename, board.tokens["Ana"], f"?participant={board.pid('Ana')}")
    assert explicit.status_code == 200
    other = _get(client, board, filename, board.tokens["Ana"], f"?participant={board.pid('Ben')}")
    assert other.status_code == 403


def test_a_removed_participant_downloads_nothing(setup):
    client, board = setup
    response = _get(client, board, "booklet.md", board.tokens["Eve"])
    assert response.status_code == 401


def test_a_token_of_another_board_opens_nothing(setup):
    client, board = setup
    other = build_board(client.application.extensions["snowball"].db, "en")
    for token in (other.facilitator_secret, other.tokens["Ana"]):
        assert _get(client, board, "booklet.md", token).status_code == 401


@pytest.mark.parametrize("filename", CHEAP_SUMMARY)
def test_the_facilitator_downloads_every_summary_file(setup, filename):
    client, board = setup
    response = _get(client, board, filename, board.facilitator_secret)
    assert response.status_code == 200
    expected_type = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
                     "json": "application/json; charset=utf-8", "zip": "application/zip",
                     "csv": "text/csv; charset=utf-8"}[filename.rsplit(".", 1)[1]]
    assert response.headers["Content-Type"] == expected_type
    assert response.headers["Content-Disposition"].startswith(f'attachment; filename="snowball-{board.code}-')
    assert response.headers["Cache-Control"] == "no-store"
    if filename == "tables.zip":
        assert len(zipfile.ZipFile(io.BytesIO(response.data)).namelist()) == 3
    elif filename != "archive.json":
        assert "La Ferme du Bonheur" in response.get_data(as_text=True)


def test_the_facilitator_gets_the_pdf_summary_and_anyones_booklet(setup):
    client, board = setup
    summary = _get(client, board, "summary.pdf", board.facilitator_secret)
    assert summary.status_code == 200 and summary.data.startswith(b"%PDF-")
    assert summary.headers["Content-Type"] == "application/pdf"
    ben = _get(client, board, "booklet.md", board.facilitator_secret, f"?participant={board.pid('Ben')}")
    assert ben.status_code == 200 and "# Livret de Ben" in ben.get_data(as_text=True)
    nobody = _get(client, board, "booklet.md", board.facilitator_secret)
    assert nobody.status_code == 400 and nobody.get_json()["error"]["code"] == "participant_required"


def test_hidden_content_only_when_the_facilitator_asks(setup):
    client, board = setup
    plain = _get(client, board, "archive.json", board.facilitator_secret).get_json()
    assert "Spam partout" not in [p["title"] for p in plain["projects"]]
    full = _get(client, board, "archive.json", board.facilitator_secret, "?include_hidden=1").get_json()
    assert "Spam partout" in [p["title"] for p in full["projects"]]


def test_unknown_exports_and_boards(setup):
    client, board = setup
    for filename in ("summary.exe", "booklet.json", "secrets.csv", "noextension", ".md"):
        response = _get(client, board, filename, board.facilitator_secret)
        assert response.status_code == 404, filename
    response = client.get("/api/boards/ZZZZZZ/exports/summary.md", headers={"Authorization": "Bearer x"})
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "board_not_found"


def test_import_route_creates_a_board_from_an_archive(setup):
    client, board = setup
    archive = json_archive.render(exports.board_snapshot(client.application.extensions["snowball"].db, board.code))
    response = client.post("/api/boards/import", data=archive.encode("utf-8"), content_type="application/json")
    assert response.status_code == 201
    body = response.get_json()
    code = body["board"]["code"]
    assert body["links"]["facilitator"].endswith(f"/b/{code}/host#{body['facilitator_token']}")
    assert {p["name"] for p in body["participants"]} == {"Ana", "Ben", "Chloé", "Dmitri"}
    summary = client.get(f"/api/boards/{code}/exports/summary.md", headers={"Authorization": f"Bearer {body['facilitator_token']}"})
    assert summary.status_code == 200 and "La Ferme du Bonheur" in summary.get_data(as_text=True)


def test_import_route_refuses_bad_archives_clearly(setup, monkeypatch):
    client, _board = setup
    bad = client.post("/api/boards/import", data=b'{"kind": "snowball.board", "schema_version": 1}', content_type="application/json")
    assert bad.status_code == 400
    error = bad.get_json()["error"]
    assert error["code"] == "invalid_archive" and error["params"]["path"] and error["message"]
    version = client.post("/api/boards/import", data=b'{"kind": "snowball.board", "schema_version": 99}', content_type="application/json")
    assert version.status_code == 400 and version.get_json()["error"]["code"] == "unsupported_archive_version"
    wrong_type = client.post("/api/boards/import", data=b"{}", content_type="text/plain")
    assert wrong_type.status_code == 415
    from server.http import downloads

    monkeypatch.setattr(downloads, "MAX_ARCHIVE_BYTES", 100)
    too_big = client.post("/api/boards/import", data=b"{" + b" " * 200 + b"}", content_type="application/json")
    assert too_big.status_code == 413
