"""The completion rule of "people trained": a person counts once they have attended at least
`min_hours` of activities of the counted types (default: 12 hours of trainings). It is the
programme's setting; an administrator changes it, audited. Every count of people trained
(the indicator, its forecast, the people pages, the exports) reads it from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import ActivityStatus, ActivityType, AuditAction
from db.models import Program
from tracker import audit
from tracker.auth import Actor, require_admin
from tracker.errors import NotFound, ValidationFailed

DEFAULT_HOURS = Decimal(12)
DEFAULT_TYPES = (ActivityType.TRAINING.value,)
MAX_HOURS = Decimal(1000)
ENTITY = "training_rule"


@dataclass(frozen=True)
class TrainingRule:
    min_hours: Decimal
    activity_types: tuple[str, ...]
    # the statuses whose attendance counts on a person's card (as for managers and staff)
    statuses: tuple[str, ...] = (ActivityStatus.APPROVED.value, ActivityStatus.SUBMITTED.value)


def _program(session: Session) -> Program | None:
    return session.scalars(select(Program).order_by(Program.id).limit(1)).first()


def training_rule(session: Session) -> TrainingRule:
    """The programme's rule (the defaults before any programme exists)."""
    program = _program(session)
    if program is None:
        return TrainingRule(DEFAULT_HOURS, DEFAULT_TYPES)
    types = tuple(t for t in ActivityType if t.value in (program.trained_activity_types or []))
    return TrainingRule(Decimal(program.trained_min_hours),
                        tuple(t.value for t in types) or DEFAULT_TYPES)


def set_training_rule(session: Session, *, actor: Actor, min_hours: Decimal,
                      activity_types: list[str]) -> TrainingRule:
    """Change the rule (administrators only): hours above 0 and at most 1000, one or more
    activity types."""
    require_admin(actor)
    try:
        hours = Decimal(str(min_hours))
    except ArithmeticError:
        raise ValidationFailed.single("min_hours", "not_number") from None
    if not hours.is_finite() or hours <= 0:
        raise ValidationFailed.single("min_hours", "gt_value", gt=0)
    if hours > MAX_HOURS:
        raise ValidationFailed.single("min_hours", "max_value", le=MAX_HOURS)
    known = {t.value for t in ActivityType}
    chosen: list[str] = [t.value for t in ActivityType if t.value in set(activity_types)]
    if not chosen or any(t not in known for t in activity_types):
        raise ValidationFailed.single("activity_types", "not_allowed",
                                      expected=", ".join(sorted(known)))
    program = _program(session)
    if program is None:
        raise NotFound("program", None)
    before = {"min_hours": str(program.trained_min_hours),
              "activity_types": list(program.trained_activity_types or [])}
    program.trained_min_hours = hours.quantize(Decimal("0.01"))
    program.trained_activity_types = chosen
    session.flush()
    audit.record(session, actor, entity=ENTITY, entity_id=program.id, action=AuditAction.UPDATE,
                 before=before, after={"min_hours": str(program.trained_min_hours),
                                       "activity_types": chosen})
    return training_rule(session)
