"""Fan-out benchmark: N simulated participants on one board, Snowball against a bare Flask-SocketIO anchor.

Run by hand (never in the test suite); it prints a Markdown table:

    .venv/bin/python bench/fanout.py                       # the full run: N = 100, 500, 1000 (+ deflate, 2 processes)
    .venv/bin/python bench/fanout.py --n 100 --duration 10 --only snowball,anchor   # a quick look
    .venv/bin/python bench/fanout.py --n 100 --duration 10 --only "snowball,snowball gevent"   # eventlet vs gevent

Per N, the same load generator (bench/loadgen.py: a few OS processes, many asyncio WebSocket clients
each, offering permessage-deflate like browsers) drives:
- `anchor`: bench/anchor_server.py, Flask-SocketIO on eventlet with no persistence, deflate declined;
- `snowball`: `python wsgi.py` on a fresh PostgreSQL database (or SQLite), default compression policy;
- `snowball gevent`: the same with SNOWBALL_ASYNC_MODE=gevent;
and at the largest N also `anchor+deflate` / `snowball+deflate` (eventlet compressing every frame,
what browsers get by default) and `snowball x2` (two processes on PostgreSQL + Redis, clients split
between them: the latency is cross-process for half the recipients).

The load, per second: `--rate` committed operations (joins 5 %, story posts 10 %, votes cast or taken
back 30 %, tribe-map adds 25 %, map moves 30 %), each move preceded by one second of live drag frames
at 20 per second sent to the people viewing that map. Every participant looks at one of the seeded
maps. Measured: committed ops/s, fan-out latency (emit -> each other client's receipt) p50/p95/p99,
the p95 over commands of the time until the last client had it, drag relay p95, losses (seqs a client
never got, even after gap repair; must be 0), gap repairs, server CPU (and PostgreSQL's), RSS per
connection, and the join snapshot of a full board (1,000 participants, 200 projects, 2,000 map nodes).
Everything talks to 127.0.0.1 only and stops by itself.
"""
from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from array import array
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import loadgen  # noqa: E402
from bench.bench_support import (REDIS_URL, Database, Server, Solo, command, cpu_by_pid,  # noqa: E402
                                 cpu_seconds, http_json, join_many, machine, machine_jiffies, pct, postgres_pids,
                                 rss_bytes, run_queue_wait_seconds,
                                 story, total_cpu, ws_url)
from bench.report import fmt, print_tables  # noqa: E402
from bench.snapshot_growth import measure_snapshots  # noqa: E402

MIX = (("join", 0.05), ("post", 0.10), ("vote", 0.30), ("add", 0.25), ("move", 0.30))
SEED_PROJECTS = 40
SEED_NODES = 6
VOTE_BUDGET = 20
DRAG_FRAMES = 20


# --- one scenario ----------------------------------------------------------------------------------------
@dataclass
class Scenario:
    name: str
    kind: str            # "snowball" | "anchor"
    n: int
    compression: str     # ws_compression mode
    processes: int = 1
    async_mode: str = "eventlet"  # SNOWBALL_ASYNC_MODE of the snowball servers
    result: dict = field(default_factory=dict)


@dataclass
class Board:
    code: str
    tokens: list[str]
    participant_ids: list[int]
    projects: list[int]          # seeded project ids
    authors: dict[int, int]      # project id -> author's client index
    nodes: dict[int, list[int]]  # project id -> node ids
    head: int


async def setup_snowball(base: str, n_start: int) -> Board:
    created = http_json(f"{base}/api/boards", {"title": "Festival board", "language": "en"})
    code = created["board"]["code"]
    joined = join_many(base, code, [f"Person {i}" for i in range(n_start)])
    solo = Solo(base, code)
    host = await solo.client(created["facilitator_token"])
    await command(host, "vote_configure", {"budget": VOTE_BUDGET, "cap": 1})
    await command(host, "vote_open", {})
    seeded = min(SEED_PROJECTS, n_start)
    authors = {}
    for i in range(seeded):
        author = await solo.client(joined[i]["token"], sync=False)
        await command(author, "project_post", {"project": {"title": f"Project {i}", "pitch": "A story for the street",
                                                           "story": story(random.Random(i))}})
        await author.close()
    snap = (await host.call("sync", {}))[0]["snapshot"]
    projects = [p["id"] for p in snap["projects"]]
    for i, p in enumerate(snap["projects"]):
        authors[p["id"]] = next(j for j, r in enumerate(joined) if r["participant"]["id"] == p["author_id"])
    for pid in projects:
        for k in range(SEED_NODES):
            await command(host, "map_node_add", {"project_id": pid, "label": f"Circle {k}", "ring": ("inner", "network", "crowd")[k % 3]})
    snap = (await host.call("sync", {}))[0]["snapshot"]
    nodes = {m["project_id"]: [node["id"] for node in m["nodes"]] for m in snap.get("tribe_maps", [])}
    await host.close()
    return Board(code, [r["token"] for r in joined], [r["participant"]["id"] for r in joined], projects, authors, nodes, snap["seq"])


def setup_anchor(base: str, n_start: int) -> Board:
    joined = join_many(base, "ANCHOR", [f"Person {i}" for i in range(n_start)])
    projects = list(range(1, SEED_PROJECTS + 1))
    nodes = {p: [(p - 1) * SEED_NODES + k + 1 for k in range(SEED_NODES)] for p in projects}
    return Board("ANCHOR", [r["token"] for r in joined], [r["participant"]["id"] for r in joined], projects,
                 {p: p - 1 for p in projects}, nodes, max(r["seq"] for r in joined))


def make_schedule(board: Board, n_start: int, n_joins: int, rate: float, duration: float, rng: random.Random) -> list[dict]:
    """Every operation of the run: time, client, event, payload (votes tracked so budgets hold)."""
    total = int(rate * duration)
    kinds = [k for k, share in MIX for _ in range(round(share * total))]
    kinds = [k for k in kinds if k != "join"][: total - n_joins] + ["join"] * n_joins
    rng.shuffle(kinds)
    times = sorted(rng.uniform(1.0 if k == "move" else 0.0, duration) for k in kinds)
    dots: dict[int, set[int]] = {}
    posts: dict[int, int] = {}
    busy_until: dict[int, float] = {}
    schedule, joins, serial = [], 0, 0
    for t, kind in zip(times, kinds):
        if kind == "join":
            index = n_start + joins
            schedule.append({"t": t, "client": index, "kind": "join", "name": f"Late {joins}",
                             "view": board.projects[index % len(board.projects)]})
            joins += 1
            continue
        if kind == "move":
            # The map's author drags one of its nodes (seeded by the facilitator: only the author may move them).
            free = [p for p in board.projects if busy_until.get(board.authors[p], -1) < t - 1.2]
            if not free:
                continue
            project = rng.choice(free)
            client = board.authors[project]
            busy_until[client] = t
            serial += 1
            schedule.append({"t": t, "client": client, "kind": "move", "event": "map_node_move", "drag_serial": serial,
                             "payload": {"op_id": uuid.uuid4().hex, "project_id": project,
                                         "node_id": rng.choice(board.nodes[project]), "x": round(rng.uniform(0.25, 0.6), 4),
                                         "y": round(rng.uniform(0.25, 0.6), 4)}})
            continue
        client = rng.randrange(n_start)
        if kind == "post":
            if posts.get(client, 0) >= 3 or client in board.authors.values():
                client = next((c for c in range(n_start) if posts.get(c, 0) == 0 and c not in board.authors.values()), client)
            posts[client] = posts.get(client, 0) + 1
            payload = {"project": {"title": f"Story {len(schedule)}", "pitch": "Bread for the street", "story": story(rng)}}
            schedule.append({"t": t, "client": client, "kind": "post", "event": "project_post",
                             "payload": {"op_id": uuid.uuid4().hex, **payload}})
        elif kind == "vote":
            project = rng.choice([p for p in board.projects if board.authors[p] != client])
            mine = dots.setdefault(client, set())
            event = "vote_retract" if project in mine else "vote_cast"
            if event == "vote_cast" and len(mine) >= VOTE_BUDGET:
                project, event = next(iter(mine)), "vote_retract"
            (mine.discard if event == "vote_retract" else mine.add)(project)
            schedule.append({"t": t, "client": client, "kind": "vote", "event": event,
                             "payload": {"op_id": uuid.uuid4().hex, "project_id": project}})
        else:
            project = rng.choice(board.projects)
            schedule.append({"t": t, "client": client, "kind": "add", "event": "map_node_add",
                             "payload": {"op_id": uuid.uuid4().hex, "project_id": project, "label": f"Friend {len(schedule)}",
                                         "ring": rng.choice(("inner", "network", "crowd"))}})
    return schedule




def run_scenario(sc: Scenario, args, tmp: Path) -> dict:
    """Start the server(s), set the board up, connect N clients, run the schedule, measure, stop."""
    load_before = os.getloadavg()[0]
    print(f"  {sc.name} N={sc.n} ... (load average {load_before:.1f})", flush=True)
    rng = random.Random(args.seed + sc.n)
    n_joins = int(args.rate * args.duration * args.join_share)
    n_start = sc.n - n_joins
    db = None
    servers: list[Server] = []
    try:
        if sc.kind == "anchor":
            lanes = ["--lanes"] if sc.name.endswith("+lanes") else []
            servers.append(Server(["bench/anchor_server.py", "--compression", sc.compression, *lanes], {}, tmp / f"{sc.name}-{sc.n}.log"))
            board = setup_anchor(servers[0].url, n_start)
        else:
            db = Database(args.database, tmp)
            env = {"DATABASE_URL": db.url, "SNOWBALL_WS_COMPRESSION": sc.compression, "SNOWBALL_RATE_LIMIT_EXEMPT": "127.0.0.1",
                   "SNOWBALL_ASYNC_MODE": sc.async_mode}
            if sc.processes > 1:
                env.update(REDIS_URL=REDIS_URL, SNOWBALL_REDIS_CHANNEL=f"bench-{uuid.uuid4().hex[:8]}")
            for i in range(sc.processes):
                servers.append(Server([os.environ.get("BENCH_SERVER_SCRIPT", "wsgi.py")], env, tmp / f"{sc.name}-{sc.n}-{i}.log"))
            board = asyncio.run(setup_snowball(servers[0].url, n_start))
        schedule = make_schedule(board, n_start, n_joins, args.rate, args.duration, rng)
        time.sleep(1.0)  # let the setup's sockets close before the baseline
        rss_base = [rss_bytes(s.proc.pid) for s in servers]

        # Clients i go to server i % processes; workers take clients i % workers.
        workers, pipes = [], []
        ctx = multiprocessing.get_context("spawn")
        for w in range(args.workers):
            mine = [i for i in range(n_start) if i % args.workers == w]
            mine_set = set(mine)
            config = {
                "seed": args.seed + w, "board": board.code, "connect_concurrency": 25, "drag_frames": DRAG_FRAMES,
                "ws_url": ws_url(servers[w % len(servers)].url), "http_url": servers[w % len(servers)].url,
                "clients": [{"index": i, "participant_id": board.participant_ids[i], "token": board.tokens[i],
                             "view": board.projects[i % len(board.projects)], "since": board.head} for i in mine],
                "schedule": [a for a in schedule if (a["client"] in mine_set) or (a["kind"] == "join" and a["client"] % args.workers == w)],
            }
            if len(servers) > 1:  # two processes: each worker's clients (and joins) split across both servers
                for item in config["clients"] + [a for a in config["schedule"] if a["kind"] == "join"]:
                    index = item["index"] if "index" in item else item["client"]
                    item["url"] = ws_url(servers[index % len(servers)].url)
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=worker_entry, args=(config, child), daemon=True)
            proc.start()
            workers.append(proc)
            pipes.append(parent)
        connected = 0
        for pipe in pipes:
            status, value = pipe.recv()
            if status != "ready":
                raise RuntimeError(f"worker failed: {value}")
            connected += value
        settle_s = settle(servers)
        rss_connected = [rss_bytes(s.proc.pid) for s in servers]
        watch_pg = sc.kind == "snowball" and args.database == "postgresql"
        cpu0 = [cpu_seconds(s.proc.pid) for s in servers]
        wait0, jiffies0 = [run_queue_wait_seconds(s.proc.pid) for s in servers], machine_jiffies()
        pg0, load0 = cpu_by_pid(postgres_pids() if watch_pg else []), total_cpu([p.pid for p in workers])
        wall0 = time.monotonic()
        t0 = wall0 + 0.5
        spies = start_profiles(getattr(args, "py_spy", None), servers, sc, args.duration + 0.5)
        for pipe in pipes:
            pipe.send({"t0": t0})
        for pipe in pipes:
            pipe.recv()  # ran
        wall1 = time.monotonic()
        finish_profiles(spies)
        cpu1 = [cpu_seconds(s.proc.pid) for s in servers]
        wait1, jiffies1 = [run_queue_wait_seconds(s.proc.pid) for s in servers], machine_jiffies()
        pg1 = cpu_by_pid(postgres_pids() if watch_pg else [])
        load1 = total_cpu([p.pid for p in workers])
        pg_used = sum(cpu - pg0.get(pid, 0.0) for pid, cpu in pg1.items())  # backends opened meanwhile count from 0
        rss_end = [rss_bytes(s.proc.pid) for s in servers]
        # The head: the highest seq anyone was acked (every client must end with everything up to it).
        reports = []
        sent = []
        head = board.head
        # Ask one worker's view of the acks first: simplest is to collect the reports with the head
        # every worker saw, which needs the head first; the schedule's acks live in the workers, so
        # ask the server directly.
        head = max(head, current_head(servers[0].url, board))
        for pipe in pipes:
            pipe.send({"head": head, "drain_s": 10})
        for pipe in pipes:
            status, report = pipe.recv()
            reports.append(report)
            sent += report["sent"]
        for proc in workers:
            proc.join(15)
        print(f"    (connect storm digested in {settle_s:.0f} s)", flush=True)
        result = summarise(sc, args, reports, sent, head, connected, rss_base, rss_connected, rss_end,
                           [b - a for a, b in zip(cpu0, cpu1)], pg_used, load1 - load0, wall1 - wall0)
        result["machine_load"] = max(load_before, os.getloadavg()[0])
        # Whether the machine, not the server, set the pace: every core's busy share, and how long the
        # server was ready to run but waited for a core (load generators and PostgreSQL share the 2 cores).
        result["machine_busy"] = (jiffies1[0] - jiffies0[0]) / max(1, jiffies1[1] - jiffies0[1]) * 100
        result["cpu_wait"] = [(b - a) / (wall1 - wall0) * 100 for a, b in zip(wait0, wait1)]
        return result
    finally:
        for s in servers:
            s.stop()
        if db is not None:
            db.drop()


def start_profiles(folder: str | None, servers: list[Server], sc: Scenario, seconds: float) -> list:
    """With --py-spy DIR: sample each server for the load window (collapsed stacks, read by bench/profile_top.py)."""
    if not folder:
        return []
    Path(folder).mkdir(parents=True, exist_ok=True)
    spy = str(Path(sys.executable).with_name("py-spy"))
    spies = []
    for i, s in enumerate(servers):
        out = Path(folder) / f"{sc.name.replace(' ', '_')}-{sc.n}-{i}-{datetime.now(timezone.utc):%H%M%S}.txt"
        spies.append(subprocess.Popen([spy, "record", "--pid", str(s.proc.pid), "--duration", str(int(seconds + 0.99)),
                                       "--rate", "200", "--format", "raw", "--nonblocking", "-o", str(out)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    return spies


def finish_profiles(spies: list) -> None:
    """Wait for the samplers started by start_profiles (they stop by themselves after the window)."""
    for spy in spies:
        spy.wait(30)


def worker_entry(config: dict, conn) -> None:
    """Entry point of a spawned load-generator process."""
    loadgen.worker_main(config, conn)


def settle(servers: list[Server], idle_pct: float = 15.0, limit_s: float = 90.0) -> float:
    """Wait until the connect storm is digested (each server under `idle_pct` CPU for 1 s); seconds waited.

    Every client says which map it looks at once connected, and Snowball relays that to the whole board:
    N connects cost N x N messages, which must not spill into the measured window.
    """
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        before = [cpu_seconds(s.proc.pid) for s in servers]
        time.sleep(1.0)  # sampling CPU use, not waiting on state
        if all((cpu_seconds(s.proc.pid) - b) * 100 < idle_pct for s, b in zip(servers, before)):
            break
    return time.monotonic() - started


def current_head(base: str, board: Board) -> int:
    """The board's last seq, from the server (a short replay from the setup's head)."""
    async def ask():
        client = await Solo(base, board.code).client(board.tokens[0], since=board.head)
        await client.close()
        return client.sync_seq
    return asyncio.run(ask())


def summarise(sc, args, reports, sent, head, connected, rss_base, rss_connected, rss_end, cpu, pg_cpu, load_cpu, wall) -> dict:
    ok = [s for s in sent if s[4] is not None]
    ack_ms = [(s[3] - s[2]) * 1000 for s in ok if s[1] != "join"]
    if os.environ.get("BENCH_DEBUG"):
        for kind in sorted({s[1] for s in sent}):
            mine = [(s[3] - s[2]) * 1000 for s in sent if s[1] == kind]
            print(f"    ack {kind}: n={len(mine)} p50={pct(mine, 50):.0f} p95={pct(mine, 95):.0f} max={max(mine):.0f}", file=sys.stderr)
        t_first = min(s[2] for s in sent)
        for s_ in sorted(sent, key=lambda s: s[2])[:400:10]:
            print(f"    t={s_[2] - t_first:6.2f} {s_[1]:5} ack {1000 * (s_[3] - s_[2]):7.0f} ms", file=sys.stderr)
    errors: dict[str, int] = {}
    for s in sent:
        if s[4] is None:
            errors[s[5]] = errors.get(s[5], 0) + 1
    t_send = {s[4]: (s[2], s[0]) for s in ok}
    latencies, last = [], {}
    for r in reports:
        seqs, times, clients = array("l"), array("d"), array("l")
        seqs.frombytes(r["recv_seq"])
        times.frombytes(r["recv_t"])
        clients.frombytes(r["recv_client"])
        for seq, t, c in zip(seqs, times, clients):
            origin = t_send.get(seq)
            if origin is None or origin[1] == c:
                continue
            d = (t - origin[0]) * 1000
            latencies.append(d)
            if d > last.get(seq, 0):
                last[seq] = d
    drag_sent = {}
    for r in reports:
        for pid, node, x, t in r["drag_sent"]:
            drag_sent.setdefault((node, x), t)
    drags = [(t - drag_sent[(node, x)]) * 1000 for r in reports for pid, node, x, t in r["drag_recv"] if (node, x) in drag_sent]
    joins = [j for r in reports for j in r["join_snapshots"]]
    n = max(connected, 1)
    # Deliveries: every frame a client received (board events, its own included, and drag frames).
    deliveries = sum(len(r["recv_seq"]) // array("l").itemsize for r in reports) + sum(len(r["drag_recv"]) for r in reports)
    return {
        "ops_s": len(ok) / args.duration, "errors": errors, "samples": len(latencies), "ack_p95": pct(ack_ms, 95),
        "p50": pct(latencies, 50), "p95": pct(latencies, 95), "p99": pct(latencies, 99),
        "last_p95": pct(list(last.values()), 95), "drag_p95": pct(drags, 95), "drags": len(drags),
        "lost": sum(r["missing"] for r in reports), "repaired": sum(r["repaired"] for r in reports),
        "gaps": sum(r["gaps"] for r in reports), "disconnects": sum(r["disconnects"] for r in reports),
        "cpu": [c / wall * 100 for c in cpu], "cpu_s": sum(cpu), "deliveries": deliveries, "pg_cpu": pg_cpu / wall * 100, "load_cpu": load_cpu / wall * 100,
        "rss_conn_kb": sum(b - a for a, b in zip(rss_base, rss_connected)) / n / 1024,
        "rss_mb": [r / 2 ** 20 for r in rss_end], "head": head, "connected": connected,
        "join_ms": statistics.median([j[0] for j in joins]) if joins else float("nan"),
        "join_p95": pct([j[0] for j in joins], 95),
        "join_kb": statistics.median([j[1] for j in joins]) / 1024 if joins else float("nan"),
        "worker_errors": [e for r in reports for e in r["errors"]],
    }




def main() -> None:
    parser = argparse.ArgumentParser(description="Snowball fan-out benchmark (prints a Markdown table).")
    parser.add_argument("--n", default="100,500,1000", help="participants per board, comma-separated")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load per scenario")
    parser.add_argument("--rate", type=float, default=20.0, help="committed operations per second")
    parser.add_argument("--workers", type=int, default=2, help="load-generator processes")
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--only", default="", help="scenarios to run: anchor,snowball,snowball gevent,anchor+deflate,"
                                                   "snowball+deflate,snowball x2")
    parser.add_argument("--no-snapshot", action="store_true", help="skip the full-board snapshot measurement")
    parser.add_argument("--snapshot-repeats", type=int, default=15)
    parser.add_argument("--snapshot-scale", type=float, default=1.0, help="shrink the full board (e.g. 0.1 to try the script)")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--join-share", type=float, default=0.05, help="share of the operations that are joins")
    parser.add_argument("--py-spy", metavar="DIR", help="sample each server with py-spy during the load (pip install py-spy)")
    args = parser.parse_args()
    ns = [int(n) for n in args.n.split(",")]
    wanted = set(filter(None, args.only.split(","))) or {"anchor", "snowball", "snowball gevent", "anchor+deflate",
                                                                 "snowball+deflate", "snowball x2"}
    scenarios = []
    for n in ns:
        scenarios.append(Scenario("anchor", "anchor", n, "off"))
        scenarios.append(Scenario("snowball", "snowball", n, "threshold"))
        # The same server on gevent (docs/deploy.md, "Which async mode"): compare the two loops.
        scenarios.append(Scenario("snowball gevent", "snowball", n, "threshold", async_mode="gevent"))
        if n == max(ns):
            scenarios.append(Scenario("anchor+deflate", "anchor", n, "all"))
            scenarios.append(Scenario("snowball+deflate", "snowball", n, "all"))
            if args.database == "postgresql":
                scenarios.append(Scenario("snowball x2", "snowball", n, "threshold", processes=2))
    scenarios = [sc for sc in scenarios if sc.name in wanted]
    tmp = Path(os.environ.get("TMPDIR", "/tmp")) / f"snowball-bench-{uuid.uuid4().hex[:6]}"
    tmp.mkdir(parents=True)
    started = time.monotonic()
    print(f"Snowball fan-out benchmark — {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(f"machine: {machine()}")
    print(f"command: {' '.join(sys.argv)}  (database {args.database}, {args.rate:g} ops/s, {args.duration:g} s per scenario, "
          f"{args.workers} load processes, logs in {tmp})", flush=True)
    for sc in scenarios:
        try:
            sc.result = run_scenario(sc, args, tmp)
            r = sc.result
            print(f"    -> p50 {fmt(r['p50'])} p95 {fmt(r['p95'])} p99 {fmt(r['p99'])} ms, lost {r['lost']}, "
                  f"CPU {' + '.join(fmt(c, 0) for c in r['cpu'])} %, RSS/conn {fmt(r['rss_conn_kb'])} KB, "
                  f"{fmt(r['ops_s'])} ops/s", flush=True)
        except Exception as exc:  # noqa: BLE001 - report and go on with the next scenario
            print(f"  {sc.name} N={sc.n} failed: {type(exc).__name__}: {exc}", flush=True)
    snapshots = [] if args.no_snapshot else measure_snapshots(args, tmp)
    print_tables(scenarios, snapshots, args)
    print(f"\n(total {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
