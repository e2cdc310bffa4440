"""A right-to-left override typed into a board title, a name or a plan item stays inside it in the PDF: the
export's own words after it are laid out left to right, as written (character boxes read with pypdfium2)."""
from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from server.export import pdf
from tests.golden.snapshot import sample_snapshot

pytestmark = pytest.mark.integration
RLO = "\u202e"


def _runs_left_to_right(content: bytes, words: str) -> list[bool]:
    """For each place `words` is printed: whether its letters go left to right on the page."""
    found = []
    for page in pdfium.PdfDocument(content):
        text = page.get_textpage()
        chars = "".join(text.get_text_range(i, 1) for i in range(text.count_chars()))
        start = chars.find(words)
        while start >= 0:
            lefts = [text.get_charbox(start + i)[0] for i, ch in enumerate(words) if ch != " "]
            found.append(lefts == sorted(lefts))
            start = chars.find(words, start + 1)
    return found


def test_the_words_after_an_override_read_left_to_right_in_the_booklet_pdf():
    snap = sample_snapshot()
    snap["board"]["title"] = f"{RLO}Atelier"
    snap["participants"][0]["name"] = f"{RLO}Ana"
    author = snap["projects"][0]["author_id"]
    content = pdf.render_booklet(snap, author)
    # "Your project after “<title>”: your story, …" and the meta line's "Board code" after the title.
    assert _runs_left_to_right(content, "your story") == [True]
    assert all(_runs_left_to_right(content, "Board code")) and _runs_left_to_right(content, "Board code")
