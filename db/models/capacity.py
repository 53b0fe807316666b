"""Capacity: assessments with their seven area scores, and milestones."""

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
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.enums import AssessmentKind, CapacityArea, MilestoneKind, values
from db.models.base import Base, Versioned, in_list


class Assessment(Base, Versioned):
    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    # Mean of the seven scores / 4 × 100, written with the scores so dashboards need no join.
    capacity_index: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    notes: Mapped[str | None] = mapped_column(Text)
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    scores: Mapped[list[AssessmentScore]] = relationship(
        cascade="all, delete-orphan", order_by="AssessmentScore.area"
    )

    __table_args__ = (
        CheckConstraint(in_list("kind", values(AssessmentKind)), name="kind"),
        CheckConstraint("capacity_index >= 25 AND capacity_index <= 100", name="capacity_index"),
        Index("ix_assessments_organization_id_assessed_on", "organization_id", "assessed_on"),
    )


class AssessmentScore(Base):
    __tablename__ = "assessment_scores"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    area: Mapped[str] = mapped_column(String(20), primary_key=True)
    score: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint(in_list("area", values(CapacityArea)), name="area"),
        CheckConstraint("score >= 1 AND score <= 4", name="score"),
    )


class Milestone(Base, Versioned):
    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    incubator_id: Mapped[int | None] = mapped_column(ForeignKey("incubators.id"))
    kind: Mapped[str] = mapped_column(String(30))
    achieved_on: Mapped[dt.date] = mapped_column(Date)
    amount_eur: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    reference: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint(in_list("kind", values(MilestoneKind)), name="kind"),
        CheckConstraint("amount_eur IS NULL OR amount_eur >= 0", name="amount"),
        Index("ix_milestones_incubator_id_achieved_on", "incubator_id", "achieved_on"),
    )
