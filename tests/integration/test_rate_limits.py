"""Rate limits per client address and per connection, in process (HTTP through the Flask test client).

A fake clock drives the `limits` memory storage, so minute and hour windows are crossed without waiting.
The socket side (connects, commands, syncs, floods) runs on a real server in test_rate_limits_sockets.py.
"""
from __future__ import annotations

import time as _real_time

import limits.storage.memory
import pytest

from server.domain.codes import ALPHABET
from server.domain.errors import DomainError
from server.protection import rate_limits
from tests.support.clients import op_id

ROOM = "203.0.113.10"      # one conference room behind one public address
OTHER = "198.51.100.7"     # somebody else


class FakeClock:
    """Stands in for the `time` module inside the limits storage and rate_limits."""

    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:  # waits for a lookup slot run on the real clock
        return _real_time.monotonic()

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(limits.storage.memory, "time", fake)
    monkeypatch.setattr(rate_limits, "time", fake)
    rate_limits.configure(None)
    yield fake
    rate_limits.configure(None)


def client_from(app, address: str):
    """A test client whose requests come from `address`."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def create(http) -> dict:
    response = http.post("/api/boards", json={"title": "Atelier", "language": "fr"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def wrong_code(right: str, n: int) -> str:
    """A well-formed board code that is not `right` (so the lookup really reaches the database)."""
    code = "".join(ALPHABET[(n // len(ALPHABET) ** i) % len(ALPHABET)] for i in range(6))
    return code if code != right else code[::-1]


def assert_limited(response, scope: str, limit: str) -> None:
    assert response.status_code == 429, response.get_data(as_text=True)[:200]
    error = response.get_json()["error"]
    assert error["code"] == "rate_limited"
    assert error["params"]["scope"] == scope and error["params"]["limit"] == limit
    assert int(response.headers["Retry-After"]) == error["params"]["retry_after"] >= 1


# -- the limit logic -----------------------------------------------------------------------------------
@pytest.mark.parametrize("kind, per_minute", [
    ("connects", 600), ("lookups", 600), ("joins", 300), ("rejoins", 60), ("board_creates", 20), ("downloads", 300),
])
def test_each_per_address_limit_lets_exactly_its_figure_through_per_minute(clock, kind, per_minute):
    for _ in range(per_minute):
        rate_limits.check_address(kind, ROOM)
    with pytest.raises(DomainError) as refused:
        rate_limits.check_address(kind, ROOM)
    assert refused.value.code == "rate_limited"
    assert refused.value.params["limit"] == f"{per_minute} per 1 minute"
    assert refused.value.params["scope"] == f"{kind}_per_address"
    assert 1 <= refused.value.params["retry_after"] <= 60
    rate_limits.check_address(kind, OTHER)  # another address has its own budget
    clock.advance(61)
    rate_limits.check_address(kind, ROOM)


def test_failed_lookups_30_a_minute_and_300_an_hour(clock):
    allowed = 0
    for minute in range(12):
        for _ in range(40):
            try:
                rate_limits.check_guess_budget(ROOM)
            except DomainError as refused:
                assert refused.code == "rate_limited" and refused.params["scope"] == "failed_lookups_per_address"
                break
            rate_limits.record_failed_lookup(ROOM)
            allowed += 1
        clock.advance(61)
        if minute < 9:
            assert allowed == 30 * (minute + 1)
    assert allowed == 300  # the hour's budget is spent after ten minutes of guessing
    with pytest.raises(DomainError) as refused:
        rate_limits.check_guess_budget(ROOM)
    assert refused.value.params["limit"] == "300 per 1 hour"
    clock.advance(3600)
    rate_limits.check_guess_budget(ROOM)


def test_a_refusal_by_the_minute_limit_counts_nothing(clock):
    """Hammering while refused does not push the next minute's budget further away."""
    for _ in range(300):
        rate_limits.check_address("joins", ROOM)
    for _ in range(10):
        with pytest.raises(DomainError):
            rate_limits.check_address("joins", ROOM)
    clock.advance(61)
    for _ in range(300):
        rate_limits.check_address("joins", ROOM)


def test_concurrent_right_lookups_wait_for_a_slot_and_are_never_refused(clock):
    """30 lookups in flight: the 31st waits for one of them to end, then goes through (not refused)."""
    import threading
    from contextlib import ExitStack

    entered = threading.Event()
    outcome: list[str] = []

    def thirty_first():
        try:
            with rate_limits.code_lookup(ROOM):
                entered.set()
                outcome.append("answered")
        except DomainError as exc:
            outcome.append(exc.code)

    with ExitStack() as in_flight:
        for _ in range(30):
            in_flight.enter_context(rate_limits.code_lookup(ROOM))
        waiter = threading.Thread(target=thirty_first)
        waiter.start()
        assert not entered.wait(0.5), "a 31st lookup ran while 30 were in flight"
    waiter.join(10)
    assert outcome == ["answered"]
    # They all ended well (right codes): nothing was spent; 200 more in a row are all answered.
    for _ in range(200):
        with rate_limits.code_lookup(ROOM):
            pass


def test_concurrent_wrong_guesses_cannot_overshoot_the_budget(clock):
    """60 wrong guesses from 60 threads at once: exactly 30 reach the database, 30 are refused."""
    import threading

    start = threading.Barrier(60)
    outcome: list[str] = []
    lock = threading.Lock()

    def guess():
        start.wait()
        try:
            with rate_limits.code_lookup(ROOM):
                raise DomainError("board_not_found", "no board has this code")
        except DomainError as exc:
            with lock:
                outcome.append(exc.code)

    threads = [threading.Thread(target=guess) for _ in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcome.count("board_not_found") == 30 and outcome.count("rate_limited") == 30
    with pytest.raises(DomainError) as refused:
        with rate_limits.code_lookup(ROOM):
            pass
    assert refused.value.code == "rate_limited"


def test_client_address_behind_trusted_proxies():
    environ = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.10"}
    rate_limits.configure(None, trusted_proxies=0)
    assert rate_limits.client_address(environ) == "10.0.0.2"  # no proxy trusted: the header is anyone's
    rate_limits.configure(None, trusted_proxies=1)
    assert rate_limits.client_address(environ) == "203.0.113.10"  # what our one proxy saw, not what the client claims
    assert rate_limits.client_address({"REMOTE_ADDR": "10.0.0.2"}) == "10.0.0.2"
    rate_limits.configure(None)


def test_exempt_addresses_skip_the_per_address_limits_only(clock):
    rate_limits.configure(None, exempt=frozenset({"127.0.0.1"}))
    for _ in range(400):
        rate_limits.check_address("joins", "127.0.0.1")
        rate_limits.record_failed_lookup("127.0.0.1")
    rate_limits.check_guess_budget("127.0.0.1")
    with pytest.raises(DomainError):
        for _ in range(31):
            rate_limits.check_command("some-sid")  # per-connection limits still hold
    rate_limits.configure(None)


def test_redis_storage_is_shared_by_every_process(redis_url):
    """Two limiters on one Redis (as two server processes) spend one budget."""
    address = f"192.0.2.{op_id()[:6]}"  # unique per run: Redis keeps the counts for an hour
    try:
        rate_limits.configure(redis_url)
        for _ in range(30):
            rate_limits.check_guess_budget(address)
            rate_limits.record_failed_lookup(address)
        rate_limits.configure(redis_url)  # a fresh limiter, as another process has
        with pytest.raises(DomainError) as refused:
            rate_limits.check_guess_budget(address)
        assert refused.value.params["limit"] == "30 per 1 minute"
    finally:
        rate_limits.configure(None)


def test_proxy_and_exempt_settings_come_from_the_environment(monkeypatch):
    from server.config import Settings

    monkeypatch.setenv("SNOWBALL_TRUSTED_PROXIES", "1")
    monkeypatch.setenv("SNOWBALL_RATE_LIMIT_EXEMPT", " 127.0.0.1, ::1 ,")
    settings = Settings()
    assert settings.trusted_proxies == 1
    assert settings.rate_limit_exempt == frozenset({"127.0.0.1", "::1"})
    monkeypatch.delenv("SNOWBALL_TRUSTED_PROXIES")
    monkeypatch.delenv("SNOWBALL_RATE_LIMIT_EXEMPT")
    assert Settings().trusted_proxies == 0 and Settings().rate_limit_exempt == frozenset()


def test_per_connection_limits_stay_in_process_memory_in_scale_out(redis_url):
    """A socket lives on one process: its command, sync and drag budgets never cost a Redis round trip."""
    import redis

    sid = f"sid-{op_id()}"
    client = redis.Redis.from_url(redis_url)
    try:
        rate_limits.configure(redis_url)
        for _ in range(30):
            rate_limits.check_command(sid)
        assert rate_limits.allow_ephemeral(sid)
        rate_limits.check_sync(sid)
        with pytest.raises(DomainError) as refused:
            rate_limits.check_command(sid)
        assert refused.value.params["scope"] == "commands_per_connection"
        assert client.keys(f"*{sid}*") == []
    finally:
        client.close()
        rate_limits.configure(None)


# -- over HTTP -------------------------------------------------------------------------------------------
def test_a_room_of_150_on_one_address_joins_within_a_minute(make_app, clock):
    app = make_app()
    host = create(client_from(app, ROOM))
    code = host["board"]["code"]
    room = client_from(app, ROOM)
    for n in range(150):
        assert room.get(f"/api/boards/{code.lower()}").status_code == 200     # the join page's lookup
        assert room.get(f"/b/{code}/qr.svg").status_code == 200
        joined = room.post(f"/api/boards/{code}/join", json={"name": f"Person {n}", "op_id": op_id()})
        assert joined.status_code == 201, joined.get_json()
        if n < 10:  # a few typos on the way
            assert room.get(f"/api/boards/{wrong_code(code, n)}").status_code == 404
        clock.advance(0.3)  # 150 people in 45 seconds
    # And the same room again within the minute (say, everyone on a second device).
    for n in range(150):
        assert room.post(f"/api/boards/{code}/join", json={"name": f"Again {n}"}).status_code == 201
    assert_limited(room.post(f"/api/boards/{code}/join", json={"name": "One too many"}), "joins_per_address", "300 per 1 minute")
    assert client_from(app, OTHER).post(f"/api/boards/{code}/join", json={"name": "Elsewhere"}).status_code == 201


def test_wrong_codes_on_every_code_route_spend_one_budget_then_every_lookup_is_refused(make_app, clock):
    app = make_app()
    host = create(client_from(app, OTHER))
    code = host["board"]["code"]
    guesser = client_from(app, ROOM)
    auth = {"Authorization": f"Bearer {host['facilitator_token']}"}
    probes = [
        lambda c: guesser.get(f"/api/boards/{c}"),
        lambda c: guesser.post(f"/api/boards/{c}/join", json={"name": "Mallory"}),
        lambda c: guesser.post(f"/api/boards/{c}/rejoin", json={"rejoin_code": "ACDEFGHJ"}),
        lambda c: guesser.get(f"/b/{c}/qr.svg"),
        lambda c: guesser.get(f"/api/boards/{c}/exports/summary.md", headers=auth),
    ]
    for n in range(30):
        assert probes[n % len(probes)](wrong_code(code, n)).status_code == 404
    # A wrong personal code on the right board is a wrong guess too (and the 31st here).
    for probe in probes:
        assert_limited(probe(code), "failed_lookups_per_address", "30 per 1 minute")  # right code, refused alike
    assert_limited(guesser.post(f"/api/boards/{code}/rejoin", json={"rejoin_code": "ACDEFGHJ"}),
                   "failed_lookups_per_address", "30 per 1 minute")
    # Pages answer every code alike: never refused, never counted.
    assert guesser.get(f"/b/{code}").status_code == 200
    assert client_from(app, OTHER).get(f"/api/boards/{code}").status_code == 200
    clock.advance(61)
    assert guesser.get(f"/api/boards/{code}").status_code == 200


def test_a_wrong_personal_code_counts_as_a_wrong_guess(make_app, clock):
    app = make_app()
    code = create(client_from(app, OTHER))["board"]["code"]
    guesser = client_from(app, ROOM)
    for n in range(30):
        response = guesser.post(f"/api/boards/{code}/rejoin", json={"rejoin_code": wrong_code("", n) + "AC"})
        assert response.status_code == 400 and response.get_json()["error"]["code"] == "rejoin_code_unknown"
    assert_limited(guesser.get(f"/api/boards/{code}"), "failed_lookups_per_address", "30 per 1 minute")


def test_right_codes_do_not_spend_the_guess_budget(make_app, clock):
    app = make_app()
    code = create(client_from(app, OTHER))["board"]["code"]
    room = client_from(app, ROOM)
    for _ in range(200):
        assert room.get(f"/api/boards/{code}").status_code == 200
    for n in range(29):
        assert room.get(f"/api/boards/{wrong_code(code, n)}").status_code == 404
    assert room.get(f"/api/boards/{code}").status_code == 200


def test_board_creation_and_import_share_a_budget(make_app, clock):
    app = make_app()
    maker = client_from(app, ROOM)
    for _ in range(20):
        create(maker)
    assert_limited(maker.post("/api/boards", json={"title": "More"}), "board_creates_per_address", "20 per 1 minute")
    assert_limited(maker.post("/api/boards/import", json={}), "board_creates_per_address", "20 per 1 minute")
    create(client_from(app, OTHER))
