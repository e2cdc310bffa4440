"""The database going away (PostgreSQL refusing connections), then back: JSON 503s and `unavailable` acks,
one log line each way, no traceback, nothing to restart. Before: Flask's HTML 500 page, and a traceback
per request and per command."""
from __future__ import annotations

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
            finally:
                set_connections(name, True)

            # Back at the next request: nothing restarted.
            assert host.call("vote_configure", {"op_id": op_id(), "budget": 2, "cap": 1}, timeout=30)["ok"]
            assert requests.get(f"{server.url}/api/boards/{code}", timeout=30).status_code == 200
            host.close()
            log = server.log_path.read_text(errors="replace")[log_start:]
            assert "Traceback" not in log, log[-3000:]
            assert log.count("database unreachable") == 1 and log.count("database back") == 1, log
        finally:
            server.stop()
