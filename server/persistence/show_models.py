"""Tables of the run of show: the agenda, the show's live state, moderation."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.clock import utcnow
from .models import Base, never_reused_ids


class ShowPhase(Base):
    """One agenda item; started_at/ended_at record how the session really ran."""

    __tablename__ = "show_phases"
    __table_args__ = never_reused_ids()

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(120))
    duration_s: Mapped[int] = mapped_column(Integer)
    gates: Mapped[dict] = mapped_column(JSON)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)


class ShowState(Base):
    """One row per board once the facilitator touched the run of show."""

    __tablename__ = "show_states"

    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(10), default="idle")
    # Not a foreign key: the phase row and this row point at each other.
    current_phase_id: Mapped[int | None] = mapped_column(Integer, default=None)
    timer_ends_at: Mapped[datetime | None] = mapped_column(default=None)
    timer_remaining_ms: Mapped[int | None] = mapped_column(Integer, default=None)
    timer_duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    gate_overrides: Mapped[dict] = mapped_column(JSON, default=dict)
    spotlight_project_id: Mapped[int | None] = mapped_column(Integer, default=None)
    spotlight_view: Mapped[str | None] = mapped_column(String(10), default=None)


class HiddenItem(Base):
    """A card (or other item) the facilitator hid: its author and the facilitator still see it, marked."""

    __tablename__ = "show_hidden_items"
    __table_args__ = (UniqueConstraint("board_id", "kind", "item_id"), never_reused_ids())

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[int] = mapped_column(Integer)
    hidden_at: Mapped[datetime] = mapped_column(default=utcnow)


class RemovedParticipant(Base):
    """A participant the facilitator removed: their devices no longer authenticate."""

    __tablename__ = "show_removed_participants"
    __table_args__ = (UniqueConstraint("board_id", "participant_id"), never_reused_ids())

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    removed_at: Mapped[datetime] = mapped_column(default=utcnow)
