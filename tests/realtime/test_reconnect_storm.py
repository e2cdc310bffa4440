"""A whole room behind one address reconnecting at once after a restart is let in; guessing stays bounded.

Real server subprocess on SQLite and on PostgreSQL; 200 participants, all from 127.0.0.1 (one NAT'd
room). After the server restarts, their 200 sockets reconnect at the same instant while 200 board
lookups with the right code arrive too: every one must be answered (before the fix, lookups in flight
counted as wrong guesses: on PostgreSQL most of a room of 120 was refused `rate_limited`). Then 60
concurrent wrong codes: exactly 30 reach the database, the rest are refused, as documented.
"""
from __future__ import annotations

import threading
import time

import requests

from server.domain.codes import ALPHABET
from tests.support.raw_client import RawSocket
from tests.support.server import ServerProcess, create_board, join_board

ROOM = 200
STORM_LIMIT_S = 90  # bounded in time on a shared 2-core machine


def wrong_code(right: str, n: int) -> str:
    code = "".join(ALPHABET[(n // len(ALPHABET) ** i) % len(ALPHABET)] for i in range(6))
    return code if code != right else code[::-1]


def all_at_once(jobs: list) -> list:
    """Run every job in its own thread, released together; their results in order."""
    results: list = [None] * len(jobs)
    start = threading.Barrier(len(jobs))

    def run(index: int, job) -> None:
        start.wait()
        try:
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - reported by the assertions
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, job), daemon=True) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(STORM_LIMIT_S)
    return results


def test_a_room_of_200_on_one_address_reconnects_at_once_after_a_restart(db_url, tmp_path):
    server = ServerProcess(db_url, log_dir=tmp_path).start()
    sockets: list[RawSocket] = []
    try:
        created = create_board(server.url)
        code = created["board"]["code"]
        tokens = [join_board(server.url, code, f"P{n}")["token"] for n in range(ROOM)]
        server.restart()

        def reconnect(token: str):
            def job():
                sock = RawSocket(server.url, timeout=60)
                sockets.append(sock)
                return sock.connect({"board": code, "token": token})
            return job

        def lookup():
            return requests.get(f"{server.url}/api/boards/{code}", timeout=60).status_code

        started = time.monotonic()
        results = all_at_once([reconnect(token) for token in tokens] + [lookup] * ROOM)
        took = time.monotonic() - started
        connects, lookups = results[:ROOM], results[ROOM:]
        refused = [r for r in connects if not (isinstance(r, tuple) and r[0])]
        print(f"\n{ROOM} sockets + {ROOM} lookups from one address after a restart: {took:.1f} s, "
              f"{len(refused)} connects refused, {sum(s != 200 for s in lookups)} lookups not 200")
        assert not refused, refused[:3]
        assert lookups == [200] * ROOM, sorted(set(map(str, lookups)))
        assert took < STORM_LIMIT_S

        # Guessing is still bounded: 60 wrong codes at once, exactly 30 reach the database.
        statuses = all_at_once([lambda n=n: requests.get(f"{server.url}/api/boards/{wrong_code(code, n)}", timeout=60).status_code
                                for n in range(60)])
        assert statuses.count(404) == 30 and statuses.count(429) == 30, statuses
    finally:
        for sock in sockets:
            sock.close()
        server.stop()
    assert "Traceback" not in server.log_path.read_text(errors="replace")
