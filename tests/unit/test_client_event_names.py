"""The client names the protocol through client/js/net/events.js only (never a bare string)."""
from __future__ import annotations

import pytest

from server.realtime import events
from tests.support.client_js import CLIENT_JS, client_modules, string_literals

pytestmark = pytest.mark.unit
NAMES = {*events.COMMANDS, *events.REQUESTS, *events.EVENT_TYPES, *events.EPHEMERAL}
EVENTS_MODULE = CLIENT_JS / "net" / "events.js"


def bare_names(source: str) -> list[tuple[int, str]]:
    """(line, name) of every string literal in a module that is a protocol name.

    An error code (`code: "vote_closed"`, the refusal of an ack) is another namespace that shares some
    words with event names: it is not a protocol name.
    """
    return [(lit.line, lit.text) for lit in string_literals(source) if lit.text in NAMES and not lit.before.endswith("code:")]


def test_no_client_module_writes_a_bare_event_name():
    found = [f"{path.relative_to(CLIENT_JS)}:{line}: {name!r}"
             for path in client_modules() if path != EVENTS_MODULE
             for line, name in bare_names(path.read_text(encoding="utf-8"))]
    assert found == [], "use the constants of client/js/net/events.js:\n" + "\n".join(found)


def test_the_scan_finds_bare_names_and_skips_comments_and_constants():
    source = """
// "vote_cast" in a comment is words, /* 'sync' */ too
const re = /"presence"/;
socket.send("vote_cast", {});
socket.request('sync', {});
socket.on(`map_presence`, fn);
onEvent(EVENT.PROJECT_POSTED, fn);
const label = `${"x"}vote_open`;
return { code: "vote_closed", params: {} };
if (frame.type === "vote_closed") redraw();
"""
    assert bare_names(source) == [(4, "vote_cast"), (5, "sync"), (6, "map_presence"), (10, "vote_closed")]


def test_the_scan_reads_every_name_of_the_events_module():
    # The constants module holds each name once, as a literal: the scanner sees them all.
    assert sorted(name for _, name in bare_names(EVENTS_MODULE.read_text(encoding="utf-8"))) == sorted(NAMES)
