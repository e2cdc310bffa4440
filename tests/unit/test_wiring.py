"""A capability half registered stops the process at start, before it serves anyone."""
from __future__ import annotations

import pytest

from server import wiring
from server.realtime import dispatch, events
from server.services import snapshot


def test_everything_is_registered():
    wiring.register_capabilities()
    assert snapshot.missing_parts() == []


def test_a_listed_command_without_handler_stops_the_start(monkeypatch):
    monkeypatch.setattr(events, "COMMANDS", (*events.COMMANDS, "ghost_add"))
    with pytest.raises(wiring.RegistrationError, match="command 'ghost_add' has no handler"):
        wiring.register_capabilities()


def test_a_handler_not_listed_in_the_protocol_stops_the_start(monkeypatch):
    monkeypatch.setitem(dispatch.REQUESTS, "ghost_read", object)
    with pytest.raises(wiring.RegistrationError, match="request 'ghost_read' is not listed"):
        wiring.register_capabilities()


def test_a_declared_snapshot_part_left_unregistered_stops_the_start(monkeypatch):
    monkeypatch.setattr(snapshot, "DECLARED_PARTS", (*snapshot.DECLARED_PARTS, "questions"))
    with pytest.raises(wiring.RegistrationError, match="snapshot part 'questions' is not registered"):
        wiring.register_capabilities()
