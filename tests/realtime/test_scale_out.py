"""Scale-out: two server processes on one PostgreSQL database and one Redis channel.

Each test starts its own pair (`python wsgi.py` twice, different ports) on a fresh database and a
Redis channel of its own, so tests never hear each other. Clients are `FailoverBoardClient`s: frames
in seq order, gap repair by `sync`, an outbox, and failover to the other port when their server dies.
"""
from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from dataclasses import dataclass, field

import pytest
import redis
import socketio

from tests.conftest import fresh_pg_database
from tests.support.scale_clients import FailoverBoardClient
from tests.support.clients import BoardClient
from tests.support.server import ServerProcess, create_board, join_board

PRESENCE_TTL_S = 4


@dataclass
class Cluster:
    """Two processes of one deployment and the board they serve."""

    a: ServerProcess
    b: ServerProcess
    channel: str
    redis: redis.Redis
    code: str = ""
    host_token: str = ""
    clients: list[FailoverBoardClient] = field(default_factory=list)

    def participant(self, name: str, first: ServerProcess) -> FailoverBoardClient:
        """Join through `first`, connect to it (failing over to the other one), replay from seq 0."""
        other = self.b if first is self.a else self.a
        joined = join_board(first.url, self.code, name)
        client = FailoverBoardClient([first.url, other.url], self.code, joined["token"])
        client.participant_id = joined["participant"]["id"]
        self.clients.append(client)
        client.connect(since=0)
        return client

    def log(self) -> list[dict]:
        """The server's whole event log, through a fresh client on process A."""
        reader = self.participant(f"reader-{uuid.uuid4().hex[:6]}", self.a)
        return [dict(f) for f in reader.sync(0)["events"]]


@pytest.fixture
def cluster(redis_url, tmp_path):
    """Processes A and B on a fresh PostgreSQL database and a unique Redis channel."""
    channel = f"snowball-test-{uuid.uuid4().hex[:10]}"
    env = {"REDIS_URL": redis_url, "SNOWBALL_REDIS_CHANNEL": channel, "SNOWBALL_PRESENCE_TTL": str(PRESENCE_TTL_S)}
    with fresh_pg_database() as url:
        a = ServerProcess(url, env=env, log_dir=tmp_path).start()   # migrates the database
        b = ServerProcess(url, env=env, log_dir=tmp_path).start()
        r = redis.Redis.from_url(redis_url)
        made = Cluster(a, b, channel, r)
        created = create_board(a.url, "Festival")
        made.code, made.host_token = created["board"]["code"], created["facilitator_token"]
        try:
            yield made
        finally:
            for client in made.clients:
                client.disconnect()
            for process in (a, b):
                if process.proc and process.proc.poll() is None:
                    os.kill(process.proc.pid, signal.SIGCONT)
                process.stop()
            r.close()


def post(client: FailoverBoardClient, title: str) -> str:
    """Send a story card without waiting for its ack."""
    return client.send("project_post", project={"title": title, "pitch": f"pitch of {title}"})


def assert_same_log(clients: list[FailoverBoardClient], log: list[dict]) -> None:
    """Every client applied exactly the server's log: same frames, same order, seq 1..head."""
    assert [f["seq"] for f in log] == list(range(1, len(log) + 1))
    for client in clients:
        client.wait_for_seq(log[-1]["seq"])
        with client._cond:
            mine = client.applied[:len(log)]  # later frames (a reader joining) are not part of the check
            assert [(f["seq"], f["type"], f["data"]) for f in mine] == [(f["seq"], f["type"], f["data"]) for f in log]


def redis_pubsub_ids(r: redis.Redis, pid: int) -> list[str]:
    """Redis client ids of the pub/sub connections that process `pid` holds (by its sockets' ports)."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[len("socket:["):-1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as rows:
            for row in rows.read().splitlines()[1:]:
                cols = row.split()
                if cols[9] in inodes:
                    ports.add(int(cols[1].rsplit(":", 1)[1], 16))
    return [c["id"] for c in r.client_list(_type="pubsub") if int(c["addr"].rsplit(":", 1)[1]) in ports]


def wait_for_subscribers(r: redis.Redis, channel: str, count: int, timeout: float = 20) -> None:
    """Poll Redis (the authority on subscriptions) until `count` processes listen on `channel`."""
    deadline = time.monotonic() + timeout
    while dict(r.pubsub_numsub(channel)).get(channel.encode(), 0) != count:
        if time.monotonic() > deadline:
            raise AssertionError(f"{channel} never had {count} subscribers")
        time.sleep(0.05)


def test_clients_on_two_processes_see_every_command_in_the_same_order(cluster):
    on_a = [cluster.participant(f"A{i}", cluster.a) for i in range(3)]
    on_b = [cluster.participant(f"B{i}", cluster.b) for i in range(3)]
    everyone = on_a + on_b
    head = everyone[-1].last_seq  # six participant_joined events so far
    assert head == 6

    sent = {client: [post(client, f"{i}-{n}") for n in range(3)] for i, client in enumerate(everyone)}
    acks = {}
    for client in everyone:
        acks.update(client.wait_for_acks())
    assert all(acks[op]["ok"] and not acks[op]["duplicate"] for ops in sent.values() for op in ops)
    assert sorted(a["seq"] for a in acks.values()) == list(range(head + 1, head + 19))  # gap-free, one seq each

    log = cluster.log()[:head + 18]
    assert_same_log(everyone, log)
    assert all(c.failovers == 0 for c in everyone)


def test_a_broadcast_lost_between_processes_is_noticed_and_fetched(cluster):
    ana = cluster.participant("Ana", cluster.a)
    bruno = cluster.participant("Bruno", cluster.b)
    chloe = cluster.participant("Chloé", cluster.b)
    wait_for_subscribers(cluster.redis, cluster.channel, 2)

    # B is frozen while its Redis subscription is cut: the next broadcast cannot reach it.
    os.kill(cluster.b.proc.pid, signal.SIGSTOP)
    try:
        ids = redis_pubsub_ids(cluster.redis, cluster.b.proc.pid)
        assert ids, "process B holds no Redis subscription"
        for client_id in ids:
            cluster.redis.client_kill_filter(_id=client_id)
        lost = ana.call("project_post", {"op_id": uuid.uuid4().hex, "project": {"title": "Lost", "pitch": "in Redis"}})
        assert lost["ok"]
        ana.wait_for_seq(lost["seq"])
    finally:
        os.kill(cluster.b.proc.pid, signal.SIGCONT)
    with bruno._cond:
        assert bruno.last_seq == lost["seq"] - 1  # B's clients never got it

    # B's listener reconnects to Redis on its own (python-socketio retries after a second, and what
    # is published meanwhile is lost too). The first frame B delivers again shows its clients the gap.
    for attempt in range(30):
        after = ana.call("project_post", {"op_id": uuid.uuid4().hex, "project": {"title": f"Next {attempt}", "pitch": "shows the gap"}})
        assert after["ok"]
        try:
            bruno.wait_for_seq(after["seq"], timeout=1)
            break
        except AssertionError:
            continue
    assert_same_log([ana, bruno, chloe], cluster.log()[:after["seq"]])
    assert bruno.gaps_noticed >= 1 and chloe.gaps_noticed >= 1


def test_killing_a_process_sends_its_clients_to_the_other_with_nothing_lost(cluster):
    on_a = [cluster.participant(f"A{i}", cluster.a) for i in range(2)]
    on_b = [cluster.participant(f"B{i}", cluster.b) for i in range(3)]
    titles = {}
    for i, client in enumerate(on_a + on_b):  # in flight when B dies: some committed, some not
        for n in range(3):
            titles[post(client, f"card {i}-{n}")] = f"card {i}-{n}"
    cluster.b.kill()

    for client in on_b:
        client.wait_for_failover()
        assert client.base_url == cluster.a.url
    acks = {}
    for client in on_a + on_b:
        acks.update(client.wait_for_acks())
    assert set(acks) == set(titles) and all(ack["ok"] for ack in acks.values())

    log = cluster.log()
    posted = [f["data"]["project"]["title"] for f in log if f["type"] == "project_posted"]
    assert sorted(posted) == sorted(titles.values())  # each command applied exactly once
    assert {acks[op]["seq"] for op in titles} == {f["seq"] for f in log if f["type"] == "project_posted"}
    assert_same_log(on_a + on_b, [f for f in log if f["seq"] <= max(a["seq"] for a in acks.values())])


def test_presence_is_the_same_on_both_processes(cluster):
    ana = cluster.participant("Ana", cluster.a)
    bruno_b = cluster.participant("Bruno", cluster.b)
    chloe = cluster.participant("Chloé", cluster.b)
    assert set(ana.sync(ana.last_seq)["online"]) == {ana.participant_id, bruno_b.participant_id, chloe.participant_id}

    # Bruno also opens a tab served by A, then closes the one on B: still online everywhere.
    bruno_a = FailoverBoardClient([cluster.a.url], cluster.code, bruno_b.token)
    cluster.clients.append(bruno_a)
    bruno_a.connect(since=0)
    bruno_b.disconnect()
    assert bruno_b.participant_id in chloe.sync(chloe.last_seq)["online"]
    assert bruno_b.participant_id in ana.sync(ana.last_seq)["online"]

    # His last tab closes: the offline frame reaches a client of the other process.
    bruno_a.disconnect()
    offline = {"participant_id": bruno_b.participant_id, "online": False}
    wait_for_ephemeral(chloe, "presence", offline)
    assert bruno_b.participant_id not in chloe.sync(chloe.last_seq)["online"]

    # Process B dies with Chloé's only socket: A notices B's heartbeat stopped and says she left.
    chloe._closing = True  # she does not come back (no failover)
    cluster.b.kill()
    wait_for_ephemeral(ana, "presence", {"participant_id": chloe.participant_id, "online": False},
                       timeout=PRESENCE_TTL_S * 4)
    assert ana.sync(ana.last_seq)["online"] == [ana.participant_id]


def test_a_removed_participant_is_cut_off_on_the_other_process_too(cluster):
    """The facilitator on A removes Bruno, whose two tabs are on B and on A: both are told and closed."""
    joined = join_board(cluster.b.url, cluster.code, "Bruno")
    tabs = [BoardClient(process.url, cluster.code, joined["token"]) for process in (cluster.b, cluster.a)]
    closed = [threading.Event() for _ in tabs]
    for tab, event in zip(tabs, closed):
        tab.sio.on("disconnect", lambda *_, event=event: event.set())
        tab.connect()
    host = BoardClient(cluster.a.url, cluster.code, cluster.host_token)
    host.connect()
    try:
        ack = host.command("participant_remove", participant_id=joined["participant"]["id"])
        assert ack["ok"], ack
        assert all(event.wait(15) for event in closed)           # closed by the server, on B as on A
        for tab in tabs:
            with tab._cond:
                assert "participant_removed" in [f["type"] for f in tab.frames]   # told before the close
        again = BoardClient(cluster.b.url, cluster.code, joined["token"])
        with pytest.raises(socketio.exceptions.ConnectionError):
            again.connect()                                     # and the token no longer connects
    finally:
        for client in (host, *tabs):
            client.disconnect()


def wait_for_ephemeral(client: FailoverBoardClient, name: str, data: dict, timeout: float = 15) -> None:
    """Block until `client` received the ephemeral message `name` with exactly `data`."""
    deadline = time.monotonic() + timeout
    with client._cond:
        while (name, data) not in client.ephemeral:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{name} {data} never arrived; got {client.ephemeral[-5:]}")
            client._cond.wait(remaining)
