"""The civic-dialogue indicators, counted from the register (db.models.dialogue), in one place
for the overview, the forecast and the exports:

- documents monitored (DOCUMENTS_MONITORED): distinct live documents, each on the first day
  an incubator in scope (or the programme) began to monitor it, so that the periods add up
  to the whole and a document two incubators follow counts once for the programme;
- opinions (OPINIONS): counted opinions on their submission day, a joint one once;
- organisations with opinions (OPINION_ORGANIZATIONS): distinct live organisations among the
  authors of the counted opinions of the period.

Counted opinions obey the same statuses as activities (`counted_statuses`: approved, and for
everyone but funders, on request, submitted; staff count only their own incubator's submitted
ones, as they read other incubators' opinions only once approved) and the incubator and
region filters through their incubator; documents through the monitoring incubator.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from db.enums import ActivityStatus, IndicatorMethod, Role
from db.models import Document, DocumentMonitoring, Opinion, OpinionAuthor, Organization
from tracker.analytics.scope import Filters, counted_statuses, incubators_in_scope
from tracker.auth import Actor

DIALOGUE_METHODS = frozenset({IndicatorMethod.DOCUMENTS_MONITORED, IndicatorMethod.OPINIONS,
                              IndicatorMethod.OPINION_ORGANIZATIONS})


def _in_range(day: Any, date_from: dt.date | None, date_to: dt.date | None
              ) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if date_from:
        conditions.append(day >= date_from)
    if date_to:
        conditions.append(day <= date_to)
    return conditions


def monitoring_starts(filters: Filters, date_to: dt.date | None = None) -> Any:
    """(document_id, day): each live document monitored in scope, with the first day of its
    monitoring there (up to `date_to`)."""
    return (select(DocumentMonitoring.document_id,
                   func.min(DocumentMonitoring.monitored_from).label("day"))
            .where(*_monitoring_conditions(filters, date_to))
            .group_by(DocumentMonitoring.document_id).subquery())


def _monitoring_conditions(filters: Filters, date_to: dt.date | None
                           ) -> list[ColumnElement[bool]]:
    """Monitoring rows in scope up to `date_to`, of live documents (the deleted are few: a
    short list to look up rather than a join)."""
    conditions: list[ColumnElement[bool]] = [DocumentMonitoring.document_id.not_in(
        select(Document.id).where(Document.deleted_at.is_not(None)))]
    if filters.region_code or filters.incubator_id:
        conditions.append(DocumentMonitoring.incubator_id.in_(incubators_in_scope(filters)))
    if date_to:
        conditions.append(DocumentMonitoring.monitored_from <= date_to)
    return conditions


def opinion_conditions(actor: Actor, filters: Filters, date_from: dt.date | None = None,
                       date_to: dt.date | None = None) -> list[ColumnElement[bool]]:
    """Live opinions the actor may count, in scope, submitted in [date_from, date_to]."""
    statuses = counted_statuses(actor, filters)
    counted: ColumnElement[bool] = Opinion.status == statuses[0] if len(statuses) == 1 \
        else Opinion.status.in_(statuses)
    if actor.role is Role.STAFF and len(statuses) > 1:
        # staff read other incubators' opinions once approved: so they count them
        counted = or_(Opinion.status == ActivityStatus.APPROVED.value,
                      and_(counted, Opinion.incubator_id == actor.incubator_id))
    conditions: list[ColumnElement[bool]] = [Opinion.deleted_at.is_(None), counted]
    if filters.region_code or filters.incubator_id:
        conditions.append(Opinion.incubator_id.in_(incubators_in_scope(filters)))
    return conditions + _in_range(Opinion.submitted_on, date_from, date_to)


def counted_authors(actor: Actor, filters: Filters, date_from: dt.date | None = None,
                    date_to: dt.date | None = None) -> Any:
    """(organization_id, submitted_on) of every author of a counted opinion whose organisation
    is not deleted."""
    return (select(OpinionAuthor.organization_id, Opinion.submitted_on)
            .join(Opinion, Opinion.id == OpinionAuthor.opinion_id)
            .join(Organization, Organization.id == OpinionAuthor.organization_id)
            .where(*opinion_conditions(actor, filters, date_from, date_to),
                   Organization.deleted_at.is_(None)))


def dialogue_value(session: Session, actor: Actor, method: IndicatorMethod, filters: Filters,
                   date_from: dt.date | None, date_to: dt.date | None) -> int:
    """The value of a civic-dialogue indicator over [date_from, date_to]."""
    if method is IndicatorMethod.DOCUMENTS_MONITORED and date_from is None:
        # from the start: every document monitored by then, without each one's first day
        query: Select[Any] = select(func.count(func.distinct(DocumentMonitoring.document_id))
                                    ).where(*_monitoring_conditions(filters, date_to))
    elif method is IndicatorMethod.DOCUMENTS_MONITORED:
        starts = monitoring_starts(filters, date_to)
        query = select(func.count()).select_from(starts).where(
            *_in_range(starts.c.day, date_from, None))
    elif method is IndicatorMethod.OPINIONS:
        query = select(func.count(Opinion.id)).where(
            *opinion_conditions(actor, filters, date_from, date_to))
    else:
        rows = counted_authors(actor, filters, date_from, date_to).subquery()
        query = select(func.count(func.distinct(rows.c.organization_id)))
    return int(session.scalar(query) or 0)


def dialogue_by_month(method: IndicatorMethod, actor: Actor, filters: Filters,
                      as_of: dt.date) -> Any:
    """SELECT year, month, increment: documents on the first day of monitoring, opinions on
    their day, organisations on the day of their first counted opinion (the forecast's
    cumulative series)."""
    if method is IndicatorMethod.DOCUMENTS_MONITORED:
        starts = monitoring_starts(filters, as_of)
        year, month = func.extract("year", starts.c.day), func.extract("month", starts.c.day)
        return select(year, month, func.count()).select_from(starts).group_by(year, month)
    if method is IndicatorMethod.OPINIONS:
        year = func.extract("year", Opinion.submitted_on)
        month = func.extract("month", Opinion.submitted_on)
        return (select(year, month, func.count(Opinion.id))
                .where(*opinion_conditions(actor, filters, None, as_of)).group_by(year, month))
    rows = counted_authors(actor, filters, None, as_of).subquery()
    firsts = (select(rows.c.organization_id, func.min(rows.c.submitted_on).label("day"))
              .group_by(rows.c.organization_id).subquery())
    year, month = func.extract("year", firsts.c.day), func.extract("month", firsts.c.day)
    return select(year, month, func.count()).select_from(firsts).group_by(year, month)
