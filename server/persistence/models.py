"""SQLAlchemy 2 models of the foundation: boards, participants, devices, projects, the event log."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ..domain.clock import utcnow


class Base(DeclarativeBase):
    pass


def never_reused_ids() -> dict:
    """Table options so SQLite never hands a removed row's id to a new row (AUTOINCREMENT).

    Plain `INTEGER PRIMARY KEY` on SQLite reuses the highest id once its row is gone, so a stale
    command naming a removed card or node would act on someone else's newer one. PostgreSQL's
    sequences never go back: the option is ignored there.
    """
    return {"sqlite_autoincrement": True}


class Board(Base):
    __tablename__ = "boards"
    __table_args__ = never_reused_ids()

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2))
    starts_at: Mapped[str | None] = mapped_column(String(32))
    facilitator_hash: Mapped[str] = mapped_column(String(64), unique=True)
    projector_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The board sequence: incremented in the same transaction as each logged event.
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("board_id", "rejoin_hash"), never_reused_ids())

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    rejoin_hash: Mapped[str | None] = mapped_column(String(64))
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)


class DeviceToken(Base):
    """One row per device a participant uses (a token kept in that browser)."""

    __tablename__ = "device_tokens"
    __table_args__ = never_reused_ids()

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Project(Base):
    __tablename__ = "projects"
    __table_args__ = never_reused_ids()

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    pitch: Mapped[str] = mapped_column(String(400))
    story: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(120), default="")
    goal_amount: Mapped[int | None] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    platform: Mapped[str] = mapped_column(String(120), default="")
    campaign_start: Mapped[str | None] = mapped_column(String(10))
    campaign_end: Mapped[str | None] = mapped_column(String(10))
    link: Mapped[str] = mapped_column(String(600), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Event(Base):
    """The board's append-only log: one row per applied command, numbered by `seq` without gaps."""

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("board_id", "seq"),
        UniqueConstraint("board_id", "op_id"),
        Index("ix_events_board_seq", "board_id", "seq"),
        never_reused_ids(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict] = mapped_column(JSON)
    op_id: Mapped[str | None] = mapped_column(String(64))
    # "facilitator", "projector" or "participant:<id>": who sent it (for op_id ownership and audit).
    actor: Mapped[str] = mapped_column(String(40))
    # What the op_id stood for (sha256 of the command's name and payload): a reuse for another command is refused.
    command_digest: Mapped[str | None] = mapped_column(String(64))
    # The sender's private part of the first ack (e.g. their own dots), returned as is to a resend.
    ack_result: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
