"""The server is SIGKILLed in the middle of a burst from 30 clients, then restarted on the same database.

Each client is a participant with an outbox, as the browser keeps one: commands wait there until
their ok ack arrives; on a reconnect the client resyncs from its last seq and resends what is left,
with the same op_ids. Checked, on SQLite and on PostgreSQL:
- right after the restart, every command that got an ok ack is in the event log exactly once, at the
  seq its ack named, the log has no gap, and its effect is in a fresh snapshot exactly once;
- after the resends, every command of every outbox is in the log exactly once (the ones in flight at
  the kill that had been applied come back as duplicates);
- every client ends with the same frames as the log, in the same order.
"""
from __future__ import annotations

import threading
import time
from collections import Counter, deque

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.support.clients import BoardClient, op_id
from tests.support.server import create_board, join_board

CLIENTS = 30
PER_CLIENT = 8            # 4 map nodes, 2 card edits, 2 dots each: 240 commands in the burst
KILL_AT = CLIENTS * PER_CLIENT // 2


def log_rows(database_url: str, board_code: str) -> list[tuple[int, str | None]]:
    """(seq, op_id) of every event of the board, read from the database itself."""
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(
                "SELECT e.seq, e.op_id FROM events e JOIN boards b ON b.id = e.board_id "
                "WHERE b.code = :code ORDER BY e.seq"), {"code": board_code})]
    finally:
        engine.dispose()


class Participant:
    """A python-socketio client with the browser's outbox: send in order, drop a command only on its ack."""

    def __init__(self, url: str, code: str, token: str, plan: list[tuple[str, dict]]) -> None:
        self.url, self.code, self.token = url, code, token
        self.outbox: deque[tuple[str, dict]] = deque((name, {"op_id": op_id(), **payload}) for name, payload in plan)
        self.plan_items = list(self.outbox)   # every command planned, with its op_id
        self.planned = [payload["op_id"] for _, payload in self.outbox]
        self.acks: dict[str, dict] = {}
        self.client: BoardClient | None = None
        self.all_frames: dict[int, dict] = {}

    def connect(self, last_seq: int = 0) -> None:
        if self.client is not None:
            self.all_frames.update({f["seq"]: f for f in self.client.frames})
            close_transport(self.client)
        self.client = BoardClient(self.url, self.code, self.token)
        self.client.last_seq = last_seq
        self.client.connect()

    def drain(self, acked_total: list[int], lock: threading.Lock) -> None:
        """Send the outbox in order until it is empty or the connection is gone."""
        sio = self.client.sio
        while self.outbox:
            name, payload = self.outbox[0]
            answered = threading.Event()
            box: dict = {}

            def on_ack(ack=None, box=box, answered=answered):
                box["ack"] = ack
                answered.set()

            try:
                sio.emit(name, payload, callback=on_ack)
            except Exception:  # noqa: BLE001 - not connected any more: the command stays in the outbox
                return
            while not answered.wait(0.2):
                if not sio.connected:
                    return  # in flight when the server died: it stays in the outbox
            ack = box["ack"]
            if not ack["ok"] and ack["error"]["code"] == "rate_limited":
                continue  # the browser waits and sends it again; so do we
            assert ack["ok"], (name, payload, ack)
            self.acks[payload["op_id"]] = ack
            self.outbox.popleft()
            with lock:
                acked_total[0] += 1

    def frames(self) -> dict[int, dict]:
        return {**self.all_frames, **{f["seq"]: f for f in self.client.frames}}


def close_transport(client: BoardClient) -> None:
    """Close a client's WebSocket for good (a server that died leaves the client library's TCP socket open)."""
    client.disconnect()
    ws = getattr(client.sio.eio, "ws", None)
    if ws is not None:
        ws.shutdown()


def plan_for(i: int, own: int, projects: list[int]) -> list[tuple[str, dict]]:
    others = [p for p in projects if p != own]
    return [
        ("map_node_add", {"project_id": own, "label": f"n{i}-0", "ring": "inner", "reach": i}),
        ("project_edit", {"project_id": own, "project": {"pitch": f"pitch {i}-1"}}),
        ("map_node_add", {"project_id": own, "label": f"n{i}-2", "ring": "network", "reach": 10}),
        ("vote_cast", {"project_id": others[i % len(others)]}),
        ("map_node_add", {"project_id": own, "label": f"n{i}-4", "ring": "crowd", "reach": 100}),
        ("project_edit", {"project_id": own, "project": {"pitch": f"pitch {i}-5"}}),
        ("vote_cast", {"project_id": others[(i + 7) % len(others)]}),
        ("map_node_add", {"project_id": own, "label": f"n{i}-7", "ring": "inner", "reach": 1}),
    ]


def labels(snapshot: dict) -> Counter:
    return Counter(n["label"] for m in snapshot["tribe_maps"] for n in m["nodes"])


def fresh_snapshot(url: str, code: str, token: str) -> dict:
    viewer = BoardClient(url, code, token)
    viewer.connect()
    viewer.disconnect()
    return viewer.snapshot


def test_sigkill_mid_burst_loses_no_acked_command_and_replays_pending_ones_once(restartable):
    server = restartable
    created = create_board(server.url)
    code, facilitator = created["board"]["code"], created["facilitator_token"]
    host = BoardClient(server.url, code, facilitator)
    host.connect()
    tokens = []
    for i in range(CLIENTS):
        token = join_board(server.url, code, f"P{i}")["token"]
        author = BoardClient(server.url, code, token)
        author.connect()
        ack = author.command("project_post", project={"title": f"Story {i}", "pitch": "first pitch"})
        assert ack["ok"], ack
        author.disconnect()
        tokens.append(token)
    assert host.command("vote_open")["ok"]
    host.disconnect()
    before = fresh_snapshot(server.url, code, facilitator)
    start_seq, projects = before["seq"], [p["id"] for p in before["projects"]]
    people = [Participant(server.url, code, tokens[i], plan_for(i, projects[i], projects)) for i in range(CLIENTS)]
    for person in people:
        person.connect()

    # The burst: 30 clients drain their outboxes at once; the server is killed halfway through.
    acked_total, lock = [0], threading.Lock()
    threads = [threading.Thread(target=p.drain, args=(acked_total, lock), daemon=True) for p in people]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while acked_total[0] < KILL_AT and time.monotonic() < deadline:
        time.sleep(0.01)  # watching a counter the client threads move; the kill must land mid-burst
    assert acked_total[0] >= KILL_AT, f"only {acked_total[0]} acks in 60 s"
    server.kill()
    for thread in threads:
        thread.join(30)
    acked = {op: ack for p in people for op, ack in p.acks.items()}
    pending = [payload["op_id"] for p in people for _, payload in p.outbox]
    assert acked and pending, "the kill must land mid-burst"

    # Restarted on the same database: every acked command is there exactly once, where its ack said.
    server.start()
    rows = log_rows(server.database_url, code)
    assert [seq for seq, _ in rows] == list(range(1, len(rows) + 1)), "the log has a gap"
    by_op = Counter(op for _, op in rows if op)
    assert all(by_op[op] == 1 for op in acked), "an acked command is missing or doubled"
    seq_of = {op: seq for seq, op in rows if op}
    assert all(seq_of[op] == ack["seq"] for op, ack in acked.items())
    applied_unacked = [op for op in pending if by_op[op] == 1]  # applied, but the ack died with the server
    snapshot = fresh_snapshot(server.url, code, facilitator)
    acked_labels = {payload["label"] for p in people for name, payload in p.plan_items
                    if name == "map_node_add" and payload["op_id"] in acked}
    assert all(labels(snapshot)[label] == 1 for label in acked_labels)

    # Every client reconnects from its last seq and resends its outbox, same op_ids.
    for person in people:
        person.connect(last_seq=person.client.last_seq)
    threads = [threading.Thread(target=p.drain, args=(acked_total, lock), daemon=True) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert all(not p.outbox for p in people), "an outbox did not drain after the restart"
    resent = {op: ack for p in people for op, ack in p.acks.items() if op in pending}
    assert {op for op, ack in resent.items() if ack["duplicate"]} == set(applied_unacked)

    rows = log_rows(server.database_url, code)
    head = rows[-1][0]
    assert [seq for seq, _ in rows] == list(range(1, head + 1))
    by_op = Counter(op for _, op in rows if op)
    planned = [op for p in people for op in p.planned]
    assert all(by_op[op] == 1 for op in planned), "a command is missing or applied twice"
    assert head == start_seq + len(planned)
    snapshot = fresh_snapshot(server.url, code, facilitator)
    assert labels(snapshot) == Counter(f"n{i}-{k}" for i in range(CLIENTS) for k in (0, 2, 4, 7))
    assert sum(u["dots_used"] for u in snapshot["vote"]["progress"]["used"]) == 2 * CLIENTS

    # Everyone converges: the same frames as the log, in the same order.
    reference = BoardClient(server.url, code, facilitator)
    reference.last_seq = start_seq
    reference.connect()
    reference.disconnect()
    expected = {f["seq"]: f for f in reference.frames}
    assert sorted(expected) == list(range(start_seq + 1, head + 1))
    for person in people:
        person.client.sync(person.client.last_seq)  # what a client does on a gap
        got = person.frames()
        assert {seq: got.get(seq) for seq in expected} == expected
        close_transport(person.client)
    print(f"\nkill mid-burst: {CLIENTS} clients, {len(planned)} commands, {len(acked)} acked before the kill, "
          f"{len(pending)} in outboxes at the kill ({len(applied_unacked)} of them applied with the ack lost), "
          f"all {len(planned)} applied exactly once after the restart; log head {head}")
