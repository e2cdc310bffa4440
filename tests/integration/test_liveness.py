"""The write pool's checkout check (persistence/liveness.py) on PostgreSQL: a poll of the idle socket, not a ping.

A connection the server closed while it sat in the pool is replaced before a transaction uses it;
a live one is handed out as it is.
"""
from __future__ import annotations

import select

import pytest
from sqlalchemy import create_engine, exc, text

from server.persistence import liveness
from tests.conftest import _pg_admin_connect


def pooled_backend(engine) -> tuple[int, object]:
    """Check out the pool's connection once: its backend pid, and the psycopg connection (back in the pool after)."""
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar_one(), conn.connection.driver_connection


def terminate(pid: int, raw) -> None:
    """End that backend as a restart would, and wait until its last words reach the pooled socket."""
    with _pg_admin_connect() as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0]
    readable, _, _ = select.select([raw.pgconn.socket], [], [], 10)
    assert readable, "the server did not close the connection within 10 s"


def test_a_connection_the_server_closed_is_replaced_at_checkout(pg_url):
    engine = liveness.checked_engine(pg_url, pool_size=1, max_overflow=0)
    try:
        first, raw = pooled_backend(engine)
        assert pooled_backend(engine)[0] == first  # alive: the same connection again
        terminate(first, raw)
        second, _ = pooled_backend(engine)
        assert second != first
    finally:
        engine.dispose()


def test_without_the_check_the_closed_connection_fails_its_next_transaction(pg_url):
    # What the check saves: the plain pool hands the dead connection out.
    engine = create_engine(pg_url, pool_size=1, max_overflow=0)
    try:
        first, raw = pooled_backend(engine)
        terminate(first, raw)
        with pytest.raises(exc.OperationalError):
            pooled_backend(engine)
    finally:
        engine.dispose()
