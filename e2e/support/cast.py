"""The vote tests' cast: Ana, Ben and Chloé, each the author of one story, on one board."""
from __future__ import annotations

from playwright.sync_api import expect

from e2e.pages.board import post_card
from e2e.pages.join import join_as
from e2e.support.links import host_path, join_path

STORIES = {"Ana": "Le fournil", "Ben": "Radio Vélo", "Chloé": "La ferme"}


def authors_with_stories(people, board) -> tuple:
    """The facilitator and Ana, Ben and Chloé, each with their story posted and seen by all four."""
    host = people(host_path(board))
    pages = {}
    for name, title in STORIES.items():
        pages[name] = people(join_path(board))
        join_as(pages[name], name)
        post_card(pages[name], title)
    for page in (host, *pages.values()):
        expect(page.get_by_test_id("project-card")).to_have_count(3)
    return host, pages["Ana"], pages["Ben"], pages["Chloé"]
