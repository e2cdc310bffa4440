"""SQLAlchemy models of the story vote: rounds, dots per voter, attendees without a device."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.clock import utcnow
from .models import Base, never_reused_ids


class VoteRound(Base):
    """One round of dot voting on a board; its ranking is frozen at the reveal and kept."""

    __tablename__ = "vote_rounds"
    __table_args__ = (UniqueConstraint("board_id", "number"), never_reused_ids())

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default="not_started")
    budget: Mapped[int] = mapped_column(Integer)
    cap: Mapped[int] = mapped_column(Integer)
    # None: every story on the board; else the chosen stories (e.g. the previous round's top five).
    candidate_ids: Mapped[list | None] = mapped_column(JSON)
    # The ranking as revealed: [{project_id, title, dots, rank}], so later edits cannot rewrite it.
    result: Mapped[list | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()
    revealed_at: Mapped[datetime | None] = mapped_column()


class VoteDot(Base):
    """How many dots one voter has on one story in one round (a row per voter and story)."""

    __tablename__ = "vote_dots"
    __table_args__ = (
        UniqueConstraint("round_id", "voter_id", "project_id"),
        CheckConstraint("count > 0", name="ck_vote_dots_count_positive"),
        never_reused_ids(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("vote_rounds.id", ondelete="CASCADE"), index=True)
    voter_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class NoDeviceAttendee(Base):
    """A participant the facilitator added by name (no token): the facilitator votes for them."""

    __tablename__ = "vote_attendees"

    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
