"""The start page's numbers: the actor's incubator for staff, the programme for the others."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from db.enums import Role
from db.models import Activity, Cohort, Incubator, Participation
from tracker.analytics.scope import Filters, counted_statuses
from tracker.auth import Actor
from tracker.schemas import ActivityRead
from tracker.services.activities import list_activities


class StartPage(BaseModel):
    model_config = ConfigDict(frozen=True)

    incubator_name_lv: str | None
    incubator_name_en: str | None
    activities: int
    organizations_supported: int
    attendees: int
    cohorts_active: int
    recent: list[ActivityRead]

    def incubator_name(self, lang: str) -> str | None:
        return self.incubator_name_en if lang == "en" else self.incubator_name_lv


def summary(session: Session, *, actor: Actor, today: dt.date | None = None) -> StartPage:
    """Totals of activities, organisations supported and attendees, and recent activities."""
    today = today or dt.date.today()  # noqa: DTZ011 - the calendar day the user sees
    # the dashboards' rule: funders count approved work, the others submitted work too;
    # drafts and returned activities count for nobody
    where: list[ColumnElement[bool]] = [
        Activity.deleted_at.is_(None),
        Activity.status.in_(counted_statuses(actor, Filters()))]
    if actor.role is Role.STAFF:
        where.append(Activity.incubator_id == actor.incubator_id)
    activities = session.scalar(select(func.count()).select_from(Activity).where(*where)) or 0
    orgs, attendees = session.execute(
        select(func.count(func.distinct(Participation.organization_id)),
               func.coalesce(func.sum(Participation.attendees), 0))
        .join(Activity, Activity.id == Participation.activity_id).where(*where)).one()
    cohorts = select(func.count()).select_from(Cohort).where(
        Cohort.start_date <= today, Cohort.end_date >= today)
    if actor.role is Role.STAFF:
        cohorts = cohorts.where(Cohort.incubator_id == actor.incubator_id)
    names = session.execute(select(Incubator.name_lv, Incubator.name_en).where(
        Incubator.id == actor.incubator_id)).first() if actor.incubator_id else None
    recent = [] if actor.role is Role.FUNDER else list_activities(session, actor=actor, limit=8)
    return StartPage(
        incubator_name_lv=names[0] if names else None,
        incubator_name_en=names[1] if names else None,
        activities=int(activities), organizations_supported=int(orgs),
        attendees=int(attendees), cohorts_active=int(session.scalar(cohorts) or 0),
        recent=recent)
