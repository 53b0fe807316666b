"""Indicators, their targets and the values entered by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.enums import IndicatorMethod, values
from db.models.base import Base, Versioned, in_list


class Indicator(Base, Versioned):
    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    code: Mapped[str] = mapped_column(String(40))
    name_lv: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    method: Mapped[str] = mapped_column(String(30))
    # Narrows the method: an activity type for activities/attendees, a milestone kind for
    # milestones; empty means all.
    parameter: Mapped[str | None] = mapped_column(String(40))
    unit_lv: Mapped[str] = mapped_column(String(40), default="")
    unit_en: Mapped[str] = mapped_column(String(40), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        UniqueConstraint("program_id", "code"),
        CheckConstraint(in_list("method", values(IndicatorMethod)), name="method"),
    )


class Target(Base, Versioned):
    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    # Scope: NULL incubator = the whole programme; NULL year = the whole programme period.
    incubator_id: Mapped[int | None] = mapped_column(ForeignKey("incubators.id"))
    year: Mapped[int | None] = mapped_column(Integer)
    target_value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    # 0 stands for NULL in the two key columns below, so one scope has one target.
    incubator_key: Mapped[int] = mapped_column(Integer, default=0)
    year_key: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        UniqueConstraint("indicator_id", "incubator_key", "year_key"),
        CheckConstraint("target_value >= 0", name="target_value"),
        CheckConstraint("year IS NULL OR (year >= 2000 AND year <= 2100)", name="year"),
        CheckConstraint("incubator_key = COALESCE(incubator_id, 0)", name="incubator_key"),
        CheckConstraint("year_key = COALESCE(year, 0)", name="year_key"),
    )


class IndicatorEntry(Base, Versioned):
    """A value entered by hand for a `manual` indicator (e.g. documents monitored)."""

    __tablename__ = "indicator_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    incubator_id: Mapped[int | None] = mapped_column(ForeignKey("incubators.id"))
    entry_date: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    note: Mapped[str | None] = mapped_column(String(1000))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (CheckConstraint("value >= 0", name="value"),)
