"""The eventlet send path (server/realtime/fanout.py): same frames as eventlet's, order kept, nothing lost.

A lane is driven here over a real socket pair; the Engine.IO socket around it is a stand-in with the
attributes the lane reads. The servers in tests/realtime run the lanes for real (eventlet mode).
"""
from __future__ import annotations

import queue
import socket
import threading
import zlib

import pytest
from engineio import packet as eio_packet
from eventlet.websocket import RFC6455WebSocket

from server.realtime import fanout

LONG = "4" + '["event",{"story":"' + "bread oven street " * 200 + '"}]'


class EngineSocket:
    """What a lane reads of python-engineio's socket."""

    def __init__(self) -> None:
        self.upgraded, self.upgrading, self.closing, self.closed = True, False, False, False
        self.queue: queue.Queue = queue.Queue()
        self.alive = True

    def check_ping_timeout(self) -> bool:
        return self.alive


class WebSocket:
    """What a lane reads of eventlet's WebSocket: its green socket's OS socket, its send lock, its state."""

    def __init__(self, fd) -> None:
        self.socket = type("GreenSocket", (), {"fd": fd})()
        self._sendlock = threading.Lock()
        self.websocket_closed = False


@pytest.fixture
def pair():
    server, client = socket.socketpair()
    server.setblocking(False)
    yield server, client
    server.close()
    client.close()


def message(wire: str):
    """The Engine.IO MESSAGE packet whose text on the wire is `wire` ("4" and the Socket.IO packet)."""
    assert wire.startswith("4")
    return eio_packet.Packet(eio_packet.MESSAGE, data=wire[1:])


def read_frames(client, count: int) -> list[tuple[int, bytes]]:
    """(first byte, payload) of `count` unmasked server frames read off the client end."""
    buf, frames = b"", []
    client.settimeout(5)
    while len(frames) < count:
        frame = split_frame(buf)
        if frame is None:
            buf += client.recv(65536)
            continue
        first, payload, buf = frame
        frames.append((first, payload))
    return frames


def split_frame(buf: bytes):
    """(first byte, payload, rest) when `buf` starts with a whole frame, else None."""
    if len(buf) < 2:
        return None
    length, at = buf[1] & 0x7F, 2
    if length == 126:
        length, at = int.from_bytes(buf[2:4], "big"), 4
    elif length == 127:
        length, at = int.from_bytes(buf[2:10], "big"), 10
    if len(buf) < at + length:
        return None
    return buf[0], buf[at:at + length], buf[at + length:]


def test_a_plain_frame_is_the_one_eventlet_builds(pair):
    server, _ = pair
    eventlet_ws = RFC6455WebSocket(server, {}, 13, extensions={})
    for text in ("42[\"event\",{\"seq\":1}]", LONG, "4" + "é" * 70_000):
        assert fanout.frame_of(message(text), fanout.PLAIN, 0) == eventlet_ws._pack_message(text)


def test_a_large_frame_is_deflated_once_and_inflates_back_small_ones_stay_plain():
    big, small = message(LONG), message("42[\"event\",{\"seq\":2}]")
    frame = fanout.frame_of(big, 10, 1024)
    assert frame[0] == 0x80 | 0x40 | 1  # final, RSV1 (compressed), text
    payload = frame[4:] if frame[1] & 0x7F == 126 else frame[2:]
    assert zlib.decompressobj(-10).decompress(payload + b"\x00\x00\xff\xff") == LONG.encode()
    assert fanout.frame_of(big, 10, 1024) is frame  # built once, kept on the packet for every recipient
    assert fanout.frame_of(small, 10, 1024) == fanout.frame_of(small, fanout.PLAIN, 0)  # under the threshold: plain


def test_an_idle_socket_gets_its_frame_at_once(pair):
    server, client = pair
    engine = EngineSocket()
    lane = fanout.Lane(engine, WebSocket(server), fanout.PLAIN, 0)
    assert lane.send(message("41")) and lane.send(message("42"))
    assert read_frames(client, 2) == [(0x81, b"41"), (0x81, b"42")]
    assert engine.queue.empty()


@pytest.mark.parametrize("busy", ["queued", "writing", "closing", "upgrading"])
def test_a_busy_socket_keeps_the_queue_path(pair, busy):
    server, client = pair
    engine, ws = EngineSocket(), WebSocket(server)
    if busy == "queued":
        engine.queue.put(message("40"))  # e.g. an ack the writer has not sent yet: the event goes after it
    elif busy == "writing":
        ws._sendlock.acquire()  # the writer is half-way through a frame
    elif busy == "closing":
        engine.closing = True
    else:
        engine.upgrading = True
    assert not fanout.Lane(engine, ws, fanout.PLAIN, 0).send(message("42"))
    client.setblocking(False)
    with pytest.raises(BlockingIOError):
        client.recv(10)  # nothing was written


def test_a_socket_whose_client_is_gone_is_not_written(pair):
    server, client = pair
    engine = EngineSocket()
    engine.alive = False  # python-engineio's ping check closed it
    assert fanout.Lane(engine, WebSocket(server), fanout.PLAIN, 0).send(message("42"))
    client.setblocking(False)
    with pytest.raises(BlockingIOError):
        client.recv(10)


def test_what_a_full_buffer_refuses_is_queued_first_and_the_writer_sends_everything_in_order(pair):
    server, client = pair
    server.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    engine = EngineSocket()
    lane = fanout.Lane(engine, WebSocket(server), fanout.PLAIN, 0)
    texts = [f"42[{i}," + "x" * 3000 for i in range(40)]
    direct = [lane.send(message(t)) or engine.queue.put(message(t)) for t in texts]  # the hook's fallback: the queue
    assert direct[0] is True and not engine.queue.empty()
    assert isinstance(engine.queue.queue[0], fanout.PrebuiltPacket)  # the rest of a split frame, ahead of all later ones

    def original_poll():
        items = []
        while not engine.queue.empty():
            items.append(engine.queue.get())
        return items

    def writer():  # python-engineio's writer: poll, then one ws.send per packet (ours: raw bytes)
        for pkt in lane.poll(original_poll):
            data = pkt.encode()
            assert type(data) is fanout.Prebuilt
            server.setblocking(True)
            server.sendall(bytes(data))

    thread = threading.Thread(target=writer)
    thread.start()
    frames = read_frames(client, len(texts))
    thread.join(5)
    assert [payload.decode() for _, payload in frames] == texts


def test_the_writer_sends_what_waits_as_one_write(pair):
    server, _ = pair
    engine = EngineSocket()
    lane = fanout.Lane(engine, WebSocket(server), fanout.PLAIN, 0)
    packets = [message("41"), message("42"), eio_packet.Packet(eio_packet.PING)]
    polled = lane.poll(lambda: list(packets))
    assert len(polled) == 1
    assert polled[0].encode() == b"".join(fanout.frame_of(p, fanout.PLAIN, 0) for p in packets)
    assert polled[0].encode(b64=True) == "\x1e".join(p.encode(b64=True) for p in packets)  # as a long-poll would carry them
    assert lane.poll(lambda: []) == []  # the writer's stop stays a stop


class CountingSocket:
    """An OS socket that counts its `send` calls (the system calls a lane makes)."""

    def __init__(self, sock) -> None:
        self.sock = sock
        self.sends = 0

    def send(self, data) -> int:
        self.sends += 1
        return self.sock.send(data)


def test_inside_coalesced_each_socket_gets_its_frames_as_one_write_when_the_block_ends():
    pairs = [socket.socketpair() for _ in range(2)]
    try:
        sockets, lanes = [], []
        for server, _ in pairs:
            server.setblocking(False)
            sockets.append(CountingSocket(server))
            lanes.append(fanout.Lane(EngineSocket(), WebSocket(sockets[-1]), fanout.PLAIN, 0))
        with fanout.coalesced():
            for seq in (1, 2, 3):
                for lane in lanes:
                    assert lane.send(message(f'42["event",{{"seq":{seq}}}]'))
            assert [s.sends for s in sockets] == [0, 0]  # held until the block ends
        assert [s.sends for s in sockets] == [1, 1]
        for _, client in pairs:
            assert [p for _, p in read_frames(client, 3)] == [f'42["event",{{"seq":{s}}}]'.encode() for s in (1, 2, 3)]
    finally:
        for a, b in pairs:
            a.close()
            b.close()


def test_a_socket_that_turns_busy_before_the_flush_gets_the_held_frames_queued_behind_what_it_has(pair):
    server, client = pair
    engine, ws = EngineSocket(), WebSocket(CountingSocket(server))
    lane = fanout.Lane(engine, ws, fanout.PLAIN, 0)
    with fanout.coalesced():
        assert lane.send(message("41")) and lane.send(message("42"))
        engine.queue.put(message("43"))  # e.g. queued while a message-queue publish yielded
    assert ws.socket.fd.sends == 0
    first, second = engine.queue.get_nowait(), engine.queue.get_nowait()
    assert first.encode() == "43"  # what was there first stays first
    assert isinstance(second, fanout.PrebuiltPacket) and second.data == b"".join(
        fanout.frame_of(message(t), fanout.PLAIN, 0) for t in ("41", "42"))


def test_inside_coalesced_a_busy_socket_gets_its_frames_as_one_packet_behind_what_it_has(pair):
    server, client = pair
    engine, ws = EngineSocket(), WebSocket(CountingSocket(server))
    engine.queue.put(message("40"))  # e.g. an ack the writer has not sent yet
    lane = fanout.Lane(engine, ws, fanout.PLAIN, 0)
    with fanout.coalesced():
        assert lane.send(message("41")) and lane.send(message("42"))  # held: the flush looks at the socket once
    assert ws.socket.fd.sends == 0 and lane.held is None
    first, second = engine.queue.get_nowait(), engine.queue.get_nowait()
    assert first.encode() == "40"
    assert isinstance(second, fanout.PrebuiltPacket) and second.data == b"".join(
        fanout.frame_of(message(t), fanout.PLAIN, 0) for t in ("41", "42"))
    assert engine.queue.empty()


def test_inside_coalesced_a_socket_still_upgrading_gets_the_packets_themselves_queued(pair):
    server, _ = pair
    engine, ws = EngineSocket(), WebSocket(CountingSocket(server))
    engine.upgrading = True  # still long-polling: its queue is read by python-engineio's polling path
    lane = fanout.Lane(engine, ws, fanout.PLAIN, 0)
    with fanout.coalesced():
        assert lane.send(message("41")) and lane.send(message("42"))
    assert ws.socket.fd.sends == 0
    queued = [engine.queue.get_nowait(), engine.queue.get_nowait()]
    assert [type(p) for p in queued] == [eio_packet.Packet, eio_packet.Packet]
    assert [p.encode() for p in queued] == ["41", "42"]


@pytest.mark.parametrize("state", ["closing", "closed"])
def test_inside_coalesced_a_socket_on_its_way_out_gets_nothing(pair, state):
    server, _ = pair
    engine, ws = EngineSocket(), WebSocket(CountingSocket(server))
    setattr(engine, state, True)
    lane = fanout.Lane(engine, ws, fanout.PLAIN, 0)
    with fanout.coalesced():
        assert lane.send(message("42"))
    assert ws.socket.fd.sends == 0 and engine.queue.empty() and lane.held is None
