"""A real python-socketio client that applies events in seq order, like the browser client."""
from __future__ import annotations

import threading
import time
import uuid

import socketio


def op_id() -> str:
    """A fresh op_id, as the browser makes one."""
    return uuid.uuid4().hex


class BoardClient:
    """Connects to a board, keeps every event frame, and resyncs from its last seq on connect."""

    def __init__(self, base_url: str, board_code: str, token: str, transports=("websocket",)) -> None:
        self.base_url = base_url
        self.board_code = board_code
        self.token = token
        self.transports = list(transports)
        self.sio = socketio.Client(reconnection=False)
        self.frames: list[dict] = []          # every sequenced frame, as received
        self.ephemeral: list[tuple[str, dict]] = []
        self.last_seq = 0
        self.snapshot: dict | None = None
        self._ahead: set[int] = set()         # seqs received before the one just after last_seq
        self._cond = threading.Condition()
        self.sio.on("event", self._on_event)
        self.sio.on("*", self._on_other)

    def _on_event(self, frame: dict) -> None:
        # A sender gets its own event just after its ack, so it may arrive after a later one from
        # someone else: keep it aside until the one before it arrives, as the browser does.
        with self._cond:
            self.frames.append(frame)
            if frame["seq"] > self.last_seq:
                self._ahead.add(frame["seq"])
            while self.last_seq + 1 in self._ahead:
                self._ahead.discard(self.last_seq + 1)
                self.last_seq += 1
            self._cond.notify_all()

    def _on_other(self, name, data=None) -> None:
        with self._cond:
            self.ephemeral.append((name, data))
            self._cond.notify_all()

    def connect(self, since: int | None = None) -> dict:
        """Connect and sync; returns the sync reply (events or snapshot)."""
        self.sio.connect(self.base_url, auth={"board": self.board_code, "token": self.token},
                         transports=self.transports, wait_timeout=10)
        return self.sync(self.last_seq if since is None and self.last_seq else since)

    def sync(self, since: int | None) -> dict:
        """Ask for what was missed since `since` and apply it."""
        reply = self.sio.call("sync", {"since": since} if since is not None else {}, timeout=15)
        with self._cond:
            if "snapshot" in reply:
                self.snapshot = reply["snapshot"]
                self.last_seq = reply["snapshot"]["seq"]
            for frame in reply.get("events", []):
                if frame["seq"] == self.last_seq + 1:
                    self.frames.append(frame)
                    self.last_seq = frame["seq"]
            self._ahead = {seq for seq in self._ahead if seq > self.last_seq}
            while self.last_seq + 1 in self._ahead:
                self._ahead.discard(self.last_seq + 1)
                self.last_seq += 1
            self._cond.notify_all()
        return reply

    def call(self, event: str, payload: dict | None = None, timeout: float = 15) -> dict:
        """Emit and wait for the ack."""
        return self.sio.call(event, payload, timeout=timeout)

    def command(self, event: str, **payload) -> dict:
        """Emit a command with a fresh op_id and wait for the ack."""
        payload.setdefault("op_id", op_id())
        return self.call(event, payload)

    def wait_for_seq(self, seq: int, timeout: float = 10) -> None:
        """Block until frames up to `seq` arrived in order (or fail)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self.last_seq < seq:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"client reached seq {self.last_seq}, expected {seq}")
                self._cond.wait(remaining)

    def disconnect(self) -> None:
        """Close the socket."""
        if self.sio.connected:
            self.sio.disconnect()
