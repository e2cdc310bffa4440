"""The run of show over real sockets: phases gate participants at once, server time, spotlight, moderation.

One server per database serves the module; each test makes its own board.
"""
from __future__ import annotations

import threading
import time
from datetime import datetime, timezone

import pytest
import socketio

from tests.conftest import module_server
from tests.support.clients import BoardClient
from tests.support.server import create_board, join_board

CARD = {"title": "La ferme du coin", "pitch": "Du pain pour le quartier"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live(request, tmp_path_factory):
    """One server per database for the module."""
    with module_server(request.param, tmp_path_factory.mktemp("show")) as process:
        yield process


class Room:
    """A board and its clients (closed at the end)."""

    def __init__(self, url: str) -> None:
        created = create_board(url)
        self.url = url
        self.code = created["board"]["code"]
        self.facilitator_token = created["facilitator_token"]
        self.projector_token = created["links"]["projector"].split("#", 1)[1]
        self.clients: list[BoardClient] = []

    def client(self, token: str) -> BoardClient:
        client = BoardClient(self.url, self.code, token)
        self.clients.append(client)
        client.connect()
        return client

    def participant(self, name: str) -> tuple[BoardClient, dict]:
        joined = join_board(self.url, self.code, name)
        return self.client(joined["token"]), joined

    def close(self) -> None:
        for client in self.clients:
            client.disconnect()


@pytest.fixture
def room(live):
    opened = Room(live.url)
    yield opened
    opened.close()


def parse(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


def wait_for(client: BoardClient, predicate, timeout: float = 10):
    """Block until one of the client's frames matches (returns it)."""
    deadline = time.monotonic() + timeout
    with client._cond:
        while True:
            for frame in client.frames:
                if predicate(frame):
                    return frame
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no matching frame among {[f['type'] for f in client.frames]}")
            client._cond.wait(remaining)


def test_the_snapshot_and_the_sync_reply_carry_the_show_and_the_server_time(room):
    before = datetime.now(timezone.utc)
    host = BoardClient(room.url, room.code, room.facilitator_token)
    room.clients.append(host)
    reply = host.connect()
    after = datetime.now(timezone.utc)
    assert before.replace(microsecond=0) <= parse(reply["server_now"]) <= after
    show = reply["snapshot"]["show"]
    assert show["status"] == "idle" and len(show["phases"]) == 6
    assert reply["snapshot"]["spotlight"] is None
    clock = host.call("clock", {})
    assert clock["ok"] is True and parse(clock["server_now"]) >= parse(reply["server_now"])


def test_advancing_closes_posting_for_participants_as_soon_as_they_see_the_phase(room):
    host = room.client(room.facilitator_token)
    ana, _ = room.participant("Ana")
    screen = room.client(room.projector_token)
    ack = host.command("show_advance", from_phase_id=None)
    assert ack["ok"] is True
    started = wait_for(ana, lambda f: f["type"] == "show_phase_changed")
    phases = started["data"]["show"]["phases"]
    assert ana.command("project_post", project=CARD)["ok"] is True
    current = phases[0]["id"]
    for phase in phases[1:4]:                     # Values, Post your project, then Story vote
        assert host.command("show_advance", from_phase_id=current)["ok"] is True
        current = phase["id"]
    seen = wait_for(ana, lambda f: f["type"] == "show_phase_changed" and f["data"]["started_phase_id"] == phases[3]["id"])
    assert seen["data"]["show"]["gates"] == {"posting": False, "voting": True, "mapping": False}
    refused = ana.command("project_post", project={**CARD, "title": "Trop tard"})
    assert refused["ok"] is False and refused["error"]["code"] == "gate_closed"
    assert refused["error"]["params"] == {"gate": "posting"}
    wait_for(screen, lambda f: f["type"] == "show_phase_changed" and f["data"]["started_phase_id"] == phases[3]["id"])


def test_a_double_advance_moves_only_one_phase(room):
    host = room.client(room.facilitator_token)
    first = host.command("show_advance")
    assert first["ok"] is True
    current = host.sync(first["seq"] - 1)["events"][0]["data"]["show"]["current_phase_id"]
    results = [None, None]

    def click(i):
        results[i] = host.command("show_advance", from_phase_id=current)

    threads = [threading.Thread(target=click, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    assert sorted(r["ok"] for r in results) == [False, True]
    refused = next(r for r in results if not r["ok"])
    assert refused["error"]["code"] == "phase_changed"


def test_timer_events_carry_server_time_and_the_remaining_time(room):
    host = room.client(room.facilitator_token)
    ana, _ = room.participant("Ana")
    host.command("show_advance")
    host.command("show_pause")
    paused = wait_for(ana, lambda f: f["type"] == "show_timer_changed" and f["data"]["action"] == "paused")
    assert paused["data"]["server_now"] and paused["data"]["show"]["timer"]["status"] == "paused"
    remaining = paused["data"]["show"]["timer"]["remaining_ms"]
    host.command("show_extend", seconds=300)
    extended = wait_for(ana, lambda f: f["type"] == "show_timer_changed" and f["data"]["action"] == "extended")
    assert extended["data"]["show"]["timer"]["remaining_ms"] == remaining + 300_000
    host.command("show_resume")
    resumed = wait_for(ana, lambda f: f["type"] == "show_timer_changed" and f["data"]["action"] == "resumed")
    timer = resumed["data"]["show"]["timer"]
    left = (parse(timer["ends_at"]) - parse(resumed["data"]["server_now"])).total_seconds() * 1000
    assert abs(left - (remaining + 300_000)) < 5


def test_participants_and_the_projector_cannot_run_the_show(room):
    ana, _ = room.participant("Ana")
    screen = room.client(room.projector_token)
    for client in (ana, screen):
        for name, payload in (("show_advance", {}), ("show_pause", {}), ("spotlight_set", {"project_id": None}),
                              ("show_lock_set", {"locked": True}), ("participant_remove", {"participant_id": 1})):
            ack = client.command(name, **payload)
            assert ack["ok"] is False and ack["error"]["code"] == "forbidden", (name, ack)
        assert client.call("show_progress", {})["error"]["code"] == "forbidden"


def test_malformed_show_payloads_get_an_error_ack(room):
    host = room.client(room.facilitator_token)
    assert host.command("show_extend", seconds=0)["error"]["params"] == {"field": "seconds", "minimum": 1, "maximum": 3600}
    for name, payload in (("show_extend", {"seconds": "5"}), ("show_extend", {"seconds": 0}),
                          ("show_gate_set", {"gate": "dancing", "open": True}),
                          ("spotlight_set", {"project_id": 1, "view": "poster"}),
                          ("show_agenda_set", {"phases": []}), ("show_advance", {"extra": 1})):
        ack = host.command(name, **payload)
        assert ack["ok"] is False and ack["error"]["code"] in ("invalid_payload", "too_long", "out_of_range"), (name, ack)
    assert host.call("clock", {"x": 1})["ok"] is False
    assert host.call("clock", {})["ok"] is True         # the server keeps serving


def test_spotlight_reaches_every_screen_and_survives_a_reconnect(room):
    host = room.client(room.facilitator_token)
    ana, _ = room.participant("Ana")
    screen = room.client(room.projector_token)
    ana.command("project_post", project=CARD)
    project_id = wait_for(host, lambda f: f["type"] == "project_posted")["data"]["project"]["id"]
    assert host.command("spotlight_set", project_id=project_id, view="map")["ok"] is True
    frame = wait_for(screen, lambda f: f["type"] == "spotlight_changed")
    assert frame["data"] == {"spotlight": {"project_id": project_id, "view": "map"}}
    screen.disconnect()
    again = BoardClient(room.url, room.code, room.projector_token)
    room.clients.append(again)
    assert again.connect()["snapshot"]["spotlight"] == {"project_id": project_id, "view": "map"}


def test_who_is_stuck_lists_posted_dots_and_presence(room):
    host = room.client(room.facilitator_token)
    ana, ana_joined = room.participant("Ana")
    _, ben_joined = room.participant("Ben")
    ana.command("project_post", project=CARD)
    rows = {r["name"]: r for r in host.call("show_progress", {})["participants"]}
    assert rows["Ana"]["posted"] == 1 and rows["Ben"]["posted"] == 0
    assert rows["Ana"]["online"] is True and rows["Ana"]["dots_used"] == 0 and rows["Ana"]["map_project_id"] is None


def test_a_removed_participant_is_disconnected_and_cannot_come_back(room):
    host = room.client(room.facilitator_token)
    ana, joined = room.participant("Ana")
    ben, _ = room.participant("Ben")
    gone = threading.Event()
    ana.sio.on("disconnect", lambda *args: gone.set())
    ack = host.command("participant_remove", participant_id=joined["participant"]["id"])
    assert ack["ok"] is True
    assert gone.wait(10)
    assert any(f["type"] == "participant_removed" for f in ana.frames)   # told before being dropped
    wait_for(ben, lambda f: f["type"] == "participant_removed" and f["data"]["participant_id"] == joined["participant"]["id"])
    retry = BoardClient(room.url, room.code, joined["token"])
    with pytest.raises(socketio.exceptions.ConnectionError):
        retry.connect()
    rows = host.call("show_progress", {})["participants"]
    assert [r["name"] for r in rows] == ["Ben"]


def test_a_hidden_card_leaves_the_others_snapshot_but_not_its_authors(room):
    host = room.client(room.facilitator_token)
    ana, ana_joined = room.participant("Ana")
    ana.command("project_post", project=CARD)
    project_id = wait_for(host, lambda f: f["type"] == "project_posted")["data"]["project"]["id"]
    assert host.command("project_hide", project_id=project_id)["ok"] is True
    ben = room.client(join_board(room.url, room.code, "Ben")["token"])
    screen = room.client(room.projector_token)
    assert [p["id"] for p in ben.snapshot["projects"]] == []
    assert [p["id"] for p in screen.snapshot["projects"]] == []
    fresh_ana = room.client(ana_joined["token"])
    assert [p["id"] for p in fresh_ana.snapshot["projects"]] == [project_id]
    assert fresh_ana.snapshot["moderation"]["hidden_projects"] == [project_id]
