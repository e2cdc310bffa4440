"""CSV exports: UTF-8 with BOM, one header, formulas inert, every other text exactly as typed."""
from __future__ import annotations

import csv
import io
import zipfile

import pytest

from server.export import csv_files, json_archive
from tests.golden.snapshot import HOSTILE_LABEL, HOSTILE_NAME, HOSTILE_STORY, HOSTILE_TITLE, sample_snapshot


def _rows(text: str) -> list[dict]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


@pytest.mark.parametrize("value", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://e.x","y")'])
def test_formula_starts_get_an_apostrophe(value):
    assert csv_files.neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["plain", " =not first", "1+1", "", "é=", "שלום", -5, 3.5, None])
def test_other_cells_pass_unchanged(value):
    assert csv_files.neutralise(value) == value


def test_projects_table_keeps_text_and_neutralises_formulas():
    rows = _rows(csv_files.projects_csv(sample_snapshot()))
    first = rows[0]
    assert first["title"] == HOSTILE_TITLE
    assert first["story"] == HOSTILE_STORY  # multi-line, quotes and commas survive the quoting
    assert first["author"] == "'" + HOSTILE_NAME  # starts with @
    assert first["pitch"].startswith("'-<script>")
    assert first["category"] == "'=cat" and first["platform"] == "'@platform"
    assert (first["rank"], first["round_1_dots"], first["round_1_rank"]) == ("1", "5", "1")
    assert first["goal_amount"] == "10000" and first["currency"] == "EUR"
    assert [r["project_id"] for r in rows] == ["10", "11"]


def test_map_nodes_and_plan_items_tables():
    snapshot = sample_snapshot()
    nodes = _rows(csv_files.map_nodes_csv(snapshot))
    assert [n["label"] for n in nodes] == [HOSTILE_LABEL, "שלום 🎉 مرحبا", "'=cmd|' /C calc'!A0"]
    assert [n["ring"] for n in nodes] == ["Inner circle", "Network", "Crowd"]
    assert nodes[0]["can_bring"] == "שלום 🎉 مرحبا"
    assert (nodes[0]["x"], nodes[0]["y"]) == ("0.0", "-0.3")  # numbers stay numbers, even negative
    items = _rows(csv_files.plan_items_csv(snapshot))
    assert [i["when"] for i in items] == ["Before launch", "Launch day"]
    assert items[0]["what"] == "'" + '=HYPERLINK("http://evil.example","click")'
    assert items[0]["to_whom"] == HOSTILE_LABEL
    assert items[0]["where"] == "'+mail"
    assert items[1]["to_whom"] == "Crowd"


def test_french_board_gets_french_headers_and_names():
    rows = _rows(csv_files.map_nodes_csv(sample_snapshot("fr")))
    assert list(rows[0])[:4] == ["projet_id", "projet", "noeud_id", "libelle"]
    assert rows[0]["cercle"] == "Premier cercle"


def test_zip_holds_the_three_tables_and_is_reproducible():
    snapshot = sample_snapshot()
    first = csv_files.render_zip(snapshot, "snowball-QXDWTQ")
    assert first == csv_files.render_zip(snapshot, "snowball-QXDWTQ")
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.namelist() == ["snowball-QXDWTQ-projects.csv", "snowball-QXDWTQ-map_nodes.csv",
                                      "snowball-QXDWTQ-plan_items.csv"]
        assert archive.read("snowball-QXDWTQ-projects.csv").decode("utf-8") == csv_files.projects_csv(snapshot)


def test_json_archive_is_the_snapshot_itself():
    import json

    snapshot = sample_snapshot()
    text = json_archive.render(snapshot)
    assert json.loads(text) == snapshot
    assert "🎉" in text and "\\u" not in text  # readable, not ASCII-escaped
    assert json.loads(text)["schema_version"] == json_archive.SCHEMA_VERSION
