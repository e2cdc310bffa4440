"""A small export snapshot as plain dicts (no database), with hostile text in every field people type."""
from __future__ import annotations

import copy

# One line each: what the exports must show as text, intact, in every format.
HOSTILE_LINES = [
    "<script>alert('x')</script>",
    "</svg><svg onload=alert(1)><img src=x onerror=alert(2)>",
    "**not bold** _not em_ [not a link](javascript:alert(3)) `not code` | not | a | table |",
    '=HYPERLINK("http://evil.example","click")',
    "Fête 🎉❄️ 👩🏽‍🌾",
    "שלום עולם — مرحبا بالعالم",
    "&amp; &lt;b&gt; \\* backslash \\",
    "# not a heading",
    "1. not a list",
    "- not a list either",
    "> not a quote",
    "    four spaces, not code",
    "+33 6 00 00 00 00",
    "@mention {braces} ~~not struck~~",
]
HOSTILE_STORY = "\n".join(HOSTILE_LINES)
# Single-line fields (titles, labels) get shorter hostile values that fit their limits.
HOSTILE_TITLE = "<b>=SUM(A1)</b> 🎉 שלום"
HOSTILE_LABEL = "</svg><script>x</script>"
HOSTILE_NAME = "@Zoé <i>🎉</i> سارة"

_BASE = {
    "schema_version": 1,
    "kind": "snowball.board",
    "exported_at": "2026-06-03T18:30:00.000Z",
    "include_hidden": False,
    "board": {"code": "QXDWTQ", "title": "Atelier <script>alert(0)</script>", "language": "en",
              "starts_at": "2026-06-03T17:00", "created_at": "2026-06-01T15:00:00.000Z"},
    "phases": [
        {"position": 0, "kind": "join", "title": "Join", "duration_s": 300,
         "gates": {"posting": True, "voting": False, "mapping": False},
         "started_at": "2026-06-03T15:00:00.000Z", "ended_at": "2026-06-03T15:06:00.000Z"},
        {"position": 1, "kind": "custom", "title": "<em>Break</em> =1+1", "duration_s": 600,
         "gates": {"posting": False, "voting": False, "mapping": False}, "started_at": None, "ended_at": None},
    ],
    "participants": [
        {"id": 1, "name": HOSTILE_NAME, "joined_at": "2026-06-03T15:00:00.000Z", "no_device": False, "removed": False},
        {"id": 2, "name": "Ben", "joined_at": "2026-06-03T15:01:00.000Z", "no_device": False, "removed": False},
    ],
    "projects": [
        {"id": 10, "author_id": 1, "title": HOSTILE_TITLE, "pitch": "-" + HOSTILE_LINES[0], "story": HOSTILE_STORY,
         "category": "=cat", "goal_amount": 10000, "currency": "EUR", "platform": "@platform",
         "campaign_start": "2026-09-01", "campaign_end": "2026-10-01", "link": "https://example.org/?a=<b>&c=\"d\"",
         "created_at": "2026-06-03T15:10:00.000Z", "updated_at": "2026-06-03T15:10:00.000Z", "hidden": False},
        {"id": 11, "author_id": 2, "title": "Plain project", "pitch": "Simple", "story": "",
         "category": "", "goal_amount": None, "currency": "EUR", "platform": "", "campaign_start": None,
         "campaign_end": None, "link": "", "created_at": "2026-06-03T15:11:00.000Z",
         "updated_at": "2026-06-03T15:11:00.000Z", "hidden": False},
    ],
    "vote_rounds": [
        {"number": 1, "state": "revealed", "budget": 3, "cap": 1, "candidates": None,
         "ranking": [{"project_id": 10, "title": HOSTILE_TITLE, "dots": 5, "rank": 1},
                     {"project_id": 11, "title": "Plain project", "dots": 2, "rank": 2}],
         "opened_at": "2026-06-03T15:31:00.000Z", "closed_at": "2026-06-03T15:39:00.000Z",
         "revealed_at": "2026-06-03T15:40:00.000Z"},
    ],
    "tribe_maps": [
        {"project_id": 10, "settings": {"average_pledge": 30, "conversion_pct": 20},
         "nodes": [
             {"id": 100, "label": HOSTILE_LABEL, "kind": "person", "ring": "inner", "reach": 40, "x": 0.0, "y": -0.3,
              "added_by": 1},
             {"id": 101, "label": "שלום 🎉 مرحبا", "kind": "community", "ring": "network", "reach": 300, "x": 0.5,
              "y": 0.2, "added_by": 2},
             {"id": 102, "label": "=cmd|' /C calc'!A0", "kind": "media", "ring": "crowd", "reach": 9000, "x": -0.8,
              "y": 0.1, "added_by": 2},
         ],
         "links": [{"id": 200, "from_node_id": 100, "to_node_id": 101, "added_by": 1},
                   {"id": 201, "from_node_id": 101, "to_node_id": 102, "added_by": 2}],
         "plan_items": [
             {"id": 300, "what": HOSTILE_LINES[3], "node_id": 100, "ring": None, "when": "before_launch",
              "where": "+mail", "how": "\n".join(HOSTILE_LINES[:4]), "added_by": 1},
             {"id": 301, "what": "Launch post", "node_id": None, "ring": "crowd", "when": "launch_day",
              "where": "", "how": "", "added_by": 2},
         ],
         "email_drafts": [
             {"ring": "inner", "subject": HOSTILE_TITLE, "body": "Hi,\n\n" + HOSTILE_STORY + "\n~~~\n```",
              "updated_by": 1, "updated_at": "2026-06-03T16:00:00.000Z"},
         ]},
    ],
}


def sample_snapshot(language: str = "en") -> dict:
    """A fresh copy of the sample snapshot in `language`."""
    snapshot = copy.deepcopy(_BASE)
    snapshot["board"]["language"] = language
    return snapshot
