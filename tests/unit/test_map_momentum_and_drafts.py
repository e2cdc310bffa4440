"""Momentum arithmetic and e-mail drafts built from the project's own words."""
from __future__ import annotations

import pytest

from server.domain import email_drafts, momentum
from server.domain.errors import DomainError

PROJECT = {
    "title": "La Ferme du Bonheur", "pitch": "A farm that feeds the neighbourhood.",
    "story": "We grow vegetables with the children of the school.\n\nSecond paragraph stays out.",
    "goal_amount": 12000, "currency": "EUR", "platform": "Ulule",
    "campaign_start": "2026-09-01", "campaign_end": "2026-10-01", "link": "https://example.org/ferme",
}
NODES = [
    {"id": 1, "ring": "inner", "reach": 30},
    {"id": 2, "ring": "inner", "reach": 20},
    {"id": 3, "ring": "network", "reach": 1000},
]
ITEMS = [
    {"id": 10, "what": "Personal phone call", "node_id": 1, "ring": None, "when": "launch_day"},
    {"id": 11, "what": "Teaser", "node_id": None, "ring": "inner", "when": "before_launch"},
    {"id": 12, "what": "Newsletter {title}", "node_id": 3, "ring": None, "when": "first_week"},
]


def test_inner_reach_counts_only_the_inner_circle():
    assert momentum.inner_reach(NODES) == 50
    assert momentum.inner_reach([]) == 0


def test_momentum_arithmetic():
    # 50 people × 20 % = 10 backers × 30 € = 300 € against 30 % of 12 000 € = 3 600 €.
    meter = momentum.momentum(12000, 50, 30, 20)
    assert meter.as_dict() == {"inner_reach": 50, "expected_backers": 10, "expected_amount": 300,
                               "target_amount": 3600, "progress_pct": 8, "reached": False}


def test_momentum_reaches_and_exceeds_the_target():
    assert momentum.momentum(1000, 100, 30, 10).progress_pct == 100  # 10 × 30 = 300 = 30 % of 1 000
    assert momentum.momentum(1000, 100, 30, 10).reached is True
    over = momentum.momentum(1000, 200, 30, 10)
    assert (over.expected_amount, over.progress_pct, over.reached) == (600, 200, True)


def test_momentum_counts_whole_backers_and_rounds_the_target_half_up():
    meter = momentum.momentum(5, 19, 7, 10)  # 1.9 backers -> 1; 30 % of 5 = 1.5 -> 2
    assert (meter.expected_backers, meter.expected_amount, meter.target_amount, meter.progress_pct) == (1, 7, 2, 350)


@pytest.mark.parametrize("goal", [None, 0])
def test_momentum_without_a_goal_shows_no_progress(goal):
    meter = momentum.momentum(goal, 50, 30, 20)
    assert (meter.target_amount, meter.progress_pct, meter.reached, meter.expected_amount) == (None, None, False, 300)


def test_inner_draft_uses_the_projects_words_and_its_plan():
    draft = email_drafts.compose("en", "inner", PROJECT, ITEMS, NODES)
    assert draft["ring"] == "inner"
    assert "La Ferme du Bonheur" in draft["subject"]
    body = draft["body"]
    assert "A farm that feeds the neighbourhood." in body
    assert "We grow vegetables with the children of the school." in body
    assert "Second paragraph" not in body
    # Amounts and dates the board's language's way (one formatter), never ISO or another locale's grouping;
    # typed words isolated (U+2068…U+2069).
    assert "from September 1, 2026 to October 1, 2026 on \u2068Ulule\u2069" in body
    assert "Our goal is €12,000." in body
    assert "https://example.org/ferme" in body
    # The plan items for the inner circle (by ring or through one of its nodes), in timeline order.
    assert body.index("before the launch: \u2068Teaser") < body.index("on launch day: \u2068Personal phone call")
    assert "Newsletter" not in body


def test_network_draft_in_french_lists_its_plan_and_keeps_braces_as_text():
    draft = email_drafts.compose("fr", "network", PROJECT, ITEMS, NODES)
    assert draft["subject"].startswith("\u2068La Ferme du Bonheur\u2069 :")
    assert "la première semaine : \u2068Newsletter {title}\u2069" in draft["body"]
    assert "Bonjour" in draft["body"]
    assert "La campagne a lieu du 1 septembre 2026 au 1 octobre 2026 sur \u2068Ulule\u2069." in draft["body"]
    assert "Notre objectif : 12\u202f000\u00a0€." in draft["body"]


def test_draft_without_optional_words_has_no_empty_lines_for_them():
    bare = {"title": "Zine", "pitch": "A zine.", "story": "", "goal_amount": None, "currency": "EUR",
            "platform": "", "campaign_start": None, "campaign_end": None, "link": ""}
    draft = email_drafts.compose("en", "crowd", bare, [], [])
    assert "\n\n\n" not in draft["body"]
    assert "\u2068Zine\u2069: \u2068A zine.\u2069" in draft["body"]
    assert email_drafts.compose("de", "crowd", bare, [], [])["body"] == draft["body"]  # unknown language -> English


def test_saved_drafts_are_checked():
    assert email_drafts.validate_draft("inner", " Hi ", " Body ") == {"ring": "inner", "subject": "Hi", "body": "Body"}
    with pytest.raises(DomainError) as caught:
        email_drafts.validate_draft("inner", "", "x" * (email_drafts.EMAIL_BODY_MAX + 1))
    assert caught.value.code == "too_long" and caught.value.params["field"] == "body"
    with pytest.raises(DomainError) as caught:
        email_drafts.validate_draft("orbit", "", "x")
    assert caught.value.code == "invalid_choice"
