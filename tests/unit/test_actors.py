"""Actors and the permission helpers."""
from __future__ import annotations

import pytest

from server.domain.actors import Actor, Role, require_facilitator, require_participant, require_writer
from server.domain.errors import DomainError

FACILITATOR = Actor(1, Role.FACILITATOR)
PROJECTOR = Actor(1, Role.PROJECTOR)
PARTICIPANT = Actor(1, Role.PARTICIPANT, 7)


def test_roles():
    assert FACILITATOR.is_facilitator and not FACILITATOR.is_participant
    assert PARTICIPANT.is_participant and not PARTICIPANT.is_facilitator
    assert not PROJECTOR.is_participant and not PROJECTOR.is_facilitator
    assert Role("projector") is Role.PROJECTOR


def test_projector_is_read_only():
    require_writer(FACILITATOR)
    require_writer(PARTICIPANT)
    with pytest.raises(DomainError) as caught:
        require_writer(PROJECTOR)
    assert caught.value.code == "forbidden"


@pytest.mark.parametrize("actor", [PARTICIPANT, PROJECTOR])
def test_require_facilitator(actor):
    require_facilitator(FACILITATOR)
    with pytest.raises(DomainError) as caught:
        require_facilitator(actor)
    assert caught.value.code == "forbidden"


@pytest.mark.parametrize("actor", [FACILITATOR, PROJECTOR, Actor(1, Role.PARTICIPANT, None)])
def test_require_participant(actor):
    assert require_participant(PARTICIPANT) == 7
    with pytest.raises(DomainError) as caught:
        require_participant(actor)
    assert caught.value.code == "forbidden"


def test_actors_are_values():
    assert Actor(1, Role.PARTICIPANT, 7) == PARTICIPANT
    assert hash(Actor(1, Role.PARTICIPANT, 7)) == hash(PARTICIPANT)
