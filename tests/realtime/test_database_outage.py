"""The database going away (PostgreSQL refusing connections, or a SQLite file locked by another
process), then back: JSON 503s and `unavailable` acks, one log line each way however many requests
failed, no traceback, nothing to restart: the sockets open during the outage work again and a client
refused meanwhile connects. Before: Flask's HTML 500 page, and a traceback per request and per command."""
from __future__ import annotations

import sqlite3

import requests

from tests.conftest import _pg_admin_connect, fresh_pg_database
from tests.support.clients import op_id
from tests.support.raw_client import RawSocket
from tests.support.server import ServerProcess, create_board


def set_connections(database: str, allowed: bool) -> None:
    """Let connections to `database` in or not; when not, end the ones it has (an outage, as the server sees it)."""
    with _pg_admin_connect() as admin:
        admin.execute(f'ALTER DATABASE "{database}" WITH ALLOW_CONNECTIONS {str(allowed).lower()}')
        if not allowed:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (database,))


def assert_unavailable(response) -> None:
    assert response.status_code == 503 and response.headers["Content-Type"].startswith("application/json"), response.text[:200]
    error = response.json()["error"]
    assert error["code"] == "unavailable" and error["params"]["dependency"] == "database", error
    assert int(response.headers["Retry-After"]) == error["params"]["retry_after"] >= 1


def test_postgresql_refusing_connections_then_back(tmp_path):
    with fresh_pg_database() as url:
        name = url.rsplit("/", 1)[1]
        server = ServerProcess(url, log_dir=tmp_path).start()
        try:
            created = create_board(server.url)
            code, token = created["board"]["code"], created["facilitator_token"]
            host = RawSocket(server.url)
            assert host.connect({"board": code, "token": token})[0]
            log_start = len(server.log_path.read_text(errors="replace"))

            set_connections(name, False)
            try:
                assert_unavailable(requests.get(f"{server.url}/api/boards/{code}", timeout=30))
                assert_unavailable(requests.get(f"{server.url}/healthz", timeout=30))
                assert_unavailable(requests.post(f"{server.url}/api/boards/{code}/join", json={"name": "Late"}, timeout=30))
                ack = host.call("vote_configure", {"op_id": op_id(), "budget": 2, "cap": 1}, timeout=30)
                assert ack["ok"] is False and ack["error"]["code"] == "unavailable", ack
                refused = RawSocket(server.url)
                try:
                    ok, refusal = refused.connect({"board": code, "token": token})
                finally:
                    refused.close()
                assert not ok and refusal["data"]["code"] == "unavailable", refusal
                for _ in range(10):  # many failures, still one line
                    assert_unavailable(requests.get(f"{server.url}/api/boards/{code}", timeout=30))
            finally:
                set_connections(name, True)

            # Back at the next request: nothing restarted.
            assert_recovered(server, code, host, token, log_start)
        finally:
            server.stop()


def assert_recovered(server, code: str, host: RawSocket, token: str, log_start: int) -> None:
    """Back at the next request, nothing restarted: a command, a lookup, a resync; one log line each way."""
    assert host.call("vote_configure", {"op_id": op_id(), "budget": 2, "cap": 1}, timeout=30)["ok"]
    assert requests.get(f"{server.url}/api/boards/{code}", timeout=30).status_code == 200
    assert_back(server, code, host, token)
    host.close()
    log = server.log_path.read_text(errors="replace")[log_start:]
    assert "Traceback" not in log, log[-3000:]
    assert log.count("database unreachable") == 1 and log.count("database back") == 1, log


def assert_back(server, code: str, host: RawSocket, token: str) -> None:
    """After the outage: the socket kept open resyncs, a fresh client connects, and a newcomer joins."""
    assert host.call("sync", {}, timeout=30)["ok"]
    again = RawSocket(server.url)
    try:
        ok, refusal = again.connect({"board": code, "token": token})
        assert ok, refusal
        assert again.call("sync", {}, timeout=30)["ok"]
    finally:
        again.close()
    joined = requests.post(f"{server.url}/api/boards/{code}/join", json={"name": "After"}, timeout=30)
    assert joined.status_code in (200, 201), joined.text[:200]


def test_sqlite_locked_by_another_process_then_released(tmp_path):
    path = tmp_path / "locked.sqlite3"
    server = ServerProcess(f"sqlite:///{path}", log_dir=tmp_path, env={"SNOWBALL_SQLITE_BUSY_TIMEOUT": "1"}).start()
    try:
        created = create_board(server.url)
        code, token = created["board"]["code"], created["facilitator_token"]
        host = RawSocket(server.url)
        assert host.connect({"board": code, "token": token})[0]
        log_start = len(server.log_path.read_text(errors="replace"))

        locker = sqlite3.connect(path, isolation_level=None, timeout=5)
        locker.execute("BEGIN EXCLUSIVE")  # a backup or a script holding the write lock
        try:
            assert_unavailable(requests.post(f"{server.url}/api/boards/{code}/join", json={"name": "Late"}, timeout=30))
            ack = host.call("vote_configure", {"op_id": op_id(), "budget": 2, "cap": 1}, timeout=30)
            assert ack["ok"] is False and ack["error"]["code"] == "unavailable", ack
            for _ in range(5):  # many failures, still one line
                assert_unavailable(requests.post(f"{server.url}/api/boards/{code}/join", json={"name": "Late"}, timeout=30))
            # Reads go on under WAL while the file is locked for writing: the board is still shown.
            assert host.call("sync", {}, timeout=30)["ok"]
        finally:
            locker.rollback()
            locker.close()

        assert_recovered(server, code, host, token, log_start)
    finally:
        server.stop()
