"""Engine and sessions: SQLite (WAL) by default, PostgreSQL through psycopg 3."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from .. import metrics
from ..paths import migrations_dir
from . import liveness, write_gate

MIGRATIONS_DIR = migrations_dir()


def _sqlite_engine(url: str, busy_timeout_s: float) -> Engine:
    # How long a write waits for another process's lock before "database is locked" (an outage: 503).
    # The driver waits in C: under eventlet the whole process waits with it, so keep it short-ish.
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy_timeout_s})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # pragma: no cover - exercised by every test
        # Let SQLAlchemy, not the driver, decide when transactions begin (so writes use IMMEDIATE).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # pragma: no cover - exercised by every test
        # A write takes the lock up front: no upgrade deadlock, and the board's seq is serialised.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("snowball_write") else "BEGIN")

    return engine


def _pooled(engine: Engine, kind: str):
    """A pooled connection of `engine`, the wait for it measured (snowball_db_pool_wait_seconds)."""
    with metrics.timed(metrics.DB_WAIT_SECONDS, kind=kind):
        return engine.connect()


class Database:
    """The process's database: an engine and two kinds of transaction, write and read."""

    def __init__(self, url: str, sqlite_busy_timeout_s: float = 5.0, pg_reads: str = "cooperative") -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine = _sqlite_engine(url, sqlite_busy_timeout_s)
        else:
            # Each connection checked at checkout by a poll of its idle socket, not a ping (liveness.py):
            # under eventlet and gevent a ping is one more wait on PostgreSQL per transaction.
            self.engine = liveness.checked_engine(url, pool_size=10, max_overflow=20)
        self.write_engine = self.engine
        if not self.is_sqlite and write_gate.install(reads_block=pg_reads == "blocking"):
            # eventlet, gevent: write transactions run one at a time per process and never yield while they
            # hold the board lock (write_gate.py); their own small pool, never exhausted by readers.
            self.write_engine = liveness.checked_engine(url, pool_size=2, max_overflow=3)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One short write transaction, committed on success, rolled back on any exception."""
        with write_gate.exclusive(), _pooled(self.write_engine, "write").execution_options(snowball_write=True) as conn:
            with Session(bind=conn, expire_on_commit=False) as session, session.begin():
                yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """One consistent read: every query inside sees the same committed state."""
        options = {} if self.is_sqlite else {"isolation_level": "REPEATABLE READ"}
        with _pooled(self.engine, "read").execution_options(**options) as conn:
            with Session(bind=conn, expire_on_commit=False) as session, session.begin():
                yield session

    def migrate(self) -> None:
        """Apply every Alembic migration up to the single head to this database."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        cfg.set_main_option("path_separator", "os")
        cfg.attributes["connection_url"] = self.url
        command.upgrade(cfg, "head")

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
        if self.write_engine is not self.engine:
            self.write_engine.dispose()
