"""Joining, rejoining on another device, resolving tokens: on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.domain import limits
from server.domain.actors import Actor, Role
from server.domain.codes import REJOIN_CODE_LENGTH, is_well_formed
from server.domain.errors import DomainError
from server.persistence import event_log
from server.persistence.models import DeviceToken, Participant
from server.services import boards, identity
from tests.support.clients import op_id


def count(database, model) -> int:
    with database.read() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_join_logs_a_public_event_and_returns_private_secrets(database, board):
    joined = identity.join(database, board.code.lower(), "  Ana  ", None)
    assert joined.board_id == board.id and joined.board_code == board.code
    assert joined.participant["name"] == "Ana"
    assert is_well_formed(joined.rejoin_code, REJOIN_CODE_LENGTH)
    assert joined.seq == 1
    assert joined.event["seq"] == 1 and joined.event["type"] == "participant_joined"
    assert joined.event["data"] == {"participant": joined.participant}
    # Events are public: no token and no rejoin code in them.
    assert joined.token not in str(joined.event) and joined.rejoin_code not in str(joined.event)


def test_join_op_id_is_idempotent(database, board):
    op = op_id()
    first = identity.join(database, board.code, "Ana", op)
    again = identity.join(database, board.code, "Ana", op)
    assert again.participant == first.participant
    assert again.seq == first.seq
    assert again.event is None            # nothing new to broadcast
    assert again.rejoin_code is None      # the rejoin code is shown once
    assert again.token != first.token     # a fresh device token, both valid
    with database.read() as session:
        b = boards.find_board(session, board.code)
        assert identity.resolve(session, b, first.token) == identity.resolve(session, b, again.token)
    assert count(database, Participant) == 1
    assert count(database, DeviceToken) == 2


def test_join_refuses_bad_names_and_unknown_boards(database, board):
    with pytest.raises(DomainError) as caught:
        identity.join(database, board.code, "   ", None)
    assert caught.value.code == "required"
    with pytest.raises(DomainError) as caught:
        identity.join(database, "ACDEFG" if board.code != "ACDEFG" else "ACDEFH", "Ana", None)
    assert caught.value.code == "board_not_found"
    assert count(database, Participant) == 0


def test_join_capacity_leaves_no_gap(database, board, monkeypatch):
    monkeypatch.setattr(limits, "PARTICIPANTS_PER_BOARD", 2)
    identity.join(database, board.code, "Ana", None)
    identity.join(database, board.code, "Bo", None)
    with pytest.raises(DomainError) as caught:
        identity.join(database, board.code, "Cy", None)
    assert caught.value.params == {"limit": "participants_per_board", "maximum": 2}
    third = None
    monkeypatch.setattr(limits, "PARTICIPANTS_PER_BOARD", 3)
    third = identity.join(database, board.code, "Cy", None)
    assert third.seq == 3  # the refused join did not burn a seq


def test_rejoin_with_personal_code_is_the_same_person(database, board):
    joined = identity.join(database, board.code, "Ana", None)
    typed = joined.rejoin_code.lower()[:4] + " " + joined.rejoin_code.lower()[4:]
    again = identity.rejoin(database, board.code, typed)
    assert again.participant == joined.participant
    assert again.token != joined.token
    assert again.rejoin_code == joined.rejoin_code
    assert again.seq == 1
    assert again.event is None
    with database.read() as session:
        b = boards.find_board(session, board.code)
        assert identity.resolve(session, b, again.token) == Actor(board.id, Role.PARTICIPANT, joined.participant["id"])


@pytest.mark.parametrize("typed", ["", "ACDEFGHJ", "short", "x" * 100])
def test_rejoin_unknown_code(database, board, typed):
    identity.join(database, board.code, "Ana", None)
    with pytest.raises(DomainError) as caught:
        identity.rejoin(database, board.code, typed)
    assert caught.value.code == "rejoin_code_unknown"


def test_rejoin_code_is_per_board(database, board):
    joined = identity.join(database, board.code, "Ana", None)
    other = boards.create_board(database, "Other", "en", None)
    with pytest.raises(DomainError) as caught:
        identity.rejoin(database, other.board["code"], joined.rejoin_code)
    assert caught.value.code == "rejoin_code_unknown"


def test_resolve_each_role(database, board):
    joined = identity.join(database, board.code, "Ana", None)
    assert identity.authenticate(database, board.code, board.facilitator_secret) == (board.facilitator, board.code)
    assert identity.authenticate(database, board.code.lower(), board.projector_secret) == (board.projector, board.code)
    actor, code = identity.authenticate(database, board.code, joined.token)
    assert actor == Actor(board.id, Role.PARTICIPANT, joined.participant["id"])


@pytest.mark.parametrize("token", ["", "nope", "x" * 200])
def test_unknown_tokens_are_refused(database, board, token):
    with pytest.raises(DomainError) as caught:
        identity.authenticate(database, board.code, token)
    assert caught.value.code == "unauthorised"


def test_a_token_only_works_on_its_own_board(database, board):
    joined = identity.join(database, board.code, "Ana", None)
    other = boards.create_board(database, "Other", "en", None)
    for token in (joined.token, board.facilitator_secret, board.projector_secret):
        with pytest.raises(DomainError):
            identity.authenticate(database, other.board["code"], token)


def test_join_is_in_the_log(database, board):
    joined = identity.join(database, board.code, "Ana", None)
    with database.read() as session:
        logged = event_log.events_after(session, board.id, 0)
    assert [event_log.frame(e) for e in logged] == [joined.event]
    assert logged[0].actor == "anonymous"
