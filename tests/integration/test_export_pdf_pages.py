"""The summary PDF gives each project one A4 page (no 2-line spill-over pages), checked on the laid-out PDF.

Five projects as a workshop makes them: a three-paragraph story, eight people and groups on the map,
links, four share-plan items with their message, a goal and campaign dates.
"""
from __future__ import annotations

import pytest

from server.domain import limits
from server.export import pdf
from tests.golden.pdf_text import pdf_pages
from tests.golden.snapshot import sample_snapshot

STORY = (
    "{title} started in a kitchen: three friends, one oven and a neighbourhood that missed its bakery. "
    "For two years we baked on Saturdays and sold out every week.\n\n"
    "Now we want a real workshop with a wood-fired oven, two apprentices and bread at a fair price "
    "for the school canteen and the old people's home down the street.\n\n"
    "Every backer gets bread, a baking class or their name on the oven door."
)
NODES = [
    ("Family", "person", "inner", 6), ("Old colleagues", "community", "inner", 25), ("Neighbours", "person", "inner", 40),
    ("Parents' association", "organisation", "network", 300), ("Farmers' market", "community", "network", 800),
    ("Town hall", "organisation", "network", 150), ("Local radio", "media", "crowd", 20000),
    ("Food bloggers", "media", "crowd", 5000),
]
PLAN = [
    ("before_launch", "Personal call to each family member", "Call, then send the inner-circle e-mail the same evening."),
    ("launch_day", "E-mail to colleagues and neighbours", "The draft from the booklet, with a photo of the oven."),
    ("first_week", "Stand at the farmers' market", "Flyers with the QR code, bread to taste."),
    ("final_push", "Interview on the local radio", "Tell what is left to reach, and thank the first backers."),
]
TITLES = ["The Fournil", "Radio Quartier", "La Ferme du Bonheur", "Atelier Vélo", "Les Jardins Partagés"]


def _workshop_snapshot(language: str) -> dict:
    snapshot = sample_snapshot(language)
    snapshot["board"]["title"] = "Crowdfunding workshop"
    snapshot["projects"], snapshot["tribe_maps"], ranking = [], [], []
    for index, title in enumerate(TITLES):
        pid = 10 + index
        snapshot["projects"].append({
            "id": pid, "author_id": 1 + index % 2, "title": title, "pitch": f"{title}: a project for the whole street",
            "story": STORY.format(title=title), "category": "Food", "goal_amount": 8000 + 1000 * index,
            "currency": "EUR", "platform": "Ulule", "campaign_start": "2026-09-01", "campaign_end": "2026-10-15",
            "link": f"https://example.org/{pid}", "created_at": "2026-06-03T15:10:00.000Z",
            "updated_at": "2026-06-03T15:10:00.000Z", "hidden": False})
        nodes = [{"id": pid * 100 + n, "label": label, "kind": kind, "ring": ring, "reach": reach,
                  "x": 0.1 * n - 0.4, "y": 0.05 * n - 0.2, "added_by": 1 + n % 2}
                 for n, (label, kind, ring, reach) in enumerate(NODES)]
        snapshot["tribe_maps"].append({
            "project_id": pid, "settings": {"average_pledge": 30, "conversion_pct": 20}, "nodes": nodes,
            "links": [{"id": pid * 100 + 50 + n, "from_node_id": nodes[n]["id"], "to_node_id": nodes[n + 3]["id"],
                       "added_by": 1} for n in range(3)],
            "plan_items": [{"id": pid * 100 + 80 + n, "what": what, "node_id": None, "ring": "inner", "when": when,
                            "where": "E-mail", "how": how, "added_by": 1} for n, (when, what, how) in enumerate(PLAN)],
            "email_drafts": []})
        ranking.append({"project_id": pid, "title": title, "dots": 9 - index, "rank": index + 1})
    snapshot["vote_rounds"][0]["ranking"] = ranking
    return snapshot


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_project_of_the_summary_pdf_is_on_exactly_one_page(language):
    pages = pdf_pages(pdf.render_summary(_workshop_snapshot(language)))
    projects = pages[1:]
    # The cover (title, participation, run of show, ranking), then one page per project: no spill-over.
    assert len(projects) == len(TITLES), [page[:60] for page in pages]
    guidance = {"en": "not a promise", "fr": "pas une promesse"}[language]
    for rank, (title, page) in enumerate(zip(TITLES, projects), start=1):
        assert f"#{rank} {title}" in page
        # The project's last section is on its own page, and no other project starts there.
        assert guidance in page and "Ulule" in page and "Food bloggers" in page
        assert sum(f"#{r} " in page for r in range(1, len(TITLES) + 1)) == 1


LONG_STORY = ("We bake bread for the street and the school canteen, with two apprentices and a wood-fired oven. " * 60)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_story_at_its_maximum_length_takes_two_whole_pages_and_no_more(language):
    # What the README promises: a project past one page (here the longest story and pitch the board
    # allows, with the workshop's map and plan) continues on one more page of its own, cut nowhere.
    snapshot = _workshop_snapshot(language)
    for project in snapshot["projects"]:
        project["story"] = LONG_STORY[: limits.PROJECT_STORY_MAX]
        project["pitch"] = ("A project for the whole street. " * 10)[: limits.PROJECT_PITCH_MAX]
    projects = pdf_pages(pdf.render_summary(snapshot))[1:]
    assert len(projects) == 2 * len(TITLES), [page[:60] for page in projects]
    guidance = {"en": "not a promise", "fr": "pas une promesse"}[language]
    for rank, title in enumerate(TITLES, start=1):
        first, second = projects[2 * rank - 2], projects[2 * rank - 1]
        assert f"#{rank} {title}" in first and guidance in second
        assert sum(f"#{r} " in first + second for r in range(1, len(TITLES) + 1)) == 1
