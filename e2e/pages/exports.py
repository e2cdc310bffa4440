"""The exports panel (the facilitator's summary and archive, each person's own booklet)."""
from __future__ import annotations

from playwright.sync_api import expect

EXPORT_WAIT_MS = 120_000  # a PDF laid out on a loaded machine can take long: the waits are on state


class ExportsPanel:
    """The exports panel of one board page."""

    def __init__(self, page) -> None:
        self.page = page
        self.panel = page.locator(".panel-exports")

    @property
    def status(self):
        """The line saying what was saved (or why not)."""
        return self.panel.get_by_test_id("export-status")

    def save(self, button):
        """Click a download button and wait on the app's own state: busy until the file is ready, then said saved.

        Playwright's download wait is a fixed budget (the context's 10 s); a PDF laid out on a loaded
        machine can take longer, so the wait is on the button (disabled while the export is prepared)
        and on the status line saying it was saved.
        """
        with self.page.expect_download(timeout=EXPORT_WAIT_MS) as info:
            button.click()
            expect(button).to_be_enabled(timeout=EXPORT_WAIT_MS)
            expect(self.status).to_have_attribute("data-kind", "ok")
        return info.value
