"""Export timings at the product's limits: run by hand, prints a table (not a test).

    .venv/bin/python bench/export_bench.py                 # 500 participants, 200 projects, full maps
    .venv/bin/python bench/export_bench.py --participants 1000 --maps-through-services

Builds one board in a temporary SQLite database: participants join, 200 of them post a project
with every text at its length limit, everyone spends their dots, the vote is revealed, every map
is full (150 nodes, 300 links, 120 plan items, 3 saved e-mails). Board, people, projects, votes,
settings and e-mails go through the services; map rows too with --maps-through-services
(~10 minutes), else they are inserted in bulk with the same models (what is exported is the same).
Then it times the export snapshot and every format as the server makes them (PDF in its child
process, under its memory limit), and the archive's import.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.domain import email_drafts as draft_rules  # noqa: E402
from server.domain import limits  # noqa: E402
from server.domain import tribe_maps as map_rules  # noqa: E402
from server.domain.actors import Actor, Role  # noqa: E402
from server.domain.errors import DomainError  # noqa: E402
from server.export import formats, pdf  # noqa: E402
from server.persistence.db import Database  # noqa: E402
from server.persistence.map_models import MapLink, MapNode, PlanItem, TribeMap  # noqa: E402
from server.services import boards, identity, projects  # noqa: E402
from server.services.archive import exports, imports
from server.services.maps import use_cases as tribe_maps
from server.services.votes import use_cases as votes

WORDS = ("snowball", "community", "campaign", "neighbours", "festival", "crowd", "première", "récolte", "élan",
         "friends", "radio", "association", "école", "garden", "bakery", "cinéma")


def op() -> str:
    return uuid.uuid4().hex


# Text lengths: "limit" fills every field to its maximum; "typical" is what people write in a workshop.
TYPICAL = {limits.PROJECT_TITLE_MAX - 4: 36, limits.PROJECT_PITCH_MAX: 90, limits.PROJECT_STORY_MAX: 1200,
           limits.PROJECT_CATEGORY_MAX: 12, limits.PROJECT_PLATFORM_MAX: 10, map_rules.NODE_LABEL_MAX - 4: 18,
           map_rules.PLAN_WHAT_MAX: 50, map_rules.PLAN_WHERE_MAX: 16, map_rules.PLAN_HOW_MAX: 160,
           draft_rules.EMAIL_SUBJECT_MAX: 50, draft_rules.EMAIL_BODY_MAX: 1200}
LENGTHS = {"mode": "limit"}


def text(rng: random.Random, length: int, lines: bool = False) -> str:
    """Words up to `length` characters ("limit" mode) or a typical length (paragraphs when `lines`)."""
    if LENGTHS["mode"] == "typical":
        length = TYPICAL.get(length, min(length, 60))
    out = []
    size = 0
    while size < length:
        word = rng.choice(WORDS)
        if lines and rng.random() < 0.08:
            word += "\n"
        out.append(word)
        size += len(word) + 1
    return " ".join(out)[:length].strip()


def build(db: Database, participants: int, project_count: int, maps_through_services: bool, rng: random.Random) -> tuple[str, Actor, list[Actor]]:
    created = boards.create_board(db, "Benchmark — " + text(rng, 80), "fr", "2026-06-03T17:00")
    code = created.board["code"]
    facilitator, _ = identity.authenticate(db, code, created.facilitator_secret)
    people = [Actor(facilitator.board_id, Role.PARTICIPANT, identity.join(db, code, f"Personne {i:04d}", op()).participant["id"])
              for i in range(participants)]
    authors = people[:project_count]
    project_ids = []
    for i, author in enumerate(authors):
        fields = {"title": f"{i:03d} " + text(rng, limits.PROJECT_TITLE_MAX - 4), "pitch": text(rng, limits.PROJECT_PITCH_MAX),
                  "story": text(rng, limits.PROJECT_STORY_MAX, lines=True), "category": text(rng, limits.PROJECT_CATEGORY_MAX),
                  "goal_amount": rng.randrange(1000, 100000), "currency": "EUR", "platform": text(rng, limits.PROJECT_PLATFORM_MAX),
                  "campaign_start": "2026-09-01", "campaign_end": "2026-10-15", "link": "https://example.org/" + "p" * 400}
        project_ids.append(projects.post_project(db, author, op(), fields).event["data"]["project"]["id"])
    votes.open_vote(db, facilitator, op())
    authored = {a.participant_id: pid for a, pid in zip(authors, project_ids)}
    for person in people:
        own = authored.get(person.participant_id)
        for pid in rng.sample([p for p in project_ids if p != own], 3):
            votes.cast(db, person, op(), pid)
    votes.close_vote(db, facilitator, op())
    votes.reveal(db, facilitator, op())
    for author, pid in zip(authors, project_ids):
        tribe_maps.edit_settings(db, author, op(), pid, {"average_pledge": 35})
        if maps_through_services:
            _fill_map_through_services(db, author, pid, rng)
        else:
            _fill_map_in_bulk(db, facilitator.board_id, pid, author.participant_id, rng)
        for ring in map_rules.RINGS:
            tribe_maps.save_email_draft(db, author, op(), pid, ring, text(rng, draft_rules.EMAIL_SUBJECT_MAX),
                                        text(rng, draft_rules.EMAIL_BODY_MAX, lines=True))
    return code, facilitator, people


SIZES = {"nodes": map_rules.NODES_PER_MAP, "links": map_rules.LINKS_PER_MAP, "plan": map_rules.PLAN_ITEMS_PER_MAP}


def _node_fields(rng: random.Random, i: int) -> dict:
    ring = map_rules.RINGS[i % 3]
    position = map_rules.default_position(ring, i // 3)
    return {"label": f"{i:03d} " + text(rng, map_rules.NODE_LABEL_MAX - 4), "kind": map_rules.KINDS[i % 4], "ring": ring,
            "reach": rng.randrange(1, 5000), "x": position.x, "y": position.y}


def _link_pairs(ids: list[int]) -> list[tuple[int, int]]:
    """LINKS_PER_MAP distinct links: each node brings its next neighbour, then the one after."""
    n = len(ids)
    return [(ids[k % n], ids[(k % n + 1 + k // n) % n]) for k in range(min(SIZES["links"], 2 * n - 2 if n > 2 else 0))]


def _fill_map_through_services(db: Database, author: Actor, pid: int, rng: random.Random) -> None:
    nodes = [tribe_maps.add_node(db, author, op(), pid, _node_fields(rng, i)).event["data"]["node"]["id"]
             for i in range(SIZES["nodes"])]
    for a, b in _link_pairs(nodes):
        tribe_maps.add_link(db, author, op(), pid, a, b)
    for i in range(SIZES["plan"]):
        tribe_maps.add_plan_item(db, author, op(), pid, {
            "what": text(rng, map_rules.PLAN_WHAT_MAX), "node_id": nodes[i % len(nodes)], "when": map_rules.PHASES[i % 6],
            "where": text(rng, map_rules.PLAN_WHERE_MAX), "how": text(rng, map_rules.PLAN_HOW_MAX, lines=True)})


def _fill_map_in_bulk(db: Database, board_id: int, pid: int, author_id: int, rng: random.Random) -> None:
    with db.write() as session:
        tribe_map = session.query(TribeMap).filter_by(project_id=pid).one()
        rows = [MapNode(map_id=tribe_map.id, added_by=author_id, **_node_fields(rng, i)) for i in range(SIZES["nodes"])]
        session.add_all(rows)
        session.flush()
        ids = [row.id for row in rows]
        session.add_all(MapLink(map_id=tribe_map.id, from_node_id=a, to_node_id=b, added_by=author_id) for a, b in _link_pairs(ids))
        session.add_all(PlanItem(map_id=tribe_map.id, node_id=ids[i % len(ids)], ring=None, what=text(rng, map_rules.PLAN_WHAT_MAX),
                                 phase=map_rules.PHASES[i % 6], channel=text(rng, map_rules.PLAN_WHERE_MAX),
                                 message=text(rng, map_rules.PLAN_HOW_MAX, lines=True), added_by=author_id)
                        for i in range(SIZES["plan"]))


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the PDF child counts too)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(fn):
    start, cpu = time.perf_counter(), _cpu()
    result = fn()
    CPU["last"] = _cpu() - cpu
    return result, time.perf_counter() - start


CPU = {"last": 0.0}  # CPU seconds of the last timed call: on a shared machine, wall time alone misleads


def size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MiB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KiB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--maps-through-services", action="store_true")
    parser.add_argument("--skip-pdf", action="store_true", help="leave out the PDF summary (the slowest)")
    parser.add_argument("--projects", type=int, default=limits.PROJECTS_PER_BOARD, help="fewer, to measure quickly")
    parser.add_argument("--map-nodes", type=int, default=map_rules.NODES_PER_MAP,
                        help="nodes per map (links: twice as many, plan items: 4 in 5, within the limits)")
    parser.add_argument("--text", choices=("limit", "typical"), default="limit",
                        help="every text at its length limit, or typical lengths")
    args = parser.parse_args()
    rng = random.Random(6)
    LENGTHS["mode"] = args.text
    SIZES.update(nodes=args.map_nodes, links=min(2 * args.map_nodes, map_rules.LINKS_PER_MAP),
                 plan=min(args.map_nodes * 4 // 5, map_rules.PLAN_ITEMS_PER_MAP))
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        db.migrate()
        (code, facilitator, people), built = timed(lambda: build(db, args.participants, args.projects, args.maps_through_services, rng))
        print(f"board built in {built:.0f} s: {args.participants} participants, {args.projects} projects, "
              f"maps of {SIZES['nodes']} nodes / {SIZES['links']} links / {SIZES['plan']} plan items "
              f"({'services' if args.maps_through_services else 'bulk insert'}), texts at {args.text} length\n")
        rows = []
        load = os.getloadavg()[0]
        snapshot, seconds = timed(lambda: exports.summary_snapshot(db, facilitator))
        rows.append(("snapshot (one read transaction)", seconds, None, CPU["last"]))
        for fmt in formats.SUMMARY_FORMATS:
            if fmt == "pdf" and args.skip_pdf:
                continue
            start, cpu = time.perf_counter(), _cpu()
            try:
                content, _spec, _name = formats.render_summary(snapshot, fmt, to_pdf=pdf.html_to_pdf_in_child)
            except DomainError as error:  # e.g. over the PDF child's memory limit: say so in the table
                rows.append((f"summary {fmt}: {error.code}", time.perf_counter() - start, None, _cpu() - cpu))
                print(f"  summary {fmt}: {error.code} after {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
                continue
            seconds = time.perf_counter() - start
            rows.append((f"summary {fmt}", seconds, len(content), _cpu() - cpu))
            print(f"  summary {fmt}: {seconds:.2f} s", file=sys.stderr, flush=True)
        author = people[0]
        (booklet, whose), seconds = timed(lambda: exports.booklet_snapshot(db, author))
        rows.append(("booklet snapshot", seconds, None, CPU["last"]))
        for fmt in formats.BOOKLET_FORMATS:
            (content, _spec, _name), seconds = timed(
                lambda fmt=fmt: formats.render_booklet(booklet, whose, fmt, to_pdf=pdf.html_to_pdf_in_child))
            rows.append((f"booklet {fmt}", seconds, len(content), CPU["last"]))
        archive = formats.render_summary(snapshot, "json")[0]
        _imported, seconds = timed(lambda: imports.import_archive(db, archive))
        rows.append(("import of the archive", seconds, len(archive), CPU["last"]))
        print(f"load average before the exports: {load:.1f} (2 cores)\n")
        print(f"| {'what':32} | {'wall':>8} | {'CPU':>8} | {'size':>9} |")
        print(f"|{'-' * 34}|{'-' * 9}:|{'-' * 9}:|{'-' * 10}:|")
        for what, seconds, length, cpu in rows:
            print(f"| {what:32} | {seconds:7.2f}s | {cpu:7.2f}s | {size(length) if length else '':>9} |")
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
