"""A reader that stops reading: the others keep their pace, the server's memory stays bounded, the reader
is dropped and catches up from its last seq when it reads again. Real server subprocess, real sockets.

Traffic: story edits of 4,000 astral characters (each goes out as a 12-byte JSON escape: ~48 KB a frame)
from four authors, so megabytes reach the stalled socket in seconds.
"""
from __future__ import annotations

import statistics
import threading
import time

from server.realtime.backpressure import OUTBOX_HARD_MAX_BYTES, OUTBOX_MAX_BYTES, STALL_SECONDS
from tests.support.clients import BoardClient
from tests.support.raw_client import RawClosed, RawSocket
from tests.support.server import create_board, join_board

BIG_STORY = "\U0001F30D" * 4000
MAX_COMMANDS = 1500          # bound on the traffic this test makes
DROP_DEADLINE_S = 90.0       # bound on its run time


def rss_kib(pid: int) -> int:
    """The process's resident set size, in KiB."""
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


class Authors:
    """Participants editing their own story in a loop; measures command -> observer delivery."""

    def __init__(self, url: str, code: str, observer: BoardClient, count: int = 4) -> None:
        self.observer = observer
        self.clients: list[tuple[BoardClient, int]] = []
        for n in range(count):
            client = BoardClient(url, code, join_board(url, code, f"Author {n}")["token"])
            client.connect()
            ack = client.command("project_post", project={"title": f"Story {n}", "pitch": "A pitch"})
            assert ack["ok"], ack
            observer.wait_for_seq(ack["seq"])
            project_id = next(f["data"]["project"]["id"] for f in observer.frames if f["seq"] == ack["seq"])
            self.clients.append((client, project_id))
        self.sent = 0
        self.latencies: list[float] = []
        self._lock = threading.Lock()

    def edit_once(self, client: BoardClient, project_id: int, story: str) -> None:
        started = time.monotonic()
        ack = client.command("project_edit", project_id=project_id, project={"story": story})
        assert ack["ok"], ack
        self.observer.wait_for_seq(ack["seq"], timeout=30)
        with self._lock:
            self.sent += 1
            self.latencies.append(time.monotonic() - started)

    def run_until(self, stop: threading.Event, budget: int, story: str = BIG_STORY) -> None:
        """Every author edits in its own thread until `stop` is set or `budget` commands were sent."""
        errors: list[BaseException] = []

        def loop(client: BoardClient, project_id: int) -> None:
            try:
                while not stop.is_set() and self.sent < budget:
                    self.edit_once(client, project_id, story)
            except BaseException as error:  # noqa: BLE001 - reported by the main thread
                errors.append(error)
                stop.set()

        threads = [threading.Thread(target=loop, args=pair, daemon=True) for pair in self.clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(DROP_DEADLINE_S + 30)
        assert not errors, errors

    def close(self) -> None:
        for client, _ in self.clients:
            client.disconnect()


def observed_bytes(client: BoardClient) -> int:
    """What the server sent this client in event frames (JSON with astral characters escaped, as on the wire)."""
    import json

    return sum(len(json.dumps(frame, separators=(",", ":"))) for frame in client.frames)


# /proc/net/tcp states (include/net/tcp_states.h)
ESTABLISHED = "01"


def server_end_state(server_port: int, client_port: int) -> str | None:
    """The TCP state of the server's end of one connection on this machine (None once it is gone)."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            for line in list(lines)[1:]:
                local, remote, state = line.split()[1:4]
                if int(local.rsplit(":", 1)[1], 16) == server_port and int(remote.rsplit(":", 1)[1], 16) == client_port:
                    return state
    return None


def wait_until_cut(server_port: int, client_port: int, timeout: float = 10.0) -> str | None:
    """Wait until the server's end of the connection is no longer ESTABLISHED; its last state seen."""
    deadline = time.monotonic() + timeout
    state = server_end_state(server_port, client_port)
    while state == ESTABLISHED and time.monotonic() < deadline:
        time.sleep(0.05)
        state = server_end_state(server_port, client_port)
    return state


def slow_reader_frames(slow: RawSocket) -> dict[int, dict]:
    """seq -> frame for every event frame the raw client read."""
    return {data["seq"]: data for name, data in slow.events if name == "event"}


def test_a_reader_that_stops_reading_is_dropped_and_resyncs(server):
    created = create_board(server.url)
    code = created["board"]["code"]
    observer = BoardClient(server.url, code, created["facilitator_token"])
    observer.connect()
    slow_joined = join_board(server.url, code, "Sleepy laptop")
    slow_id = slow_joined["participant"]["id"]
    authors = Authors(server.url, code, observer)
    slow = RawSocket(server.url, rcvbuf=4096)
    try:
        ok, _ = slow.connect({"board": code, "token": slow_joined["token"]})
        assert ok
        first = slow.call("sync", {})
        assert first["ok"]
        slow_seq = first["seq"]

        # Baseline: the same traffic while every reader keeps up (the slow reader still reads here).
        baseline_stop = threading.Event()
        authors.run_until(baseline_stop, budget=20)
        baseline = list(authors.latencies)
        head = observer.last_seq
        # Drain what the slow reader was sent so far, then it stops reading for good.
        deadline = time.monotonic() + 30
        while max(slow_reader_frames(slow), default=0) < head:
            slow._keep(slow.recv_packet(max(0.1, deadline - time.monotonic())))
        authors.latencies.clear()

        rss_before = rss_kib(server.proc.pid)
        bytes_before = observed_bytes(observer)
        stalled_at = time.monotonic()
        dropped = threading.Event()

        def watch_presence() -> None:
            deadline = stalled_at + DROP_DEADLINE_S
            with observer._cond:
                while not any(name == "presence" and data == {"participant_id": slow_id, "online": False}
                              for name, data in observer.ephemeral):
                    if time.monotonic() > deadline:
                        return
                    observer._cond.wait(0.5)
            dropped.set()

        watcher = threading.Thread(target=watch_presence, daemon=True)
        watcher.start()
        authors.run_until(dropped, budget=20 + MAX_COMMANDS)
        watcher.join(5)
        drop_s = time.monotonic() - stalled_at
        assert dropped.is_set(), f"the stalled reader was not dropped after {authors.sent} commands"
        # The server cut the TCP connection (FIN queued behind what the reader never took, or gone),
        # rather than leaving a writer blocked in send on a full window until the client reads again.
        slow_port = slow.ws.sock.getsockname()[1]
        assert wait_until_cut(server.port, slow_port) != ESTABLISHED, "the stalled reader's TCP connection was left open"
        pushed = observed_bytes(observer) - bytes_before
        rss_at_drop = rss_kib(server.proc.pid)
        stalled_latencies = list(authors.latencies)

        log = server.log_path.read_text(errors="replace")
        overflow_lines = [line for line in log.splitlines() if "outbox overflow" in line]
        held = int(overflow_lines[0].split(" holding ")[1].split()[0]) if overflow_lines else None
        print(f"\nslow reader: dropped after {drop_s:.1f} s and {pushed / 1e6:.1f} MB sent to every reader; "
              f"outbox held {held} bytes (bound {OUTBOX_MAX_BYTES} once stalled {STALL_SECONDS:.0f} s, "
              f"hard bound {OUTBOX_HARD_MAX_BYTES}); server RSS {rss_before / 1024:.0f} -> "
              f"{rss_at_drop / 1024:.0f} MiB at the drop; "
              f"others' command->delivery p50 {statistics.median(baseline) * 1000:.0f} ms before, "
              f"{statistics.median(stalled_latencies) * 1000:.0f} ms while it stalled "
              f"(max {max(stalled_latencies) * 1000:.0f} ms)")

        # Dropped by the outbox bound (not by the 40 s ping timeout), holding no more than the hard bound.
        assert len(overflow_lines) == 1, overflow_lines
        assert OUTBOX_MAX_BYTES <= held < OUTBOX_HARD_MAX_BYTES
        assert drop_s < 40, "the ping timeout (20 s + 20 s) would have dropped it anyway"
        # The others kept their pace: no delivery waited on the stalled socket (a blocked writer
        # would hold them for the 40 s socket timeout).
        assert max(stalled_latencies) < 5.0
        # Memory: what the server grew by while megabytes went to a reader that took none of them.
        assert rss_at_drop - rss_before < 32 * 1024

        # The reader reads again: it gets what the kernel still held, then finds the connection closed...
        try:
            while True:
                slow._keep(slow.recv_packet(10))
        except RawClosed:
            pass
        frames = slow_reader_frames(slow)
        last_in_order = slow_seq
        while last_in_order + 1 in frames:
            last_in_order += 1
        # ...and resyncs from its last seq, ending with exactly the server's log.
        back = BoardClient(server.url, code, slow_joined["token"])
        back.last_seq = last_in_order
        reply = back.connect()
        try:
            assert reply["ok"] and "events" in reply, "a replay, not a snapshot, for a reader this close behind"
            assert back.last_seq == observer.last_seq
            mine = {**{s: f for s, f in frames.items() if s <= last_in_order}, **{f["seq"]: f for f in back.frames}}
            theirs = {f["seq"]: f for f in observer.frames if f["seq"] > slow_seq}
            assert {s: mine[s] for s in theirs} == theirs
            print(f"slow reader read {len(frames)} frames up to seq {last_in_order} before the cut, "
                  f"replayed {len(back.frames)} on reconnect")
        finally:
            back.disconnect()
    finally:
        slow.close()
        authors.close()
        observer.disconnect()
