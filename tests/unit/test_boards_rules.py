"""Board rules: title, language, start time."""
from __future__ import annotations

import pytest

from server.domain import boards, limits
from server.domain.errors import DomainError


def test_title_is_trimmed():
    assert boards.clean_title("  Atelier  ") == "Atelier"


@pytest.mark.parametrize("title, code", [("", "required"), ("   ", "required"), ("x" * (limits.BOARD_TITLE_MAX + 1), "too_long")])
def test_bad_titles(title, code):
    with pytest.raises(DomainError) as caught:
        boards.clean_title(title)
    assert caught.value.code == code
    assert caught.value.params["field"] == "title"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_languages(language):
    assert boards.clean_language(language) == language


@pytest.mark.parametrize("language", ["de", "FR", "", "english"])
def test_unknown_language(language):
    with pytest.raises(DomainError) as caught:
        boards.clean_language(language)
    assert caught.value.code == "invalid_choice"
    assert caught.value.params["choices"] == ["fr", "en"]


@pytest.mark.parametrize("raw, expected", [
    (None, None),
    ("", None),
    ("2026-06-07T17:00", "2026-06-07T17:00"),
    ("2026-06-07T17:00:42", "2026-06-07T17:00"),
    ("2026-06-07", "2026-06-07T00:00"),
])
def test_starts_at(raw, expected):
    assert boards.clean_starts_at(raw) == expected


def test_starts_at_invalid():
    with pytest.raises(DomainError) as caught:
        boards.clean_starts_at("Wednesday 17h")
    assert caught.value.code == "invalid_date"
