"""Real sockets: while a vote is open, nothing a participant or the projector receives tells where dots went.

Records every message (sequenced frames, ephemeral messages, sync replies) a non-facilitator and the
projector receive from the open to the close, and checks it; then checks the reveal reaches every
screen identically and that a voter's other tab learns its own dots only through `vote_mine`.
"""
from __future__ import annotations

import json

import pytest

from tests.realtime.vote_support import facilitate, make_room

PROGRESS_KEYS = {"round", "voter_id", "dots_used", "budget"}


@pytest.fixture
def room(server):
    built = make_room(server.url, ("Ana", "Bo", "Cy", "Di"))
    try:
        yield built
    finally:
        built.close()


def received_since(client, seq: int) -> list:
    """Every frame after `seq` and every unsequenced message this client got."""
    return [f for f in client.frames if f["seq"] > seq] + list(client.ephemeral)


def test_nothing_leaks_while_the_vote_is_open(room):
    facilitator = room.client("facilitator")
    watcher = room.client("Di")          # a participant who watches but does not vote yet
    projector = room.client("projector")
    voters = {name: room.client(name) for name in ("Ana", "Bo", "Cy")}
    opened_seq = facilitate(facilitator, ("vote_configure", {"budget": 2, "cap": 1}), ("vote_open", {}))[-1]["seq"]
    for client in (watcher, projector):
        client.wait_for_seq(opened_seq)
        client.ephemeral.clear()

    plan = {"Ana": ["Bo", "Di"], "Bo": ["Di", "Cy"], "Cy": ["Di", "Ana"]}
    last = opened_seq
    for name, targets in plan.items():
        for target in targets:
            ack = voters[name].command("vote_cast", project_id=room.stories[target])
            assert ack["ok"], ack
            # The voter's own choice comes back to them, in the ack only.
            assert {"round": 1, "project_id": room.stories[target], "dots": 1} in ack["result"]["mine"]["dots"]
            last = ack["seq"]
    retract = voters["Ana"].command("vote_retract", project_id=room.stories["Di"])
    assert retract["ok"], retract
    refused = voters["Bo"].command("vote_cast", project_id=room.stories["Bo"])
    assert refused["ok"] is False and refused["error"]["code"] == "own_project"
    last = retract["seq"]

    # A late tab reconnecting from before the open gets the same events replayed: they must be clean too.
    late = room.client("projector")
    replay = late.sync(opened_seq)
    for client in (watcher, projector):
        client.wait_for_seq(last)

    for name, client in (("participant", watcher), ("projector", projector)):
        got = received_since(client, opened_seq)
        progress = [m for m in got if isinstance(m, dict) and m.get("type") in ("vote_cast_accepted", "vote_retract_accepted")]
        assert len(progress) == 7, name
        for frame in progress:
            assert set(frame["data"]) == PROGRESS_KEYS, frame
        text = json.dumps(got)
        assert "project_id" not in text and "ranking" not in text and "tally" not in text, name
        assert "Story of" not in text, name
    assert "project_id" not in json.dumps(replay["events"])

    # The projector's and a participant's snapshot during the vote: rounds and progress, no choices.
    for client in (late, watcher):
        snap = client.sync(None)["snapshot"]["vote"]
        assert "project_id" not in json.dumps({k: v for k, v in snap.items() if k != "mine"})
        assert snap["mine"] is None or snap["mine"]["dots"] == []
        assert snap["progress"]["summary"] == {"voters": 4, "done": 2, "not_voted": 1}

    # Another participant asking for someone else's dots is refused.
    asked = watcher.call("vote_mine", {"voter_id": room.ids["Ana"]})
    assert asked["ok"] is False and asked["error"]["code"] == "forbidden"


def test_other_tab_refreshes_own_dots_and_the_reveal_is_the_same_everywhere(room):
    facilitator = room.client("facilitator")
    first_tab, second_tab = room.client("Ana"), room.client("Ana")
    projector = room.client("projector")
    others = {name: room.client(name) for name in ("Bo", "Cy")}
    facilitate(facilitator, ("vote_configure", {"budget": 2, "cap": 1}), ("vote_open", {}))

    ack = first_tab.command("vote_cast", project_id=room.stories["Cy"])
    second_tab.wait_for_seq(ack["seq"])
    frame = next(f for f in second_tab.frames if f["seq"] == ack["seq"])
    assert frame["data"]["voter_id"] == room.ids["Ana"]  # "that was me": the tab asks for its own dots
    assert second_tab.call("vote_mine", {})["mine"] == ack["result"]["mine"]

    others["Bo"].command("vote_cast", project_id=room.stories["Cy"])
    others["Cy"].command("vote_cast", project_id=room.stories["Bo"])
    revealed_seq = facilitate(facilitator, ("vote_close", {}), ("vote_reveal", {}))[-1]["seq"]

    rankings = []
    for client in (facilitator, first_tab, second_tab, projector, *others.values()):
        client.wait_for_seq(revealed_seq)
        rankings.append(next(f for f in client.frames if f["seq"] == revealed_seq)["data"]["round"]["ranking"])
    assert all(ranking == rankings[0] for ranking in rankings)
    assert [(r["project_id"], r["dots"], r["rank"]) for r in rankings[0]] == [
        (room.stories["Cy"], 2, 1), (room.stories["Bo"], 1, 2), (room.stories["Ana"], 0, 3), (room.stories["Di"], 0, 3)]
    # After the reveal, Ana still sees where her dot went (snapshot on a fresh connection).
    snap = room.client("Ana").sync(None)["snapshot"]["vote"]
    assert snap["mine"]["dots"] == [{"round": 1, "project_id": room.stories["Cy"], "dots": 1}]
    assert snap["rounds"][0]["ranking"] == rankings[0]
