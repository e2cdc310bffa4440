"""/healthz (database, and Redis when configured) and /metrics (Prometheus text, only with the operator's token)."""
from __future__ import annotations

import pytest
import requests

from tests.support.server import ServerProcess, free_port


def test_metrics_do_not_exist_without_a_token(make_app):
    http = make_app().test_client()
    assert http.get("/metrics").status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Bearer s3cret-but-longer", "s3cret", "Basic s3cret"])
def test_metrics_refuse_a_missing_or_wrong_token(make_app, header):
    http = make_app(metrics_token="s3cret").test_client()
    response = http.get("/metrics", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert b"snowball_" not in response.data


def test_metrics_with_the_token_list_what_operators_watch(make_app):
    app = make_app(metrics_token="s3cret")
    http = app.test_client()
    assert http.post("/api/boards/NOSUCH/join", json={"name": "Ana"}).status_code == 404  # one rejection
    response = http.get("/metrics", headers={"Authorization": "Bearer s3cret"})
    assert response.status_code == 200 and response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    for name in ("snowball_connections", "snowball_boards_active", "snowball_commands_total", "snowball_rejections_total",
                 "snowball_ack_seconds", "snowball_fanout_seconds", "snowball_outbox_drops_total",
                 "snowball_event_loop_lag_seconds", "snowball_db_pool_wait_seconds_bucket"):
        assert name in body, name
    assert 'snowball_rejections_total{code="board_not_found"}' in body
    assert 'snowball_db_pool_wait_seconds_count{kind="read"}' in body


def test_the_socket_gauges_count_what_the_realtime_layer_holds(make_app):
    # metrics imports no transport: the wiring tells it how to count the sockets, so check it counts them.
    from server.realtime.hub import socketio

    app = make_app(metrics_token="s3cret")
    http = app.test_client()
    code = http.post("/api/boards", json={"title": "Atelier"}).get_json()["board"]["code"]
    ana = http.post(f"/api/boards/{code}/join", json={"name": "Ana"}).get_json()

    def gauge(name: str) -> float:
        body = http.get("/metrics", headers={"Authorization": "Bearer s3cret"}).get_data(as_text=True)
        return float(next(line.split()[1] for line in body.splitlines() if line.startswith(name + " ")))

    assert (gauge("snowball_connections"), gauge("snowball_boards_active")) == (0, 0)
    client = socketio.test_client(app, auth={"board": code, "token": ana["token"]})
    try:
        assert client.is_connected()
        assert (gauge("snowball_connections"), gauge("snowball_boards_active")) == (1, 1)
    finally:
        client.disconnect()
    assert gauge("snowball_connections") == 0


@pytest.fixture
def server_with_redis(sqlite_url):
    """A real server process with REDIS_URL set: a Redis message queue must never be configured in the
    pytest process itself (the Socket.IO server is process-wide: later in-process apps would inherit it)."""
    started = []

    def start(redis_url: str, healthy: bool = True) -> ServerProcess:
        server = ServerProcess(sqlite_url, env={"REDIS_URL": redis_url,
                                                "SNOWBALL_REDIS_CHANNEL": f"snowball-test-healthz-{free_port()}"})
        started.append(server)
        return server.start(healthy=healthy)

    yield start
    for server in started:
        server.stop()


def test_healthz_says_redis_is_unreachable(server_with_redis):
    # Nothing listens on this loopback port: the check must fail fast with 503, not hang.
    server = server_with_redis(f"redis://127.0.0.1:{free_port()}/0", healthy=False)
    response = requests.get(f"{server.url}/healthz", timeout=10)
    assert response.status_code == 503
    assert response.json() == {"ok": False, "database": "ok", "redis": "unreachable"}


def test_healthz_checks_redis_when_configured(server_with_redis, redis_url):
    server = server_with_redis(redis_url)
    response = requests.get(f"{server.url}/healthz", timeout=10)
    assert response.status_code == 200
    assert response.json() == {"ok": True, "database": "ok", "redis": "ok"}
