"""Activities, who took part in them, their evidence files and the closed quarters that freeze
them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.enums import ActivityFormat, ActivityStatus, ActivityType, CapacityArea, values
from db.models.base import MAX_COUNT, Base, Versioned, in_list, utcnow
from db.models.organizations import Organization
from db.models.people import Attendance
from db.models.programme import Incubator


class Activity(Base, Versioned):
    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    incubator_id: Mapped[int] = mapped_column(ForeignKey("incubators.id"))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"), index=True)
    type: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    activity_date: Mapped[dt.date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    format: Mapped[str] = mapped_column(String(20))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id"),
                                                        index=True)
    total_participants: Mapped[int] = mapped_column(Integer)
    next_steps: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=ActivityStatus.SUBMITTED.value)
    review_comment: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    external_ref: Mapped[str | None] = mapped_column(String(100))  # the importer's own `ref`
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    incubator: Mapped[Incubator] = relationship()
    areas: Mapped[list[ActivityArea]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityArea.area"
    )
    participations: Mapped[list[Participation]] = relationship(
        cascade="all, delete-orphan", order_by="Participation.organization_id"
    )
    attendances: Mapped[list[Attendance]] = relationship(
        cascade="all, delete-orphan", order_by="Attendance.person_id"
    )

    __table_args__ = (
        CheckConstraint(in_list("type", values(ActivityType)), name="type"),
        CheckConstraint(in_list("format", values(ActivityFormat)), name="format"),
        CheckConstraint(in_list("status", values(ActivityStatus)), name="status"),
        CheckConstraint("hours > 0 AND hours <= 200", name="hours"),
        CheckConstraint(f"total_participants >= 0 AND total_participants <= {MAX_COUNT}",
                        name="total_participants"),
        UniqueConstraint("incubator_id", "external_ref"),
        Index("ix_activities_incubator_id_activity_date", "incubator_id", "activity_date"),
        Index("ix_activities_activity_date_type", "activity_date", "type"),
    )


ATTACHMENT_TYPES = ("application/pdf", "image/jpeg", "image/png")
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


class Attachment(Base):
    """Evidence for an activity: an attendance list, an agenda, a photo (PDF, JPEG or PNG,
    recognised by content). The bytes are in `content`, or, when TRACKER_ATTACHMENTS_DIR is
    set, in that folder under their SHA-256 (then `content` is NULL)."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        CheckConstraint(in_list("content_type", list(ATTACHMENT_TYPES)), name="content_type"),
        CheckConstraint(f"size_bytes > 0 AND size_bytes <= {ATTACHMENT_MAX_BYTES}",
                        name="size"),
        CheckConstraint("length(sha256) = 64", name="sha256"),
        UniqueConstraint("activity_id", "sha256"),
    )


class PeriodClosure(Base):
    """A quarter of an incubator closed after reporting: its activities can no longer change.
    Reopening (admins only, with a reason) keeps the row and fills `reopened_*`; closing again
    adds a new row, so the history stays."""

    __tablename__ = "period_closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    incubator_id: Mapped[int] = mapped_column(ForeignKey("incubators.id"))
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reopened_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    reopen_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("quarter >= 1 AND quarter <= 4", name="quarter"),
        CheckConstraint("year >= 2000 AND year <= 2100", name="year"),
        CheckConstraint("reopened_at IS NULL OR (reopen_reason IS NOT NULL AND "
                        "length(reopen_reason) > 0)", name="reopen_reason"),
        # one closure in force per incubator and quarter
        Index("ix_period_closures_open", "incubator_id", "year", "quarter", unique=True,
              sqlite_where=text("reopened_at IS NULL"),
              postgresql_where=text("reopened_at IS NULL")),
    )


class ActivityArea(Base):
    """A capacity area an activity addressed (many per activity); lets SQL group by area."""

    __tablename__ = "activity_areas"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    )
    area: Mapped[str] = mapped_column(String(20), primary_key=True)

    __table_args__ = (
        CheckConstraint(in_list("area", values(CapacityArea)), name="area"),
        Index("ix_activity_areas_area", "area"),
    )


class Participation(Base):
    __tablename__ = "participations"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    attendees: Mapped[int] = mapped_column(Integer)

    organization: Mapped[Organization] = relationship()

    __table_args__ = (
        UniqueConstraint("activity_id", "organization_id"),
        CheckConstraint(f"attendees >= 1 AND attendees <= {MAX_COUNT}", name="attendees"),
        Index("ix_participations_organization_id_activity_id", "organization_id", "activity_id"),
    )
