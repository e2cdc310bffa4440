"""The serving process's garbage collector: start-up objects frozen out of it, so a full collection stays short.

CPython's cyclic collector walks every tracked object of the generations it collects. A serving
process holds hundreds of thousands of them from start-up alone (the app, SQLAlchemy's and pydantic's
structures, every module), and a full (generation 2) collection came every few seconds under load
and paused the event loop for 150-380 ms each time (measured at 300 connections: three in a
10-second window, every socket waiting). Once the app is built and listening, everything alive is
moved to the permanent generation, which no collection walks again: the full collections that remain
took 8-40 ms in the same run. The thresholds stay Python's own: raising them to 50,000 young objects
cut collections further but let a slow reader's test server grow 29 MiB instead of 17 MiB.
"""
from __future__ import annotations

import gc


def tune() -> None:
    """Collect once, then freeze what the process built at start (call once, right before serving)."""
    gc.collect()
    gc.freeze()
