"""Limits: explicit, and the error names the limit that was hit."""
from __future__ import annotations

import pytest

from server.domain import limits
from server.domain.errors import DomainError


def test_check_text_strips_and_returns():
    assert limits.check_text("title", "  Hello  ", 10) == "Hello"


def test_check_text_none_is_empty_when_optional():
    assert limits.check_text("story", None, 10) == ""


def test_check_text_required():
    with pytest.raises(DomainError) as caught:
        limits.check_text("title", "   ", 10, required=True)
    assert caught.value.code == "required"
    assert caught.value.params == {"field": "title"}


def test_check_text_at_limit_passes_and_over_limit_names_field_and_limit():
    assert limits.check_text("pitch", "x" * 10, 10) == "x" * 10
    with pytest.raises(DomainError) as caught:
        limits.check_text("pitch", "x" * 11, 10)
    assert caught.value.code == "too_long"
    assert caught.value.params == {"field": "pitch", "limit": 10}


def test_check_count_refuses_at_maximum():
    limits.check_count("cards", 2, 3)
    with pytest.raises(DomainError) as caught:
        limits.check_count("cards", 3, 3)
    assert caught.value.code == "limit_reached"
    assert caught.value.params == {"limit": "cards", "maximum": 3}
    assert "cards" in caught.value.message


def test_domain_error_as_dict():
    error = DomainError("too_long", "title is too long", field="title", limit=5)
    assert error.as_dict() == {"code": "too_long", "message": "title is too long", "params": {"field": "title", "limit": 5}}
    assert str(error) == "title is too long"
