"""What a stored text and a number may be, whichever transport brought them."""
from __future__ import annotations

import re

# Every integer a client sends fits a 32-bit signed column.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1

_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(value) -> str | None:
    """Why a decoded JSON value cannot be stored as text, or None: a NUL character (PostgreSQL text
    refuses it: `DataError`, a `server_error` before this check) or a lone surrogate (not Unicode)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return "a text contains a NUL character"
            if _SURROGATE.search(item):
                return "a text contains a lone surrogate"
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None
