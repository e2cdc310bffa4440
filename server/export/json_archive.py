"""The complete JSON archive of a board: the export snapshot itself, versioned, importable into a new board."""
from __future__ import annotations

import json

# Bump when the archive's shape changes; `services/archive/imports.py` reads the versions it knows.
SCHEMA_VERSION = 1
KIND = "snowball.board"


def render(snapshot: dict) -> str:
    """The archive as UTF-8 JSON text (stable key order, readable, non-ASCII kept as is)."""
    return json.dumps(snapshot, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
