"""SIGTERM drains the server: in-flight commands finish and are acked, clients are sent away and reconnect on their own.

Eight participants send map nodes one after the other (each waits for its ack, as the browser's
outbox does); the server gets SIGTERM in the middle and is started again on the same database.
Checked, on SQLite and PostgreSQL:
- the process exits 0 by itself, soon, saying it drained;
- every client saw its transport close (not a server "disconnect", after which Socket.IO would
  not reconnect) and reconnected by itself once the server was back;
- every command acked before the stop is in the log exactly once at its ack's seq, and nothing
  in the log went unacked: the drain finished what had started and started nothing new;
- after the clients resend what was left (same op_ids), every planned command is in the log once.
"""
from __future__ import annotations

import signal
import threading
import time
from collections import Counter

import socketio

from tests.realtime.test_faults_kill import log_rows
from tests.support.clients import BoardClient, op_id
from tests.support.server import create_board, join_board

CLIENTS = 8
PER_CLIENT = 25
STOP_AT = CLIENTS * PER_CLIENT // 3


class Person:
    """A reconnecting python-socketio client with an outbox: a command leaves it only with its ok ack."""

    def __init__(self, url: str, code: str, token: str, project_id: int, i: int) -> None:
        self.outbox = [("map_node_add", {"op_id": op_id(), "project_id": project_id, "label": f"p{i}-{k}",
                                         "ring": "inner", "reach": k}) for k in range(PER_CLIENT)]
        self.planned = [payload["op_id"] for _, payload in self.outbox]
        self.acks: dict[str, dict] = {}
        self.connects = 0
        self.disconnect_reasons: list[str] = []
        self.connected = threading.Event()
        self.sio = socketio.Client(reconnection=True, reconnection_delay=0.2, reconnection_delay_max=1)
        self.sio.on("connect", self._on_connect)
        self.sio.on("disconnect", self._on_disconnect)
        self.sio.connect(url, auth={"board": code, "token": token}, transports=["websocket"], wait_timeout=10)

    def _on_connect(self):
        self.connects += 1
        self.connected.set()

    def _on_disconnect(self, reason=None):
        self.connected.clear()
        self.disconnect_reasons.append(str(reason))
        ws = getattr(self.sio.eio, "ws", None)
        if ws is not None:  # the server cut it: close our end too (the library leaves its socket open)
            ws.shutdown()

    def send_all(self, acked_total: list[int], lock: threading.Lock) -> None:
        """Send the outbox in order until it is empty or the connection drops."""
        while self.outbox:
            name, payload = self.outbox[0]
            answered, box = threading.Event(), {}

            def on_ack(ack=None, box=box, answered=answered):
                box["ack"] = ack
                answered.set()

            try:
                self.sio.emit(name, payload, callback=on_ack)
            except Exception:  # noqa: BLE001 - not connected: it stays in the outbox
                return
            while not answered.wait(0.2):
                if not self.connected.is_set():
                    return  # held by the draining server, never answered: resent after the reconnect
            ack = box["ack"]
            if not ack["ok"] and ack["error"]["code"] == "rate_limited":
                continue
            assert ack["ok"], (payload, ack)
            self.acks[payload["op_id"]] = ack
            self.outbox.pop(0)
            with lock:
                acked_total[0] += 1


def test_sigterm_drains_finishes_in_flight_commands_and_clients_reconnect(restartable):
    server = restartable
    created = create_board(server.url)
    code = created["board"]["code"]
    people_setup = []
    for i in range(CLIENTS):
        token = join_board(server.url, code, f"P{i}")["token"]
        author = BoardClient(server.url, code, token)
        author.connect()
        ack = author.command("project_post", project={"title": f"Story {i}", "pitch": "pitch"})
        assert ack["ok"], ack
        project_id = author.call("sync", {"since": 0})["events"][-1]["data"]["project"]["id"]
        author.disconnect()
        people_setup.append((token, project_id))
    people = [Person(server.url, code, token, project_id, i) for i, (token, project_id) in enumerate(people_setup)]

    acked_total, lock = [0], threading.Lock()
    threads = [threading.Thread(target=p.send_all, args=(acked_total, lock), daemon=True) for p in people]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while acked_total[0] < STOP_AT and time.monotonic() < deadline:
        time.sleep(0.01)  # watching the counter the client threads move: the stop must land mid-burst
    assert acked_total[0] >= STOP_AT, f"only {acked_total[0]} acks in 60 s"

    stopped_at = time.monotonic()
    server.proc.send_signal(signal.SIGTERM)
    assert server.proc.wait(20) == 0
    exit_seconds = time.monotonic() - stopped_at
    for thread in threads:
        thread.join(20)
    log_text = server.log_path.read_text()
    assert "drained:" in log_text and "every command in flight finished" in log_text, log_text[-2000:]
    assert exit_seconds < 10, exit_seconds
    deadline = time.monotonic() + 15
    while not all(p.disconnect_reasons for p in people) and time.monotonic() < deadline:
        time.sleep(0.05)  # each client library notices the closed transport in its own thread
    assert all(p.disconnect_reasons for p in people), "every client must have been sent away"
    assert not any("server disconnect" in r for p in people for r in p.disconnect_reasons), \
        "a server 'disconnect' would stop Socket.IO from reconnecting"
    acked = {op: ack for p in people for op, ack in p.acks.items()}
    left = [payload["op_id"] for p in people for _, payload in p.outbox]
    assert acked and left, "the stop must land mid-burst"

    # Back on the same database: acked commands are there once, at their seq; nothing unacked was applied.
    server.start()
    rows = log_rows(server.database_url, code)
    assert [seq for seq, _ in rows] == list(range(1, len(rows) + 1)), "the log has a gap"
    by_op = Counter(op for _, op in rows if op)
    assert all(by_op[op] == 1 for op in acked), "an acked command is missing or doubled"
    assert all(dict((op, seq) for seq, op in rows)[op] == ack["seq"] for op, ack in acked.items())
    assert [op for op in left if by_op[op]] == [], "a command was applied but its ack was cut"

    # The clients reconnect by themselves, then resend their outboxes with the same op_ids.
    for person in people:
        assert person.connected.wait(20), "a client did not reconnect"
        assert person.connects >= 2
    threads = [threading.Thread(target=p.send_all, args=(acked_total, lock), daemon=True) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(not p.outbox for p in people)
    rows = log_rows(server.database_url, code)
    by_op = Counter(op for _, op in rows if op)
    assert all(by_op[op] == 1 for p in people for op in p.planned)
    for person in people:
        person.sio.disconnect()
