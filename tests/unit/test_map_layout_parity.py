"""The screens and the exports place a map's words alike: client/js/views/maps/map_layout.js (run by Node) and
server/export/map_layout.py give the same labels at the same places for the same map."""
from __future__ import annotations

import itertools
import json
import subprocess
from pathlib import Path

import pytest

from server.domain import tribe_maps as rules
from server.export import map_layout, map_svg

pytestmark = pytest.mark.unit
MODULE = Path(__file__).resolve().parents[2] / "client" / "js" / "views" / "maps" / "map_layout.js"
RUN = """
const { nodeLabels, ringLabels, titleLines } = await import(process.argv[1]);
const input = JSON.parse(process.argv[2]);
const rings = ringLabels(input.names, 22, input.nodes.map((n) => [n.x, n.y, n.r]));
const labels = nodeLabels(input.nodes, 26, 22, Object.values(rings).map((w) => w.box));
const round = (w) => [w.text, Math.round(w.x * 100) / 100, Math.round(w.baseline * 100) / 100];
console.log(JSON.stringify({
  rings: Object.fromEntries(Object.entries(rings).map(([k, w]) => [k, round(w)])),
  labels: Object.fromEntries([...labels].map(([id, w]) => [id, round(w)])),
  title: titleLines(input.title, 24),
}));
"""


def _map(count: int) -> list[dict]:
    labels = ["Colleagues", "Local bakery", "Platform visitors", "Maman et Papa", "שלום 🎉 مرحبا", "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
              "Association des commerçants du quartier Saint-Michel"]
    nodes = []
    for i, ring, label in zip(range(count), itertools.cycle(rules.RINGS), itertools.cycle(labels)):
        pos = rules.default_position(ring, i // 3)
        nodes.append({"id": i + 1, "label": f"{label} {i}", "kind": "person", "ring": ring, "reach": 10 ** (i % 6),
                      "x": pos.x, "y": pos.y})
    return nodes


@pytest.mark.parametrize("count", [4, 40, rules.NODES_PER_MAP])
def test_the_javascript_and_python_layouts_agree(count):
    nodes = _map(count)
    names = {"inner": "INNER CIRCLE", "network": "NETWORK", "crowd": "CROWD"}
    title = "Fromagerie solidaire du quartier"
    rings, labels = map_svg.layout({"nodes": nodes}, {k: v.lower() for k, v in names.items()})
    size, lines = map_layout.title_lines(title, 24)
    shown = [{"id": n["id"], "x": n["x"] * map_svg.SCALE, "y": n["y"] * map_svg.SCALE, "r": map_svg.node_radius(n["reach"]),
              "label": n["label"], "reach": n["reach"]} for n in nodes]
    out = subprocess.run(["node", "--input-type=module", "-e", RUN, MODULE.as_uri(),
                          json.dumps({"nodes": shown, "names": names, "title": title})],
                         capture_output=True, text=True, timeout=60, check=True)
    js = json.loads(out.stdout)
    as_list = lambda w: [w.text, round(w.x, 2), round(w.baseline, 2)]  # noqa: E731
    assert js["rings"] == {ring: as_list(w) for ring, w in rings.items()}
    assert js["labels"] == {str(node_id): as_list(w) for node_id, w in labels.items()}
    assert js["title"] == {"size": size, "lines": lines}
    assert len(labels) >= min(count, 10)
