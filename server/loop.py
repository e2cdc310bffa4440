"""Which async mode a process can really run: a green mode only when its monkey-patching is in place."""
from __future__ import annotations

import logging
import sys

log = logging.getLogger(__name__)


def _patched(mode: str) -> bool:
    if mode == "eventlet" and "eventlet" in sys.modules:
        from eventlet import patcher

        return patcher.is_monkey_patched("socket")
    if mode == "gevent" and "gevent" in sys.modules:
        from gevent import monkey

        return monkey.is_module_patched("socket")
    return False


def effective_async_mode(requested: str) -> str:
    """`requested`, or "threading" when eventlet/gevent was asked for but not patched in (`flask --app server run`).

    Unpatched, a green mode answers every WebSocket upgrade with a 500; threading (Werkzeug's
    development server, with simple-websocket) serves it: what `flask run` is for.
    """
    if requested in ("eventlet", "gevent") and not _patched(requested):
        log.warning("SNOWBALL_ASYNC_MODE=%s without its monkey-patching (flask run?): serving in threading mode, "
                    "for development only; start rooms with `snowball serve`", requested)
        return "threading"
    return requested
