"""Story vote use cases on SQLite and PostgreSQL: rules under the write path, privacy of the log, rounds."""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from server.domain.errors import DomainError
from server.persistence import event_log
from server.persistence.vote_models import VoteDot
from server.services import projects, snapshot
from server.services.show import moderation
from server.services.votes import use_cases as votes
from tests.support.clients import op_id


def refused(fn, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        fn(*args, **kwargs)
    return caught.value


@pytest.fixture
def room(database, board, join):
    """Ana, Bo, Cy and Di each post one story; returns (people by name, story id by author name)."""
    people, stories = {}, {}
    for name in ("Ana", "Bo", "Cy", "Di"):
        actor, _ = join(name)
        people[name] = actor
        card = projects.post_project(database, actor, op_id(), {"title": f"Story of {name}", "pitch": "p"})
        stories[name] = card.event["data"]["project"]["id"]
    return people, stories


def opened(database, board, budget: int = 3, cap: int = 1) -> None:
    votes.configure(database, board.facilitator, op_id(), budget, cap)
    votes.open_vote(database, board.facilitator, op_id())


def log(database, board) -> list[dict]:
    with database.read() as session:
        return [event_log.frame(e) for e in event_log.events_after(session, board.id, 0)]


def test_cast_acks_the_voters_own_dots_and_logs_only_progress(database, board, room):
    people, stories = room
    opened(database, board)
    result = votes.cast(database, people["Ana"], op_id(), stories["Bo"])
    assert result.event["type"] == "vote_cast_accepted"
    assert result.event["data"] == {"round": 1, "voter_id": people["Ana"].participant_id, "dots_used": 1, "budget": 3}
    mine = result.result["mine"]
    assert mine["dots"] == [{"round": 1, "project_id": stories["Bo"], "dots": 1}]
    assert (mine["used"], mine["remaining"], mine["budget"]) == (1, 2, 3)


def test_take_a_dot_back(database, board, room):
    people, stories = room
    opened(database, board)
    votes.cast(database, people["Ana"], op_id(), stories["Bo"])
    result = votes.retract(database, people["Ana"], op_id(), stories["Bo"])
    assert result.event["type"] == "vote_retract_accepted" and result.event["data"]["dots_used"] == 0
    assert result.result["mine"]["dots"] == [] and result.result["mine"]["remaining"] == 3
    assert refused(votes.retract, database, people["Ana"], op_id(), stories["Bo"]).code == "no_dot_here"


def test_own_story_is_refused(database, board, room):
    people, stories = room
    opened(database, board)
    assert refused(votes.cast, database, people["Ana"], op_id(), stories["Ana"]).code == "own_project"


def test_budget_and_cap(database, board, room):
    people, stories = room
    opened(database, board, budget=2, cap=1)
    votes.cast(database, people["Ana"], op_id(), stories["Bo"])
    assert refused(votes.cast, database, people["Ana"], op_id(), stories["Bo"]).code == "story_cap_reached"
    votes.cast(database, people["Ana"], op_id(), stories["Cy"])
    assert refused(votes.cast, database, people["Ana"], op_id(), stories["Di"]).code == "budget_spent"


def test_cap_above_one_lets_dots_stack(database, board, room):
    people, stories = room
    opened(database, board, budget=3, cap=2)
    votes.cast(database, people["Ana"], op_id(), stories["Bo"])
    result = votes.cast(database, people["Ana"], op_id(), stories["Bo"])
    assert result.result["mine"]["dots"] == [{"round": 1, "project_id": stories["Bo"], "dots": 2}]
    assert refused(votes.cast, database, people["Ana"], op_id(), stories["Bo"]).code == "story_cap_reached"


def test_no_dot_before_open_nor_after_close(database, board, room):
    people, stories = room
    assert refused(votes.cast, database, people["Ana"], op_id(), stories["Bo"]).code == "vote_not_open"
    opened(database, board)
    votes.cast(database, people["Ana"], op_id(), stories["Bo"])
    votes.close_vote(database, board.facilitator, op_id())
    assert refused(votes.cast, database, people["Ana"], op_id(), stories["Cy"]).code == "vote_closed"
    assert refused(votes.retract, database, people["Ana"], op_id(), stories["Bo"]).code == "vote_closed"
    assert votes.mine(database, people["Ana"])["dots"] == [{"round": 1, "project_id": stories["Bo"], "dots": 1}]


def test_unknown_story_is_refused(database, board, room):
    people, _ = room
    opened(database, board)
    assert refused(votes.cast, database, people["Ana"], op_id(), 99999).code == "project_not_found"


def test_only_the_facilitator_drives_the_vote(database, board, room):
    people, _ = room
    for fn in (votes.open_vote, votes.close_vote, votes.reveal):
        assert refused(fn, database, people["Ana"], op_id()).code == "forbidden"
    assert refused(votes.configure, database, people["Ana"], op_id(), 5, 1).code == "forbidden"
    assert refused(votes.add_attendee, database, people["Ana"], op_id(), "Eve").code == "forbidden"
    assert refused(votes.open_vote, database, board.projector, op_id()).code == "forbidden"


def test_projector_and_facilitator_do_not_vote_for_themselves(database, board, room):
    _, stories = room
    opened(database, board)
    assert refused(votes.cast, database, board.projector, op_id(), stories["Bo"]).code == "forbidden"
    assert refused(votes.cast, database, board.facilitator, op_id(), stories["Bo"]).code == "voter_required"


def test_a_participant_places_only_their_own_dots(database, board, room):
    people, stories = room
    opened(database, board)
    other = people["Bo"].participant_id
    assert refused(votes.cast, database, people["Ana"], op_id(), stories["Cy"], voter_id=other).code == "forbidden"


def test_settings_cannot_change_while_open(database, board, room):
    opened(database, board)
    assert refused(votes.configure, database, board.facilitator, op_id(), 5, 2).code == "vote_open"


def test_settings_after_close_never_go_below_placed_dots(database, board, room):
    people, stories = room
    opened(database, board, budget=3, cap=1)
    for name in ("Bo", "Cy", "Di"):
        votes.cast(database, people["Ana"], op_id(), stories[name])
    votes.close_vote(database, board.facilitator, op_id())
    assert refused(votes.configure, database, board.facilitator, op_id(), 2, 1).code == "settings_below_used"
    result = votes.configure(database, board.facilitator, op_id(), 4, 1)
    assert result.event["data"]["round"]["budget"] == 4
    votes.open_vote(database, board.facilitator, op_id())  # reopened after closing too early
    assert votes.mine(database, people["Ana"])["remaining"] == 1


def test_reveal_ranks_with_shared_ranks_and_keeps_own_dots_visible(database, board, room):
    people, stories = room
    opened(database, board, budget=2, cap=1)
    # Bo: 3 dots, Cy: 2, Di: 2, Ana: 1  ->  ranks 1, 2, 2, 4
    plan = {"Ana": ["Bo", "Cy"], "Bo": ["Cy", "Di"], "Cy": ["Bo", "Di"], "Di": ["Bo", "Ana"]}
    for voter, targets in plan.items():
        for target in targets:
            votes.cast(database, people[voter], op_id(), stories[target])
    assert refused(votes.reveal, database, board.facilitator, op_id()).code == "vote_not_closed"
    closed = votes.close_vote(database, board.facilitator, op_id())
    assert closed.event["data"]["progress"] == {"voters": 4, "done": 4, "not_voted": 0}
    result = votes.reveal(database, board.facilitator, op_id())
    ranking = result.event["data"]["round"]["ranking"]
    assert result.event["type"] == "vote_revealed"
    assert [(r["project_id"], r["dots"], r["rank"]) for r in ranking] == [
        (stories["Bo"], 3, 1), (stories["Cy"], 2, 2), (stories["Di"], 2, 2), (stories["Ana"], 1, 4)]
    assert ranking[0]["title"] == "Story of Bo"
    snap = snapshot.snapshot(database, people["Ana"])
    assert snap["vote"]["rounds"][0]["ranking"] == ranking
    assert {d["project_id"] for d in snap["vote"]["mine"]["dots"]} == {stories["Bo"], stories["Cy"]}
    assert refused(votes.reveal, database, board.facilitator, op_id()).code == "vote_revealed"
    assert refused(votes.open_vote, database, board.facilitator, op_id()).code == "vote_revealed"


def test_nothing_in_the_log_tells_where_dots_went_before_the_reveal(database, board, room):
    people, stories = room
    opened(database, board, budget=3, cap=1)
    seq_before = log(database, board)[-1]["seq"]
    for voter in ("Ana", "Bo", "Cy"):
        for target in ("Ana", "Bo", "Cy", "Di"):
            if target != voter:
                votes.cast(database, people[voter], op_id(), stories[target])
    votes.retract(database, people["Ana"], op_id(), stories["Di"])
    votes.close_vote(database, board.facilitator, op_id())
    during = [frame for frame in log(database, board) if frame["seq"] > seq_before]
    text = json.dumps([frame["data"] for frame in during])
    assert len(during) == 11
    assert "project_id" not in text and "ranking\": [" not in text and "dots\"" not in text


def test_snapshot_shows_own_dots_and_progress_but_no_tally(database, board, room):
    people, stories = room
    opened(database, board)
    votes.cast(database, people["Ana"], op_id(), stories["Bo"])
    votes.cast(database, people["Bo"], op_id(), stories["Cy"])
    ana_view = snapshot.snapshot(database, people["Ana"])["vote"]
    assert ana_view["mine"]["dots"] == [{"round": 1, "project_id": stories["Bo"], "dots": 1}]
    assert ana_view["progress"]["summary"] == {"voters": 4, "done": 0, "not_voted": 2}
    assert ana_view["rounds"][0]["state"] == "open" and ana_view["rounds"][0]["ranking"] is None
    for actor in (board.projector, board.facilitator, people["Cy"]):
        view = snapshot.snapshot(database, actor)["vote"]
        assert "project_id" not in json.dumps({k: v for k, v in view.items() if k != "mine"})
        assert view["mine"] is None or view["mine"]["dots"] == []


def test_a_new_board_has_a_default_round(database, board):
    view = snapshot.snapshot(database, board.projector)["vote"]
    assert view["rounds"] == [{"number": 1, "state": "not_started", "budget": 3, "cap": 1, "candidates": None,
                               "ranking": None, "opened_at": None, "closed_at": None, "revealed_at": None}]
    assert view["mine"] is None and view["proxies"] == [] and view["attendees"] == []


def test_a_replayed_cast_counts_once_and_acks_the_same_dots(database, board, room):
    people, stories = room
    opened(database, board)
    same = op_id()
    first = votes.cast(database, people["Ana"], same, stories["Bo"])
    again = votes.cast(database, people["Ana"], same, stories["Bo"])
    assert again.duplicate and again.seq == first.seq
    assert again.result["mine"] == first.result["mine"]
    with database.read() as session:
        assert session.execute(select(func.sum(VoteDot.count))).scalar_one() == 1


def test_facilitator_votes_for_an_attendee_without_a_device(database, board, room):
    people, stories = room
    added = votes.add_attendee(database, board.facilitator, op_id(), "  Eve  ")
    assert added.event["type"] == "participant_joined" and added.event["data"]["no_device"] is True
    eve = added.event["data"]["participant"]
    assert eve["name"] == "Eve"
    opened(database, board, budget=1)
    result = votes.cast(database, board.facilitator, op_id(), stories["Bo"], voter_id=eve["id"])
    assert result.event["data"]["voter_id"] == eve["id"]
    assert result.result["mine"]["voter_id"] == eve["id"] and result.result["mine"]["remaining"] == 0
    # Same rules for them: budget spent.
    assert refused(votes.cast, database, board.facilitator, op_id(), stories["Cy"], voter_id=eve["id"]).code == "budget_spent"
    # Not for someone who has a device.
    assert refused(votes.cast, database, board.facilitator, op_id(), stories["Cy"],
                   voter_id=people["Ana"].participant_id).code == "not_an_attendee"
    fac = snapshot.snapshot(database, board.facilitator)
    assert fac["vote"]["attendees"] == [eve["id"]]
    assert fac["vote"]["proxies"][0]["dots"] == [{"round": 1, "project_id": stories["Bo"], "dots": 1}]
    assert eve in fac["participants"]
    assert snapshot.snapshot(database, people["Ana"])["vote"]["proxies"] == []
    assert votes.mine(database, board.facilitator, eve["id"])["used"] == 1


def test_second_round_on_the_top_n_keeps_the_first_result(database, board, room):
    people, stories = room
    opened(database, board, budget=1)
    for voter, target in (("Ana", "Bo"), ("Bo", "Cy"), ("Cy", "Bo"), ("Di", "Ana")):
        votes.cast(database, people[voter], op_id(), stories[target])
    assert refused(votes.start_round, database, board.facilitator, op_id(), top=2).code == "vote_not_revealed"
    votes.close_vote(database, board.facilitator, op_id())
    first = votes.reveal(database, board.facilitator, op_id()).event["data"]["round"]["ranking"]
    # Bo 2 (rank 1), Ana 1 and Cy 1 (rank 2, tied), Di 0 (rank 4): top 2 keeps both tied stories.
    started = votes.start_round(database, board.facilitator, op_id(), top=2, budget=2)
    second = started.event["data"]["round"]
    assert started.event["type"] == "vote_round_started"
    assert (second["number"], second["state"], second["budget"], second["cap"]) == (2, "not_started", 2, 1)
    assert set(second["candidates"]) == {stories["Bo"], stories["Ana"], stories["Cy"]}
    votes.open_vote(database, board.facilitator, op_id())
    assert refused(votes.cast, database, people["Ana"], op_id(), stories["Di"]).code == "not_in_round"
    fresh = votes.cast(database, people["Ana"], op_id(), stories["Cy"]).result["mine"]
    assert (fresh["round"], fresh["used"], fresh["remaining"]) == (2, 1, 1)
    assert {(d["round"], d["project_id"]) for d in fresh["dots"]} == {(1, stories["Bo"]), (2, stories["Cy"])}
    votes.close_vote(database, board.facilitator, op_id())
    votes.reveal(database, board.facilitator, op_id())
    rounds = snapshot.snapshot(database, board.projector)["vote"]["rounds"]
    assert [r["number"] for r in rounds] == [1, 2]
    assert rounds[0]["ranking"] == first
    assert [r["project_id"] for r in rounds[1]["ranking"]][0] == stories["Cy"]


def test_every_ack_carries_the_dots_that_mine_reads_right_after(database, board, room):
    # The ack's own dots are worked out from what the command read; `mine` reads them afresh.
    people, stories = room
    ana = people["Ana"]
    opened(database, board, budget=3, cap=2)

    def step(use_case, author: str) -> None:
        ack = use_case(database, ana, op_id(), stories[author]).result["mine"]
        assert ack == votes.mine(database, ana)

    for use_case, author in ((votes.cast, "Bo"), (votes.cast, "Bo"), (votes.cast, "Cy"), (votes.retract, "Bo")):
        step(use_case, author)
    votes.close_vote(database, board.facilitator, op_id())
    votes.reveal(database, board.facilitator, op_id())
    votes.start_round(database, board.facilitator, op_id(), project_ids=[stories["Di"], stories["Cy"]], budget=2, cap=2)
    votes.open_vote(database, board.facilitator, op_id())
    for use_case, author in ((votes.cast, "Di"), (votes.cast, "Di"), (votes.retract, "Di"), (votes.retract, "Di")):
        step(use_case, author)
    assert [(d["round"], d["dots"]) for d in votes.mine(database, ana)["dots"]] == [(1, 1), (1, 1)]


def test_second_round_on_chosen_stories(database, board, room):
    _, stories = room
    opened(database, board)
    votes.close_vote(database, board.facilitator, op_id())
    votes.reveal(database, board.facilitator, op_id())
    assert refused(votes.start_round, database, board.facilitator, op_id()).code == "invalid_choice"
    assert refused(votes.start_round, database, board.facilitator, op_id(), project_ids=[99999]).code == "project_not_found"
    second = votes.start_round(database, board.facilitator, op_id(), project_ids=[stories["Di"], stories["Ana"]])
    assert second.event["data"]["round"]["candidates"] == [stories["Di"], stories["Ana"]]


@pytest.mark.parametrize("spread", [False, True], ids=["one story", "several stories"])
def test_concurrent_casts_of_one_person_never_exceed_budget_or_cap(database, board, room, spread):
    people, stories = room
    opened(database, board, budget=3, cap=2)
    targets = [stories["Bo"], stories["Cy"], stories["Di"]] if spread else [stories["Bo"]]
    ana = people["Ana"]

    def fire(i: int):
        try:
            return votes.cast(database, ana, op_id(), targets[i % len(targets)]).result["mine"]["used"]
        except DomainError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(fire, range(24)))
    accepted = [o for o in outcomes if isinstance(o, int)]
    expected = 3 if spread else 2
    assert len(accepted) == expected and sorted(accepted) == list(range(1, expected + 1))
    assert set(o for o in outcomes if isinstance(o, str)) <= {"budget_spent", "story_cap_reached"}
    with database.read() as session:
        rows = session.execute(select(VoteDot.project_id, VoteDot.count).where(VoteDot.voter_id == ana.participant_id)).all()
    assert sum(count for _, count in rows) == expected and max(count for _, count in rows) <= 2


def test_hidden_stories_take_no_dots_and_stay_out_of_the_ranking(database, board, room):
    people, stories = room
    opened(database, board)
    votes.cast(database, people["Ana"], op_id(), stories["Di"])
    moderation.hide_project(database, board.facilitator, op_id(), stories["Di"])
    assert refused(votes.cast, database, people["Bo"], op_id(), stories["Di"]).code == "project_hidden"
    votes.close_vote(database, board.facilitator, op_id())
    ranking = votes.reveal(database, board.facilitator, op_id()).event["data"]["round"]["ranking"]
    assert stories["Di"] not in [r["project_id"] for r in ranking]
    assert "Story of Di" not in json.dumps(ranking)
    error = refused(votes.start_round, database, board.facilitator, op_id(), project_ids=[stories["Di"]])
    assert error.code == "project_not_found"


def test_removed_people_neither_count_as_voters_nor_in_the_tally(database, board, room):
    people, stories = room
    eve = votes.add_attendee(database, board.facilitator, op_id(), "Eve").event["data"]["participant"]["id"]
    opened(database, board)
    votes.cast(database, people["Ana"], op_id(), stories["Bo"])
    votes.cast(database, people["Cy"], op_id(), stories["Bo"])
    votes.cast(database, people["Di"], op_id(), stories["Cy"])
    moderation.remove_participant(database, board.facilitator, op_id(), people["Cy"].participant_id)
    moderation.remove_participant(database, board.facilitator, op_id(), eve)
    assert refused(votes.cast, database, board.facilitator, op_id(), stories["Bo"], voter_id=eve).code == "not_an_attendee"
    view = snapshot.snapshot(database, board.facilitator)["vote"]
    assert view["attendees"] == [] and view["progress"]["summary"]["voters"] == 3
    votes.close_vote(database, board.facilitator, op_id())
    ranking = votes.reveal(database, board.facilitator, op_id()).event["data"]["round"]["ranking"]
    assert {r["project_id"]: r["dots"] for r in ranking}[stories["Bo"]] == 1
