"""Prometheus metrics of one process (prometheus-client), in a registry of their own.

Counted where things happen: commands and rejections in realtime/dispatch, fan-out in
dispatch.broadcast_committed, database connection waits in persistence/db; gauges read at
scrape time (connections, boards, outbox drops). Served by http/ops.py at /metrics, behind a token.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

REGISTRY = CollectorRegistry(auto_describe=True)
# Latency buckets from 1 ms to 10 s: an ack on an idle process takes ~1-5 ms, a loaded one up to seconds.
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

COMMANDS = Counter("snowball_commands", "Acked client messages by name and result (ok, duplicate, refused, error)",
                   ["name", "result"], registry=REGISTRY)
REJECTIONS = Counter("snowball_rejections", "Refused messages and connections by error code", ["code"], registry=REGISTRY)
ACK_SECONDS = Histogram("snowball_ack_seconds", "From a command's arrival to its ack", ["kind"], buckets=BUCKETS,
                        registry=REGISTRY)
FANOUT_SECONDS = Histogram("snowball_fanout_seconds", "Handing one committed event to every socket of its board",
                           buckets=BUCKETS, registry=REGISTRY)
DB_WAIT_SECONDS = Histogram("snowball_db_pool_wait_seconds", "Waiting for a pooled database connection",
                            ["kind"], buckets=BUCKETS, registry=REGISTRY)
LOOP_LAG_SECONDS = Gauge("snowball_event_loop_lag_seconds", "How late the last 0.5 s timer of the event loop fired",
                         registry=REGISTRY)
LOOP_LAG = Histogram("snowball_event_loop_lag", "Event-loop lag samples (s), every 0.5 s", buckets=BUCKETS,
                     registry=REGISTRY)


class _LiveState:
    """Gauges read when Prometheus scrapes: connections, boards with someone connected, outbox drops.

    The transport that holds the sockets says how to read them (`read_live_state_from`), so this
    module, which persistence uses too, imports no transport.
    """

    def __init__(self) -> None:
        self.connections: Callable[[], int] = lambda: 0
        self.boards: Callable[[], int] = lambda: 0
        self.outbox_drops: Callable[[], int] = lambda: 0

    def collect(self):
        yield GaugeMetricFamily("snowball_connections", "Authenticated sockets on this process", value=self.connections())
        yield GaugeMetricFamily("snowball_boards_active", "Boards with at least one socket on this process",
                                value=self.boards())
        yield CounterMetricFamily("snowball_outbox_drops", "Sockets dropped for falling behind (backpressure)",
                                  value=self.outbox_drops())


_live_state = _LiveState()


def read_live_state_from(connections: Callable[[], int], boards: Callable[[], int], outbox_drops: Callable[[], int]) -> None:
    """Say how to count this process's sockets, active boards and backpressure drops at scrape time."""
    _live_state.connections, _live_state.boards, _live_state.outbox_drops = connections, boards, outbox_drops


REGISTRY.register(_live_state)


@contextmanager
def timed(histogram, **labels: str) -> Iterator[None]:
    """Observe how long the block takes."""
    started = time.perf_counter()
    try:
        yield
    finally:
        (histogram.labels(**labels) if labels else histogram).observe(time.perf_counter() - started)


def watch_event_loop(sleep: Callable[[float], None], period: float = 0.5) -> None:
    """Forever: sleep `period` and record how late the wake-up came (a blocked loop shows here first)."""
    while True:
        started = time.perf_counter()
        sleep(period)
        lag = max(0.0, time.perf_counter() - started - period)
        LOOP_LAG_SECONDS.set(lag)
        LOOP_LAG.observe(lag)


def exposition() -> bytes:
    """The registry in Prometheus' text format."""
    return generate_latest(REGISTRY)
