"""The threshold compression policy as a wsproto extension (gevent mode), against wsproto's own client."""
from __future__ import annotations

import zlib

from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, Request, TextMessage
from wsproto.extensions import PerMessageDeflate
from wsproto.frame_protocol import Opcode, RsvBits

from server.realtime import ws_policy

THRESHOLD = 1024
SMALL = '42["event",{"seq":12,"kind":"vote_cast"}]'
LARGE = '431[{"snapshot":{"story":"' + "Un fournil de quartier, du pain au feu de bois. " * 80 + '"}}]'


def connected_pair(client_extension: PerMessageDeflate):
    """A wsproto client offering `client_extension`, a server accepting with ThresholdDeflate; both connected."""
    client, server = WSConnection(ConnectionType.CLIENT), WSConnection(ConnectionType.SERVER)
    server.receive_data(client.send(Request(host="127.0.0.1", target="/socket.io/", extensions=[client_extension])))
    request = next(server.events())
    assert isinstance(request, Request)
    policy = ws_policy.ThresholdDeflate(THRESHOLD)
    client.receive_data(server.send(AcceptConnection(extensions=[policy])))
    accepted = next(client.events())
    assert isinstance(accepted, AcceptConnection) and accepted.extensions, "permessage-deflate was not agreed"
    return client, server, policy


def rsv1(wire: bytes) -> bool:
    """RSV1 (compressed) of the first frame on the wire."""
    return bool(wire[0] & 0x40)


def received(connection: WSConnection, wire: bytes) -> str:
    """The text of the one whole message `wire` holds, as `connection` decodes it."""
    connection.receive_data(wire)
    parts = [event.data for event in connection.events() if isinstance(event, TextMessage)]
    return "".join(parts)


def test_small_messages_go_out_plain_and_large_ones_deflated_and_readable():
    client, server, _ = connected_pair(PerMessageDeflate())
    for text in (SMALL, LARGE, SMALL, LARGE):  # the client keeps one inflate context throughout
        wire = server.send(TextMessage(text))
        assert rsv1(wire) == (len(text.encode()) >= THRESHOLD)
        assert received(client, wire) == text
    assert len(server.send(TextMessage(LARGE))) < len(LARGE) // 4


def test_a_large_message_is_deflated_once_for_every_recipient(monkeypatch):
    recipients = [connected_pair(PerMessageDeflate()) for _ in range(3)]
    compressors = []
    real = zlib.compressobj
    monkeypatch.setattr(zlib, "compressobj", lambda *args: compressors.append(args) or real(*args))
    broadcast = LARGE.replace("quartier", "village")  # not sent before: not in the cache yet
    for client, server, _ in recipients:
        assert received(client, server.send(TextMessage(broadcast))) == broadcast
    assert len(compressors) == 1


def test_what_the_client_deflates_is_inflated():
    client, server, policy = connected_pair(PerMessageDeflate())
    assert policy.client_max_window_bits == 15  # wsproto's client asks for 15 explicitly: kept
    for text in (LARGE, SMALL, LARGE):
        wire = client.send(TextMessage(text))
        assert rsv1(wire)  # wsproto's client deflates everything
        assert received(server, wire) == text


def test_a_client_that_lets_the_server_choose_gets_a_small_window():
    policy = ws_policy.ThresholdDeflate(THRESHOLD)
    assert policy.accept("permessage-deflate; client_max_window_bits") == "client_max_window_bits=10"
    assert policy.client_max_window_bits == ws_policy.CLIENT_WINDOW_BITS


def test_a_client_that_names_no_window_keeps_the_full_one():
    # Such a client deflates with 2^15: an inflater with a smaller window would fail on its far back-references.
    policy = ws_policy.ThresholdDeflate(THRESHOLD)
    assert policy.accept("permessage-deflate") == ""
    assert policy.client_max_window_bits == 15
    assert ws_policy.ThresholdDeflate(THRESHOLD).accept("permessage-deflate; client_max_window_bits=12") \
        == "client_max_window_bits=12"


def test_the_server_window_the_client_asks_for_is_the_one_used():
    policy = ws_policy.ThresholdDeflate(THRESHOLD)
    assert policy.accept("permessage-deflate; server_max_window_bits=9") == "server_max_window_bits=9"
    rsv, payload = policy.frame_outbound(None, Opcode.TEXT, RsvBits(False, False, False), LARGE.encode(), True)
    assert rsv.rsv1
    assert zlib.decompressobj(-9).decompress(payload + b"\x00\x00\xff\xff") == LARGE.encode()


def test_control_frames_and_fragments_go_out_plain():
    policy = ws_policy.ThresholdDeflate(THRESHOLD)
    plain = RsvBits(False, False, False)
    big = LARGE.encode()
    assert policy.frame_outbound(None, Opcode.PING, plain, big[:100], True) == (plain, big[:100])
    assert policy.frame_outbound(None, Opcode.TEXT, plain, big, False) == (plain, big)
    assert policy.frame_outbound(None, Opcode.CONTINUATION, plain, big, True) == (plain, big)
