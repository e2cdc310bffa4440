"""Story vote rules: settings, states, budget, cap, self-vote, tie ranking, top N, progress."""
from __future__ import annotations

import pytest

from server.domain import votes as rules
from server.domain.errors import DomainError
from server.domain.votes import Ranked, VoteSettings, VoteState

OPEN, CLOSED, NOT_STARTED, REVEALED = VoteState.OPEN, VoteState.CLOSED, VoteState.NOT_STARTED, VoteState.REVEALED
DEFAULT = VoteSettings()


def code_of(fn, *args) -> str:
    with pytest.raises(DomainError) as caught:
        fn(*args)
    return caught.value.code


def test_defaults_are_three_dots_one_per_story():
    assert (DEFAULT.budget, DEFAULT.cap) == (3, 1)


@pytest.mark.parametrize("budget, cap", [(1, 1), (3, 1), (3, 3), (rules.BUDGET_MAX, 2)])
def test_settings_in_range(budget, cap):
    assert rules.clean_settings(budget, cap) == VoteSettings(budget, cap)


@pytest.mark.parametrize("budget, cap, field", [(0, 1, "budget"), (rules.BUDGET_MAX + 1, 1, "budget"),
                                                (3, 0, "cap"), (3, 4, "cap")])
def test_settings_out_of_range_name_the_field(budget, cap, field):
    with pytest.raises(DomainError) as caught:
        rules.clean_settings(budget, cap)
    assert caught.value.code == "out_of_range" and caught.value.params["field"] == field


def test_settings_change_only_while_not_open():
    rules.check_can_configure(NOT_STARTED, VoteSettings(5, 2), 0, 0)
    rules.check_can_configure(CLOSED, VoteSettings(5, 2), 3, 1)
    assert code_of(rules.check_can_configure, OPEN, VoteSettings(5, 2), 0, 0) == "vote_open"
    assert code_of(rules.check_can_configure, REVEALED, VoteSettings(5, 2), 0, 0) == "vote_revealed"


def test_settings_never_drop_below_dots_already_placed():
    assert code_of(rules.check_can_configure, CLOSED, VoteSettings(2, 1), 3, 1) == "settings_below_used"
    assert code_of(rules.check_can_configure, CLOSED, VoteSettings(5, 1), 2, 2) == "settings_below_used"


def test_state_machine():
    rules.check_can_open(NOT_STARTED)
    rules.check_can_open(CLOSED)  # reopen after closing too early
    assert code_of(rules.check_can_open, OPEN) == "vote_open"
    assert code_of(rules.check_can_open, REVEALED) == "vote_revealed"
    rules.check_can_close(OPEN)
    for state in (NOT_STARTED, CLOSED, REVEALED):
        assert code_of(rules.check_can_close, state) == "vote_not_open"
    rules.check_can_reveal(CLOSED)
    assert code_of(rules.check_can_reveal, OPEN) == "vote_not_closed"
    assert code_of(rules.check_can_reveal, NOT_STARTED) == "vote_not_closed"
    assert code_of(rules.check_can_reveal, REVEALED) == "vote_revealed"


def test_dots_only_while_open():
    rules.check_cast(OPEN, DEFAULT, 1, 2, 0, 0)
    assert code_of(rules.check_cast, NOT_STARTED, DEFAULT, 1, 2, 0, 0) == "vote_not_open"
    assert code_of(rules.check_cast, CLOSED, DEFAULT, 1, 2, 0, 0) == "vote_closed"
    assert code_of(rules.check_cast, REVEALED, DEFAULT, 1, 2, 0, 0) == "vote_closed"
    assert code_of(rules.check_retract, CLOSED, 1) == "vote_closed"


def test_closed_wins_over_every_other_reason():
    # A dot that arrives after the close is refused as late, even if it was also over budget or on one's own story.
    assert code_of(rules.check_cast, CLOSED, DEFAULT, 1, 1, 3, 1) == "vote_closed"


def test_no_vote_on_own_story():
    assert code_of(rules.check_cast, OPEN, DEFAULT, 7, 7, 0, 0) == "own_project"


def test_a_story_without_author_can_be_voted():
    rules.check_cast(OPEN, DEFAULT, 7, None, 0, 0)


def test_budget():
    settings = VoteSettings(3, 3)
    rules.check_cast(OPEN, settings, 1, 2, 2, 2)
    with pytest.raises(DomainError) as caught:
        rules.check_cast(OPEN, settings, 1, 2, 3, 0)
    assert caught.value.code == "budget_spent" and caught.value.params == {"budget": 3}


def test_per_story_cap():
    rules.check_cast(OPEN, VoteSettings(3, 2), 1, 2, 1, 1)
    assert code_of(rules.check_cast, OPEN, VoteSettings(3, 2), 1, 2, 2, 2) == "story_cap_reached"
    assert code_of(rules.check_cast, OPEN, DEFAULT, 1, 2, 1, 1) == "story_cap_reached"


def test_retract_needs_a_dot_there():
    rules.check_retract(OPEN, 1)
    assert code_of(rules.check_retract, OPEN, 0) == "no_dot_here"


def test_ties_share_a_rank_and_the_next_rank_skips():
    ranking = rules.rank({10: 5, 11: 3, 12: 3, 13: 1}, [13, 12, 11, 10])
    assert [(r.project_id, r.dots, r.rank) for r in ranking] == [(10, 5, 1), (11, 3, 2), (12, 3, 2), (13, 1, 4)]


def test_every_candidate_is_ranked_even_without_dots():
    ranking = rules.rank({11: 2}, [10, 11, 12])
    assert [(r.project_id, r.dots, r.rank) for r in ranking] == [(11, 2, 1), (10, 0, 2), (12, 0, 2)]


def test_all_tied_share_first_place():
    assert [r.rank for r in rules.rank({1: 2, 2: 2, 3: 2}, [1, 2, 3])] == [1, 1, 1]


def test_dots_on_non_candidates_are_ignored():
    assert [r.project_id for r in rules.rank({1: 4, 2: 1}, [2])] == [2]


def test_top_n_keeps_ties_at_the_boundary():
    ranking = [Ranked(1, 5, 1), Ranked(2, 3, 2), Ranked(3, 3, 2), Ranked(4, 1, 4), Ranked(5, 0, 5)]
    assert rules.top(ranking, 2) == [1, 2, 3]
    assert rules.top(ranking, 1) == [1]
    assert rules.top(ranking, 9) == [1, 2, 3, 4, 5]
    assert code_of(rules.top, ranking, 0) == "out_of_range"


def test_new_round_only_after_the_reveal():
    rules.check_can_start_round(REVEALED, 1)
    for state in (NOT_STARTED, OPEN, CLOSED):
        assert code_of(rules.check_can_start_round, state, 1) == "vote_not_revealed"
    assert code_of(rules.check_can_start_round, REVEALED, rules.ROUNDS_PER_BOARD) == "limit_reached"


def test_candidates_exist_and_are_unique():
    assert rules.check_candidates([3, 1, 3], {1, 2, 3}) == [3, 1]
    assert code_of(rules.check_candidates, [], {1}) == "required"
    assert code_of(rules.check_candidates, [1, 9], {1}) == "project_not_found"


def test_progress_counts_who_is_done_and_who_has_not_voted():
    summary = rules.progress({1: 3, 2: 1, 3: 3}, [1, 2, 3, 4, 5], 3)
    assert summary.as_dict() == {"voters": 5, "done": 2, "not_voted": 2}


def _kept(*rows):
    return [{"project_id": pid, "title": f"t{pid}", "dots": dots, "rank": rank} for pid, dots, rank in rows]


def test_ranking_seen_leaves_hidden_cards_out_and_ranks_the_rest_again():
    kept = _kept((1, 5, 1), (2, 3, 2), (3, 3, 2), (4, 1, 4))
    assert [(r["project_id"], r["rank"]) for r in rules.ranking_seen(kept, set())] == [(1, 1), (2, 2), (3, 2), (4, 4)]
    assert [(r["project_id"], r["rank"]) for r in rules.ranking_seen(kept, {1})] == [(2, 1), (3, 1), (4, 3)]
    assert [(r["project_id"], r["rank"]) for r in rules.ranking_seen(kept, {2})] == [(1, 1), (3, 2), (4, 3)]


def test_ranking_seen_keeps_hidden_cards_a_screen_may_see_marked_without_a_rank():
    kept = _kept((1, 5, 1), (2, 3, 2), (3, 1, 3))
    seen = rules.ranking_seen(kept, {2}, shown_hidden={2})
    assert [(r["project_id"], r["rank"], r.get("hidden", False)) for r in seen] == [(1, 1, False), (2, None, True), (3, 2, False)]
    assert kept[1]["rank"] == 2  # the kept result itself is not changed
