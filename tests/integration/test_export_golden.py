"""Golden files: the Markdown and CSV exports of a fixed board, on SQLite and PostgreSQL, byte for byte.

After an intended change of the exports, rewrite the files with
`SNOWBALL_UPDATE_GOLDEN=1 pytest tests/integration/test_export_golden.py` and review the diff.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from server.export import csv_files, markdown
from server.services.archive import exports
from tests.golden.board import EXPORTED_AT, build_board, freeze

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
UPDATE = os.environ.get("SNOWBALL_UPDATE_GOLDEN") == "1"


def _check(name: str, produced: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(produced.encode("utf-8"))
    expected = path.read_bytes().decode("utf-8")
    assert produced == expected, f"{name} differs from the golden file (SNOWBALL_UPDATE_GOLDEN=1 rewrites it)"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_markdown_and_csv_of_the_fixed_board_match_the_golden_files(database, language):
    board = build_board(database, language)
    freeze(database, board)
    snapshot = exports.board_snapshot(database, board.code, now=EXPORTED_AT)
    _check(f"{language}/summary.md", markdown.render_summary(snapshot))
    _check(f"{language}/booklet-ana.md", markdown.render_booklet(snapshot, board.pid("Ana")))
    _check(f"{language}/booklet-ben.md", markdown.render_booklet(snapshot, board.pid("Ben")))
    for table in csv_files.TABLES:
        _check(f"{language}/{table}.csv", csv_files.render_table(snapshot, table))


def test_golden_files_say_what_the_fixed_board_holds():
    """The golden files are read by people too: a few facts, checked by hand once, stay true."""
    summary = (GOLDEN / "fr/summary.md").read_text(encoding="utf-8")
    assert "| 1 | La Ferme du Bonheur | 3 |" in summary
    assert "| 2 | \\=1+2 Le Cosmonaute | 2 |\n| 2 | Radio Quartier | 2 |" in summary  # the tie shares rank 2
    assert "Spam partout" not in summary  # hidden by the facilitator
    assert "Eve" not in summary  # removed by the facilitator
    assert "| Conclusion | 15 min | 16:18 UTC | en cours |  |" in summary
    projects = (GOLDEN / "fr/projects.csv").read_text(encoding="utf-8")
    assert projects.startswith("\ufeffrang,projet_id,titre")
    assert "\n2,2,'=1+2 Le Cosmonaute,Ben,'-1 film" in projects
