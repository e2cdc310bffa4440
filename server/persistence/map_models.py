"""SQLAlchemy models of tribe maps: one map per project, its nodes, links, share plan and e-mail drafts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.clock import utcnow
from .models import Base, never_reused_ids


class TribeMap(Base):
    """Created lazily on a project's first map change; holds the momentum meter's assumptions."""

    __tablename__ = "tribe_maps"
    __table_args__ = never_reused_ids()

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), unique=True)
    average_pledge: Mapped[int] = mapped_column(Integer)
    conversion_pct: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MapNode(Base):
    __tablename__ = "map_nodes"
    __table_args__ = never_reused_ids()

    id: Mapped[int] = mapped_column(primary_key=True)
    map_id: Mapped[int] = mapped_column(ForeignKey("tribe_maps.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    ring: Mapped[str] = mapped_column(String(10))
    reach: Mapped[int] = mapped_column(Integer, default=0)
    # Map units in [-1, 1], the project at (0, 0): the same picture on every screen size.
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    # The participant who added it; None when the facilitator did.
    added_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class MapLink(Base):
    """"A can bring B": a directed link between two nodes of one map."""

    __tablename__ = "map_links"
    __table_args__ = (UniqueConstraint("map_id", "from_node_id", "to_node_id"), never_reused_ids())

    id: Mapped[int] = mapped_column(primary_key=True)
    map_id: Mapped[int] = mapped_column(ForeignKey("tribe_maps.id", ondelete="CASCADE"), index=True)
    from_node_id: Mapped[int] = mapped_column(ForeignKey("map_nodes.id", ondelete="CASCADE"))
    to_node_id: Mapped[int] = mapped_column(ForeignKey("map_nodes.id", ondelete="CASCADE"))
    added_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PlanItem(Base):
    """A share-plan item for one node or one ring: what, when, where (channel), how (message)."""

    __tablename__ = "map_plan_items"
    __table_args__ = never_reused_ids()

    id: Mapped[int] = mapped_column(primary_key=True)
    map_id: Mapped[int] = mapped_column(ForeignKey("tribe_maps.id", ondelete="CASCADE"), index=True)
    node_id: Mapped[int | None] = mapped_column(ForeignKey("map_nodes.id", ondelete="SET NULL"))
    ring: Mapped[str | None] = mapped_column(String(10))
    what: Mapped[str] = mapped_column(String(400))
    phase: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(160), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    added_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class EmailDraft(Base):
    """The author's kept draft for one ring (until saved, clients show the template's draft)."""

    __tablename__ = "map_email_drafts"
    __table_args__ = (UniqueConstraint("map_id", "ring"), never_reused_ids())

    id: Mapped[int] = mapped_column(primary_key=True)
    map_id: Mapped[int] = mapped_column(ForeignKey("tribe_maps.id", ondelete="CASCADE"), index=True)
    ring: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
