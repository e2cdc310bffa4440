"""The printable HTML export and its SVG maps: self-contained, inert, every piece of user text intact."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from server.export import html, map_svg
from tests.golden.snapshot import HOSTILE_LABEL, HOSTILE_NAME, HOSTILE_STORY, HOSTILE_TITLE, sample_snapshot

SVG = "{http://www.w3.org/2000/svg}"


class _Document(HTMLParser):
    """Tags, attributes and text (entities decoded), with the text inside each element kept apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.by_class: dict[str, list[str]] = {}
        self._open: list[tuple[str, list[list[str]]]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag in ("meta", "br", "circle", "path", "line"):
            return
        buckets = []
        for cls in (attributes.get("class") or "").split():
            buckets.append(self.by_class.setdefault(cls, []))
            buckets[-1].append("")
        self._open.append((tag, buckets))

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_data(self, data):
        self.text.append(data)
        for _tag, buckets in self._open:
            for bucket in buckets:
                bucket[-1] += data


def _parse(document: str) -> _Document:
    parsed = _Document()
    parsed.feed(document)
    return parsed


RENDERS = [pytest.param(html.render_summary, id="summary"), pytest.param(lambda s: html.render_booklet(s, 1), id="booklet")]


@pytest.mark.parametrize("render", RENDERS)
def test_no_script_no_handler_and_nothing_from_the_network(render):
    document = render(sample_snapshot())
    parsed = _parse(document)
    names = [tag for tag, _ in parsed.tags]
    assert "script" not in names and "img" not in names and "iframe" not in names and "link" not in names
    for tag, attributes in parsed.tags:
        assert not [a for a in attributes if a.startswith("on")], (tag, attributes)
        for name in ("src", "srcset", "data", "poster"):
            assert name not in attributes, (tag, attributes)
    # The only URL in the page is the project's own link, on an <a>; nothing is fetched.
    hrefs = [a["href"] for tag, a in parsed.tags if "href" in a]
    assert hrefs == ['https://example.org/?a=<b>&c="d"']
    assert not re.search(r"url\((?!#)", document), "a CSS or SVG url() that is not a local #reference"
    csp = [a["content"] for tag, a in parsed.tags if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp == ["default-src 'none'; style-src 'unsafe-inline'; img-src data:"]


@pytest.mark.parametrize("render", RENDERS)
def test_user_text_is_shown_as_typed(render):
    parsed = _parse(render(sample_snapshot()))
    assert parsed.by_class["story"] == [HOSTILE_STORY]
    text = "".join(parsed.text)
    for value in (HOSTILE_TITLE, HOSTILE_NAME, HOSTILE_LABEL, "Atelier <script>alert(0)</script>", "=cmd|' /C calc'!A0"):
        assert value in text, value


def test_summary_has_one_svg_map_per_project_and_a_page_per_project():
    snapshot = sample_snapshot()
    parsed = _parse(html.render_summary(snapshot))
    svgs = [a for tag, a in parsed.tags if tag == "svg"]
    assert [a["data-project-id"] for a in svgs] == ["10", "11"]  # the unmapped project gets its empty rings
    articles = [a for tag, a in parsed.tags if tag == "article"]
    assert [a["data-project-id"] for a in articles] == ["10", "11"]
    assert "break-before: page" in html._css()
    assert "size: A4" in html._css()


def test_booklet_has_the_drafts_as_typed_and_the_checklist():
    snapshot = sample_snapshot()
    parsed = _parse(html.render_booklet(snapshot, 1))
    saved = snapshot["tribe_maps"][0]["email_drafts"][0]["body"]
    assert parsed.by_class["email-body"][0] == saved
    assert len(parsed.by_class["email-body"]) == 3
    checklist = parsed.by_class["checklist"][0]
    for word in ("Share:", "Thank:", "Involve:"):
        assert word in checklist


def test_booklet_of_someone_without_a_project_says_so():
    parsed = _parse(html.render_booklet(sample_snapshot(), 999))
    assert "You did not post a project on this board." in "".join(parsed.text)
    assert not [tag for tag, _ in parsed.tags if tag == "svg"]


def test_map_svg_is_well_formed_xml_with_the_rings_colours_and_labels_as_text():
    snapshot = sample_snapshot()
    tribe_map = snapshot["tribe_maps"][0]
    names = {"inner": "Inner circle", "network": "Network", "crowd": "Crowd"}
    drawing = ET.fromstring(str(map_svg.render(tribe_map, HOSTILE_TITLE, "caption </svg>", names)))
    rings = {c.get("class"): c.get("fill") for c in drawing.iter(f"{SVG}circle") if "map-ring" in (c.get("class") or "")}
    assert rings == {"map-ring ring-inner": "#d1495b", "map-ring ring-network": "#edae49", "map-ring ring-crowd": "#00798c"}
    labels = [t.text for g in drawing.iter(f"{SVG}g") if g.get("class") == "map-node-label" for t in g.iter(f"{SVG}text")]
    # Long labels are shortened under the node (the list beside the map has them whole).
    assert labels == [HOSTILE_LABEL[:21] + "…", "שלום 🎉 مرحبا", "=cmd|' /C calc'!A0"]
    assert drawing.find(f"{SVG}title").text == "caption </svg>"
    assert len(list(drawing.iter(f"{SVG}line"))) == 2
    assert not [e for e in drawing.iter() if e.tag in (f"{SVG}script", f"{SVG}foreignObject")]


def test_map_svg_places_nodes_where_the_screen_does():
    tribe_map = sample_snapshot()["tribe_maps"][0]
    drawing = ET.fromstring(str(map_svg.render(tribe_map, "T", "c", {"inner": "i", "network": "n", "crowd": "c"})))
    moves = [g.get("transform") for g in drawing.iter(f"{SVG}g") if g.get("class") == "map-node"]
    # Map units × 500, as client/js/views/maps/map_svg.js draws them.
    assert moves == ["translate(0.0 -150.0)", "translate(250.0 100.0)", "translate(-400.0 50.0)"]
    radii = [float(c.get("r")) for g in drawing.iter(f"{SVG}g") if g.get("class") == "map-node" for c in g.iter(f"{SVG}circle")]
    assert radii == [pytest.approx(14 + 7 * 1.6128, abs=0.06), pytest.approx(14 + 7 * 2.4786, abs=0.06),
                     pytest.approx(14 + 7 * 3.9542, abs=0.06)]
