"""docs/architecture.md's "Extending" checklist, followed for a test-only capability: questions from the room.

Each step below is the checklist's step of the same number, through the same public calls a real
capability uses (no private registry touched). It stores its questions in the event log only, so it
needs no table and no migration (steps 2-3): the smallest capability that still goes through the
whole write path — payload, rate limit, service, one write transaction, seq, commit listener,
broadcast without the sender, ack, the sender's copy — and into every snapshot.
"""
from __future__ import annotations

import pytest
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from server import wiring
from server.domain.actors import Actor, require_writer
from server.domain.errors import DomainError
from server.persistence.db import Database
from server.persistence.models import Board, Event
from server.realtime import dispatch, events
from server.realtime.hub import socketio
from server.realtime.payloads import Command
from server.services import commands, gating, snapshot
from tests.support.clients import op_id

QUESTION_MAX = 140


# 1. domain: the rule, pure
def clean_question(text: str) -> str:
    """A question is some words, at most QUESTION_MAX characters."""
    text = " ".join(text.split())
    if not text:
        raise DomainError("required", "ask something", field="text")
    return text


# 4. services: the use case, through commands.execute (gated like posting)
def ask(db: Database, actor: Actor, command_op_id: str, text: str) -> commands.CommandResult:
    """Ask the room a question."""

    def apply(session: Session) -> tuple[str, dict]:
        require_writer(actor)
        gating.require_open(session, actor.board_id, "posting", actor)
        return "question_asked", {"text": clean_question(text), "by": actor.participant_id}

    return commands.execute(db, actor.board_id, actor, command_op_id, apply)


def questions_part(session: Session, board: Board, actor: Actor) -> dict:
    """`questions`: every question asked on the board, oldest first (5. its part of every snapshot)."""
    rows = session.execute(select(Event.data).where(Event.board_id == board.id, Event.type == "question_asked")
                           .order_by(Event.seq)).scalars()
    return {"questions": list(rows)}


# 6. realtime: the payload model
class QuestionAsk(Command):
    text: str = Field(max_length=QUESTION_MAX)


@pytest.fixture
def questions_capability(monkeypatch):
    """Steps 5-8: names in events.py, the snapshot part declared and registered, the handler registered."""
    monkeypatch.setattr(events, "COMMANDS", (*events.COMMANDS, "question_ask"))  # 7. its names
    monkeypatch.setattr(events, "EVENT_TYPES", (*events.EVENT_TYPES, "question_asked"))
    monkeypatch.setattr(snapshot, "DECLARED_PARTS", (*snapshot.DECLARED_PARTS, "questions"))  # 5. declared
    monkeypatch.setattr(wiring, "SNAPSHOT_PARTS", {**wiring.SNAPSHOT_PARTS, "questions": questions_part})
    # The registries are process-wide: copies, so the handler is gone again after the test. A real
    # handler module registers when the wiring imports it, before any app binds Socket.IO; here an
    # earlier test's app may be bound already, so unbind it: the handler then waits, like theirs, for
    # the next app (Flask-SocketIO registers on the bound server if there is one, else for the next).
    monkeypatch.setattr(dispatch, "REGISTERED", dict(dispatch.REGISTERED))
    monkeypatch.setattr(socketio, "handlers", list(socketio.handlers))
    monkeypatch.setattr(socketio, "server", None)
    monkeypatch.setattr(snapshot, "_parts", dict(snapshot._parts))  # the 'questions' part leaves with the test

    @dispatch.command("question_ask", QuestionAsk)  # 6. the handler
    def question_ask(actor: Actor, p: QuestionAsk) -> commands.CommandResult:
        """Ask the room a question."""
        return ask(dispatch.database(), actor, p.op_id, p.text)

    yield


def _received(client, name: str = "event") -> list[dict]:
    return [packet["args"][0] for packet in client.get_received() if packet["name"] == name]


def test_a_capability_added_by_the_checklist_goes_through_the_write_path(questions_capability, make_app, monkeypatch):
    app = make_app()  # 8. the wiring registers the part and checks every name has its handler, at start
    http = app.test_client()
    created = http.post("/api/boards", json={"title": "Atelier"}).get_json()
    code = created["board"]["code"]
    ana = http.post(f"/api/boards/{code}/join", json={"name": "Ana"}).get_json()
    bo = http.post(f"/api/boards/{code}/join", json={"name": "Bo"}).get_json()
    ana_socket = socketio.test_client(app, auth={"board": code, "token": ana["token"]})
    bo_socket = socketio.test_client(app, auth={"board": code, "token": bo["token"]})
    try:
        _received(ana_socket), _received(bo_socket)  # presence frames of the connects
        tasks = []
        monkeypatch.setattr(socketio, "start_background_task", lambda fn, *args: tasks.append((fn, args)))
        ack = ana_socket.emit("question_ask", {"op_id": op_id(), "text": "  Who  pays the shipping? "}, callback=True)
        assert ack["ok"] is True and ack["duplicate"] is False, ack
        asked = {"text": "Who pays the shipping?", "by": ana["participant"]["id"]}
        # The board got the event at commit, once, and its sender was left out of that broadcast (the origin).
        assert [(f["seq"], f["type"], f["data"]) for f in _received(bo_socket)] == [(ack["seq"], "question_asked", asked)]
        assert _received(ana_socket) == []
        # The sender's own copy follows its ack, from a task of its own.
        assert len(tasks) == 1
        fn, args = tasks[0]
        fn(*args)
        assert [(f["seq"], f["type"], f["data"]) for f in _received(ana_socket)] == [(ack["seq"], "question_asked", asked)]
        assert _received(bo_socket) == []
        # Every snapshot carries the new part.
        reply = bo_socket.emit("sync", {}, callback=True)
        assert reply["ok"] is True and reply["snapshot"]["questions"] == [asked]
        # The payload model and the domain rule refuse, and change nothing.
        too_long = ana_socket.emit("question_ask", {"op_id": op_id(), "text": "?" * (QUESTION_MAX + 1)}, callback=True)
        assert too_long["ok"] is False and too_long["error"]["code"] == "too_long"
        empty = ana_socket.emit("question_ask", {"op_id": op_id(), "text": "   "}, callback=True)
        assert empty["ok"] is False and empty["error"]["code"] == "required"
        assert bo_socket.emit("sync", {}, callback=True)["snapshot"]["seq"] == ack["seq"]
    finally:
        ana_socket.disconnect()
        bo_socket.disconnect()


def test_a_capability_whose_part_is_declared_but_not_registered_stops_the_start(questions_capability, make_app,
                                                                              monkeypatch):
    monkeypatch.setattr(wiring, "SNAPSHOT_PARTS", {k: v for k, v in wiring.SNAPSHOT_PARTS.items() if k != "questions"})
    monkeypatch.setattr(snapshot, "_parts", {k: v for k, v in snapshot._parts.items() if k != "questions"})
    with pytest.raises(wiring.RegistrationError, match="snapshot part 'questions' is not registered"):
        make_app()
