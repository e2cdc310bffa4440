"""Who is who: joining, rejoining on another device, and resolving a token to an Actor."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import participants as participant_rules
from ..domain.actors import Actor, Role
from ..domain.codes import REJOIN_CODE_LENGTH, is_well_formed, new_code, new_secret, normalise_code
from ..domain.errors import DomainError
from ..persistence.db import Database
from ..persistence.models import Board, DeviceToken, Participant
from .boards import find_board
from .commands import execute
from .secrets_store import hash_secret
from .serialize import participant_dict


@dataclass(frozen=True)
class Joined:
    """A participant's identity on this device: keep the token, show the rejoin code."""

    board_id: int
    board_code: str
    participant: dict
    token: str
    rejoin_code: str | None
    seq: int
    event: dict | None = None  # the participant_joined frame to broadcast, when this call logged it


def _new_device(session: Session, participant_id: int) -> str:
    token = new_secret()
    session.add(DeviceToken(participant_id=participant_id, token_hash=hash_secret(token)))
    return token


def join(db: Database, raw_code: str, name: str, op_id: str | None) -> Joined:
    """Join a board with only a display name; idempotent on op_id (a retry gets a fresh token)."""
    name = participant_rules.clean_display_name(name)
    with db.read() as session:
        board = find_board(session, raw_code)
    issued: dict = {}

    def apply(session: Session) -> tuple[str, dict]:
        count = session.execute(select(func.count()).select_from(Participant).where(Participant.board_id == board.id)).scalar_one()
        participant_rules.check_capacity(count)
        rejoin_code = new_code(REJOIN_CODE_LENGTH)
        participant = Participant(board_id=board.id, name=name, rejoin_hash=hash_secret(rejoin_code))
        session.add(participant)
        session.flush()
        issued.update(token=_new_device(session, participant.id), rejoin_code=rejoin_code)
        return "participant_joined", {"participant": participant_dict(participant)}

    result = execute(db, board.id, None, op_id, apply)
    participant = result.event["data"]["participant"]
    if result.duplicate:
        # The first answer was lost on the way: same person, a new device token, no second join.
        with db.write() as session:
            issued.update(token=_new_device(session, participant["id"]), rejoin_code=None)
    event = None if result.duplicate else result.event
    return Joined(board.id, board.code, participant, issued["token"], issued["rejoin_code"], result.seq, event)


def rejoin(db: Database, raw_code: str, raw_rejoin_code: str) -> Joined:
    """Continue as the same person on another device with the personal rejoin code."""
    rejoin_code = normalise_code(raw_rejoin_code)
    with db.write() as session:
        board = find_board(session, raw_code)
        participant = None
        if is_well_formed(rejoin_code, REJOIN_CODE_LENGTH):
            participant = session.execute(
                select(Participant).where(Participant.board_id == board.id, Participant.rejoin_hash == hash_secret(rejoin_code))
            ).scalar_one_or_none()
        if participant is None:
            raise DomainError("rejoin_code_unknown", "this personal code does not match anyone on this board")
        token = _new_device(session, participant.id)
        return Joined(board.id, board.code, participant_dict(participant), token, rejoin_code, board.last_seq)


def resolve(session: Session, board: Board, token: str) -> Actor:
    """The Actor a token stands for on this board, or a DomainError `unauthorised`."""
    digest = hash_secret(token or "")
    if digest == board.facilitator_hash:
        return Actor(board.id, Role.FACILITATOR)
    if digest == board.projector_hash:
        return Actor(board.id, Role.PROJECTOR)
    participant_id = session.execute(
        select(Participant.id).join(DeviceToken, DeviceToken.participant_id == Participant.id)
        .where(DeviceToken.token_hash == digest, Participant.board_id == board.id)
    ).scalar_one_or_none()
    if participant_id is None:
        raise DomainError("unauthorised", "this link or device is not known on this board; join again")
    return Actor(board.id, Role.PARTICIPANT, participant_id)


def authenticate(db: Database, raw_code: str, token: str) -> tuple[Actor, str]:
    """Resolve (board code, token) to an Actor and the board's canonical code."""
    with db.read() as session:
        board = find_board(session, raw_code)
        return resolve(session, board, token), board.code
