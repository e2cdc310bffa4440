"""The export snapshot on SQLite and PostgreSQL: what it holds, what moderation leaves out, who may read it."""
from __future__ import annotations

import json

import pytest

from server.domain.actors import Actor, Role
from server.domain.errors import DomainError
from server.services.archive import exports
from server.services.show import run_of_show
from server.services.votes import use_cases as votes
from tests.golden.board import build_board, op


@pytest.fixture
def fixed(database):
    return build_board(database)


def test_snapshot_holds_the_whole_session(database, fixed):
    snap = exports.summary_snapshot(database, fixed.facilitator)
    assert snap["schema_version"] == 1 and snap["kind"] == "snowball.board"
    assert snap["board"]["code"] == fixed.code and snap["board"]["language"] == "fr"
    assert [p["kind"] for p in snap["phases"]] == ["join", "values", "post", "vote", "maps", "wrapup"]
    assert all(p["started_at"] for p in snap["phases"]) and snap["phases"][-1]["ended_at"] is None
    assert [p["name"] for p in snap["participants"]] == ["Ana", "Ben", "Chloé", "Dmitri"]
    assert [p["no_device"] for p in snap["participants"]] == [False, False, False, True]
    assert [p["title"] for p in snap["projects"]] == ["La Ferme du Bonheur", "=1+2 Le Cosmonaute", "Radio Quartier"]
    (vote_round,) = snap["vote_rounds"]
    assert [(e["title"], e["dots"], e["rank"]) for e in vote_round["ranking"]] == [
        ("La Ferme du Bonheur", 3, 1), ("=1+2 Le Cosmonaute", 2, 2), ("Radio Quartier", 2, 2)]
    farm = next(m for m in snap["tribe_maps"] if m["project_id"] == fixed.projects["ana"])
    assert [n["label"] for n in farm["nodes"]] == ["Maman et Papa", "Collègues du lycée", "AMAP du quartier", "France Bleu"]
    assert len(farm["links"]) == 2 and len(farm["plan_items"]) == 4
    assert farm["settings"] == {"average_pledge": 40, "conversion_pct": 20}
    assert [d["ring"] for d in farm["email_drafts"]] == ["inner"]


def test_hidden_cards_and_removed_people_stay_out_unless_asked(database, fixed):
    plain = exports.summary_snapshot(database, fixed.facilitator)
    text = json.dumps(plain, ensure_ascii=False)
    assert "Spam partout" not in text and "Eve" not in text and "Acheteurs" not in text
    assert fixed.projects["eve"] not in [e["project_id"] for e in plain["vote_rounds"][0]["ranking"]]
    full = exports.summary_snapshot(database, fixed.facilitator, include_hidden=True)
    eve = next(p for p in full["participants"] if p["name"] == "Eve")
    assert eve["removed"] is True
    spam = next(p for p in full["projects"] if p["title"] == "Spam partout")
    assert spam["hidden"] is True and spam["author_id"] == eve["id"]
    assert fixed.projects["eve"] in [m["project_id"] for m in full["tribe_maps"]]
    assert full["include_hidden"] is True


def test_who_voted_for_what_is_never_exported(database, fixed):
    snap = exports.summary_snapshot(database, fixed.facilitator, include_hidden=True)
    keys = {key for r in snap["vote_rounds"] for key in r}
    assert keys == {"number", "state", "budget", "cap", "candidates", "ranking", "opened_at", "closed_at", "revealed_at"}
    assert all(set(entry) == {"project_id", "title", "dots", "rank"} for entry in snap["vote_rounds"][0]["ranking"])


def test_an_open_round_exports_no_tally(database, fixed):
    votes.start_round(database, fixed.facilitator, op(), top=2)
    votes.open_vote(database, fixed.facilitator, op())
    run_of_show.set_gate(database, fixed.facilitator, op(), "voting", True)  # the show is in its wrap-up
    votes.cast(database, fixed.people["Chloé"], op(), fixed.projects["ana"])
    rounds = exports.summary_snapshot(database, fixed.facilitator)["vote_rounds"]
    assert [r["state"] for r in rounds] == ["revealed", "open"]
    assert rounds[1]["ranking"] is None
    assert rounds[1]["candidates"] == [fixed.projects["ana"], fixed.projects["ben"], fixed.projects["chloe"]]


def test_only_the_facilitator_gets_the_whole_board(database, fixed):
    projector = Actor(fixed.id, Role.PROJECTOR)
    for actor in (fixed.people["Ana"], projector):
        with pytest.raises(DomainError) as refused:
            exports.summary_snapshot(database, actor)
        assert refused.value.code == "forbidden"


def test_a_participant_gets_only_their_own_booklet(database, fixed):
    ana = fixed.people["Ana"]
    snap, whose = exports.booklet_snapshot(database, ana)
    assert whose == ana.participant_id
    # Only her card and its map are read; the ranking still counts every visible project.
    assert [p["title"] for p in snap["projects"]] == ["La Ferme du Bonheur"]
    assert [m["project_id"] for m in snap["tribe_maps"]] == [fixed.projects["ana"]]
    assert len(snap["vote_rounds"][0]["ranking"]) == 3
    assert exports.booklet_snapshot(database, ana, ana.participant_id)[1] == ana.participant_id
    with pytest.raises(DomainError) as refused:
        exports.booklet_snapshot(database, ana, fixed.pid("Ben"))
    assert refused.value.code == "forbidden"
    with pytest.raises(DomainError) as refused:
        exports.booklet_snapshot(database, Actor(fixed.id, Role.PROJECTOR))
    assert refused.value.code == "forbidden"


def test_the_facilitator_gets_anyones_booklet_on_their_board_only(database, fixed):
    _snap, whose = exports.booklet_snapshot(database, fixed.facilitator, fixed.pid("Ben"))
    assert whose == fixed.pid("Ben")
    with pytest.raises(DomainError) as refused:
        exports.booklet_snapshot(database, fixed.facilitator)
    assert refused.value.code == "participant_required"
    other = build_board(database, "en")
    with pytest.raises(DomainError) as refused:
        exports.booklet_snapshot(database, fixed.facilitator, other.pid("Ana"))
    assert refused.value.code == "participant_not_found"


def test_an_author_keeps_their_own_hidden_card_in_their_booklet(database, fixed):
    eve = fixed.people["Eve"]
    snap, _ = exports.booklet_snapshot(database, fixed.facilitator, eve.participant_id)
    assert [p["title"] for p in snap["projects"] if p["author_id"] == eve.participant_id] == ["Spam partout"]
    ben_snap, _ = exports.booklet_snapshot(database, fixed.people["Ben"])
    assert "Spam partout" not in [p["title"] for p in ben_snap["projects"]]
