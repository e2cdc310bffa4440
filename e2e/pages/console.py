"""The facilitator's console: the run of show's main button and the vote's controls."""
from __future__ import annotations

from playwright.sync_api import expect


class Console:
    """The facilitator's board page (/b/CODE/host#secret)."""

    def __init__(self, page) -> None:
        self.page = page

    def next_phase(self, expected_phase: str, screen=None) -> None:
        """Click the main button; wait until the console (and the projector, if given) shows the new phase.

        The console knows the new phase before anyone clicks again (a stale click is refused).
        """
        self.page.get_by_test_id("show-next").click()
        if screen is not None:
            expect(screen.get_by_test_id("projector-phase")).to_have_text(expected_phase)
        expect(self.page.get_by_test_id("phase")).to_contain_text(expected_phase)

    def advance_through(self, phases: list[str], screen=None) -> None:
        """Move the session on phase by phase, waiting on each."""
        for phase in phases:
            self.next_phase(phase, screen)

    def advance_to_the_vote(self, screen=None) -> None:
        """Run of show (English): Join, Values, Post your project, then Story vote."""
        self.advance_through(["Join", "Values", "Post your project", "Story vote"], screen)

    def set_vote(self, dots: int | None = None, per_story: int | None = None) -> None:
        """Change the vote's settings (dots per person, most dots on one story) and save them."""
        settings = self.page.get_by_test_id("vote-settings")
        if dots is not None:
            settings.get_by_label("Dots per person").fill(str(dots))
        if per_story is not None:
            settings.get_by_label("Most dots one person may put on one story").fill(str(per_story))
        settings.get_by_role("button", name="Save settings").click()

    def open_vote(self) -> None:
        """Open the vote."""
        self.page.get_by_role("button", name="Open the vote").click()

    def close_vote(self) -> None:
        """Close the vote."""
        self.page.get_by_role("button", name="Close the vote").click()

    def reveal_results(self) -> None:
        """Reveal the ranking to the room."""
        self.page.get_by_role("button", name="Reveal the results").click()
