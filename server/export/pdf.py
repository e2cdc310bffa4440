"""PDF exports: WeasyPrint lays out the printable HTML export (A4), fetching nothing from anywhere."""
from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Callable

from ..domain.errors import DomainError
from . import html
from .pdf_layout import html_to_pdf
from .pdf_worker import DEFAULT_MEMORY_MB, TOO_LARGE

ROOT = Path(__file__).resolve().parents[2]
# PDF layouts at once in one server process (each is CPU-bound; the machine has few cores).
PARALLEL_LAYOUTS = 2
LAYOUT_TIMEOUT_S = 30 * 60
# Beyond this much HTML a layout takes many minutes and more than the child's memory (measured:
# 3.6 MB in ~2 min; the 77 MB summary of a board with every text at its limit ran out of 4 GB after
# 5 min), so the server says so at once instead.
MAX_LAYOUT_BYTES = 12 * 1024 * 1024
_layouts = threading.BoundedSemaphore(PARALLEL_LAYOUTS)
ToPdf = Callable[[str], bytes]


def _too_large() -> DomainError:
    return DomainError("export_too_large", "this board is too big for one PDF; download the HTML page and print it, "
                                           "or the booklets one by one", limit=MAX_LAYOUT_BYTES)


def html_to_pdf_in_child(document: str, memory_mb: int = DEFAULT_MEMORY_MB) -> bytes:
    """The same layout in a child process (`pdf_worker`) of at most `memory_mb`, a few at a time: what a server uses.

    Under eventlet the wait on the child is cooperative (subprocess is green), so the server keeps
    serving its sockets meanwhile.
    """
    data = document.encode("utf-8")
    if len(data) > MAX_LAYOUT_BYTES:
        raise _too_large()
    with _layouts:
        try:
            done = subprocess.run([sys.executable, "-m", "server.export.pdf_worker", str(memory_mb)], input=data,
                                  capture_output=True, cwd=ROOT, timeout=LAYOUT_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise DomainError("export_timeout", "the PDF took too long to lay out; try the HTML export and print it") from None
    # Out of its memory limit the child either raises MemoryError (TOO_LARGE) or, inside Pango or
    # cairo, dies of a signal.
    if done.returncode == TOO_LARGE or done.returncode < 0:
        raise _too_large()
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF-"):
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise DomainError("export_failed", f"the PDF could not be made ({tail[0][:200]})")
    return done.stdout


def render_summary(snapshot: dict, to_pdf: ToPdf = html_to_pdf) -> bytes:
    """The board summary as PDF."""
    return to_pdf(html.render_summary(snapshot))


def render_booklet(snapshot: dict, participant_id: int, to_pdf: ToPdf = html_to_pdf) -> bytes:
    """One participant's booklet as PDF."""
    return to_pdf(html.render_booklet(snapshot, participant_id))
