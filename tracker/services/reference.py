"""Lists for pickers: incubators, cohorts, municipalities (valid on a date), regions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.enums import Role
from db.models import Cohort, Incubator, Municipality, Region
from tracker.auth import Actor
from tracker.i18n import latvian_sort_key
from tracker.schemas import CohortRead, IncubatorRead, MunicipalityRead
from tracker.services import _common


def list_incubators(session: Session, *, actor: Actor) -> list[IncubatorRead]:
    """All incubators (staff: theirs first), in a fixed order."""
    rows = [IncubatorRead.model_validate(i) for i in
            session.scalars(select(Incubator).order_by(Incubator.code))]
    if actor.role is Role.STAFF:
        rows.sort(key=lambda i: i.id != actor.incubator_id)
    return rows


def list_cohorts(session: Session, *, actor: Actor, incubator_id: int | None = None
                 ) -> list[CohortRead]:
    """Cohorts of one incubator (or all), newest first."""
    query = select(Cohort)
    if incubator_id is not None:
        query = query.where(_common.id_is(Cohort.incubator_id, incubator_id))
    query = query.order_by(Cohort.start_date.desc(), Cohort.incubator_id, Cohort.number)
    return [CohortRead.model_validate(c) for c in session.scalars(query)]


def list_municipalities(session: Session, *, on: dt.date | None = None,
                        region_first: int | None = None) -> list[MunicipalityRead]:
    """Municipalities (valid on `on` if given), in Latvian order; a region's own first."""
    query = select(Municipality)
    if on is not None:
        query = query.where(Municipality.valid_from <= on, or_(
            Municipality.valid_to.is_(None), Municipality.valid_to >= on))
    rows = [MunicipalityRead.model_validate(m) for m in session.scalars(query)]
    rows.sort(key=lambda m: (region_first is not None and m.region_id != region_first,
                             latvian_sort_key(m.name)))
    return rows


def region_names(session: Session) -> dict[int, tuple[str, str, str]]:
    """Region id -> (code, Latvian name, English name)."""
    return {r.id: (r.code, r.name_lv, r.name_en) for r in session.scalars(select(Region))}


def programme_period(session: Session, *, incubator_id: int | None) -> tuple[dt.date, dt.date]:
    """First and last day of the incubator's programme (dates outside it are refused)."""
    return _common.programme_period(session, incubator_id)
