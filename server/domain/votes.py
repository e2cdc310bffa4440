"""Story vote rules: budgets, per-story caps, no self-vote, round states, tie ranking."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Iterable, Mapping

from . import projects as project_rules
from .errors import DomainError

DEFAULT_BUDGET = 3
DEFAULT_CAP = 1
BUDGET_MAX = 20
ROUNDS_PER_BOARD = 10


class VoteState(str, Enum):
    NOT_STARTED = "not_started"
    OPEN = "open"
    CLOSED = "closed"
    REVEALED = "revealed"


@dataclass(frozen=True)
class VoteSettings:
    """How many dots each voter has, and how many of them may go on one story."""

    budget: int = DEFAULT_BUDGET
    cap: int = DEFAULT_CAP


@dataclass(frozen=True)
class Ranked:
    """One story's place in a revealed round."""

    project_id: int
    dots: int
    rank: int


def clean_settings(budget: int, cap: int) -> VoteSettings:
    """Budget in 1..BUDGET_MAX and a per-story cap in 1..budget, or a DomainError naming the field."""
    if not 1 <= budget <= BUDGET_MAX:
        raise DomainError("out_of_range", f"the dot budget must be between 1 and {BUDGET_MAX}",
                          field="budget", minimum=1, maximum=BUDGET_MAX)
    if not 1 <= cap <= budget:
        raise DomainError("out_of_range", "dots per story must be between 1 and the budget",
                          field="cap", minimum=1, maximum=budget)
    return VoteSettings(budget, cap)


def check_can_configure(state: VoteState, new: VoteSettings, most_used: int, most_on_one_story: int) -> None:
    """Settings change only while the round is not open (nor revealed), and never below dots already placed."""
    if state is VoteState.OPEN:
        raise DomainError("vote_open", "close the vote before changing its settings")
    if state is VoteState.REVEALED:
        raise DomainError("vote_revealed", "this round is revealed; start a new round to vote again")
    # A closed round may be reopened: its dots must still fit the new rules.
    if most_used > new.budget or most_on_one_story > new.cap:
        raise DomainError("settings_below_used", "someone already placed more dots than these settings allow",
                          budget=new.budget, cap=new.cap, most_used=most_used, most_on_one_story=most_on_one_story)


def check_can_open(state: VoteState) -> None:
    """A round opens from not started, or reopens after a close (before its reveal)."""
    if state is VoteState.OPEN:
        raise DomainError("vote_open", "the vote is already open")
    if state is VoteState.REVEALED:
        raise DomainError("vote_revealed", "this round is revealed; start a new round to vote again")


def check_can_close(state: VoteState) -> None:
    """Only an open round closes."""
    if state is not VoteState.OPEN:
        raise DomainError("vote_not_open", "the vote is not open", state=state.value)


def check_can_reveal(state: VoteState) -> None:
    """A round is revealed once, after it was closed."""
    if state is VoteState.REVEALED:
        raise DomainError("vote_revealed", "this round is already revealed")
    if state is not VoteState.CLOSED:
        raise DomainError("vote_not_closed", "close the vote before revealing it", state=state.value)


def check_accepts_dots(state: VoteState) -> None:
    """Dots are placed and taken back only while the round is open."""
    if state is VoteState.OPEN:
        return
    if state is VoteState.NOT_STARTED:
        raise DomainError("vote_not_open", "the vote has not opened yet")
    raise DomainError("vote_closed", "the vote is closed: this dot was not counted")


def check_cast(state: VoteState, settings: VoteSettings, voter_id: int, author_id: int | None,
               used_total: int, used_on_story: int) -> None:
    """One more dot from `voter_id` on a story by `author_id`: open round, not own story, budget and cap."""
    check_accepts_dots(state)
    if author_id is not None and author_id == voter_id:
        raise DomainError("own_project", "you cannot vote for your own project")
    if used_total >= settings.budget:
        raise DomainError("budget_spent", f"all your {settings.budget} dots are placed; take one back first",
                          budget=settings.budget)
    if used_on_story >= settings.cap:
        raise DomainError("story_cap_reached", f"at most {settings.cap} dot(s) per story", cap=settings.cap)


def check_retract(state: VoteState, used_on_story: int) -> None:
    """Taking a dot back needs an open round and a dot of this voter on that story."""
    check_accepts_dots(state)
    if used_on_story <= 0:
        raise DomainError("no_dot_here", "you have no dot on this story")


def check_can_start_round(state: VoteState, rounds_so_far: int) -> None:
    """A new round starts once the current one is revealed (its result stays kept)."""
    if state is not VoteState.REVEALED:
        raise DomainError("vote_not_revealed", "reveal the current round before starting a new one", state=state.value)
    if rounds_so_far >= ROUNDS_PER_BOARD:
        raise DomainError("limit_reached", f"limit reached: vote_rounds_per_board ({ROUNDS_PER_BOARD})",
                          limit="vote_rounds_per_board", maximum=ROUNDS_PER_BOARD)


def rank(dots_by_project: Mapping[int, int], candidates: Iterable[int]) -> list[Ranked]:
    """Stories by dots, most first; ties share a rank and the next rank skips (1, 2, 2, 4).

    Every candidate appears, with 0 dots if nobody chose it; equal counts keep project order.
    """
    ordered = sorted(set(candidates), key=lambda pid: (-dots_by_project.get(pid, 0), pid))
    ranking: list[Ranked] = []
    for position, pid in enumerate(ordered, start=1):
        dots = dots_by_project.get(pid, 0)
        same_as_previous = ranking and ranking[-1].dots == dots
        ranking.append(Ranked(pid, dots, ranking[-1].rank if same_as_previous else position))
    return ranking


def ranking_seen(result: list[dict], hidden: set[int], shown_hidden: set[int] = frozenset()) -> list[dict]:
    """A revealed ranking as one screen sees it now: cards hidden since the reveal are left out and
    the others ranked again over what is left (1, 2, 2, 4), as the room would count them.

    `result` is the ranking kept at the reveal (most dots first, then story id). Hidden cards in
    `shown_hidden` (every one for the facilitator, their own for an author) stay in their place,
    marked `hidden` and without a rank.
    """
    seen: list[dict] = []
    previous: dict | None = None
    position = 0
    for entry in result:
        if entry["project_id"] in hidden:
            if entry["project_id"] in shown_hidden:
                seen.append({**entry, "rank": None, "hidden": True})
            continue
        position += 1
        rank = previous["rank"] if previous is not None and previous["dots"] == entry["dots"] else position
        previous = {**entry, "rank": rank}
        seen.append(previous)
    return seen


def top(ranking: list[Ranked], n: int) -> list[int]:
    """Projects ranked n or better: a tie at the boundary keeps every tied story in."""
    if n < 1:
        raise DomainError("out_of_range", "choose at least one story for the next round", field="top", minimum=1)
    return [entry.project_id for entry in ranking if entry.rank <= n]


def check_candidates(chosen: list[int], existing: set[int]) -> list[int]:
    """A new round's stories: at least one, all existing on the board, without repeats."""
    unique = list(dict.fromkeys(chosen))
    if not unique:
        raise DomainError("required", "choose at least one story for the next round", field="project_ids")
    missing = [pid for pid in unique if pid not in existing]
    if missing:
        raise project_rules.not_found(missing[0])
    return unique


@dataclass(frozen=True)
class Progress:
    """Who is done, never where the dots went: the facilitator's view of an open round."""

    voters: int
    done: int
    not_voted: int

    def as_dict(self) -> dict:
        """Plain dict, as sent to clients."""
        return {"voters": self.voters, "done": self.done, "not_voted": self.not_voted}


def progress(used_by_voter: Mapping[int, int], voter_ids: Iterable[int], budget: int) -> Progress:
    """How many voters used their whole budget and how many placed no dot yet."""
    voters = list(voter_ids)
    used = [used_by_voter.get(vid, 0) for vid in voters]
    return Progress(voters=len(voters), done=sum(1 for u in used if u >= budget), not_voted=sum(1 for u in used if u == 0))
