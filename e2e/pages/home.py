"""The home page: create a board, or type a board's code to join it."""
from __future__ import annotations


class HomePage:
    """The home page (/) in one person's browser."""

    def __init__(self, page) -> None:
        self.page = page

    def create_board(self, title: str, language: str = "en") -> tuple[str, str]:
        """Create a board; returns its code and join link as the page shows them."""
        self.page.get_by_label("Session title").fill(title)
        self.page.get_by_label("Board language").select_option(language)
        self.page.get_by_role("button", name="Create the board").click()
        return self.page.get_by_test_id("board-code").inner_text(), self.page.locator("#link-join").input_value()

    def join_by_code(self, code: str) -> None:
        """Type a board's code and go to its join page."""
        self.page.get_by_label("Board code").fill(code)
        self.page.get_by_role("button", name="Join", exact=True).click()
