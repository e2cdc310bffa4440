"""Every error the server can send reads as words in English and in French: a page's i18n module (all
catalogues loaded, as on every page) is walked with every error code the server's source raises or
docs/protocol.md lists, and every field name its payload models, its HTTP bodies and its rules name."""
from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

from pydantic import BaseModel

from server.realtime import map_payloads, payloads, show_payloads, vote_payloads

ROOT = Path(__file__).resolve().parent.parent
SERVER = ROOT / "server"
# Fields named by the HTTP API (bodies and query strings), outside the Socket.IO payload models.
HTTP_FIELDS = {"name", "rejoin_code", "participant", "payload", "title", "language", "starts_at"}
# A value for every parameter a message may use (docs/protocol.md, "The error ack").
PARAMS = {"field": "title", "limit": 80, "minimum": 1, "maximum": 20, "choices": ["person", "media"], "scope": "connection",
          "retry_after": 7, "reason": "bad packet", "event": "dance", "op_id": "abc", "seq": 12, "project_id": 3,
          "node_id": 4, "gate": "posting", "current_phase_id": 2, "budget": 3, "cap": 1, "used": 2, "remaining": 1,
          "count": 2, "participant_id": 5, "phase_id": 2, "round": 2, "size": 5, "max_bytes": 1024}
SERVER_MESSAGE = "RAW SERVER MESSAGE"


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


# The command line's own errors (snowball backup, …) are printed in a terminal, never shown in a browser.
COMMAND_LINE_ONLY = {"cli.py", "backup.py"}


def server_codes() -> set[str]:
    """Every code the server's source puts in an error: DomainError(code, …), error_ack(code, …), {"code": …}."""
    codes: set[str] = set()
    for path in SERVER.rglob("*.py"):
        if path.name in COMMAND_LINE_ONLY:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args:
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name in ("DomainError", "error_ack") and (code := _literal(node.args[0])):
                    codes.add(code)
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values):
                    if key is not None and _literal(key) == "code" and (code := _literal(value)):
                        codes.add(code)
    # Error codes are snake_case words; other dicts with a "code" key (the access log's "-") are not errors.
    return {code for code in codes if re.fullmatch(r"[a-z][a-z_]*", code)}


def documented_codes() -> set[str]:
    """The codes docs/protocol.md lists in its "Codes:" paragraph."""
    text = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    paragraph = text[text.index("Codes: on the wire"):]
    paragraph = paragraph[: paragraph.index("\n\n")]
    paragraph = re.sub(r"\([^()]*\)", "", paragraph)  # asides in parentheses name params and fields, not codes
    return {code for code in re.findall(r"`([a-z_]+)`", paragraph) if not code.endswith("_")}


def _model_fields(model: type[BaseModel], seen: set) -> set[str]:
    if model in seen:
        return set()
    seen.add(model)
    names: set[str] = set()
    for name, info in model.model_fields.items():
        names.add(info.alias or name)
        for inner in re.findall(r"[A-Za-z_]+", repr(info.annotation)):
            for module in (payloads, map_payloads, show_payloads, vote_payloads):
                candidate = getattr(module, inner, None)
                if inspect.isclass(candidate) and issubclass(candidate, BaseModel):
                    names |= _model_fields(candidate, seen)
    return names


def field_names() -> set[str]:
    """Every field a refusal can name: payload models (nested too), HTTP bodies, and field= in the rules."""
    names, seen = set(HTTP_FIELDS), set()
    for module in (payloads, map_payloads, show_payloads, vote_payloads):
        for _, model in inspect.getmembers(module, inspect.isclass):
            if issubclass(model, BaseModel) and model is not BaseModel:
                names |= _model_fields(model, seen)
    for path in SERVER.rglob("*.py"):
        if path.name in COMMAND_LINE_ONLY:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "field" and (field := _literal(node.value)):
                names.add(field)
    return names - {"op_id"}


WALK_JS = """async ({codes, fields, params, serverMessage}) => {
  const i18n = await import('/static/js/i18n.js');
  const out = {};
  for (const lang of ['en', 'fr']) {
    i18n.setLanguage(lang);
    out[lang] = {
      codes: Object.fromEntries(codes.map((code) => [code, i18n.errorText({code, message: serverMessage, params})])),
      fields: Object.fromEntries(fields.map((field) => [field, i18n.errorText({code: 'required', message: serverMessage, params: {field}})])),
      paths: Object.fromEntries(fields.map((field) => [field, i18n.errorText({code: 'too_long', message: serverMessage, params: {...params, field: `items.3.${field}`}})])),
      items: Object.fromEntries(fields.map((field) => [field, i18n.errorText({code: 'invalid_payload', message: serverMessage, params: {field: `${field}.2`}})])),
      labels: Object.fromEntries(fields.map((field) => [field, i18n.t(`field.${field.split('.').pop()}`)])),
    };
  }
  i18n.setLanguage('en');
  return out;
}"""


def _raw_words(text: str, names: set[str]) -> list[str]:
    """Protocol names (a code, a field, any snake_case word) left in a sentence meant for people."""
    words = set(re.findall(r"[A-Za-z_]+", text))
    return sorted(w for w in words if "_" in w or w in names)


def test_every_error_code_and_field_reads_as_words_in_english_and_french(people, live_server):
    codes = sorted(server_codes() | documented_codes())
    fields = sorted(field_names())
    assert len(codes) > 60 and len(fields) > 40  # the walk really covers the protocol
    page = people("/")
    page.locator("#app > :not(.loading)").first.wait_for()
    texts = page.evaluate(WALK_JS, {"codes": codes, "fields": fields, "params": PARAMS, "serverMessage": SERVER_MESSAGE})
    # Field names that are also ordinary English words may appear in a sentence; codes never may.
    raw_names = {name for name in [*codes, *fields] if "_" in name}
    problems = []
    for lang in ("en", "fr"):
        for kind in ("codes", "fields", "paths", "items"):
            for name, text in texts[lang][kind].items():
                if SERVER_MESSAGE in text or text.startswith("error."):
                    problems.append(f"{lang} {kind} {name}: no message of its own")
                elif leftover := re.findall(r"\{\w+\}", text):
                    problems.append(f"{lang} {kind} {name}: placeholder {leftover} in {text!r}")
                elif raw := _raw_words(text, raw_names):
                    problems.append(f"{lang} {kind} {name}: protocol name {raw} in {text!r}")
        for field, label in texts[lang]["labels"].items():
            if label.startswith("field."):
                problems.append(f"{lang} field {field}: no label of its own")
    for kind in ("codes", "labels"):
        for name, english in texts["en"][kind].items():
            french = texts["fr"][kind][name]
            if french == english and not english.startswith("field."):
                problems.append(f"fr {kind} {name}: the English text {english!r}")
    assert problems == [], "\n".join(problems)
