"""Downloads: the facilitator's summary, tables and archive, a participant's own booklet; archive import.

Who may download what is decided by the token in `Authorization: Bearer <token>` (never in the URL:
URLs end up in logs and histories) against the board code in the path. The projector's link
exports nothing. Files are sent as attachments, never shown inline on the app's origin.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from flask import Blueprint, Response, current_app, jsonify, request

from ..domain.actors import Actor
from ..domain.errors import DomainError
from ..export import formats, pdf
from ..export.archive_schema import MAX_ARCHIVE_BYTES
from ..protection.text_rules import INT_MAX
from ..services import identity
from ..services.archive import exports
from .links import board_links
from .statuses import status_of

bp = Blueprint("downloads", __name__, url_prefix="/api")
IMPORT_TIMEOUT_S = 10 * 60

def _app():
    return current_app.extensions["snowball"]


def _pdf_in_child(document: str) -> bytes:
    """The server's PDF layout: in a child process, under the memory limit of the settings."""
    return pdf.html_to_pdf_in_child(document, _app().settings.pdf_memory_mb)


@bp.errorhandler(DomainError)
def _domain_error(exc: DomainError):
    return jsonify(ok=False, error=exc.as_dict()), status_of(exc.code)


def _actor(code: str) -> Actor:
    """The actor the request's bearer token stands for on this board."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise DomainError("unauthorised", "send your board token in an Authorization: Bearer header")
    actor, _code = identity.authenticate(_app().db, code, token.strip())
    return actor


_DIGITS = re.compile(r"[0-9]{1,10}")


def _query_int(name: str, minimum: int = 1, maximum: int = INT_MAX) -> int | None:
    """An integer query parameter, None when absent or empty; 400 `invalid_payload` when it is not ASCII
    digits within minimum…maximum (ids are signed 32-bit columns: PostgreSQL answered a bigger one with
    "integer out of range", a 500) or when it is given twice."""
    values = request.args.getlist(name)
    if not values or values == [""]:
        return None
    refusal = DomainError("invalid_payload", f"{name} must be one whole number from {minimum} to {maximum}",
                          field=name, minimum=minimum, maximum=maximum)
    if len(values) > 1 or not _DIGITS.fullmatch(values[0]):
        raise refusal
    value = int(values[0])
    if not minimum <= value <= maximum:
        raise refusal
    return value


def _include_hidden() -> bool:
    return request.args.get("include_hidden", "").lower() in ("1", "true", "yes")


def _attachment(content: bytes, media_type: str, filename: str) -> Response:
    response = Response(content, content_type=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Exports carry people's names and drafts: no shared cache may keep them.
    response.headers["Cache-Control"] = "no-store"
    return response


def _split(filename: str) -> tuple[str, str]:
    name, dot, ext = filename.rpartition(".")
    if not dot or not name:
        raise DomainError("export_not_found", "no such export", filename=filename[:40])
    return name, ext


@bp.get("/boards/<code>/exports/<filename>")
def download(code: str, filename: str):
    """One export file: summary.{md,html,pdf}, archive.json, tables.zip, <table>.csv, booklet.{md,html,pdf}."""
    actor = _actor(code)
    name, ext = _split(filename)
    db = _app().db
    if name == "booklet" and ext in formats.BOOKLET_FORMATS:
        participant = _query_int("participant")
        snapshot, whose = exports.booklet_snapshot(db, actor, participant)
        content, spec, out_name = formats.render_booklet(snapshot, whose, ext, to_pdf=_pdf_in_child)
        return _attachment(content, spec.media_type, out_name)
    kind = {("summary", "md"): "md", ("summary", "html"): "html", ("summary", "pdf"): "pdf",
            ("archive", "json"): "json", ("tables", "zip"): "csv"}.get((name, ext))
    table = name if ext == "csv" and name in formats.csv_files.TABLES else None
    if kind is None and table is None:
        raise DomainError("export_not_found", "no such export", filename=filename[:40])
    snapshot = exports.summary_snapshot(db, actor, include_hidden=_include_hidden())
    if table is not None:
        content, spec, out_name = formats.render_csv_table(snapshot, table)
    else:
        content, spec, out_name = formats.render_summary(snapshot, kind, to_pdf=_pdf_in_child)
    return _attachment(content, spec.media_type, out_name)


@bp.post("/boards/import")
def import_board():
    """Create a new board from a JSON archive; answers its secrets and the participants' new rejoin codes."""
    request.max_content_length = MAX_ARCHIVE_BYTES
    if request.mimetype != "application/json":
        raise DomainError("unsupported_media_type", "send the archive as application/json")
    if (request.content_length or 0) > MAX_ARCHIVE_BYTES:
        raise DomainError("archive_too_large", "the archive is too large", limit=MAX_ARCHIVE_BYTES)
    imported = _import_in_child(request.get_data(cache=False))
    code = imported["board"]["code"]
    imported["links"] = board_links(code, imported["facilitator_token"], imported["projector_token"])
    return jsonify(imported), 201


def _import_in_child(raw: bytes) -> dict:
    """Check and write the archive in a child process (`snowball import - --json`).

    A board at the limits is a 50 MB archive and seconds of CPU-bound checking: in the server's own
    process that would stall every socket of an eventlet server; the wait on a child is cooperative.
    """
    env = {**os.environ, "DATABASE_URL": _app().settings.database_url}
    try:
        done = subprocess.run([sys.executable, "-m", "server.cli", "import", "-", "--json"], input=raw, env=env,
                              cwd=pdf.ROOT, capture_output=True, timeout=IMPORT_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise DomainError("import_timeout", "the import took too long") from None
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise DomainError("import_failed", f"the import failed ({tail[0][:200]})") from None
    if not answer.get("ok"):
        error = answer["error"]
        raise DomainError(error["code"], error["message"], **error.get("params", {}))
    return answer
