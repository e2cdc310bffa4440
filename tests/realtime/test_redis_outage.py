"""Redis going away in scale-out, and coming back: two processes, a Redis of the test's own, killed mid-burst.

While it is away: HTTP lookups and joins are a JSON `503 unavailable` with `Retry-After` (not Flask's
HTML 500), every socket is closed so its client reconnects, and reconnects are refused `unavailable`
with `retry_after` (not "Connection rejected by server"); pages still load. When it is back, without a
restart: connects are accepted again, `sync` repairs every gap from the database (the acked commands
whose broadcasts Redis never carried), a command resent with its op_id is applied once, broadcasts
cross processes again, presence is right. Each process logs a bounded number of lines, no traceback.
"""
from __future__ import annotations

import threading
import time
import uuid

import pytest
import requests

from tests.conftest import fresh_pg_database
from tests.support.clients import op_id
from tests.support.raw_client import RawClosed, RawSocket
from tests.support.redis_server import RedisProcess
from tests.support.server import ServerProcess, create_board, join_board

RECOVERY_LIMIT_S = 30
MAX_LOG_LINES = 8  # per process, for the whole outage


@pytest.fixture
def outage_cluster(tmp_path):
    redis_process = RedisProcess(tmp_path).start()
    env = {"REDIS_URL": redis_process.url, "SNOWBALL_REDIS_CHANNEL": f"outage-{uuid.uuid4().hex[:8]}",
           "SNOWBALL_PRESENCE_TTL": "6"}
    with fresh_pg_database() as url:
        a = ServerProcess(url, env=env, log_dir=tmp_path).start()
        b = ServerProcess(url, env=env, log_dir=tmp_path).start()
        try:
            yield redis_process, a, b
        finally:
            a.stop()
            b.stop()
            redis_process.kill()


def connected(server, code: str, token: str, since: int | None = None) -> tuple[RawSocket, dict]:
    sock = RawSocket(server.url)
    ok, refusal = sock.connect({"board": code, "token": token})
    assert ok, refusal
    return sock, sock.call("sync", {} if since is None else {"since": since})


def read_until_closed(sock: RawSocket, timeout: float = 15) -> None:
    """Keep what arrives until the server closes the socket (raises if it does not within `timeout`)."""
    deadline = time.monotonic() + timeout
    with pytest.raises(RawClosed):
        while True:
            sock._keep(sock.recv_packet(max(0.1, deadline - time.monotonic())))


def seqs_of(sock: RawSocket) -> list[int]:
    return [data["seq"] for name, data in sock.events if name == "event"]


def log_since(server, offset: int) -> str:
    return server.log_path.read_text(errors="replace")[offset:]


def test_redis_killed_mid_burst_and_back_without_a_restart(outage_cluster):
    redis_process, a, b = outage_cluster
    created = create_board(a.url)
    code, host_token = created["board"]["code"], created["facilitator_token"]
    ana = join_board(a.url, code, "Ana")
    bruno = join_board(b.url, code, "Bruno")
    host, _ = connected(a, code, host_token)
    watcher, first = connected(b, code, bruno["token"])
    assert host.call("vote_configure", {"op_id": op_id(), "budget": 2, "cap": 1})["ok"]
    deadline = time.monotonic() + 10
    while not seqs_of(watcher):  # the broadcast crossed from A to B through Redis
        watcher._keep(watcher.recv_packet(max(0.1, deadline - time.monotonic())))

    # The facilitator changes the vote settings again and again; Redis is killed after ten acks.
    acked: list[int] = []
    unanswered: list[dict] = []
    ten_acked = threading.Event()

    def burst():
        for n in range(400):
            payload = {"op_id": op_id(), "budget": 1 + n % 5, "cap": 1}
            try:
                ack = host.call("vote_configure", payload, timeout=10)
            except (RawClosed, TimeoutError, OSError):
                unanswered.append(payload)
                return
            assert ack["ok"] or ack["error"]["code"] == "rate_limited", ack
            if ack["ok"]:
                acked.append(ack["seq"])
            if len(acked) >= 10:
                ten_acked.set()

    offsets = {}
    sender = threading.Thread(target=burst, daemon=True)
    sender.start()
    assert ten_acked.wait(30)
    offsets = {p: len(p.log_path.read_text(errors="replace")) for p in (a, b)}
    redis_process.kill()
    killed_at = time.monotonic()

    # Every socket is closed by its server: clients reconnect.
    read_until_closed(watcher)
    sender.join(30)
    assert not sender.is_alive() and len(unanswered) <= 1
    closed_after = time.monotonic() - killed_at

    # Meanwhile: JSON 503 `unavailable` with Retry-After for lookups and joins; refused connects say the same.
    for server in (a, b):
        for response in (requests.get(f"{server.url}/api/boards/{code}", timeout=10),
                         requests.post(f"{server.url}/api/boards/{code}/join", json={"name": "Late"}, timeout=10)):
            assert response.status_code == 503 and response.headers["Content-Type"].startswith("application/json")
            error = response.json()["error"]
            assert error["code"] == "unavailable" and error["params"]["dependency"] == "redis", error
            assert int(response.headers["Retry-After"]) == error["params"]["retry_after"] >= 1
        sock = RawSocket(server.url)
        try:
            ok, refusal = sock.connect({"board": code, "token": ana["token"]})
        finally:
            sock.close()
        assert not ok and refusal["data"]["code"] == "unavailable" and refusal["data"]["params"]["retry_after"] >= 1
        page = requests.get(f"{server.url}/b/{code}", timeout=10)
        assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]

    redis_process.start()  # back on the same port, empty
    back_at = time.monotonic()

    # Both processes accept sockets again, without a restart.
    def reconnect(server, token: str, since: int | None):
        deadline = time.monotonic() + RECOVERY_LIMIT_S
        while True:
            sock = RawSocket(server.url)
            ok, answer = sock.connect({"board": code, "token": token})
            if ok:
                return sock, sock.call("sync", {} if since is None else {"since": since})
            sock.close()
            assert answer["data"]["code"] == "unavailable", answer
            assert time.monotonic() < deadline, f"still refused {RECOVERY_LIMIT_S} s after Redis came back"

    live_before = set(seqs_of(watcher))  # what reached Bruno live before his socket was closed
    bruno_seen = max(live_before | {first["seq"]})
    watcher.close()
    host.close()
    watcher, repair = reconnect(b, bruno["token"], bruno_seen)
    recovered_after = time.monotonic() - back_at
    host, _ = reconnect(a, host_token, None)

    # Gap repair from the database: every acked command, in order, none missing.
    repaired = [frame["seq"] for frame in repair["events"]]
    assert repaired == list(range(bruno_seen + 1, repair["seq"] + 1))
    assert set(acked) <= live_before | set(repaired)
    # The command whose ack the outage swallowed is applied once when resent with its op_id.
    for payload in unanswered:
        again = host.call("vote_configure", payload)
        assert again["ok"], again
        assert host.call("vote_configure", payload)["seq"] == again["seq"]
    # Broadcasts cross processes again, live; presence is right on both.
    watcher.events.clear()
    posted = host.call("vote_configure", {"op_id": op_id(), "budget": 3, "cap": 1})
    assert posted["ok"]
    deadline = time.monotonic() + 10
    while posted["seq"] not in seqs_of(watcher):
        watcher._keep(watcher.recv_packet(max(0.1, deadline - time.monotonic())))
    assert bruno["participant"]["id"] in host.call("sync", {"since": posted["seq"]})["online"]
    assert requests.get(f"{a.url}/api/boards/{code}", timeout=10).status_code == 200
    assert requests.post(f"{b.url}/api/boards/{code}/join", json={"name": "Late"}, timeout=10).status_code == 201
    watcher.close()
    host.close()

    for server in (a, b):
        lines = [line for line in log_since(server, offsets[server]).splitlines() if line.strip()]
        assert not any("Traceback" in line for line in lines), "\n".join(lines[-40:])
        assert len(lines) <= MAX_LOG_LINES, "\n".join(lines)
    print(f"\nacked before the close: {len(acked)}, unanswered: {len(unanswered)}; sockets closed "
          f"{closed_after:.1f} s after the kill; accepted again {recovered_after:.1f} s after Redis came back; "
          f"log lines: {[len(log_since(s, offsets[s]).splitlines()) for s in (a, b)]}")
