"""Imports every handler module so their events are registered (the transport's table of contents)."""
from __future__ import annotations


def load() -> None:
    """Register all Socket.IO handlers."""
    from . import project_handlers, session_handlers  # noqa: F401
    from . import vote_handlers  # noqa: F401
    from . import map_handlers  # noqa: F401
    from . import show_handlers  # noqa: F401
