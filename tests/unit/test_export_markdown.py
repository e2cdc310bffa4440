"""Markdown exports: people's text comes out as text once rendered by a CommonMark renderer, intact."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from server.export import markdown
from tests.golden.snapshot import HOSTILE_LABEL, HOSTILE_LINES, HOSTILE_NAME, HOSTILE_STORY, HOSTILE_TITLE, sample_snapshot


class _Page(HTMLParser):
    """The tags and the text of rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _render(source: str) -> _Page:
    # CommonMark with GFM tables and strikethrough: what GitHub, editors and wikis do with a .md file.
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(source)
    page = _Page()
    page.feed(html)
    return page


SAFE_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "ul", "ol", "li", "strong", "em", "table", "thead",
             "tbody", "tr", "th", "td", "hr", "blockquote", "pre", "code"}


@pytest.mark.parametrize("render", [markdown.render_summary, lambda s: markdown.render_booklet(s, 1)], ids=["summary", "booklet"])
def test_hostile_text_is_inert_and_intact_once_rendered(render):
    page = _render(render(sample_snapshot()))
    tags = {tag for tag, _ in page.tags}
    assert tags <= SAFE_TAGS, tags - SAFE_TAGS  # no script, img, svg, a, del: nothing people typed became markup
    text = "".join(page.text)
    for line in HOSTILE_LINES:
        assert line.strip() in text, line
    for value in (HOSTILE_TITLE, HOSTILE_NAME, "Atelier <script>alert(0)</script>"):
        assert value in text


def test_a_story_keeps_its_lines_and_paragraphs():
    snapshot = sample_snapshot()
    snapshot["projects"][0]["story"] = "First line\nsecond line\n\nNew paragraph"
    page = _render(markdown.render_summary(snapshot))
    assert "First line\nsecond line" in "".join(page.text)
    assert [tag for tag, _ in page.tags].count("br") >= 1


def test_the_story_line_by_line_is_exactly_what_was_typed():
    rendered = _render(markdown.block(HOSTILE_STORY))
    # Hard breaks render as <br /> followed by a newline: the text is the story, line for line.
    assert "".join(rendered.text).removesuffix("\n") == HOSTILE_STORY


@pytest.mark.parametrize("text", [*HOSTILE_LINES, HOSTILE_TITLE, HOSTILE_LABEL, "a|b", "x\ny"])
def test_inline_escaping_survives_in_table_cells_and_list_items(text):
    source = f"| a | b |\n|---|---|\n| {markdown.inline(text)} | z |\n\n- {markdown.inline(text)}\n"
    page = _render(source)
    cells = [tag for tag, _ in page.tags if tag == "td"]
    assert len(cells) == 2  # a pipe in the text did not add a column
    expected = " ".join(text.split())
    assert "".join(page.text).count(expected) == 2


def test_an_email_body_is_fenced_verbatim_whatever_fences_it_contains():
    body = "Hi\n```\n~~~~\ncode?\n"
    page = _render(markdown.fenced(body))
    assert [tag for tag, _ in page.tags] == ["pre", "code"]
    # The code block holds the body as typed (the renderer adds one newline after </pre>).
    assert "".join(page.text).removesuffix("\n") == body


def test_booklet_has_the_checklist_and_three_email_drafts():
    source = markdown.render_booklet(sample_snapshot(), 1)
    assert source.count("- [ ] ") == 3
    for ring in ("Inner circle", "Network", "Crowd"):
        assert f"#### {ring} (" in source
    assert "(your draft)" in source and "(suggested draft, not edited yet)" in source


def test_french_board_speaks_french():
    source = markdown.render_summary(sample_snapshot("fr"))
    assert "Synthèse de la session" in source and "Déroulé de la session" in source
    assert "Tour 1 : 5 gommettes, rang 1 sur 2" in source
