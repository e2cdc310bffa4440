"""The per-connection outbox bound, in process (the standard library's queue as the async mode's queue)."""
from __future__ import annotations

import queue
from types import SimpleNamespace

from server.realtime import backpressure


def packet(size: int) -> SimpleNamespace:
    """Something shaped like an Engine.IO packet whose text is `size` characters."""
    return SimpleNamespace(data="x" * size)


def make_outbox(max_bytes: int = 10_000):
    overflows = []
    cls = backpressure.outbox_class(queue.Queue, lambda q, held: overflows.append(held))
    box = cls()
    box.max_bytes = max_bytes
    return box, overflows


def test_a_reader_that_keeps_up_never_overflows():
    box, overflows = make_outbox()
    for _ in range(1000):
        box.put(packet(3000))
        box.get()
        box.task_done()
    assert overflows == [] and box.held_bytes == 0 and not box.overflowed


def test_held_bytes_never_exceed_the_bound_and_the_queue_is_emptied_on_overflow():
    box, overflows = make_outbox(max_bytes=10_000)
    peak = 0
    for _ in range(100):  # 100 x 1,200 bytes offered to a reader that never reads
        box.put(packet(1000))
        peak = max(peak, box.held_bytes)
    assert peak <= 10_000
    assert len(overflows) == 1 and overflows[0] <= 10_000
    assert box.overflowed
    # Only the writer's stop marker is left: the packets were let go.
    assert box.qsize() == 1 and box.get() is None and box.held_bytes == 0


def test_after_an_overflow_packets_are_dropped_but_the_stop_marker_passes():
    box, overflows = make_outbox(max_bytes=2_000)
    for _ in range(5):
        box.put(packet(1000))
    assert box.get() is None
    box.task_done()
    box.put(packet(10))
    assert box.qsize() == 0
    box.put(None)
    assert box.get() is None
    box.task_done()
    box.join()  # every get was matched by task_done, so engineio's close(wait=True) cannot hang
    assert len(overflows) == 1


def test_one_big_packet_is_accepted_into_an_empty_outbox():
    box, overflows = make_outbox(max_bytes=1_000)
    box.put(packet(50_000))  # a large snapshot or replay is one packet: it must go out
    assert overflows == [] and box.qsize() == 1
    box.put(packet(10))  # but nothing more may pile up behind it
    assert overflows and box.overflowed


def test_the_default_bound():
    assert backpressure.OUTBOX_MAX_BYTES == 1024 * 1024
    box, _ = make_outbox()
    assert type(box).__mro__[1] is queue.Queue
