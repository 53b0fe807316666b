"""Milestones: what an organisation achieved (opinions submitted, grants, strategies, ...)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import AuditAction, MilestoneKind
from db.models import Incubator, Milestone, Organization
from tracker import audit
from tracker.auth import Actor, require_incubator, require_writer
from tracker.schemas import MilestoneCreate, MilestoneRead
from tracker.services import quarters
from tracker.services._common import check_in_programme, flush, id_is, load

ENTITY = "milestone"
# In the order the form offers them; opinions are recorded in the civic-dialogue register.
KINDS: tuple[MilestoneKind, ...] = tuple(k for k in MilestoneKind
                                         if k is not MilestoneKind.OPINION_SUBMITTED)


def record_milestone(session: Session, *, actor: Actor, data: MilestoneCreate) -> MilestoneRead:
    """Save a milestone; staff record it for their own incubator."""
    require_writer(actor)
    load(session, Organization, "organization", data.organization_id)
    incubator_id = data.incubator_id
    if incubator_id is None and not actor.is_manager:
        incubator_id = actor.incubator_id
    if incubator_id is not None:
        load(session, Incubator, "incubator", incubator_id)
        require_incubator(actor, incubator_id)
    check_in_programme(session, "achieved_on", data.achieved_on, incubator_id)
    if incubator_id is not None:  # milestones count for their incubator's quarter
        quarters.check_open(session, incubator_id, data.achieved_on)
    milestone = Milestone(
        organization_id=data.organization_id, incubator_id=incubator_id, kind=data.kind.value,
        achieved_on=data.achieved_on, amount_eur=data.amount_eur, reference=data.reference,
        description=data.description, recorded_by_id=actor.user_id)
    session.add(milestone)
    flush(session)
    audit.record(session, actor, entity=ENTITY, entity_id=milestone.id, action=AuditAction.CREATE,
                 after=audit.snapshot(milestone))
    return MilestoneRead.model_validate(milestone)


def list_milestones(session: Session, *, actor: Actor, organization_id: int
                    ) -> list[MilestoneRead]:
    """An organisation's milestones, newest first."""
    require_writer(actor)
    rows = session.scalars(select(Milestone).where(
        id_is(Milestone.organization_id, organization_id), Milestone.deleted_at.is_(None))
        .order_by(Milestone.achieved_on.desc(), Milestone.id.desc()))
    return [MilestoneRead.model_validate(m) for m in rows]
