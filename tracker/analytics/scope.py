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
    if actor.role is Role.FUNDER:  # funders see reported (approved) work only
        conditions.append(Activity.status == ActivityStatus.APPROVED.value)
    if filters.region_code or filters.incubator_id:
        conditions.append(Activity.incubator_id.in_(incubators_in_scope(filters)))
    if date_from:
        conditions.append(Activity.activity_date >= date_from)
    if date_to:
        conditions.append(Activity.activity_date <= date_to)
    if activity_type:
        conditions.append(Activity.type == activity_type)
    return conditions
