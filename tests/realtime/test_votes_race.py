"""Real sockets: one person on two connections floods vote_cast; the budget and the cap hold, every refusal is acked.

Also: a close racing a flood of casts; no dot is counted after the close. On SQLite and PostgreSQL.
"""
from __future__ import annotations

import threading
from collections import Counter

import pytest

from tests.realtime.vote_support import VoteRoom, facilitate, make_room
from tests.support.clients import BoardClient, op_id

BUDGET, CAP = 3, 2
FLOOD = 50


@pytest.fixture(params=["sqlite", "postgresql"])
def live(request):
    """A running server on SQLite (`server`) or PostgreSQL (`pg_server`)."""
    return request.getfixturevalue("server" if request.param == "sqlite" else "pg_server")


@pytest.fixture
def room(live):
    built = make_room(live.url, ("Ana", "Bo", "Cy", "Di"))
    try:
        yield built
    finally:
        built.close()


class AckCollector:
    """Emits without waiting and gathers every ack (the flood is in flight all at once)."""

    def __init__(self, expected: int) -> None:
        self.acks: list[dict] = []
        self.expected = expected
        self._cond = threading.Condition()

    def emit(self, client: BoardClient, event: str, payload: dict) -> None:
        client.sio.emit(event, payload, callback=self._on_ack)

    def _on_ack(self, ack: dict) -> None:
        with self._cond:
            self.acks.append(ack)
            self._cond.notify_all()

    def wait(self, timeout: float = 30) -> list[dict]:
        with self._cond:
            assert self._cond.wait_for(lambda: len(self.acks) >= self.expected, timeout), \
                f"{len(self.acks)} acks of {self.expected}"
            return list(self.acks)


def flood(room: VoteRoom, voter: str, targets: list[int]) -> tuple[list[dict], BoardClient]:
    """`voter` fires FLOOD casts at `targets` from two connections, half each, from two threads at once."""
    tabs = [room.client(voter), room.client(voter)]
    collector = AckCollector(FLOOD)
    start = threading.Barrier(len(tabs))

    def fire(tab_index: int) -> None:
        start.wait()
        for i in range(tab_index, FLOOD, len(tabs)):
            collector.emit(tabs[tab_index], "vote_cast", {"op_id": op_id(), "project_id": targets[i % len(targets)]})

    threads = [threading.Thread(target=fire, args=(i,)) for i in range(len(tabs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return collector.wait(), tabs[0]


def open_vote(room: VoteRoom) -> BoardClient:
    facilitator = room.client("facilitator")
    facilitate(facilitator, ("vote_configure", {"budget": BUDGET, "cap": CAP}), ("vote_open", {}))
    return facilitator


@pytest.mark.parametrize("spread", [False, True], ids=["one story", "several stories"])
def test_two_tabs_flooding_casts_never_exceed_budget_or_cap(room, spread):
    open_vote(room)
    targets = [room.stories["Bo"], room.stories["Cy"], room.stories["Di"]] if spread else [room.stories["Bo"]]
    acks, tab = flood(room, "Ana", targets)

    accepted = [ack for ack in acks if ack["ok"]]
    refused = [ack for ack in acks if not ack["ok"]]
    assert len(acks) == FLOOD and len(accepted) + len(refused) == FLOOD
    assert len(accepted) == (BUDGET if spread else CAP)
    assert Counter(ack["error"]["code"] for ack in refused).keys() <= {"budget_spent", "story_cap_reached"}
    assert all(ack["error"]["message"] for ack in refused)
    # The used count each accepted ack reports is 1..n exactly once: the casts were serialised.
    assert sorted(ack["result"]["mine"]["used"] for ack in accepted) == list(range(1, len(accepted) + 1))

    mine = tab.call("vote_mine", {})["mine"]
    per_story = Counter({d["project_id"]: d["dots"] for d in mine["dots"]})
    assert sum(per_story.values()) == len(accepted) <= BUDGET
    assert max(per_story.values()) <= CAP
    assert set(per_story) <= set(targets)
    # Everyone saw exactly one progress event per accepted dot, ending at the final count.
    last_seq = max(ack["seq"] for ack in accepted)
    tab.wait_for_seq(last_seq)
    # Frames are kept as received (the client runs each handler on its own thread): order them by seq.
    progress = sorted((f for f in tab.frames if f["type"] == "vote_cast_accepted"), key=lambda f: f["seq"])
    assert len(progress) == len(accepted)
    assert [f["data"]["dots_used"] for f in progress] == list(range(1, len(accepted) + 1))


def test_every_cast_after_the_close_is_refused_with_vote_closed(room):
    facilitator = open_vote(room)
    voters = {name: room.client(name) for name in ("Ana", "Bo", "Cy")}
    targets = {"Ana": [room.stories["Bo"], room.stories["Cy"], room.stories["Di"]],
               "Bo": [room.stories["Cy"], room.stories["Di"], room.stories["Ana"]],
               "Cy": [room.stories["Di"], room.stories["Ana"], room.stories["Bo"]]}
    per_voter = 12
    collector = AckCollector(per_voter * len(voters))
    start = threading.Barrier(len(voters) + 1)
    close_ack: dict = {}

    def fire(name: str) -> None:
        start.wait()
        for i in range(per_voter):
            collector.emit(voters[name], "vote_cast", {"op_id": op_id(), "project_id": targets[name][i % 3]})

    def close() -> None:
        start.wait()
        close_ack.update(facilitator.command("vote_close"))

    threads = [threading.Thread(target=fire, args=(name,)) for name in voters] + [threading.Thread(target=close)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    acks = collector.wait()
    assert close_ack["ok"], close_ack
    close_seq = close_ack["seq"]

    accepted = [ack for ack in acks if ack["ok"]]
    refused = [ack for ack in acks if not ack["ok"]]
    assert all(ack["seq"] < close_seq for ack in accepted)
    assert {ack["error"]["code"] for ack in refused} <= {"vote_closed", "budget_spent", "story_cap_reached"}
    # What was accepted before the close is exactly what the reveal counts.
    reveal = facilitator.command("vote_reveal")
    assert reveal["ok"], reveal
    facilitator.wait_for_seq(reveal["seq"])
    ranking = next(f for f in facilitator.frames if f["type"] == "vote_revealed")["data"]["round"]["ranking"]
    assert sum(entry["dots"] for entry in ranking) == len(accepted)
    # And a cast sent now, long after the close, is refused as closed.
    late = voters["Ana"].command("vote_cast", project_id=room.stories["Di"])
    assert late["ok"] is False and late["error"]["code"] == "vote_closed"
