"""Gates: what each phase opens, facilitator overrides, and the board before the show starts."""
from __future__ import annotations

import pytest

from server.domain import phases
from server.domain.errors import DomainError


def test_every_gate_is_open_before_the_show_starts():
    assert phases.open_gates(phases.IDLE, None, {}) == {"posting": True, "voting": True, "mapping": True}


def test_default_agenda_closes_posting_when_the_vote_opens_and_opens_maps_in_their_phase():
    agenda = {spec.kind: spec for spec in phases.default_agenda("en")}
    assert [spec.kind for spec in phases.default_agenda("en")] == ["join", "values", "post", "vote", "maps", "wrapup"]
    assert agenda["post"].gates == {"posting": True, "voting": False, "mapping": False}
    assert agenda["vote"].gates == {"posting": False, "voting": True, "mapping": False}
    assert agenda["maps"].gates == {"posting": False, "voting": False, "mapping": True}
    vote = phases.open_gates(phases.RUNNING, agenda["vote"].gates, {})
    assert vote == {"posting": False, "voting": True, "mapping": False}


def test_default_titles_follow_the_board_language():
    assert phases.default_agenda("fr")[2].title == "Postez votre projet"
    assert phases.default_agenda("en")[2].title == "Post your project"


def test_a_paused_phase_keeps_its_gates():
    gates = {"posting": False, "voting": True, "mapping": False}
    assert phases.open_gates(phases.PAUSED, gates, {}) == gates


def test_the_facilitator_override_wins_over_the_phase_both_ways():
    gates = {"posting": False, "voting": True, "mapping": False}
    assert phases.gate_is_open("posting", phases.RUNNING, gates, {"posting": True}) is True
    assert phases.gate_is_open("voting", phases.RUNNING, gates, {"voting": False}) is False
    # An override also applies before the show starts.
    assert phases.gate_is_open("mapping", phases.IDLE, None, {"mapping": False}) is False


def test_after_the_last_phase_its_gates_stay():
    wrapup = {"posting": False, "voting": False, "mapping": False}
    assert phases.open_gates(phases.ENDED, wrapup, {}) == wrapup


def test_an_unknown_gate_is_a_programming_error():
    with pytest.raises(ValueError):
        phases.gate_is_open("dancing", phases.IDLE, None, {})
    with pytest.raises(DomainError) as error:
        phases.clean_override("dancing", True)
    assert error.value.code == "invalid_choice"
