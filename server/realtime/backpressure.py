"""A bound on what the server holds for one connection: a reader that stops reading is dropped.

How python-engineio sends (4.15): every Engine.IO socket has an unbounded queue
(`server.create_queue()`); `emit` only appends to it, and one writer task per WebSocket takes
packets off it and blocks in `ws.send()` once the kernel's buffers are full. A laptop that sleeps
with its TCP connection open, or a client that stops reading, therefore grows the server's memory
by every broadcast until the ping timeout (20 s + 20 s here) closes it. Emitting never blocks, so
the others are not slowed down; the cost is memory.

This module gives every socket a queue that counts the bytes it holds. When more arrives for a socket
that already holds `OUTBOX_MAX_BYTES` and whose writer has taken nothing off the queue for
`STALL_SECONDS` (or that holds `OUTBOX_HARD_MAX_BYTES`, whatever its progress), its queue is
emptied, the socket is closed (the usual `disconnect` handler runs: presence goes offline) and its
TCP connection is shut down. The client reconnects and resyncs from its last `seq` (replay or
snapshot), so nothing is lost: events live in the log, not in this queue. A packet is accepted
whenever the queue holds less than the bound, so one big answer (a snapshot, a long replay) never
trips it by itself, and a client receiving one slowly but steadily is not taken for a stalled one.
"""
from __future__ import annotations

import logging
import socket
import threading
import time
import weakref

log = logging.getLogger(__name__)

# Bytes (packet text + a per-packet allowance for the objects around it) one connection may have
# waiting. A healthy client drains its queue in milliseconds; the kernel's socket buffers absorb
# short stalls before anything queues here.
OUTBOX_MAX_BYTES = 1024 * 1024
# A connection holding OUTBOX_MAX_BYTES is dropped once its writer has taken nothing off the queue for
# this long: a slow reader that is still reading (say, a large replay going out) is not a stalled one.
STALL_SECONDS = 2.0
# ...and whatever its progress, never more than this.
OUTBOX_HARD_MAX_BYTES = 8 * 1024 * 1024
PACKET_OVERHEAD = 200

_stats = {"dropped": 0}


def dropped_count() -> int:
    """How many connections this process dropped for falling behind."""
    return _stats["dropped"]


def packet_size(pkt) -> int:
    """What one queued Engine.IO packet costs, roughly, in bytes."""
    data = getattr(pkt, "data", None)
    if isinstance(data, (str, bytes)):
        return len(data) + PACKET_OVERHEAD
    return PACKET_OVERHEAD


def outbox_class(base: type, on_overflow, threaded: bool = True) -> type:
    """A subclass of the async mode's queue class that bounds the bytes it holds.

    `threaded`: the queue is shared by OS threads (async mode "threading"), so the byte count needs a
    lock. Green threads (eventlet, gevent) never switch inside `_put`/`_get`, and a green lock costs
    four Python calls per packet: with a 1,000-person board that is 80,000 calls a second for nothing.
    """

    class Outbox(base):
        max_bytes = OUTBOX_MAX_BYTES
        hard_max_bytes = OUTBOX_HARD_MAX_BYTES
        stall_seconds = STALL_SECONDS
        clock = staticmethod(time.monotonic)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.held_bytes = 0
            self.overflowed = False
            self.progress_at = self.clock()  # the writer last took a packet, or the queue last was empty
            self._count_lock = threading.Lock() if threaded else None

        # _put/_get are the storage hooks of both eventlet's and the standard library's queues.
        def _put(self, item):
            if self._count_lock is None:
                self._count_put(item)
            else:
                with self._count_lock:
                    self._count_put(item)
            super()._put(item)

        def _get(self):
            item = super()._get()
            if self._count_lock is None:
                self._count_get(item)
            else:
                with self._count_lock:
                    self._count_get(item)
            return item

        def _count_put(self, item) -> None:
            if not self.held_bytes:
                self.progress_at = self.clock()
            self.held_bytes += packet_size(item) if item is not None else 0

        def _count_get(self, item) -> None:
            self.held_bytes -= packet_size(item) if item is not None else 0
            self.progress_at = self.clock()

        def stalled(self) -> bool:
            """Holding too much: past the hard bound, or past the bound with a writer that stopped taking."""
            if self.held_bytes >= self.hard_max_bytes:
                return True
            return self.held_bytes >= self.max_bytes and self.clock() - self.progress_at >= self.stall_seconds

        def put(self, item, block=True, timeout=None):
            if item is None:  # the "stop" marker of engineio's writer: always let it through
                return super().put(item, block, timeout)
            if self.overflowed:
                return None
            if self.stalled():
                held = self.held_bytes
                self._overflow()
                on_overflow(self, held)
                return None
            return super().put(item, block, timeout)

        def _overflow(self) -> None:
            self.overflowed = True
            while True:  # let the packets go now; the client will resync from the log
                try:
                    self.get_nowait()
                except Exception:  # noqa: BLE001 - the async mode's Empty
                    break
                self.task_done()
            super().put(None)  # wake the writer (or a long-poll) so it ends

    Outbox.__name__ = f"Outbox[{base.__name__}]"
    return Outbox


# engineio socket -> its TCP socket (eventlet, gevent), to cut a connection whose writer may be stuck in send.
_tcp: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def install(eio) -> None:
    """Give every Engine.IO socket of `eio` a bounded outbox and drop the ones that overflow it."""
    tcp = _tcp
    outbox = outbox_class(eio._async["queue"], lambda queue, held: eio.start_background_task(_drop, eio, tcp, queue, held),
                          threaded=eio.async_mode == "threading")
    eio.create_queue = lambda *args, **kwargs: outbox(*args, **kwargs)
    websocket = eio._async.get("websocket")
    if websocket is not None and hasattr(websocket, "__call__"):
        eio._async = {**eio._async, "websocket": _tracking(websocket, tcp)}


def _tracking(websocket_class: type, tcp: weakref.WeakKeyDictionary) -> type:
    """The async mode's WebSocket app, remembering each connection's TCP socket (to cut it on overflow)."""

    class Tracking(websocket_class):
        def __call__(self, environ, start_response):
            # eventlet's WebSocket app keeps the engineio socket's handler as `handler`, simple-websocket's as `app`.
            handler = getattr(self, "handler", None) or getattr(self, "app", None)
            owner = getattr(handler, "__self__", None)
            raw = _raw_socket(environ)
            if owner is not None and raw is not None:
                tcp[owner] = raw
            return super().__call__(environ, start_response)

    Tracking.__name__ = f"Tracking{websocket_class.__name__}"
    return Tracking


def _raw_socket(environ):
    """The TCP socket under a WebSocket request: eventlet's `eventlet.input`, or gevent pywsgi's input file."""
    stream = environ.get("eventlet.input")
    if stream is not None and hasattr(stream, "get_socket"):
        return stream.get_socket()
    wsgi_input = environ.get("wsgi.input")
    rfile = getattr(wsgi_input, "rfile", wsgi_input)
    # (simple-websocket works on a dup of this socket; shutting either down ends the one TCP connection)
    return getattr(getattr(rfile, "raw", None), "_sock", None) if environ.get("SERVER_SOFTWARE", "").startswith("gevent") else None


def _drop(eio, tcp: weakref.WeakKeyDictionary, queue, held: int) -> None:
    """Close the socket whose outbox overflowed, then cut its TCP connection (its writer may be stuck in send)."""
    target = next((s for s in list(eio.sockets.values()) if s.queue is queue), None)
    if target is None:
        return
    _stats["dropped"] += 1
    log.warning("outbox overflow: dropped engine.io socket %s holding %d bytes; it will resync on reconnect",
                target.sid, held)
    cut(eio, target, eio.reason.TRANSPORT_ERROR, tcp)


def cut(eio, target, reason, tcp: weakref.WeakKeyDictionary = _tcp) -> None:
    """Close one Engine.IO socket at once and shut its TCP connection: the client sees a lost transport."""
    target.close(wait=False, abort=True, reason=reason)
    raw = tcp.pop(target, None)
    if raw is not None:
        try:
            raw.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
