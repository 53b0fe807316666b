"""Capacity assessments (7 areas scored 1–4) and the capacity index they give."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from db.enums import AssessmentKind, AuditAction, CapacityArea, Role
from db.models import Assessment, AssessmentScore, Cohort, Enrollment, Organization
from tracker import audit
from tracker.auth import Actor, require_incubator, require_writer
from tracker.errors import PermissionDenied, ValidationFailed
from tracker.schemas import AssessmentCreate, AssessmentRead, CapacityChange
from tracker.services import quarters
from tracker.services._common import check_in_programme, flush, get, id_is, load

ENTITY = "assessment"
AREAS: tuple[CapacityArea, ...] = tuple(CapacityArea)  # in the order the form asks them
KINDS: tuple[AssessmentKind, ...] = tuple(AssessmentKind)


def capacity_index(scores: dict[CapacityArea, int] | dict[str, int]) -> Decimal:
    """Mean score / 4 × 100, to two decimals (25 = all ones, 100 = all fours)."""
    mean = Decimal(sum(scores.values())) / Decimal(len(scores))
    return (mean / 4 * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _to_read(assessment: Assessment) -> AssessmentRead:
    return AssessmentRead(
        id=assessment.id, organization_id=assessment.organization_id,
        cohort_id=assessment.cohort_id, kind=assessment.kind,
        assessed_on=assessment.assessed_on,
        scores={CapacityArea(s.area): s.score for s in assessment.scores},
        capacity_index=assessment.capacity_index, notes=assessment.notes,
        version=assessment.version)


def _incubator_of(session: Session, actor: Actor, data: AssessmentCreate) -> int | None:
    """The incubator the assessment belongs to; staff only assess organisations they support."""
    if data.cohort_id is not None:
        cohort = get(session, Cohort, data.cohort_id)
        if cohort is None:
            raise ValidationFailed.single("cohort_id", "unknown_cohort")
        require_incubator(actor, cohort.incubator_id)
        return cohort.incubator_id
    require_writer(actor)
    if actor.is_manager:
        return None
    enrolled = session.scalar(select(exists(
        select(Enrollment.id).join(Cohort).where(
            Enrollment.organization_id == data.organization_id,
            Cohort.incubator_id == actor.incubator_id))))
    if not enrolled:
        raise PermissionDenied()
    return actor.incubator_id


def record_assessment(session: Session, *, actor: Actor, data: AssessmentCreate
                      ) -> AssessmentRead:
    """Save an assessment of all 7 areas; the capacity index is computed from the scores."""
    load(session, Organization, "organization", data.organization_id)
    incubator_id = _incubator_of(session, actor, data)
    check_in_programme(session, "assessed_on", data.assessed_on, incubator_id)
    if incubator_id is not None:  # an assessment in a cycle counts for its quarter
        quarters.check_open(session, incubator_id, data.assessed_on)
    assessment = Assessment(
        organization_id=data.organization_id, cohort_id=data.cohort_id, kind=data.kind.value,
        assessed_on=data.assessed_on, notes=data.notes, assessor_id=actor.user_id,
        capacity_index=capacity_index(data.scores),
        scores=[AssessmentScore(area=a.value, score=s) for a, s in sorted(data.scores.items())])
    session.add(assessment)
    flush(session)
    audit.record(session, actor, entity=ENTITY, entity_id=assessment.id,
                 action=AuditAction.CREATE,
                 after=audit.snapshot(assessment, scores={s.area: s.score
                                                          for s in assessment.scores}))
    return _to_read(assessment)


def list_assessments(session: Session, *, actor: Actor, organization_id: int
                     ) -> list[AssessmentRead]:
    """An organisation's assessments, oldest first (funders see them only as journeys)."""
    require_writer(actor)
    rows = session.scalars(select(Assessment).where(
        id_is(Assessment.organization_id, organization_id), Assessment.deleted_at.is_(None))
        .order_by(Assessment.assessed_on, Assessment.id))
    return [_to_read(a) for a in rows]


def capacity_change(session: Session, *, actor: Actor, organization_id: int) -> CapacityChange:
    """The capacity index at intake (or the first assessment), the latest one, and the gain."""
    require_writer(actor)
    load(session, Organization, "organization", organization_id, allow_deleted=True)
    rows = session.execute(
        select(Assessment.kind, Assessment.assessed_on, Assessment.capacity_index)
        .where(Assessment.organization_id == organization_id, Assessment.deleted_at.is_(None))
        .order_by(Assessment.assessed_on, Assessment.id)).all()
    if not rows:
        return CapacityChange(organization_id=organization_id, intake_index=None, intake_on=None,
                              latest_index=None, latest_on=None, change=None)
    intakes = [r for r in rows if r.kind == AssessmentKind.INTAKE.value]
    first = intakes[0] if intakes else rows[0]
    latest = rows[-1]
    change = latest.capacity_index - first.capacity_index if latest is not first else None
    return CapacityChange(organization_id=organization_id, intake_index=first.capacity_index,
                          intake_on=first.assessed_on, latest_index=latest.capacity_index,
                          latest_on=latest.assessed_on, change=change)


def may_assess(session: Session, *, actor: Actor, organization_id: int) -> bool:
    """Whether `record_assessment` would take this organisation's assessment from the actor."""
    load(session, Organization, "organization", organization_id)
    if actor.role is Role.FUNDER:
        return False
    if actor.is_manager:
        return True
    return bool(session.scalar(select(exists(
        select(Enrollment.id).join(Cohort).where(
            Enrollment.organization_id == organization_id,
            Cohort.incubator_id == actor.incubator_id)))))
