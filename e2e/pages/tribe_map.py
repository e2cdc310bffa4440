"""A card's tribe map page: the drawing, the list view (the keyboard way) and its 'Add someone' form."""
from __future__ import annotations

import math

from playwright.sync_api import expect

from e2e.pages.words import WORDS


class MapPage:
    """One person's tribe-map page."""

    def __init__(self, page, language: str = "en") -> None:
        self.page = page
        self.words = WORDS[language]

    @property
    def svg(self):
        """The drawing."""
        return self.page.get_by_test_id("map-svg")

    def node(self, label: str):
        """A node of the drawing, by label."""
        return self.svg.locator(f'[data-testid="map-node"][data-label="{label}"]')

    def row(self, label: str):
        """A node's row in the list view, by label."""
        return self.page.locator(f'[data-testid="map-row"][data-label="{label}"]')

    def add(self, label: str, ring: str = "Inner circle", reach: int = 1, offline: bool = False) -> None:
        """Add a person or group with the list view's form; wait until it is on the server (or, offline, shown pending)."""
        form = self.page.get_by_test_id("map-add-form")
        form.get_by_label(self.words["node_label"]).fill(label)
        form.get_by_label(self.words["ring"]).select_option(label=ring)
        form.get_by_label(self.words["reach"]).fill(str(reach))
        form.get_by_role("button", name=self.words["add_node"]).click()
        if offline:
            expect(self.row(label)).to_have_attribute("data-pending", "add")
        else:
            expect(self.page.locator(f'[data-testid="map-row"][data-label="{label}"]:not([data-pending])')).to_have_count(1)

    def back_to_board(self) -> None:
        """The link back to the wall."""
        self.page.get_by_role("link", name=self.words["back"]).click()

    def ring_point(self, radius_units: float, angle_deg: float = 0.0) -> tuple[float, float]:
        """Screen coordinates of a point of the map, `radius_units` from the centre (map units, 0…1)."""
        box = self.svg.bounding_box()
        scale = min(box["width"], box["height"]) / 1040  # the SVG's viewBox is 1040 units wide
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        a = math.radians(angle_deg)
        return cx + radius_units * 500 * scale * math.cos(a), cy + radius_units * 500 * scale * math.sin(a)


def node(page, label: str):
    """A node of the drawing on one person's map page, by label."""
    return MapPage(page).node(label)


def row(page, label: str):
    """A node's row in the list view on one person's map page, by label."""
    return MapPage(page).row(label)
