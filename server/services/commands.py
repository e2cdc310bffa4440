"""The write path: one transaction for state change + event log + seq, idempotent on op_id."""
from __future__ import annotations

import hashlib
import json
import logging
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Callable, Iterator

from sqlalchemy.orm import Session

from ..domain.actors import Actor, Role
from ..domain.errors import DomainError
from ..persistence import event_log, write_gate
from ..persistence.db import Database

# A use case's body: given the open write session, change state and say what happened:
# (event type, event data) or (event type, event data, the sender's private part of the ack).
Apply = Callable[[Session], "tuple[str, dict] | tuple[str, dict, dict]"]
# Told of every new event right after its transaction committed, in commit order: (board_id, frame, origin),
# origin being the transport's id of the sender (its socket id), or None (an HTTP join, a CLI import).
CommitListener = Callable[[int, dict, "str | None"], None]

log = logging.getLogger(__name__)
_commit_listener: CommitListener | None = None


@dataclass(frozen=True)
class Serving:
    """The client command a service runs for, set by the transport around the service call."""

    digest: str  # what its op_id stands for (`command_digest`)
    origin: str | None  # who sent it (the socket id): the commit listener leaves the sender out


_serving: ContextVar[Serving | None] = ContextVar("snowball_serving", default=None)


def command_digest(name: str, payload: dict) -> str:
    """What an op_id stands for: the command's name and payload (without the op_id), hashed."""
    body = {key: value for key, value in payload.items() if key != "op_id"}
    canonical = json.dumps([name, body], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@contextmanager
def serving_command(name: str, payload: dict, origin: str | None = None) -> Iterator[None]:
    """Name the client command a service runs for (an op_id reused for another command is refused) and its sender."""
    token = _serving.set(Serving(command_digest(name, payload), origin))
    try:
        yield
    finally:
        _serving.reset(token)


def on_commit(listener: CommitListener | None) -> None:
    """Set the one function told of every committed event (the realtime layer broadcasts from it).

    It runs in commit order: under eventlet and gevent, inside the process's combined write loop
    (persistence/write_gate.py), so it must be quick and must not yield; the realtime layer only
    queues the event there and sends it from its flusher (realtime/dispatch.py).
    """
    global _commit_listener
    _commit_listener = listener


@dataclass(frozen=True)
class CommandResult:
    """What a committed (or replayed) command produced."""

    seq: int
    event: dict
    duplicate: bool = False
    # Private to the sender (e.g. their own vote dots): added to their ack, never broadcast.
    result: dict | None = None


def actor_label(actor: Actor | None) -> str:
    """How the log records who sent a command."""
    if actor is None:
        return "anonymous"
    if actor.role is Role.PARTICIPANT:
        return f"participant:{actor.participant_id}"
    return actor.role.value


def execute(db: Database, board_id: int, actor: Actor | None, op_id: str | None, apply: Apply) -> CommandResult:
    """Run `apply` in one write transaction and log its event with the board's next seq.

    The seq is claimed first: that row lock serialises every writer of the board, so the rules
    checked inside `apply` (budgets, limits, existence) hold under any race, across processes.
    A replayed op_id changes nothing and returns the first result.
    """
    # Read here, in the caller's task: the combined write loop may run the transaction in another one.
    serving = _serving.get()
    digest, origin = (serving.digest, serving.origin) if serving is not None else (None, None)
    # Under eventlet and gevent, write transactions are combined, one at a time per process (persistence/write_gate.py).
    return write_gate.run(lambda: _execute_now(db, board_id, actor, op_id, apply, digest, origin))


def _check_replay(earlier, actor: Actor | None, digest: str | None) -> None:
    """A logged op_id may only come back from the same sender for the same command."""
    if earlier.actor != actor_label(actor):
        raise DomainError("op_id_conflict", "this op_id was already used by someone else", op_id=earlier.op_id)
    if digest is not None and earlier.command_digest is not None and digest != earlier.command_digest:
        raise DomainError("op_id_conflict", "this op_id was already used for another command; make a new one",
                          op_id=earlier.op_id, seq=earlier.seq)


def _execute_now(db: Database, board_id: int, actor: Actor | None, op_id: str | None, apply: Apply,
                 digest: str | None, origin: str | None) -> CommandResult:
    try:
        with db.write() as session:
            seq = event_log.claim_next_seq(session, board_id)
            if op_id is not None:
                earlier = event_log.find_op(session, board_id, op_id)
                if earlier is not None:
                    _check_replay(earlier, actor, digest)
                    # The first ack as it was; leaving by exception rolls back the claimed seq (no gap).
                    raise _Replayed(CommandResult(seq=earlier.seq, event=event_log.frame(earlier), duplicate=True,
                                                  result=earlier.ack_result))
            event_type, data, *private = apply(session)
            result = private[0] if private else None
            row = event_log.append(session, board_id, seq, event_type, data, op_id, actor_label(actor),
                                   command_digest=digest, ack_result=result)
            frame = event_log.frame(row)
    except _Replayed as replayed:
        return replayed.result
    if _commit_listener is not None:
        try:
            _commit_listener(board_id, frame, origin)
        except Exception:  # noqa: BLE001 - committed is committed: clients fetch a lost broadcast on the next gap
            log.exception("commit listener failed for seq %s", seq)
    return CommandResult(seq=seq, event=frame, result=result)


class _Replayed(Exception):
    """Carries the first result of a replayed op_id out of the rolled-back transaction."""

    def __init__(self, result: CommandResult) -> None:
        super().__init__("replayed op_id")
        self.result = result
