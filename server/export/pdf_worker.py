"""Lay out one HTML export as PDF in its own process: HTML on stdin, PDF on stdout.

The server runs PDF layout here, not in its own process: WeasyPrint is CPU-bound for seconds on a
big board, which would stall every socket of an eventlet server, and it holds the whole laid-out
document in memory, which a child bounded by a memory limit gives back when it ends.
"""
from __future__ import annotations

import resource
import sys

TOO_LARGE = 3  # exit status: the document did not fit in the memory limit
DEFAULT_MEMORY_MB = 4096  # the server passes its setting (SNOWBALL_PDF_MEMORY_MB) as the argument


def _out_of_memory(error: BaseException | None) -> bool:
    while error is not None:
        if isinstance(error, MemoryError):
            return True
        error = error.__cause__ or error.__context__
    return False


def limit_memory(megabytes: int) -> bool:
    """Cap this process's address space; False where the system does not support it (macOS refuses RLIMIT_AS)."""
    limit = megabytes * 1024 * 1024
    if sys.platform == "darwin":  # setrlimit(RLIMIT_AS) raises there; the layout timeout still bounds the child
        return False
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    """Read the document, write the PDF (exit TOO_LARGE when it needs more than the memory limit in MB, argv[0])."""
    args = sys.argv[1:] if argv is None else argv
    memory_mb = int(args[0]) if args else DEFAULT_MEMORY_MB
    limit_memory(memory_mb)
    try:
        from .pdf_layout import html_to_pdf  # WeasyPrint loads here, after the memory limit

        document = sys.stdin.buffer.read().decode("utf-8")
        content = html_to_pdf(document)
    except Exception as error:  # noqa: BLE001 - out of memory may surface wrapped in a library's error
        if not _out_of_memory(error):
            raise
        sys.stderr.write(f"the document needs more than {memory_mb} MB to lay out\n")
        return TOO_LARGE
    sys.stdout.buffer.write(content)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
