"""PDF exports read back with pypdf: A4 pages, the stories, the ranks, the share plan, hostile text as text."""
from __future__ import annotations

import re

import pytest

from server.domain.errors import DomainError
from server.export import html, pdf
from server.persistence.db import Database
from server.services.archive import exports
from tests.golden.board import EXPORTED_AT, STORY_ANA, build_board, freeze
from tests.golden.pdf_text import pdf_reader
from tests.golden.snapshot import HOSTILE_LINES, sample_snapshot


def _pages(content: bytes) -> list[str]:
    reader = pdf_reader(content)
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    # Layout breaks lines where the page needs; compare text with runs of white space made single.
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('pdf') / 'pdf.sqlite3'}")
    db.migrate()
    board = build_board(db)
    freeze(db, board)
    snap = exports.board_snapshot(db, board.code, now=EXPORTED_AT)
    db.dispose()
    return snap, board


def test_summary_pdf_has_the_stories_the_ranks_and_the_plan(snapshot):
    snap, _board = snapshot
    pages = _pages(pdf.render_summary(snap))
    text = " ".join(pages)
    for line in STORY_ANA.replace("\n\n", "\n").split("\n"):
        assert " ".join(line.split()) in text, line
    assert "#1 La Ferme du Bonheur" in text and "#2 =1+2 Le Cosmonaute" in text and "#2 Radio Quartier" in text
    assert "Tour 1 : 3 gommettes, rang 1 sur 3" in text
    assert re.search(r"1 La Ferme du Bonheur 3 2 =1\+2 Le Cosmonaute 2 2 Radio Quartier 2", text)
    for phase, item in (("Avant le lancement", "Annonce personnelle"), ("Jour du lancement", "Mail du premier cercle"),
                        ("Milieu de campagne", "Interview"), ("Après la campagne", "Merci public")):
        assert phase in text and item in text
    assert "Spam partout" not in text
    # The cover, then one page per project (its map beside the story comes first in the text).
    starts = [i for i, page in enumerate(pages) if re.search(r"#\d ", page)]
    assert starts == [1, 2, 3] and len(pages) == 4


def test_booklet_pdf_has_the_story_votes_map_plan_drafts_and_checklist(snapshot):
    snap, board = snapshot
    text = " ".join(_pages(pdf.render_booklet(snap, board.pid("Ana"))))
    assert "Livret de Ana" in text
    assert "Nous voulons acheter une serre et former deux jeunes au métier." in text
    assert "Tour 1 : 3 gommettes, rang 1 sur 3" in text
    for label in ("Maman et Papa", "Collègues du lycée", "AMAP du quartier", "France Bleu"):
        assert label in text
    assert "Notre ferme a besoin de toi" in text and "La campagne ouvre le 1er septembre." in text
    assert "Partager" in text and "Remercier" in text and "Impliquer" in text


def test_hostile_text_is_printed_as_text():
    snap = sample_snapshot()
    text = " ".join(_pages(pdf.render_summary(snap)))
    # Joiners and emoji variation selectors have no glyph of their own: the text around them is what counts.
    invisible = str.maketrans("", "", "\u200d\ufe0f")
    # A narrow column may wrap a long line anywhere: compare the characters, in order, without white space.
    bare = "".join(text.translate(invisible).split())
    for line in HOSTILE_LINES:
        assert "".join(line.translate(invisible).split()) in bare, line
    assert "Atelier <script>alert(0)</script>" in text
    assert "=cmd|' /C calc'!A0" in text and "</svg><script>x</script>" in text


def test_a_server_lays_out_pdfs_in_a_child_process(monkeypatch):
    document = "<!doctype html><html lang='en'><body><p>Laid out elsewhere: שלום</p></body></html>"
    assert " ".join(_pages(pdf.html_to_pdf_in_child(document))) == " ".join(_pages(pdf.html_to_pdf(document)))
    monkeypatch.setattr(pdf.sys, "executable", "/bin/false")
    with pytest.raises(DomainError) as failed:
        pdf.html_to_pdf_in_child(document)
    assert failed.value.code == "export_failed"


def test_a_document_over_the_memory_limit_is_refused_clearly():
    with pytest.raises(DomainError) as refused:  # 120 MB: far below what any layout needs
        pdf.html_to_pdf_in_child(html.render_summary(sample_snapshot()), memory_mb=120)
    assert refused.value.code == "export_too_large"


def test_a_summary_too_big_for_one_pdf_is_refused_at_once(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_LAYOUT_BYTES", 10_000)
    monkeypatch.setattr(pdf.sys, "executable", "/bin/false")  # proves no child was even started
    with pytest.raises(DomainError) as refused:
        pdf.html_to_pdf_in_child(html.render_summary(sample_snapshot()))
    assert refused.value.code == "export_too_large" and refused.value.params["limit"] == 10_000
