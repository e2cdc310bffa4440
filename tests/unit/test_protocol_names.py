"""The protocol's names agree everywhere: server lists, registered handlers, client lists, docs."""
from __future__ import annotations

from pathlib import Path

from server.realtime import events
from tests.support.client_js import client_constants

ROOT = Path(__file__).resolve().parents[2]


def test_client_lists_equal_server_lists():
    client = client_constants("net/events.js")  # the module as Node loads it, not a reading of its text
    for name in ("COMMANDS", "REQUESTS", "EVENT_TYPES", "EPHEMERAL"):
        assert sorted(client[name]) == sorted(getattr(events, name)), name


def test_client_constants_are_named_after_their_value():
    client = client_constants("net/events.js")
    for group, names in (("COMMAND", "COMMANDS"), ("REQUEST", "REQUESTS"), ("EVENT", "EVENT_TYPES"), ("EPHEMERAL_EVENT", "EPHEMERAL")):
        assert client[group] == {name.upper(): name for name in client[names]}, group


def test_every_listed_command_has_a_handler_and_back():
    from server import wiring
    from server.realtime import dispatch

    assert sorted(dispatch.REGISTERED) == sorted(events.COMMANDS)
    assert sorted(dispatch.REQUESTS) == sorted(events.REQUESTS)


def test_every_handler_module_is_wired():
    from server import wiring

    files = sorted(path.stem for path in (ROOT / "server/realtime").glob("*_handlers.py"))
    assert sorted(module.__name__.rsplit(".", 1)[1] for module in wiring.HANDLER_MODULES) == files


def test_names_have_no_duplicates():
    for name in ("COMMANDS", "REQUESTS", "EVENT_TYPES", "EPHEMERAL"):
        values = getattr(events, name)
        assert len(values) == len(set(values)), name


def test_protocol_doc_mentions_every_name():
    doc = (ROOT / "docs/protocol.md").read_text()
    names = [*events.COMMANDS, *events.REQUESTS, *events.EVENT_TYPES, *events.EPHEMERAL]
    missing = [name for name in names if f"`{name}`" not in doc]
    assert missing == []
