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
    or_,
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
          incubators: Select[Any] | None = None) -> Subquery:
    """(person_id, trained_on): the day each person became trained, from the attendances."""
    where = counted(statuses, activity_types, incubators)
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


def _first_days(rows: Subquery, by_incubator: bool, minimum: int) -> Subquery:
    """Per person (and incubator): the first day the running sum of hours reaches the
    rule, counting submitted activities too and approved ones only; the lowest and highest
    incubator."""
    key = [rows.c.person_id, *([rows.c.incubator_id] if by_incubator else [])]
    running = select(rows.c.person_id, rows.c.incubator_id, rows.c.day, *(
        func.sum(rows.c[measure]).over(partition_by=key, order_by=rows.c.day, rows=(None, 0))
        .label(measure) for measure in ("cents", "approved_cents"))).subquery()
    group = [running.c.person_id, *([running.c.incubator_id] if by_incubator else [])]
    return select(*group, *(func.min(case((running.c[measure] >= minimum, running.c.day)))
                            .label(name) for measure, name in (("cents", "trained_on"),
                                                               ("approved_cents",
                                                                "approved_on"))),
                  func.min(running.c.incubator_id).label("lo"),
                  func.max(running.c.incubator_id).label("hi")).group_by(*group).subquery()


def recount(writer: Any) -> AnySelect:
    """What `trained_people` must hold, from the attendances and the programme's rule as it
    is stored (what the triggers of migration 0011 read): SELECT person_id, incubator_key,
    trained_on, approved_on. A person who attended one incubator's activities has the same
    days for it as for all; one who attended several is counted per incubator apart."""
    stored = writer.execute(select(Program.trained_min_hours, Program.trained_activity_types)
                            .order_by(Program.id).limit(1)).first()
    minimum, types = (_minimum(stored[0]), list(stored[1] or [])) if stored else (0, [])
    where = [*counted(SUBMITTED, types), true() if stored else false()]

    def attended(*more: ColumnElement[bool]) -> Subquery:
        return (select(Attendance.person_id, Activity.incubator_id,
                       Activity.activity_date.label("day"), _cents().label("cents"),
                       case((Activity.status == ActivityStatus.APPROVED.value, _cents()),
                            else_=0).label("approved_cents"))
                .join(Activity, Activity.id == Attendance.activity_id)
                .where(*where, *more).subquery())

    several = (select(Attendance.person_id).join(Activity, Activity.id == Attendance.activity_id)
               .where(*where).group_by(Attendance.person_id)
               .having(func.min(Activity.incubator_id) != func.max(Activity.incubator_id)))
    person = _first_days(attended(), False, minimum)
    own = union_all(select(literal(0).label("own")), select(literal(1).label("own"))).subquery()
    apart = _first_days(attended(Attendance.person_id.in_(several)), True, minimum)
    rows = union_all(
        select(person.c.person_id,
               case((own.c.own == 1, person.c.lo), else_=0).label("incubator_key"),
               person.c.trained_on, person.c.approved_on)
        .select_from(person).join(own, or_(own.c.own == 0, person.c.lo == person.c.hi))
        .where(person.c.trained_on.is_not(None)),
        select(apart.c.person_id, apart.c.incubator_id, apart.c.trained_on, apart.c.approved_on)
        .where(apart.c.trained_on.is_not(None))).subquery()
    return select(rows.c.person_id, rows.c.incubator_key, rows.c.trained_on, rows.c.approved_on)


# --- the counts the dashboards show ------------------------------------------------------


@dataclass(frozen=True)
class Way:
    """How a view is counted: from the table (`key`: submitted ones too?, incubator_key), from
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
        day = TrainedPerson.trained_on if with_submitted else TrainedPerson.approved_on
        return TrainedPerson, day, [TrainedPerson.incubator_key == incubator_key,
                                    day.is_not(None)]
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

