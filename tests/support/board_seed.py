"""A board with something of everything on it, and a valid payload for every client command and request.

Used by the fuzz and authorisation tests: every name in `server/realtime/events.py` (COMMANDS,
REQUESTS, and the ephemeral frames a client sends) must have a template here, so a new command is
covered as soon as it exists (and the tests fail until it has one).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from tests.support.clients import BoardClient, op_id
from tests.support.server import create_board, join_board


@dataclass
class Seeded:
    """The board's code, everyone's token and the ids of what is on it."""

    url: str
    code: str
    tokens: dict[str, str]                      # facilitator, projector, author, other, victim
    participant_ids: dict[str, int]             # author, other, victim
    ids: dict[str, int] = field(default_factory=dict)  # project, other_project, victim_project, node, node2, link, item


def seed(url: str) -> Seeded:
    """Create a board: an author with a story and a small map (two nodes, a link, a plan item), another
    participant with a story, a participant only there to be removed, the projector."""
    created = create_board(url)
    code = created["board"]["code"]
    board = Seeded(url, code, {"facilitator": created["facilitator_token"],
                               "projector": created["links"]["projector"].split("#", 1)[1]}, {})
    for who in ("author", "other", "victim"):
        joined = join_board(url, code, who.capitalize())
        board.tokens[who] = joined["token"]
        board.participant_ids[who] = joined["participant"]["id"]
        client = BoardClient(url, code, joined["token"])
        client.connect()
        try:
            ack = client.command("project_post", project={"title": f"Story of {who}", "pitch": "A pitch"})
            assert ack["ok"], ack
            board.ids[{"author": "project", "other": "other_project", "victim": "victim_project"}[who]] = _data(client, ack)["project"]["id"]
            if who == "author":
                project = board.ids["project"]
                for key, ring in (("node", "inner"), ("node2", "network")):
                    ack = client.command("map_node_add", project_id=project, label=f"{key} label", ring=ring, reach=10)
                    assert ack["ok"], ack
                    board.ids[key] = _data(client, ack)["node"]["id"]
                ack = client.command("map_link_add", project_id=project, from_node_id=board.ids["node"], to_node_id=board.ids["node2"])
                assert ack["ok"], ack
                board.ids["link"] = _data(client, ack)["link"]["id"]
                ack = client.command("plan_item_add", project_id=project, what="Teaser", ring="inner", when="launch_day",
                                     where="Mail", how="Personal note")
                assert ack["ok"], ack
                board.ids["item"] = _data(client, ack)["item"]["id"]
        finally:
            client.disconnect()
    return board


def _data(client: BoardClient, ack: dict) -> dict:
    client.wait_for_seq(ack["seq"])
    return next(f["data"] for f in client.frames if f["seq"] == ack["seq"])


def templates(board: Seeded) -> dict[str, dict]:
    """name -> a payload that passes validation (without op_id; commands get a fresh one when sent)."""
    ids = board.ids
    project, node, node2 = ids["project"], ids["node"], ids["node2"]
    return {
        # story cards
        "project_post": {"project": {"title": "A new story", "pitch": "Its pitch", "goal_amount": 5000, "currency": "EUR"}},
        "project_edit": {"project_id": project, "project": {"pitch": "A better pitch"}},
        "project_delete": {"project_id": ids["victim_project"]},
        # story vote
        "vote_configure": {"budget": 3, "cap": 1},
        "vote_open": {},
        "vote_close": {},
        "vote_reveal": {},
        "vote_cast": {"project_id": ids["other_project"]},
        "vote_retract": {"project_id": ids["other_project"]},
        "vote_round_start": {"top": 3},
        "attendee_add": {"name": "Eve"},
        # run of show
        "show_agenda_set": {"phases": [{"kind": "join", "title": "Join", "duration_s": 300, "gates": {"posting": True}},
                                       {"kind": "post", "title": "Post", "duration_s": 600}]},
        "show_advance": {},
        "show_pause": {},
        "show_resume": {},
        "show_extend": {"seconds": 60},
        "show_gate_set": {"gate": "posting", "open": True},
        "show_lock_set": {"locked": False},
        "spotlight_set": {"project_id": project, "view": "card"},
        "project_hide": {"project_id": ids["other_project"]},
        "project_unhide": {"project_id": ids["other_project"]},
        "participant_remove": {"participant_id": board.participant_ids["victim"]},
        # tribe maps
        "map_node_add": {"project_id": project, "label": "Neighbours", "kind": "community", "ring": "network", "reach": 40},
        "map_node_move": {"project_id": project, "node_id": node, "x": 0.5, "y": -0.1},
        "map_node_edit": {"project_id": project, "node_id": node, "label": "Family", "reach": 30},
        "map_node_remove": {"project_id": project, "node_id": node2},
        "map_link_add": {"project_id": project, "from_node_id": node2, "to_node_id": node},
        "map_link_remove": {"project_id": project, "link_id": ids["link"]},
        "plan_item_add": {"project_id": project, "what": "Video", "ring": "crowd", "when": "first_week",
                          "where": "Instagram", "how": "A short clip"},
        "plan_item_edit": {"project_id": project, "item_id": ids["item"], "when": "after"},
        "plan_item_remove": {"project_id": project, "item_id": ids["item"]},
        "map_settings_edit": {"project_id": project, "average_pledge": 40, "conversion_pct": 15},
        "email_draft_save": {"project_id": project, "ring": "inner", "subject": "Hello", "body": "Dear friends"},
        # requests
        "sync": {"since": 0},
        "vote_mine": {},
        "clock": {},
        "show_progress": {},
        "map_email_preview": {"project_id": project, "ring": "inner"},
        # ephemeral frames a client sends (never acked)
        "map_node_drag": {"project_id": project, "node_id": node, "x": 0.3, "y": 0.3, "done": False},
        "map_presence": {"project_id": project, "reply": False},
    }


def with_op_id(name: str, payload: dict) -> dict:
    """The payload as a client sends it: commands carry a fresh op_id."""
    from server.realtime.events import COMMANDS

    return {"op_id": op_id(), **payload} if name in COMMANDS else dict(payload)
