"""A PostgreSQL engine whose pool checks each connection it hands out without a round trip (instead of pool_pre_ping).

Why: `pool_pre_ping` sends `SELECT 1` and waits for the answer at every checkout. Under eventlet and
gevent a write transaction waits for PostgreSQL without yielding (write_gate.py), so that ping was one
more stall of the whole process per command (bench/commands.py: 1 of ~11 round trips of a map move),
and a cooperative read waited one more hub cycle for it.

Instead, at checkout, one zero-timeout poll of the idle connection's socket (psycopg's C wait, which
no green loop patches): an idle connection has nothing to read, so a readable socket means the server
closed it or is closing it (a restart, `pg_terminate_backend`: it sends its FATAL message, then EOF).
The pool then replaces the connection, as a failed ping would. What neither check catches in time
(a peer gone without a word, whose first packet then meets a reset) fails as it would after a ping.
Without psycopg's C wait (a pure-Python psycopg), the engine keeps `pool_pre_ping`.
"""
from __future__ import annotations

from typing import Any

import psycopg
import psycopg.waiting
from psycopg import pq
from psycopg.waiting import Wait
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError


def checked_engine(url: str, **options: Any) -> Engine:
    """`create_engine(url, **options)`, its pooled connections checked at checkout by a poll, not a ping."""
    wait_c = getattr(psycopg.waiting, "wait_c", None)
    engine = create_engine(url, pool_pre_ping=wait_c is None, **options)
    if wait_c is not None:

        @event.listens_for(engine, "checkout")
        def _on_checkout(dbapi_conn, _record, _proxy) -> None:
            if not still_open(dbapi_conn, wait_c):
                # The pool discards this connection and checks out a fresh one (SQLAlchemy's own retry).
                raise DisconnectionError("PostgreSQL closed this pooled connection")

    return engine


def still_open(conn: psycopg.Connection, wait_c) -> bool:
    """Whether an idle psycopg connection is still open: its socket has nothing to read right now."""
    pgconn = conn.pgconn
    if conn.closed or pgconn.status != pq.ConnStatus.OK:
        return False
    try:
        return not wait_c(_poll_once(), pgconn.socket, 0.0)
    except psycopg.OperationalError:  # the socket is already gone
        return False


def _poll_once():
    """A psycopg wait generator: wait for the socket to be readable, once; return what the poll saw (0: nothing)."""
    ready = yield Wait.R
    return ready
