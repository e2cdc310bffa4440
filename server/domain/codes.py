"""Short human codes: board join codes and personal rejoin codes."""
from __future__ import annotations

import secrets

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: codes are read off a projector and typed on laptops.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
BOARD_CODE_LENGTH = 6
REJOIN_CODE_LENGTH = 8


def new_code(length: int) -> str:
    """A random code of `length` unambiguous characters."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise_code(raw: str) -> str:
    """Upper-case a typed code and drop spaces and dashes people add when typing."""
    return "".join(ch for ch in (raw or "").upper() if ch not in " -_\t")


def is_well_formed(code: str, length: int) -> bool:
    """True when `code` has the right length and only alphabet characters."""
    return len(code) == length and all(ch in ALPHABET for ch in code)


def new_secret() -> str:
    """An unguessable secret for a token or a link (stored hashed)."""
    return secrets.token_urlsafe(24)
