"""The printable HTML exports: one self-contained page (inline CSS and SVG, A4, no network, no script)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..domain.momentum import TARGET_PCT
from . import map_svg
from . import view as views
from .i18n import Words, isolate

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # Autoescape everything: every piece of user text reaches the page as text.
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=1)
def _css() -> Markup:
    # Our own stylesheet, inlined as is (autoescaping would break its quotes).
    return Markup((TEMPLATES / "export.css").read_text(encoding="utf-8"))


def _common(snapshot: dict) -> dict:
    words = Words(snapshot["board"]["language"])
    return {
        "snapshot": snapshot,
        "w": words,
        "css": _css(),
        "svg": map_svg.render,
        "isolate": isolate,
        "target_pct": TARGET_PCT,
        "lasted_s": views.phase_lasted_s,
        "ring_names": {ring: words.ring(ring) for ring in ("inner", "network", "crowd")},
    }


def render_summary(snapshot: dict) -> str:
    """The facilitator's board summary: run of show, participation, rankings, one page per project."""
    template = _environment().get_template("summary.html")
    return template.render(**_common(snapshot), participation=views.participation(snapshot),
                           projects=views.ranked_projects(snapshot))


def render_booklet(snapshot: dict, participant_id: int) -> str:
    """One participant's booklet: their projects, votes, maps, plans, momentum, e-mail drafts, checklist."""
    person = views.participant(snapshot, participant_id)
    template = _environment().get_template("booklet.html")
    return template.render(**_common(snapshot), name=person["name"] if person else "?",
                           projects=views.booklet_projects(snapshot, participant_id))
