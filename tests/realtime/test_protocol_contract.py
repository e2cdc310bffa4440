"""What docs/protocol.md promises a client author, checked on a real server (SQLite and PostgreSQL).

A resent command gets its first ack back unchanged; an op_id reused for another command is
`op_id_conflict` and changes nothing; a number outside its range is `out_of_range` naming the
field and its bounds; `sync` answers a `since` of 0 or ahead of the log as documented.
"""
from __future__ import annotations

import pytest

from tests.conftest import module_server
from tests.support.clients import BoardClient, op_id
from tests.support.server import create_board, join_board


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live(request, tmp_path_factory):
    with module_server(request.param, tmp_path_factory.mktemp("contract")) as process:
        yield process


@pytest.fixture
def room(live):
    """A board with an open vote: the facilitator, Ana and Bo (each with a story), all connected."""
    created = create_board(live.url)
    code = created["board"]["code"]
    clients = {"host": BoardClient(live.url, code, created["facilitator_token"])}
    stories = {}
    for name in ("Ana", "Bo", "Cy"):
        clients[name] = BoardClient(live.url, code, join_board(live.url, code, name)["token"])
    for client in clients.values():
        client.connect()
    for name in ("Bo", "Cy"):
        ack = clients[name].command("project_post", project={"title": f"Story of {name}", "pitch": "p"})
        clients[name].wait_for_seq(ack["seq"])
        stories[name] = next(f for f in clients[name].frames if f["seq"] == ack["seq"])["data"]["project"]["id"]
    assert clients["host"].command("vote_open")["ok"]
    yield clients, stories, created
    for client in clients.values():
        client.disconnect()


def head(client: BoardClient) -> int:
    return client.call("sync", {"since": client.last_seq})["seq"]


def test_a_resent_command_gets_its_first_ack_back(room):
    clients, stories, _ = room
    ana = clients["Ana"]
    first_op = op_id()
    first = ana.call("vote_cast", {"op_id": first_op, "project_id": stories["Bo"]})
    assert first["ok"] and first["duplicate"] is False
    assert ana.command("vote_cast", project_id=stories["Cy"])["ok"]
    again = ana.call("vote_cast", {"op_id": first_op, "project_id": stories["Bo"]})
    # The same seq and the same private result as the first time, only marked as a duplicate.
    assert again == {**first, "duplicate": True}
    assert again["result"]["mine"]["used"] == 1


def test_an_op_id_reused_for_another_command_is_refused_and_changes_nothing(room):
    clients, stories, _ = room
    ana = clients["Ana"]
    op = op_id()
    assert ana.call("vote_cast", {"op_id": op, "project_id": stories["Bo"]})["ok"]
    before = head(ana)
    for event, payload in (("vote_retract", {"project_id": stories["Bo"]}), ("vote_cast", {"project_id": stories["Cy"]})):
        ack = ana.call(event, {"op_id": op, **payload})
        assert ack["ok"] is False and ack["error"]["code"] == "op_id_conflict", ack
        assert ack["error"]["params"]["op_id"] == op
    assert head(ana) == before
    assert ana.call("vote_mine", {})["mine"]["used"] == 1
    # Someone else's op_id is a conflict too.
    other = clients["Bo"].call("vote_cast", {"op_id": op, "project_id": stories["Cy"]})
    assert other["error"]["code"] == "op_id_conflict"


OUT_OF_RANGE = [
    ("host", "vote_configure", {"budget": 21, "cap": 1}, "budget", 1, 20),
    ("host", "vote_configure", {"budget": 3, "cap": 0}, "cap", 1, 20),
    ("host", "show_extend", {"seconds": 3601}, "seconds", 1, 3600),
    ("host", "show_agenda_set", {"phases": [{"kind": "join", "duration_s": 59}]}, "phases.0.duration_s", 60, 14400),
    ("host", "vote_round_start", {"top": 0}, "top", 1, 200),
    ("Ana", "map_node_add", {"project_id": "Bo", "label": "x", "reach": -1}, "reach", 0, 10_000_000),
    ("Ana", "map_node_add", {"project_id": "Bo", "label": "x", "x": 1.6, "y": 0.0}, "x", -1.5, 1.5),
    ("Ana", "map_settings_edit", {"project_id": "Bo", "conversion_pct": 101}, "conversion_pct", 1, 100),
    ("Ana", "map_settings_edit", {"project_id": "Bo", "average_pledge": 0}, "average_pledge", 1, 100_000),
]


@pytest.mark.parametrize("who,event,payload,field,minimum,maximum", OUT_OF_RANGE, ids=[c[3] for c in OUT_OF_RANGE])
def test_a_number_out_of_range_names_the_field_and_its_bounds(room, who, event, payload, field, minimum, maximum):
    clients, stories, _ = room
    client = clients[who]
    payload = {key: stories[value] if key == "project_id" else value for key, value in payload.items()}
    before = head(client)
    ack = client.command(event, **payload)
    assert ack["ok"] is False, ack
    assert ack["error"]["code"] == "out_of_range", ack
    assert ack["error"]["params"] == {"field": field, "minimum": minimum, "maximum": maximum}
    assert head(client) == before


def test_an_id_below_one_is_out_of_range_with_its_minimum(room):
    clients, _, _ = room
    ack = clients["Ana"].command("project_delete", project_id=0)
    assert ack["error"] == {"code": "out_of_range", "message": ack["error"]["message"],
                            "params": {"field": "project_id", "minimum": 1}}


def test_sync_since_zero_replays_from_the_start_and_since_ahead_gets_a_snapshot(room):
    clients, _, _ = room
    ana = clients["Ana"]
    latest = head(ana)
    from_start = ana.call("sync", {"since": 0})
    assert [e["seq"] for e in from_start["events"]] == list(range(1, latest + 1))
    ahead = ana.call("sync", {"since": latest + 50})
    assert "events" not in ahead and ahead["snapshot"]["seq"] == latest == ahead["seq"]
    assert ana.call("sync", {"since": -1})["error"]["code"] == "out_of_range"


def test_creating_a_board_answers_the_projector_token(room):
    _, _, created = room
    assert created["projector_token"] == created["links"]["projector"].split("#", 1)[1]


def test_a_funding_goal_out_of_range_names_its_bounds(room):
    clients, _, _ = room
    ack = clients["Ana"].command("project_post", project={"title": "T", "pitch": "p", "goal_amount": 1_000_000_001})
    assert ack["error"]["code"] == "out_of_range"
    assert ack["error"]["params"] == {"field": "goal_amount", "minimum": 0, "maximum": 1_000_000_000}
