"""Log lines: UTC timestamp, level, logger, board and socket ids when known; JSON lines on request; no query strings."""
from __future__ import annotations

import io
import json
import logging
import re

from server import logs


def _record(msg: str, **extra) -> logging.LogRecord:
    record = logging.makeLogRecord({"name": "server.realtime.dispatch", "levelno": logging.INFO, "levelname": "INFO",
                                    "msg": msg, "args": (), **extra})
    logs.ContextFilter().filter(record)
    return record


def test_text_lines_carry_timestamp_level_logger_and_ids():
    line = logs.TextFormatter().format(_record("vote_cast refused: rate_limited", board="QXDWTQ", sid="abc123"))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO server\.realtime\.dispatch "
                        r"board=QXDWTQ sid=abc123 vote_cast refused: rate_limited", line), line


def test_text_lines_leave_out_unknown_ids():
    line = logs.TextFormatter().format(_record("started"))
    assert line.endswith("INFO server.realtime.dispatch started") and "board=" not in line


def test_json_lines_are_one_object_each():
    line = logs.JsonFormatter().format(_record("participant 3 joined", board="QXDWTQ"))
    entry = json.loads(line)
    assert entry["msg"] == "participant 3 joined" and entry["board"] == "QXDWTQ" and entry["level"] == "INFO"
    assert entry["logger"] == "server.realtime.dispatch" and entry["ts"].endswith("Z") and "sid" not in entry


def _access_line(environ_extra: dict, status: str = "200 OK") -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.TextFormatter())
    handler.addFilter(logs.ContextFilter())
    access = logging.getLogger(logs.ACCESS)
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    try:
        def app(environ, start_response):
            start_response(status, [])
            return [b""]

        environ = {"REQUEST_METHOD": "GET", "REMOTE_ADDR": "10.0.0.7", **environ_extra}
        logs.access_log(app)(environ, lambda *args: None)
    finally:
        access.removeHandler(handler)
    return stream.getvalue().strip()


def test_access_log_names_the_board_and_never_the_query_string():
    line = _access_line({"PATH_INFO": "/api/boards/QXDWTQ/join", "QUERY_STRING": "token=SECRET"}, "429 TOO MANY REQUESTS")
    assert "GET /api/boards/QXDWTQ/join 429" in line and "board=QXDWTQ" in line and "10.0.0.7" in line
    assert "SECRET" not in line and "token" not in line


def test_access_log_of_socket_io_leaves_out_the_engine_io_sid():
    line = _access_line({"PATH_INFO": "/socket.io/", "QUERY_STRING": "EIO=4&transport=websocket&sid=xyz"})
    assert "GET /socket.io/ 200" in line and "xyz" not in line
