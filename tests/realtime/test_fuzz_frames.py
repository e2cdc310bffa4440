"""Hostile frames, one by one, on a real server (SQLite and PostgreSQL): each gets an error ack, or a
clean close when the WebSocket layer must refuse it; the board is unchanged and the server keeps serving."""
from __future__ import annotations

import json
import struct
import time

import pytest
import requests
import websocket

from server.realtime.events import COMMANDS, REQUESTS
from tests.conftest import fresh_pg_database
from tests.support.board_seed import seed, templates, with_op_id
from tests.support.raw_client import RawClosed, RawSocket, connect_as, head_and_snapshot
from tests.support.server import ServerProcess


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live(request, tmp_path_factory):
    log_dir = tmp_path_factory.mktemp("frames")
    if request.param == "sqlite":
        server = ServerProcess(f"sqlite:///{log_dir / 'frames.sqlite3'}", log_dir=log_dir).start()
        yield server, seed(server.url)
        server.stop()
    else:
        with fresh_pg_database() as url:
            server = ServerProcess(url, log_dir=log_dir).start()
            yield server, seed(server.url)
            server.stop()


def post_with(title) -> str:
    return json.dumps(["project_post", {"op_id": "abcdefgh12", "project": {"title": title, "pitch": "p"}}])


# (what, the event's JSON array as text, the error code expected in the ack)
FRAMES = [
    ("not JSON", '["project_post", {oops', "invalid_payload"),
    ("a list nested 5,000 deep", '["project_post", ' + "[" * 5000 + "]" * 5000 + "]", "invalid_payload"),
    ("an object nested 3,000 deep", '["project_post", ' + '{"a":' * 3000 + "1" + "}" * 3000 + "]", "invalid_payload"),
    ("an integer of 2**31", '["project_delete", {"op_id": "abcdefgh12", "project_id": 2147483648}]', "invalid_payload"),
    ("an integer of 2**63", '["vote_mine", {"voter_id": 9223372036854775808}]', "invalid_payload"),
    ("an integer of 5,000 digits", '["project_delete", {"op_id": "abcdefgh12", "project_id": ' + "9" * 5000 + "}]", "invalid_payload"),
    ("NaN", '["map_node_move", {"op_id": "abcdefgh12", "project_id": 1, "node_id": 1, "x": NaN, "y": 0}]', "invalid_payload"),
    ("a float overflowing to infinity", '["map_node_move", {"op_id": "abcdefgh12", "project_id": 1, "node_id": 1, "x": 1e999, "y": 0}]', "invalid_payload"),
    ("a NUL in a text", post_with("a\x00b"), "invalid_payload"),
    ("a NUL in a key", '["project_post", {"op_id": "abcdefgh12", "a\\u0000": 1}]', "invalid_payload"),
    ("a lone surrogate", '["project_post", {"op_id": "abcdefgh12", "project": {"title": "\\ud800", "pitch": "p"}}]', "invalid_payload"),
    ("an event that is an object", '{"name": "project_post"}', "invalid_payload"),
    ("an empty event", "[]", "invalid_payload"),
    ("an event name that is a number", "[42, {}]", "unknown_event"),
    ("an unknown event", '["drop_tables", {}]', "unknown_event"),
    ("a payload that is a list", '["project_post", [1, 2, 3]]', "invalid_payload"),
    ("a payload that is a string", '["sync", "since=0"]', "invalid_payload"),
    ("a title of 121 characters", post_with("x" * 121), "too_long"),
    ("a title of 4,000 emoji", post_with("\U0001F4A5" * 4000), "too_long"),
]


@pytest.mark.parametrize("what, frame, code", FRAMES, ids=[f[0] for f in FRAMES])
def test_a_hostile_frame_gets_an_error_ack_and_changes_nothing(live, what, frame, code):
    server, board = live
    before = head_and_snapshot(server, board)
    sock = connect_as(server, board)
    try:
        ack = sock.wait_ack(sock.emit_encoded(frame))
        assert ack["ok"] is False and ack["error"]["code"] == code, ack
        assert ack["error"]["message"]
        assert sock.call("clock", {})["ok"]  # the same connection still works
    finally:
        sock.close()
    assert head_and_snapshot(server, board) == before


def test_a_binary_event_is_refused_at_once(live):
    server, board = live
    sock = connect_as(server, board)
    try:
        sock.send_text('451-7["sync",{"_placeholder":true,"num":0}]')  # would wait for an attachment
        assert sock.wait_ack(7)["error"]["code"] == "invalid_payload"
        assert sock.call("sync", {"since": 0})["ok"]  # not stuck waiting for the attachment
    finally:
        sock.close()


NAMES = sorted(set(COMMANDS) | set(REQUESTS))


@pytest.mark.parametrize("name", NAMES)
def test_two_arguments_are_refused_for_every_command_and_request(live, name):
    server, board = live
    payload = with_op_id(name, templates(board)[name])
    before = head_and_snapshot(server, board)
    sock = connect_as(server, board, "facilitator")
    try:
        ack = sock.call(name, payload, payload)
    finally:
        sock.close()
    assert ack["ok"] is False and ack["error"]["code"] == "invalid_payload", ack
    assert head_and_snapshot(server, board) == before


@pytest.mark.parametrize("what, send", [
    ("a frame over the 64 KiB transport limit", lambda sock: sock.send_text('42["sync",{"x":"' + "x" * 70_000 + '"}]')),
    ("a text frame that is not UTF-8", lambda sock: sock.send_text(b'42["sync",{"x":"\xff\xfe"}]')),
])
def test_frames_the_websocket_layer_refuses_close_the_connection_cleanly(live, what, send):
    server, board = live
    before = head_and_snapshot(server, board)
    sock = connect_as(server, board)
    try:
        with pytest.raises((RawClosed, OSError)):
            send(sock)
            sock.recv_packet(10)
    finally:
        sock.close()
    assert head_and_snapshot(server, board) == before
    assert server.proc.poll() is None


@pytest.mark.parametrize("body, status", [
    ({"name": "a\x00b"}, 400),
    ({"name": "\ud800"}, 400),
    ({"name": "x" * 300_000}, 413),
])
def test_http_bodies_with_nul_surrogates_or_too_big_are_refused(live, body, status):
    server, board = live
    response = requests.post(f"{server.url}/api/boards/{board.code}/join",
                             data=json.dumps(body), headers={"Content-Type": "application/json"}, timeout=10)
    assert response.status_code == status, response.text[:300]
    if status == 400:
        assert response.json()["error"]["code"] == "invalid_payload"


def _log_of(server) -> str:
    return server.log_path.read_text(errors="replace")


def _online(server, board) -> list[int]:
    sock = connect_as(server, board, "facilitator")
    try:
        return sock.call("sync", {})["online"]
    finally:
        sock.close()


def _wait_offline(server, board, who: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while board.participant_ids[who] in _online(server, board):
        assert time.monotonic() < deadline, f"{who} still listed online {timeout} s after the close"


@pytest.mark.parametrize("connected", [False, True], ids=["before the namespace connect", "after it"])
@pytest.mark.parametrize("frame", ["", "hello", 'x42["sync",{}]', "\u00e942[]"],
                         ids=["empty", "hello", "x42", "accented"])
def test_a_frame_that_is_not_an_engine_io_packet_closes_the_websocket_with_1002(live, frame, connected):
    """The server answers with a close frame (1002), sends nothing of its internals, logs one line."""
    server, board = live
    before = head_and_snapshot(server, board)
    log_before = _log_of(server)
    sock = RawSocket(server.url)
    try:
        if connected:
            assert sock.connect({"board": board.code, "token": board.tokens["author"]})[0]
        sock.send_text(frame)
        sock.ws.settimeout(10)
        opcode, data = sock.ws.recv_data(control_frame=True)  # a 500 written into the socket fails here
        assert opcode == websocket.ABNF.OPCODE_CLOSE, (opcode, data[:200])
        assert struct.unpack("!H", data[:2])[0] == 1002 and b"Traceback" not in data and b"/" not in data
    finally:
        sock.close()
    if connected:
        _wait_offline(server, board, "author")  # its disconnect ran: presence is right at once
    assert head_and_snapshot(server, board) == before
    added = _log_of(server)[len(log_before):]
    assert "Traceback" not in added and added.count("not an Engine.IO packet") == 1, added[-2000:]


@pytest.mark.parametrize("name", ["connect", "disconnect", "connect_error", "*"])
def test_lifecycle_event_names_are_refused_like_unknown_events(live, name):
    """`disconnect` sent as an event does not make the server forget the socket; `connect` does not raise."""
    server, board = live
    before = head_and_snapshot(server, board)
    log_before = _log_of(server)
    sock = connect_as(server, board, "author")
    try:
        ack = sock.call(name, {})
        assert ack["ok"] is False and ack["error"]["code"] == "unknown_event", ack
        assert sock.call("sync", {})["ok"]  # still authenticated: not forgotten
        assert board.participant_ids["author"] in _online(server, board)
    finally:
        sock.close()
    assert head_and_snapshot(server, board) == before
    assert "Traceback" not in _log_of(server)[len(log_before):]


def test_a_long_polling_payload_that_is_not_engine_io_packets_ends_the_session_cleanly(live):
    """The same over long-polling (allowed without Redis): a 400, the session closed, no traceback."""
    server, board = live
    log_before = _log_of(server)
    base = f"{server.url}/socket.io/?EIO=4&transport=polling"
    with requests.Session() as http:
        opened = http.get(base, timeout=10).text
        sid = json.loads(opened[1:])["sid"]
        assert http.post(f"{base}&sid={sid}", data="40" + json.dumps({"board": board.code, "token": board.tokens["author"]}),
                         timeout=10).text.lower() == "ok"
        assert '40{"sid"' in http.get(f"{base}&sid={sid}", timeout=10).text  # connected (a presence frame may come first)
        refused = http.post(f"{base}&sid={sid}", data="hello", timeout=10)
        assert refused.status_code == 400 and "Traceback" not in refused.text
        assert http.get(f"{base}&sid={sid}", timeout=10).status_code == 400  # the session is gone
    _wait_offline(server, board, "author")
    added = _log_of(server)[len(log_before):]
    assert "Traceback" not in added and added.count("not Engine.IO packets") == 1, added[-2000:]
