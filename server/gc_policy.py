"""The serving process's garbage-collector settings: no full collection pausing a room for a quarter second.

CPython's cyclic collector walks every tracked object of a generation. A serving process holds the
app, its imports and, per connection, a few hundred objects; with the default thresholds (700, 10, 10)
a full (generation 2) collection came every few seconds under load and paused the event loop for
150-380 ms each time (measured at 300 connections: three of them in a 10-second window, every socket
waiting). Here, once the app is built: everything alive is moved to the permanent generation (never
walked again: modules, the app, settings), and the young generation is collected after 50,000
allocations instead of 700, so the older ones fill far more slowly. Reference counting still frees
almost everything at once; only garbage in cycles waits longer.
"""
from __future__ import annotations

import gc

THRESHOLDS = (50_000, 20, 100)


def tune() -> None:
    """Freeze what the process built at start and raise the collection thresholds (call once, before serving)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
