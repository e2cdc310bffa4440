"""The one server formatter (Babel): numbers, amounts, dates and times in English and French."""
from __future__ import annotations

import pytest

from server.domain import locale_format as fmt

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("language", "expected"), [("en", "1,234,567"), ("fr", "1\u202f234\u202f567"), ("de", "1,234,567")])
def test_numbers_are_grouped_the_languages_way(language, expected):
    assert fmt.number(1234567, language) == expected


@pytest.mark.parametrize(("language", "currency", "expected"), [
    ("en", "EUR", "€8,000"), ("fr", "EUR", "8\u202f000\u00a0€"),
    ("en", "USD", "$8,000"), ("fr", "USD", "8\u202f000\u00a0$US"),
    # A symbol made of letters is spaced from the digits, as browsers' Intl does.
    ("en", "CHF", "CHF\u00a08,000"), ("fr", "CHF", "8\u202f000\u00a0CHF"),
    ("en", "XOF", "F\u202fCFA\u00a08,000"), ("en", "JPY", "¥8,000"),
])
def test_amounts_carry_their_currency_the_languages_way(language, currency, expected):
    assert fmt.amount(8000, currency, language) == expected


def test_missing_values_are_empty():
    assert fmt.number(None, "en") == fmt.amount(None, "EUR", "fr") == fmt.day(None, "en") == fmt.clock(None, "fr") == ""


@pytest.mark.parametrize(("language", "expected"), [("en", "July 1, 2026"), ("fr", "1 juillet 2026")])
def test_days_are_long_form_from_a_date_or_a_date_time(language, expected):
    assert fmt.day("2026-07-01", language) == expected
    assert fmt.day("2026-07-01T23:59:00Z", language) == expected


def test_an_unreadable_date_comes_back_as_typed():
    assert fmt.day("soon", "en") == "soon"


@pytest.mark.parametrize(("language", "expected"), [("en", "5:02 PM"), ("fr", "17:02")])
def test_times_of_day_are_short(language, expected):
    assert fmt.clock("2026-06-03T17:02:09Z", language) == expected
    assert fmt.clock("17:02", language) == expected


@pytest.mark.parametrize(("language", "expected"), [("en", ("45%", "1,234%")), ("fr", ("45\u202f%", "1\u202f234\u202f%"))])
def test_percentages_are_spaced_as_the_browsers_intl_spaces_them(language, expected):
    assert (fmt.percent(45, language), fmt.percent(1234, language)) == expected
    assert fmt.percent(None, language) == ""
