"""Tribe maps over real sockets: racing moves, links racing removals, live drags, map presence, refusals.

One server per database (SQLite and PostgreSQL) serves the module; each test makes its own board.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest

from tests.conftest import module_server
from tests.realtime import map_support as maps
from tests.support.clients import BoardClient, op_id
from tests.support.server import create_board, join_board


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live(request, tmp_path_factory):
    """One server per database for the module."""
    with module_server(request.param, tmp_path_factory.mktemp("maps")) as process:
        yield process


@dataclass
class MapRoom:
    """A board with a project by Ana; Bruno helps on her map; the projector watches."""

    url: str
    code: str
    tokens: dict[str, str]
    ids: dict[str, int] = field(default_factory=dict)
    clients: list[BoardClient] = field(default_factory=list)
    project_id: int = 0

    def client(self, who: str) -> BoardClient:
        """A connected client with a first snapshot."""
        client = BoardClient(self.url, self.code, self.tokens[who])
        client.connect()
        self.clients.append(client)
        return client


@pytest.fixture
def room(live):
    created = create_board(live.url, "Maps")
    code = created["board"]["code"]
    tokens = {"facilitator": created["facilitator_token"], "projector": created["links"]["projector"].split("#", 1)[1]}
    ids = {}
    for name in ("Ana", "Bruno", "Chloé"):
        joined = join_board(live.url, code, name)
        tokens[name], ids[name] = joined["token"], joined["participant"]["id"]
    room = MapRoom(live.url, code, tokens, ids)
    ana = room.client("Ana")
    ack = ana.command("project_post", project={"title": "El Cosmonauta", "pitch": "A film made with its community",
                                               "goal_amount": 12000})
    assert ack["ok"], ack
    room.project_id = maps.frame_of(ana, ack["seq"])["data"]["project"]["id"]
    ana.disconnect()
    room.clients.remove(ana)
    try:
        yield room
    finally:
        for client in room.clients:
            client.disconnect()


def added(client: BoardClient, name: str, **payload) -> dict:
    """Send an *_add command that must succeed; the frame it produced."""
    ack = client.command(name, **payload)
    assert ack["ok"], ack
    return maps.frame_of(client, ack["seq"])


def emit_async(client: BoardClient, name: str, payload: dict, acks: list, cond: threading.Condition) -> None:
    def on_ack(ack):
        with cond:
            acks.append((name, payload, ack))
            cond.notify_all()

    client.sio.emit(name, {"op_id": op_id(), **payload}, callback=on_ack)


def wait_acks(acks: list, count: int, cond: threading.Condition, timeout: float = 30) -> None:
    with cond:
        assert cond.wait_for(lambda: len(acks) >= count, timeout), f"{count - len(acks)} acks missing"


def test_two_people_moving_one_node_last_committed_move_wins_everywhere(room):
    ana, bruno, projector = room.client("Ana"), room.client("Bruno"), room.client("projector")
    node = added(bruno, "map_node_add", project_id=room.project_id, label="Radio locale", kind="media", ring="crowd")["data"]["node"]
    acks, cond = [], threading.Condition()
    # Both fire their moves at once without waiting: the server's seq decides the order.
    for step in range(15):
        emit_async(ana, "map_node_move", {"project_id": room.project_id, "node_id": node["id"], "x": -0.3, "y": round(0.02 * step, 4)}, acks, cond)
        emit_async(bruno, "map_node_move", {"project_id": room.project_id, "node_id": node["id"], "x": 0.8, "y": round(-0.02 * step, 4)}, acks, cond)
    wait_acks(acks, 30, cond)
    assert all(ack["ok"] for _, _, ack in acks), acks
    head = max(ack["seq"] for _, _, ack in acks)
    last = maps.frame_of(projector, head)
    assert last["type"] == "map_node_moved"
    truth = maps.from_snapshot(maps.server_snapshot(projector))
    winner = truth[room.project_id]["nodes"][node["id"]]
    assert winner == last["data"]["node"]
    for client in (ana, bruno, projector):
        assert maps.client_maps(client, head) == truth


def test_a_link_racing_the_removal_of_its_node_is_refused_and_nothing_dangles(room):
    ana, bruno, chloe = room.client("Ana"), room.client("Bruno"), room.client("Chloé")
    outcomes = {"linked_then_removed": 0, "refused": 0}
    for round_ in range(8):
        a = added(bruno, "map_node_add", project_id=room.project_id, label=f"A{round_}", ring="inner")["data"]["node"]
        b = added(bruno, "map_node_add", project_id=room.project_id, label=f"B{round_}", ring="network")["data"]["node"]
        acks, cond = [], threading.Condition()
        emit_async(ana, "map_node_remove", {"project_id": room.project_id, "node_id": b["id"]}, acks, cond)
        emit_async(chloe, "map_link_add", {"project_id": room.project_id, "from_node_id": a["id"], "to_node_id": b["id"]}, acks, cond)
        wait_acks(acks, 2, cond)
        result = {name: ack for name, _, ack in acks}
        removal = result["map_node_remove"]
        assert removal["ok"], removal
        removed = maps.frame_of(chloe, removal["seq"])["data"]
        link = result["map_link_add"]
        if link["ok"]:
            # The link made it first: the removal took it away in the same event.
            assert link["seq"] < removal["seq"]
            assert removed["link_ids"] == [maps.frame_of(chloe, link["seq"])["data"]["link"]["id"]]
            outcomes["linked_then_removed"] += 1
        else:
            assert link["error"]["code"] == "node_not_found" and link["error"]["params"] == {"node_id": b["id"]}
            assert link["error"]["message"]
            assert removed["link_ids"] == []
            outcomes["refused"] += 1
    assert sum(outcomes.values()) == 8
    snapshot = maps.server_snapshot(chloe)
    truth = maps.from_snapshot(snapshot)[room.project_id]
    assert all(l["from_node_id"] in truth["nodes"] and l["to_node_id"] in truth["nodes"] for l in truth["links"].values())
    for client in (ana, bruno, chloe):
        assert maps.client_maps(client, snapshot["seq"]) == maps.from_snapshot(snapshot)


def test_drag_frames_are_relayed_to_the_others_and_never_logged(room):
    ana, bruno, projector = room.client("Ana"), room.client("Bruno"), room.client("projector")
    node = added(bruno, "map_node_add", project_id=room.project_id, label="Voisins", ring="inner")["data"]["node"]
    head = maps.server_snapshot(ana)["seq"]
    bruno.sio.emit("map_node_drag", {"project_id": room.project_id, "node_id": node["id"], "x": 0.0, "y": 1.4})
    seen = maps.ephemeral_of(ana, "map_node_drag", lambda d: d["node_id"] == node["id"])
    assert seen == {"project_id": room.project_id, "node_id": node["id"], "x": 0.0, "y": 0.96, "ring": "crowd", "done": False,
                    "viewer": f"participant:{room.ids['Bruno']}", "participant_id": room.ids["Bruno"], "role": "participant"}
    maps.ephemeral_of(projector, "map_node_drag", lambda d: d["node_id"] == node["id"])

    # A flood is throttled by the server; the projector's drags go nowhere; nothing enters the log.
    for i in range(120):
        bruno.sio.emit("map_node_drag", {"project_id": room.project_id, "node_id": node["id"], "x": 0.5, "y": round(i / 1000, 4)})
    projector.sio.emit("map_node_drag", {"project_id": room.project_id, "node_id": node["id"], "x": -0.5, "y": 0.0, "done": True})
    bruno.sio.emit("map_node_drag", {"project_id": room.project_id, "node_id": node["id"], "x": 1, "y": "far"})  # malformed: dropped
    drop = bruno.command("map_node_move", project_id=room.project_id, node_id=node["id"], x=0.5, y=0.119)
    assert drop["ok"] and drop["seq"] == head + 1
    maps.frame_of(ana, drop["seq"])  # the drop arrived, so the drags relayed before it did too
    with ana._cond:
        relayed = [d for name, d in ana.ephemeral if name == "map_node_drag"]
    assert 1 < len(relayed) < 121
    assert all(d["participant_id"] == room.ids["Bruno"] for d in relayed)
    with bruno._cond:
        assert not [d for name, d in bruno.ephemeral if name == "map_node_drag"]  # never echoed to the dragger
    replay = ana.sio.call("sync", {"since": head}, timeout=15)
    assert [f["type"] for f in replay["events"]] == ["map_node_moved"]


def test_map_presence_says_who_is_looking_at_which_map(room):
    """Viewers of a map hear who opens and leaves it; screens on other maps hear nothing."""
    ana, bruno, chloe = room.client("Ana"), room.client("Bruno"), room.client("Chloé")
    posted = chloe.command("project_post", project={"title": "Le Potager", "pitch": "A shared garden", "goal_amount": 3000})
    assert posted["ok"], posted
    other_map = maps.frame_of(chloe, posted["seq"])["data"]["project"]["id"]
    for client, project_id in ((chloe, other_map), (ana, room.project_id)):
        client.sio.emit("map_presence", {"project_id": project_id})
        # A round trip on the same socket: its frame was handled (it is in the map's room) before Bruno's.
        assert client.sio.call("sync", {"since": 0}, timeout=15)["ok"]
    bruno.sio.emit("map_presence", {"project_id": room.project_id})
    seen = maps.ephemeral_of(ana, "map_presence", lambda d: d["participant_id"] == room.ids["Bruno"])
    assert seen == {"project_id": room.project_id, "reply": False, "viewer": f"participant:{room.ids['Bruno']}",
                    "participant_id": room.ids["Bruno"], "role": "participant"}
    # Nobody speaks for someone else: an identity in the payload is refused (dropped).
    bruno.sio.emit("map_presence", {"project_id": room.project_id, "participant_id": room.ids["Ana"]})
    ana.sio.emit("map_presence", {"project_id": None, "reply": True})
    left = maps.ephemeral_of(bruno, "map_presence", lambda d: d["participant_id"] == room.ids["Ana"] and d["project_id"] is None)
    assert left["reply"] is True
    # Chloé looks at another map: by the time her own request is answered, the server has sent
    # everything it meant for her, and none of it was about this map.
    assert chloe.sio.call("sync", {"since": 0}, timeout=15)["ok"]
    with chloe._cond:
        assert [d for name, d in chloe.ephemeral if name == "map_presence"] == []
    with ana._cond:
        assert [d["participant_id"] for name, d in ana.ephemeral if name == "map_presence"] == [room.ids["Bruno"]]


def test_refusals_are_clear_acks_and_the_server_keeps_serving(room):
    projector, chloe = room.client("projector"), room.client("Chloé")
    pid = room.project_id
    ack = projector.command("map_node_add", project_id=pid, label="Nope")
    assert ack["error"]["code"] == "forbidden"
    bad = [
        ({"project_id": pid, "label": "x", "x": "0.5", "y": 0.1}, "invalid_payload"),
        ({"project_id": pid, "label": "x", "x": 2.0, "y": 0.1}, "out_of_range"),
        ({"project_id": pid, "label": "x", "ring": "moon"}, "invalid_payload"),
        ({"project_id": pid, "label": "x", "added_by": 1}, "invalid_payload"),
        ({"project_id": pid, "label": "x" * 61}, "too_long"),
        ({"project_id": 999999, "label": "x"}, "project_not_found"),
    ]
    for payload, code in bad:
        ack = chloe.command("map_node_add", **payload)
        assert not ack["ok"] and ack["error"]["code"] == code, (payload, ack)
    node = added(chloe, "map_node_add", project_id=pid, label="Still serving", ring="network")["data"]["node"]
    assert node["added_by"] == room.ids["Chloé"]


def test_email_preview_and_drafts_over_sockets(room):
    ana, bruno = room.client("Ana"), room.client("Bruno")
    added(bruno, "plan_item_add", project_id=room.project_id, what="Teaser on the radio", ring="crowd", when="before_launch")
    reply = bruno.call("map_email_preview", {"project_id": room.project_id, "ring": "crowd"})
    assert reply["ok"]
    # Typed text quoted in a draft is bidi-isolated (U+2068 … U+2069), so the draft's own words read right.
    assert reply["draft"]["subject"] == "\u2068El Cosmonauta\u2069 — a story for your readers"
    assert "before the launch: Teaser on the radio" in reply["draft"]["body"].replace("\u2068", "").replace("\u2069", "")
    assert bruno.call("map_email_preview", {"project_id": room.project_id, "ring": "moon"})["error"]["code"] == "invalid_payload"
    refused = bruno.command("email_draft_save", project_id=room.project_id, ring="crowd", subject="s", body="b")
    assert refused["error"]["code"] == "not_author"
    saved = added(ana, "email_draft_save", project_id=room.project_id, ring="crowd", subject="Hello press", body="My words")
    assert maps.frame_of(bruno, saved["seq"])["data"]["draft"]["body"] == "My words"
