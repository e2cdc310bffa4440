"""The eventlet server's send path: a packet's WebSocket frame built once, written straight to each idle socket.

How python-engineio (4.15) sends on eventlet: `send_packet` puts the packet on the socket's queue, which
schedules a hub timer to wake that socket's writer green thread; the writer wakes, arms a timeout timer
for its next wait, builds the frame for this one socket (`RFC6455WebSocket._pack_message`) and writes
it with one `sendall`. python-socketio encodes a broadcast once, but everything after that is paid per
recipient: at 1,000 sockets, one event is 1,000 queue puts, 2,000 timers, 1,000 green-thread switches
and 1,000 frame builds (py-spy: about half of the process's samples, the bare anchor's as much as ours).

Here, for a WebSocket this module knows (eventlet, plain or Snowball's threshold compression):
- the frame is built once per packet and kind (plain, or deflated for one window size) and kept on the
  packet, which python-socketio shares between all recipients of a broadcast;
- when the socket is idle — nothing on its queue, no write in progress (its send lock is free) — the
  frame goes out at once with one non-blocking `send`: no queue, no timer, no switch;
- otherwise (a writer busy, packets waiting, a kernel buffer full) it takes the usual queue, so order
  is kept: an ack or a snapshot reply queued before it goes first. What a non-blocking send could not
  write is queued as raw bytes, ahead of anything later (the back-pressure bound counts it);
- the writer sends whatever it finds queued for one socket as one write (frames joined);
- inside `coalesced()` (the flush of the committed events of one hub cycle, realtime/dispatch.py) each
  socket's frames are held; when the block ends they are written as one `send` to an idle socket (else
  queued, in order, behind what it has): k events committed in one cycle cost each socket one system
  call instead of k, and one look at its state.

Nothing else changes: same packets, same frames on the wire (the compression policy of ws_policy),
same back-pressure queue for slow readers, same ping timeouts. Sockets with eventlet's per-connection
compressor (`ws_compression = all`) keep the queue path for everything: their frames depend on the
connection's compression history. gevent and threading keep python-engineio's path unchanged.
"""
from __future__ import annotations

import logging
import zlib
from contextlib import contextmanager
from typing import Iterator

from engineio import packet as eio_packet

from .ws_policy import deflate_once, server_frame

log = logging.getLogger(__name__)
PLAIN = 0  # frame kind of a socket that gets every frame plain (else: the deflate window bits)
_lanes: dict[str, "Lane"] = {}
_stats = {"direct": 0, "queued": 0, "partial": 0, "coalesced": 0}
_holding: list["Lane"] | None = None  # inside coalesced(): the lanes holding frames, in first-use order


class Prebuilt(bytes):
    """WebSocket frame bytes, ready to write (the socket's frame builder passes them through)."""


class PrebuiltPacket(eio_packet.Packet):
    """Packets taken off one socket's queue, as one run of finished frames (or raw bytes left to write)."""

    def __init__(self, frames: bytes, originals: list) -> None:
        super().__init__(eio_packet.MESSAGE, data=frames)
        self.originals = originals

    def encode(self, b64=False):
        if b64:  # a long-poll answer (never expected on a WebSocket lane): what the originals encode to
            return "\x1e".join(p.encode(b64=True) for p in self.originals)
        return Prebuilt(self.data)


def frame_of(pkt, kind: int, threshold: int) -> bytes:
    """The frame of one Engine.IO packet for a socket of this kind, built once and kept on the packet."""
    if type(pkt) is PrebuiltPacket:
        return pkt.data
    cached = pkt.__dict__.get("_frames")
    if cached is None:
        data = pkt.encode()  # what python-engineio's writer sends (its own encoding, cached on the packet)
        text = isinstance(data, str)
        cached = pkt._frames = {"raw": data.encode("utf-8") if text else data, "opcode": 1 if text else 2}
    raw = cached["raw"]
    # ws_policy's rule: deflated (one fresh stream, cached) from the threshold up, plain below it
    key = kind if kind != PLAIN and len(raw) >= threshold else PLAIN
    frame = cached.get(key)
    if frame is None:
        if key == PLAIN:
            frame = server_frame(raw, cached["opcode"], False)
        else:
            frame = server_frame(deflate_once(raw, key), cached["opcode"], True)
        cached[key] = frame
    return frame


class Lane:
    """One Engine.IO socket on an eventlet WebSocket, written directly while it is idle."""

    __slots__ = ("socket", "ws", "fd", "kind", "threshold", "held")

    def __init__(self, socket, ws, kind: int, threshold: int) -> None:
        self.socket = socket
        self.ws = ws
        self.fd = ws.socket.fd  # the non-blocking OS socket under eventlet's green socket
        self.kind = kind
        self.threshold = threshold
        self.held: list | None = None  # packets held inside coalesced(), written as one when it ends

    def idle(self) -> bool:
        """Nothing queued and no write in progress: a frame written now cannot overtake or split another."""
        s, ws = self.socket, self.ws
        return not (s.closing or s.closed or s.upgrading or not s.upgraded or s.queue.qsize() or ws.websocket_closed
                    or ws._sendlock.locked())

    def send(self, pkt) -> bool:
        """Write `pkt` now if the socket is idle, or hold it inside coalesced() (True); False: the caller takes the usual path."""
        held = self.held
        if held is not None:  # holding already: keep the order, the flush writes them together
            held.append(pkt)
            return True
        if _holding is not None:
            # Held whatever the socket's state: flush() looks once and writes, or queues in order. One
            # idle check per socket per flush, not two: at 1,000 sockets they were a tenth of the loop.
            self.held = [pkt]
            _holding.append(self)
            return True
        if not self.idle():
            return False
        return self._write(frame_of(pkt, self.kind, self.threshold), [pkt])

    def flush(self) -> None:
        """Write the packets held by coalesced() as one run if the socket is idle, else queue them behind what it has."""
        packets, self.held = self.held, None
        if not packets:
            return
        kind, threshold = self.kind, self.threshold
        if len(packets) == 1:
            frames = frame_of(packets[0], kind, threshold)
        else:
            frames = b"".join([frame_of(p, kind, threshold) for p in packets])
            _stats["coalesced"] += len(packets) - 1
        if self.idle():
            self._write(frames, packets)
            return
        socket = self.socket
        if socket.closed or socket.closing:
            return  # on its way out (python-engineio's close): nothing queued after its close packet leaves
        if socket.upgrading or not socket.upgraded:
            for pkt in packets:  # not a WebSocket stream yet: the packets as python-engineio queues them
                socket.queue.put(pkt)
        else:
            socket.queue.put(PrebuiltPacket(frames, packets))  # one write, behind what it had queued

    def _write(self, frames: bytes, packets: list) -> bool:
        if not self.socket.check_ping_timeout():
            return True  # gone: python-engineio closed it (and drops the packet, as its own send does)
        try:
            sent = self.fd.send(frames)
        except BlockingIOError:
            sent = 0
        except OSError:
            return False  # closing under us: the queue path ends the way it always did
        if sent < len(frames):
            _stats["partial"] += 1
            self.socket.queue.put(PrebuiltPacket(frames[sent:], packets))  # the rest first, then whatever follows
        _stats["direct"] += 1
        return True

    def poll(self, original):
        """The writer's poll: everything waiting for this socket, as one write."""
        packets = original()
        if not packets or self.socket.upgrading or not self.socket.upgraded:
            return packets
        frames = b"".join(frame_of(p, self.kind, self.threshold) for p in packets)
        return [PrebuiltPacket(frames, packets)]


@contextmanager
def coalesced() -> Iterator[None]:
    """Inside: what is sent to an idle WebSocket lane is held, and each socket's frames leave as one write at the end.

    For a run of broadcasts that must not yield in between (the committed events of one hub cycle):
    at 1,000 sockets, k events cost 1,000 system calls instead of 1,000 × k. Order per socket is
    kept (held frames are written, or queued, before anything sent to that socket afterwards).
    """
    global _holding
    if _holding is not None:  # nested: the outer block writes
        yield
        return
    _holding = []
    try:
        yield
    finally:
        lanes, _holding = _holding, None
        for lane in lanes:
            try:
                lane.flush()
            except Exception:  # noqa: BLE001 - one broken socket must not keep the others' frames
                log.exception("coalesced write to %s failed", lane.socket.sid)


def counts() -> dict:
    """Frames written directly, and how many of those left a remainder on the queue (for benchmarks and tests)."""
    return dict(_stats)


def lane_kind(ws) -> int | None:
    """The frame kind of an eventlet WebSocket, or None when its frames must be built per connection."""
    from eventlet.websocket import RFC6455WebSocket

    if not isinstance(ws, RFC6455WebSocket) or ws.client or not hasattr(getattr(ws, "socket", None), "fd"):
        return None
    options = ws.extensions.get("permessage-deflate")
    if options is None:
        return PLAIN
    if getattr(ws, "compress_threshold", None) is None:
        return None  # eventlet's own per-connection compressor (ws_compression = all)
    window_bits = options.get("server_max_window_bits", zlib.MAX_WBITS)
    return window_bits if 9 <= window_bits <= 15 else PLAIN


_frame_classes: dict[type, type] = {}


def _passing_frames(ws_class: type) -> type:
    """`ws_class`, but a Prebuilt message is written as it is (it is a finished frame already)."""
    cls = _frame_classes.get(ws_class)
    if cls is None:
        class FramePassing(ws_class):
            def _pack_message(self, message, *args, **kwargs):
                if type(message) is Prebuilt:
                    return bytes(message)
                return super()._pack_message(message, *args, **kwargs)

        FramePassing.__name__ = f"FramePassing{ws_class.__name__}"
        cls = _frame_classes[ws_class] = FramePassing
    return cls


class _LaneHandler:
    """engineio's WebSocket handler, with the socket's lane open while it runs; keeps `__self__` (backpressure reads it)."""

    def __init__(self, handler) -> None:
        self.handler = handler
        self.__self__ = getattr(handler, "__self__", None)

    def __call__(self, ws):
        owner = self.__self__
        kind = lane_kind(ws)
        if owner is None or kind is None:
            return self.handler(ws)
        ws.__class__ = _passing_frames(type(ws))
        lane = Lane(owner, ws, kind, getattr(ws, "compress_threshold", 0) or 0)
        original_poll = owner.poll
        owner.poll = lambda: lane.poll(original_poll)
        _lanes[owner.sid] = lane
        try:
            return self.handler(ws)
        finally:
            if _lanes.get(owner.sid) is lane:
                del _lanes[owner.sid]
            owner.__dict__.pop("poll", None)  # a failed upgrade goes on polling with python-engineio's own poll


def install(eio) -> None:
    """Send through lanes on an eventlet-mode Engine.IO server (no-op in other modes)."""
    if eio.async_mode != "eventlet":
        return
    websocket = eio._async["websocket"]

    class LaneWebSocket(websocket):
        def __init__(self, handler, *args, **kwargs):
            super().__init__(_LaneHandler(handler), *args, **kwargs)

    LaneWebSocket.__name__ = f"Lane{websocket.__name__}"
    eio._async = {**eio._async, "websocket": LaneWebSocket}
    queued_send = eio.send_packet
    logger = eio.logger
    lanes = _lanes

    def send_packet(sid, pkt):
        """python-engineio's send_packet, but straight to an idle WebSocket."""
        lane = lanes.get(sid)
        if lane is not None and not logger.isEnabledFor(logging.INFO) and lane.send(pkt):
            return
        _stats["queued"] += lane is not None
        queued_send(sid, pkt)

    eio.send_packet = send_packet
