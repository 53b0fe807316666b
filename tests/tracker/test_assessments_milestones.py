"""Capacity assessments (index and change since intake) and milestones, with permissions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import AssessmentKind, CapacityArea, MilestoneKind, Role
from db.models import AssessmentScore
from tests import factories as f
from tracker.errors import NotFound, PermissionDenied, ValidationFailed
from tracker.schemas import AssessmentCreate, MilestoneCreate
from tracker.services import assessments, milestones


def _scores(*values: int) -> dict[CapacityArea, int]:
    return dict(zip(CapacityArea, values, strict=True))


@pytest.mark.parametrize(("values", "index"), [
    ((1, 1, 1, 1, 1, 1, 1), Decimal("25.00")),
    ((4, 4, 4, 4, 4, 4, 4), Decimal("100.00")),
    ((2, 2, 2, 2, 2, 2, 2), Decimal("50.00")),
    ((1, 2, 3, 4, 1, 2, 3), Decimal("57.14")),  # mean 16/7 = 2.2857 -> 57.14
])
def test_capacity_index(values: tuple[int, ...], index: Decimal) -> None:
    assert assessments.capacity_index(_scores(*values)) == index


def _assess(session: Session, actor, org_id: int, cohort_id: int | None, kind: AssessmentKind,
            day: dt.date, *values: int):
    return assessments.record_assessment(session, actor=actor, data=AssessmentCreate(
        organization_id=org_id, cohort_id=cohort_id, kind=kind, assessed_on=day,
        scores=_scores(*values)))


def test_change_since_intake(session: Session) -> None:
    org_id, cohort_id, _ = f.enrolled_organization(session)
    intake = _assess(session, f.ADMIN, org_id, cohort_id, AssessmentKind.INTAKE,
                     dt.date(2025, 2, 10), 2, 2, 2, 2, 2, 2, 2)
    _assess(session, f.ADMIN, org_id, cohort_id, AssessmentKind.GRADUATION,
            dt.date(2025, 12, 1), 3, 3, 3, 3, 3, 3, 3)
    assert intake.capacity_index == Decimal("50.00")
    stored = session.scalars(select(AssessmentScore).where(
        AssessmentScore.assessment_id == intake.id)).all()
    assert len(stored) == 7
    change = assessments.capacity_change(session, actor=f.ADMIN, organization_id=org_id)
    assert (change.intake_index, change.latest_index, change.change) == \
        (Decimal("50.00"), Decimal("75.00"), Decimal("25.00"))
    assert change.intake_on == dt.date(2025, 2, 10)


def test_no_assessment_no_change(session: Session) -> None:
    org = f.organization(session)
    change = assessments.capacity_change(session, actor=f.ADMIN, organization_id=org.id)
    assert change.change is None and change.intake_index is None


@pytest.mark.parametrize(("role", "staff_of", "allowed"), [
    (Role.ADMIN, None, True), (Role.MANAGER, None, True), (Role.STAFF, "VIDZEME", True),
    (Role.STAFF, "KURZEME", False), (Role.FUNDER, None, False)])
def test_who_may_assess(session: Session, role: Role, staff_of: str | None,
                        allowed: bool) -> None:
    org_id, cohort_id, _ = f.enrolled_organization(session, "VIDZEME")
    actor = f.actor(session, role, staff_of)
    for cohort in (cohort_id, None):
        if allowed:
            saved = _assess(session, actor, org_id, cohort, AssessmentKind.MIDPOINT,
                            dt.date(2025, 6, 1), 1, 2, 3, 4, 3, 2, 1)
            assert saved.scores[CapacityArea.PEOPLE] == 4
        else:
            with pytest.raises(PermissionDenied):
                _assess(session, actor, org_id, cohort, AssessmentKind.MIDPOINT,
                        dt.date(2025, 6, 1), 1, 2, 3, 4, 3, 2, 1)


def test_assessment_outside_programme(session: Session) -> None:
    org_id, cohort_id, _ = f.enrolled_organization(session)
    with pytest.raises(ValidationFailed) as exc:
        _assess(session, f.ADMIN, org_id, cohort_id, AssessmentKind.INTAKE,
                dt.date(2027, 1, 5), 2, 2, 2, 2, 2, 2, 2)
    assert exc.value.errors[0].field == "assessed_on"


@pytest.mark.parametrize(("role", "staff_of", "incubator", "allowed"), [
    (Role.ADMIN, None, None, True), (Role.MANAGER, None, "LATGALE", True),
    (Role.STAFF, "VIDZEME", None, True), (Role.STAFF, "VIDZEME", "VIDZEME", True),
    (Role.STAFF, "VIDZEME", "LATGALE", False), (Role.FUNDER, None, None, False)])
def test_who_may_record_milestones(session: Session, role: Role, staff_of: str | None,
                                   incubator: str | None, allowed: bool) -> None:
    actor = f.actor(session, role, staff_of)
    org = f.organization(session)
    data = MilestoneCreate(
        organization_id=org.id, kind=MilestoneKind.GRANT_APPLIED,
        achieved_on=dt.date(2025, 9, 3), reference="LAD 2025/42",
        incubator_id=f.incubator_id(session, incubator) if incubator else None)
    if not allowed:
        with pytest.raises(PermissionDenied):
            milestones.record_milestone(session, actor=actor, data=data)
        return
    saved = milestones.record_milestone(session, actor=actor, data=data)
    if role is Role.STAFF:  # staff record for their own incubator, even when not said
        assert saved.incubator_id == actor.incubator_id
    assert [m.id for m in milestones.list_milestones(session, actor=actor,
                                                     organization_id=org.id)] == [saved.id]


def test_milestone_date_and_amount(session: Session) -> None:
    org = f.organization(session)
    with pytest.raises(ValidationFailed) as exc:
        milestones.record_milestone(session, actor=f.ADMIN, data=MilestoneCreate(
            organization_id=org.id, kind=MilestoneKind.GRANT_AWARDED,
            achieved_on=dt.date(2024, 6, 1), amount_eur=Decimal("1500")))
    assert exc.value.errors[0].field == "achieved_on"
    saved = milestones.record_milestone(session, actor=f.ADMIN, data=MilestoneCreate.model_validate(
        {"organization_id": org.id, "kind": "grant_awarded", "achieved_on": "14.03.2026",
         "amount_eur": "1500,50"}))
    assert saved.amount_eur == Decimal("1500.50")


@pytest.mark.parametrize("huge", [2**31, 2**63, 2**70])
def test_an_id_beyond_the_integer_range_is_not_found(session: Session, huge: int) -> None:
    org_id, _cohort, _enrollment = f.enrolled_organization(session)
    with pytest.raises(NotFound):
        assessments.record_assessment(session, actor=f.ADMIN, data=AssessmentCreate(
            organization_id=huge, kind=AssessmentKind.INTAKE,
            assessed_on=dt.date(2025, 3, 1), scores=_scores(2, 2, 2, 2, 2, 2, 2)))
    with pytest.raises(ValidationFailed) as refused:
        assessments.record_assessment(session, actor=f.ADMIN, data=AssessmentCreate(
            organization_id=org_id, cohort_id=huge, kind=AssessmentKind.INTAKE,
            assessed_on=dt.date(2025, 3, 1), scores=_scores(2, 2, 2, 2, 2, 2, 2)))
    assert [(e.field, e.code) for e in refused.value.errors] == [("cohort_id", "unknown_cohort")]
    for read in (assessments.capacity_change, assessments.may_assess):
        with pytest.raises(NotFound):
            read(session, actor=f.ADMIN, organization_id=-huge)
    assert assessments.list_assessments(session, actor=f.ADMIN, organization_id=huge) == []
    with pytest.raises(NotFound):
        milestones.record_milestone(session, actor=f.ADMIN, data=MilestoneCreate(
            organization_id=org_id, incubator_id=huge, kind=MilestoneKind.GRANT_APPLIED,
            achieved_on=dt.date(2025, 3, 1)))
    assert milestones.list_milestones(session, actor=f.ADMIN, organization_id=-huge) == []
