"""Creating boards and finding them by code, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from server.domain.codes import BOARD_CODE_LENGTH, is_well_formed
from server.domain.errors import DomainError
from server.persistence.models import Board
from server.services import boards
from server.services.secrets_store import hash_secret


def test_create_board_returns_public_facts_and_secrets(database):
    created = boards.create_board(database, "  Atelier  ", "en", "2026-06-03T17:00")
    assert set(created.board) == {"code", "title", "language", "starts_at", "created_at"}
    assert created.board["title"] == "Atelier"
    assert created.board["language"] == "en"
    assert created.board["starts_at"] == "2026-06-03T17:00"
    assert created.board["created_at"].endswith("Z")
    assert is_well_formed(created.board["code"], BOARD_CODE_LENGTH)
    assert created.facilitator_secret != created.projector_secret


def test_secrets_are_stored_only_as_hashes(database):
    created = boards.create_board(database, "Atelier", "fr", None)
    with database.read() as session:
        row = session.execute(select(Board).where(Board.code == created.board["code"])).scalar_one()
        assert row.facilitator_hash == hash_secret(created.facilitator_secret)
        assert row.projector_hash == hash_secret(created.projector_secret)
        assert row.last_seq == 0
        stored = [str(value) for value in row.__dict__.values()]
    assert created.facilitator_secret not in stored
    assert created.projector_secret not in stored


def test_codes_are_unique_across_boards(database):
    codes = {boards.create_board(database, f"Board {i}", "fr", None).board["code"] for i in range(25)}
    assert len(codes) == 25


@pytest.mark.parametrize("title, language, starts_at, code", [
    ("", "fr", None, "required"),
    ("x" * 500, "fr", None, "too_long"),
    ("Atelier", "de", None, "invalid_choice"),
    ("Atelier", "fr", "mercredi", "invalid_date"),
])
def test_create_board_refuses_bad_input(database, title, language, starts_at, code):
    with pytest.raises(DomainError) as caught:
        boards.create_board(database, title, language, starts_at)
    assert caught.value.code == code
    with database.read() as session:
        assert session.execute(select(Board)).first() is None


def test_board_info_accepts_a_typed_code(database):
    created = boards.create_board(database, "Atelier", "fr", None)
    code = created.board["code"]
    typed = f" {code[:3].lower()}-{code[3:].lower()} "
    assert boards.board_info(database, typed) == created.board


@pytest.mark.parametrize("code", ["", "ACDEFG", "not a code", "x" * 300, "ACDEF0"])
def test_unknown_code(database, code):
    with pytest.raises(DomainError) as caught:
        boards.board_info(database, code)
    assert caught.value.code == "board_not_found"
    assert len(caught.value.params["board_code"]) <= 12
