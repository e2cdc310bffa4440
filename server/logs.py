"""Logging, configured once per process: level and format from the settings, board and socket ids in each line.

    SNOWBALL_LOG_LEVEL   DEBUG | INFO (default) | WARNING | ERROR
    SNOWBALL_LOG_FORMAT  text (default: "2026-05-06T17:00:01.123Z INFO snowball.access board=QXDWTQ sid=... message")
                         | json (one JSON object per line, for log collectors)

Python warnings go through the same handler (`logging.captureWarnings`), so they carry a timestamp
too. Nothing here logs a token: socket auth, URL fragments and query strings never reach a log line.
"""
from __future__ import annotations

import json
import logging
import sys
import time
from typing import Callable

_configured = False
ACCESS = "snowball.access"


# The board code of an authenticated socket id: the realtime layer registers it (`read_socket_board_from`).
_socket_board: Callable[[str], str | None] = lambda sid: None


def read_socket_board_from(board_of: Callable[[str], str | None]) -> None:
    """Say how to find the board code of a socket id, for the `board=` of each log line."""
    global _socket_board
    _socket_board = board_of


def _socket_context() -> tuple[str | None, str | None]:
    """(board code, socket id) of the Socket.IO event being served, if any."""
    try:
        from flask import has_request_context, request
    except ImportError:  # pragma: no cover - Flask is a dependency
        return None, None
    if not has_request_context():
        return None, None
    sid = getattr(request, "sid", None)
    if sid is None:
        return getattr(request, "snowball_board", None), None
    return _socket_board(sid), sid


class ContextFilter(logging.Filter):
    """Adds `board` and `sid` to each record (those a caller passed in `extra` win)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "board") or not hasattr(record, "sid"):
            board, sid = _socket_context()
            record.board = getattr(record, "board", None) or board
            record.sid = getattr(record, "sid", None) or sid
        return True


def _utc(record: logging.LogRecord) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z"


class TextFormatter(logging.Formatter):
    """One line: UTC timestamp, level, logger, board=/sid= when known, the message (and a traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        ids = "".join(f" {key}={value}" for key in ("board", "sid") if (value := getattr(record, key, None)))
        line = f"{_utc(record)} {record.levelname} {record.name}{ids} {record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, msg, board, sid, and any `extra` fields."""

    _standard = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        entry = {"ts": _utc(record), "level": record.levelname, "logger": record.name, "msg": record.getMessage()}
        for key, value in vars(record).items():
            if key not in self._standard and value is not None:
                entry[key] = value if isinstance(value, (str, int, float, bool)) else str(value)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(level: str | None = None, fmt: str | None = None, stream=None) -> None:
    """Install the one handler on the root logger (once; later calls change nothing)."""
    global _configured
    if _configured:
        return
    _configured = True
    level = (level or "INFO").upper()
    fmt = (fmt or "text").lower()
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(getattr(logging, level, logging.INFO))
    logging.captureWarnings(True)
    # Libraries that log every packet at INFO: their warnings still show.
    for noisy in ("engineio.server", "socketio.server", "werkzeug", "alembic.runtime.plugins"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


def access_log(app):
    """WSGI middleware: one line per HTTP request (method, path without query, status, bytes, ms, client)."""
    log = logging.getLogger(ACCESS)

    def logged(environ, start_response):
        started = time.perf_counter()
        status = {"code": "-"}

        def recording_start_response(code, headers, *args):
            status["code"] = code.split(" ", 1)[0]
            return start_response(code, headers, *args)

        try:
            return app(environ, recording_start_response)
        finally:
            path = environ.get("PATH_INFO", "")
            # The query string is left out: Engine.IO puts its session id there; links keep secrets in the fragment.
            if log.isEnabledFor(logging.INFO):
                log.info("%s %s %s %.1fms %s", environ.get("REQUEST_METHOD"), path, status["code"],
                         (time.perf_counter() - started) * 1000, environ.get("REMOTE_ADDR", "-"),
                         extra={"board": _board_from_path(path), "sid": None})

    return logged


def _board_from_path(path: str) -> str | None:
    parts = path.strip("/").split("/")
    if len(parts) >= 2 and parts[0] == "b" or len(parts) >= 3 and parts[:2] == ["api", "boards"] and parts[2] != "import":
        return (parts[1] if parts[0] == "b" else parts[2])[:16] or None
    return None
