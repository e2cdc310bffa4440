"""Exports from a real server, during the session and after the server restarted, on SQLite and PostgreSQL."""
from __future__ import annotations

import json

import pytest
import requests

from tests.support.clients import BoardClient
from tests.support.server import create_board, join_board


def _download(server, code: str, filename: str, token: str) -> requests.Response:
    return requests.get(f"{server.url}/api/boards/{code}/exports/{filename}", headers={"Authorization": f"Bearer {token}"},
                        timeout=60)


def _session(server) -> tuple[str, str, dict]:
    """A board with a project, a map node and a plan item, made through the real socket protocol."""
    created = create_board(server.url, "Restart workshop", "en")
    code, host = created["board"]["code"], created["facilitator_token"]
    ana = join_board(server.url, code, "Ana")
    client = BoardClient(server.url, code, ana["token"])
    client.connect()
    try:
        posted = client.command("project_post", project={"title": "Seed library", "pitch": "Seeds for all",
                                                          "story": "Swap seeds <b>not</b> =money", "goal_amount": 900})
        assert posted["ok"], posted
        reply = client.sync(None)
        project_id = reply["snapshot"]["projects"][0]["id"]
        node = client.command("map_node_add", project_id=project_id, label="Grandma", ring="inner", reach=12)
        assert node["ok"], node
        item = client.command("plan_item_add", project_id=project_id, what="Call her first", ring="inner", when="before_launch")
        assert item["ok"], item
    finally:
        client.disconnect()
    return code, host, ana


def _check_exports(server, code: str, host: str, ana: dict) -> None:
    archive = _download(server, code, "archive.json", host)
    assert archive.status_code == 200
    data = archive.json()
    assert [p["story"] for p in data["projects"]] == ["Swap seeds <b>not</b> =money"]
    assert [n["label"] for n in data["tribe_maps"][0]["nodes"]] == ["Grandma"]
    summary = _download(server, code, "summary.md", host)
    assert summary.status_code == 200 and "Call her first" in summary.text
    booklet = _download(server, code, "booklet.pdf", ana["token"])
    assert booklet.status_code == 200 and booklet.content.startswith(b"%PDF-")
    assert _download(server, code, "summary.md", ana["token"]).status_code == 403


@pytest.mark.parametrize("which", ["server", "pg_server"])
def test_exports_during_the_session_and_after_a_restart(request, which):
    server = request.getfixturevalue(which)
    code, host, ana = _session(server)
    _check_exports(server, code, host, ana)
    before = _download(server, code, "archive.json", host).json()
    server.restart()
    _check_exports(server, code, host, ana)
    after = _download(server, code, "archive.json", host).json()
    before.pop("exported_at"), after.pop("exported_at")
    assert json.dumps(after, sort_keys=True) == json.dumps(before, sort_keys=True)
