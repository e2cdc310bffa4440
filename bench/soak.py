"""Soak: 100 participants doing a realistic mix on one board for N minutes (default 10), run by hand.

    .venv/bin/python bench/soak.py                       # 100 clients, 10 minutes, SQLite
    .venv/bin/python bench/soak.py --clients 20 --minutes 1 --database-url postgresql+psycopg://...

A real server subprocess (tests/support/server.py) and real python-socketio clients that behave like
the browser (tests/support/scale_clients.py: frames applied in seq order, gaps repaired with `sync`,
an outbox resent with the same op_ids after a reconnect), spread over a few worker processes so the
load generator (every client decodes every broadcast) is not what limits the run. Each participant joins, posts a story, then
acts every few seconds (exponential think time): map nodes added, dragged (drag frames then the drop),
edited, removed; links; plan items; its story edited; dots cast and taken back; which map it looks at.
The facilitator runs vote rounds (open, close, reveal, next round) all along. Every minute a few
clients lose their connection (the socket is cut under them) and come back.

Reported: server RSS at the start, every 30 s and at the end; commands sent, accepted, refused by code
(refusals the rules make, like `limit_reached`, are not errors); errors (`server_error`, invalid
payloads, acks that never came, tracebacks in the server log); reconnects and gaps repaired; and
convergence: every client's frames must equal the server's log, in order, up to its head.
Talks to 127.0.0.1 only and stops by itself.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import random
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import socketio  # noqa: E402

from tests.support.scale_clients import FailoverBoardClient  # noqa: E402
from tests.support.server import ServerProcess, create_board, join_board  # noqa: E402

RINGS = ("inner", "network", "crowd")
WHEN = ("before_launch", "launch_day", "first_week", "mid_campaign", "final_push", "after")
# Refusals the product's rules give in a busy room: expected, not errors.
RULE_REFUSALS = {
    "limit_reached", "node_not_found", "link_not_found", "plan_item_not_found", "project_not_found", "duplicate_link",
    "self_link", "not_allowed", "not_author", "vote_closed", "vote_not_open", "budget_spent", "story_cap_reached",
    "own_project", "no_dot_here", "not_in_round", "gate_closed", "board_locked", "rate_limited",
}


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


class Participant:
    """One laptop: a browser-like client, what it knows of the board, and its habits."""

    def __init__(self, index: int, url: str, code: str, token: str, participant_id: int, stats: "Stats") -> None:
        self.index, self.id, self.stats = index, participant_id, stats
        self.client = SoakClient([url], code, token)
        self.digest = hashlib.sha256()   # of every frame applied, in order (the frames themselves are let go)
        self.first_seq: int | None = None
        self.rng = random.Random(index)
        self.project: int | None = None
        self.sent = 0
        self.projects: set[int] = set()
        self.nodes: dict[int, tuple[int, int | None]] = {}   # node id -> (project id, added_by)
        self.items: dict[int, tuple[int, int | None]] = {}   # plan item id -> (project id, added_by)
        self.links: dict[int, int] = {}                      # link id -> project id
        self.dots: list[int] = []                            # stories I put a dot on (this round)

    # -- what the client knows, from the frames it applied -------------------------------------------
    def fold(self) -> None:
        with self.client._cond:
            new = list(self.client.applied)
            self.client.applied.clear()   # keep memory flat: what was applied lives on in the digest
            self.client.frames.clear()
            snapshot = self.client.snapshot
        if snapshot is not None and not self.projects:
            self.projects = {p["id"] for p in snapshot["projects"]}
            for m in snapshot.get("tribe_maps", []):
                for n in m["nodes"]:
                    self.nodes[n["id"]] = (m["project_id"], n["added_by"])
        for frame in new:
            if self.first_seq is None:
                self.first_seq = frame["seq"]
            self.digest.update(frame_bytes(frame))
            kind, data = frame["type"], frame["data"]
            if kind == "project_posted":
                self.projects.add(data["project"]["id"])
            elif kind == "project_deleted":
                self.projects.discard(data["project_id"])
            elif kind in ("map_node_added", "map_node_moved", "map_node_edited"):
                self.nodes[data["node"]["id"]] = (data["project_id"], data["node"]["added_by"])
            elif kind == "map_node_removed":
                self.nodes.pop(data["node_id"], None)
                for link_id in data.get("link_ids", []):
                    self.links.pop(link_id, None)
            elif kind == "map_link_added":
                self.links[data["link"]["id"]] = data["project_id"]
            elif kind == "map_link_removed":
                self.links.pop(data["link_id"], None)
            elif kind in ("plan_item_added", "plan_item_edited"):
                self.items[data["item"]["id"]] = (data["project_id"], data["item"]["added_by"])
            elif kind == "plan_item_removed":
                self.items.pop(data["item_id"], None)
            elif kind in ("vote_opened", "vote_round_started"):
                self.dots = []

    # -- one action ------------------------------------------------------------------------------------
    def send(self, event: str, **payload) -> None:
        self.sent += 1
        op = self.client.send(event, **payload)
        self.stats.sent(op, event)

    def act(self) -> None:
        self.fold()
        rng, me = self.rng, self.id
        mine = [n for n, (p, by) in self.nodes.items() if by == me or p == self.project]
        choice = rng.choices(
            ["add", "move", "edit", "remove", "link", "plan", "plan_edit", "story", "dot", "undot", "look"],
            weights=[26, 20, 8, 5, 6, 5, 3, 10, 9, 3, 5])[0]
        project = self.project if rng.random() < 0.5 or not self.projects else rng.choice(sorted(self.projects))
        if choice == "add" or (choice in ("move", "edit", "remove", "link") and len(mine) < 2):
            self.send("map_node_add", project_id=project, label=f"p{self.index}-{self.sent}", ring=rng.choice(RINGS),
                      kind=rng.choice(["person", "community", "organisation", "media"]), reach=rng.randint(0, 500))
        elif choice == "move":
            node = rng.choice(mine)
            project_id = self.nodes[node][0]
            x, y = rng.uniform(-0.9, 0.9), rng.uniform(-0.9, 0.9)
            for step in range(1, 6):  # a drag: a few live frames, then the drop
                self.ephemeral("map_node_drag", {"project_id": project_id, "node_id": node, "x": x * step / 5,
                                                 "y": y * step / 5, "done": step == 5}, "drag frames")
                time.sleep(0.05)
            self.send("map_node_move", project_id=project_id, node_id=node, x=x, y=y)
        elif choice == "edit":
            node = rng.choice(mine)
            self.send("map_node_edit", project_id=self.nodes[node][0], node_id=node, reach=rng.randint(0, 5000))
        elif choice == "remove":
            node = rng.choice(mine)
            self.send("map_node_remove", project_id=self.nodes[node][0], node_id=node)
        elif choice == "link":
            a = rng.choice(mine)
            same = [n for n, (p, _) in self.nodes.items() if p == self.nodes[a][0] and n != a]
            if same:
                self.send("map_link_add", project_id=self.nodes[a][0], from_node_id=a, to_node_id=rng.choice(same))
        elif choice == "plan":
            self.send("plan_item_add", project_id=project, what=f"Share #{self.sent}", ring=rng.choice(RINGS),
                      when=rng.choice(WHEN), where="Mail", how="A personal note first")
        elif choice == "plan_edit":
            own = [i for i, (p, by) in self.items.items() if by == me]
            if own:
                item = rng.choice(own)
                self.send("plan_item_edit", project_id=self.items[item][0], item_id=item, when=rng.choice(WHEN))
        elif choice == "story":
            self.send("project_edit", project_id=self.project, project={"pitch": f"Pitch, take {self.sent}"})
        elif choice == "dot":
            others = sorted(self.projects - {self.project} - set(self.dots))
            if others:
                target = rng.choice(others)
                self.dots.append(target)
                self.send("vote_cast", project_id=target)
        elif choice == "undot" and self.dots:
            self.send("vote_retract", project_id=self.dots.pop())
        else:
            self.ephemeral("map_presence", {"project_id": project, "reply": False}, "presence frames")

    def ephemeral(self, name: str, data: dict, what: str) -> None:
        """Live frames are dropped while offline, as the browser drops them."""
        try:
            self.client.sio.emit(name, data)
        except socketio.exceptions.SocketIOError:
            self.stats.count(f"{what} dropped while offline")
            return
        self.stats.count(what)


class SoakClient(FailoverBoardClient):
    """The browser-like client: a gap is given 300 ms to fill by itself before a `sync` (as
    client/js/net/socket.js does: python-socketio's client, like the network, may deliver frames out of
    order), and a reconnect keeps trying (the server may be slow to answer)."""

    gap_syncs = 0

    def sync(self, since: int | None) -> dict:
        reply = super().sync(since)
        with self._cond:  # frames that came before a snapshot are not a gap once the snapshot is applied
            for seq in [s for s in self._ahead if s <= self.last_seq]:
                del self._ahead[seq]
        return reply

    def _repair_gap(self) -> None:
        time.sleep(0.3)
        with self._cond:
            if not self._ahead:
                return
            self.gap_syncs += 1
        super()._repair_gap()

    def _on_disconnect(self, reason=None) -> None:
        if getattr(self, "_reconnecting", False):
            return  # the running reconnect loop sees the socket is down and carries on
        super()._on_disconnect(reason)

    def _reconnect_elsewhere(self) -> None:
        self._reconnecting = True
        delay = 0.2
        try:
            while not self._closing:
                try:
                    if not self.sio.connected:
                        self.sio.connect(self.base_url, auth={"board": self.board_code, "token": self.token},
                                         transports=self.transports, wait_timeout=10)
                    self.sync(self.last_seq)
                except Exception:  # noqa: BLE001 - not yet: back off and try again, as socket.io-client does
                    time.sleep(delay)
                    delay = min(delay * 2, 5.0)
                    continue
                with self._cond:
                    self.failovers += 1
                    pending = list(self.outbox.values())
                self.resent = getattr(self, "resent", 0) + len(pending)
                self.largest_resend = max(getattr(self, "largest_resend", 0), len(pending))
                for event, payload in pending:  # same op_id: applied at most once
                    self._transmit(event, payload)
                self._failed_over.set()
                return
        finally:
            self._reconnecting = False


def frame_bytes(frame: dict) -> bytes:
    return json.dumps(frame, sort_keys=True, separators=(",", ":")).encode() + b"\n"


class Stats:
    """Counts shared by a worker's threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter = Counter()

    def sent(self, op: str, event: str) -> None:
        self.count("commands sent")

    def count(self, what: str, n: int = 1) -> None:
        with self.lock:
            self.counts[what] += n


def cut(client: FailoverBoardClient) -> bool:
    """Wi-Fi drops: shut the client's TCP socket under it (it notices, reconnects, resyncs, resends)."""
    ws = getattr(client.sio.eio, "ws", None)
    sock = getattr(ws, "sock", None)
    if sock is None:
        return False
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        return False
    return True


def worker(number: int, url: str, code: str, people: list[tuple[int, str, int]], args, control, results) -> None:
    """One process: its share of the participants, from their first post to the final digest."""
    stats = Stats()
    group = [Participant(i, url, code, token, pid, stats) for i, token, pid in people]
    for person in group:
        person.client.connect()
        ack = person.client.command("project_post", project={"title": f"Story {person.index}", "pitch": "A pitch"})
        assert ack["ok"], ack
        person.client.wait_for_seq(ack["seq"], timeout=60)
        person.project = next(f["data"]["project"]["id"] for f in person.client.applied if f["seq"] == ack["seq"])
    results.put(("ready", number, None))
    stop_at = control.get()  # the coordinator's start signal: the monotonic time to stop at
    stop = threading.Event()

    def run(person: Participant) -> None:
        while not stop.is_set():
            time.sleep(person.rng.expovariate(1 / args.think))
            if stop.is_set():
                return
            try:
                person.act()
            except Exception as error:  # noqa: BLE001 - counted, the client carries on
                stats.count(f"client exceptions ({error.__class__.__name__})")

    threads = [threading.Thread(target=run, args=(p,), daemon=True) for p in group]
    for thread in threads:
        thread.start()
    chaos = random.Random(number)
    share = max(0, round(args.drops_per_minute * len(group) / args.clients))
    next_drop = time.monotonic() + 60
    while time.monotonic() < stop_at:
        time.sleep(0.5)  # this worker's clock for the Wi-Fi drops; its clients act on their own threads
        if time.monotonic() >= next_drop:
            for person in chaos.sample(group, min(share, len(group))):
                stats.count("connections cut", cut(person.client))
            next_drop += 60
    stop.set()
    for thread in threads:
        thread.join(30)
    unacked = 0
    for person in group:
        try:
            person.client.wait_for_acks(timeout=120)
        except AssertionError:
            unacked += len(person.client.outbox)
    results.put(("drained", number, None))
    head = control.get()  # the log's head once every outbox everywhere is drained
    clients = {}
    for person in group:
        client = person.client
        reached = True
        for _ in range(3):  # its socket may be down right now (a drop near the end): the reconnect loop runs
            try:
                if client.sio.connected:
                    client.sync(client.last_seq)
                client.wait_for_seq(head, timeout=30)
                break
            except Exception as error:  # noqa: BLE001 - reported as not converged
                reached = f"{error.__class__.__name__}: {str(error)[:80]}"
        reached = reached if reached is True or client.last_seq < head else True
        person.fold()
        clients[person.index] = {"first_seq": person.first_seq, "last_seq": client.last_seq, "reached": reached,
                                 "digest": person.digest.hexdigest(), "failovers": client.failovers,
                                 "gaps": client.gap_syncs, "sent": person.sent,
                                 "resent": getattr(client, "resent", 0),
                                 "largest_resend": getattr(client, "largest_resend", 0)}
    codes = Counter()
    latency = []
    for person in group:
        for ack in person.client.acks.values():
            codes["ok" if ack["ok"] else ack["error"]["code"]] += 1
            if not ack["ok"] and ack["error"]["code"] == "rate_limited":
                params = ack["error"]["params"]
                codes[f"rate_limited: {params.get('scope')} {params.get('limit')}"] += 1
    results.put(("done", number, {"clients": clients, "codes": dict(codes), "unacked": unacked,
                                  "counts": dict(stats.counts), "latency": latency}))
    for person in group:
        person.client.disconnect()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--think", type=float, default=3.0, help="mean seconds between one client's actions")
    parser.add_argument("--drops-per-minute", type=int, default=5, help="clients whose connection is cut each minute")
    parser.add_argument("--workers", type=int, default=4, help="load-generator processes")
    parser.add_argument("--database-url", default=None, help="default: a SQLite file in a temporary folder")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="snowball-soak-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'soak.sqlite3'}"
    server = ServerProcess(database_url, log_dir=workdir, env={"SNOWBALL_REPLAY_LIMIT": "1000000"}).start()
    processes = []
    host = None
    try:
        created = create_board(server.url, title="Soak")
        code = created["board"]["code"]
        joined = [join_board(server.url, code, f"Person {i}") for i in range(args.clients)]
        people = [(i, j["token"], j["participant"]["id"]) for i, j in enumerate(joined)]
        context = multiprocessing.get_context("fork")  # before this process starts any thread
        results = context.Queue()
        controls = []
        for number in range(args.workers):
            control = context.Queue()
            share = people[number::args.workers]
            process = context.Process(target=worker, args=(number, server.url, code, share, args, control, results),
                                      daemon=True)
            process.start()
            processes.append(process)
            controls.append(control)
        for _ in processes:
            kind, _, _ = results.get(timeout=600)
            assert kind == "ready"
        host = SoakClient([server.url], code, created["facilitator_token"])
        host.connect()
        assert host.command("vote_configure", budget=5, cap=1)["ok"]
        assert host.command("vote_open")["ok"]
        started = time.monotonic()
        stop_at = started + args.minutes * 60
        for control in controls:
            control.put(stop_at)
        rss = [(0.0, rss_mib(server.proc.pid))]
        print(f"{args.clients} clients in {args.workers} processes; server RSS {rss[0][1]:.1f} MiB; "
              f"running {args.minutes} min", flush=True)
        steps = [("vote_close", {}), ("vote_reveal", {}), ("vote_round_start", {"top": 20}), ("vote_open", {})]
        next_rss, next_step, step = started + 30, started + 45, 0
        while time.monotonic() < stop_at:
            time.sleep(0.5)  # the coordinator's clock: RSS samples and the facilitator's vote rounds
            now = time.monotonic()
            if now >= next_rss:
                rss.append((now - started, rss_mib(server.proc.pid)))
                print(f"  {rss[-1][0] / 60:4.1f} min  server RSS {rss[-1][1]:6.1f} MiB", flush=True)
                next_rss += 30
            if now >= next_step:
                name, payload = steps[step % len(steps)]
                host.send(name, **payload)
                step, next_step = step + 1, next_step + 45
        for _ in processes:
            kind, _, _ = results.get(timeout=600)
            assert kind == "drained"
        try:
            host.wait_for_acks(timeout=60)
        except AssertionError:
            pass
        reference = SoakClient([server.url], code, created["facilitator_token"])
        reference.connect(since=0)
        log = {f["seq"]: f for f in reference.applied}
        head = reference.last_seq
        reference.disconnect()
        assert sorted(log) == list(range(1, head + 1)), "the log has a gap"
        for control in controls:
            control.put(head)
        reports = []
        for _ in processes:
            kind, _, report = results.get(timeout=900)
            assert kind == "done"
            reports.append(report)
        rss.append((time.monotonic() - started, rss_mib(server.proc.pid)))

        clients = {i: c for r in reports for i, c in r["clients"].items()}
        converged, not_converged = 0, {}
        for index, c in clients.items():
            if c["reached"] is not True or c["last_seq"] != head or c["first_seq"] is None:
                not_converged[index] = {"reached": c["reached"], "last_seq": c["last_seq"], "head": head}
                continue
            digest = hashlib.sha256()
            for seq in range(c["first_seq"], head + 1):
                digest.update(frame_bytes(log[seq]))
            if digest.hexdigest() == c["digest"]:
                converged += 1
            else:
                not_converged[index] = {"frames differ from the log from seq": c["first_seq"]}
        codes = Counter()
        counts = Counter()
        for r in reports:
            codes.update(r["codes"])
            counts.update(r["counts"])
        accepted = codes.pop("ok", 0)
        errors = {code: n for code, n in codes.items() if code not in RULE_REFUSALS and not code.startswith("rate_limited:")}
        server_log = server.log_path.read_text(errors="replace")
        figures = {
            "clients": args.clients, "workers": args.workers, "minutes": args.minutes,
            "database": database_url.split("://")[0],
            "rss_start_mib": round(rss[0][1], 1), "rss_end_mib": round(rss[-1][1], 1),
            "rss_max_mib": round(max(r for _, r in rss), 1), "rss_series_mib": [round(r, 1) for _, r in rss],
            "commands_sent": counts["commands sent"], "accepted": accepted,
            "refused_by_rule": {c: n for c, n in codes.items() if c in RULE_REFUSALS or c.startswith("rate_limited:")},
            "errors": errors, "unacked_at_end": sum(r["unacked"] for r in reports),
            "server_tracebacks": server_log.count("Traceback"),
            "outbox_overflows": server_log.count("outbox overflow"),
            "drag_frames": counts["drag frames"], "presence_frames": counts["presence frames"],
            "connections_cut": counts["connections cut"],
            "reconnects": sum(c["failovers"] for c in clients.values()),
            "commands_resent_after_reconnects": sum(c["resent"] for c in clients.values()),
            "largest_outbox_resent_at_once": max(c["largest_resend"] for c in clients.values()),
            "gap_syncs": sum(c["gaps"] for c in clients.values()),
            "frames_dropped_offline": {k: v for k, v in counts.items() if k.endswith("dropped while offline")},
            "log_head": head, "clients_converged": converged, "not_converged": not_converged,
            "client_exceptions": {k: v for k, v in counts.items() if k.startswith("client exceptions")},
        }
        print(json.dumps(figures, indent=2))
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2) + "\n")
        ok = (not errors and not figures["unacked_at_end"] and converged == args.clients
              and figures["server_tracebacks"] == 0)
        print("SOAK", "PASSED" if ok else "FAILED")
        return 0 if ok else 1
    finally:
        if host is not None:
            host.disconnect()
        for process in processes:
            process.join(30)
            if process.is_alive():
                process.terminate()
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
