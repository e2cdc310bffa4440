"""What every export format shows, computed once from the snapshot: ranking order, votes, plan, momentum.

The snapshot is the JSON archive's content (see `server/services/archive/exports.py`); this module reads it
and derives the reader's view, so Markdown, HTML, PDF and CSV say the same things.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..domain import email_drafts, momentum as momentum_rules
from ..domain.tribe_maps import DEFAULT_AVERAGE_PLEDGE, DEFAULT_CONVERSION_PCT, PHASES, RINGS
from .i18n import parse_utc


@dataclass(frozen=True)
class VoteLine:
    """A project's result in one revealed round."""

    round: int
    dots: int
    rank: int
    count: int


@dataclass(frozen=True)
class PlanEntry:
    """A share-plan item with its addressee resolved to a name (a node's label or a ring)."""

    item: dict
    node_label: str | None
    ring: str | None


@dataclass(frozen=True)
class Draft:
    """An e-mail draft for one ring: the author's saved one, or the template's suggestion."""

    ring: str
    subject: str
    body: str
    saved: bool


@dataclass
class ProjectView:
    """One project as the exports present it."""

    project: dict
    author_name: str | None
    votes: list[VoteLine]
    tribe_map: dict
    plan: list[tuple[str, list[PlanEntry]]]
    momentum: momentum_rules.Momentum
    contributors: list[str]
    drafts: list[Draft]
    node_labels: dict[int, str] = field(default_factory=dict)

    @property
    def id(self) -> int:
        return self.project["id"]

    @property
    def hidden(self) -> bool:
        return bool(self.project.get("hidden"))

    @property
    def latest_vote(self) -> VoteLine | None:
        """The result of the last revealed round this project took part in."""
        return self.votes[-1] if self.votes else None


EMPTY_MAP_SETTINGS = {"average_pledge": DEFAULT_AVERAGE_PLEDGE, "conversion_pct": DEFAULT_CONVERSION_PCT}


def participant_names(snapshot: dict) -> dict[int, str]:
    """participant id -> display name."""
    return {p["id"]: p["name"] for p in snapshot["participants"]}


def revealed_rounds(snapshot: dict) -> list[dict]:
    """Rounds whose ranking was revealed, oldest first."""
    return [r for r in snapshot["vote_rounds"] if r["state"] == "revealed" and r["ranking"] is not None]


def _votes_of(project_id: int, rounds: list[dict]) -> list[VoteLine]:
    lines = []
    for vote_round in rounds:
        for entry in vote_round["ranking"]:
            if entry["project_id"] == project_id:
                lines.append(VoteLine(vote_round["number"], entry["dots"], entry["rank"], len(vote_round["ranking"])))
    return lines


def plan_timeline(tribe_map: dict) -> list[tuple[str, list[PlanEntry]]]:
    """The share plan as a timeline: campaign phases in order, items in the order they were added."""
    labels = {n["id"]: n["label"] for n in tribe_map["nodes"]}
    ring_of_node = {n["id"]: n["ring"] for n in tribe_map["nodes"]}
    timeline = []
    for phase in PHASES:
        items = sorted((i for i in tribe_map["plan_items"] if i["when"] == phase), key=lambda i: i["id"])
        if items:
            timeline.append((phase, [
                PlanEntry(i, labels.get(i["node_id"]) if i["node_id"] is not None else None,
                          i["ring"] if i["ring"] is not None else ring_of_node.get(i["node_id"]))
                for i in items
            ]))
    return timeline


def _contributors(tribe_map: dict, names: dict[int, str]) -> list[str]:
    ids = {row["added_by"] for key in ("nodes", "links", "plan_items") for row in tribe_map[key]}
    return sorted((names[i] for i in ids if i in names), key=str.casefold)


def _drafts(language: str, project: dict, tribe_map: dict) -> list[Draft]:
    saved = {d["ring"]: d for d in tribe_map["email_drafts"]}
    drafts = []
    for ring in RINGS:
        if ring in saved:
            drafts.append(Draft(ring, saved[ring]["subject"], saved[ring]["body"], True))
        else:
            made = email_drafts.compose(language, ring, project, tribe_map["plan_items"], tribe_map["nodes"])
            drafts.append(Draft(ring, made["subject"], made["body"], False))
    return drafts


def empty_map(project_id: int) -> dict:
    """The map of a project nobody mapped yet."""
    return {"project_id": project_id, "settings": dict(EMPTY_MAP_SETTINGS), "nodes": [], "links": [],
            "plan_items": [], "email_drafts": []}


def project_view(snapshot: dict, project: dict, rounds: list[dict] | None = None) -> ProjectView:
    """Everything the exports say about one project."""
    names = participant_names(snapshot)
    rounds = revealed_rounds(snapshot) if rounds is None else rounds
    maps = {m["project_id"]: m for m in snapshot["tribe_maps"]}
    tribe_map = maps.get(project["id"]) or empty_map(project["id"])
    labels = {n["id"]: n["label"] for n in tribe_map["nodes"]}
    settings = tribe_map["settings"]
    meter = momentum_rules.momentum(project.get("goal_amount"), momentum_rules.inner_reach(tribe_map["nodes"]),
                                    settings["average_pledge"], settings["conversion_pct"])
    return ProjectView(
        project=project,
        author_name=names.get(project["author_id"]) if project["author_id"] is not None else None,
        votes=_votes_of(project["id"], rounds),
        tribe_map=tribe_map,
        plan=plan_timeline(tribe_map),
        momentum=meter,
        contributors=_contributors(tribe_map, names),
        drafts=_drafts(snapshot["board"]["language"], project, tribe_map),
        node_labels=labels,
    )


def ranked_projects(snapshot: dict) -> list[ProjectView]:
    """Projects in ranking order: by the latest revealed round, then earlier rounds, then posting order."""
    rounds = revealed_rounds(snapshot)
    views = [project_view(snapshot, p, rounds) for p in snapshot["projects"]]
    unranked = 10**9

    def key(view: ProjectView) -> tuple:
        by_round = {line.round: line.rank for line in view.votes}
        return (*(by_round.get(r["number"], unranked) for r in reversed(rounds)), view.id)

    return sorted(views, key=key)


def participation(snapshot: dict) -> list[tuple[str, dict, int]]:
    """The participation figures: (i18n key, its params, value)."""
    maps = snapshot["tribe_maps"]
    contributors = {row["added_by"] for m in maps for key in ("nodes", "links", "plan_items") for row in m[key]
                    if row["added_by"] is not None}
    figures = [
        ("part.participants", {}, len(snapshot["participants"])),
        ("part.projects", {}, len(snapshot["projects"])),
        ("part.authors", {}, len({p["author_id"] for p in snapshot["projects"] if p["author_id"] is not None})),
        ("part.map_contributors", {}, len(contributors)),
        ("part.nodes", {}, sum(len(m["nodes"]) for m in maps)),
        ("part.plan_items", {}, sum(len(m["plan_items"]) for m in maps)),
    ]
    for vote_round in revealed_rounds(snapshot):
        figures.append(("part.dots", {"round": vote_round["number"]}, sum(e["dots"] for e in vote_round["ranking"])))
    return figures


def phase_lasted_s(phase: dict) -> int | None:
    """How long a phase really ran (None if it never ended)."""
    start, end = parse_utc(phase.get("started_at")), parse_utc(phase.get("ended_at"))
    if start is None or end is None:
        return None
    return int((end - start).total_seconds())


def booklet_projects(snapshot: dict, participant_id: int) -> list[ProjectView]:
    """The projects one participant posted, in posting order."""
    return [project_view(snapshot, p) for p in snapshot["projects"] if p["author_id"] == participant_id]


def participant(snapshot: dict, participant_id: int) -> dict | None:
    """One participant of the snapshot, if present."""
    return next((p for p in snapshot["participants"] if p["id"] == participant_id), None)
