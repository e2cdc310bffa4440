"""Soak: 100 participants doing a realistic mix on one board for N minutes (default 10), run by hand.

    .venv/bin/python bench/soak.py                       # 100 clients, 10 minutes, SQLite
    .venv/bin/python bench/soak.py --clients 20 --minutes 1 --database-url postgresql+psycopg://...

A real server subprocess (tests/support/server.py) and real python-socketio clients that behave like
the browser (tests/support/scale_clients.py: frames applied in seq order, gaps repaired with `sync`,
an outbox resent with the same op_ids after a reconnect). Each participant joins, posts a story, then
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
import json
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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
        self.client = FailoverBoardClient([url], code, token)
        self.rng = random.Random(index)
        self.project: int | None = None
        self.sent = 0
        self.cursor = 0  # how many applied frames were folded into the view below
        self.projects: set[int] = set()
        self.nodes: dict[int, tuple[int, int | None]] = {}   # node id -> (project id, added_by)
        self.items: dict[int, tuple[int, int | None]] = {}   # plan item id -> (project id, added_by)
        self.links: dict[int, int] = {}                      # link id -> project id
        self.dots: list[int] = []                            # stories I put a dot on (this round)

    # -- what the client knows, from the frames it applied -------------------------------------------
    def fold(self) -> None:
        with self.client._cond:
            new = self.client.applied[self.cursor:]
            self.cursor = len(self.client.applied)
            snapshot = self.client.snapshot
        if snapshot is not None and not self.projects:
            self.projects = {p["id"] for p in snapshot["projects"]}
            for m in snapshot.get("tribe_maps", []):
                for n in m["nodes"]:
                    self.nodes[n["id"]] = (m["project_id"], n["added_by"])
        for frame in new:
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
                self.client.sio.emit("map_node_drag", {"project_id": project_id, "node_id": node, "x": x * step / 5,
                                                       "y": y * step / 5, "done": step == 5})
                self.stats.count("drag frames")
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
            self.client.sio.emit("map_presence", {"project_id": project, "reply": False})
            self.stats.count("presence frames")


class Stats:
    """Counts shared by every thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter = Counter()
        self.events: dict[str, str] = {}

    def sent(self, op: str, event: str) -> None:
        with self.lock:
            self.counts["commands sent"] += 1
            self.events[op] = event

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--think", type=float, default=3.0, help="mean seconds between one client's actions")
    parser.add_argument("--drops-per-minute", type=int, default=5, help="clients whose connection is cut each minute")
    parser.add_argument("--database-url", default=None, help="default: a SQLite file in a temporary folder")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="snowball-soak-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'soak.sqlite3'}"
    server = ServerProcess(database_url, log_dir=workdir, env={"SNOWBALL_REPLAY_LIMIT": "1000000"}).start()
    stats = Stats()
    people: list[Participant] = []
    rss: list[tuple[float, float]] = []
    try:
        created = create_board(server.url, title="Soak")
        code = created["board"]["code"]
        host = FailoverBoardClient([server.url], code, created["facilitator_token"])
        host.connect()
        for i in range(args.clients):
            joined = join_board(server.url, code, f"Person {i}")
            person = Participant(i, server.url, code, joined["token"], joined["participant"]["id"], stats)
            person.client.connect()
            ack = person.client.command("project_post", project={"title": f"Story {i}", "pitch": "A pitch"})
            assert ack["ok"], ack
            person.client.wait_for_seq(ack["seq"])
            person.project = next(f["data"]["project"]["id"] for f in person.client.applied if f["seq"] == ack["seq"])
            people.append(person)
        assert host.command("vote_configure", budget=5, cap=1)["ok"]
        assert host.command("vote_open")["ok"]
        started = time.monotonic()
        stop_at = started + args.minutes * 60
        rss.append((0.0, rss_mib(server.proc.pid)))
        print(f"{args.clients} clients joined; server RSS {rss[0][1]:.1f} MiB; running {args.minutes} min", flush=True)

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

        def facilitate() -> None:
            steps = [("vote_close", {}), ("vote_reveal", {}), ("vote_round_start", {"top": 20}), ("vote_open", {})]
            n = 0
            while not stop.wait(45):
                name, payload = steps[n % len(steps)]
                host.send(name, **payload)
                stats.count("facilitator commands")
                n += 1

        threads = [threading.Thread(target=run, args=(p,), daemon=True) for p in people]
        threads.append(threading.Thread(target=facilitate, daemon=True))
        for thread in threads:
            thread.start()
        chaos = random.Random(7)
        next_rss, next_drop = started + 30, started + 60
        while time.monotonic() < stop_at:
            time.sleep(1)  # a clock for the report; the clients act on their own threads
            now = time.monotonic()
            if now >= next_rss:
                rss.append((now - started, rss_mib(server.proc.pid)))
                print(f"  {rss[-1][0] / 60:4.1f} min  RSS {rss[-1][1]:6.1f} MiB  sent {stats.counts['commands sent']}", flush=True)
                next_rss += 30
            if now >= next_drop:
                for person in chaos.sample(people, min(args.drops_per_minute, len(people))):
                    stats.count("connections cut", cut(person.client))
                next_drop += 60
        stop.set()
        for thread in threads:
            thread.join(30)

        # Drain: every outbox acked, every client at the log's head.
        unacked = 0
        for client in [p.client for p in people] + [host]:
            try:
                client.wait_for_acks(timeout=60)
            except AssertionError:
                unacked += len(client.outbox)
        reference = FailoverBoardClient([server.url], code, created["facilitator_token"])
        reference.last_seq = 0
        reference.connect(since=0)
        log = {f["seq"]: f for f in reference.applied}
        head = reference.last_seq
        reference.disconnect()
        converged = 0
        for person in people:
            client = person.client
            try:
                client.sync(client.last_seq)
                client.wait_for_seq(head, timeout=30)
                start = client.applied[0]["seq"] if client.applied else head + 1
                same = all(frame == log[frame["seq"]] for frame in client.applied)
                contiguous = [f["seq"] for f in client.applied] == list(range(start, head + 1))
                converged += same and contiguous
            except AssertionError:
                pass
        rss.append((time.monotonic() - started, rss_mib(server.proc.pid)))

        acks = {op: ack for p in people for op, ack in p.client.acks.items()}
        accepted = sum(1 for a in acks.values() if a["ok"])
        codes = Counter(a["error"]["code"] for a in acks.values() if not a["ok"])
        errors = {code: n for code, n in codes.items() if code not in RULE_REFUSALS}
        server_log = server.log_path.read_text(errors="replace")
        figures = {
            "clients": args.clients, "minutes": args.minutes, "database": database_url.split("://")[0],
            "rss_start_mib": round(rss[0][1], 1), "rss_end_mib": round(rss[-1][1], 1),
            "rss_max_mib": round(max(r for _, r in rss), 1), "rss_series_mib": [round(r, 1) for _, r in rss],
            "commands_sent": stats.counts["commands sent"], "acks": len(acks), "accepted": accepted,
            "refused_by_rule": {c: n for c, n in codes.items() if c in RULE_REFUSALS},
            "errors": errors, "unacked_at_end": unacked,
            "server_tracebacks": server_log.count("Traceback"),
            "outbox_overflows": server_log.count("outbox overflow"),
            "drag_frames": stats.counts["drag frames"], "presence_frames": stats.counts["presence frames"],
            "connections_cut": stats.counts["connections cut"],
            "reconnects": sum(p.client.failovers for p in people),
            "gaps_repaired": sum(p.client.gaps_noticed for p in people),
            "log_head": head, "clients_converged": converged,
            "client_exceptions": {k: v for k, v in stats.counts.items() if k.startswith("client exceptions")},
        }
        print(json.dumps(figures, indent=2))
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2) + "\n")
        ok = not errors and not unacked and converged == len(people) and figures["server_tracebacks"] == 0
        print("SOAK", "PASSED" if ok else "FAILED")
        return 0 if ok else 1
    finally:
        for person in people:
            person.client.disconnect()
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
