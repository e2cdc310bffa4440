"""The `snowball` command line on SQLite and PostgreSQL, with no server running.

Most calls run `server.cli.main()` in this process (fast); one test runs it as its own process, as a
person would, to prove the entry point stands alone.
"""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from server.persistence.db import Database
from tests.golden.board import build_board

ROOT = Path(__file__).resolve().parents[2]


def _process(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "server.cli", *args], cwd=ROOT, env=env, capture_output=True, timeout=120)


@pytest.fixture
def cli(monkeypatch):
    """cli(url, *args, check=True) -> CompletedProcess-like result of `server.cli.main()` run in-process."""
    from server import cli as cli_module

    def run(url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        monkeypatch.setenv("DATABASE_URL", url)
        out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        try:
            code = cli_module.main(list(args))
        finally:
            monkeypatch.undo()
        out.flush()
        err.flush()
        done = subprocess.CompletedProcess(args, code, out.buffer.getvalue(), err.buffer.getvalue())
        if check:
            assert done.returncode == 0, done.stderr.decode()
        return done

    return run


@pytest.fixture
def fixed(db_url):
    db = Database(db_url)
    db.migrate()
    board = build_board(db)
    db.dispose()
    return db_url, board


def test_boards_lists_every_board(fixed, cli):
    url, board = fixed
    listed = json.loads(cli(url, "boards", "--json").stdout)
    # As the summary counts them: Eve (removed) and her hidden card are not on the board any more.
    assert [(b["code"], b["participants"], b["projects"]) for b in listed] == [(board.code, 4, 3)]
    figures = cli(url, "export", board.code, "--format", "md", "--out", "-").stdout.decode()
    assert "- People on the board: 4" in figures or "- Personnes sur le tableau : 4" in figures, figures[:600]
    table = cli(url, "boards").stdout.decode()
    assert board.code in table and "Atelier crowdfunding — Festival" in table


def test_export_every_format_and_a_booklet(fixed, cli, tmp_path):
    url, board = fixed
    archive = tmp_path / "archive.json"
    cli(url, "export", board.code, "--format", "json", "--out", str(archive))
    assert [p["title"] for p in json.loads(archive.read_text())["projects"]] == [
        "La Ferme du Bonheur", "=1+2 Le Cosmonaute", "Radio Quartier"]
    summary = cli(url, "export", board.code.lower(), "--format", "md", "--out", "-").stdout.decode()
    assert summary.startswith("# Atelier crowdfunding — Festival") and "Spam partout" not in summary
    hidden = cli(url, "export", board.code, "--format", "md", "--include-hidden", "--out", "-").stdout.decode()
    assert "Spam partout" in hidden
    booklet = tmp_path / "ana.pdf"
    cli(url, "export", board.code, "--format", "pdf", "--booklet", str(board.pid("Ana")), "--out", str(booklet))
    assert booklet.read_bytes().startswith(b"%PDF-")
    tables = tmp_path / "tables.zip"
    cli(url, "export", board.code, "--format", "csv", "--out", str(tables))
    assert len(zipfile.ZipFile(tables).namelist()) == 3
    folder = tmp_path / "csv"
    folder.mkdir()
    cli(url, "export", board.code, "--format", "csv", "--out", str(folder))
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"snowball-{board.code}-{t}.csv" for t in ("projects", "map_nodes", "plan_items"))
    html = tmp_path / "summary.html"
    cli(url, "export", board.code, "--format", "html", "--out", str(html))
    assert html.read_text().count('<svg class="tribe-map') == 3


def test_import_creates_a_new_board_and_errors_are_clear(fixed, cli, tmp_path, monkeypatch):
    url, board = fixed
    archive = tmp_path / "archive.json"
    cli(url, "export", board.code, "--format", "json", "--out", str(archive))
    monkeypatch.setenv("SNOWBALL_PUBLIC_URL", "https://snowball.example.org/")
    out = cli(url, "import", str(archive)).stdout.decode()
    new_code = out.split()[1].rstrip(":")
    # Full links people can open, from the public URL (no "//" where it ended with a slash).
    assert new_code != board.code and f"facilitator link:   https://snowball.example.org/b/{new_code}/host#" in out
    assert f"participants' link: https://snowball.example.org/b/{new_code}\n" in out
    assert sorted(b["code"] for b in json.loads(cli(url, "boards", "--json").stdout)) == sorted([board.code, new_code])
    bad = tmp_path / "bad.json"
    bad.write_text('{"kind": "snowball.board", "schema_version": 1, "board": {"code": 5}}')
    refused = cli(url, "import", str(bad), check=False)
    assert refused.returncode == 2
    assert refused.stderr.decode().startswith("snowball: invalid_archive: board.code:")
    unknown = cli(url, "export", "ZZZZZZ", "--format", "md", check=False)
    assert unknown.returncode == 2 and "board_not_found" in unknown.stderr.decode()
    wrong = cli(url, "export", board.code, "--format", "json", "--booklet", str(board.pid("Ana")), check=False)
    assert wrong.returncode == 2 and "invalid_choice" in wrong.stderr.decode()


def test_links_without_a_public_url_use_the_servers_host_and_port(monkeypatch):
    from server import cli as cli_module
    from server.config import Settings

    monkeypatch.delenv("SNOWBALL_PUBLIC_URL", raising=False)
    monkeypatch.setenv("SNOWBALL_HOST", "0.0.0.0")
    monkeypatch.setenv("SNOWBALL_PORT", "5077")
    assert cli_module.public_base(Settings()) == "http://127.0.0.1:5077"
    monkeypatch.setenv("SNOWBALL_HOST", "192.168.1.20")
    assert cli_module.public_base(Settings()) == "http://192.168.1.20:5077"


def test_the_command_runs_as_its_own_process(fixed, tmp_path):
    url, board = fixed
    listed = _process(url, "boards", "--json")
    assert listed.returncode == 0, listed.stderr.decode()
    assert [b["code"] for b in json.loads(listed.stdout)] == [board.code]
    pdf = tmp_path / "summary.pdf"
    exported = _process(url, "export", board.code, "--format", "pdf", "--out", str(pdf))
    assert exported.returncode == 0, exported.stderr.decode()
    assert pdf.read_bytes().startswith(b"%PDF-") and exported.stderr.decode().strip() == str(pdf)
