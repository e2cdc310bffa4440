"""Moving through the agenda: the next phase, running a chosen phase next, the end of the show."""
from __future__ import annotations

import pytest

from server.domain import phases
from server.domain.errors import DomainError


def test_the_first_advance_starts_the_first_phase():
    assert phases.plan_advance([(1, False), (2, False), (3, False)]) == ([1, 2, 3], 1)


def test_advance_starts_the_first_phase_that_has_not_run():
    assert phases.plan_advance([(1, True), (2, True), (3, False)]) == ([1, 2, 3], 3)


def test_after_the_last_phase_nothing_starts():
    assert phases.plan_advance([(1, True), (2, True)]) == ([1, 2], None)


def test_a_chosen_phase_runs_next_and_the_skipped_ones_wait_after_it():
    order, starts = phases.plan_advance([(1, True), (2, False), (3, False), (4, False)], to_phase_id=4)
    assert (order, starts) == ([1, 4, 2, 3], 4)


def test_a_phase_that_already_ran_cannot_be_chosen_again():
    with pytest.raises(DomainError) as error:
        phases.plan_advance([(1, True), (2, False)], to_phase_id=1)
    assert error.value.code == "phase_not_found"


def test_advance_is_refused_when_the_show_already_moved_on():
    phases.check_advance(None, None)          # first start
    phases.check_advance(3, 3)
    with pytest.raises(DomainError) as error:
        phases.check_advance(4, 3)            # a second click on "next" after the first one landed
    assert error.value.code == "phase_changed" and error.value.params == {"current_phase_id": 4}
    with pytest.raises(DomainError):
        phases.check_advance(3, None)
