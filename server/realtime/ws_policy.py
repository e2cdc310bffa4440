"""WebSocket socket policy for both green servers: TCP_NODELAY, and compression (permessage-deflate).

TCP_NODELAY: eventlet and gevent leave Nagle's algorithm on for accepted sockets. A command's broadcast and its
ack are two small writes to the sender's socket back to back, so the ack waited for the client's
delayed ACK of the broadcast: about 40-60 ms added to every command round trip (measured here: an
ack took ~56 ms on an idle server, a `sync` ~1 ms). Every WebSocket gets TCP_NODELAY.

Compression (RFC 7692):

Browsers (and socket.io-client on `ws`) always offer permessage-deflate. eventlet accepts the offer
and then deflates *every* frame, once per recipient, with a compressor kept per connection (about
256 KiB of zlib state each). A board broadcast of a 300-byte event to 1,000 sockets becomes 1,000
compressions of a frame too small to gain anything; python-engineio's `http_compression` and
`compression_threshold` only apply to long-polling responses, never to WebSocket frames.

Modes (setting `ws_compression`):
- "threshold" (default): frames below `threshold` bytes go out plain; larger ones (snapshots, long
  replays, long stories) are deflated with a fresh compressor (no per-connection state) and the
  compressed bytes are reused for every recipient of the same frame, so a broadcast is compressed once.
  When the client lets the server pick its window (`client_max_window_bits` without a value, as
  browsers send), it gets 2^10 bytes: the inflater kept per connection stays small.
- "off": decline permessage-deflate in the handshake (every frame plain).
- "all": the server's own compression, unchanged (eventlet's, or wsproto's under gevent).

A fresh compressor per message is always valid for the peer: it never refers to earlier messages,
whatever context takeover was negotiated. Under eventlet, `install` swaps eventlet's WebSocket classes;
under gevent (simple-websocket on wsproto), `ThresholdDeflate` is wsproto's permessage-deflate
extension deciding per message, and `realtime/gevent_ws.py` offers it in the handshake. The threading
mode keeps simple-websocket's own behaviour.
"""
from __future__ import annotations

import socket
import struct
import zlib
from collections import OrderedDict

from wsproto.extensions import PerMessageDeflate
from wsproto.frame_protocol import Opcode, RsvBits

MODES = ("threshold", "off", "all")
LEVEL = 6
CLIENT_WINDOW_BITS = 10
_CACHE_SIZE = 16
_cache: OrderedDict[tuple[int, bytes], bytes] = OrderedDict()


def deflate_once(data: bytes, window_bits: int) -> bytes:
    """The RFC 7692 payload of `data` from a fresh raw-deflate stream, cached for the next recipients."""
    key = (window_bits, data)
    hit = _cache.get(key)
    if hit is not None:
        _cache.move_to_end(key)
        return hit
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -window_bits)
    payload = compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
    payload = payload[:-4]  # RFC 7692 7.2.1: drop the 00 00 ff ff tail of the sync flush
    _cache[key] = payload
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return payload


def deflates(length: int, threshold: int, window_bits: int) -> bool:
    """Threshold mode: whether a whole data message of `length` bytes goes out deflated."""
    return length >= threshold and 9 <= window_bits <= 15


def set_nodelay(sock) -> None:
    """Turn Nagle's algorithm off on an accepted socket (a command's broadcast and ack are two small writes)."""
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:  # not TCP (a Unix socket behind a proxy): nothing to do
        pass


class ThresholdDeflate(PerMessageDeflate):
    """wsproto's permessage-deflate in threshold mode: small messages plain, large ones deflated once per broadcast."""

    def __init__(self, threshold: int) -> None:
        super().__init__()
        self.threshold = threshold

    def accept(self, offer: str) -> bool | str | None:
        """Agree to the client's offer, choosing a small client window when the client lets us choose."""
        # A bare `client_max_window_bits` lets us pick (wsproto then agrees to `self.client_max_window_bits`):
        # 2^10 keeps our inflater per connection small (its messages are small commands). Without the
        # parameter the client deflates with 2^15, so the default (15) must stay.
        if "client_max_window_bits" in (part.strip() for part in offer.split(";")[1:]):
            self.client_max_window_bits = CLIENT_WINDOW_BITS
        return super().accept(offer)

    def frame_outbound(self, proto, opcode: Opcode, rsv: RsvBits, data: bytes, fin: bool) -> tuple[RsvBits, bytes]:
        """A whole text or binary message from the threshold up is deflated (RSV1 set); anything else goes out plain."""
        # simple-websocket sends every message as one frame; a fragmented one would simply go out plain.
        if opcode in (Opcode.TEXT, Opcode.BINARY) and fin and deflates(len(data), self.threshold, self.server_max_window_bits):
            return RsvBits(True, rsv.rsv2, rsv.rsv3), deflate_once(bytes(data), self.server_max_window_bits)
        return rsv, data


def server_frame(payload: bytes, opcode: int, compressed: bool) -> bytes:
    """One final, unmasked server frame (RSV1 marks a compressed message)."""
    first = 0x80 | opcode | (0x40 if compressed else 0)
    length = len(payload)
    if length > 65535:
        header = struct.pack("!BBQ", first, 127, length)
    elif length > 125:
        header = struct.pack("!BBH", first, 126, length)
    else:
        header = struct.pack("!BB", first, length)
    return header + payload


def install(sio_server, mode: str, threshold: int) -> None:
    """Apply TCP_NODELAY and the compression mode to an eventlet-mode python-socketio server (gevent: `gevent_ws.install`)."""
    if mode not in MODES:
        raise ValueError(f"ws_compression must be one of {MODES}, not {mode!r}")
    eio = sio_server.eio
    if eio.async_mode != "eventlet":
        return
    from engineio.async_drivers.eventlet import WebSocketWSGI
    from eventlet.websocket import RFC6455WebSocket

    class ThresholdDeflateWebSocket(RFC6455WebSocket):
        """eventlet's socket, but small frames plain and large frames deflated once per broadcast."""

        compress_threshold = threshold

        def _get_permessage_deflate_enc(self):
            return None  # never eventlet's per-connection compressor

        def _pack_message(self, message, masked=False, continuation=False, final=True, control_code=None):
            options = self.extensions.get("permessage-deflate")
            is_text = isinstance(message, str)
            data = message.encode("utf-8") if is_text else message
            window_bits = (options or {}).get("server_max_window_bits", zlib.MAX_WBITS)
            if (options is None or control_code or continuation or not final or masked
                    or not deflates(len(data), self.compress_threshold, window_bits)):
                return super()._pack_message(message, masked=masked, continuation=continuation, final=final,
                                             control_code=control_code)
            return server_frame(deflate_once(data, window_bits), 1 if is_text else 2, compressed=True)

    class PolicyWebSocketWSGI(WebSocketWSGI):
        """engineio's eventlet WebSocket app with Snowball's compression policy."""

        def __call__(self, environ, start_response):
            stream = environ.get("eventlet.input")
            if stream is not None and hasattr(stream, "get_socket"):
                set_nodelay(stream.get_socket())
            if mode == "off":
                environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)  # decline permessage-deflate
            return super().__call__(environ, start_response)

        def _negotiate_permessage_deflate(self, extensions):
            agreed = super()._negotiate_permessage_deflate(extensions)
            if agreed is not None and mode == "threshold" and agreed.get("client_max_window_bits") == zlib.MAX_WBITS:
                # The client let us choose its window: a small one keeps the inflate state we hold
                # for each connection at ~10 KB instead of ~40 KB (its messages are small commands).
                offered = (extensions.get("permessage-deflate") or [{}])[0].get("client_max_window_bits")
                if offered is True:
                    agreed["client_max_window_bits"] = CLIENT_WINDOW_BITS
            return agreed

        def _handle_hybi_request(self, environ):
            ws = super()._handle_hybi_request(environ)
            if mode == "threshold" and type(ws) is RFC6455WebSocket:
                ws.__class__ = ThresholdDeflateWebSocket
            return ws

    eio._async = {**eio._async, "websocket": PolicyWebSocketWSGI}
