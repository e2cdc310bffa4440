"""Scale-out: each process hands a board's sequenced events to its sockets in seq order, whichever process committed them.

A process's own commits reach its sockets at once; the other processes' arrive through Redis a few
milliseconds later. Sent as they come, a board's clients on this process would often see seq n + 1
before n, and every client then waits for the gap (300 ms) and asks for a `sync`: at 1,000 sockets and
20 commits/s over two processes, ~1,100 syncs in 8 s, each a database read, which loaded the processes
more and delayed everything else. Here an event that comes ahead of the board's next seq waits (at
most HOLD_S, below the clients' 300 ms) for the ones before it; after HOLD_S, what waits goes out in
order anyway (a seq Redis never carried: clients repair it from the database, as before).
"""
from __future__ import annotations

import threading
from typing import Callable

HOLD_S = 0.15  # longest an event waits for an earlier seq (clients wait 300 ms before they sync)

Send = Callable[[], None]


class BoardOrder:
    """Per board: the next seq to hand out, and the events that came ahead of it."""

    def __init__(self, start_timer: Callable[[Callable[[], None]], None]) -> None:
        self._next: dict[str, int] = {}               # board room -> next seq this process expects
        self._held: dict[str, dict[int, Send]] = {}   # board room -> seq -> its send, waiting
        self._waits: dict[str, int] = {}              # board room -> the wait its timer ends (a later timer ends a later one)
        self._lock = threading.RLock()  # green under eventlet and gevent; never held across a yield there
        self._start_timer = start_timer  # runs its argument after HOLD_S (a background task)
        self.held = 0      # events that waited for an earlier seq (for benchmarks and tests)
        self.expired = 0   # waits that ended by HOLD_S rather than by the missing seq

    def deliver(self, room: str, seq: int, send: Send) -> None:
        """Send `seq` to the board's sockets now if it is the next one (then what waited behind it), else hold it."""
        with self._lock:
            expected = self._next.get(room)
            if expected is None or seq <= expected:  # first seen here, or the next, or a late one: now
                send()
                if expected is None or seq == expected:
                    self._next[room] = seq + 1
                    self._release(room)
                return
            held = self._held.setdefault(room, {})
            if not held:
                wait = self._waits[room] = self._waits.get(room, 0) + 1
                self._start_timer(lambda: self._expire(room, wait))
            held[seq] = send
            self.held += 1

    def _release(self, room: str) -> None:
        """Send what waited and is now next, in order."""
        held = self._held.get(room)
        while held and self._next[room] in held:
            seq = self._next[room]
            held.pop(seq)()
            self._next[room] = seq + 1
        if not held:
            self._held.pop(room, None)

    def _expire(self, room: str, wait: int) -> None:
        """HOLD_S passed: send everything still waiting for this board, in seq order (unless that wait ended)."""
        with self._lock:
            if self._waits.get(room) != wait or not self._held.get(room):
                return
            held = self._held.pop(room)
            self.expired += 1
            for seq in sorted(held):
                held[seq]()
            self._next[room] = max(held) + 1
