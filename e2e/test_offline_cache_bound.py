"""The board kept on the device for opening offline stays bounded: past its frame limit it keeps the
snapshot and those frames (a true, earlier board) and starts again from a fresh snapshot, so a long
session never grows the kept copy without end, and the copy ends as current as the screen.
"""
from __future__ import annotations

from playwright.sync_api import expect

from e2e.pages.join import join_as
from e2e.support.room import Room
from tests.support.server import create_board

KEPT = """async () => {
    const cache = await caches.open("snowball-boards-v1");
    const keys = await cache.keys();
    if (!keys.length) return null;
    const kept = await (await cache.match(keys[0])).json();
    return {snapshot_seq: kept.snapshot.seq, frames: kept.frames.map((f) => f.seq)};
}"""

# The cache class alone, with a limit of 3: what it keeps, and when it asks for a fresh snapshot.
CLASS_CHECK = """async () => {
    const { BoardCache } = await import("/static/js/net/board_cache.js");
    let asked = 0;
    const cache = new BoardCache("ZZTEST", "participant", { maxFrames: 3, onFull: () => { asked += 1; } });
    cache.snapshotReceived({ seq: 10 });
    for (let seq = 11; seq <= 15; seq++) cache.frameApplied({ seq, type: "x", data: {} });
    const full = { frames: cache.frames.map((f) => JSON.parse(f).seq), asked };
    cache.snapshotReceived({ seq: 15 });  // the fresh snapshot
    for (const seq of [14, 15, 16]) cache.frameApplied({ seq, type: "x", data: {} });
    const fresh = { frames: cache.frames.map((f) => JSON.parse(f).seq), asked };
    cache.frameApplied({ seq: 18, type: "x", data: {} });  // a frame the kept copy cannot follow
    return { full, fresh, gap: { frames: cache.frames.map((f) => JSON.parse(f).seq), asked } };
}"""


def test_the_kept_board_keeps_at_most_its_limit_of_frames_and_asks_once_for_a_fresh_snapshot(people, board):
    page = people(f"/b/{board['board']['code']}")
    assert page.evaluate(CLASS_CHECK) == {
        "full": {"frames": [11, 12, 13], "asked": 1},
        "fresh": {"frames": [16], "asked": 1},
        "gap": {"frames": [16], "asked": 2},
    }


def test_a_long_session_keeps_a_bounded_current_copy_on_the_device(people, live_server):
    created = create_board(live_server.url, title="Atelier")
    code = created["board"]["code"]
    room = Room(live_server.url, created)
    try:
        voters = ["Cleo", "Dan", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo", "Kim", "Lou"]
        for name in ["Ben", *voters]:
            room.join(name)
        project = room.post("Ben", "Radio Quartier", "La radio du quartier")
        ana = people(f"/b/{code}")
        join_as(ana, "Ana")
        ana.wait_for_function(KEPT)
        first = ana.evaluate(KEPT)
        for _ in range(4):
            room.advance()  # start (join), values, post your project, story vote
        room.ok("host", "vote_open")
        # 260 more events: dots placed and taken back, round robin over ten people so that each stays
        # well within its connection's rate limit (30 commands a second).
        for i in range(130):
            who = voters[i % len(voters)]
            room.ok(who, "vote_cast", project_id=project)
            last = room.ok(who, "vote_retract", project_id=project)
        head = last["seq"]
        expect(ana.get_by_test_id("project-card")).to_have_count(1)
        ana.wait_for_function(f"() => ({KEPT})().then((k) => k && k.snapshot_seq + k.frames.length === {head})")
        kept = ana.evaluate(KEPT)
        assert kept["snapshot_seq"] > first["snapshot_seq"], "started again from a fresh snapshot"
        assert len(kept["frames"]) <= 200
        assert kept["frames"] == list(range(kept["snapshot_seq"] + 1, head + 1))  # gap-free up to the head
        assert ana.errors == []
    finally:
        room.close()
