"""The per-connection outbox bound, in process (the standard library's queue as the async mode's queue)."""
from __future__ import annotations

import queue
from types import SimpleNamespace

from server.realtime import backpressure


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def packet(size: int) -> SimpleNamespace:
    """Something shaped like an Engine.IO packet whose text is `size` characters."""
    return SimpleNamespace(data="x" * size)


def make_outbox(max_bytes: int = 10_000, hard_max_bytes: int = 100_000, stall_seconds: float = 2.0):
    overflows = []
    clock = Clock()
    cls = backpressure.outbox_class(queue.Queue, lambda q, held: overflows.append(held))
    cls.max_bytes, cls.hard_max_bytes, cls.stall_seconds, cls.clock = max_bytes, hard_max_bytes, stall_seconds, clock
    return cls(), overflows, clock


def test_a_reader_that_keeps_up_never_overflows():
    box, overflows, clock = make_outbox()
    for _ in range(1000):
        box.put(packet(3000))
        clock.now += 10  # however long between packets
        box.get()
        box.task_done()
    assert overflows == [] and box.held_bytes == 0 and not box.overflowed


def test_a_stalled_reader_is_dropped_once_it_holds_the_bound_and_its_writer_took_nothing_for_the_stall_time():
    box, overflows, clock = make_outbox(max_bytes=10_000, stall_seconds=2.0)
    for _ in range(20):  # 24,000 bytes offered within a second: over the bound, but not stalled for long yet
        box.put(packet(1000))
        clock.now += 0.05
    assert overflows == [] and box.held_bytes == 24_000
    clock.now += 2.0  # the writer has taken nothing for two seconds
    box.put(packet(1000))
    assert overflows == [24_000] and box.overflowed
    # Only the writer's stop marker is left: the packets were let go.
    assert box.qsize() == 1 and box.get() is None and box.held_bytes == 0


def test_a_slow_reader_that_is_still_reading_is_not_dropped():
    box, overflows, clock = make_outbox(max_bytes=10_000, stall_seconds=2.0)
    for _ in range(12):
        box.put(packet(1000))
    for _ in range(200):  # it always holds over 14 KB, but takes a packet every second
        box.put(packet(1000))
        clock.now += 1.0
        box.get()
        box.task_done()
    assert box.held_bytes == 12 * 1200
    assert overflows == [] and not box.overflowed


def test_the_hard_bound_holds_whatever_the_progress():
    box, overflows, clock = make_outbox(max_bytes=10_000, hard_max_bytes=50_000)
    for _ in range(100):
        box.put(packet(1000))
    assert len(overflows) == 1 and 50_000 <= overflows[0] < 50_000 + 1200


def test_after_an_overflow_packets_are_dropped_but_the_stop_marker_passes():
    box, overflows, clock = make_outbox(max_bytes=2_000, hard_max_bytes=4_000)
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


def test_one_big_packet_is_accepted_into_an_outbox_under_the_bound():
    box, overflows, clock = make_outbox(max_bytes=1_000, hard_max_bytes=100_000)
    box.put(packet(10))
    box.put(packet(50_000))  # a large snapshot or replay is one packet: it must go out
    box.put(packet(10))      # and what follows it at once too: the writer is about to take it
    assert overflows == [] and box.qsize() == 3
    clock.now += 2.5         # but a writer that takes nothing for the stall time gets the connection dropped
    box.put(packet(10))
    assert overflows and box.overflowed


def test_the_default_bounds():
    assert backpressure.OUTBOX_MAX_BYTES == 1024 * 1024
    assert backpressure.OUTBOX_HARD_MAX_BYTES == 8 * 1024 * 1024
    assert backpressure.STALL_SECONDS == 2.0
