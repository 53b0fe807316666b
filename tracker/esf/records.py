"""Who the ESF+ reports are about, read with a few set-based queries (never one per person).

A participant of a period is a person who attended at least one counted activity in it: live,
of a status the viewer counts (tracker.analytics.scope.counted_statuses), in the region and
incubator filters, dated in the period and of the chosen type. Their **entry** is their first
counted attendance in the programme, whatever the period and type: the ESF+ characteristics
are as at entry, and so is the age (full years on the entry day; from the birth year alone,
the age reached in the entry year, when the birth date is erased). **Hours** are those they
attended in the period (an attendee's own hours, else the whole activity's).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, case, func, literal, select
from sqlalchemy.orm import Session

from db.enums import Role
from db.models import Activity, Attendance, Incubator, Membership, Organization, Person
from tracker.analytics.scope import Filters, activity_conditions, incubators_in_scope
from tracker.auth import Actor
from tracker.errors import PermissionDenied

# Age groups of the ESF+ common indicators (and the ages between, so that the groups add up).
AGE_GROUPS = ("below_18", "aged_18_29", "aged_30_54", "aged_55_plus")
CHARACTERISTICS = (Person.birth_date, Person.birth_year, Person.gender,
                   Person.employment_status, Person.education, Person.disability,
                   Person.third_country_national, Person.foreign_background, Person.minority,
                   Person.homeless, Person.rural)
IDENTITY = (Person.ref, Person.first_name, Person.last_name, Person.personal_code_secret)


@contextmanager
def bulk() -> Iterator[None]:
    """No cyclic garbage collection while tens of thousands of rows are built: each of its
    passes walks every live object, and a report's rows are all alive until it is done
    (measured: a third of the participants' report's time at national scale). Tuples and
    lists of plain values make no cycles; collection resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def people_filters(actor: Actor, filters: Filters) -> Filters:
    """The filters narrowed to whose people the actor may read: staff their own incubator's
    (another incubator asked for by name is refused), managers and administrators everyone's,
    funders nobody's (they read the suppressed summary only)."""
    if actor.role is Role.FUNDER:
        raise PermissionDenied()
    if actor.role is Role.STAFF:
        if actor.incubator_id is None or filters.incubator_id not in (None, actor.incubator_id):
            raise PermissionDenied()
        return dataclasses.replace(filters, incubator_id=actor.incubator_id)
    return filters


def attended(actor: Actor, filters: Filters) -> Any:
    """Per person who attended in the period: entry (first counted attendance anywhere in
    time) and hours in the period, as a subquery (person_id, entry, hours)."""
    hours = func.coalesce(Attendance.hours, Activity.hours)
    counted = activity_conditions(actor, filters, None, None, None)
    in_period: list[ColumnElement[bool]] = []
    if filters.date_from:
        in_period.append(Activity.activity_date >= filters.date_from)
    if filters.date_to:
        in_period.append(Activity.activity_date <= filters.date_to)
    if filters.activity_type:
        in_period.append(Activity.type == filters.activity_type)
    query = (select(Attendance.person_id.label("person_id"),
                    func.min(Activity.activity_date).label("entry"))
             .join(Activity, Activity.id == Attendance.activity_id)
             .where(*counted).group_by(Attendance.person_id))
    if not in_period:
        return query.add_columns(func.sum(hours).label("hours")).subquery("attended")
    inside = and_(*in_period)
    return (query.add_columns(func.sum(case((inside, hours), else_=literal(0))).label("hours"))
            .having(func.max(case((inside, 1), else_=0)) == 1).subquery("attended"))


class Participant(NamedTuple):
    """A participant of the period (a tuple: 60,000 of them are read at national scale)."""

    id: int
    incubator_id: int
    incubator_code: str
    birth_date: dt.date | None
    birth_year: int | None
    gender: str | None
    employment_status: str | None
    education: str | None
    disability: str | None
    third_country_national: str | None
    foreign_background: str | None
    minority: str | None
    homeless: str | None
    rural: str | None
    erased_at: dt.datetime | None
    entry: dt.date
    hours: Any
    # the identity, read only for the participants' report
    ref: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    personal_code_secret: str | None = None


def participants(session: Session, actor: Actor, filters: Filters, *,
                 identity: bool) -> list[Participant]:
    """The participants of the period (one query); with `identity`, also their reference,
    names and encrypted code, sorted by incubator and reference."""
    summary = attended(actor, filters)
    columns = [Person.id, Person.incubator_id, Incubator.code, *CHARACTERISTICS,
               Person.erased_at, summary.c.entry, summary.c.hours]
    if identity:
        columns += IDENTITY
    # through the connection: plain rows, without the ORM's loading of each (a third faster)
    result = session.connection().execute(
        select(*columns).join(summary, summary.c.person_id == Person.id)
        .join(Incubator, Incubator.id == Person.incubator_id))
    found = [Participant(*row) for row in result.all()]
    if identity:  # sorted here: cheaper than PostgreSQL's sort of the wide rows on disk
        found.sort(key=lambda p: (p.incubator_code, p.ref or "", p.id))
    return found


def organisations(session: Session, filters: Filters) -> dict[int, list[str]]:
    """Person id -> their organisations as `Name (reg. no.)`, by name, for the incubators in
    the filters (one query; the caller picks its participants)."""
    query = (select(Membership.person_id, Organization.name, Organization.reg_no)
             .join(Organization, Organization.id == Membership.organization_id)
             .join(Person, Person.id == Membership.person_id)
             .where(Organization.deleted_at.is_(None))
             .order_by(Membership.person_id, Organization.name))
    if filters.region_code or filters.incubator_id:
        query = query.where(Person.incubator_id.in_(incubators_in_scope(filters)))
    found: dict[int, list[str]] = {}
    for person_id, name, reg_no in session.connection().execute(query).all():
        found.setdefault(person_id, []).append(f"{name} ({reg_no})")
    return found


def incubators(session: Session, filters: Filters) -> list[tuple[int, str, str, str]]:
    """The incubators the filters leave in: (id, code, Latvian name, English name) by code."""
    return [(row.id, row.code, row.name_lv, row.name_en) for row in session.execute(
        select(Incubator.id, Incubator.code, Incubator.name_lv, Incubator.name_en)
        .where(Incubator.id.in_(incubators_in_scope(filters))).order_by(Incubator.code))]


def age_at(entry: dt.date, birth_date: dt.date | None, birth_year: int | None) -> int | None:
    """Full years on the entry day; with the birth year only, the age reached that year."""
    if birth_date is not None:
        return entry.year - birth_date.year - ((entry.month, entry.day)
                                               < (birth_date.month, birth_date.day))
    return entry.year - birth_year if birth_year is not None else None


def age_group(age: int | None) -> str | None:
    """below_18, aged_18_29, aged_30_54 or aged_55_plus (None: the age is not known)."""
    if age is None:
        return None
    if age < 18:
        return "below_18"
    if age <= 29:
        return "aged_18_29"
    return "aged_30_54" if age <= 54 else "aged_55_plus"


def hours_number(value: Any) -> int | float:
    """Hours as the database returns them (Decimal, float or None): whole hours as int."""
    number = value if isinstance(value, Decimal) else Decimal(str(value or 0))
    return int(number) if number == number.to_integral_value() else float(number)
