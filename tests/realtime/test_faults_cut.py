"""A connection cut mid-command: the client resends the same op_id and the command applies exactly once.

A proxy (tests/support/proxy.py) sits between one client and the server and cuts that client's
connection around the frame carrying a chosen op_id, two ways:
- forward_then_cut: the server gets the command and applies it, its ack goes nowhere;
- cut_before: the command is lost on the way, the server never sees it.
The client cannot tell which happened; either way it reconnects, resyncs, resends the same op_id from
its outbox, and the board ends with the change once. Checked in the event log (database) and the state.
"""
from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.support.clients import BoardClient, op_id
from tests.support.proxy import CUT_BEFORE, FORWARD_THEN_CUT, CuttingProxy
from tests.support.server import ServerProcess, create_board, join_board


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """One SQLite server for the module (each test makes its own board)."""
    log_dir = tmp_path_factory.mktemp("cut")
    process = ServerProcess(f"sqlite:///{log_dir / 'cut.sqlite3'}", log_dir=log_dir).start()
    yield process
    process.stop()


@pytest.fixture
def proxy(live):
    running = CuttingProxy(live.port).start()
    yield running
    running.stop()


def log_rows(database_url: str, board_code: str) -> list[tuple[int, str | None, str]]:
    """(seq, op_id, type) of every event of the board, from the database itself."""
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(
                "SELECT e.seq, e.op_id, e.type FROM events e JOIN boards b ON b.id = e.board_id "
                "WHERE b.code = :code ORDER BY e.seq"), {"code": board_code})]
    finally:
        engine.dispose()


def frame_of(client: BoardClient, seq: int) -> dict:
    client.wait_for_seq(seq)
    return next(f for f in client.frames if f["seq"] == seq)


# Each case: the command, its payload (from the board's facts) and how to count its effect in a snapshot.
def _post(facts):
    return "project_post", {"project": {"title": "Cut mid-post", "pitch": "Sent once, applied once"}}


def _node(facts):
    return "map_node_add", {"project_id": facts["own_project"], "label": "Cut mid-add", "ring": "inner", "reach": 5}


def _dot(facts):
    return "vote_cast", {"project_id": facts["other_project"]}


def _count_post(snapshot):
    return sum(1 for p in snapshot["projects"] if p["title"] == "Cut mid-post")


def _count_node(snapshot):
    return sum(1 for m in snapshot["tribe_maps"] for n in m["nodes"] if n["label"] == "Cut mid-add")


def _count_dot(snapshot):
    return snapshot["vote"]["mine"]["used"]


CASES = {"project_post": (_post, _count_post), "map_node_add": (_node, _count_node), "vote_cast": (_dot, _count_dot)}


@pytest.mark.parametrize("mode", [FORWARD_THEN_CUT, CUT_BEFORE])
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_command_cut_on_its_way_applies_once_after_the_retry(live, proxy, case, mode):
    make_payload, count = CASES[case]
    created = create_board(live.url)
    code = created["board"]["code"]
    host = BoardClient(live.url, code, created["facilitator_token"])
    host.connect()
    ana = join_board(live.url, code, "Ana")
    bo = join_board(live.url, code, "Bo")
    facts = {}
    for who, key in ((ana, "own_project"), (bo, "other_project")):
        author = BoardClient(live.url, code, who["token"])
        author.connect()
        ack = author.command("project_post", project={"title": f"Story of {who['participant']['name']}", "pitch": "p"})
        author.disconnect()
        facts[key] = frame_of(host, ack["seq"])["data"]["project"]["id"]
    assert host.command("vote_open")["ok"]

    # Ana's laptop talks through the proxy; her outbox holds one command.
    laptop = BoardClient(proxy.url, code, ana["token"])
    laptop.connect()
    head = host.last_seq
    name, payload = make_payload(facts)
    outbox = {"op_id": op_id(), **payload}
    acked = threading.Event()
    proxy.arm(outbox["op_id"].encode(), mode)
    laptop.sio.emit(name, outbox, callback=lambda *args: acked.set())
    assert proxy.cut.wait(10), "the proxy never saw the command"
    assert json.loads(proxy.cut_frame[proxy.cut_frame.index(b"["):])[1]["op_id"] == outbox["op_id"]
    if mode == FORWARD_THEN_CUT:
        applied = frame_of(host, head + 1)  # the server applied it and broadcast it...
        assert applied["type"] in {"project_posted", "map_node_added", "vote_cast_accepted"}
    assert not acked.is_set()  # ...but Ana never got her ack
    laptop.sio.disconnect()

    # Ana's laptop reconnects, catches up from its last seq, and resends its outbox as it is.
    again = BoardClient(proxy.url, code, ana["token"])
    again.last_seq = laptop.last_seq
    reply = again.connect()
    assert reply["ok"]
    first = again.call(name, outbox)
    second = again.call(name, outbox)  # and once more, as a flaky network may make it
    again.disconnect()
    laptop.disconnect()

    assert first["ok"] and second["ok"], (first, second)
    assert first["duplicate"] is (mode == FORWARD_THEN_CUT)
    assert second["duplicate"] is True and second["seq"] == first["seq"] == head + 1
    rows = log_rows(live.database_url, code)
    assert [r for r in rows if r[1] == outbox["op_id"]] == [(head + 1, outbox["op_id"], frame_of(host, head + 1)["type"])]
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1)) and rows[-1][0] == head + 1
    ana_view = BoardClient(live.url, code, ana["token"])
    ana_view.connect()
    ana_view.disconnect()
    assert count(ana_view.snapshot) == 1
    host.disconnect()
