"""Run of show services on SQLite and PostgreSQL: agenda, phases and timer, gates, lock, spotlight, moderation."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from server.domain.errors import DomainError
from server.persistence import event_log
from server.persistence.models import Board, DeviceToken
from server.services import gating, identity, projects, snapshot
from server.services.show import moderation, run_of_show, spotlight
from tests.support.clients import op_id

CARD = {"title": "Les Ruches", "pitch": "Urban beehives"}


def view(database, board_id):
    with database.read() as session:
        return run_of_show.show_view(session, session.get(Board, board_id))


def advance(database, board, expected_from):
    return run_of_show.advance(database, board.facilitator, op_id(), expected_from)


def test_before_any_command_the_default_agenda_is_shown_and_every_gate_is_open(database, board, join):
    shown = view(database, board.id)
    assert shown["status"] == "idle" and shown["current_phase_id"] is None
    assert [p["title"] for p in shown["phases"]] == ["Accueil", "Valeurs", "Postez votre projet", "Vote des histoires",
                                                     "Cartes de tribu", "Conclusion"]
    assert shown["gates"] == {"posting": True, "voting": True, "mapping": True}
    ana, _ = join("Ana")
    assert projects.post_project(database, ana, op_id(), CARD).seq > 0


def test_advancing_records_real_times_and_moves_the_gates(database, board, join):
    ana, _ = join("Ana")
    first = advance(database, board, None)
    shown = first.event["data"]["show"]
    assert first.event["type"] == "show_phase_changed"
    join_phase, values, post, vote = shown["phases"][:4]
    assert shown["current_phase_id"] == join_phase["id"] and shown["status"] == "running"
    assert join_phase["started_at"] and not join_phase["ended_at"]
    assert shown["timer"]["status"] == "running" and shown["timer"]["duration_ms"] == join_phase["duration_s"] * 1000
    assert first.event["data"]["server_now"] == shown["server_now"]
    advance(database, board, join_phase["id"])
    advance(database, board, values["id"])
    card = projects.post_project(database, ana, op_id(), CARD)
    to_vote = advance(database, board, post["id"])
    shown = to_vote.event["data"]["show"]
    assert shown["gates"] == {"posting": False, "voting": True, "mapping": False}
    assert to_vote.event["data"]["ended_phase_id"] == post["id"]
    ran = {p["id"]: p for p in shown["phases"]}
    assert ran[post["id"]]["ended_at"] == ran[vote["id"]]["started_at"]
    with pytest.raises(DomainError) as error:
        projects.post_project(database, ana, op_id(), CARD)
    assert error.value.code == "gate_closed" and error.value.params == {"gate": "posting"}
    with pytest.raises(DomainError) as error:
        projects.edit_project(database, ana, op_id(), card.event["data"]["project"]["id"], {"pitch": "changed"})
    assert error.value.code == "gate_closed"
    # The facilitator always passes (moderation).
    projects.edit_project(database, board.facilitator, op_id(), card.event["data"]["project"]["id"], {"pitch": "moderated"})


def test_a_second_advance_from_the_same_phase_is_refused(database, board):
    first = advance(database, board, None)
    current = first.event["data"]["show"]["current_phase_id"]
    advance(database, board, current)
    with pytest.raises(DomainError) as error:
        advance(database, board, current)
    assert error.value.code == "phase_changed"


def test_the_show_ends_after_the_last_phase_and_keeps_its_gates(database, board):
    current = None
    for _ in range(6):
        current = advance(database, board, current).event["data"]["show"]["current_phase_id"]
    ended = advance(database, board, current).event["data"]["show"]
    assert ended["status"] == "ended" and ended["current_phase_id"] is None
    assert all(p["started_at"] and p["ended_at"] for p in ended["phases"])
    assert ended["gates"] == {"posting": False, "voting": False, "mapping": False}
    with pytest.raises(DomainError) as error:
        advance(database, board, None)
    assert error.value.code == "show_ended"


def test_pause_resume_extend_change_the_timer_facts(database, board):
    with pytest.raises(DomainError) as error:
        run_of_show.pause(database, board.facilitator, op_id())
    assert error.value.code == "no_current_phase"
    advance(database, board, None)
    paused = run_of_show.pause(database, board.facilitator, op_id()).event["data"]
    assert paused["show"]["status"] == "paused" and paused["action"] == "paused"
    assert paused["show"]["timer"]["ends_at"] is None and 0 < paused["show"]["timer"]["remaining_ms"] <= 300_000
    extended = run_of_show.extend(database, board.facilitator, op_id(), 60).event["data"]
    assert extended["show"]["timer"]["remaining_ms"] == paused["show"]["timer"]["remaining_ms"] + 60_000
    resumed = run_of_show.resume(database, board.facilitator, op_id()).event["data"]["show"]
    assert resumed["status"] == "running" and resumed["timer"]["ends_at"] and resumed["timer"]["remaining_ms"] is None
    with pytest.raises(DomainError) as error:
        run_of_show.resume(database, board.facilitator, op_id())
    assert error.value.code == "timer_not_paused"


def test_only_the_facilitator_runs_the_show(database, board, join):
    ana, _ = join("Ana")
    for actor in (ana, board.projector):
        with pytest.raises(DomainError) as error:
            run_of_show.advance(database, actor, op_id(), None)
        assert error.value.code == "forbidden"
    with database.read() as session:
        assert event_log.current_seq(session, board.id) == 1        # only the join


def test_the_agenda_can_be_edited_and_reordered_but_history_stays(database, board):
    started = advance(database, board, None).event["data"]["show"]
    phases = started["phases"]
    items = [{"id": p["id"], "kind": p["kind"], "title": p["title"], "duration_s": p["duration_s"], "gates": p["gates"]}
             for p in phases]
    reordered = [items[0], items[2], {"kind": "custom", "title": "Pitch practice", "duration_s": 600,
                                      "gates": {"posting": True}}, items[1]] + items[3:-1]
    changed = run_of_show.set_agenda(database, board.facilitator, op_id(), reordered).event["data"]["show"]
    assert [p["title"] for p in changed["phases"]] == ["Accueil", "Postez votre projet", "Pitch practice", "Valeurs",
                                                       "Vote des histoires", "Cartes de tribu"]
    assert changed["phases"][0]["started_at"] == phases[0]["started_at"]
    assert changed["current_phase_id"] == phases[0]["id"]
    current = [{"id": p["id"], "kind": p["kind"], "title": p["title"], "duration_s": p["duration_s"], "gates": p["gates"]}
               for p in changed["phases"]]
    for proposed in (current[1:], current[1:2] + current[:1] + current[2:]):
        with pytest.raises(DomainError) as error:
            run_of_show.set_agenda(database, board.facilitator, op_id(), proposed)
        assert error.value.code == "phase_already_ran"


def test_editing_the_current_phase_gates_takes_effect_at_once(database, board, join):
    ana, _ = join("Ana")
    phases = advance(database, board, None).event["data"]["show"]["phases"]
    items = [{"id": p["id"], "kind": p["kind"], "title": p["title"], "duration_s": p["duration_s"], "gates": p["gates"]}
             for p in phases]
    items[0]["gates"] = {"posting": False}
    run_of_show.set_agenda(database, board.facilitator, op_id(), items)
    with pytest.raises(DomainError) as error:
        projects.post_project(database, ana, op_id(), CARD)
    assert error.value.code == "gate_closed"


def test_overrides_and_the_lock(database, board, join):
    ana, _ = join("Ana")
    run_of_show.set_gate(database, board.facilitator, op_id(), "posting", False)
    with pytest.raises(DomainError) as error:
        projects.post_project(database, ana, op_id(), CARD)
    assert error.value.code == "gate_closed"
    run_of_show.set_gate(database, board.facilitator, op_id(), "posting", None)
    projects.post_project(database, ana, op_id(), CARD)
    locked = run_of_show.set_locked(database, board.facilitator, op_id(), True).event["data"]["show"]
    assert locked["locked"] is True
    for gate in ("posting", "voting", "mapping"):
        with database.read() as session, pytest.raises(DomainError) as error:
            gating.require_open(session, board.id, gate, ana)
        assert error.value.code == "board_locked"
        with database.read() as session:
            gating.require_open(session, board.id, gate, board.facilitator)
    run_of_show.set_locked(database, board.facilitator, op_id(), False)
    projects.post_project(database, ana, op_id(), {**CARD, "title": "Second"})


def test_an_override_ends_with_its_phase(database, board):
    current = advance(database, board, None).event["data"]["show"]["current_phase_id"]
    run_of_show.set_gate(database, board.facilitator, op_id(), "mapping", True)
    assert view(database, board.id)["gates"]["mapping"] is True
    advance(database, board, current)
    assert view(database, board.id)["overrides"] == {} and view(database, board.id)["gates"]["mapping"] is False


def test_spotlight_a_card_or_a_map_and_clear_it(database, board, join):
    ana, _ = join("Ana")
    pid = projects.post_project(database, ana, op_id(), CARD).event["data"]["project"]["id"]
    shown = spotlight.set_spotlight(database, board.facilitator, op_id(), pid, "map")
    assert shown.event["type"] == "spotlight_changed" and shown.event["data"] == {"spotlight": {"project_id": pid, "view": "map"}}
    with database.read() as session:
        assert snapshot.build(session, session.get(Board, board.id), ana)["spotlight"] == {"project_id": pid, "view": "map"}
    cleared = spotlight.set_spotlight(database, board.facilitator, op_id(), None)
    assert cleared.event["data"] == {"spotlight": None}
    with pytest.raises(DomainError) as error:
        spotlight.set_spotlight(database, ana, op_id(), pid)
    assert error.value.code == "forbidden"
    with pytest.raises(DomainError) as error:
        spotlight.set_spotlight(database, board.facilitator, op_id(), 9999)
    assert error.value.code == "project_not_found"


def test_a_hidden_card_is_shown_only_to_its_author_and_the_facilitator(database, board, join):
    ana, _ = join("Ana")
    ben, _ = join("Ben")
    pid = projects.post_project(database, ana, op_id(), CARD).event["data"]["project"]["id"]
    spotlight.set_spotlight(database, board.facilitator, op_id(), pid)
    hidden = moderation.hide_project(database, board.facilitator, op_id(), pid)
    assert hidden.event["type"] == "project_hidden" and hidden.event["data"] == {"project_id": pid, "returned_dots": None, "rankings": []}
    with database.read() as session:
        b = session.get(Board, board.id)
        for actor, sees in ((ana, True), (board.facilitator, True), (ben, False), (board.projector, False)):
            snap = snapshot.build(session, b, actor)
            assert (pid in [p["id"] for p in snap["projects"]]) is sees
            assert snap["moderation"]["hidden_projects"] == [pid]
            assert snap["spotlight"] is None         # hiding took it out of the spotlight
    with pytest.raises(DomainError) as error:
        spotlight.set_spotlight(database, board.facilitator, op_id(), pid)
    assert error.value.code == "project_hidden"
    shown = moderation.unhide_project(database, board.facilitator, op_id(), pid)
    assert shown.event["type"] == "project_unhidden"
    assert shown.event["data"]["project_id"] == pid and shown.event["data"]["project"]["title"] == CARD["title"]
    with database.read() as session:
        assert pid in [p["id"] for p in snapshot.build(session, session.get(Board, board.id), ben)["projects"]]


def test_a_removed_participant_can_no_longer_authenticate_rejoin_or_write(database, board, join):
    ana, joined = join("Ana")
    removed = moderation.remove_participant(database, board.facilitator, op_id(), ana.participant_id)
    assert removed.event["type"] == "participant_removed"
    # No vote yet: round 1's progress without Ana, who was its only voter.
    assert removed.event["data"] == {"participant_id": ana.participant_id,
                                     "vote_summary": {"voters": 0, "done": 0, "not_voted": 0}}
    with pytest.raises(DomainError) as error:
        identity.authenticate(database, board.code, joined.token)
    assert error.value.code == "unauthorised"
    with pytest.raises(DomainError) as error:
        identity.rejoin(database, board.code, joined.rejoin_code)
    assert error.value.code == "rejoin_code_unknown"
    # A socket still open on another process keeps its Actor: gating refuses its writes.
    with pytest.raises(DomainError) as error:
        projects.post_project(database, ana, op_id(), CARD)
    assert error.value.code == "participant_removed"
    with database.read() as session:
        assert session.execute(select(DeviceToken).where(DeviceToken.participant_id == ana.participant_id)).first() is None
        assert snapshot.build(session, session.get(Board, board.id), board.facilitator)["moderation"]["removed_participants"] == [ana.participant_id]
