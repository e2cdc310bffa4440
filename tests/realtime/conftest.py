"""Fixtures shared by the real-server tests of this folder."""
from __future__ import annotations

import pytest

from tests.conftest import fresh_pg_database
from tests.support.server import ServerProcess


@pytest.fixture(params=["sqlite", "postgresql"])
def restartable(request, tmp_path):
    """A server whose clients always get a replay (never a snapshot) when they resync, on SQLite or a fresh
    PostgreSQL database: kill, drain and restart tests check the log, not a snapshot."""
    env = {"SNOWBALL_REPLAY_LIMIT": "100000"}
    if request.param == "sqlite":
        process = ServerProcess(f"sqlite:///{tmp_path / 'restartable.sqlite3'}", env=env, log_dir=tmp_path)
        yield process.start()
        process.stop()
    else:
        with fresh_pg_database() as url:
            process = ServerProcess(url, env=env, log_dir=tmp_path)
            yield process.start()
            process.stop()
