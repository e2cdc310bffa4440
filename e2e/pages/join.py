"""The join page of a board: a display name, or the personal code from another laptop."""
from __future__ import annotations

from e2e.pages.words import WORDS


class JoinPage:
    """A board's join page (/b/CODE) in one person's browser."""

    def __init__(self, page, language: str = "en") -> None:
        self.page = page
        self.words = WORDS[language]

    @property
    def name_field(self):
        """The display-name field."""
        return self.page.get_by_label(self.words["name"])

    def submit(self, name: str) -> None:
        """Type a display name and press the join button (the test checks what follows: a refusal, a wait)."""
        self.name_field.fill(name)
        self.page.get_by_role("button", name=self.words["join"]).click()

    def join(self, name: str) -> None:
        """Join with a display name and wait for the board (it says who one is)."""
        self.submit(name)
        self.page.get_by_test_id("me").wait_for()

    def rejoin(self, personal_code: str) -> None:
        """Continue as someone who joined on another device, with their personal code."""
        self.page.get_by_label(self.words["personal_code"]).fill(personal_code)
        self.page.get_by_role("button", name=self.words["continue"]).click()


def join_as(page, name: str, language: str = "en") -> None:
    """On a board's join page, join with a display name and wait for the board."""
    JoinPage(page, language).join(name)
