"""Joining rules: display names and capacity."""
from __future__ import annotations

import pytest

from server.domain import limits, participants
from server.domain.errors import DomainError


def test_display_name_collapses_white_space():
    assert participants.clean_display_name("  Ana \t  María ") == "Ana María"


@pytest.mark.parametrize("name, code", [("", "required"), (" \n ", "required"), (None, "required"),
                                        ("x" * (limits.DISPLAY_NAME_MAX + 1), "too_long")])
def test_bad_display_names(name, code):
    with pytest.raises(DomainError) as caught:
        participants.clean_display_name(name)
    assert caught.value.code == code
    assert caught.value.params["field"] == "name"


def test_name_at_limit():
    assert participants.clean_display_name("é" * limits.DISPLAY_NAME_MAX) == "é" * limits.DISPLAY_NAME_MAX


def test_capacity():
    participants.check_capacity(limits.PARTICIPANTS_PER_BOARD - 1)
    with pytest.raises(DomainError) as caught:
        participants.check_capacity(limits.PARTICIPANTS_PER_BOARD)
    assert caught.value.params == {"limit": "participants_per_board", "maximum": limits.PARTICIPANTS_PER_BOARD}


def test_board_holds_500():
    # PRODUCT.md: "smooth at 500 on one board".
    assert limits.PARTICIPANTS_PER_BOARD >= 500
