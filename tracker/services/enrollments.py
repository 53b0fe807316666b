"""Enrolments: an organisation in a cohort, moving applied → admitted → graduated."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from db.enums import AuditAction, EnrollmentStatus, Role
from db.models import Cohort, Enrollment, Organization
from tracker import audit
from tracker.auth import Actor, require_incubator, require_writer
from tracker.errors import DuplicateEnrollment, InvalidTransition, ValidationFailed
from tracker.schemas import (
    CohortRead,
    EnrollmentCreate,
    EnrollmentDetail,
    EnrollmentRead,
    EnrollmentRecord,
    EnrollmentStatusChange,
)
from tracker.services._common import (
    check_in_programme,
    check_version,
    flush,
    flush_unique,
    id_is,
    load,
)

ENTITY = "enrollment"

S = EnrollmentStatus
STATUSES: tuple[EnrollmentStatus, ...] = tuple(EnrollmentStatus)  # in the order filters offer them
# The only moves an enrolment can make; graduated, rejected and withdrawn are final.
TRANSITIONS: dict[EnrollmentStatus, frozenset[EnrollmentStatus]] = {
    S.APPLIED: frozenset({S.ADMITTED, S.REJECTED, S.WITHDRAWN}),
    S.ADMITTED: frozenset({S.GRADUATED, S.WITHDRAWN}),
    S.GRADUATED: frozenset(),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}


# The dates each status has: the service's moves keep to this, and an imported row must.
DATES_OF: dict[EnrollmentStatus, tuple[str, ...]] = {
    S.APPLIED: ("applied_on",),
    S.ADMITTED: ("applied_on", "admitted_on"),
    S.GRADUATED: ("applied_on", "admitted_on", "graduated_on"),
    S.REJECTED: ("applied_on", "closed_on"),
    S.WITHDRAWN: ("applied_on", "closed_on"),
}
_OPTIONAL_DATES: dict[EnrollmentStatus, tuple[str, ...]] = {
    S.REJECTED: ("admitted_on",), S.WITHDRAWN: ("admitted_on",)}  # withdrawn after admission
DATE_FIELDS = ("applied_on", "admitted_on", "graduated_on", "closed_on")


def date_problems(data: EnrollmentRecord) -> list[tuple[str, str, dict[str, object]]]:
    """What is wrong with an enrolment's dates for its status, as (field, error code,
    parameters): a date the status needs is missing, one it cannot have is there, or a date
    comes before the one it follows."""
    problems: list[tuple[str, str, dict[str, object]]] = []
    needed = DATES_OF[data.status]
    allowed = needed + _OPTIONAL_DATES.get(data.status, ())
    for name in DATE_FIELDS:
        value = getattr(data, name)
        if name in needed and value is None:
            problems.append((name, "import_enrollment_date_needed", {"status": data.status}))
        elif name not in allowed and value is not None:
            problems.append((name, "import_enrollment_date_not_allowed",
                             {"status": data.status}))
    if problems:
        return problems
    for name, after in (("admitted_on", "applied_on"), ("graduated_on", "admitted_on"),
                        ("closed_on", "admitted_on"), ("closed_on", "applied_on")):
        value, before = getattr(data, name), getattr(data, after)
        if value is not None and before is not None and value < before:
            problems.append((name, "import_enrollment_date_order", {"other": f"field:{after}"}))
            break
    return problems


def reachable(current: EnrollmentStatus, target: EnrollmentStatus) -> bool:
    """Whether `target` is `current` or lies ahead of it by the allowed moves."""
    seen, frontier = {current}, [current]
    while frontier:
        for step in TRANSITIONS[frontier.pop()]:
            if step not in seen:
                seen.add(step)
                frontier.append(step)
    return target in seen


def enroll(session: Session, *, actor: Actor, data: EnrollmentCreate) -> EnrollmentRead:
    """Record an organisation's application to a cohort."""
    cohort = load(session, Cohort, "cohort", data.cohort_id)
    require_incubator(actor, cohort.incubator_id)
    load(session, Organization, "organization", data.organization_id)
    check_in_programme(session, "applied_on", data.applied_on, cohort.incubator_id)
    exists = session.scalar(select(Enrollment.id).where(
        Enrollment.organization_id == data.organization_id,
        Enrollment.cohort_id == data.cohort_id))
    if exists:
        raise DuplicateEnrollment()
    enrollment = Enrollment(organization_id=data.organization_id, cohort_id=data.cohort_id,
                            status=S.APPLIED.value, applied_on=data.applied_on, note=data.note)
    session.add(enrollment)
    flush_unique(session, DuplicateEnrollment())
    audit.record(session, actor, entity=ENTITY, entity_id=enrollment.id,
                 action=AuditAction.CREATE, after=audit.snapshot(enrollment))
    return EnrollmentRead.model_validate(enrollment)


def change_enrollment_status(session: Session, *, actor: Actor, enrollment_id: int,
                             data: EnrollmentStatusChange) -> EnrollmentRead:
    """Move an enrolment to its next status; impossible moves are refused."""
    enrollment = load(session, Enrollment, ENTITY, enrollment_id)
    cohort = load(session, Cohort, "cohort", enrollment.cohort_id)
    require_incubator(actor, cohort.incubator_id)
    check_version(enrollment, data.version)
    current = S(enrollment.status)
    if data.status not in TRANSITIONS[current]:
        raise InvalidTransition(current=current.value, target=data.status.value)
    check_in_programme(session, "on_date", data.on_date, cohort.incubator_id)
    last = max(d for d in (enrollment.applied_on, enrollment.admitted_on) if d is not None)
    if data.on_date < last:
        raise ValidationFailed.single("on_date", "date_order")
    before = audit.snapshot(enrollment)
    enrollment.status = data.status.value
    if data.status is S.ADMITTED:
        enrollment.admitted_on = data.on_date
    elif data.status is S.GRADUATED:
        enrollment.graduated_on = data.on_date
    else:
        enrollment.closed_on = data.on_date
    if data.note:
        enrollment.note = data.note
    flush(session)
    audit.record(session, actor, entity=ENTITY, entity_id=enrollment.id,
                 action=AuditAction.STATUS, before=before, after=audit.snapshot(enrollment))
    return EnrollmentRead.model_validate(enrollment)


def list_enrollments(session: Session, *, actor: Actor, organization_id: int | None = None,
                     cohort_id: int | None = None) -> list[EnrollmentRead]:
    """Enrolments of an organisation or of a cohort, oldest application first."""
    require_writer(actor)
    query = select(Enrollment)
    if organization_id is not None:
        query = query.where(id_is(Enrollment.organization_id, organization_id))
    if cohort_id is not None:
        query = query.where(id_is(Enrollment.cohort_id, cohort_id))
    query = query.order_by(Enrollment.applied_on, Enrollment.id)
    return [EnrollmentRead.model_validate(e) for e in session.scalars(query)]


def _may_change(actor: Actor, incubator_id: int) -> bool:
    """The rule of `require_incubator`, as a yes or no for the page."""
    return actor.is_manager or (actor.role is Role.STAFF and actor.incubator_id == incubator_id)


def list_organization_enrollments(session: Session, *, actor: Actor, organization_id: int
                                  ) -> list[EnrollmentDetail]:
    """An organisation's enrolments with their cohorts and the moves the actor may make."""
    require_writer(actor)
    load(session, Organization, "organization", organization_id)
    rows = session.execute(
        select(Enrollment, Cohort.name, Cohort.incubator_id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Enrollment.organization_id == organization_id)
        .order_by(Enrollment.applied_on, Enrollment.id)).all()
    details = []
    for enrollment, cohort_name, incubator_id in rows:
        status = S(enrollment.status)
        may_change = _may_change(actor, incubator_id)
        details.append(EnrollmentDetail(
            id=enrollment.id, organization_id=enrollment.organization_id,
            cohort_id=enrollment.cohort_id, cohort_name=cohort_name, incubator_id=incubator_id,
            status=status, applied_on=enrollment.applied_on, admitted_on=enrollment.admitted_on,
            graduated_on=enrollment.graduated_on, closed_on=enrollment.closed_on,
            note=enrollment.note, version=enrollment.version, may_change=may_change,
            next_statuses=[s for s in S if s in TRANSITIONS[status]] if may_change else []))
    return details


def list_enrollable_cohorts(session: Session, *, actor: Actor, organization_id: int
                            ) -> list[CohortRead]:
    """Cohorts the actor may enrol the organisation in (staff: their incubator's), newest first."""
    require_writer(actor)
    load(session, Organization, "organization", organization_id)
    already = exists(select(Enrollment.id).where(Enrollment.cohort_id == Cohort.id,
                                                 Enrollment.organization_id == organization_id))
    query = select(Cohort).where(~already)
    if not actor.is_manager:
        query = query.where(Cohort.incubator_id == actor.incubator_id)
    query = query.order_by(Cohort.start_date.desc(), Cohort.incubator_id, Cohort.number)
    return [CohortRead.model_validate(c) for c in session.scalars(query)]
