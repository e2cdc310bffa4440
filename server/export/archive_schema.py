"""What a JSON archive may contain, checked strictly before anything is written (schema version 1).

Two passes: pydantic checks shapes, types and sizes (unknown keys, "3" for 3, NaN and oversized
texts or lists are refused); `check_integrity` then checks what pydantic cannot see — that every
reference points at something in the archive, ids are unique, and the domain's own rules hold.
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from ..domain import boards as board_rules
from ..domain import email_drafts as draft_rules
from ..domain import limits
from ..domain import participants as participant_rules
from ..domain import phases as phase_rules
from ..domain import projects as project_rules
from ..domain import tribe_maps as map_rules
from ..domain import votes as vote_rules
from ..domain.errors import DomainError
from .json_archive import KIND, SCHEMA_VERSION

# A board with every count and every text at its limit holds about 37 million characters (mostly
# share-plan messages); in UTF-8 that is 40 to 60 MB for Latin text, up to 4 bytes a character for
# emoji. The archive of any board the product allows must import back.
MAX_ARCHIVE_BYTES = 160 * 1024 * 1024
ERRORS_SHOWN = 10


def _moment(value: str | None) -> str | None:
    if value is not None:
        datetime.fromisoformat(value.removesuffix("Z"))  # ValueError -> a validation error naming the field
    return value


Id = Annotated[int, Field(ge=1, le=2**53)]
Moment = Annotated[str | None, Field(max_length=40), AfterValidator(_moment)]
Ring = Literal["inner", "network", "crowd"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ArchiveBoard(_Strict):
    code: str = Field(max_length=12)
    title: str = Field(max_length=limits.BOARD_TITLE_MAX)
    language: Literal["fr", "en"]
    starts_at: str | None = Field(default=None, max_length=32)
    created_at: Moment = None


class ArchivePhase(_Strict):
    position: int = Field(ge=0, le=phase_rules.PHASES_MAX + 1)
    kind: Literal[phase_rules.KINDS]  # type: ignore[valid-type]
    title: str = Field(max_length=phase_rules.PHASE_TITLE_MAX)
    duration_s: int = Field(ge=60, le=phase_rules.PHASE_DURATION_MAX_S)
    gates: dict[Literal[phase_rules.GATES], bool]  # type: ignore[valid-type]
    started_at: Moment = None
    ended_at: Moment = None


class ArchiveParticipant(_Strict):
    id: Id
    name: str = Field(max_length=limits.DISPLAY_NAME_MAX)
    joined_at: Moment = None
    no_device: bool = False
    removed: bool = False


class ArchiveProject(_Strict):
    id: Id
    author_id: Id | None
    title: str = Field(max_length=limits.PROJECT_TITLE_MAX)
    pitch: str = Field(max_length=limits.PROJECT_PITCH_MAX)
    story: str = Field(max_length=limits.PROJECT_STORY_MAX)
    category: str = Field(max_length=limits.PROJECT_CATEGORY_MAX)
    goal_amount: int | None = Field(ge=0, le=limits.PROJECT_GOAL_MAX)
    currency: Literal[project_rules.CURRENCIES]  # type: ignore[valid-type]
    platform: str = Field(max_length=limits.PROJECT_PLATFORM_MAX)
    campaign_start: str | None = Field(max_length=10)
    campaign_end: str | None = Field(max_length=10)
    link: str = Field(max_length=limits.PROJECT_LINK_MAX)
    created_at: Moment = None
    updated_at: Moment = None
    hidden: bool = False


class RankingEntry(_Strict):
    project_id: Id
    title: str = Field(max_length=limits.PROJECT_TITLE_MAX)
    dots: int = Field(ge=0, le=limits.PARTICIPANTS_PER_BOARD * vote_rules.BUDGET_MAX)
    rank: int = Field(ge=1, le=limits.PROJECTS_PER_BOARD)


class ArchiveRound(_Strict):
    number: int = Field(ge=1, le=vote_rules.ROUNDS_PER_BOARD)
    state: Literal["not_started", "open", "closed", "revealed"]
    budget: int
    cap: int
    candidates: list[Id] | None = Field(max_length=limits.PROJECTS_PER_BOARD)
    ranking: list[RankingEntry] | None = Field(max_length=limits.PROJECTS_PER_BOARD)
    opened_at: Moment = None
    closed_at: Moment = None
    revealed_at: Moment = None


class MapSettings(_Strict):
    average_pledge: int
    conversion_pct: int


class ArchiveNode(_Strict):
    id: Id
    label: str = Field(max_length=map_rules.NODE_LABEL_MAX)
    kind: Literal[map_rules.KINDS]  # type: ignore[valid-type]
    ring: Ring
    reach: int = Field(ge=0, le=map_rules.REACH_MAX)
    x: float = Field(ge=-1.5, le=1.5, allow_inf_nan=False)
    y: float = Field(ge=-1.5, le=1.5, allow_inf_nan=False)
    added_by: Id | None


class ArchiveLink(_Strict):
    id: Id
    from_node_id: Id
    to_node_id: Id
    added_by: Id | None


class ArchivePlanItem(_Strict):
    id: Id
    what: str = Field(max_length=map_rules.PLAN_WHAT_MAX)
    node_id: Id | None
    ring: Ring | None
    when: Literal[map_rules.PHASES]  # type: ignore[valid-type]
    where: str = Field(max_length=map_rules.PLAN_WHERE_MAX)
    how: str = Field(max_length=map_rules.PLAN_HOW_MAX)
    added_by: Id | None


class ArchiveDraft(_Strict):
    ring: Ring
    subject: str = Field(max_length=draft_rules.EMAIL_SUBJECT_MAX)
    body: str = Field(max_length=draft_rules.EMAIL_BODY_MAX)
    updated_by: Id | None
    updated_at: Moment = None


class ArchiveMap(_Strict):
    project_id: Id
    settings: MapSettings
    nodes: list[ArchiveNode] = Field(max_length=map_rules.NODES_PER_MAP)
    links: list[ArchiveLink] = Field(max_length=map_rules.LINKS_PER_MAP)
    plan_items: list[ArchivePlanItem] = Field(max_length=map_rules.PLAN_ITEMS_PER_MAP)
    email_drafts: list[ArchiveDraft] = Field(max_length=3)


class Archive(_Strict):
    schema_version: int
    kind: Literal["snowball.board"]
    exported_at: Moment = None
    include_hidden: bool = False
    board: ArchiveBoard
    phases: list[ArchivePhase] = Field(max_length=phase_rules.PHASES_MAX + 1)
    participants: list[ArchiveParticipant] = Field(max_length=limits.PARTICIPANTS_PER_BOARD)
    projects: list[ArchiveProject] = Field(max_length=limits.PROJECTS_PER_BOARD)
    vote_rounds: list[ArchiveRound] = Field(max_length=vote_rules.ROUNDS_PER_BOARD)
    tribe_maps: list[ArchiveMap] = Field(max_length=limits.PROJECTS_PER_BOARD)


def _invalid(message: str, path: str, **params: object) -> DomainError:
    return DomainError("invalid_archive", f"{path}: {message}" if path else message, path=path, **params)


def _path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse(raw: bytes | str) -> Archive:
    """Parse and shape-check an archive, or raise DomainError `invalid_archive` saying where and why."""
    size = len(raw.encode("utf-8") if isinstance(raw, str) else raw)
    if size > MAX_ARCHIVE_BYTES:
        raise DomainError("archive_too_large", f"the archive is larger than {MAX_ARCHIVE_BYTES // (1024 * 1024)} MiB",
                          limit=MAX_ARCHIVE_BYTES)
    _check_version(raw)
    try:
        archive = Archive.model_validate_json(raw)
    except ValidationError as error:
        issues = error.errors(include_url=False, include_input=False, include_context=False)
        first = issues[0]
        details = [{"path": _path(e["loc"]), "message": e["msg"]} for e in issues[:ERRORS_SHOWN]]
        raise _invalid(first["msg"], _path(first["loc"]), errors=details, error_count=len(issues)) from None
    check_integrity(archive)
    return archive


def _check_version(raw: bytes | str) -> None:
    """A clear word for an archive from another version, before its shape is judged."""
    import json

    try:
        head = json.loads(raw)
    except (ValueError, RecursionError):
        raise _invalid("this file is not valid JSON", "") from None
    if not isinstance(head, dict):
        raise _invalid("an archive is a JSON object", "")
    version = head.get("schema_version")
    if head.get("kind") != KIND:
        raise _invalid("this is not a Snowball board archive", "kind")
    if version != SCHEMA_VERSION or isinstance(version, bool):
        raise DomainError("unsupported_archive_version",
                          f"archive schema_version {str(version)[:10]} is not supported (this server reads {SCHEMA_VERSION})",
                          path="schema_version", supported=[SCHEMA_VERSION])


def _unique(ids: list[int], path: str) -> set[int]:
    seen: set[int] = set()
    for index, value in enumerate(ids):
        if value in seen:
            raise _invalid(f"id {value} appears twice", f"{path}[{index}].id")
        seen.add(value)
    return seen


def _domain(path: str, check) -> object:
    """Run a domain rule; its DomainError becomes an archive error naming where it happened."""
    try:
        return check()
    except DomainError as error:
        field = error.params.get("field")
        raise _invalid(error.message, f"{path}.{field}" if field else path, rule=error.code) from None


def _ref(value: int | None, known: set[int], path: str, what: str) -> None:
    if value is not None and value not in known:
        raise _invalid(f"refers to {what} {value}, which is not in the archive", path)


def check_integrity(archive: Archive) -> None:
    """References, unique ids, limits and domain rules that a shape check cannot see."""
    language = archive.board.language
    _domain("board", lambda: board_rules.clean_title(archive.board.title))
    _domain("board", lambda: board_rules.clean_starts_at(archive.board.starts_at))
    people = _unique([p.id for p in archive.participants], "participants")
    for i, person in enumerate(archive.participants):
        _domain(f"participants[{i}]", lambda person=person: participant_rules.clean_display_name(person.name))
    _check_phases(archive, language)
    projects = _unique([p.id for p in archive.projects], "projects")
    per_author: dict[int, int] = {}
    for i, project in enumerate(archive.projects):
        path = f"projects[{i}]"
        _ref(project.author_id, people, f"{path}.author_id", "participant")
        if project.author_id is not None:
            per_author[project.author_id] = per_author.get(project.author_id, 0) + 1
            if per_author[project.author_id] > limits.PROJECTS_PER_PARTICIPANT:
                raise _invalid(f"limit reached: projects_per_participant ({limits.PROJECTS_PER_PARTICIPANT})", path)
        _domain(path, lambda project=project: project_rules.validate_fields(project.model_dump()))
    _check_rounds(archive, projects)
    _check_maps(archive, projects, people)


def _check_phases(archive: Archive, language: str) -> None:
    positions = [phase.position for phase in archive.phases]
    if len(set(positions)) != len(positions):
        raise _invalid("two phases share a position", "phases")
    for i, phase in enumerate(archive.phases):
        _domain(f"phases[{i}]", lambda phase=phase: phase_rules.clean_phase(
            phase.kind, phase.title, phase.duration_s, dict(phase.gates), language))


def _check_rounds(archive: Archive, projects: set[int]) -> None:
    numbers = [r.number for r in archive.vote_rounds]
    if numbers != list(range(1, len(numbers) + 1)):
        raise _invalid("rounds are numbered 1, 2, 3… in order", "vote_rounds")
    for i, vote_round in enumerate(archive.vote_rounds):
        path = f"vote_rounds[{i}]"
        _domain(path, lambda r=vote_round: vote_rules.clean_settings(r.budget, r.cap))
        for j, pid in enumerate(vote_round.candidates or []):
            _ref(pid, projects, f"{path}.candidates[{j}]", "project")
        if (vote_round.state == "revealed") != (vote_round.ranking is not None):
            raise _invalid("a round has a ranking exactly when it is revealed", f"{path}.ranking")
        ranked = [entry.project_id for entry in vote_round.ranking or []]
        if len(set(ranked)) != len(ranked):
            raise _invalid("a project is ranked twice", f"{path}.ranking")
        for j, pid in enumerate(ranked):
            _ref(pid, projects, f"{path}.ranking[{j}].project_id", "project")


def _check_maps(archive: Archive, projects: set[int], people: set[int]) -> None:
    mapped: set[int] = set()
    nodes_seen: set[int] = set()
    for i, tribe_map in enumerate(archive.tribe_maps):
        path = f"tribe_maps[{i}]"
        _ref(tribe_map.project_id, projects, f"{path}.project_id", "project")
        if tribe_map.project_id in mapped:
            raise _invalid("a project has two maps", f"{path}.project_id")
        mapped.add(tribe_map.project_id)
        _domain(f"{path}.settings", lambda s=tribe_map.settings: map_rules.validate_settings(s.average_pledge, s.conversion_pct))
        nodes = _unique([n.id for n in tribe_map.nodes], f"{path}.nodes")
        if nodes & nodes_seen:
            raise _invalid("a node id is used on two maps", f"{path}.nodes")
        nodes_seen |= nodes
        for j, node in enumerate(tribe_map.nodes):
            _domain(f"{path}.nodes[{j}]", lambda n=node: map_rules.validate_node(n.model_dump()))
            _ref(node.added_by, people, f"{path}.nodes[{j}].added_by", "participant")
        _unique([link.id for link in tribe_map.links], f"{path}.links")
        pairs: set[tuple[int, int]] = set()
        for j, link in enumerate(tribe_map.links):
            where = f"{path}.links[{j}]"
            _ref(link.from_node_id, nodes, f"{where}.from_node_id", "node")
            _ref(link.to_node_id, nodes, f"{where}.to_node_id", "node")
            _ref(link.added_by, people, f"{where}.added_by", "participant")
            _domain(where, lambda link=link: map_rules.check_link(link.from_node_id, link.to_node_id, pairs))
            pairs.add((link.from_node_id, link.to_node_id))
        _unique([item.id for item in tribe_map.plan_items], f"{path}.plan_items")
        for j, item in enumerate(tribe_map.plan_items):
            where = f"{path}.plan_items[{j}]"
            _domain(where, lambda item=item: map_rules.validate_plan_item(item.model_dump()))
            _ref(item.node_id, nodes, f"{where}.node_id", "node")
            _ref(item.added_by, people, f"{where}.added_by", "participant")
        rings = [d.ring for d in tribe_map.email_drafts]
        if len(set(rings)) != len(rings):
            raise _invalid("two e-mail drafts for one ring", f"{path}.email_drafts")
        for j, draft in enumerate(tribe_map.email_drafts):
            _domain(f"{path}.email_drafts[{j}]", lambda d=draft: draft_rules.validate_draft(d.ring, d.subject, d.body))
            _ref(draft.updated_by, people, f"{path}.email_drafts[{j}].updated_by", "participant")
