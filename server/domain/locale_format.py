"""The one locale-aware formatter of the server (Babel, CLDR): numbers, amounts, dates and times.

The browser formats the same values with Intl (client/js/i18n.js, same CLDR styles), so a card on
screen, an e-mail draft and an export say "€8,000" / "8 000 €" and "July 1, 2026" / "1 juillet 2026" alike.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal, format_percent

LOCALES = ("en", "fr")

# ICU (hence Intl) puts a no-break space between a currency symbol made of letters and the digits
# ("CHF 8,000"); Babel does not apply CLDR's currency spacing, so the formatter does it here.
_LETTER_SYMBOL_THEN_DIGIT = re.compile(r"([^\W\d_])(?=\d)")
_DIGIT_THEN_LETTER_SYMBOL = re.compile(r"(\d)(?=[^\W\d_])")


def locale_of(language: str) -> str:
    """The formatter's locale for a board or person language (English when unknown)."""
    return language if language in LOCALES else "en"


@lru_cache(maxsize=None)
def _whole_currency_pattern(locale: str) -> str:
    # The locale's own currency pattern without decimals: goals and pledges are whole amounts.
    return Locale.parse(locale).currency_formats["standard"].pattern.replace(".00", "")


def number(value: int | float | None, language: str) -> str:
    """A number with the locale's grouping and decimal signs: "50,000" / "50 000"; "" for None."""
    if value is None:
        return ""
    return format_decimal(value, locale=locale_of(language))


def percent(value: int | float | None, language: str) -> str:
    """A share given in percent, 45 → "45%" / "45 %" (as the browser's Intl writes it); "" for None."""
    if value is None:
        return ""
    text = format_percent(value / 100, locale=locale_of(language))
    # Babel's French data puts a no-break space before "%", ICU (Intl) a narrow one: agree with the screens.
    return text.replace("\u00a0%", "\u202f%")


def amount(value: int | float | None, currency: str, language: str) -> str:
    """A whole amount of money in the locale's way: "€8,000" / "8 000 €"; "" for None."""
    if value is None:
        return ""
    locale = locale_of(language)
    text = format_currency(value, currency, format=_whole_currency_pattern(locale), locale=locale,
                           currency_digits=False)
    text = _LETTER_SYMBOL_THEN_DIGIT.sub("\\1\u00a0", text)
    return _DIGIT_THEN_LETTER_SYMBOL.sub("\\1\u00a0", text)


def _as_date(value: str | date | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def day(value: str | date | None, language: str) -> str:
    """A calendar day in long form: "July 1, 2026" / "1 juillet 2026"; unreadable text comes back as is."""
    moment = _as_date(value)
    if moment is None:
        return value if isinstance(value, str) else ""
    return format_date(moment, "long", locale=locale_of(language))


def clock(value: str | time | datetime | None, language: str) -> str:
    """A time of day, short: "5:02 PM" / "17:02" (from "HH:MM", an ISO date-time or a time)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        text = value[11:16] if "T" in value or " " in value[10:11] else value[:5]
        try:
            value = time.fromisoformat(text)
        except ValueError:
            return text
    if isinstance(value, datetime):
        value = value.time()
    # Browsers write "5:02 PM" with a plain space (CLDR's U+202F there broke too many parsers).
    return format_time(value, "short", locale=locale_of(language)).replace("\u202f", " ")
