"""Which formats exist, their media types and file names, and the one call that renders each."""
from __future__ import annotations

from dataclasses import dataclass

from ..domain.errors import DomainError
from . import csv_files, html, json_archive, markdown, pdf


@dataclass(frozen=True)
class Format:
    """One export format: its media type and file extension."""

    name: str
    media_type: str
    extension: str


FORMATS = {
    "md": Format("md", "text/markdown; charset=utf-8", "md"),
    "html": Format("html", "text/html; charset=utf-8", "html"),
    "pdf": Format("pdf", "application/pdf", "pdf"),
    "csv": Format("csv", "application/zip", "zip"),
    "json": Format("json", "application/json; charset=utf-8", "json"),
}
SUMMARY_FORMATS = ("md", "html", "pdf", "csv", "json")
BOOKLET_FORMATS = ("md", "html", "pdf")
CSV_TABLE = Format("csv-table", "text/csv; charset=utf-8", "csv")


def check_format(fmt: str, allowed: tuple[str, ...]) -> Format:
    """The format by name, or a DomainError listing the ones allowed here."""
    if fmt not in allowed:
        raise DomainError("invalid_choice", f"unknown export format {fmt[:10]!r}", field="format", choices=list(allowed))
    return FORMATS[fmt]


def stem(snapshot: dict) -> str:
    """The start of every exported file's name: snowball-<code>."""
    return f"snowball-{snapshot['board']['code']}"


def render_summary(snapshot: dict, fmt: str, to_pdf: pdf.ToPdf = pdf.html_to_pdf) -> tuple[bytes, Format, str]:
    """The board summary (or archive, or CSV tables) in `fmt`: (content, format, file name).

    `to_pdf` lays out the PDF: in this process by default, `pdf.html_to_pdf_in_child` in a server.
    """
    spec = check_format(fmt, SUMMARY_FORMATS)
    if fmt == "md":
        content = markdown.render_summary(snapshot).encode("utf-8")
    elif fmt == "html":
        content = html.render_summary(snapshot).encode("utf-8")
    elif fmt == "pdf":
        content = pdf.render_summary(snapshot, to_pdf)
    elif fmt == "csv":
        content = csv_files.render_zip(snapshot, stem(snapshot))
    else:
        content = json_archive.render(snapshot).encode("utf-8")
    name = {"csv": "tables", "json": "archive"}.get(fmt, "summary")
    return content, spec, f"{stem(snapshot)}-{name}.{spec.extension}"


def render_booklet(snapshot: dict, participant_id: int, fmt: str,
                   to_pdf: pdf.ToPdf = pdf.html_to_pdf) -> tuple[bytes, Format, str]:
    """One participant's booklet in `fmt`: (content, format, file name)."""
    spec = check_format(fmt, BOOKLET_FORMATS)
    if fmt == "md":
        content = markdown.render_booklet(snapshot, participant_id).encode("utf-8")
    elif fmt == "html":
        content = html.render_booklet(snapshot, participant_id).encode("utf-8")
    else:
        content = pdf.render_booklet(snapshot, participant_id, to_pdf)
    return content, spec, f"{stem(snapshot)}-booklet-{participant_id}.{spec.extension}"


def render_csv_table(snapshot: dict, table: str) -> tuple[bytes, Format, str]:
    """One CSV table by name: (content, format, file name)."""
    if table not in csv_files.TABLES:
        raise DomainError("invalid_choice", "unknown CSV table", field="table", choices=list(csv_files.TABLES))
    return csv_files.render_table(snapshot, table).encode("utf-8"), CSV_TABLE, f"{stem(snapshot)}-{table}.csv"
