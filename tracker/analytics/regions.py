"""Where the support went: totals per municipality, planning region and incubator, in SQL.

Definitions (the regions page states them too):

- An organisation belongs to the municipality recorded on it (`organizations.municipality_id`),
  not to the place an activity happened (`activities.municipality_id`, often empty or online):
  the question a funder asks is "which places' NGOs did the programme reach".
- Municipalities that have ended are folded into their successor, so every number is given for
  today's municipalities: organisations of Varakļānu novads (ended 2025-06-30) and of the
  pre-merger Madonas novads (ATVK 0038000) count under Madonas novads (ATVK 0038001, ISO LV-059).
- A region's numbers are those of its municipalities (the organisation's location), whichever
  incubator supported them; the region and incubator filters choose whose activities count.
- Supported = took part in at least one counted activity (live, in the filters; approved only for
  funders). Activities = distinct counted activities with at least one participant from the area;
  hours = the sum of those activities' hours. Per-organisation averages divide participations,
  attendees and hours of support received (an activity's hours for each organisation in it) by
  the organisations supported.
- Organisations with no municipality recorded come back as one extra row with an empty `code`,
  only when it has something to show, so totals add up to the programme's.
- Deleted organisations count nowhere: not registered, supported, enrolled, nor in any
  participation, attendee or hours-received figure.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, computed_field
from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from db.enums import EnrollmentStatus, RegionCode
from db.models import (
    Activity,
    Cohort,
    Enrollment,
    Incubator,
    Municipality,
    Organization,
    Participation,
    Region,
)
from tracker.analytics.scope import Filters, activity_conditions, incubators_in_scope
from tracker.analytics.totals import supported
from tracker.auth import Actor, Area, require_area
from tracker.i18n import latvian_sort_key

UNKNOWN = ""  # `code` of the row of organisations with no municipality (or region) recorded


def _ratio(part: float, whole: int) -> float | None:
    return round(part / whole, 2) if whole else None


class _Reach(BaseModel):
    """Names and the per-organisation averages an area and an incubator share."""

    model_config = ConfigDict(frozen=True)

    name_lv: str
    name_en: str
    organizations_supported: int
    participations: int  # (activity, organisation) pairs
    attendees: int
    support_hours: float  # hours received, summed over organisations

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_lv

    @computed_field  # type: ignore[prop-decorator]
    @property
    def activities_per_organization(self) -> float | None:
        return _ratio(self.participations, self.organizations_supported)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def attendees_per_organization(self) -> float | None:
        return _ratio(self.attendees, self.organizations_supported)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def hours_per_organization(self) -> float | None:
        return _ratio(self.support_hours, self.organizations_supported)


class AreaTotals(_Reach):
    """One municipality (`code` = ISO 3166-2:LV, e.g. LV-059) or planning region (RIGA...)."""

    code: str
    region_code: str
    atvk: str | None = None  # municipalities only
    organizations_registered: int  # live organisations located there
    activities: int
    hours: float  # hours of the distinct activities

    @computed_field  # type: ignore[prop-decorator]
    @property
    def share_supported(self) -> float | None:
        """Supported organisations as a share of those registered (0..1)."""
        return _ratio(self.organizations_supported, self.organizations_registered)


class IncubatorRow(_Reach):
    """One incubator's work under the filters."""

    incubator_id: int
    code: str
    region_code: str
    activities: int
    hours: float
    organizations_enrolled: int  # admitted or graduated in a cohort overlapping the period

    @computed_field  # type: ignore[prop-decorator]
    @property
    def share_of_enrolled_supported(self) -> float | None:
        """Supported organisations per enrolled one (can exceed 1: others take part too)."""
        return _ratio(self.organizations_supported, self.organizations_enrolled)


_REGION_ORDER = [r.value for r in RegionCode]  # Rīga, Vidzeme, Kurzeme, Zemgale, Latgale


def _successors(session: Session) -> dict[int, int]:
    """Ended municipality id -> the id of today's municipality that continues it."""
    links = {int(i): s for i, s in session.execute(
        select(Municipality.id, Municipality.successor_id)
        .where(Municipality.valid_to.is_not(None)))}
    result = {}
    for start, successor in links.items():
        current, seen = successor, {start}
        while current is not None and current in links and current not in seen:
            seen.add(current)
            current = links[current]
        if current is not None and current not in seen:
            result[start] = int(current)
    return result


def _folded_municipality(session: Session) -> ColumnElement[Any]:
    """The organisation's municipality, ended ones replaced by their successor."""
    mapping = _successors(session)
    if not mapping:
        return Organization.municipality_id.expression
    return case(mapping, value=Organization.municipality_id,
                else_=Organization.municipality_id)


def _area_numbers(session: Session, actor: Actor, filters: Filters,
                  key: ColumnElement[Any], folded: ColumnElement[Any]
                  ) -> tuple[dict[Any, int], dict[Any, tuple[int, int, int, int, float]],
                             dict[Any, float]]:
    """Registered; (supported, activities, participations, attendees, support hours); hours.

    `key` is an expression over Organization and Municipality (joined on `folded`).
    """
    # Deleted organisations count nowhere: not registered, not supported, no participations.
    where = [*activity_conditions(actor, filters, filters.date_from, filters.date_to,
                                  filters.activity_type), Organization.deleted_at.is_(None)]
    registered = {k: int(n) for k, n in session.execute(
        select(key, func.count(Organization.id))
        .select_from(Organization)
        .outerjoin(Municipality, Municipality.id == folded)
        .where(Organization.deleted_at.is_(None)).group_by(key))}
    people = {k: (int(orgs), int(acts), int(parts), int(att or 0), float(hrs or 0))
              for k, orgs, acts, parts, att, hrs in session.execute(
        select(key, func.count(func.distinct(Participation.organization_id)),
               func.count(func.distinct(Participation.activity_id)), func.count(),
               func.sum(Participation.attendees), func.sum(Activity.hours))
        .select_from(Participation)
        .join(Activity, Activity.id == Participation.activity_id)
        .join(Organization, Organization.id == Participation.organization_id)
        .outerjoin(Municipality, Municipality.id == folded)
        .where(*where).group_by(key))}
    distinct_activities = (
        select(key.label("key"), Activity.id, Activity.hours)
        .select_from(Participation)
        .join(Activity, Activity.id == Participation.activity_id)
        .join(Organization, Organization.id == Participation.organization_id)
        .outerjoin(Municipality, Municipality.id == folded)
        .where(*where).distinct().subquery())
    hours = {k: float(h or 0) for k, h in session.execute(
        select(distinct_activities.c.key, func.sum(distinct_activities.c.hours))
        .group_by(distinct_activities.c.key))}
    return registered, people, hours


def _unknown_row(registered: dict[Any, int],
                 people: dict[Any, tuple[int, int, int, int, float]],
                 hours: dict[Any, float]) -> list[AreaTotals]:
    if None not in people:  # registered but never supported: nothing worth a row
        return []
    orgs, acts, parts, attendees, support = people[None]
    return [AreaTotals(code=UNKNOWN, name_lv="", name_en="", region_code=UNKNOWN,
                       organizations_registered=registered.get(None, 0),
                       organizations_supported=orgs, activities=acts, participations=parts,
                       attendees=attendees, hours=hours.get(None, 0.0),
                       support_hours=support)]


def municipality_totals(session: Session, *, actor: Actor, filters: Filters
                        ) -> list[AreaTotals]:
    """Every current municipality (zeros included), in Latvian alphabetical order, then the
    unknown row if any.

    Ended municipalities (Varakļānu novads, pre-merger Madonas novads) are folded into their
    successor, so the list has today's 42 municipalities.
    """
    require_area(actor, Area.REGIONS)
    folded = _folded_municipality(session)
    registered, people, hours = _area_numbers(session, actor, filters, folded, folded)
    rows = []
    for mid, iso, atvk, name, region in session.execute(
            select(Municipality.id, Municipality.iso, Municipality.atvk, Municipality.name,
                   Region.code)
            .join(Region, Region.id == Municipality.region_id)
            .where(Municipality.valid_to.is_(None))):
        orgs, acts, parts, attendees, support = people.get(mid, (0, 0, 0, 0, 0.0))
        rows.append(AreaTotals(
            code=iso, name_lv=name, name_en=name, region_code=region, atvk=atvk,
            organizations_registered=registered.get(mid, 0), organizations_supported=orgs,
            activities=acts, participations=parts, attendees=attendees,
            hours=hours.get(mid, 0.0), support_hours=support))
    rows.sort(key=lambda r: latvian_sort_key(r.name_lv))
    return rows + _unknown_row(registered, people, hours)


def supported_by_municipality(session: Session, *, actor: Actor, filters: Filters
                              ) -> dict[str, int]:
    """Organisations supported per current municipality (ISO code -> count), ended
    municipalities folded into their successor; municipalities with none are left out.

    The overview's map, from the organisation rollup (see totals.supported), where
    `municipality_totals` walks every participation for all its columns.
    """
    require_area(actor, Area.REGIONS)
    folded = _folded_municipality(session)
    counted = supported(session, actor, filters, filters.date_from, filters.date_to,
                        filters.activity_type)
    return {str(iso): int(count) for iso, count in session.execute(
        select(Municipality.iso, func.count())
        .select_from(Organization).join(Municipality, Municipality.id == folded)
        .where(Organization.deleted_at.is_(None), counted.took_part(Organization.id))
        .group_by(Municipality.iso))}


def region_totals(session: Session, *, actor: Actor, filters: Filters) -> list[AreaTotals]:
    """The 5 planning regions (by the organisation's municipality), Rīga first, then the
    unknown row."""
    require_area(actor, Area.REGIONS)
    folded = _folded_municipality(session)
    registered, people, hours = _area_numbers(session, actor, filters,
                                              Municipality.region_id.expression, folded)
    rows = []
    for rid, code, name_lv, name_en in session.execute(
            select(Region.id, Region.code, Region.name_lv, Region.name_en)):
        orgs, acts, parts, attendees, support = people.get(rid, (0, 0, 0, 0, 0.0))
        rows.append(AreaTotals(
            code=code, name_lv=name_lv, name_en=name_en, region_code=code,
            organizations_registered=registered.get(rid, 0), organizations_supported=orgs,
            activities=acts, participations=parts, attendees=attendees,
            hours=hours.get(rid, 0.0), support_hours=support))
    rows.sort(key=lambda r: (_REGION_ORDER.index(r.code) if r.code in _REGION_ORDER
                             else len(_REGION_ORDER), r.code))
    return rows + _unknown_row(registered, people, hours)


_ENROLLED = (EnrollmentStatus.ADMITTED.value, EnrollmentStatus.GRADUATED.value)


def incubator_totals(session: Session, *, actor: Actor, filters: Filters
                     ) -> list[IncubatorRow]:
    """Per incubator in the region/incubator filters, by code: its activities and reach.

    Enrolled = distinct organisations admitted or graduated in the incubator's cohorts that
    overlap the period (the activity type filter does not apply to them).
    """
    require_area(actor, Area.REGIONS)
    where = activity_conditions(actor, filters, filters.date_from, filters.date_to,
                                filters.activity_type)
    work = {i: (int(n), float(h or 0)) for i, n, h in session.execute(
        select(Activity.incubator_id, func.count(), func.sum(Activity.hours))
        .where(*where).group_by(Activity.incubator_id))}
    # Deleted organisations count nowhere (their activities stay the incubator's work).
    people = {i: (int(o), int(p), int(a or 0), float(h or 0)) for i, o, p, a, h in session.execute(
        select(Activity.incubator_id, func.count(func.distinct(Participation.organization_id)),
               func.count(), func.sum(Participation.attendees), func.sum(Activity.hours))
        .select_from(Participation).join(Activity, Activity.id == Participation.activity_id)
        .join(Organization, Organization.id == Participation.organization_id)
        .where(*where, Organization.deleted_at.is_(None)).group_by(Activity.incubator_id))}
    cohort_where: list[ColumnElement[bool]] = [Enrollment.status.in_(_ENROLLED),
                                               Organization.deleted_at.is_(None)]
    if filters.date_from:
        cohort_where.append(Cohort.end_date >= filters.date_from)
    if filters.date_to:
        cohort_where.append(Cohort.start_date <= filters.date_to)
    enrolled = {i: int(n) for i, n in session.execute(
        select(Cohort.incubator_id, func.count(func.distinct(Enrollment.organization_id)))
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(Organization, Organization.id == Enrollment.organization_id).where(*cohort_where)
        .group_by(Cohort.incubator_id))}
    rows = []
    for inc_id, code, name_lv, name_en, region in session.execute(
            select(Incubator.id, Incubator.code, Incubator.name_lv, Incubator.name_en,
                   Region.code)
            .join(Region, Region.id == Incubator.region_id)
            .where(Incubator.id.in_(incubators_in_scope(filters))).order_by(Incubator.code)):
        count, hours = work.get(inc_id, (0, 0.0))
        orgs, parts, attendees, support = people.get(inc_id, (0, 0, 0, 0.0))
        rows.append(IncubatorRow(
            incubator_id=inc_id, code=code, name_lv=name_lv, name_en=name_en,
            region_code=region, activities=count, hours=hours, organizations_supported=orgs,
            participations=parts, attendees=attendees, support_hours=support,
            organizations_enrolled=enrolled.get(inc_id, 0)))
    return rows


__all__ = ["UNKNOWN", "AreaTotals", "IncubatorRow", "incubator_totals", "municipality_totals",
           "region_totals"]
