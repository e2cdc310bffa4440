"""`snowball backup`: a consistent copy of the SQLite database, taken while a server process keeps writing."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from tests.support.server import ServerProcess, create_board

ROOT = Path(__file__).resolve().parents[2]


def _cli(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "server.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "DATABASE_URL": url})


def test_backup_while_the_server_writes_is_a_whole_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    # (board creation is rate-limited per address: this one writer on 127.0.0.1 is spared)
    server = ServerProcess(url, env={"SNOWBALL_RATE_LIMIT_EXEMPT": "127.0.0.1"}, log_dir=tmp_path).start()
    stop, made = threading.Event(), []

    def keep_creating() -> None:
        while not stop.is_set() and len(made) < 200:
            made.append(create_board(server.url, title=f"Board {len(made)}")["board"]["code"])

    writer = threading.Thread(target=keep_creating, daemon=True)
    try:
        writer.start()
        while len(made) < 5:
            writer.join(0.05)  # waiting for the writer thread's first boards
        done = _cli(url, "backup", str(tmp_path / "copy.sqlite3"))
        stop.set()
        writer.join(30)
    finally:
        server.stop()
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(tmp_path / "copy.sqlite3") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        codes = {row[0] for row in copy.execute("SELECT code FROM boards")}
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file, no -wal beside it
    assert set(made[:5]) <= codes <= set(made)
    listed = _cli(f"sqlite:///{tmp_path / 'copy.sqlite3'}", "boards")
    assert listed.returncode == 0 and made[0] in listed.stdout


def test_backup_refuses_to_overwrite_and_refuses_postgresql(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    assert _cli(url, "boards").returncode == 0  # creates and migrates it
    (tmp_path / "taken.sqlite3").write_bytes(b"keep me")
    done = _cli(url, "backup", str(tmp_path / "taken.sqlite3"))
    assert done.returncode == 2 and "already exists" in done.stderr
    assert (tmp_path / "taken.sqlite3").read_bytes() == b"keep me"
    done = _cli("postgresql+psycopg://nobody@127.0.0.1:1/none", "backup", str(tmp_path / "pg.sqlite3"))
    assert done.returncode == 2 and "pg_dump" in done.stderr
    assert not (tmp_path / "pg.sqlite3").exists()
