"""The programme's structure: a programme, its incubators and their cycles (cohorts)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base, Versioned, count_between
from db.models.reference import Region


class Program(Base, Versioned):
    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_lv: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    budget_eur: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    # The completion rule of "people trained": at least this many hours attended of activities
    # of these types (an administrator changes it, audited).
    trained_min_hours: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(12),
                                                       server_default="12")
    trained_activity_types: Mapped[list[str]] = mapped_column(
        default=lambda: ["training"], server_default='["training"]')

    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="period"),
        CheckConstraint("budget_eur IS NULL OR budget_eur >= 0", name="budget"),
        CheckConstraint("trained_min_hours > 0 AND trained_min_hours <= 1000",
                        name="trained_min_hours"),
    )


class Incubator(Base, Versioned):
    __tablename__ = "incubators"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_lv: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    operator: Mapped[str | None] = mapped_column(String(200))
    budget_eur: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)

    program: Mapped[Program] = relationship()
    region: Mapped[Region] = relationship()

    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="period"),
        CheckConstraint("budget_eur IS NULL OR budget_eur >= 0", name="budget"),
    )


class Cohort(Base, Versioned):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    incubator_id: Mapped[int] = mapped_column(ForeignKey("incubators.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    seats: Mapped[int | None] = mapped_column(Integer)
    # The call for applications ("pieteikšanās konkurss") that opens the cycle; either may be
    # unknown (the other rules, e.g. closing by end_date, are tracker.schemas.CohortCreate's).
    call_opens_on: Mapped[dt.date | None] = mapped_column(Date)
    call_closes_on: Mapped[dt.date | None] = mapped_column(Date)

    incubator: Mapped[Incubator] = relationship()

    __table_args__ = (
        UniqueConstraint("incubator_id", "number"),
        CheckConstraint("end_date >= start_date", name="period"),
        CheckConstraint(count_between("seats", 0, 10_000), name="seats"),
        CheckConstraint("number >= 1", name="number"),
        CheckConstraint("call_closes_on IS NULL OR call_opens_on IS NULL OR "
                        "call_closes_on >= call_opens_on", name="call_period"),
    )
