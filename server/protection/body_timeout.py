"""A request body must arrive within `body_timeout_s` of its headers (both green servers; http/listener.py).

The header timeout ends once the headers are in; without this a client could announce a body
(`Content-Length: 100000`, or a long-polling POST) and send it a byte every few seconds, holding a
green thread and its connection for as long as it likes. `DeadlineInput` wraps the request's
`wsgi.input`: every read runs under the time left; past it, the read raises `BodyTimeout`, which Flask
answers as a JSON `408` and Engine.IO as a `400` (it closes that polling session), and the connection
is closed. A WebSocket's way to the raw socket (`eventlet.input`; gevent's `rfile` of an upgrade) is left
as it is. The timer is the server's own (`eventlet.Timeout`, `gevent.Timeout`), passed by its adapter.
"""
from __future__ import annotations

import json
import logging
import time
from typing import Any, Callable

from engineio.exceptions import EngineIOError
from werkzeug.exceptions import RequestTimeout

log = logging.getLogger(__name__)


class BodyTimeout(RequestTimeout, EngineIOError):
    """The request body did not arrive in time: a JSON 408 for Flask, a bad request for Engine.IO."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the request body did not arrive within {seconds:g} s")
        self.seconds = seconds

    def get_body(self, environ=None, scope=None) -> str:
        """The API's error shape, never Werkzeug's HTML page."""
        return json.dumps({"ok": False, "error": {"code": "request_timeout", "message": self.description,
                                                  "params": {"limit": self.seconds}}})

    def get_headers(self, environ=None, scope=None) -> list[tuple[str, str]]:
        """JSON, and the connection ends with this answer."""
        return [("Content-Type", "application/json"), ("Connection", "close")]


class DeadlineInput:
    """`wsgi.input` whose reads end at a deadline (then `BodyTimeout`, and `on_timeout` once)."""

    def __init__(self, inner, seconds: float, on_timeout: Callable[[], None], start_timer, discard: Callable[..., Any]) -> None:
        self._inner = inner
        self._skip = discard  # the server's own skip of an unread body
        self._seconds = seconds
        self._deadline = time.monotonic() + seconds
        self._on_timeout = on_timeout
        self._start_timer = start_timer

    def _within(self, read, *args):
        left = self._deadline - time.monotonic()
        expired = BodyTimeout(self._seconds)
        try:
            if left <= 0:
                raise expired
            with self._start_timer(left, expired):
                return read(*args)
        except BodyTimeout:
            if self._on_timeout is not None:
                self._on_timeout()
                self._on_timeout = None
            raise

    def read(self, *args):
        """Read like `wsgi.input.read`, within the deadline."""
        return self._within(self._inner.read, *args)

    def readline(self, *args):
        """Read a line like `wsgi.input.readline`, within the deadline."""
        return self._within(self._inner.readline, *args)

    def readlines(self, *args):
        """Read lines like `wsgi.input.readlines`, within the deadline."""
        return self._within(self._inner.readlines, *args)

    def discard(self, *args):
        """Skip what is left of the body (the server does this before reusing a kept-alive connection), within the deadline."""
        try:
            return self._within(self._skip, *args)
        except BodyTimeout as error:
            raise OSError(str(error)) from error  # the server then closes the connection

    def __iter__(self):
        while True:
            line = self.readline()
            if not line:
                return
            yield line

    def __getattr__(self, name):
        return getattr(self._inner, name)
