"""The limits the screens apply up front (client/js/limits.js) are the server's, value for value."""
from __future__ import annotations

import re

import pytest

from server.domain import email_drafts, limits, phases, tribe_maps, votes
from tests.support.client_js import CLIENT_JS, client_constants, client_modules

pytestmark = pytest.mark.unit
SERVER_MODULES = (limits, votes, tribe_maps, email_drafts, phases)
CLIENT_ONLY = {"TYPED_CODE_MAX"}  # room for the spaces and dashes people type in a code (the server drops them)


def _server_value(name: str) -> int:
    values = {getattr(module, name) for module in SERVER_MODULES if hasattr(module, name)}
    assert len(values) == 1, f"{name}: no server limit of that name, or two that disagree"
    return values.pop()


def test_every_client_limit_equals_the_server_limit_of_its_name():
    client = client_constants("limits.js")
    assert set(client) >= CLIENT_ONLY
    assert {name: value for name, value in client.items() if name not in CLIENT_ONLY} == \
        {name: _server_value(name) for name in client if name not in CLIENT_ONLY}


def test_every_limit_of_the_server_limits_module_is_on_the_client():
    server = {name for name, value in vars(limits).items() if name.isupper() and isinstance(value, int)}
    assert server - set(client_constants("limits.js")) == set()


def test_no_view_writes_a_text_limit_as_a_number():
    # A maxlength written as a number in a view is a second home for a limit: it comes from limits.js.
    pattern = re.compile(r"\bmaxlength\s*:\s*\d")
    found = [f"{path.relative_to(CLIENT_JS)}:{n}" for path in client_modules() if "views" in path.parts
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if pattern.search(line) and not line.lstrip().startswith("//")]
    assert found == []
