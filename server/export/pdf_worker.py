"""Lay out one HTML export as PDF in its own process: HTML on stdin, PDF on stdout.

The server runs PDF layout here, not in its own process: WeasyPrint is CPU-bound for seconds on a
big board, which would stall every socket of an eventlet server, and may take gigabytes that a
finished child gives back.
"""
from __future__ import annotations

import sys


def main() -> int:
    """Read the document, write the PDF."""
    from .pdf import html_to_pdf

    document = sys.stdin.buffer.read().decode("utf-8")
    sys.stdout.buffer.write(html_to_pdf(document))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
