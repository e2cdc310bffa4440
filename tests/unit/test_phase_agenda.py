"""Agenda rules: editing phases, keeping the history of phases that already ran, moving on."""
from __future__ import annotations

import pytest

from server.domain import phases
from server.domain.errors import DomainError


def test_clean_phase_fills_an_empty_title_with_the_kind_name_and_completes_the_gates():
    spec = phases.clean_phase("custom", "  ", 600, {"voting": True}, "fr")
    assert spec.title == "Nouvelle phase"
    assert spec.gates == {"posting": False, "voting": True, "mapping": False}


@pytest.mark.parametrize("kind, title, duration, gates, code", [
    ("dance", "", 600, {}, "invalid_choice"),
    ("custom", "x" * (phases.PHASE_TITLE_MAX + 1), 600, {}, "too_long"),
    ("custom", "", 59, {}, "out_of_range"),
    ("custom", "", phases.PHASE_DURATION_MAX_S + 1, {}, "out_of_range"),
    ("custom", "", 600, {"dancing": True}, "invalid_choice"),
])
def test_clean_phase_refuses_bad_items(kind, title, duration, gates, code):
    with pytest.raises(DomainError) as error:
        phases.clean_phase(kind, title, duration, gates, "en")
    assert error.value.code == code


def test_phases_not_started_can_be_reordered_added_and_removed():
    existing = [(1, False), (2, False), (3, False)]
    phases.check_agenda(existing, [3, None, 1])      # 2 removed, one added, reordered


def test_phases_that_ran_stay_first_and_in_order():
    existing = [(1, True), (2, True), (3, False), (4, False)]
    phases.check_agenda(existing, [1, 2, 4, None, 3])
    for proposed in ([2, 1, 3, 4], [1, 3, 2, 4], [1, 3, 4]):
        with pytest.raises(DomainError) as error:
            phases.check_agenda(existing, proposed)
        assert error.value.code == "phase_already_ran"


def test_an_agenda_is_not_empty_has_no_duplicates_and_no_unknown_phase():
    existing = [(1, False), (2, False)]
    for proposed, code in (([], "required"), ([1, 1], "invalid_agenda"), ([1, 9], "phase_not_found")):
        with pytest.raises(DomainError) as error:
            phases.check_agenda(existing, proposed)
        assert error.value.code == code


def test_an_agenda_has_at_most_phases_max_items():
    with pytest.raises(DomainError) as error:
        phases.check_agenda([], [None] * (phases.PHASES_MAX + 1))
    assert error.value.code == "limit_reached"
    phases.check_agenda([], [None] * phases.PHASES_MAX)
