"""Programme indicators and their targets, per programme or incubator and per year or period."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import AuditAction
from db.models import Incubator, Indicator, Program, Target
from tracker import audit
from tracker.auth import Actor, require_admin
from tracker.errors import FieldError, StaleVersion, TrackerError, ValidationFailed
from tracker.schemas import IndicatorRead, TargetRead, TargetSet
from tracker.services._common import (
    check_version,
    flush,
    flush_unique,
    get,
    id_is,
    programme_period,
)

ENTITY = "target"


class TargetExists(TrackerError):
    """A target for this scope is already set (change that one instead of adding another)."""

    code = "target_exists"


def list_indicators(session: Session, *, actor: Actor) -> list[IndicatorRead]:
    """The programme indicators, in their reporting order."""
    require_admin(actor)
    query = select(Indicator).order_by(Indicator.program_id, Indicator.sort_order, Indicator.id)
    return [IndicatorRead.model_validate(i) for i in session.scalars(query)]


def list_targets(session: Session, *, actor: Actor, indicator_id: int | None = None
                 ) -> list[TargetRead]:
    """Targets by indicator; the whole programme before incubators, the period before years."""
    require_admin(actor)
    query = (select(Target).join(Indicator, Indicator.id == Target.indicator_id)
             .order_by(Indicator.sort_order, Indicator.id, Target.incubator_key,
                       Target.year_key))
    if indicator_id is not None:
        query = query.where(id_is(Target.indicator_id, indicator_id))
    return [TargetRead.model_validate(t) for t in session.scalars(query)]


def target_years(session: Session, *, actor: Actor) -> list[int]:
    """The calendar years a yearly target can be set for (those of the programme period)."""
    require_admin(actor)
    start, end = programme_period(session, None)
    return list(range(start.year, end.year + 1))


def _check_scope(session: Session, indicator: Indicator, data: TargetSet) -> None:
    program = session.get(Program, indicator.program_id)
    assert program is not None  # foreign key
    errors: list[FieldError] = []
    if data.incubator_id is not None:
        incubator = get(session, Incubator, data.incubator_id)
        if incubator is None:
            errors.append(FieldError("incubator_id", "unknown_incubator"))
        elif incubator.program_id != indicator.program_id:
            errors.append(FieldError("incubator_id", "incubator_other_programme"))
    first, last = program.start_date.year, program.end_date.year
    if data.year is not None and not first <= data.year <= last:
        errors.append(FieldError("year", "year_outside_programme", {"start": first, "end": last}))
    if errors:
        raise ValidationFailed(errors)


def set_target(session: Session, *, actor: Actor, data: TargetSet) -> TargetRead:
    """Set the target of one scope, or change it (`data.version` = the version being changed)."""
    require_admin(actor)
    indicator = get(session, Indicator, data.indicator_id)
    if indicator is None:
        raise ValidationFailed.single("indicator_id", "unknown_indicator")
    _check_scope(session, indicator, data)
    # 0 stands for "whole programme" / "whole period" in the key columns (one target a scope).
    incubator_key, year_key = data.incubator_id or 0, data.year or 0
    target = session.scalar(select(Target).where(
        Target.indicator_id == indicator.id, Target.incubator_key == incubator_key,
        Target.year_key == year_key))
    if target is None:
        if data.version is not None:
            raise StaleVersion()  # the target being changed was removed meanwhile
        target = Target(indicator_id=indicator.id, incubator_id=data.incubator_id,
                        year=data.year, incubator_key=incubator_key, year_key=year_key,
                        target_value=data.target_value)
        session.add(target)
        flush_unique(session, TargetExists())
        audit.record(session, actor, entity=ENTITY, entity_id=target.id,
                     action=AuditAction.CREATE, after=audit.snapshot(target))
        return TargetRead.model_validate(target)
    if data.version is None:
        raise TargetExists()
    check_version(target, data.version)
    if target.target_value != data.target_value:  # 250 and 250.00 are the same target
        before = audit.snapshot(target)
        target.target_value = data.target_value
        flush(session)
        audit.record(session, actor, entity=ENTITY, entity_id=target.id,
                     action=AuditAction.UPDATE, before=before, after=audit.snapshot(target))
    return TargetRead.model_validate(target)


def delete_target(session: Session, *, actor: Actor, target_id: int, version: int) -> None:
    """Remove a target (the indicator is then tracked without one for that scope)."""
    require_admin(actor)
    target = get(session, Target, target_id)
    if target is None:
        raise StaleVersion()  # removed by someone else meanwhile
    check_version(target, version)
    before = audit.snapshot(target)
    session.delete(target)
    flush(session)
    audit.record(session, actor, entity=ENTITY, entity_id=target_id, action=AuditAction.DELETE,
                 before=before)
