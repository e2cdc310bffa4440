"""Run alone in a fresh process, under one green loop: does a PostgreSQL write transaction let other green
threads run while it holds its locks? Prints one JSON line (tests/integration/test_write_gate.py).

    python -m tests.support.write_gate_probe eventlet|gevent postgresql+psycopg://...
"""
from __future__ import annotations

import sys
import warnings

MODE, URL = sys.argv[1], sys.argv[2]
if MODE == "eventlet":  # monkey-patched first, as server/serve.py does
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated", category=Warning)
    import eventlet

    eventlet.monkey_patch()
    spawn, sleep = eventlet.spawn, eventlet.sleep
else:
    from gevent import monkey

    monkey.patch_all()
    import gevent

    spawn, sleep = gevent.spawn, gevent.sleep

import json  # noqa: E402
import time  # noqa: E402

from sqlalchemy import text  # noqa: E402

from server.persistence import write_gate  # noqa: E402
from server.persistence.db import Database  # noqa: E402

ROUND_TRIPS = 5

db = Database(URL)
ticks: list[float] = []


def other_work() -> None:
    """Another green thread with work to do: it runs whenever the loop gets the CPU back."""
    while True:
        ticks.append(time.monotonic())
        sleep(0.001)


def ticks_during(transaction) -> int:
    """How often the other green thread ran while `transaction` made its round trips to PostgreSQL."""
    with transaction() as session:
        started = time.monotonic()
        for _ in range(ROUND_TRIPS):
            session.execute(text("SELECT pg_sleep(0.02)"))
        ended = time.monotonic()
    return sum(started < tick < ended for tick in ticks)


spawn(other_work)
while not ticks:  # until the other green thread has run once
    sleep(0)
report = {"gate": write_gate.install(), "write": ticks_during(db.write), "read": ticks_during(db.read)}
# Commands go through run(): several at once are combined, and each caller gets its own job's result.
callers = [spawn(write_gate.run, lambda n=n: (n, ticks_during(db.write))) for n in range(3)]
report["combined"] = [caller.wait() if MODE == "eventlet" else caller.get() for caller in callers]
print(json.dumps(report))
