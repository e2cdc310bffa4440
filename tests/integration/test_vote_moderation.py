"""Cards that leave the vote (hidden after the reveal, deleted or hidden while it is open), on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from server.services import exports, moderation, projects, snapshot, votes
from tests.support.clients import op_id


@pytest.fixture
def room(database, board, join):
    """Ana, Bo, Cy, Di and Eve; Ana, Bo, Cy and Di each post one story."""
    people, stories = {}, {}
    for name in ("Ana", "Bo", "Cy", "Di", "Eve"):
        people[name] = join(name)[0]
        if name != "Eve":
            card = projects.post_project(database, people[name], op_id(), {"title": f"Story of {name}", "pitch": "p"})
            stories[name] = card.event["data"]["project"]["id"]
    return people, stories


def revealed_with_ties(database, board, room) -> None:
    """Ana's story 3 dots, Bo's and Cy's 2 each, Di's 1: ranks 1, 2, 2, 4."""
    people, stories = room
    votes.configure(database, board.facilitator, op_id(), 4, 1)
    votes.open_vote(database, board.facilitator, op_id())
    for voter, targets in {"Bo": ["Ana", "Cy"], "Cy": ["Ana", "Bo"], "Di": ["Ana", "Bo", "Cy"], "Eve": ["Di"]}.items():
        for target in targets:
            votes.cast(database, people[voter], op_id(), stories[target])
    votes.close_vote(database, board.facilitator, op_id())
    votes.reveal(database, board.facilitator, op_id())


def ranks(ranking: list[dict]) -> list[tuple]:
    return [(r["project_id"], r["dots"], r["rank"], r.get("hidden", False)) for r in ranking]


def ranking_of(database, actor) -> list[dict]:
    return snapshot.snapshot(database, actor)["vote"]["rounds"][0]["ranking"]


def test_a_card_hidden_after_the_reveal_leaves_the_ranking_and_the_others_rank_again(database, board, room):
    people, stories = room
    revealed_with_ties(database, board, room)
    ana, bo, cy, di = (stories[n] for n in ("Ana", "Bo", "Cy", "Di"))
    assert ranks(ranking_of(database, people["Eve"])) == [(ana, 3, 1, False), (bo, 2, 2, False), (cy, 2, 2, False), (di, 1, 4, False)]

    hidden = moderation.hide_project(database, board.facilitator, op_id(), ana).event["data"]
    room_sees = [(bo, 2, 1, False), (cy, 2, 1, False), (di, 1, 3, False)]
    # Live: the public event carries the ranking without it, for screens to replace theirs.
    assert [(r["round"], ranks(r["ranking"])) for r in hidden["rankings"]] == [(1, room_sees)]
    assert "Story of Ana" not in str(hidden)
    for who in (people["Bo"], people["Eve"], board.projector):
        assert ranks(ranking_of(database, who)) == room_sees
    # Its author and the facilitator still see it, marked, in its place, without a rank.
    for who in (people["Ana"], board.facilitator):
        assert ranks(ranking_of(database, who)) == [(ana, 3, None, True), *room_sees]
    # Exports rank as the room does.
    summary = exports.summary_snapshot(database, board.facilitator)
    assert ranks(summary["vote_rounds"][0]["ranking"]) == room_sees

    shown = moderation.unhide_project(database, board.facilitator, op_id(), ana).event["data"]
    assert ranks(shown["rankings"][0]["ranking"]) == [(ana, 3, 1, False), (bo, 2, 2, False), (cy, 2, 2, False), (di, 1, 4, False)]
    assert ranks(ranking_of(database, people["Eve"])) == ranks(shown["rankings"][0]["ranking"])


def test_the_next_rounds_top_n_counts_the_ranks_the_room_sees(database, board, room):
    people, stories = room
    revealed_with_ties(database, board, room)
    moderation.hide_project(database, board.facilitator, op_id(), stories["Ana"])
    started = votes.start_round(database, board.facilitator, op_id(), top=1).event["data"]["round"]
    assert started["candidates"] == [stories["Bo"], stories["Cy"]]


def test_deleting_a_card_with_dots_while_open_gives_them_back_and_says_so(database, board, room):
    people, stories = room
    votes.open_vote(database, board.facilitator, op_id())
    votes.cast(database, people["Ana"], op_id(), stories["Bo"])
    votes.cast(database, people["Ana"], op_id(), stories["Cy"])
    votes.cast(database, people["Di"], op_id(), stories["Bo"])
    deleted = projects.delete_project(database, people["Bo"], op_id(), stories["Bo"]).event["data"]
    returned = deleted["returned_dots"]
    assert returned["round"] == 1
    assert returned["voters"] == [{"voter_id": people["Ana"].participant_id, "dots": 1, "dots_used": 1},
                                  {"voter_id": people["Di"].participant_id, "dots": 1, "dots_used": 0}]
    assert returned["summary"] == {"voters": 5, "done": 0, "not_voted": 4}
    # The server and the event agree: Ana has 2 dots left again, Di all 3.
    assert votes.mine(database, people["Ana"])["remaining"] == 2
    assert votes.mine(database, people["Di"])["remaining"] == 3
    progress = snapshot.snapshot(database, people["Eve"])["vote"]["progress"]
    assert progress["used"] == [{"voter_id": people["Ana"].participant_id, "dots_used": 1}]
    # Nothing about the stories still in the vote (Ana's dot on Cy's story): only the leaving card's dots.
    assert set(deleted) == {"project_id", "returned_dots"} and set(returned) == {"round", "voters", "summary"}
    assert set(returned["voters"][0]) == {"voter_id", "dots", "dots_used"}


def test_hiding_a_card_while_open_gives_its_dots_back_for_good(database, board, room):
    people, stories = room
    votes.open_vote(database, board.facilitator, op_id())
    votes.cast(database, people["Ana"], op_id(), stories["Di"])
    hidden = moderation.hide_project(database, board.facilitator, op_id(), stories["Di"]).event["data"]
    assert hidden["returned_dots"]["voters"] == [{"voter_id": people["Ana"].participant_id, "dots": 1, "dots_used": 0}]
    assert votes.mine(database, people["Ana"])["remaining"] == 3
    moderation.unhide_project(database, board.facilitator, op_id(), stories["Di"])
    assert votes.mine(database, people["Ana"])["remaining"] == 3  # the voter may place it elsewhere


def test_a_card_without_dots_leaves_nothing_to_return(database, board, room):
    people, stories = room
    votes.open_vote(database, board.facilitator, op_id())
    assert projects.delete_project(database, people["Di"], op_id(), stories["Di"]).event["data"]["returned_dots"] is None
