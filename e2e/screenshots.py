"""The README's projector screenshots, from a real server and Chromium with a full, realistic room:
`.venv/bin/python -m e2e.screenshots` writes docs/screenshot-projector*.png (1920×1080)."""
from __future__ import annotations

import random
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from e2e.support.artifacts import ROOT
from e2e.support.chromium import CHROMIUM_ARGS, CHROMIUM_PATH
from e2e.support.links import projector_path
from e2e.support.room import Room
from tests.support.server import ServerProcess, create_board

PROJECTS = [
    ("La Ferme du Bonheur", "A greenhouse and two apprentices for the neighbourhood farm"),
    ("Radio Quartier", "A community radio run by the teenagers of the estate"),
    ("Le fournil solidaire", "Bread baked together, sold at a fair price"),
    ("Repair Café on wheels", "A cargo bike that brings repairs to every village"),
    ("Comics that teach code", "Kids learn programming one comic strip at a time"),
    ("Urban beehives", "Hives on school roofs, honey for the canteens"),
    ("The Cosmonaut", "A science-fiction film made with its community"),
    ("Seed library", "Free local seeds, swapped at the town library"),
    ("Choir for all", "A free choir for people who think they cannot sing"),
    ("Fab lab in a bus", "3D printers and laser cutters that travel to schools"),
    ("Zero-waste grocery", "Bulk food without packaging, run as a cooperative"),
    ("Tiny forest", "A Miyawaki forest planted by 300 neighbours"),
    ("Bike school", "Cycling lessons for adults who never learnt"),
    ("Board-game café", "A café where every table is a game night"),
    ("Podcast of elders", "Stories of the valley told by those who lived them"),
    ("Solar co-op", "Panels on the gym roof, owned by the town"),
    ("Street piano", "Pianos in the station, tuned by volunteers"),
    ("Community fridge", "Leftover food shared, not thrown away"),
    ("Dance for Parkinson", "Weekly dance sessions that help people move"),
    ("Theatre in the barn", "A summer festival in a restored barn"),
    ("Open sewing room", "Machines and teachers to mend your clothes"),
    ("Language café", "Newcomers and locals trading languages over coffee"),
    ("Night market", "Local makers, music and food once a month"),
    ("River clean-up", "Kayaks and volunteers against plastic in the river"),
]
NAMES = ["Ana", "Bruno", "Chloé", "Dario", "Eun-ji", "Fatou", "Gabriel", "Hana", "Ilyes", "Jade", "Kofi", "Léa"]
MAP = [("Mum and Dad", "inner", 2), ("Best friends", "inner", 6), ("Colleagues", "inner", 30), ("Neighbours", "inner", 40),
       ("Old classmates", "inner", 25), ("Local bakery", "network", 300), ("Farmers' market", "network", 800),
       ("Scout group", "network", 60), ("Town hall", "network", 1200), ("Parents' association", "network", 150),
       ("Food co-op", "network", 400), ("Local radio", "crowd", 20000), ("Regional paper", "crowd", 50000),
       ("Platform visitors", "crowd", 100000), ("Food bloggers", "crowd", 15000), ("Instagram followers", "crowd", 3000)]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        server = ServerProcess(f"sqlite:///{tmp}/shots.sqlite3", log_dir=Path(tmp)).start()
        try:
            shoot(server.url)
        finally:
            server.stop()


def shoot(url: str) -> None:
    created = create_board(url, title="How to build a community around your campaign")
    room = Room(url, created)
    rng = random.Random(7)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        screen = browser.new_page(viewport={"width": 1920, "height": 1080})
        screen.goto(url + projector_path(created))
        for _ in range(3):
            room.advance()
        for name in NAMES:
            room.join(name)
        ids = []
        for i, (title, pitch) in enumerate(PROJECTS):
            author = NAMES[i % len(NAMES)]
            ids.append(room.post(author, title, pitch))
        expect(screen.get_by_test_id("projector-wall")).to_have_attribute("data-pages", "3")
        screen.screenshot(path=str(ROOT / "docs" / "screenshot-projector.png"))
        room.advance()
        room.ok("host", "vote_open")
        for i, name in enumerate(NAMES):
            own = set(ids[i::len(NAMES)])
            for target in rng.sample([p for p in ids[:12] if p not in own], 3):
                room.ok(name, "vote_cast", project_id=target)
        room.ok("host", "vote_close")
        room.ok("host", "vote_reveal")
        expect(screen.get_by_test_id("ranking-row").first).to_be_visible()
        screen.screenshot(path=str(ROOT / "docs" / "screenshot-projector-ranking.png"))
        room.advance()
        for k, (label, ring, reach) in enumerate(MAP):
            room.ok(NAMES[k % len(NAMES)], "map_node_add", project_id=ids[0], label=label, ring=ring, reach=reach)
        room.ok("host", "spotlight_set", project_id=ids[0], view="map")
        expect(screen.get_by_test_id("projector-map")).to_have_attribute("data-drawn", "true")
        expect(screen.locator(".map-node")).to_have_count(len(MAP))
        screen.screenshot(path=str(ROOT / "docs" / "screenshot-projector-map.png"))
        browser.close()
    room.close()


if __name__ == "__main__":
    main()
