"""A safe copy of a SQLite (WAL) database while the server runs: SQLite's online backup API.

Copying the .sqlite3 file alone is not safe: recent commits may still sit in the -wal file, and a
copy taken mid-checkpoint can be torn. The backup API copies a consistent snapshot, page by page,
letting the server keep writing in between (each step takes the read lock only briefly).
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from ..domain.errors import DomainError

PAGES_PER_STEP = 1024


def sqlite_path(url: str) -> Path:
    """The file of a sqlite:/// URL (anything else is refused with a clear error)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        raise DomainError("backup_not_sqlite", "snowball backup copies a SQLite file; back PostgreSQL up with pg_dump",
                          database=parsed.get_backend_name())
    return Path(parsed.database)


def sqlite_backup(url: str, target: Path) -> int:
    """Copy the database of `url` into the new file `target`; returns the number of pages copied."""
    source_path = sqlite_path(url)
    if not source_path.exists():
        raise DomainError("backup_no_database", f"no database at {source_path}", path=str(source_path))
    if target.exists():
        raise DomainError("backup_target_exists", f"{target} already exists; choose a new file name", path=str(target))
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy, pages=PAGES_PER_STEP)
        pages = copy.execute("PRAGMA page_count").fetchone()[0]
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        copy.close()
        source.close()
    return pages
