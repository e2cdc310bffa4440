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
