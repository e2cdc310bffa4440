"""Every number inside an export's sentence goes through the one formatter: counts, reach, amounts and
percentages read "1,000" / "1 000", "20%" / "20 %" in the summary and the booklet, Markdown and HTML."""
from __future__ import annotations

from html import unescape

import pytest

from server.export import html, markdown
from server.export.i18n import Words
from tests.golden.snapshot import sample_snapshot

pytestmark = pytest.mark.unit

NNBSP = "\u202f"
EXPECTED = {
    "en": {"line": "Inner circle: 12,000 people × 20% × €30 ≈ 2,400 backers, €72,000 in the first days.",
           "target": "Target: about 30% of the goal early, €3,000. The inner circle alone reaches 2,400% of it.",
           "reach": "reach 12,000", "round": "Round 1,200"},
    "fr": {"line": f"Premier cercle : 12{NNBSP}000 personnes × 20{NNBSP}% × 30\u00a0€ ≈ 2{NNBSP}400 contributeurs,"
                   f" 72{NNBSP}000\u00a0€ les premiers jours.",
           "target": f"Cible : environ 30{NNBSP}% de l'objectif au début, 3{NNBSP}000\u00a0€. Le premier cercle seul"
                     f" en atteint 2{NNBSP}400{NNBSP}%.",
           "reach": f"portée 12{NNBSP}000", "round": f"Tour 1{NNBSP}200"},
}


def _big_inner_circle(language: str) -> dict:
    snapshot = sample_snapshot(language)
    node = next(n for m in snapshot["tribe_maps"] for n in m["nodes"] if n["ring"] == "inner")
    node["reach"] = 12000
    return snapshot


@pytest.mark.parametrize("language", ["en", "fr"])
def test_momentum_reach_and_percentages_are_written_the_languages_way(language):
    w = EXPECTED[language]
    snapshot = _big_inner_circle(language)
    for text in (markdown.render_summary(snapshot), markdown.render_booklet(snapshot, 1),
                 html.render_summary(snapshot), html.render_booklet(snapshot, 1)):
        text = unescape(text)
        assert w["line"] in text
        assert w["target"] in text
        assert w["reach"] in text


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_count_given_to_a_sentence_is_grouped_but_a_string_stays_as_given(language):
    words = Words(language)
    assert words.t("ranking.round", round=1200) == EXPECTED[language]["round"]
    assert words.t("ranking.round", round="1200").endswith(" 1200")
