"""Enrolments: an organisation in a cohort, moving applied → admitted → graduated."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import AuditAction, EnrollmentStatus
from db.models import Cohort, Enrollment, Organization
from tracker import audit
from tracker.auth import Actor, require_incubator
from tracker.errors import DuplicateEnrollment, InvalidTransition, ValidationFailed
from tracker.schemas import EnrollmentCreate, EnrollmentRead, EnrollmentStatusChange
from tracker.services._common import check_in_programme, check_version, flush, flush_unique, load

ENTITY = "enrollment"

S = EnrollmentStatus
# The only moves an enrolment can make; graduated, rejected and withdrawn are final.
TRANSITIONS: dict[EnrollmentStatus, frozenset[EnrollmentStatus]] = {
    S.APPLIED: frozenset({S.ADMITTED, S.REJECTED, S.WITHDRAWN}),
    S.ADMITTED: frozenset({S.GRADUATED, S.WITHDRAWN}),
    S.GRADUATED: frozenset(),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}


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
    query = select(Enrollment)
    if organization_id is not None:
        query = query.where(Enrollment.organization_id == organization_id)
    if cohort_id is not None:
        query = query.where(Enrollment.cohort_id == cohort_id)
    query = query.order_by(Enrollment.applied_on, Enrollment.id)
    return [EnrollmentRead.model_validate(e) for e in session.scalars(query)]
