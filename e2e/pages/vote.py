"""The story vote as a participant sees it on each card, and the revealed ranking."""
from __future__ import annotations

from e2e.pages.words import WORDS


class VotePanel:
    """One person's vote controls and results on their board."""

    def __init__(self, page, language: str = "en") -> None:
        self.page = page
        self.words = WORDS[language]

    def place(self, title: str):
        """The button that places a dot on a story."""
        return self.page.get_by_role("button", name=self.words["place"].format(title=title))

    def take_back(self, title: str):
        """The button that takes a dot back from a story."""
        return self.page.get_by_role("button", name=self.words["take_back"].format(title=title))

    @property
    def remaining(self):
        """'You have N of M dots left'."""
        return self.page.get_by_test_id("vote-remaining")

    def ranking(self) -> list[list[str]]:
        """Rank, story and dots of each row of the revealed ranking (not the viewer's own column)."""
        return self.page.get_by_test_id("vote-result-row").evaluate_all(
            "rows => rows.map(r => [...r.cells].slice(0, 3).map(c => c.innerText.trim()))")


def place(page, title: str):
    """The button that places a dot on a story (English board)."""
    return VotePanel(page).place(title)


def take_back(page, title: str):
    """The button that takes a dot back from a story (English board)."""
    return VotePanel(page).take_back(title)


def ranking(page) -> list[list[str]]:
    """The revealed ranking on a board page: rank, story, dots."""
    return VotePanel(page).ranking()
