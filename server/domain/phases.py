"""The run of show: the agenda of phases, what each phase gates, and how the show moves on."""
from __future__ import annotations

from dataclasses import dataclass, field

from . import limits
from .errors import DomainError

GATES = ("posting", "voting", "mapping")
KINDS = ("join", "values", "post", "vote", "maps", "wrapup", "custom")

# Show status: nothing started yet / a phase is current / the last phase was closed.
IDLE = "idle"
RUNNING = "running"
PAUSED = "paused"
ENDED = "ended"

PHASE_TITLE_MAX = 60
PHASE_DURATION_MAX_S = 4 * 60 * 60
PHASES_MAX = 20

_TITLES = {
    "join": {"en": "Join", "fr": "Accueil"},
    "values": {"en": "Values", "fr": "Valeurs"},
    "post": {"en": "Post your project", "fr": "Postez votre projet"},
    "vote": {"en": "Story vote", "fr": "Vote des histoires"},
    "maps": {"en": "Tribe maps", "fr": "Cartes de tribu"},
    "wrapup": {"en": "Wrap-up", "fr": "Conclusion"},
    "custom": {"en": "New phase", "fr": "Nouvelle phase"},
}

# Posting stays open until the vote opens; maps open in their own phase (PRODUCT.md run of show).
_DEFAULTS = (
    ("join", 5 * 60, {"posting": True, "voting": False, "mapping": False}),
    ("values", 10 * 60, {"posting": True, "voting": False, "mapping": False}),
    ("post", 15 * 60, {"posting": True, "voting": False, "mapping": False}),
    ("vote", 10 * 60, {"posting": False, "voting": True, "mapping": False}),
    ("maps", 35 * 60, {"posting": False, "voting": False, "mapping": True}),
    ("wrapup", 15 * 60, {"posting": False, "voting": False, "mapping": False}),
)


@dataclass(frozen=True)
class PhaseSpec:
    """One agenda item as the facilitator sets it."""

    kind: str
    title: str
    duration_s: int
    gates: dict[str, bool] = field(default_factory=dict)


def default_title(kind: str, language: str) -> str:
    """The name of a phase kind in the board's language."""
    names = _TITLES.get(kind, _TITLES["custom"])
    return names.get(language, names["en"])


def default_agenda(language: str) -> list[PhaseSpec]:
    """Join, Values, Post your project, Story vote, Tribe maps, Wrap-up."""
    return [PhaseSpec(kind, default_title(kind, language), seconds, dict(gates)) for kind, seconds, gates in _DEFAULTS]


def clean_phase(kind: str, title: str, duration_s: int, gates: dict[str, bool], language: str) -> PhaseSpec:
    """Check one agenda item; an empty title takes the kind's name."""
    if kind not in KINDS:
        raise DomainError("invalid_choice", "unknown phase kind", field="kind", choices=list(KINDS))
    title = limits.check_text("title", title, PHASE_TITLE_MAX) or default_title(kind, language)
    if not 60 <= duration_s <= PHASE_DURATION_MAX_S:
        raise DomainError("out_of_range", "a phase lasts 1 minute to 4 hours", field="duration_s",
                          minimum=60, maximum=PHASE_DURATION_MAX_S)
    unknown = set(gates) - set(GATES)
    if unknown:
        raise DomainError("invalid_choice", "unknown gate", field="gates", choices=list(GATES))
    return PhaseSpec(kind, title, duration_s, {gate: bool(gates.get(gate, False)) for gate in GATES})


def check_agenda(existing: list[tuple[int, bool]], proposed_ids: list[int | None]) -> None:
    """A new agenda keeps every phase that already started, first and in its order; others are free.

    `existing` is [(phase_id, has_started)] in agenda order; `proposed_ids` the new order (None = new phase).
    """
    if not proposed_ids:
        raise DomainError("required", "the agenda needs at least one phase", field="phases")
    limits.check_count("phases_per_board", len(proposed_ids) - 1, PHASES_MAX)
    known = {pid for pid, _ in existing}
    listed = [pid for pid in proposed_ids if pid is not None]
    if len(listed) != len(set(listed)):
        raise DomainError("invalid_agenda", "a phase appears twice", field="phases")
    if set(listed) - known:
        raise DomainError("phase_not_found", "this phase is not on the agenda (any more)", field="phases")
    started = [pid for pid, has_started in existing if has_started]
    # The real history of the session cannot be rewritten: the export shows "how the session ran".
    if list(proposed_ids[: len(started)]) != started:
        raise DomainError("phase_already_ran", "phases that already ran stay first, in their order", field="phases")


def check_advance(current_phase_id: int | None, from_phase_id: int | None) -> None:
    """Advancing is refused when the show already moved on from the phase the facilitator saw.

    A double click or a second console tab would otherwise skip a phase.
    """
    if from_phase_id != current_phase_id:
        raise DomainError("phase_changed", "the show already moved on; look again", current_phase_id=current_phase_id)


def plan_advance(agenda: list[tuple[int, bool]], to_phase_id: int | None = None) -> tuple[list[int], int | None]:
    """The agenda order after advancing, and the phase that starts now (None: the show ends).

    `agenda` is [(phase_id, has_started)] in order. The next phase is the first that has not run;
    a chosen `to_phase_id` (not run yet) moves right after those that ran, so history stays in order.
    """
    ran = [pid for pid, started in agenda if started]
    upcoming = [pid for pid, started in agenda if not started]
    if to_phase_id is not None:
        if to_phase_id not in upcoming:
            raise DomainError("phase_not_found", "this phase is not waiting to run", phase_id=to_phase_id)
        upcoming.remove(to_phase_id)
        upcoming.insert(0, to_phase_id)
    return ran + upcoming, (upcoming[0] if upcoming else None)


def require_known_gate(gate: str) -> None:
    """A gate the server names itself must be one of GATES (a typo in the code, not a client's input)."""
    if gate not in GATES:
        raise ValueError(f"unknown gate {gate!r}")


def gate_is_open(gate: str, status: str, phase_gates: dict[str, bool] | None, overrides: dict[str, bool]) -> bool:
    """Whether `gate` is open: the facilitator's override, else the current phase's setting.

    Before the show starts every gate is open (a board works without a run of show); after the
    last phase the last phase's settings stay.
    """
    require_known_gate(gate)
    if gate in overrides:
        return bool(overrides[gate])
    if status == IDLE or phase_gates is None:
        return True
    return bool(phase_gates.get(gate, False))


def open_gates(status: str, phase_gates: dict[str, bool] | None, overrides: dict[str, bool]) -> dict[str, bool]:
    """Every gate's state, as clients show it."""
    return {gate: gate_is_open(gate, status, phase_gates, overrides) for gate in GATES}


def clean_override(gate: str, value: bool | None) -> tuple[str, bool | None]:
    """A facilitator override: open, closed, or None to follow the phase again."""
    if gate not in GATES:
        raise DomainError("invalid_choice", "unknown gate", field="gate", choices=list(GATES))
    return gate, value
