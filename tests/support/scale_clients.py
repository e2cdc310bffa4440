"""A board client that behaves like the browser's socket module across processes.

It applies frames strictly in `seq` order, notices a gap (a broadcast lost between processes) and
fetches the missing range with `sync`, keeps the commands it sent until they are acked, and when its
server goes away it reconnects to the next address it knows (as a load balancer would send it),
resyncs from its last `seq` and sends the unacked commands again with the same `op_id`s.
"""
from __future__ import annotations

import threading
import time

import socketio

from .clients import BoardClient, op_id


class FailoverBoardClient(BoardClient):
    """BoardClient + gap repair + outbox + failover to the other server addresses."""

    def __init__(self, urls: list[str], board_code: str, token: str) -> None:
        super().__init__(urls[0], board_code, token)
        self.urls = list(urls)
        self.applied: list[dict] = []       # frames applied, in seq order, no gaps, no duplicates
        self._ahead: dict[int, dict] = {}   # frames received beyond a gap
        self.gaps_noticed = 0
        self.failovers = 0
        self.outbox: dict[str, tuple[str, dict]] = {}   # op_id -> (event, payload), until acked
        self.acks: dict[str, dict] = {}
        self._closing = False
        self._gap_sync = None
        self._failover_started = threading.Event()
        self._failed_over = threading.Event()
        self.sio.on("disconnect", self._on_disconnect)

    # --- ordering and gaps -------------------------------------------------------------------
    def _apply_in_order(self, frame: dict) -> None:
        """Under the lock: apply a frame if it is next, keep it if it is ahead, drop it if known."""
        seq = frame["seq"]
        if seq <= self.last_seq:
            return
        if seq > self.last_seq + 1:
            self._ahead[seq] = frame
            return
        self.applied.append(frame)
        self.last_seq = seq
        while self.last_seq + 1 in self._ahead:
            nxt = self._ahead.pop(self.last_seq + 1)
            self.applied.append(nxt)
            self.last_seq = nxt["seq"]

    def _on_event(self, frame: dict) -> None:
        with self._cond:
            self.frames.append(frame)
            self._apply_in_order(frame)
            gap = bool(self._ahead)
            if gap and (self._gap_sync is None or not self._gap_sync.is_alive()):
                self.gaps_noticed += 1
                self._gap_sync = threading.Thread(target=self._repair_gap, daemon=True)
                self._gap_sync.start()
            self._cond.notify_all()

    def _repair_gap(self) -> None:
        try:
            self.sync(self.last_seq)
        except Exception:  # noqa: BLE001 - the socket went away meanwhile; failover resyncs
            pass

    def sync(self, since: int | None) -> dict:
        """Fetch what was missed after `since` and apply it in order."""
        reply = self.sio.call("sync", {"since": since} if since is not None else {}, timeout=15)
        with self._cond:
            if "snapshot" in reply:
                self.snapshot = reply["snapshot"]
                self.last_seq = max(self.last_seq, reply["snapshot"]["seq"])
            for frame in reply.get("events", []):
                self._apply_in_order(frame)
            self._cond.notify_all()
        return reply

    # --- commands ------------------------------------------------------------------------------
    def send(self, event: str, **payload) -> str:
        """Emit a command without waiting; it stays in the outbox until acked. Returns its op_id."""
        payload.setdefault("op_id", op_id())
        with self._cond:
            self.outbox[payload["op_id"]] = (event, payload)
        self._transmit(event, payload)
        return payload["op_id"]

    def _transmit(self, event: str, payload: dict) -> None:
        def acked(ack):
            with self._cond:
                self.acks[payload["op_id"]] = ack
                self.outbox.pop(payload["op_id"], None)
                self._cond.notify_all()

        try:
            self.sio.emit(event, payload, callback=acked)
        except socketio.exceptions.SocketIOError:
            pass  # not connected: it waits in the outbox for the failover

    def wait_for_acks(self, timeout: float = 20) -> dict[str, dict]:
        """Block until the outbox is empty (every command acked); returns op_id -> ack."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self.outbox:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"{len(self.outbox)} commands never acked")
                self._cond.wait(remaining)
            return dict(self.acks)

    # --- failover ------------------------------------------------------------------------------
    def _on_disconnect(self, reason=None) -> None:
        # engineio's client leaves the dead server's socket open after a transport error: close it.
        dead = getattr(self.sio.eio, "ws", None)
        if dead is not None:
            try:
                dead.close()
            except Exception:  # noqa: BLE001 - already broken
                pass
        if self._closing:
            return
        self._failed_over.clear()
        self._failover_started.set()
        threading.Thread(target=self._reconnect_elsewhere, daemon=True).start()

    def _reconnect_elsewhere(self) -> None:
        """Try the other addresses (then this one again), with a short backoff, for up to 30 s."""
        current = self.urls.index(self.base_url) if self.base_url in self.urls else -1
        order = self.urls[current + 1:] + self.urls[:current + 1]
        deadline = time.monotonic() + 30
        delay = 0.1
        while not self._closing and time.monotonic() < deadline:
            for url in order:
                try:
                    self.sio.connect(url, auth={"board": self.board_code, "token": self.token},
                                     transports=self.transports, wait_timeout=5)
                except Exception:  # noqa: BLE001 - that server is down too (or the old socket not yet closed)
                    continue
                self.base_url = url
                with self._cond:
                    self.failovers += 1
                    pending = list(self.outbox.values())
                self.sync(self.last_seq)
                for event, payload in pending:  # same op_id: applied at most once
                    self._transmit(event, payload)
                self._failed_over.set()
                return
            time.sleep(delay)  # reconnection backoff, as socket.io-client does
            delay = min(delay * 2, 2.0)

    def wait_for_failover(self, timeout: float = 30) -> None:
        """Block until the client noticed its server went away and reconnected to another address."""
        if not self._failover_started.wait(timeout) or not self._failed_over.wait(timeout):
            raise AssertionError("the client did not reconnect to another server")

    def wait_for_seq(self, seq: int, timeout: float = 15) -> None:
        """Block until every frame up to `seq` was applied in order."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self.last_seq < seq:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"client reached seq {self.last_seq}, expected {seq}")
                self._cond.wait(remaining)

    def disconnect(self) -> None:
        """Close on purpose (no failover)."""
        self._closing = True
        super().disconnect()
