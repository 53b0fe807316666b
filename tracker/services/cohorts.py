"""Cohorts (cycles) of the incubators, for administrators: list, create, edit."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.enums import AuditAction
from db.models import Cohort, Enrollment, Incubator
from tracker import audit
from tracker.auth import Actor, require_admin
from tracker.errors import ValidationFailed
from tracker.schemas import MAX_SEATS, CohortCreate, CohortDetail, CohortRead, CohortUpdate
from tracker.services._common import check_version, flush_unique, get, id_is, load
from tracker.services.incubators import check_period

ENTITY = "cohort"


def _number_taken(number: int) -> ValidationFailed:
    return ValidationFailed.single("number", "cohort_number_taken", number=number)


def _check_number_free(session: Session, incubator_id: int, number: int,
                       cohort_id: int | None = None) -> None:
    query = select(Cohort.id).where(Cohort.incubator_id == incubator_id, Cohort.number == number)
    if cohort_id is not None:
        query = query.where(Cohort.id != cohort_id)
    if session.scalar(query) is not None:
        raise _number_taken(number)


def _check_dates(session: Session, incubator_id: int, data: CohortCreate | CohortUpdate) -> None:
    """Every date of the cycle, its call for applications' too, inside the programme."""
    check_period(session, incubator_id, data.start_date, data.end_date,
                 call_opens_on=data.call_opens_on, call_closes_on=data.call_closes_on)


def _detail(session: Session, cohort: Cohort) -> CohortDetail:
    enrolled = session.scalar(select(func.count()).select_from(Enrollment).where(
        Enrollment.cohort_id == cohort.id)) or 0
    return CohortDetail(**CohortRead.model_validate(cohort).model_dump(),
                        enrollments=int(enrolled))


def list_cohorts(session: Session, *, actor: Actor, incubator_id: int | None = None
                 ) -> list[CohortDetail]:
    """Cohorts of one incubator (or all) with their enrolment counts, by incubator and number."""
    require_admin(actor)
    counts = (select(Enrollment.cohort_id, func.count().label("n"))
              .group_by(Enrollment.cohort_id).subquery())
    query = (select(Cohort, func.coalesce(counts.c.n, 0))
             .join(Incubator, Incubator.id == Cohort.incubator_id)
             .outerjoin(counts, counts.c.cohort_id == Cohort.id)
             .order_by(Incubator.code, Cohort.number))
    if incubator_id is not None:
        query = query.where(id_is(Cohort.incubator_id, incubator_id))
    return [CohortDetail(**CohortRead.model_validate(c).model_dump(), enrollments=int(n))
            for c, n in session.execute(query)]


def create_cohort(session: Session, *, actor: Actor, data: CohortCreate) -> CohortDetail:
    """A new cycle of an incubator: its number is new there, its dates (and its call for
    applications') inside the programme."""
    require_admin(actor)
    if get(session, Incubator, data.incubator_id) is None:
        raise ValidationFailed.single("incubator_id", "unknown_incubator")
    if data.seats is not None and data.seats > MAX_SEATS:
        raise ValidationFailed.single("seats", "max_value", le=MAX_SEATS)
    _check_dates(session, data.incubator_id, data)
    _check_number_free(session, data.incubator_id, data.number)
    cohort = Cohort(incubator_id=data.incubator_id, number=data.number, name=data.name,
                    start_date=data.start_date, end_date=data.end_date, seats=data.seats,
                    call_opens_on=data.call_opens_on, call_closes_on=data.call_closes_on)
    session.add(cohort)
    flush_unique(session, _number_taken(data.number))
    audit.record(session, actor, entity=ENTITY, entity_id=cohort.id, action=AuditAction.CREATE,
                 after=audit.snapshot(cohort))
    return _detail(session, cohort)


def update_cohort(session: Session, *, actor: Actor, cohort_id: int, data: CohortUpdate
                  ) -> CohortDetail:
    """Change a cycle's number, name, dates, call for applications and seats; an outdated
    copy is refused."""
    require_admin(actor)
    cohort = load(session, Cohort, ENTITY, cohort_id)
    check_version(cohort, data.version)
    _check_dates(session, cohort.incubator_id, data)
    _check_number_free(session, cohort.incubator_id, data.number, cohort.id)
    before = audit.snapshot(cohort)
    cohort.number, cohort.name = data.number, data.name
    cohort.start_date, cohort.end_date = data.start_date, data.end_date
    cohort.seats = data.seats
    cohort.call_opens_on, cohort.call_closes_on = data.call_opens_on, data.call_closes_on
    flush_unique(session, _number_taken(data.number))
    after = audit.snapshot(cohort)
    if after != before:
        audit.record(session, actor, entity=ENTITY, entity_id=cohort.id,
                     action=AuditAction.UPDATE, before=before, after=after)
    return _detail(session, cohort)
