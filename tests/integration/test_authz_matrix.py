"""The authorisation matrix over real sockets, cell by cell: every command of server/realtime/events.py
(read when the tests are collected) x every role. A command without a declared row fails.

Roles:
- participant  a participant who is not the author of the target (the story, map, node, link, plan item)
- author       the participant who wrote the story and added its map's nodes, link and plan item
- facilitator  the board's secret link
- projector    the read-only link
- no_token     a socket that connects without a token: refused; the command, sent anyway, changes nothing
- other_token  a socket that connects to this board with another board's facilitator token: refused likewise
- other_ids    another board's most capable allowed actor, on its own board, naming this board's story,
               nodes, link, plan item, participants: refused (not found), or "own_board" (the command
               names nothing here and acts on its own board); this board is unchanged either way

Each cell runs on a seeded board (tests/support/board_seed.py) after the command's preconditions and
checks the ack; a refused command must leave the board's log head and snapshot exactly as they were,
which lets the refused cells of a command share one board (an accepted command gets a fresh one).
"""
from __future__ import annotations

import pytest

from server.realtime.events import COMMANDS
from tests.support.board_seed import Seeded, seed, templates, with_op_id
from tests.support.clients import BoardClient
from tests.support.raw_client import RawSocket
from tests.support.server import ServerProcess

ROLES = ("participant", "author", "facilitator", "projector", "no_token", "other_token", "other_ids")
OK, OWN, NO = "ok", "own_board", "unauthorised"
F = "forbidden"
FACILITATOR_ONLY = (F, F, OK, F, NO, NO)

# command: (participant, author, facilitator, projector, no_token, other_token, other_ids)
EXPECTED: dict[str, tuple[str, ...]] = {
    "project_post":       (OK, OK, F, F, NO, NO, OWN),
    "project_edit":       ("not_author", OK, OK, F, NO, NO, "project_not_found"),
    "project_delete":     ("not_author", OK, OK, F, NO, NO, "project_not_found"),
    "vote_configure":     FACILITATOR_ONLY + (OWN,),
    "vote_open":          FACILITATOR_ONLY + (OWN,),
    "vote_close":         FACILITATOR_ONLY + (OWN,),
    "vote_reveal":        FACILITATOR_ONLY + (OWN,),
    "vote_cast":          (OK, "own_project", "voter_required", F, NO, NO, "project_not_found"),
    "vote_retract":       (OK, "no_dot_here", "voter_required", F, NO, NO, "no_dot_here"),
    "vote_round_start":   FACILITATOR_ONLY + ("project_not_found",),
    "attendee_add":       FACILITATOR_ONLY + (OWN,),
    "show_agenda_set":    FACILITATOR_ONLY + (OWN,),
    "show_advance":       FACILITATOR_ONLY + (OWN,),
    "show_pause":         FACILITATOR_ONLY + (OWN,),
    "show_resume":        FACILITATOR_ONLY + (OWN,),
    "show_extend":        FACILITATOR_ONLY + (OWN,),
    "show_gate_set":      FACILITATOR_ONLY + (OWN,),
    "show_lock_set":      FACILITATOR_ONLY + (OWN,),
    "spotlight_set":      FACILITATOR_ONLY + ("project_not_found",),
    "project_hide":       FACILITATOR_ONLY + ("project_not_found",),
    "project_unhide":     FACILITATOR_ONLY + ("project_not_found",),
    "participant_remove": FACILITATOR_ONLY + ("participant_not_found",),
    "map_node_add":       (OK, OK, OK, F, NO, NO, "project_not_found"),
    "map_node_move":      ("not_allowed", OK, OK, F, NO, NO, "node_not_found"),
    "map_node_edit":      ("not_allowed", OK, OK, F, NO, NO, "node_not_found"),
    "map_node_remove":    ("not_allowed", OK, OK, F, NO, NO, "node_not_found"),
    "map_link_add":       (OK, OK, OK, F, NO, NO, "node_not_found"),
    "map_link_remove":    ("not_allowed", OK, OK, F, NO, NO, "link_not_found"),
    "plan_item_add":      (OK, OK, OK, F, NO, NO, "project_not_found"),
    "plan_item_edit":     ("not_allowed", OK, OK, F, NO, NO, "plan_item_not_found"),
    "plan_item_remove":   ("not_allowed", OK, OK, F, NO, NO, "plan_item_not_found"),
    "map_settings_edit":  ("not_author", OK, OK, F, NO, NO, "project_not_found"),
    "email_draft_save":   ("not_author", OK, OK, F, NO, NO, "project_not_found"),
}

# What must hold before the command makes sense: (who, command, payload with board-id names as strings).
SETUP: dict[str, list[tuple[str, str, dict]]] = {
    "vote_close": [("facilitator", "vote_open", {})],
    "vote_reveal": [("facilitator", "vote_open", {}), ("facilitator", "vote_close", {})],
    "vote_round_start": [("facilitator", "vote_open", {}), ("facilitator", "vote_close", {}), ("facilitator", "vote_reveal", {})],
    "vote_cast": [("facilitator", "vote_open", {})],
    "vote_retract": [("facilitator", "vote_open", {}), ("other", "vote_cast", {"project_id": "project"})],
    "show_pause": [("facilitator", "show_advance", {})],
    "show_resume": [("facilitator", "show_advance", {}), ("facilitator", "show_pause", {})],
    "show_extend": [("facilitator", "show_advance", {})],
    "project_unhide": [("facilitator", "project_hide", {"project_id": "project"})],
}
TOKEN_OF = {"participant": "other", "author": "author", "facilitator": "facilitator", "projector": "projector"}


def payload_for(name: str, board: Seeded) -> dict:
    """The command aimed at the author's story and map (the target whose author is `author`)."""
    ids = board.ids
    payload = dict(templates(board)[name])
    aimed = {
        "vote_cast": {"project_id": ids["project"]},
        "vote_retract": {"project_id": ids["project"]},
        "vote_round_start": {"project_ids": [ids["project"], ids["other_project"]]},
        "project_delete": {"project_id": ids["project"]},
        "project_hide": {"project_id": ids["project"]},
        "project_unhide": {"project_id": ids["project"]},
        "map_node_remove": {"project_id": ids["project"], "node_id": ids["node"]},
    }
    return aimed.get(name, payload)


def cross_board_payload(name: str, here: Seeded, there: Seeded) -> dict:
    """`here`'s ids, sent from `there`: a map child (node, link, item) is named inside `there`'s own story."""
    payload = payload_for(name, here)
    if any(key in payload for key in ("node_id", "from_node_id", "link_id", "item_id")):
        payload["project_id"] = there.ids["project"]
    return payload


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """One server; 127.0.0.1 is spared the per-address limits (this module creates some 300 boards a minute)."""
    log_dir = tmp_path_factory.mktemp("authz")
    server = ServerProcess(f"sqlite:///{log_dir / 'authz.sqlite3'}", log_dir=log_dir,
                           env={"SNOWBALL_RATE_LIMIT_EXEMPT": "127.0.0.1"}).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def quiet_board(live):
    """A board for the cells that must not get in at all (shared: they change nothing)."""
    return seed(live.url), seed(live.url)


def state(url: str, board: Seeded) -> tuple[int, dict]:
    viewer = BoardClient(url, board.code, board.tokens["facilitator"])
    viewer.connect()
    viewer.disconnect()
    snapshot = viewer.snapshot
    snapshot.get("show", {}).pop("server_now", None)
    return snapshot["seq"], snapshot


_shared: dict[str, Seeded] = {}


def prepared(url: str, name: str, fresh: bool) -> Seeded:
    """A seeded board with the command's preconditions. A cell whose command must be refused may share
    its board with the command's other refused cells: each of them checks it changed nothing."""
    key = repr(SETUP.get(name, []))
    if not fresh and key in _shared:
        return _shared[key]
    board = seed(url)
    run_setup(url, board, name)
    if not fresh:
        _shared[key] = board
    return board


def run_setup(url: str, board: Seeded, name: str) -> None:
    for who, command, payload in SETUP.get(name, []):
        client = BoardClient(url, board.code, board.tokens[who])
        client.connect()
        resolved = {k: board.ids.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}
        ack = client.command(command, **resolved)
        client.disconnect()
        assert ack["ok"], (name, command, ack)


def outcome(ack: dict) -> str:
    return OK if ack["ok"] else ack["error"]["code"]


def test_every_command_has_a_declared_row():
    assert set(EXPECTED) <= set(COMMANDS), f"rows for commands that no longer exist: {sorted(set(EXPECTED) - set(COMMANDS))}"
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", COMMANDS)
def test_cell(live, quiet_board, name, role):
    assert name in EXPECTED, f"no authorisation row declared for command {name!r}: add it to EXPECTED"
    expected = EXPECTED[name][ROLES.index(role)]
    if role in ("no_token", "other_token"):
        return refused_at_the_door(live, quiet_board, name, role, expected)
    if role == "other_ids":
        return from_another_board(live, name, expected)
    board = prepared(live.url, name, fresh=expected == OK)
    before = state(live.url, board)
    client = BoardClient(live.url, board.code, board.tokens[TOKEN_OF[role]])
    client.connect()
    try:
        ack = client.call(name, with_op_id(name, payload_for(name, board)))
    finally:
        client.disconnect()
    assert outcome(ack) == expected, ack
    head, snapshot = state(live.url, board)
    if expected == OK:
        assert head == before[0] + 1
    else:
        assert (head, snapshot) == before, "a refused command changed the board"


def refused_at_the_door(live, quiet_board, name: str, role: str, expected: str) -> None:
    board, other = quiet_board
    token = "" if role == "no_token" else other.tokens["facilitator"]
    before = state(live.url, board)
    sock = RawSocket(live.url)
    try:
        ok, refusal = sock.connect({"board": board.code, "token": token})
        assert not ok and refusal["data"]["code"] == expected, refusal
        sock.emit(name, with_op_id(name, payload_for(name, board)))  # sent anyway, on the refused namespace
        # The same socket then connects as the projector: its sync is answered after the command was handled.
        ok, _ = sock.connect({"board": board.code, "token": board.tokens["projector"]})
        assert ok and sock.call("sync", {})["seq"] == before[0]
    finally:
        sock.close()
    assert state(live.url, board) == before


def from_another_board(live, name: str, expected: str) -> None:
    here = prepared(live.url, name, fresh=False)  # never changed by these cells: checked below
    there = seed(live.url)
    run_setup(live.url, there, name)
    before = state(live.url, here)
    row = EXPECTED[name]
    actor = next(role for role in ("facilitator", "author", "participant") if row[ROLES.index(role)] == OK)
    client = BoardClient(live.url, there.code, there.tokens[TOKEN_OF[actor]])
    client.connect()
    try:
        ack = client.call(name, with_op_id(name, cross_board_payload(name, here, there)))
    finally:
        client.disconnect()
    if expected == OWN:
        assert ack["ok"], ack  # it acted on its own board...
    else:
        assert outcome(ack) == expected, ack
    assert state(live.url, here) == before  # ...and never on this one
