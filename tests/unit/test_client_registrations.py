"""Every capability of the client registers itself (client/js/capabilities.js), and nothing is missing:
each event type has a reducer, each phase kind and spotlight view a projector stage, and every view
module that registers something is loaded."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from server.domain import moderation, phases
from server.realtime import events
from tests.support.client_js import CLIENT_JS, call_client, client_modules

pytestmark = pytest.mark.unit
CAPABILITIES = "capabilities.js"
IMPORT = re.compile(r"""(?:\bfrom\s+|^\s*import\s+|\bimport\s*\(\s*)["'](\.{1,2}/[^"']+)["']""", re.M)
# A call at a module's top level (or in a loop there) that registers: a view's, or a state module's.
REGISTERS = re.compile(r"^\s*(?:for \(.*\) )?(?:register(?:Panel|CardExtension|HashView|Stage)|onEvent|onSnapshot|onAck|keepLocal)\(", re.M)


def registered() -> tuple[list[str], list[str]]:
    """(event types with a reducer, projector stage names) once every capability is loaded, as in the browser."""
    [stages] = call_client("views/registry.js", [{"fn": "stageNames"}], preload=(CAPABILITIES,))
    [known] = call_client("state/store.js", [{"fn": "knownEventTypes"}], preload=(CAPABILITIES,))
    return known["value"], stages["value"]


def test_every_event_type_has_a_reducer_and_every_phase_and_spotlight_a_stage():
    reducers, stages = registered()
    assert sorted(set(reducers)) == sorted(events.EVENT_TYPES)
    assert sorted(stages) == sorted([*phases.KINDS, *(f"spotlight:{view}" for view in moderation.SPOTLIGHT_VIEWS)])


def test_a_stage_nobody_registered_fails_loudly():
    [answer] = call_client("views/registry.js", [{"fn": "makeStage", "args": ["questions", {}, {}]}], preload=(CAPABILITIES,))
    assert answer == {"error": 'no projector stage registered for "questions"'}


def _imports(path: Path) -> set[Path]:
    return {(path.parent / spec).resolve() for spec in IMPORT.findall(path.read_text(encoding="utf-8"))}


def test_every_module_that_registers_something_is_loaded_by_the_capabilities_list():
    seen, todo = set(), [(CLIENT_JS / CAPABILITIES).resolve()]
    while todo:
        path = todo.pop()
        if path not in seen:
            seen.add(path)
            todo.extend(_imports(path) - seen)
    registering = {path.resolve() for path in client_modules() if REGISTERS.search(path.read_text(encoding="utf-8"))
                   and path.name != "registry.js"}
    assert len(registering) > 20  # the reducers, panels, card extensions, hash views and stages of every capability
    assert sorted(str(p.relative_to(CLIENT_JS)) for p in registering - seen) == []
