"""The momentum meter: how far the inner circle alone gets toward ~30 % of the goal (guidance only)."""
from __future__ import annotations

from dataclasses import asdict, dataclass

# A commonly quoted crowdfunding guideline: campaigns that raise about 30 % of their goal in the first
# days tend to succeed. Shown as guidance, never as a promise.
TARGET_PCT = 30


@dataclass(frozen=True)
class Momentum:
    """The meter's numbers, in whole people and whole currency units."""

    inner_reach: int
    expected_backers: int
    expected_amount: int
    target_amount: int | None
    progress_pct: int | None  # of the target (may exceed 100); None when the project has no goal
    reached: bool

    def as_dict(self) -> dict:
        """Plain dict, for exports and tests."""
        return asdict(self)


def inner_reach(nodes: list[dict]) -> int:
    """The summed reach of the inner circle's nodes."""
    return sum(node["reach"] for node in nodes if node["ring"] == "inner")


def momentum(goal_amount: int | None, reach: int, average_pledge: int, conversion_pct: int) -> Momentum:
    """Expected first-days amount = inner reach × conversion × average pledge, against TARGET_PCT of the goal.

    Integer arithmetic (whole backers, whole currency units) so the client's mirror gives the same
    numbers on every screen.
    """
    backers = reach * conversion_pct // 100
    amount = backers * average_pledge
    if not goal_amount:
        return Momentum(reach, backers, amount, None, None, False)
    target = max(1, (goal_amount * TARGET_PCT + 50) // 100)  # rounded half up, never zero
    return Momentum(reach, backers, amount, target, amount * 100 // target, amount >= target)
