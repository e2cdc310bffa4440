"""Scale-out's per-board seq order (realtime/board_order.py): events ahead of the next seq wait, at most one hold."""
from __future__ import annotations

from server.realtime.board_order import BoardOrder


class Harness:
    """A BoardOrder whose hold timers the test fires itself."""

    def __init__(self) -> None:
        self.timers: list = []
        self.sent: list[tuple[str, int]] = []
        self.order = BoardOrder(self.timers.append)

    def deliver(self, room: str, *seqs: int) -> None:
        for seq in seqs:
            self.order.deliver(room, seq, lambda seq=seq: self.sent.append((room, seq)))

    def seqs(self, room: str = "board:1") -> list[int]:
        return [seq for r, seq in self.sent if r == room]


def test_in_order_events_go_at_once():
    h = Harness()
    h.deliver("board:1", 5, 6, 7)
    assert h.seqs() == [5, 6, 7] and h.timers == [] and h.order.held == 0


def test_an_event_ahead_waits_for_the_ones_before_it():
    h = Harness()
    h.deliver("board:1", 5, 7, 8)
    assert h.seqs() == [5] and len(h.timers) == 1
    h.deliver("board:1", 6)
    assert h.seqs() == [5, 6, 7, 8] and h.order.held == 2
    h.timers[0]()  # the hold's timer, after the wait ended: changes nothing
    assert h.seqs() == [5, 6, 7, 8] and h.order.expired == 0


def test_after_the_hold_what_waits_goes_out_in_order_and_a_late_one_still_goes():
    h = Harness()
    h.deliver("board:1", 5, 8, 7)
    h.timers[0]()
    assert h.seqs() == [5, 7, 8] and h.order.expired == 1
    h.deliver("board:1", 6, 9)  # 6 never came in time: sent late (the client repairs); 9 is next
    assert h.seqs() == [5, 7, 8, 6, 9]


def test_an_old_timer_does_not_end_a_later_hold():
    h = Harness()
    h.deliver("board:1", 5, 7, 6)  # first hold ends with 6
    h.deliver("board:1", 9)         # a second hold
    h.timers[0]()
    assert h.seqs() == [5, 6, 7]
    h.timers[1]()
    assert h.seqs() == [5, 6, 7, 9]


def test_boards_are_ordered_apart():
    h = Harness()
    h.deliver("board:1", 5, 7)
    h.deliver("board:2", 40, 41)
    assert h.seqs("board:1") == [5] and h.seqs("board:2") == [40, 41]
