"""Rollups (migration 0007): totals the dashboards read instead of walking every activity and
participation."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base

# --- Rollups (migration 0007) ------------------------------------------------------------
# Totals the dashboards read instead of walking every activity and participation. Database
# triggers keep them equal to the live rows on every write, whatever writes (the services,
# the importer, the demo loader, a hand-typed SQL statement); `tracker rollups --check`
# compares them with a recount and `--rebuild` recounts them. Deleted activities and their
# participations are not in them. No foreign keys: they are derived data, and a key check
# per trigger row would cost more than the total it keeps.


class ActivityRollup(Base):
    """Live activities per day, incubator, type and status, with their participations and
    attendees: activity counts, attendees and the quarterly series, for any range of days."""

    __tablename__ = "activity_rollup"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    incubator_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    activities: Mapped[int] = mapped_column(Integer)
    participations: Mapped[int] = mapped_column(Integer)
    attendees: Mapped[int] = mapped_column(Integer)

    __table_args__ = ({"sqlite_with_rowid": False},)


class AreaRollup(Base):
    """Live activities per day, incubator, type, status and capacity area addressed."""

    __tablename__ = "area_rollup"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    incubator_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    area: Mapped[str] = mapped_column(String(32), primary_key=True)
    activities: Mapped[int] = mapped_column(Integer)

    __table_args__ = ({"sqlite_with_rowid": False},)


class OrganizationRollup(Base):
    """Participations per organisation, status, month, incubator and type of live activities:
    distinct organisations supported, by probing a few rows per organisation. A range that
    starts or ends inside a month takes that month's days from the participations."""

    __tablename__ = "organization_rollup"

    organization_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    incubator_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(32), primary_key=True)
    participations: Mapped[int] = mapped_column(Integer)

    __table_args__ = ({"sqlite_with_rowid": False},)


class TrainedPerson(Base):
    """When each person became trained (migration 0011): the first day their attended hours
    of the rule's activity types reached the rule's hours (tracker.services.trained),
    counting submitted activities too (`trained_on`) or approved ones only (`approved_on`,
    NULL: not trained so), at every incubator's activities (`incubator_key` 0) or at one
    incubator's alone. No row: not trained. tracker.analytics.trained defines it and reads
    it; triggers keep it, and a change of the rule recounts it."""

    __tablename__ = "trained_people"

    person_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incubator_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    trained_on: Mapped[dt.date] = mapped_column(Date)
    approved_on: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (
        Index("ix_trained_people_incubator_key_trained_on", "incubator_key", "trained_on"),
        Index("ix_trained_people_incubator_key_approved_on", "incubator_key", "approved_on"),
        {"sqlite_with_rowid": False},
    )
