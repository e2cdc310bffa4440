"""Where the server finds its client files and migrations: the checkout, or the copy inside an installed wheel.

In a checkout (`pip install -e .`, `python wsgi.py`) they are the repository's top-level `client/`
and `migrations/`. A built wheel carries copies under `server/_bundle/` (see setup.py), including the
one browser file of socket.io-client taken from `client/node_modules` at build time.
"""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent
BUNDLE = PACKAGE / "_bundle"
# The browser build of socket.io-client, by file path (its package exports don't list it).
SOCKET_IO_DIST = Path("node_modules/socket.io-client/dist")
SOCKET_IO_FILE = "socket.io.esm.min.js"


def _bundled_or_checkout(name: str) -> Path:
    # The bundle first: an installed wheel's site-packages may hold another project's stray `migrations/`.
    bundled = BUNDLE / name
    return bundled if bundled.is_dir() else CHECKOUT / name


def client_dir() -> Path:
    """The browser client's folder (index.html, css/, js/)."""
    return _bundled_or_checkout("client")


def migrations_dir() -> Path:
    """The Alembic script folder."""
    return _bundled_or_checkout("migrations")


def socket_io_dir(client: Path, override: Path | None = None) -> Path:
    """The folder holding socket.io-client's browser build: the override (SNOWBALL_SOCKET_IO_DIR), else the client's node_modules."""
    return override if override is not None else client / SOCKET_IO_DIST
