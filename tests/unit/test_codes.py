"""Join codes and rejoin codes: short, unambiguous, forgiving when typed."""
from __future__ import annotations

import pytest

from server.domain import codes


def test_alphabet_has_no_ambiguous_characters():
    for ambiguous in "0O1IL5S2Z8B":
        assert ambiguous not in codes.ALPHABET


def test_board_codes_are_6_to_8_characters():
    assert 6 <= codes.BOARD_CODE_LENGTH <= 8


@pytest.mark.parametrize("length", [codes.BOARD_CODE_LENGTH, codes.REJOIN_CODE_LENGTH])
def test_new_code_has_length_and_alphabet(length):
    for _ in range(50):
        code = codes.new_code(length)
        assert codes.is_well_formed(code, length)


def test_new_codes_differ():
    assert len({codes.new_code(codes.REJOIN_CODE_LENGTH) for _ in range(200)}) == 200


@pytest.mark.parametrize("typed, expected", [
    ("acd-efg", "ACDEFG"),
    (" ac de fg ", "ACDEFG"),
    ("ac_de\tfg", "ACDEFG"),
    ("", ""),
    (None, ""),
])
def test_normalise_code_forgives_case_spaces_and_dashes(typed, expected):
    assert codes.normalise_code(typed) == expected


@pytest.mark.parametrize("code, ok", [
    ("ACDEFG", True),
    ("ACDEF", False),       # too short
    ("ACDEFGH", False),     # too long for a board code
    ("ACDEF0", False),      # 0 is not in the alphabet
    ("acdefg", False),      # not normalised
])
def test_is_well_formed(code, ok):
    assert codes.is_well_formed(code, 6) is ok


def test_new_secret_is_long_and_unique():
    secrets = {codes.new_secret() for _ in range(100)}
    assert len(secrets) == 100
    assert all(len(s) >= 32 for s in secrets)
