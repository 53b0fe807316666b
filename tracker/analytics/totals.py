"""Reading the rollups (migration 0007) under the dashboard filters.

`activity_rollup` and `area_rollup` hold live activities per day, so any range of days is
exact. `organization_rollup` holds participations per organisation and month: a range that
starts or ends inside a month reads those partial months' days from the participations
themselves, and the rest from the rollup (`supported`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, Subquery, func, select, union_all
from sqlalchemy.orm import InstrumentedAttribute, Session

from db.models import (
    Activity,
    ActivityRollup,
    AreaRollup,
    Organization,
    OrganizationRollup,
    Participation,
)
from tracker.analytics.rollups import month_start
from tracker.analytics.scope import (
    Filters,
    activity_conditions,
    counted_statuses,
    incubators_in_scope,
)
from tracker.auth import Actor

Parts = Select[int, int, dt.date]  # organisation, incubator, month
Rollup = type[ActivityRollup] | type[AreaRollup] | type[OrganizationRollup]


def rollup_conditions(model: Rollup, actor: Actor, filters: Filters,
                      activity_type: str | None) -> list[ColumnElement[bool]]:
    """Status, incubator scope and type, as `activity_conditions` has them for activities."""
    statuses = counted_statuses(actor, filters)
    conditions: list[ColumnElement[bool]] = [
        model.status == statuses[0] if len(statuses) == 1 else model.status.in_(statuses)]
    if filters.region_code or filters.incubator_id:
        conditions.append(model.incubator_id.in_(incubators_in_scope(filters)))
    if activity_type:
        conditions.append(model.type == activity_type)
    return conditions


def day_conditions(model: type[ActivityRollup] | type[AreaRollup], actor: Actor,
                   filters: Filters, date_from: dt.date | None, date_to: dt.date | None,
                   activity_type: str | None) -> list[ColumnElement[bool]]:
    """The rows of a per-day rollup that `activity_conditions` would count."""
    conditions = rollup_conditions(model, actor, filters, activity_type)
    if date_from:
        conditions.append(model.day >= date_from)
    if date_to:
        conditions.append(model.day <= date_to)
    return conditions


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def whole_months(date_from: dt.date | None, date_to: dt.date | None
                 ) -> tuple[dt.date | None, dt.date | None, list[tuple[dt.date, dt.date]]]:
    """Split [date_from, date_to] into whole months (first and last month's first day, None
    for open ends; first > last when there is none) and the days around them."""
    first = date_from if date_from is None or date_from.day == 1 else _next_month(date_from)
    last = None if date_to is None else (
        date_to.replace(day=1) if _next_month(date_to) - dt.timedelta(days=1) == date_to
        else date_to.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if first is not None and last is not None and first > last:  # no whole month inside
        assert date_from is not None and date_to is not None
        return first, last, [(date_from, date_to)]
    edges = []
    if date_from is not None and first is not None and date_from < first:
        edges.append((date_from, first - dt.timedelta(days=1)))
    if date_to is not None and last is not None and _next_month(last) <= date_to:
        edges.append((_next_month(last), date_to))
    return first, last, edges


@dataclass(frozen=True)
class Supported:
    """Where the counted participations of a range are: rollup rows meeting `conditions`
    (None: no whole month in the range) and the partial months' rows (`edges`)."""

    conditions: list[ColumnElement[bool]] | None
    edges: list[Parts]

    def rows(self) -> Subquery:
        """(organization_id, incubator_id, month), one row per rollup row or participation
        (an organisation repeats: count it DISTINCT)."""
        parts: list[Parts] = list(self.edges)
        if self.conditions is not None:
            rollup: Parts = select(OrganizationRollup.organization_id,
                                   OrganizationRollup.incubator_id,
                                   OrganizationRollup.month).where(*self.conditions)
            parts.insert(0, rollup)
        combined: Subquery = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery()
        return combined

    def count(self) -> Select[int]:
        """SELECT the number of distinct organisations. From the rollup alone it is counted
        in the primary key's order (SQLite cannot do that through a subquery)."""
        if self.conditions is not None and not self.edges:
            return select(func.count(func.distinct(OrganizationRollup.organization_id))
                          ).where(*self.conditions)
        rows = self.rows()
        return select(func.count(func.distinct(rows.c.organization_id)))

    def took_part(self, organization_id: ColumnElement[int] | InstrumentedAttribute[int]
                  ) -> ColumnElement[bool]:
        """The organisation has a counted participation in the range. From the rollup alone
        it is a primary-key probe per organisation that stops at the first row."""
        if self.conditions is not None and not self.edges:
            return select(OrganizationRollup.organization_id).where(
                OrganizationRollup.organization_id == organization_id, *self.conditions
            ).exists()
        return organization_id.in_(select(self.rows().c.organization_id))


def not_deleted(organization_id: ColumnElement[int] | InstrumentedAttribute[int]
                ) -> ColumnElement[bool]:
    """The organisation is not deleted. The rollups keep a deleted organisation's history (its
    participations stay), so every count of organisations asks this; the deleted are few,
    so it is a short list to look up rather than a join."""
    return organization_id.not_in(select(Organization.id).where(
        Organization.deleted_at.is_not(None)))


def supported(session: Session, actor: Actor, filters: Filters, date_from: dt.date | None,
              date_to: dt.date | None, activity_type: str | None) -> Supported:
    """The counted participations in [date_from, date_to] of the given type, of organisations
    that are not deleted."""
    first, last, edge_days = whole_months(date_from, date_to)
    conditions = None
    if first is None or last is None or first <= last:
        conditions = rollup_conditions(OrganizationRollup, actor, filters, activity_type)
        conditions.append(not_deleted(OrganizationRollup.organization_id))
        if first is not None:
            conditions.append(OrganizationRollup.month >= first)
        if last is not None:
            conditions.append(OrganizationRollup.month <= last)
    month = month_start(session, Activity.activity_date)
    edges: list[Parts] = [
        select(Participation.organization_id, Activity.incubator_id, month.label("month"))
        .join(Activity, Activity.id == Participation.activity_id)
        .where(*activity_conditions(actor, filters, start, end, activity_type),
               not_deleted(Participation.organization_id))
        for start, end in edge_days]
    return Supported(conditions, edges)
