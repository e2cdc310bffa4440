"""The join snapshot of a growing board: 1,000 participants, then 50, 100, 200 projects with 10 map nodes each.

Part of the fan-out benchmark (bench/fanout.py runs it last); times the server-side build and the
encoding with the server's own JSON module, the `sync` round trip, and the size as JSON and deflated.
"""
from __future__ import annotations

import asyncio
import random
import statistics
import time
import zlib
from pathlib import Path

from bench.bench_support import WORDS, Database, Server, Solo, command, http_json, join_many, pct, story
from bench.report import fmt


def measure_snapshots(args, tmp: Path) -> list[dict]:
    """Grow one board to 1,000 participants, 200 projects and 2,000 nodes; time its snapshot at each size."""
    print("  full-board snapshot ...", flush=True)
    db = Database(args.database, tmp)
    server = Server(["wsgi.py"], {"DATABASE_URL": db.url, "SNOWBALL_RATE_LIMIT_EXEMPT": "127.0.0.1"}, tmp / "snapshot.log")
    rows = []
    try:
        rows = asyncio.run(_grow_and_measure(server.url, db.url, args))
    finally:
        server.stop()
        db.drop()
    return rows


async def _grow_and_measure(base: str, db_url: str, args) -> list[dict]:
    from sqlalchemy import text as sql

    from server.domain.actors import Actor, Role
    from server.persistence.db import Database as SnowballDb
    from server.realtime.wire_guard import BoundedJSON
    from server.services import snapshot as snapshots
    from server.wiring import register_snapshot_parts

    register_snapshot_parts()  # as the server does at start

    created = http_json(f"{base}/api/boards", {"title": "Full board", "language": "en"})
    code = created["board"]["code"]
    people = max(10, int(1000 * args.snapshot_scale))
    joined = join_many(base, code, [f"Person {i}" for i in range(people)])
    solo = Solo(base, code)
    snowball_db = SnowballDb(db_url)
    with snowball_db.read() as session:
        board_id = session.execute(sql("SELECT id FROM boards WHERE code = :c"), {"c": code}).scalar_one()
    actor = Actor(board_id, Role.PARTICIPANT, joined[-1]["participant"]["id"])
    rows, projects = [], 0
    for target_projects in (max(1, int(n * args.snapshot_scale)) for n in (50, 100, 200)):
        while projects < target_projects:
            author = await solo.client(joined[projects % len(joined)]["token"], sync=False)
            await command(author, "project_post", {"project": {"title": f"Project {projects}", "pitch": "A story for the street",
                                                                "story": story(random.Random(projects))}})
            await author.close()
            projects += 1
        # A facilitator connection per stage (the per-connection limits: 30 commands/s, 600/min, 60 syncs/min).
        host = await solo.client(created["facilitator_token"])
        snap = (await host.call("sync", {}))[0]["snapshot"]
        mapped = {m["project_id"] for m in snap.get("tribe_maps", []) if m["nodes"]}
        for p in snap["projects"]:
            if p["id"] in mapped:
                continue
            if host.next_ack > 500:
                await host.close()
                host = await solo.client(created["facilitator_token"], sync=False)
            for k in range(10):
                await command(host, "map_node_add", {
                    "project_id": p["id"], "label": f"{random.Random(k * 7 + p['id']).choice(WORDS).title()} friends {k}",
                    "kind": "person", "ring": ("inner", "network", "crowd")[k % 3], "reach": 10 * k + 5})
        await host.close()
        reader = await solo.client(joined[-1]["token"], sync=False)
        builds, encodes, rtts, sizes = [], [], [], []
        for _ in range(args.snapshot_repeats):
            t = time.perf_counter()
            snap = snapshots.snapshot(snowball_db, actor)
            builds.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            encoded = BoundedJSON.dumps(snap)  # what the server encodes a reply with
            encodes.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            _, _, size = await reader.call("sync", {})
            rtts.append((time.perf_counter() - t) * 1000)
            sizes.append(size)
            await asyncio.sleep(0.25)  # the per-connection sync limit is 5/s
        await reader.close()
        deflated = zlib.compressobj(6, zlib.DEFLATED, -15)
        wire = len(deflated.compress(encoded.encode()) + deflated.flush(zlib.Z_SYNC_FLUSH)) - 4
        nodes = sum(len(m["nodes"]) for m in snap.get("tribe_maps", []))
        rows.append({"participants": people, "projects": len(snap["projects"]), "nodes": nodes,
                     "build_ms": statistics.median(builds), "encode_ms": statistics.median(encodes),
                     "rtt_ms": statistics.median(rtts), "rtt_p95_ms": pct(rtts, 95),
                     "json_kb": len(encoded.encode()) / 1024, "frame_kb": statistics.median(sizes) / 1024, "wire_kb": wire / 1024})
        print(f"    snapshot {rows[-1]['projects']} projects / {nodes} nodes: build {fmt(rows[-1]['build_ms'])} ms, "
              f"encode {fmt(rows[-1]['encode_ms'])} ms, round trip {fmt(rows[-1]['rtt_ms'])} ms, "
              f"{fmt(rows[-1]['json_kb'], 0)} KB JSON, {fmt(rows[-1]['wire_kb'], 0)} KB deflated", flush=True)
    snowball_db.dispose()
    return rows
