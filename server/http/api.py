"""JSON API: create a board, read its public facts, join, rejoin."""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify, request
from pydantic import BaseModel, Field, ValidationError

from .. import metrics
from ..domain.errors import DomainError
from ..protection.payloads import OP_ID_RULES, Payload, validation_error
from ..protection.text_rules import text_problem
from ..services import boards, identity
from .links import board_links
from .statuses import status_of

bp = Blueprint("api", __name__, url_prefix="/api")
log = logging.getLogger(__name__)


class CreateBoard(Payload):
    title: str = Field(max_length=200)
    language: str = Field(default="en", max_length=2)
    starts_at: str | None = Field(default=None, max_length=32)


class JoinBoard(Payload):
    name: str = Field(max_length=200)
    op_id: str | None = Field(default=None, **OP_ID_RULES)


class RejoinBoard(Payload):
    rejoin_code: str = Field(max_length=32)


def _app():
    return current_app.extensions["snowball"]


def _parse(model: type[BaseModel]) -> BaseModel:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise DomainError("invalid_payload", "send a JSON object", field="payload")
    problem = text_problem(body)  # NUL or lone surrogate: PostgreSQL would refuse it with a 500
    if problem:
        raise DomainError("invalid_payload", problem, field="payload")
    return model.model_validate(body)


@bp.errorhandler(DomainError)
def _domain_error(exc: DomainError):
    metrics.REJECTIONS.labels(code=exc.code).inc()
    log.info("%s %s refused: %s", request.method, request.path, exc.code)
    return jsonify(ok=False, error=exc.as_dict()), status_of(exc.code)


@bp.errorhandler(ValidationError)
def _validation_error(exc: ValidationError):
    return jsonify(ok=False, error=validation_error(exc)), 400


@bp.post("/boards")
def create_board():
    """Create a board; the facilitator's and projector's secret links are shown only now."""
    body = _parse(CreateBoard)
    created = boards.create_board(_app().db, body.title, body.language, body.starts_at)
    code = created.board["code"]
    log.info("board created (%s)", created.board.get("language"), extra={"board": code})
    return jsonify(
        ok=True, board=created.board, facilitator_token=created.facilitator_secret, projector_token=created.projector_secret,
        links=board_links(code, created.facilitator_secret, created.projector_secret),
    ), 201


@bp.get("/boards/<code>")
def board_info(code: str):
    """Public facts about a board (title, language), for the join page."""
    return jsonify(ok=True, board=boards.board_info(_app().db, code))


@bp.post("/boards/<code>/join")
def join(code: str):
    """Join with a display name; returns this device's token and the personal rejoin code."""
    body = _parse(JoinBoard)
    joined = identity.join(_app().db, code, body.name, body.op_id)
    log.info("participant %s joined", joined.participant.get("id"), extra={"board": joined.board_code})
    return jsonify(ok=True, board_code=joined.board_code, participant=joined.participant, token=joined.token,
                   rejoin_code=joined.rejoin_code, seq=joined.seq), 201


@bp.post("/boards/<code>/rejoin")
def rejoin(code: str):
    """Continue on this device with the personal rejoin code."""
    body = _parse(RejoinBoard)
    joined = identity.rejoin(_app().db, code, body.rejoin_code)
    return jsonify(ok=True, board_code=joined.board_code, participant=joined.participant, token=joined.token,
                   rejoin_code=joined.rejoin_code, seq=joined.seq)
