"""Enrolment services: the status machine, its dates, and who may move an organisation."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import EnrollmentStatus, Role
from db.models import AuditLog, Enrollment
from tests import factories as f
from tracker.errors import (
    DuplicateEnrollment,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    StaleVersion,
    ValidationFailed,
)
from tracker.schemas import EnrollmentCreate, EnrollmentStatusChange
from tracker.services import enrollments as svc

S = EnrollmentStatus
ALLOWED = {(S.APPLIED, S.ADMITTED), (S.APPLIED, S.REJECTED), (S.APPLIED, S.WITHDRAWN),
           (S.ADMITTED, S.GRADUATED), (S.ADMITTED, S.WITHDRAWN)}
# The path that brings a new enrolment to each status.
PATH = {S.APPLIED: [], S.ADMITTED: [S.ADMITTED], S.GRADUATED: [S.ADMITTED, S.GRADUATED],
        S.REJECTED: [S.REJECTED], S.WITHDRAWN: [S.WITHDRAWN]}


def _move(session: Session, enrollment_id: int, status: S, day: int = 10):
    version = session.get(Enrollment, enrollment_id).version  # type: ignore[union-attr]
    return svc.change_enrollment_status(
        session, actor=f.ADMIN, enrollment_id=enrollment_id,
        data=EnrollmentStatusChange(status=status, on_date=dt.date(2025, 3, day),
                                    version=version))


@pytest.mark.parametrize(("start", "target"), list(itertools.product(S, S)),
                         ids=lambda s: s.value)
def test_every_transition(session: Session, start: S, target: S) -> None:
    _, _, enrollment_id = f.enrolled_organization(session)
    for day, step in enumerate(PATH[start], start=1):
        _move(session, enrollment_id, step, day)
    if (start, target) in ALLOWED:
        result = _move(session, enrollment_id, target, 20)
        assert result.status is target
        if target is S.GRADUATED:
            assert result.graduated_on == dt.date(2025, 3, 20)
        if target in (S.REJECTED, S.WITHDRAWN):
            assert result.closed_on == dt.date(2025, 3, 20)
    else:
        with pytest.raises(InvalidTransition) as exc:
            _move(session, enrollment_id, target, 20)
        assert "nevar mainīt" in exc.value.message("lv")
        assert session.get(Enrollment, enrollment_id).status == start.value  # type: ignore[union-attr]


def test_transition_is_audited(session: Session) -> None:
    _, _, enrollment_id = f.enrolled_organization(session)
    _move(session, enrollment_id, S.ADMITTED)
    entry = session.scalars(select(AuditLog).where(AuditLog.entity == "enrollment",
                                                   AuditLog.action == "status",
                                                   AuditLog.entity_id == enrollment_id)).one()
    assert entry.before is not None and entry.before["status"] == "applied"
    assert entry.after is not None and entry.after["status"] == "admitted"


def test_date_cannot_go_back(session: Session) -> None:
    _, _, enrollment_id = f.enrolled_organization(session)  # applied 2025-02-01
    with pytest.raises(ValidationFailed) as exc:
        svc.change_enrollment_status(session, actor=f.ADMIN, enrollment_id=enrollment_id,
                                     data=EnrollmentStatusChange(
                                         status=S.ADMITTED, on_date=dt.date(2025, 1, 20),
                                         version=1))
    assert exc.value.errors[0].field == "on_date"


def test_date_outside_programme(session: Session) -> None:
    org = f.organization(session)
    with pytest.raises(ValidationFailed) as exc:
        svc.enroll(session, actor=f.ADMIN, data=EnrollmentCreate(
            organization_id=org.id, cohort_id=f.cohort(session), applied_on=dt.date(2024, 12, 1)))
    error = exc.value.errors[0]
    assert (error.field, error.code) == ("applied_on", "date_outside_programme")
    assert "01.01.2025" in error.message("lv") and "31.12.2026" in error.message("lv")


def test_enrolling_twice_is_refused(session: Session) -> None:
    org_id, cohort_id, _ = f.enrolled_organization(session)
    with pytest.raises(DuplicateEnrollment):
        svc.enroll(session, actor=f.ADMIN, data=EnrollmentCreate(
            organization_id=org_id, cohort_id=cohort_id, applied_on=dt.date(2025, 2, 2)))


@pytest.mark.parametrize(("role", "incubator", "allowed"), [
    (Role.ADMIN, None, True), (Role.MANAGER, None, True), (Role.STAFF, "VIDZEME", True),
    (Role.STAFF, "KURZEME", False), (Role.FUNDER, None, False)])
def test_who_may_enrol_and_move(session: Session, role: Role, incubator: str | None,
                                allowed: bool) -> None:
    actor = f.actor(session, role, incubator)
    org = f.organization(session)
    cohort_id = f.cohort(session, "VIDZEME")
    data = EnrollmentCreate(organization_id=org.id, cohort_id=cohort_id,
                            applied_on=dt.date(2025, 2, 1))
    if not allowed:
        with pytest.raises(PermissionDenied):
            svc.enroll(session, actor=actor, data=data)
        enrollment = svc.enroll(session, actor=f.ADMIN, data=data)
        with pytest.raises(PermissionDenied):
            svc.change_enrollment_status(session, actor=actor, enrollment_id=enrollment.id,
                                         data=EnrollmentStatusChange(
                                             status=S.ADMITTED, on_date=dt.date(2025, 3, 1),
                                             version=1))
        return
    enrollment = svc.enroll(session, actor=actor, data=data)
    moved = svc.change_enrollment_status(session, actor=actor, enrollment_id=enrollment.id,
                                         data=EnrollmentStatusChange(
                                             status=S.ADMITTED, on_date=dt.date(2025, 3, 1),
                                             version=1))
    assert moved.admitted_on == dt.date(2025, 3, 1)


def test_stale_status_change(session: Session) -> None:
    _, _, enrollment_id = f.enrolled_organization(session)
    _move(session, enrollment_id, S.ADMITTED)
    with pytest.raises(StaleVersion):
        svc.change_enrollment_status(session, actor=f.ADMIN, enrollment_id=enrollment_id,
                                     data=EnrollmentStatusChange(
                                         status=S.WITHDRAWN, on_date=dt.date(2025, 4, 1),
                                         version=1))


@pytest.mark.parametrize("huge", [2**31, 2**63, 2**70])
def test_an_id_beyond_the_integer_range_is_not_found(session: Session, huge: int) -> None:
    org_id, cohort_id, _enrollment = f.enrolled_organization(session)
    for organization_id, cohort in ((huge, cohort_id), (org_id, huge)):
        with pytest.raises(NotFound):
            svc.enroll(session, actor=f.ADMIN, data=EnrollmentCreate(
                organization_id=organization_id, cohort_id=cohort,
                applied_on=dt.date(2025, 3, 1)))
    with pytest.raises(NotFound):
        svc.change_enrollment_status(session, actor=f.ADMIN, enrollment_id=huge,
                                     data=EnrollmentStatusChange(
                                         status=S.ADMITTED, on_date=dt.date(2025, 3, 1),
                                         version=1))
    for read in (svc.list_organization_enrollments, svc.list_enrollable_cohorts):
        with pytest.raises(NotFound):
            read(session, actor=f.ADMIN, organization_id=-huge)
    assert svc.list_enrollments(session, actor=f.ADMIN, organization_id=huge) == []
    assert svc.list_enrollments(session, actor=f.ADMIN, cohort_id=-huge) == []
