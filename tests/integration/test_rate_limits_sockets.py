"""Rate limits on a real server: a room on one address gets in; guessers and floods get `rate_limited`.

Every client here comes from 127.0.0.1, like a room behind one public address. Each test starts its
own server, so its counts start at zero.
"""
from __future__ import annotations

import threading
import time

import requests

from server.domain.codes import ALPHABET
from tests.support.clients import BoardClient, op_id
from tests.support.raw_client import RawSocket
from tests.support.server import create_board, join_board


def wrong_code(right: str, n: int) -> str:
    code = "".join(ALPHABET[(n // len(ALPHABET) ** i) % len(ALPHABET)] for i in range(6))
    return code if code != right else code[::-1]


def burst(client: BoardClient, name: str, payloads: list[dict], timeout: float = 30) -> list[dict]:
    """Emit every payload at once (no waiting between them); the acks in sending order."""
    acks: list[dict | None] = [None] * len(payloads)
    done = threading.Semaphore(0)

    def keep(index: int):
        def callback(ack=None):
            acks[index] = ack
            done.release()
        return callback

    for index, payload in enumerate(payloads):
        client.sio.emit(name, payload, callback=keep(index))
    deadline = time.monotonic() + timeout
    for _ in payloads:
        assert done.acquire(timeout=max(0.1, deadline - time.monotonic())), "an ack never came"
    return acks


def test_a_room_of_150_connects_and_wrong_board_codes_close_the_door_for_everyone_there(server):
    created = create_board(server.url)
    code = created["board"]["code"]
    started = time.monotonic()
    http = requests.Session()
    for n in range(150):
        assert http.get(f"{server.url}/api/boards/{code}", timeout=10).status_code == 200
        token = http.post(f"{server.url}/api/boards/{code}/join", json={"name": f"P{n}"}, timeout=10).json()["token"]
        raw = RawSocket(server.url)
        try:
            assert raw.connect({"board": code, "token": token}) [0], f"person {n} refused"
        finally:
            raw.close()
    room_s = time.monotonic() - started
    print(f"\n150 lookups + joins + socket connects from one address in {room_s:.1f} s")
    assert room_s < 60

    # Someone in the room guesses board codes over the socket: 30 wrong codes...
    for n in range(30):
        raw = RawSocket(server.url)
        try:
            ok, refusal = raw.connect({"board": wrong_code(code, n), "token": "x"})
            assert not ok and refusal["data"]["code"] == "board_not_found", refusal
        finally:
            raw.close()
    # ...then every code lookup from that address is refused, over the socket and over HTTP alike.
    raw = RawSocket(server.url)
    try:
        ok, refusal = raw.connect({"board": code, "token": created["facilitator_token"]})
    finally:
        raw.close()
    error = refusal["data"]
    assert not ok and error["code"] == "rate_limited", refusal
    assert error["params"]["scope"] == "failed_lookups_per_address" and error["params"]["limit"] == "30 per 1 minute"
    refused = http.get(f"{server.url}/api/boards/{code}", timeout=10)
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) >= 1


def test_a_burst_of_concurrent_wrong_codes_gets_no_more_than_the_budget(server):
    """100 wrong lookups fired at once from 20 threads: at most 30 are answered, the rest refused."""
    code = create_board(server.url)["board"]["code"]
    statuses: list[int] = []
    lock = threading.Lock()

    def guess(start: int) -> None:
        with requests.Session() as http:
            for n in range(start, 100, 20):
                status = http.get(f"{server.url}/api/boards/{wrong_code(code, n)}", timeout=30).status_code
                with lock:
                    statuses.append(status)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(statuses) == 100 and set(statuses) <= {404, 429}
    assert statuses.count(404) == 30, statuses.count(404)


def test_floods_on_one_connection_get_rate_limited_acks_and_the_server_keeps_serving(server):
    created = create_board(server.url)
    code = created["board"]["code"]
    host = BoardClient(server.url, code, created["facilitator_token"])
    host.connect()
    other = BoardClient(server.url, code, join_board(server.url, code, "Neighbour")["token"])
    other.connect()
    try:
        head = host.sync(None)["seq"]

        # 60 changes at once: 30 a second get through, the rest are refused naming the limit. On a loaded
        # machine the burst can take longer than the one-second window: the bound grows with the time it took.
        started = time.monotonic()
        acks = burst(host, "vote_configure", [{"op_id": op_id(), "budget": 1 + n % 5, "cap": 1} for n in range(60)])
        took = time.monotonic() - started
        accepted = [a for a in acks if a["ok"]]
        refused = [a for a in acks if not a["ok"]]
        assert 1 <= len(accepted) <= 30 * (1 + took) and len(accepted) + len(refused) == 60, took
        assert refused or took >= 1, f"60 commands in {took:.2f} s and none refused"
        assert {a["error"]["code"] for a in refused} == {"rate_limited"}
        assert {a["error"]["params"]["limit"] for a in refused} == {"30 per 1 second"}
        # Exactly the accepted ones are in the log, once each.
        assert sorted(a["seq"] for a in accepted) == list(range(head + 1, head + 1 + len(accepted)))
        assert other.call("sync", {"since": head})["seq"] == head + len(accepted)

        # Made-up events and syncs flood the same way.
        unknown = burst(other, "no_such_event", [{"n": n} for n in range(40)])
        assert {a["error"]["code"] for a in unknown} == {"unknown_event", "rate_limited"}
        syncs = burst(host, "sync", [{"since": head} for _ in range(12)])
        limited = [a for a in syncs if not a["ok"]]
        assert limited and {a["error"]["params"]["limit"] for a in limited} <= {"5 per 1 second", "30 per 1 second"}
        assert {a["error"]["params"]["scope"] for a in limited} == {"syncs_per_connection"}

        # A neighbour on their own connection is not refused: the limits are per connection.
        neighbour = BoardClient(server.url, code, join_board(server.url, code, "Neighbour 2")["token"])
        neighbour.connect()
        ack = neighbour.command("project_post", project={"title": "Still here", "pitch": "Unbothered"})
        neighbour.disconnect()
        assert ack["ok"], ack
        # And the flooder gets through again once its second has passed (polling the server, not sleeping blind).
        deadline = time.monotonic() + 10
        while True:
            ack = host.command("vote_configure", budget=3, cap=1)
            if ack["ok"] or time.monotonic() > deadline:
                break
        assert ack["ok"], ack
    finally:
        host.disconnect()
        other.disconnect()
