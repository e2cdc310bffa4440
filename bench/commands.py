"""The cost of one write command through the services: CPU, statements, round trips to PostgreSQL, wall time.

Runs the hot commands of the capacity benchmark's mix (map moves and adds, votes cast and retracted,
story posts and edits, joins) directly on the services, on a fresh database, and prints a Markdown
table per command kind. Run by hand from the repository root, never by the test suite:

    flock /tmp/machine.lock .venv/bin/python bench/commands.py [--database postgresql|sqlite] [--eventlet]

`--eventlet` monkey-patches first, so writes take the write gate and psycopg's blocking C wait, as
the server does. Round trips are psycopg's waits on the socket (one per statement, plus BEGIN, COMMIT
and the pool's pre-ping): under eventlet each one blocks the whole process while PostgreSQL answers.
Counting them wraps psycopg's generators, which adds a little CPU to every figure.
`--show-sql` prints the statements of one command of each kind.
"""
from __future__ import annotations

import sys

if "--eventlet" in sys.argv:  # before anything imports socket or psycopg
    import eventlet

    eventlet.monkey_patch()

import argparse  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Callable, Iterator  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg.waiting  # noqa: E402
from sqlalchemy import event as sa_event  # noqa: E402

from bench.bench_support import Database as BenchDatabase, pct  # noqa: E402
from server.domain.actors import Actor, Role  # noqa: E402
from server.persistence.db import Database  # noqa: E402
from server.services import boards, identity, projects  # noqa: E402
from server.services.maps import use_cases as maps  # noqa: E402
from server.services.votes import use_cases as votes  # noqa: E402

KINDS = ("move", "add", "cast", "retract", "edit", "post", "join")
AUTHORS, VOTERS = 20, 60  # setup: 20 stories with one node each; 60 people who vote, map and post


def op() -> str:
    return uuid.uuid4().hex


class Counters:
    """Statements (SQLAlchemy cursor executes, on every engine) and round trips to PostgreSQL so far.

    A round trip is one wait of psycopg on the socket: BEGIN and COMMIT, the pool's pre-ping and every
    statement each wait for their answer once (a large answer arriving in pieces would count more).
    """

    def __init__(self, db: Database) -> None:
        self.statements = 0
        self.waits = 0
        self.sql: list[str] | None = None
        for engine in {db.engine, db.write_engine}:
            sa_event.listen(engine, "before_cursor_execute", self._on_execute)
        # psycopg looks `waiting.wait` up at each call; the write gate's own wrapper (if any) is inside this one.
        inner = psycopg.waiting.wait

        def counted(gen, *args, **kwargs):
            return inner(self._counting(gen), *args, **kwargs)

        psycopg.waiting.wait = counted

    def _counting(self, gen):
        """`gen` as psycopg's wait drives it, each wait on the socket counted (one per answer PostgreSQL sends)."""
        try:
            state = gen.send(None)
            while True:
                self.waits += 1
                state = gen.send((yield state))
        except StopIteration as done:
            return done.value

    def _on_execute(self, _conn, _cursor, statement, *_args) -> None:
        self.statements += 1
        if self.sql is not None:
            self.sql.append(" ".join(statement.split())[:160])


class Board:
    """One board set up for the mix: 20 stories with a node each, 60 participants, the vote open."""

    def __init__(self, db: Database) -> None:
        self.db = db
        created = boards.create_board(db, "Bench", "fr", None)
        self.code = created.board["code"]
        self.host, _ = identity.authenticate(db, self.code, created.facilitator_secret)
        self.people = [Actor(self.host.board_id, Role.PARTICIPANT, identity.join(db, self.code, f"P{i}", op()).participant["id"])
                       for i in range(VOTERS)]
        self.stories = [projects.post_project(db, a, op(), {"title": "T", "pitch": "p", "story": "s"}).event["data"]["project"]["id"]
                        for a in self.people[:AUTHORS]]
        votes.configure(db, self.host, op(), 3, 1)
        votes.open_vote(db, self.host, op())
        self.nodes = {pid: maps.add_node(db, self.host, op(), pid, {"label": "n", "ring": "inner"}).event["data"]["node"]["id"]
                      for pid in self.stories}
        self.rng = random.Random(1)

    def command(self, kind: str, i: int) -> Callable[[], object]:
        """The i-th command of this kind, ready to run."""
        db, rng = self.db, self.rng
        voter = self.people[AUTHORS + i % (VOTERS - AUTHORS)]
        story = self.stories[i % AUTHORS]
        author = self.people[i % AUTHORS]  # the author of `story`: may move any node of its map, through the gate
        if kind == "move":
            x, y = rng.uniform(-0.5, 0.5), rng.uniform(-0.5, 0.5)
            return lambda: maps.move_node(db, author, op(), story, self.nodes[story], x, y)
        if kind == "add":
            return lambda: maps.add_node(db, voter, op(), story, {"label": f"F{i}", "ring": "crowd"})
        if kind in ("cast", "retract"):
            # In each round a voter puts a dot on a story, then takes it back (budget 3, cap 1: never refused).
            use_case = votes.cast if kind == "cast" else votes.retract
            return lambda: use_case(db, voter, op(), story)
        if kind == "edit":
            return lambda: projects.edit_project(db, author, op(), story, {"pitch": f"p{i}"})
        if kind == "post":
            return lambda: projects.post_project(db, voter, op(), {"title": f"T{i}", "pitch": "p", "story": "s"})
        return lambda: identity.join(db, self.code, f"J{i}", op())


def run_mix(board: Board, counters: Counters, rounds: int, start: int) -> dict[str, list[tuple[float, float, int, int]]]:
    """Run `rounds` rounds of one command of each kind (posts only while the limits allow); measure each."""
    measured: dict[str, list[tuple[float, float, int, int]]] = {kind: [] for kind in KINDS}
    for i in range(start, start + rounds):
        for kind in KINDS:
            if kind == "post" and i % 4:  # 3 stories per person, 200 per board: one post every 4 rounds
                continue
            run = board.command(kind, i if kind != "post" else i // 4)
            s0, w0, c0, t0 = counters.statements, counters.waits, time.process_time(), time.perf_counter()
            run()
            measured[kind].append((time.process_time() - c0, time.perf_counter() - t0,
                                   counters.statements - s0, counters.waits - w0))
    return measured


def table(measured: dict[str, list[tuple[float, float, int, int]]], postgres: bool) -> str:
    """The Markdown table: one row per command kind."""
    lines = ["| command | n | CPU ms p50 | CPU ms p95 | statements p50 | round trips p50 | wall ms p50 | wall ms p95 |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for kind, rows in measured.items():
        if not rows:
            continue
        cpu, wall = [r[0] * 1000 for r in rows], [r[1] * 1000 for r in rows]
        trips = f"{pct([r[3] for r in rows], 50):.0f}" if postgres else "–"
        lines.append(f"| {kind} | {len(rows)} | {pct(cpu, 50):.2f} | {pct(cpu, 95):.2f} | {pct([r[2] for r in rows], 50):.0f} "
                     f"| {trips} | {pct(wall, 50):.2f} | {pct(wall, 95):.2f} |")
    return "\n".join(lines)


@contextmanager
def fresh_database(kind: str) -> Iterator[str]:
    """The URL of an empty database (bench_support's, as the other benchmarks use), dropped afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        database = BenchDatabase(kind, Path(tmp))
        try:
            yield database.url
        finally:
            database.drop()


def show_sql(board: Board, counters: Counters) -> None:
    """Print the statements of one command of each kind."""
    for kind in KINDS:
        counters.sql = []
        board.command(kind, 10_000 + 4 * len(KINDS))()
        print(f"\n{kind}:\n  " + "\n  ".join(counters.sql))
    counters.sql = None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--eventlet", action="store_true", help="monkey-patch as the server does (write gate, C wait)")
    parser.add_argument("--rounds", type=int, default=120, help="measured rounds of the mix (at most 300)")
    parser.add_argument("--warmup", type=int, default=20, help="rounds run first, not measured")
    parser.add_argument("--show-sql", action="store_true", help="print one command's statements per kind")
    args = parser.parse_args()
    if not 0 < args.rounds + args.warmup <= 320:
        parser.error("--rounds + --warmup must be between 1 and 320 (a board holds 200 stories)")
    with fresh_database(args.database) as url:
        db = Database(url)
        try:
            db.migrate()
            board = Board(db)
            counters = Counters(db)
            run_mix(board, counters, args.warmup, 0)
            measured = run_mix(board, counters, args.rounds, args.warmup)
            mode = "eventlet (write gate, blocking C wait)" if args.eventlet else "threads"
            print(f"\n{args.database}, {mode}, {args.rounds} rounds, pid {os.getpid()}\n")
            print(table(measured, args.database == "postgresql"))
            if args.show_sql:
                show_sql(board, counters)
        finally:
            db.dispose()


if __name__ == "__main__":
    main()
