"""The board (participant or facilitator): the 'Post your project' form and the wall of cards."""
from __future__ import annotations

from playwright.sync_api import expect

from e2e.pages.tribe_map import MapPage
from e2e.pages.words import WORDS

# How long `post` waits: until the server has the card ("saved"), until the card shows marked pending
# (offline), or not at all (the test checks a refusal or a closed gate itself).
UNTIL = ("saved", "pending", None)


class BoardPage:
    """One person's board page."""

    def __init__(self, page, language: str = "en") -> None:
        self.page = page
        self.language = language
        self.words = WORDS[language]

    @property
    def post_panel(self):
        """The 'Post your project' panel (a <details>)."""
        return self.page.get_by_test_id("post-panel")

    @property
    def cards(self):
        """Every card on the wall."""
        return self.page.get_by_test_id("project-card")

    def card(self, title: str):
        """The card whose heading names `title`."""
        return self.cards.filter(has=self.page.get_by_role("heading", name=title))

    def saved_card(self, title: str):
        """The card titled exactly `title`, once it is on the server (not pending)."""
        return self.page.locator('[data-testid="project-card"][data-pending="false"]').filter(
            has=self.page.get_by_role("heading", name=title, exact=True))

    def fill_post_form(self, title: str, pitch: str | None = None, *, story: str | None = None, goal: str | None = None,
                       starts: str | None = None, ends: str | None = None) -> None:
        """Open the panel if it is closed and fill its fields (pitch "The pitch of …" unless given)."""
        panel = self.post_panel
        if panel.get_attribute("open") is None:
            panel.locator("summary").click()
        w = self.words
        fields = {w["title"]: title, w["pitch"]: f"The pitch of {title}" if pitch is None else pitch,
                  w["story"]: story, w["goal"]: goal, w["starts"]: starts, w["ends"]: ends}
        for label, value in fields.items():
            if value is not None:
                panel.get_by_label(label).fill(value)

    def post(self, title: str, pitch: str | None = None, *, until: str | None = "saved", **fields) -> None:
        """Post a card from the panel, then wait as `until` says (see UNTIL)."""
        assert until in UNTIL, until
        self.fill_post_form(title, pitch, **fields)
        self.post_panel.get_by_role("button", name=self.words["post"]).click()
        if until == "saved":
            expect(self.saved_card(title)).to_have_count(1)
            # The author's own controls come with the server's card (none while pending).
            expect(self.edit_button(title)).to_be_visible()
        elif until == "pending":
            expect(self.card(title).get_by_test_id("pending")).to_be_visible()

    def edit_button(self, title: str):
        """A card's Edit button (its author's and the facilitator's only)."""
        return self.page.get_by_role("button", name=f"{self.words['edit']}: {title}", exact=True)

    def edit(self, title: str, /, **fields: str) -> None:
        """Open a card's edit form, change the given fields (by their label's key in WORDS: pitch, goal…), save."""
        self.edit_button(title).click()
        form = self.page.locator('[data-testid="project-card"][data-editing="true"]')
        for key, value in fields.items():
            form.get_by_label(self.words[key]).fill(value)
        form.get_by_role("button", name=self.words["save"]).click()

    def wall_text(self) -> list[str]:
        """What every screen must agree on: each card's title, pitch and facts, in wall order (not the controls)."""
        return self.cards.evaluate_all(
            "cards => cards.map(c => [...c.querySelectorAll('h3, .pitch, .meta')].map(e => e.innerText).join(' | '))")

    def open_map(self, title: str) -> MapPage:
        """Open a card's tribe map; returns the map page once its drawing shows."""
        self.page.get_by_role("link", name=self.words["open_map"].format(title=title)).click()
        expect(self.page.get_by_test_id("map-page")).to_be_visible()
        expect(self.page.get_by_test_id("map-svg")).to_be_visible()
        return MapPage(self.page, self.language)


def post_card(page, title: str, pitch: str | None = None, *, language: str = "en", until: str | None = "saved",
              **fields) -> None:
    """Post a card from one person's board (see BoardPage.post)."""
    BoardPage(page, language).post(title, pitch, until=until, **fields)


def card(page, title: str):
    """The card whose heading names `title`, on one person's board."""
    return BoardPage(page).card(title)
