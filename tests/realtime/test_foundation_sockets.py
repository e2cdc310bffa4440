"""The foundation over real sockets: a server subprocess, several python-socketio clients.

Every test runs on SQLite and on PostgreSQL. Each test makes its own board, so one server per
database serves the whole module (the restart test starts its own).
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest
import socketio

from tests.conftest import fresh_pg_database
from tests.support.clients import BoardClient, op_id
from tests.support.server import ServerProcess, create_board, join_board

CARD = {"title": "La ferme du coin", "pitch": "Du pain pour le quartier"}


# The module's server creates a board per test from 127.0.0.1, faster than the per-address budget
# allows; these tests are not about address limits (per-connection limits still apply).
LIVE_ENV = {"SNOWBALL_RATE_LIMIT_EXEMPT": "127.0.0.1"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live(request, tmp_path_factory):
    """One server per database for the module."""
    log_dir = tmp_path_factory.mktemp("live")
    if request.param == "sqlite":
        process = ServerProcess(f"sqlite:///{log_dir / 'live.sqlite3'}", env=LIVE_ENV, log_dir=log_dir).start()
        yield process
        process.stop()
    else:
        with fresh_pg_database() as url:
            process = ServerProcess(url, env=LIVE_ENV, log_dir=log_dir).start()
            yield process
            process.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def own_server(request):
    """A server this test may restart (the conftest `server` or `pg_server`)."""
    return request.getfixturevalue("server" if request.param == "sqlite" else "pg_server")


@dataclass
class Room:
    """A board over HTTP and a way to open clients on it; closes them all at the end."""

    url: str
    code: str
    facilitator_token: str
    projector_token: str
    clients: list

    def client(self, token: str, since: int | None = None) -> BoardClient:
        """A connected, synced client."""
        client = BoardClient(self.url, self.code, token)
        self.clients.append(client)
        client.connect(since)
        return client

    def participant(self, name: str) -> BoardClient:
        """Join over HTTP, then connect."""
        return self.client(join_board(self.url, self.code, name)["token"])

    def fresh_snapshot(self) -> dict:
        """The server's state right now, as a new facilitator client sees it."""
        client = self.client(self.facilitator_token)
        try:
            return client.snapshot
        finally:
            client.disconnect()


def open_room(url: str) -> Room:
    created = create_board(url)
    return Room(url, created["board"]["code"], created["facilitator_token"],
                created["links"]["projector"].split("#", 1)[1], [])


@pytest.fixture
def room(live):
    """A new board on the module's server."""
    opened = open_room(live.url)
    yield opened
    for client in opened.clients:
        client.disconnect()


def wait_frames(client: BoardClient, upto: int, timeout: float = 10) -> None:
    """Block until the client holds every frame after its snapshot up to `upto` (in any arrival order)."""
    deadline = time.monotonic() + timeout
    start = client.snapshot["seq"] + 1
    with client._cond:
        while not set(range(start, upto + 1)) <= {f["seq"] for f in client.frames}:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                seen = sorted(f["seq"] for f in client.frames)
                raise AssertionError(f"expected frames {start}..{upto}, got {seen}")
            client._cond.wait(remaining)


def ordered_frames(client: BoardClient) -> list[dict]:
    """The client's frames after its snapshot, one per seq, in seq order (no gaps allowed)."""
    by_seq = {f["seq"]: f for f in client.frames if f["seq"] > client.snapshot["seq"]}
    frames = [by_seq[s] for s in sorted(by_seq)]
    assert [f["seq"] for f in frames] == list(range(client.snapshot["seq"] + 1, client.snapshot["seq"] + 1 + len(frames)))
    return frames


def board_state(client: BoardClient) -> dict:
    """The foundation part of the board as the client sees it: its snapshot plus its frames applied in order."""
    snap = client.snapshot
    state = {"seq": snap["seq"], "board": snap["board"], "participants": list(snap["participants"]),
             "projects": list(snap["projects"])}
    for frame in ordered_frames(client):
        data = frame["data"]
        if frame["type"] == "participant_joined":
            state["participants"].append(data["participant"])
        elif frame["type"] == "project_posted":
            state["projects"].append(data["project"])
        elif frame["type"] == "project_edited":
            state["projects"] = [data["project"] if p["id"] == data["project"]["id"] else p for p in state["projects"]]
        elif frame["type"] == "project_deleted":
            state["projects"] = [p for p in state["projects"] if p["id"] != data["project_id"]]
        state["seq"] = frame["seq"]
    return state


def foundation(snapshot: dict) -> dict:
    """The keys of a snapshot that the foundation's events maintain."""
    return {key: snapshot[key] for key in ("seq", "board", "participants", "projects")}


def post(client: BoardClient, **fields) -> dict:
    ack = client.command("project_post", project={**CARD, **fields})
    assert ack["ok"] is True, ack
    return ack


def disconnected_event(client: BoardClient) -> threading.Event:
    """An Event set when the client's socket closes."""
    gone = threading.Event()

    def on_disconnect(reason=None) -> None:
        # When the transport breaks under it, the client library leaves the TCP socket open.
        ws = getattr(client.sio.eio, "ws", None)
        if reason == client.sio.reason.TRANSPORT_ERROR and ws is not None:
            ws.shutdown()
        gone.set()

    client.sio.on("disconnect", on_disconnect)
    return gone


def test_two_participants_see_each_others_cards_in_the_same_seq_order(room):
    ana, bo = room.participant("Ana"), room.participant("Bo")
    screen = room.client(room.projector_token)
    acks = [post(ana, title="Ana 1"), post(bo, title="Bo 1")]
    # Then both at once, so the server has to order concurrent commands.
    threads = [threading.Thread(target=lambda c=c, t=t: acks.append(post(c, title=t)))
               for c, t in ((ana, "Ana 2"), (bo, "Bo 2"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    head = max(ack["seq"] for ack in acks)
    assert sorted(ack["seq"] for ack in acks) == list(range(head - 3, head + 1))
    for client in (ana, bo, screen):
        wait_frames(client, head)
    views = [[(f["seq"], f["type"], f["data"]) for f in ordered_frames(c) if f["seq"] > bo.snapshot["seq"]]
             for c in (ana, bo, screen)]
    assert views[0] == views[1] == views[2]
    assert [data["project"]["title"] for _, _, data in views[0]][:2] == ["Ana 1", "Bo 1"]
    titles = [p["title"] for p in board_state(ana)["projects"]]
    assert titles == [p["title"] for p in board_state(bo)["projects"]]
    assert sorted(titles) == ["Ana 1", "Ana 2", "Bo 1", "Bo 2"]
    assert foundation(room.fresh_snapshot()) == board_state(ana) == board_state(bo) == board_state(screen)


def test_a_duplicated_op_id_applies_once(room):
    ana, bo = room.participant("Ana"), room.participant("Bo")
    op = op_id()
    first = ana.call("project_post", {"op_id": op, "project": CARD})
    again = ana.call("project_post", {"op_id": op, "project": CARD})
    assert first == {"ok": True, "seq": first["seq"], "duplicate": False}
    assert again == {"ok": True, "seq": first["seq"], "duplicate": True}
    # The same op_id for other content is not a resend: refused, nothing applied.
    changed = ana.call("project_post", {"op_id": op, "project": {**CARD, "title": "Changed"}})
    assert changed["ok"] is False and changed["error"]["code"] == "op_id_conflict", changed
    marker = post(bo, title="after")  # Bo's later event proves the duplicate would have arrived before it
    wait_frames(bo, marker["seq"])
    posted = [f for f in ordered_frames(bo) if f["type"] == "project_posted"]
    assert [f["data"]["project"]["title"] for f in posted] == [CARD["title"], "after"]
    snapshot = room.fresh_snapshot()
    assert [p["title"] for p in snapshot["projects"]] == [CARD["title"], "after"]
    assert snapshot["seq"] == marker["seq"] == first["seq"] + 1


def test_a_client_that_missed_20_events_catches_up_exactly(room):
    ana, bo = room.participant("Ana"), room.participant("Bo")
    before = post(ana, title="before")
    wait_frames(ana, before["seq"])  # the event follows the ack: wait for it, not for any frame
    left_at = ana.last_seq
    gone = disconnected_event(ana)
    ana.disconnect()
    assert gone.wait(10)
    # 20 events while Ana is away: posts, edits, a delete, someone joining.
    first = post(bo, title="Bo 1")["seq"]
    second = post(bo, title="Bo 2")["seq"]
    for i in range(16):
        ack = bo.command("project_edit", project_id=project_id_at(bo, second), project={"pitch": f"edit {i}"})
        assert ack["ok"], ack
    assert bo.command("project_delete", project_id=project_id_at(bo, first))["ok"]
    join_board(room.url, room.code, "Cy")
    expected_head = left_at + 20
    reply = ana.connect()  # resumes from its last seq
    assert "snapshot" not in reply
    assert [f["seq"] for f in reply["events"]] == list(range(left_at + 1, expected_head + 1))
    assert ana.last_seq == expected_head
    assert board_state(ana) == foundation(room.fresh_snapshot())
    assert [p["pitch"] for p in board_state(ana)["projects"] if p["title"] == "Bo 2"] == ["edit 15"]


def project_id_at(client: BoardClient, seq: int) -> int:
    """The id of the project posted at `seq`, from the client's frames."""
    wait_frames(client, seq)
    return next(f["data"]["project"]["id"] for f in client.frames if f["seq"] == seq)


def test_a_participant_cannot_change_anothers_card(room):
    ana, bo = room.participant("Ana"), room.participant("Bo")
    ack = post(ana)
    project_id = project_id_at(bo, ack["seq"])
    before = room.fresh_snapshot()
    edit = bo.command("project_edit", project_id=project_id, project={"title": "Mine now"})
    delete = bo.command("project_delete", project_id=project_id)
    for refused in (edit, delete):
        assert refused["ok"] is False
        assert refused["error"]["code"] == "not_author"
        assert refused["error"]["message"]
    assert foundation(room.fresh_snapshot()) == foundation(before)
    # The facilitator may moderate the same card.
    facilitator = room.client(room.facilitator_token)
    assert facilitator.command("project_edit", project_id=project_id, project={"title": "Moderated"})["ok"]


MALFORMED = [
    ("project_post", {"op_id": op_id(), "project": {"title": 12, "pitch": "p"}}, "invalid_payload"),
    ("project_post", {"op_id": op_id(), "project": {"title": "t", "pitch": "p", "goal_amount": "100"}}, "invalid_payload"),
    ("project_post", {"op_id": op_id(), "project": {**CARD, "goal_amount": True}}, "invalid_payload"),
    ("project_post", {"op_id": op_id(), "project": CARD, "admin": True}, "invalid_payload"),
    ("project_post", {"op_id": op_id(), "project": {**CARD, "author_id": 1}}, "invalid_payload"),
    ("project_post", {"project": CARD}, "invalid_payload"),
    ("project_post", {"op_id": "", "project": CARD}, "invalid_payload"),
    ("project_post", {"op_id": "../../etc/passwd", "project": CARD}, "invalid_payload"),
    ("project_post", {"op_id": op_id(), "project": {**CARD, "story": "x" * 20_000}}, "too_long"),
    ("project_post", {"op_id": op_id(), "project": {"title": "x" * 5_000, "pitch": "p"}}, "too_long"),
    ("project_post", {"op_id": op_id(), "project": {**CARD, "link": "javascript:alert(1)"}}, "invalid_link"),
    ("project_post", ["not", "a", "dict"], "invalid_payload"),
    ("project_post", "a string", "invalid_payload"),
    ("project_post", 42, "invalid_payload"),
    ("project_post", None, "invalid_payload"),
    ("project_post", ({"op_id": op_id(), "project": CARD}, "extra argument"), "invalid_payload"),
    ("project_edit", {"op_id": op_id(), "project_id": "1", "project": {}}, "invalid_payload"),
    ("project_edit", {"op_id": op_id(), "project_id": 999_999, "project": {"title": "t"}}, "project_not_found"),
    ("project_delete", {"op_id": op_id(), "project_id": -1}, "out_of_range"),
    ("sync", {"since": "zero"}, "invalid_payload"),
    ("sync", {"since": -5}, "out_of_range"),
    ("sync", ({}, {}), "invalid_payload"),
    ("no_such_event", {"op_id": op_id()}, "unknown_event"),
    ("connect_board", None, "unknown_event"),
]


def test_malformed_payloads_get_error_acks_and_the_server_keeps_serving(room):
    ana, bo = room.participant("Ana"), room.participant("Bo")
    before = room.fresh_snapshot()
    for event, payload, code in MALFORMED:
        ack = ana.call(event, payload)
        assert ack["ok"] is False, (event, payload, ack)
        assert ack["error"]["code"] == code, (event, payload, ack)
        assert ack["error"]["message"]
    assert foundation(room.fresh_snapshot()) == foundation(before)
    # Still serving: both clients can work and see each other.
    ack = post(ana, title="still here")
    wait_frames(bo, ack["seq"])
    assert board_state(bo)["projects"][-1]["title"] == "still here"


def test_an_oversized_message_drops_only_that_connection(room):
    ana, bo = room.participant("Ana"), room.participant("Bo")
    head = room.fresh_snapshot()["seq"]
    gone = disconnected_event(ana)
    ana.sio.emit("project_post", {"op_id": op_id(), "project": {**CARD, "story": "x" * 200_000}})
    assert gone.wait(10)
    ack = post(bo, title="still here")
    assert ack["seq"] == head + 1
    assert [p["title"] for p in room.fresh_snapshot()["projects"]] == ["still here"]


def test_the_projector_reads_but_cannot_post(room):
    ana = room.participant("Ana")
    screen = room.client(room.projector_token)
    assert screen.snapshot["me"] == {"role": "projector", "participant_id": None}
    for event, payload in (("project_post", {"project": CARD}), ("project_delete", {"project_id": 1})):
        ack = screen.command(event, **payload)
        assert ack["ok"] is False and ack["error"]["code"] == "forbidden", ack
    ack = post(ana)
    wait_frames(screen, ack["seq"])
    assert [p["title"] for p in board_state(screen)["projects"]] == [CARD["title"]]


@pytest.mark.parametrize("auth", [
    {"board": "ok", "token": "not-a-token"},
    {"board": "ACDEFG", "token": "ok"},
    {"board": "ok"},
    {"token": "ok"},
    {"board": 1, "token": ["ok"]},
    None,
])
def test_a_bad_token_cannot_connect(room, auth):
    participant_token = join_board(room.url, room.code, "Ana")["token"]
    if auth is not None:
        auth = {k: (room.code if v == "ok" and k == "board" else participant_token if v == "ok" else v)
                for k, v in auth.items()}
    sio = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        sio.connect(room.url, auth=auth, transports=["websocket"], wait_timeout=10)
    assert not sio.connected
    # The participant's own token still works on its board.
    assert room.client(participant_token).snapshot["participants"][0]["name"] == "Ana"


def test_a_token_of_another_board_cannot_connect(room, live):
    other = open_room(live.url)
    sio = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        sio.connect(room.url, auth={"board": room.code, "token": other.facilitator_token},
                    transports=["websocket"], wait_timeout=10)


def test_a_server_restart_between_two_steps_loses_nothing_acked(own_server):
    room = open_room(own_server.url)
    ana, bo = room.participant("Ana"), room.participant("Bo")
    try:
        first = post(ana, title="before restart")
        for client in (ana, bo):
            wait_frames(client, first["seq"])
        gone = [disconnected_event(ana), disconnected_event(bo)]
        own_server.restart()
        assert all(event.wait(15) for event in gone)
        for client in (ana, bo):
            assert client.connect()["events"] == []  # nothing acked was lost, nothing new appeared
        second = post(bo, title="after restart")
        assert second["seq"] == first["seq"] + 1      # the seq carries on without a gap
        for client in (ana, bo):
            wait_frames(client, second["seq"])
        assert [p["title"] for p in board_state(ana)["projects"]] == ["before restart", "after restart"]
        assert board_state(ana) == board_state(bo) == foundation(room.fresh_snapshot())
    finally:
        for client in room.clients:
            client.disconnect()
