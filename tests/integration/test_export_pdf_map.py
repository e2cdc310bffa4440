"""The PDF's tribe map read as a person reads it: each page rendered to pixels, each node name's contrast measured."""
from __future__ import annotations

from collections import Counter

import pypdfium2 as pdfium
import pytest

from server.export import pdf
from server.persistence.db import Database
from server.services.archive import exports
from tests.golden.board import EXPORTED_AT, build_board, freeze
from tests.golden.snapshot import sample_snapshot

LABELS = ("Maman et Papa", "Collègues du lycée", "AMAP du quartier", "France Bleu")
SCALE = 3  # pixels per PDF point: 26-unit labels are ~9 pt high on A4, ~27 px here


@pytest.fixture(scope="module", params=["fr", "en"])
def exported(tmp_path_factory, request):
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('pdfmap') / 'pdf.sqlite3'}")
    db.migrate()
    board = build_board(db, language=request.param)
    freeze(db, board)
    snap = exports.board_snapshot(db, board.code, now=EXPORTED_AT)
    db.dispose()
    return snap, board


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _label_contrasts(content: bytes) -> dict[str, float]:
    """For each label: the lowest contrast, over every place it is printed (the map and the lists), between its
    letters' ink and the background around them."""
    document = pdfium.PdfDocument(content)
    found: dict[str, list[float]] = {}
    for page in document:
        text = page.get_textpage()
        bitmap = page.render(scale=SCALE, rev_byteorder=True)  # RGB(A) bytes in that order
        width, height, stride, channels = bitmap.width, bitmap.height, bitmap.stride, bitmap.n_channels
        pixels = bytes(bitmap.buffer)
        page_height = page.get_height()
        for label in LABELS:
            searcher = text.search(label, match_case=True)
            while hit := searcher.get_next():
                found.setdefault(label, []).append(_ink_contrast(text, hit, pixels, (width, height, stride, channels), page_height))
    return {label: min(ratios) for label, ratios in found.items()}, {label: len(r) for label, r in found.items()}


def _ink_contrast(text, hit, pixels, shape, page_height) -> float:
    width, height, stride, channels = shape
    start, count = hit
    boxes = [text.get_charbox(i) for i in range(start, start + count)]
    left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
    bottom, top = min(b[1] for b in boxes), max(b[3] for b in boxes)
    x0, x1 = int(left * SCALE), min(width, int(right * SCALE) + 1)
    y0, y1 = int((page_height - top) * SCALE), min(height, int((page_height - bottom) * SCALE) + 1)
    colours = [tuple(pixels[y * stride + x * channels: y * stride + x * channels + 3])
               for y in range(y0, y1) for x in range(x0, x1)]
    # The background is the colour most of the box shows; the ink, the most common colour that clearly differs
    # from it (a letter's edge is smoothed into many shades, each rare, while its body is one colour).
    counts = Counter(colours).most_common()
    background = counts[0][0]
    ink = next((colour for colour, _ in counts if _contrast(background, colour) > 1.1), None)
    return _contrast(background, ink) if ink else 1.0


@pytest.mark.parametrize("which", ["booklet", "summary"])
def test_every_map_name_in_the_pdf_reads_dark_on_light_at_4_5_to_1_or_more(exported, which):
    snap, board = exported
    content = pdf.render_booklet(snap, board.pid("Ana")) if which == "booklet" else pdf.render_summary(snap)
    contrasts, printed = _label_contrasts(content)
    # Each name is on the drawing and in the list beside it.
    assert set(contrasts) == set(LABELS) and min(printed.values()) >= 2, printed
    for label, ratio in contrasts.items():
        assert ratio >= 4.5, (label, round(ratio, 2))


def test_unbroken_strings_wrap_inside_the_pdf_pages():
    snap = sample_snapshot()
    unbroken = "Snowballeffectcrowdfunding" * 5
    snap["board"]["title"] = unbroken[:120]
    snap["participants"][0]["name"] = "N" * 40
    project = snap["projects"][0]
    project.update(title=unbroken[:120], pitch="P" * 200, story="S" * 1500, category="C" * 60, platform="Q" * 60)
    snap["tribe_maps"][0]["nodes"][0]["label"] = "L" * 60
    for content in (pdf.render_summary(snap), pdf.render_booklet(snap, project["author_id"])):
        document = pdfium.PdfDocument(content)
        for number, page in enumerate(document, start=1):
            width = page.get_width()
            text = page.get_textpage()
            outside = [text.get_text_range(i, 1) for i in range(text.count_chars())
                       if (box := text.get_charbox(i)) and (box[0] < 0 or box[2] > width)]
            assert outside == [], (number, "".join(outside)[:80])
