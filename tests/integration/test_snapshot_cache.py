"""Joiners share one snapshot build per board, seq and view, and each still gets exactly their own snapshot.

On SQLite and PostgreSQL. Every snapshot that `sync.catch_up` hands out is compared with a fresh build
for the same actor (`snapshot.snapshot`, which never uses the cache).
"""
from __future__ import annotations

import threading

from server.services import projects, snapshot, snapshot_cache, sync
from server.services.maps import use_cases as tribe_maps
from server.services.show import moderation
from server.services.votes import use_cases as votes
from server.domain.clock import iso, utcnow
from tests.support.clients import op_id

SECRET = "Secret story of Ana"


def first_snapshot(database, actor) -> dict:
    """What a newcomer gets on its first sync; its run of show's clock must be read at the call, not at a build."""
    asked = iso(utcnow())
    snap = sync.catch_up(database, actor, None, 500)["snapshot"]
    assert snap["show"]["server_now"] >= asked
    return snap


def fresh(database, actor) -> dict:
    """A snapshot built now for this actor (never from the cache), to compare with; the clock reading left out."""
    return without_clock(snapshot.snapshot(database, actor))


def without_clock(snap: dict) -> dict:
    """The snapshot without the run of show's `server_now` (two readings of the clock differ by design)."""
    return {**snap, "show": {k: v for k, v in snap["show"].items() if k != "server_now"}}


def voting_board(database, board, join, people=("Ana", "Bo", "Chloé", "Dev")):
    """People with cards, an open vote, and different dots for each."""
    actors = {name: join(name)[0] for name in people}
    cards = [projects.post_project(database, actors[name], op_id(), {"title": f"{name}'s card", "pitch": "p"}).event["data"]["project"]["id"]
             for name in people[:2]]
    votes.open_vote(database, board.facilitator, op_id())
    votes.cast(database, actors["Bo"], op_id(), cards[0])
    votes.cast(database, actors["Chloé"], op_id(), cards[1])
    votes.cast(database, actors["Chloé"], op_id(), cards[0])
    return actors, cards


def test_a_burst_of_joiners_shares_one_build_and_each_gets_their_own_snapshot(database, board, join):
    actors, _ = voting_board(database, board, join)
    before = snapshot_cache.counts()
    got = {name: first_snapshot(database, actor) for name, actor in actors.items()}
    after = snapshot_cache.counts()
    assert after["built"] - before["built"] == 1  # one build for the four participants' view
    assert after["shared"] - before["shared"] == len(actors) - 1
    for name, actor in actors.items():
        assert without_clock(got[name]) == fresh(database, actor)  # their own `me` and dots, nobody else's
    assert got["Bo"]["vote"]["mine"] != got["Chloé"]["vote"]["mine"]
    assert got["Ana"]["me"]["participant_id"] == actors["Ana"].participant_id


def test_facilitator_and_projector_views_are_built_apart(database, board, join):
    actors, _ = voting_board(database, board, join)
    first_snapshot(database, actors["Ana"])
    for who in (board.facilitator, board.projector):
        assert without_clock(first_snapshot(database, who)) == fresh(database, who)


def test_the_next_commit_makes_the_next_joiner_build_again(database, board, join):
    actors, _ = voting_board(database, board, join)
    first_snapshot(database, actors["Ana"])
    card = projects.post_project(database, actors["Dev"], op_id(), {"title": "New after the build", "pitch": "p"}).event["data"]["project"]
    before = snapshot_cache.counts()["built"]
    snap = first_snapshot(database, actors["Bo"])
    assert snapshot_cache.counts()["built"] == before + 1
    assert card in snap["projects"] and without_clock(snap) == fresh(database, actors["Bo"])


def test_a_joiner_changing_its_copy_changes_nobody_elses(database, board, join):
    actors, _ = voting_board(database, board, join)
    mine = first_snapshot(database, actors["Ana"])
    mine["projects"] = []
    mine["vote"]["mine"] = "changed"
    mine["me"]["role"] = "changed"
    assert without_clock(first_snapshot(database, actors["Bo"])) == fresh(database, actors["Bo"])


def test_a_hidden_card_stays_with_its_author_whoever_joined_first(database, board, join):
    people = {name: join(name)[0] for name in ("Ana", "Bo", "Chloé")}
    card = projects.post_project(database, people["Ana"], op_id(), {"title": "Ana's bakery", "pitch": "p", "story": SECRET})
    ana_card = card.event["data"]["project"]["id"]
    tribe_maps.add_node(database, people["Bo"], op_id(), ana_card, {"label": "Maman of Ana", "ring": "inner", "reach": 5})
    moderation.hide_project(database, board.facilitator, op_id(), ana_card)
    ana = first_snapshot(database, people["Ana"])  # the author's view is built first
    bo = first_snapshot(database, people["Bo"])
    chloe = first_snapshot(database, people["Chloé"])
    assert SECRET in str(ana) and [m["project_id"] for m in ana["tribe_maps"]] == [ana_card]
    for snap, who in ((bo, "Bo"), (chloe, "Chloé")):
        assert SECRET not in str(snap) and "Maman of Ana" not in str(snap)
        assert without_clock(snap) == fresh(database, people[who])
    assert without_clock(first_snapshot(database, board.facilitator)) == fresh(database, board.facilitator)


def test_joiners_during_a_build_wait_for_it_instead_of_building_again(database, board, join, monkeypatch):
    actors, _ = voting_board(database, board, join)
    started, release = threading.Event(), threading.Event()
    real_build = snapshot.build

    def slow_build(session, board_row, actor):
        started.set()
        assert release.wait(10)
        return real_build(session, board_row, actor)

    waiting = threading.Semaphore(0)

    class SeenEvent(threading.Event):
        def wait(self, timeout=None):
            waiting.release()  # a joiner is about to wait for the build in progress
            return super().wait(timeout)

    monkeypatch.setattr(snapshot, "build", slow_build)
    monkeypatch.setattr(snapshot_cache.threading, "Event", SeenEvent)
    before = snapshot_cache.counts()
    results = {}

    def joiner(name):
        results[name] = first_snapshot(database, actors[name])

    first = threading.Thread(target=joiner, args=("Ana",))
    first.start()
    assert started.wait(10)
    others = [threading.Thread(target=joiner, args=(name,)) for name in ("Bo", "Chloé", "Dev")]
    for thread in others:
        thread.start()
    for _ in others:
        assert waiting.acquire(timeout=10)  # all three wait on the one build
    release.set()
    for thread in [first, *others]:
        thread.join(20)
    monkeypatch.setattr(snapshot, "build", real_build)
    assert snapshot_cache.counts()["built"] - before["built"] == 1
    for name, actor in actors.items():
        assert without_clock(results[name]) == fresh(database, actor)
