"""Timer arithmetic on server time: start, pause, resume, extend, and what each screen shows."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from server.domain import timer
from server.domain.errors import DomainError

T0 = datetime(2026, 6, 3, 17, 0, 0)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_a_started_timer_counts_down_from_its_duration_and_stops_at_zero():
    clock = timer.start(T0, 300)
    assert clock.status == timer.RUNNING and clock.duration_ms == 300_000
    assert clock.remaining(at(0)) == 300_000
    assert clock.remaining(at(61.5)) == 238_500
    assert clock.remaining(at(300)) == 0 and clock.is_up(at(300))
    assert clock.remaining(at(400)) == 0          # never negative
    assert not clock.is_up(at(299.9))


def test_pause_freezes_the_remaining_time_and_resume_continues_from_it():
    paused = timer.pause(timer.start(T0, 300), at(100))
    assert paused.status == timer.PAUSED and paused.ends_at is None
    assert paused.remaining(at(100)) == 200_000
    assert paused.remaining(at(10_000)) == 200_000   # time passing while paused changes nothing
    resumed = timer.resume(paused, at(1000))
    assert resumed.status == timer.RUNNING
    assert resumed.ends_at == at(1200)
    assert resumed.remaining(at(1050)) == 150_000


def test_extend_adds_time_while_running_and_while_paused():
    running = timer.extend(timer.start(T0, 300), at(30), 60)
    assert running.remaining(at(30)) == 330_000 and running.duration_ms == 360_000
    paused = timer.extend(timer.pause(timer.start(T0, 300), at(100)), at(500), 300)
    assert paused.remaining(at(900)) == 500_000 and paused.duration_ms == 600_000


def test_extending_after_zero_counts_from_now_not_from_the_old_end():
    late = timer.extend(timer.start(T0, 60), at(90), 60)
    assert late.ends_at == at(150)
    assert late.remaining(at(90)) == 60_000
    assert late.duration_ms == 150_000            # 60 s planned + 30 s overtime + 60 s added


def test_pause_extend_resume_in_sequence():
    clock = timer.start(T0, 600)
    clock = timer.pause(clock, at(120))              # 480 s left
    clock = timer.extend(clock, at(130), 60)         # 540 s left
    clock = timer.resume(clock, at(200))
    clock = timer.extend(clock, at(210), 300)        # 530 + 300
    assert clock.remaining(at(210)) == 830_000


def test_wrong_transitions_are_refused_with_a_clear_code():
    with pytest.raises(DomainError) as error:
        timer.pause(timer.Timer(), T0)
    assert error.value.code == "timer_not_running"
    with pytest.raises(DomainError) as error:
        timer.resume(timer.start(T0, 60), T0)
    assert error.value.code == "timer_not_paused"
    with pytest.raises(DomainError) as error:
        timer.extend(timer.Timer(), T0, 60)
    assert error.value.code == "timer_not_running"
    with pytest.raises(DomainError) as error:
        timer.extend(timer.start(T0, 60), T0, 0)
    assert error.value.code == "out_of_range"
    with pytest.raises(DomainError):
        timer.start(T0, 0)


def test_an_idle_timer_has_no_remaining_time():
    assert timer.Timer().remaining(T0) is None
    assert not timer.Timer().is_up(T0)
