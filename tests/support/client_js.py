"""The client's ES modules seen from Python: their string literals, and their pure functions run in Node."""
from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLIENT_JS = ROOT / "client" / "js"

# After one of these a "/" starts a regular expression, not a division.
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^") | {""}


@dataclass(frozen=True)
class Literal:
    """A string literal of a module: its text (template literals only when they have no ${…}), line."""

    text: str
    line: int
    start: int  # offset of its opening quote in the source
    before: str  # the code just before it on its line, e.g. `{ code:` for an error code


def string_literals(source: str) -> list[Literal]:
    """Every string literal of a JavaScript source, comments and regular expressions skipped."""
    found: list[Literal] = []
    i, n, line = 0, len(source), 1
    last = ""  # the last code character that was not a space
    while i < n:
        ch = source[i]
        if ch == "\n":
            line += 1
            i += 1
        elif source.startswith("//", i):
            i = source.find("\n", i)
            i = n if i < 0 else i
        elif source.startswith("/*", i):
            end = source.find("*/", i + 2)
            end = n if end < 0 else end + 2
            line += source.count("\n", i, end)
            i = end
        elif ch in "\"'`":
            start, j, text, templated = i, i + 1, [], False
            while j < n and source[j] != ch:
                if source[j] == "\\":
                    text.append(source[j:j + 2])
                    j += 2
                    continue
                if ch == "`" and source.startswith("${", j):
                    templated = True
                text.append(source[j])
                j += 1
            if not templated:
                found.append(Literal("".join(text), line, start, source[source.rfind("\n", 0, start) + 1:start].rstrip()))
            line += source.count("\n", start, j)
            i = j + 1
            last = ch
        elif ch == "/" and (last in _REGEX_AFTER or source[max(0, i - 6):i].endswith("return")):
            j, in_class = i + 1, False
            while j < n and (in_class or source[j] != "/") and source[j] != "\n":
                if source[j] == "\\":
                    j += 1
                elif source[j] == "[":
                    in_class = True
                elif source[j] == "]":
                    in_class = False
                j += 1
            i = j + 1
            last = "/"
        else:
            if not ch.isspace():
                last = ch
            i += 1
    return found


def client_modules() -> list[Path]:
    """Every ES module of the client (the npm packages are not in client/js)."""
    return sorted(CLIENT_JS.rglob("*.js"))


RUNNER = Path(__file__).resolve().parent / "client_runner.mjs"


def call_client(module: str, calls: list[dict], preload: tuple[str, ...] = ()) -> list[dict]:
    """Run client functions in Node: each call {"fn", "args"} of `module` (relative to client/js) gives
    {"value": …} or {"error": …}; `preload` modules are imported first (e.g. the state modules)."""
    payload = json.dumps({"preload": list(preload), "module": module, "calls": calls})
    out = subprocess.run(["node", str(RUNNER)], input=payload, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout)


def client_constants(module: str) -> dict:
    """The exports of a client module that are not functions (its constants), as JSON values."""
    return call_client(module, [{"fn": None}])[0]["value"]
