"""People trained: the one definition of when a person becomes trained, and its counts.

A person becomes trained on the day of the attendance at which their attended hours reach
the programme's rule (tracker.services.trained: default 12 hours of trainings). Hours are
the attendance's own, or the whole activity's when it has none. Counted are live activities
of the rule's types, in a status the viewer counts (`scope.counted_statuses`: funders
approved ones only), at an incubator in the filters' scope; a type filter narrows the
rule's types. Hours before a period count towards it: a period holds the people who became
trained in it, so the quarters add up to the whole, and a person counts once however many
trainings they attend.

`dates` works the days out from the attendances (a window over each person's activities).
Over the national data set (600,000 attendances) that takes over a second, so the
`trained_people` table (migration 0011) keeps each person's day for the ways the dashboards
count: approved only or submitted too, every incubator or one. Triggers keep it, and
`recount` (what it must hold, from this module's definition) checks and rebuilds it with the
other rollups. A view it does not hold (a region of several incubators, or a type filter
narrowing a rule of several types) is worked out with `dates` directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Subquery,
    and_,
    case,
    false,
    func,
    literal,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from db.enums import ActivityStatus
from db.models import Activity, Attendance, Incubator, Program, TrainedPerson
from tracker.analytics.scope import Filters, counted_statuses, incubators_in_scope
from tracker.auth import Actor
from tracker.services.trained import TrainingRule, training_rule

AnySelect = Select[*tuple[Any, ...]]
HUNDREDTHS = 100  # hours are summed in hundredths: exact on SQLite's floating point too
SUBMITTED = (ActivityStatus.APPROVED.value, ActivityStatus.SUBMITTED.value)


def _cents() -> ColumnElement[Any]:
    return func.round(func.coalesce(Attendance.hours, Activity.hours) * HUNDREDTHS)


def _minimum(hours: Decimal) -> int:
    return int((Decimal(hours) * HUNDREDTHS).to_integral_value())


def counted(statuses: Sequence[str], activity_types: Sequence[str],
            incubators: Select[Any] | None = None) -> list[ColumnElement[bool]]:
    """The attendances (joined to their activity) that count towards the rule."""
    conditions: list[ColumnElement[bool]] = [
        Activity.deleted_at.is_(None), Activity.status.in_(list(statuses)),
        Activity.type.in_(list(activity_types))]
    if incubators is not None:
        conditions.append(Activity.incubator_id.in_(incubators))
    return conditions


def dates(*, statuses: Sequence[str], activity_types: Sequence[str], min_hours: Decimal,
          incubators: Select[Any] | None = None,
          people: Sequence[int] | None = None) -> Subquery:
    """(person_id, trained_on): the day each person became trained, from the attendances."""
    where = counted(statuses, activity_types, incubators)
    if people is not None:
        where.append(Attendance.person_id.in_(list(people)))
    rows = (select(Attendance.person_id, Activity.activity_date.label("day"),
                   _cents().label("cents"))
            .join(Activity, Activity.id == Attendance.activity_id).where(*where).subquery())
    running = select(rows.c.person_id, rows.c.day, func.sum(rows.c.cents).over(
        partition_by=rows.c.person_id, order_by=rows.c.day, rows=(None, 0)).label("total")
    ).subquery()
    return (select(running.c.person_id, func.min(running.c.day).label("trained_on"))
            .where(running.c.total >= _minimum(min_hours))
            .group_by(running.c.person_id).subquery())


def trained_hours(session: Session, *, person_id: int, rule: TrainingRule,
                  statuses: Sequence[str] | None = None) -> Decimal:
    """A person's attended hours that count towards the rule (exact to the hundredth)."""
    total = session.scalar(
        select(func.coalesce(func.sum(_cents()), 0))
        .join(Activity, Activity.id == Attendance.activity_id)
        .where(Attendance.person_id == person_id,
               *counted(statuses or rule.statuses, rule.activity_types)))
    return Decimal(int(total or 0)) / HUNDREDTHS


def recount(writer: Any) -> AnySelect:
    """What `trained_people` must hold, from the attendances and the programme's rule as it
    is stored (what the triggers of migration 0011 read): SELECT person_id, with_submitted,
    incubator_key, trained_on."""
    stored = writer.execute(select(Program.trained_min_hours, Program.trained_activity_types)
                            .order_by(Program.id).limit(1)).first()
    minimum, types = (stored[0], list(stored[1] or [])) if stored else (Decimal(0), [])
    rows = (select(Attendance.person_id, Activity.activity_date.label("day"),
                   Activity.incubator_id, Activity.status, _cents().label("cents"))
            .join(Activity, Activity.id == Attendance.activity_id)
            .where(*counted(SUBMITTED, types), true() if stored else false()).subquery())
    ways = union_all(select(true().label("with_submitted")),
                     select(false().label("with_submitted"))).subquery()
    own = union_all(select(false().label("own")), select(true().label("own"))).subquery()
    key = case((own.c.own, rows.c.incubator_id), else_=literal(0)).label("incubator_key")
    keyed = (select(rows.c.person_id, ways.c.with_submitted, key, rows.c.day, rows.c.cents)
             .select_from(rows).join(ways, ways.c.with_submitted
                                     | (rows.c.status == ActivityStatus.APPROVED.value))
             .join(own, true()).subquery())
    group = (keyed.c.person_id, keyed.c.with_submitted, keyed.c.incubator_key)
    running = select(*group, keyed.c.day, func.sum(keyed.c.cents).over(
        partition_by=group, order_by=keyed.c.day, rows=(None, 0)).label("total")).subquery()
    return (select(running.c.person_id, running.c.with_submitted, running.c.incubator_key,
                   func.min(running.c.day))
            .where(running.c.total >= _minimum(minimum))
            .group_by(running.c.person_id, running.c.with_submitted, running.c.incubator_key))


# --- the counts the dashboards show ------------------------------------------------------


@dataclass(frozen=True)
class Way:
    """How a view is counted: from the table (`key`: with_submitted, incubator_key), from
    the attendances (`types` and `incubators`), or not at all (`nothing`)."""

    statuses: tuple[str, ...]
    types: tuple[str, ...]
    rule: TrainingRule
    key: tuple[bool, int] | None = None
    incubators: Select[Any] | None = None
    nothing: bool = False


def way(session: Session, actor: Actor, filters: Filters, activity_type: str | None
        ) -> Way:
    """Where the count of people trained under these filters comes from."""
    rule = training_rule(session)
    statuses = counted_statuses(actor, filters)
    types = tuple(t for t in rule.activity_types if activity_type in (None, t))
    if not types:  # a type filter outside the rule: nobody becomes trained by it
        return Way(statuses, types, rule, nothing=True)
    scoped = bool(filters.region_code or filters.incubator_id)
    incubators = incubators_in_scope(filters) if scoped else None
    key: int | None = 0
    if scoped:
        chosen = set(session.scalars(incubators_in_scope(filters)))
        if not chosen:
            return Way(statuses, types, rule, nothing=True)
        every = set(session.scalars(select(Incubator.id)))
        key = 0 if chosen == every else next(iter(chosen)) if len(chosen) == 1 else None
    if key is None or set(types) != set(rule.activity_types):
        return Way(statuses, types, rule, incubators=incubators)
    return Way(statuses, types, rule, key=(len(statuses) > 1, key))


def _days(found: Way) -> tuple[Any, Any, list[ColumnElement[bool]]]:
    """(FROM, the trained day column, conditions) of the way's people."""
    if found.key is not None:
        with_submitted, incubator_key = found.key
        return TrainedPerson, TrainedPerson.trained_on, [
            TrainedPerson.with_submitted == with_submitted,
            TrainedPerson.incubator_key == incubator_key]
    worked_out = dates(statuses=found.statuses, activity_types=found.types,
                       min_hours=found.rule.min_hours, incubators=found.incubators)
    return worked_out, worked_out.c.trained_on, []


def people_trained(session: Session, actor: Actor, filters: Filters,
                   date_from: dt.date | None, date_to: dt.date | None,
                   activity_type: str | None,
                   periods: Sequence[tuple[dt.date, dt.date]] = ()) -> list[int]:
    """Distinct people who became trained in [date_from, date_to] under the filters, and
    then in each of `periods` within it (one pass)."""
    found = way(session, actor, filters, activity_type)
    if found.nothing:
        return [0] * (1 + len(periods))
    source, day, where = _days(found)
    if date_from:
        where.append(day >= date_from)
    if date_to:
        where.append(day <= date_to)
    parts = [func.sum(case((and_(day >= start, day <= end), 1), else_=0))
             for start, end in periods]
    row = session.execute(select(func.count(), *parts).select_from(source).where(*where)).one()
    return [int(value or 0) for value in row]


def trained_by_month(session: Session, actor: Actor, filters: Filters, as_of: dt.date,
                     activity_type: str | None) -> AnySelect:
    """SELECT year, month, people who became trained in it, up to `as_of`."""
    found = way(session, actor, filters, activity_type)
    if found.nothing:
        return select(literal(0), literal(0), literal(0)).where(false())
    source, day, where = _days(found)
    year, month = func.extract("year", day), func.extract("month", day)
    return (select(year, month, func.count()).select_from(source)
            .where(*where, day <= as_of).group_by(year, month))

