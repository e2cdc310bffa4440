"""Story card rules: fields, limits, who may post and change."""
from __future__ import annotations

import pytest

from server.domain import limits, projects
from server.domain.actors import Actor, Role
from server.domain.errors import DomainError

AUTHOR = Actor(1, Role.PARTICIPANT, 7)
OTHER = Actor(1, Role.PARTICIPANT, 8)
FACILITATOR = Actor(1, Role.FACILITATOR)
PROJECTOR = Actor(1, Role.PROJECTOR)


def error_of(raw: dict) -> DomainError:
    with pytest.raises(DomainError) as caught:
        projects.validate_fields(raw)
    return caught.value


def test_minimal_card_gets_defaults():
    fields = projects.validate_fields({"title": " Ferme ", "pitch": " Du pain "})
    assert fields.as_dict() == {
        "title": "Ferme", "pitch": "Du pain", "story": "", "category": "", "goal_amount": None,
        "currency": "EUR", "platform": "", "campaign_start": None, "campaign_end": None, "link": "",
    }


def test_full_card():
    fields = projects.validate_fields({
        "title": "Ferme", "pitch": "Du pain", "story": "Il était une fois", "category": "food",
        "goal_amount": 12000, "currency": "chf", "platform": "Ulule", "campaign_start": "2026-06-01",
        "campaign_end": "2026-07-01", "link": "https://example.org/ferme",
    })
    assert fields.currency == "CHF"
    assert fields.goal_amount == 12000
    assert fields.campaign_end == "2026-07-01"


@pytest.mark.parametrize("field", ["title", "pitch"])
def test_title_and_pitch_required(field):
    raw = {"title": "t", "pitch": "p", field: "  "}
    error = error_of(raw)
    assert (error.code, error.params["field"]) == ("required", field)


@pytest.mark.parametrize("field, maximum", [
    ("title", limits.PROJECT_TITLE_MAX), ("pitch", limits.PROJECT_PITCH_MAX), ("story", limits.PROJECT_STORY_MAX),
    ("category", limits.PROJECT_CATEGORY_MAX), ("platform", limits.PROJECT_PLATFORM_MAX),
])
def test_text_limits(field, maximum):
    raw = {"title": "t", "pitch": "p", field: "x" * (maximum + 1)}
    error = error_of(raw)
    assert (error.code, error.params) == ("too_long", {"field": field, "limit": maximum})
    raw[field] = "x" * maximum
    assert getattr(projects.validate_fields(raw), field) == "x" * maximum


@pytest.mark.parametrize("goal", [-1, limits.PROJECT_GOAL_MAX + 1])
def test_goal_out_of_range(goal):
    assert error_of({"title": "t", "pitch": "p", "goal_amount": goal}).code == "out_of_range"


@pytest.mark.parametrize("goal", [0, limits.PROJECT_GOAL_MAX])
def test_goal_bounds_accepted(goal):
    assert projects.validate_fields({"title": "t", "pitch": "p", "goal_amount": goal}).goal_amount == goal


def test_unknown_currency():
    error = error_of({"title": "t", "pitch": "p", "currency": "BTC"})
    assert error.code == "invalid_choice"
    assert "EUR" in error.params["choices"]


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://example.org", "example.org", "https://", "data:text/html,x"])
def test_only_http_links(link):
    assert error_of({"title": "t", "pitch": "p", "link": link}).code == "invalid_link"


@pytest.mark.parametrize("link", ["http://example.org", "https://ulule.com/ferme?ref=1"])
def test_http_links_accepted(link):
    assert projects.validate_fields({"title": "t", "pitch": "p", "link": link}).link == link


def test_link_too_long():
    link = "https://example.org/" + "x" * limits.PROJECT_LINK_MAX
    assert error_of({"title": "t", "pitch": "p", "link": link}).code == "too_long"


@pytest.mark.parametrize("field", ["campaign_start", "campaign_end"])
def test_bad_dates(field):
    error = error_of({"title": "t", "pitch": "p", field: "01/06/2026"})
    assert (error.code, error.params["field"]) == ("invalid_date", field)


def test_campaign_cannot_end_before_it_starts():
    error = error_of({"title": "t", "pitch": "p", "campaign_start": "2026-06-02", "campaign_end": "2026-06-01"})
    assert error.code == "invalid_dates"
    same_day = projects.validate_fields({"title": "t", "pitch": "p", "campaign_start": "2026-06-02", "campaign_end": "2026-06-02"})
    assert same_day.campaign_start == same_day.campaign_end


def test_participant_can_post_up_to_limits():
    projects.check_can_post(AUTHOR, limits.PROJECTS_PER_PARTICIPANT - 1, limits.PROJECTS_PER_BOARD - 1)


def test_per_participant_limit():
    with pytest.raises(DomainError) as caught:
        projects.check_can_post(AUTHOR, limits.PROJECTS_PER_PARTICIPANT, 0)
    assert caught.value.params["limit"] == "projects_per_participant"


def test_per_board_limit():
    with pytest.raises(DomainError) as caught:
        projects.check_can_post(AUTHOR, 0, limits.PROJECTS_PER_BOARD)
    assert caught.value.params["limit"] == "projects_per_board"


@pytest.mark.parametrize("actor", [FACILITATOR, PROJECTOR])
def test_only_participants_post(actor):
    with pytest.raises(DomainError) as caught:
        projects.check_can_post(actor, 0, 0)
    assert caught.value.code == "forbidden"


@pytest.mark.parametrize("actor", [AUTHOR, FACILITATOR])
def test_author_and_facilitator_can_change(actor):
    projects.check_can_change(actor, 7)


@pytest.mark.parametrize("actor, author_id", [(OTHER, 7), (PROJECTOR, 7), (OTHER, None)])
def test_others_cannot_change(actor, author_id):
    with pytest.raises(DomainError) as caught:
        projects.check_can_change(actor, author_id)
    assert caught.value.code == "not_author"
