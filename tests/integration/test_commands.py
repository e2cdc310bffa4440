"""The write path: gap-free seq, op_id replay, conflicts, rollback; on SQLite and PostgreSQL."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from server.domain.errors import DomainError
from server.persistence import event_log
from server.persistence.models import Event, Project
from server.services import commands, projects
from tests.support.clients import op_id

CARD = {"title": "La ferme", "pitch": "Du pain"}


def log(database, board) -> list[Event]:
    with database.read() as session:
        return event_log.events_after(session, board.id, 0)


def head(database, board) -> int:
    with database.read() as session:
        return event_log.current_seq(session, board.id)


def note(text: str):
    """An apply() that changes nothing but logs an event."""
    return lambda session: ("note", {"text": text})


def test_seq_is_gap_free_and_matches_the_log(database, board):
    results = [commands.execute(database, board.id, board.facilitator, op_id(), note(str(i))) for i in range(10)]
    assert [r.seq for r in results] == list(range(1, 11))
    assert [e.seq for e in log(database, board)] == list(range(1, 11))
    assert head(database, board) == 10
    assert results[3].event == {"seq": 4, "type": "note", "data": {"text": "3"}, "at": results[3].event["at"]}
    assert results[3].event["at"].endswith("Z")


def test_seq_is_per_board(database, board):
    from server.services import boards, identity

    other = boards.create_board(database, "Other", "en", None)
    other_actor = identity.authenticate(database, other.board["code"], other.facilitator_secret)[0]
    commands.execute(database, board.id, board.facilitator, op_id(), note("a"))
    first_other = commands.execute(database, other_actor.board_id, other_actor, op_id(), note("b"))
    assert first_other.seq == 1


def test_replayed_op_id_returns_the_first_result_and_changes_nothing(database, board, join):
    ana, _ = join("Ana")
    op = op_id()
    first = projects.post_project(database, ana, op, CARD)
    again = projects.post_project(database, ana, op, {**CARD, "title": "Something else"})
    assert again.duplicate and not first.duplicate
    assert again.seq == first.seq
    assert again.event == first.event
    with database.read() as session:
        assert session.execute(select(func.count()).select_from(Project)).scalar_one() == 1
    assert head(database, board) == first.seq  # the replay claimed no seq
    after = commands.execute(database, board.id, board.facilitator, op_id(), note("next"))
    assert after.seq == first.seq + 1


def test_op_id_of_someone_else_is_a_conflict(database, board, join):
    ana, _ = join("Ana")
    bo, _ = join("Bo")
    op = op_id()
    projects.post_project(database, ana, op, CARD)
    with pytest.raises(DomainError) as caught:
        projects.post_project(database, bo, op, CARD)
    assert caught.value.code == "op_id_conflict"
    with pytest.raises(DomainError):
        commands.execute(database, board.id, board.facilitator, op, note("x"))
    assert head(database, board) == 3
    assert len(log(database, board)) == 3


def test_domain_error_rolls_back_state_and_seq(database, board):
    def half_done(session):
        session.add(Project(board_id=board.id, author_id=None, title="half", pitch="done", story="", category="",
                            currency="EUR", platform="", link=""))
        session.flush()
        raise DomainError("nope", "refused after a write")

    commands.execute(database, board.id, board.facilitator, op_id(), note("1"))
    refused_op = op_id()
    with pytest.raises(DomainError):
        commands.execute(database, board.id, board.facilitator, refused_op, half_done)
    with database.read() as session:
        assert session.execute(select(func.count()).select_from(Project)).scalar_one() == 0
    assert head(database, board) == 1
    # The refused op_id was not recorded: sending it again really runs.
    retried = commands.execute(database, board.id, board.facilitator, refused_op, note("2"))
    assert (retried.seq, retried.duplicate) == (2, False)
    assert [e.seq for e in log(database, board)] == [1, 2]


def test_unexpected_error_also_rolls_back(database, board):
    def broken(session):
        raise RuntimeError("bug")

    with pytest.raises(RuntimeError):
        commands.execute(database, board.id, board.facilitator, op_id(), broken)
    assert head(database, board) == 0
    assert log(database, board) == []


def test_commands_without_op_id_are_not_deduplicated(database, board):
    a = commands.execute(database, board.id, board.facilitator, None, note("a"))
    b = commands.execute(database, board.id, board.facilitator, None, note("a"))
    assert (a.seq, b.seq) == (1, 2)


def run_in_threads(count: int, fn) -> list:
    """Start `count` threads on fn(i) together; return their results (or exceptions)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(i: int) -> None:
        barrier.wait()
        try:
            results[i] = fn(i)
        except Exception as error:  # noqa: BLE001 - collected for the assertions
            results[i] = error

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_concurrent_writers_get_distinct_gap_free_seqs(database, board):
    results = run_in_threads(8, lambda i: commands.execute(database, board.id, board.facilitator, op_id(), note(str(i))))
    assert all(isinstance(r, commands.CommandResult) for r in results), results
    assert sorted(r.seq for r in results) == list(range(1, 9))
    assert [e.seq for e in log(database, board)] == list(range(1, 9))


def test_concurrent_replays_of_one_op_id_apply_once(database, board, join):
    ana, _ = join("Ana")
    op = op_id()
    results = run_in_threads(6, lambda i: projects.post_project(database, ana, op, CARD))
    assert all(isinstance(r, commands.CommandResult) for r in results), results
    assert len({r.seq for r in results}) == 1
    assert sum(not r.duplicate for r in results) == 1
    with database.read() as session:
        assert session.execute(select(func.count()).select_from(Project)).scalar_one() == 1
    assert head(database, board) == 2
