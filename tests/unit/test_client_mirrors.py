"""The client's mirrors of server rules give the server's answers, on cases hypothesis generates.

The vote rules (client/js/state/votes.js) and the tribe-map and momentum rules (client/js/state/maps.js)
run in Node (tests/support/client_runner.mjs) on the same cases as server/domain/votes.py,
tribe_maps.py and momentum.py. Each example is a batch of cases, so one Node run checks many.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from server.domain import momentum as momentum_rules, phases, projects, tribe_maps, votes
from server.domain.actors import Actor, Role
from server.domain.errors import DomainError
from tests.support.client_js import call_client, client_constants

pytestmark = pytest.mark.unit
BATCH = st.lists  # one example = one Node run over a list of cases
RUNS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def refusal(check, *args) -> dict | None:
    """The server's refusal as the client writes it ({code, params}), or None when the rule lets it pass."""
    try:
        check(*args)
    except DomainError as error:
        return {"code": error.code, "params": error.params}
    return None


def client_answers(module: str, fn: str, cases: list[list]) -> list:
    """The client function's value for each case's arguments (a client exception fails the test)."""
    return several_answers(module, {fn: cases})[fn]


def several_answers(module: str, calls: dict[str, list[list]]) -> dict[str, list]:
    """client_answers for several functions of one module, in one Node run."""
    flat = [{"fn": fn, "args": args} for fn, cases in calls.items() for args in cases]
    answers = call_client(module, flat)
    assert all("error" not in answer for answer in answers), answers
    values = iter(answer["value"] for answer in answers)
    return {fn: [next(values) for _ in cases] for fn, cases in calls.items()}


# --- story vote -------------------------------------------------------------------------------------

@st.composite
def dot_cases(draw) -> dict:
    budget = draw(st.integers(1, votes.BUDGET_MAX))
    used = draw(st.integers(0, budget + 1))
    return {
        "command": draw(st.sampled_from(["vote_cast", "vote_retract"])),
        "state": draw(st.sampled_from(list(votes.VoteState))),
        "budget": budget,
        "cap": draw(st.integers(1, budget)),
        "used": used,
        "here": draw(st.integers(0, used)),
        "own": draw(st.booleans()),
    }


def server_dot_refusal(case: dict) -> dict | None:
    settings_ = votes.VoteSettings(case["budget"], case["cap"])
    if case["command"] == "vote_retract":
        return refusal(votes.check_retract, case["state"], case["here"])
    author = 7 if case["own"] else 8
    return refusal(votes.check_cast, case["state"], settings_, 7, author, case["used"], case["here"])


@RUNS
@given(BATCH(dot_cases(), min_size=30, max_size=80))
def test_a_dot_is_refused_on_the_client_as_on_the_server(cases):
    client = client_answers("state/votes.js", "dotRefusal", [
        [c["command"], {"roundState": c["state"].value, "budget": c["budget"], "cap": c["cap"], "used": c["used"],
                        "here": c["here"], "own": c["own"]}] for c in cases])
    assert client == [server_dot_refusal(c) for c in cases]


@st.composite
def rooms(draw) -> dict:
    people = draw(st.lists(st.integers(1, 60), unique=True, max_size=30))
    removed = draw(st.lists(st.sampled_from(people), unique=True)) if people else []
    used = draw(st.dictionaries(st.sampled_from(people), st.integers(0, votes.BUDGET_MAX))) if people else {}
    return {"people": people, "removed": removed, "used": used, "budget": draw(st.integers(1, votes.BUDGET_MAX))}


@RUNS
@given(BATCH(rooms(), min_size=15, max_size=40))
def test_who_is_done_is_counted_on_the_client_as_on_the_server(cases):
    states = [{
        "participants": {"$map": [[pid, {"id": pid}] for pid in c["people"]]},
        "removedParticipants": {"$set": c["removed"]},
        "vote": {"rounds": [{"number": 1, "state": "open", "budget": c["budget"], "cap": 1}],
                 "used": {"$map": [[pid, dots] for pid, dots in c["used"].items()]}},
    } for c in cases]
    client = client_answers("state/votes.js", "whoIsDone", [[s] for s in states])
    server = [votes.progress(c["used"], [p for p in c["people"] if p not in c["removed"]], c["budget"]) for c in cases]
    assert client == [{"voters": s.voters, "done": s.done, "notVoted": s.not_voted} for s in server]


def test_a_board_without_a_round_has_the_server_default_settings():
    constants, round_ = call_client("state/votes.js", [{"fn": None}, {"fn": "currentRound", "args": [{}]}])
    assert (constants["value"]["DEFAULT_BUDGET"], constants["value"]["DEFAULT_CAP"]) == (votes.DEFAULT_BUDGET, votes.DEFAULT_CAP)
    round_ = round_["value"]
    assert (round_["budget"], round_["cap"], round_["state"]) == (votes.DEFAULT_BUDGET, votes.DEFAULT_CAP, votes.VoteState.NOT_STARTED.value)


# --- board and run of show ------------------------------------------------------------------------

def test_the_currencies_and_the_gates_are_the_server_lists():
    assert client_constants("state/board.js")["CURRENCIES"] == list(projects.CURRENCIES)
    assert client_constants("state/show.js")["GATES"] == list(phases.GATES)


# --- tribe maps and momentum ------------------------------------------------------------------------

def test_the_map_constants_are_the_server_constants():
    client = client_constants("state/maps.js")
    assert client["RINGS"] == list(tribe_maps.RINGS)
    assert client["KINDS"] == list(tribe_maps.KINDS)
    assert client["PHASES"] == list(tribe_maps.PHASES)
    assert client["CENTRE_RADIUS"] == tribe_maps.CENTRE_RADIUS
    assert client["OUTER_RADIUS"] == tribe_maps.OUTER_RADIUS
    assert client["RING_OUTER"] == {ring: band[1] for ring, band in tribe_maps.RING_BANDS.items()}
    assert client["DEFAULT_SETTINGS"] == {"average_pledge": tribe_maps.DEFAULT_AVERAGE_PLEDGE,
                                          "conversion_pct": tribe_maps.DEFAULT_CONVERSION_PCT}
    assert client["TARGET_PCT"] == momentum_rules.TARGET_PCT


coordinates = st.one_of(st.floats(-1.5, 1.5, allow_nan=False), st.sampled_from([0.0, 0.2, -0.2, 0.45, 0.72, 0.96, 1.5]))


@RUNS
@given(BATCH(st.tuples(coordinates, coordinates), min_size=30, max_size=100))
def test_a_position_falls_in_the_same_ring_and_clamps_to_the_same_spot(points):
    client = several_answers("state/maps.js", {"ringOf": [list(p) for p in points], "clampToMap": [list(p) for p in points]})
    rings, clamped = client["ringOf"], client["clampToMap"]
    assert rings == [tribe_maps.ring_of(tribe_maps.Position(x, y)) for x, y in points]
    server = [tribe_maps.clamp_to_map(x, y) for x, y in points]
    assert clamped == [{"x": p.x, "y": p.y} for p in server]


node = st.fixed_dictionaries({"ring": st.sampled_from(tribe_maps.RINGS), "reach": st.integers(0, tribe_maps.REACH_MAX)})
maps_and_goals = st.fixed_dictionaries({
    "nodes": st.lists(node, max_size=tribe_maps.NODES_PER_MAP),
    "average_pledge": st.integers(1, tribe_maps.AVERAGE_PLEDGE_MAX),
    "conversion_pct": st.integers(tribe_maps.CONVERSION_PCT_MIN, tribe_maps.CONVERSION_PCT_MAX),
    "goal": st.one_of(st.none(), st.integers(0, 1_000_000_000)),
})


@RUNS
@given(BATCH(maps_and_goals, min_size=15, max_size=40))
def test_the_momentum_meter_gives_the_server_numbers(cases):
    client = client_answers("state/maps.js", "momentum", [
        [{"nodes": c["nodes"], "settings": {"average_pledge": c["average_pledge"], "conversion_pct": c["conversion_pct"]}}, c["goal"]]
        for c in cases])
    server = [momentum_rules.momentum(c["goal"], momentum_rules.inner_reach(c["nodes"]), c["average_pledge"], c["conversion_pct"])
              for c in cases]
    assert client == [{"reach": m.inner_reach, "backers": m.expected_backers, "amount": m.expected_amount,
                       "target": m.target_amount, "progress": m.progress_pct, "reached": m.reached} for m in server]


plan_items = st.lists(st.sampled_from(tribe_maps.PHASES), max_size=40).map(
    lambda whens: [{"id": i + 1, "when": when} for i, when in enumerate(whens)])


@RUNS
@given(BATCH(plan_items.flatmap(lambda items: st.permutations(items)), min_size=8, max_size=20))
def test_the_share_plan_reads_in_the_server_order(cases):
    client = client_answers("state/maps.js", "timeline", [[{"plan": {"$map": [[i["id"], i] for i in items]}}] for items in cases])
    assert client == [sorted(items, key=tribe_maps.phase_order) for items in cases]


@st.composite
def who_changes(draw) -> dict:
    role = draw(st.sampled_from(list(Role)))
    return {"role": role, "me": draw(st.integers(1, 4)) if role is Role.PARTICIPANT else None,
            "author": draw(st.one_of(st.none(), st.integers(1, 4))), "added_by": draw(st.one_of(st.none(), st.integers(1, 4)))}


@RUNS
@given(BATCH(who_changes(), min_size=30, max_size=80))
def test_who_may_change_a_map_is_decided_on_the_client_as_on_the_server(cases):
    states = [{"me": {"role": c["role"].value, "participant_id": c["me"]}} for c in cases]
    projects = [{"author_id": c["author"]} for c in cases]
    client = several_answers("state/maps.js", {
        "canChange": [[s, p, c["added_by"]] for s, p, c in zip(states, projects, cases)],
        "isOwner": [[s, p] for s, p in zip(states, projects)],
        "canAdd": [[s] for s in states],
    })
    change, owner, add = client["canChange"], client["isOwner"], client["canAdd"]
    actors = [Actor(1, c["role"], c["me"]) for c in cases]
    assert change == [refusal(tribe_maps.check_can_change, a, c["author"], c["added_by"]) is None for a, c in zip(actors, cases)]
    assert owner == [refusal(tribe_maps.check_can_edit_owner_things, a, c["author"]) is None for a, c in zip(actors, cases)]
    assert add == [refusal(tribe_maps.check_can_add, a) is None for a in actors]
