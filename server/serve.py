"""Run one Snowball server process: `snowball serve`, `python -m server.serve` or `python wsgi.py`.

Monkey-patches first (eventlet by default, or gevent: SNOWBALL_ASYNC_MODE), then builds the app,
listens (refusing a port that is taken), logs where people reach it, serves, and on SIGTERM or
SIGINT drains (realtime/drain.py) before it exits. `threading` runs Werkzeug's development server:
for working on the code on a laptop, not for a room.
"""
from __future__ import annotations

import os
import warnings

from .config import async_mode_from_environment

ASYNC_MODES = ("eventlet", "gevent", "threading")
ASYNC_MODE = async_mode_from_environment()
if ASYNC_MODE == "eventlet":
    # Its 8-line deprecation notice at every start says what docs/deploy.md says once (and logs below).
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated", category=Warning)
    import eventlet

    eventlet.monkey_patch()
elif ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()

import logging  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402

from . import create_app, green_servers, logs, network  # noqa: E402
from .config import Settings  # noqa: E402

log = logging.getLogger("snowball.serve")


def build(settings: Settings):
    """The app of this process (logging configured), wrapped in the access log."""
    logs.configure(settings.log_level, settings.log_format)
    app = create_app(settings)
    app.wsgi_app = logs.access_log(app.wsgi_app)
    return app


def _serve_green(app, settings: Settings, listener) -> None:
    """Serve with eventlet or gevent until SIGTERM/SIGINT, then drain and return."""
    from .realtime import backpressure, dispatch, drain, message_queue
    from .realtime.hub import socketio
    from . import gc_policy, metrics

    stop = {"signal": None}

    def on_signal(signum, _frame):
        if stop["signal"] is not None:  # a second signal: do not wait any more
            os._exit(1)
        stop["signal"] = signal.Signals(signum).name

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if settings.async_mode == "eventlet":
        stop_accepting = green_servers.eventlet_server(listener, app, settings)
    else:
        stop_accepting = green_servers.gevent_server(listener, app, settings)
    socketio.start_background_task(metrics.watch_event_loop, socketio.sleep)
    gc_policy.tune()  # built and listening: what exists now lives as long as the process
    while stop["signal"] is None:
        socketio.sleep(0.2)

    log.info("%s: draining (no new connections; commands in flight finish; clients reconnect)", stop["signal"])
    drain.begin()
    stop_accepting()
    idle = drain.wait_idle(settings.drain_timeout_s, socketio.sleep)
    dispatch.flush_pending()  # committed events not yet sent (the flusher may not have had its turn)
    if not message_queue.flush_outbox(socketio, 2.0):  # scale-out: the last commits' broadcasts reach the others first
        log.warning("drain: Redis took too long; the last broadcasts may not reach the other processes (clients sync)")
    eio = socketio.server.eio
    closed = drain.close_all(eio, backpressure.cut, socketio.sleep)
    closed += drain.close_all(eio, backpressure.cut, socketio.sleep)  # any that connected meanwhile
    app.extensions["snowball"].db.dispose()
    log.info("drained: %d sockets closed; %s", closed,
             "every command in flight finished" if idle else f"{drain.in_flight()} commands still running were cut")


def main() -> int:
    """Start one server process; returns its exit status after a drain."""
    settings = Settings()
    logs.configure(settings.log_level, settings.log_format)
    if settings.async_mode not in ASYNC_MODES or settings.async_mode != ASYNC_MODE:
        print(f"snowball: SNOWBALL_ASYNC_MODE must be one of {', '.join(ASYNC_MODES)}", file=sys.stderr)
        return 2
    try:
        listener = network.listen(settings.host, settings.port)
    except network.PortTaken as taken:
        print(taken.code, file=sys.stderr)
        return 2
    app = build(settings)
    for line in network.start_banner(settings.host, settings.port, settings.public_url, settings.database_url.split("://")[0]):
        print(line, flush=True)
    if settings.async_mode == "threading":
        log.warning("SNOWBALL_ASYNC_MODE=threading: Werkzeug's development server, for working on the code only")
        from .realtime.hub import socketio

        listener.close()  # Werkzeug binds its own; the check above still refused a taken port
        socketio.run(app, host=settings.host, port=settings.port, log_output=False, allow_unsafe_werkzeug=True)
        return 0
    if settings.async_mode == "eventlet":
        log.info("async mode eventlet (upstream maintenance mode; gevent is the alternative: docs/deploy.md)")
    _serve_green(app, settings, listener)
    # Sockets are closed and the database disposed: exit now, without waiting on connection greenlets.
    logging.shutdown()
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
