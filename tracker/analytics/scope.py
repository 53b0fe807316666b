"""What every dashboard number obeys: the filters, and the SQL conditions they become."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, select

from db.enums import ActivityStatus, Role
from db.models import Activity, Incubator, Region
from tracker.auth import Actor


@dataclass(frozen=True)
class Filters:
    """What every number on a dashboard obeys; None means "all"."""

    region_code: str | None = None
    incubator_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    activity_type: str | None = None
    # managers, admins and staff count activities submitted and not yet approved too, unless
    # they ask for approved ones only; funders never (drafts and returned ones count for nobody)
    include_submitted: bool = True


def counted_statuses(actor: Actor, filters: Filters) -> tuple[str, ...]:
    """The statuses a dashboard counts for this viewer: approved, and for everyone but
    funders, on request, submitted."""
    if filters.include_submitted and actor.role is not Role.FUNDER:
        return (ActivityStatus.APPROVED.value, ActivityStatus.SUBMITTED.value)
    return (ActivityStatus.APPROVED.value,)


def counted_note_key(actor: Actor, filters: Filters) -> str:
    """The catalogue key of the line that says which statuses the numbers count."""
    return "overview.counted_submitted" if len(counted_statuses(actor, filters)) > 1 \
        else "overview.counted_approved"


def incubators_in_scope(filters: Filters) -> Select[int]:
    """The ids of the incubators the region and incubator filters leave in."""
    query = select(Incubator.id)
    if filters.region_code:
        query = query.join(Region, Region.id == Incubator.region_id).where(
            Region.code == filters.region_code)
    if filters.incubator_id:
        query = query.where(Incubator.id == filters.incubator_id)
    return query


def activity_conditions(actor: Actor, filters: Filters, date_from: dt.date | None,
                        date_to: dt.date | None, activity_type: str | None
                        ) -> list[ColumnElement[bool]]:
    """Live activities the actor may count, in scope, in [date_from, date_to], of a type."""
    conditions: list[ColumnElement[bool]] = [Activity.deleted_at.is_(None)]
    statuses = counted_statuses(actor, filters)
    conditions.append(Activity.status == statuses[0] if len(statuses) == 1
                      else Activity.status.in_(statuses))
    if filters.region_code or filters.incubator_id:
        conditions.append(Activity.incubator_id.in_(incubators_in_scope(filters)))
    if date_from:
        conditions.append(Activity.activity_date >= date_from)
    if date_to:
        conditions.append(Activity.activity_date <= date_to)
    if activity_type:
        conditions.append(Activity.type == activity_type)
    return conditions
