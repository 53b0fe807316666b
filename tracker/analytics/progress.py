"""Programme analytics: indicator values against targets, as SQL aggregates under filters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from db.enums import ActivityType, AssessmentKind, IndicatorMethod
from db.models import (
    ActivityRollup,
    AreaRollup,
    Assessment,
    Cohort,
    Incubator,
    Indicator,
    IndicatorEntry,
    Milestone,
    Target,
)
from tracker.analytics.dialogue import DIALOGUE_METHODS, dialogue_value
from tracker.analytics.scope import Filters, incubators_in_scope
from tracker.analytics.totals import day_conditions, supported
from tracker.analytics.trained import people_trained
from tracker.auth import Actor, Area, require_area
from tracker.i18n import format_number, label, t
from tracker.services.trained import training_rule


class IndicatorInfo(BaseModel):
    """What names an indicator in a result: id, code, names and units, how it is counted."""

    model_config = ConfigDict(frozen=True)

    indicator_id: int
    code: str
    name_lv: str
    name_en: str
    unit_lv: str
    unit_en: str
    method: IndicatorMethod
    # People trained: the completion rule it counts by (hours, activity types), for its help
    rule_hours: Decimal | None = None
    rule_types: tuple[str, ...] = ()

    @property
    def help_key(self) -> str | None:
        """The catalogue key saying how it is counted, where its name alone could mislead:
        attendees are summed per activity, so one person at two trainings counts twice;
        people trained count once, by the rule (`help_text` fills it in)."""
        return {IndicatorMethod.ATTENDEES: "indicator.help.attendees",
                IndicatorMethod.PEOPLE_TRAINED: "indicator.help.people_trained"
                }.get(self.method)

    def help_text(self, lang: str) -> str | None:
        """How it is counted, in `lang` (None: its name says it)."""
        key = self.help_key
        if key is None or self.method is not IndicatorMethod.PEOPLE_TRAINED:
            return None if key is None else t(key, lang)
        hours = self.rule_hours or Decimal(0)
        return t(key, lang, hours=format_number(
            float(hours), lang, 0 if hours == hours.to_integral_value() else 2),
            types=", ".join(label(ActivityType(kind), lang) for kind in self.rule_types))


def rule_fields(session: Session) -> dict[str, Any]:
    """The rule of people trained, as IndicatorInfo carries it."""
    rule = training_rule(session)
    return {"rule_hours": rule.min_hours, "rule_types": rule.activity_types}


class IndicatorProgress(IndicatorInfo):
    """One indicator: the value so far against its target, for the whole period and a year."""

    actual: Decimal
    target: Decimal | None
    year: int
    actual_year: Decimal
    target_year: Decimal | None

    @property
    def share(self) -> float | None:
        """Share of the whole-period target reached (can exceed 1)."""
        return float(self.actual / self.target) if self.target else None

    @property
    def share_year(self) -> float | None:
        return float(self.actual_year / self.target_year) if self.target_year else None


def indicator_value(session: Session, actor: Actor, indicator: Indicator, filters: Filters,
           date_from: dt.date | None, date_to: dt.date | None) -> Decimal:
    """The indicator's actual value over [date_from, date_to] under the filters, in SQL."""
    method = IndicatorMethod(indicator.method)
    # The indicator's own parameter narrows the type; a dashboard filter narrows it further.
    kind = indicator.parameter if method in (IndicatorMethod.ACTIVITIES,
                                             IndicatorMethod.ATTENDEES) else None
    if kind and filters.activity_type and filters.activity_type != kind:
        return Decimal(0)
    activity_type = kind or filters.activity_type
    scalar: object
    if method is IndicatorMethod.ACTIVITIES:
        scalar = session.scalar(select(func.sum(ActivityRollup.activities)).where(
            *day_conditions(ActivityRollup, actor, filters, date_from, date_to, activity_type)))
    elif method is IndicatorMethod.ORGANIZATIONS_SUPPORTED:
        scalar = _organizations(session, actor, filters, date_from, date_to, activity_type)
    elif method is IndicatorMethod.PEOPLE_TRAINED:  # the day each became trained decides
        scalar = people_trained(session, actor, filters, date_from, date_to, activity_type)[0]
    elif method in DIALOGUE_METHODS:  # the civic-dialogue register
        scalar = dialogue_value(session, actor, method, filters, date_from, date_to)
    elif method is IndicatorMethod.ATTENDEES:
        scalar = session.scalar(select(func.sum(ActivityRollup.attendees)).where(
            *day_conditions(ActivityRollup, actor, filters, date_from, date_to, activity_type)))
    elif method in (IndicatorMethod.MILESTONES, IndicatorMethod.MILESTONE_ORGANIZATIONS):
        counted = func.count() if method is IndicatorMethod.MILESTONES else \
            func.count(func.distinct(Milestone.organization_id))
        conditions: list[ColumnElement[bool]] = [Milestone.deleted_at.is_(None)]
        if indicator.parameter:
            conditions.append(Milestone.kind == indicator.parameter)
        if filters.region_code or filters.incubator_id:
            conditions.append(Milestone.incubator_id.in_(incubators_in_scope(filters)))
        if date_from:
            conditions.append(Milestone.achieved_on >= date_from)
        if date_to:
            conditions.append(Milestone.achieved_on <= date_to)
        scalar = session.scalar(select(counted).select_from(Milestone).where(*conditions))
    elif method is IndicatorMethod.MANUAL:
        entry_conditions: list[ColumnElement[bool]] = [
            IndicatorEntry.indicator_id == indicator.id]
        if filters.region_code or filters.incubator_id:
            entry_conditions.append(IndicatorEntry.incubator_id.in_(
                incubators_in_scope(filters)))
        if date_from:
            entry_conditions.append(IndicatorEntry.entry_date >= date_from)
        if date_to:
            entry_conditions.append(IndicatorEntry.entry_date <= date_to)
        scalar = session.scalar(select(func.coalesce(func.sum(IndicatorEntry.value), 0))
                                .where(*entry_conditions))
    else:  # CAPACITY_GAIN
        scalar = _capacity_gain(session, filters, date_from, date_to)
    return Decimal(str(scalar or 0))


_ACTIVITY_METHODS = frozenset({IndicatorMethod.ACTIVITIES, IndicatorMethod.ATTENDEES,
                               IndicatorMethod.ORGANIZATIONS_SUPPORTED})


def _values(session: Session, actor: Actor, indicator: Indicator, filters: Filters,
            year_from: dt.date, year_to: dt.date) -> tuple[Decimal, Decimal]:
    """The value over the filtered period and over [year_from, year_to] within it.

    Activity-based indicators read the rollups: both values from one pass over the days;
    people trained: both from one pass over the days they became trained.
    """
    method = IndicatorMethod(indicator.method)
    if method is IndicatorMethod.PEOPLE_TRAINED:
        counts = people_trained(session, actor, filters, filters.date_from, filters.date_to,
                                filters.activity_type,
                                [(year_from, year_to)] if year_from <= year_to else [])
        return Decimal(counts[0]), Decimal(counts[1] if len(counts) > 1 else 0)
    if method not in _ACTIVITY_METHODS or year_from > year_to:
        whole = indicator_value(session, actor, indicator, filters, filters.date_from,
                                filters.date_to)
        part = indicator_value(session, actor, indicator, filters, year_from, year_to) \
            if year_from <= year_to else Decimal(0)
        return whole, part
    kind = indicator.parameter if method is not IndicatorMethod.ORGANIZATIONS_SUPPORTED \
        else None
    if kind and filters.activity_type and filters.activity_type != kind:
        return Decimal(0), Decimal(0)
    kind = kind or filters.activity_type
    if method is IndicatorMethod.ORGANIZATIONS_SUPPORTED:
        return (_organizations(session, actor, filters, filters.date_from, filters.date_to,
                               kind),
                _organizations(session, actor, filters, year_from, year_to, kind))
    where = day_conditions(ActivityRollup, actor, filters, filters.date_from, filters.date_to,
                           kind)
    in_year = and_(ActivityRollup.day >= year_from, ActivityRollup.day <= year_to)
    measure = ActivityRollup.activities if method is IndicatorMethod.ACTIVITIES \
        else ActivityRollup.attendees
    whole_value, year_value = session.execute(
        select(func.sum(measure), func.sum(case((in_year, measure), else_=0))).where(*where)
    ).one()
    return Decimal(str(whole_value or 0)), Decimal(str(year_value or 0))


def _organizations(session: Session, actor: Actor, filters: Filters,
                   date_from: dt.date | None, date_to: dt.date | None,
                   activity_type: str | None) -> Decimal:
    """Distinct organisations with a counted participation in [date_from, date_to]."""
    return Decimal(str(session.scalar(
        supported(session, actor, filters, date_from, date_to, activity_type).count()) or 0))


def _cycle_key(assessment: Any) -> ColumnElement[int]:
    """The cycle an assessment was made for (0: none), so a gain is measured within one."""
    return func.coalesce(assessment.cohort_id, 0)


def _capacity_gain(session: Session, filters: Filters, date_from: dt.date | None,
                   date_to: dt.date | None) -> int:
    """Organisations whose latest assessment in the period is above their intake, within
    one cycle: another incubator's assessment never counts for this one's journey (an
    organisation counts once, however many of its cycles show a gain)."""
    intake, latest = aliased(Assessment), aliased(Assessment)
    live: list[ColumnElement[bool]] = [Assessment.deleted_at.is_(None)]
    if date_to:
        live.append(Assessment.assessed_on <= date_to)
    if filters.region_code or filters.incubator_id:
        live.append(Assessment.cohort_id.in_(select(Cohort.id).where(
            Cohort.incubator_id.in_(incubators_in_scope(filters)))))
    cycle = _cycle_key(Assessment)
    firsts = (select(Assessment.organization_id, cycle.label("cycle"),
                     func.min(Assessment.assessed_on).label("day"))
              .where(*live, Assessment.kind == AssessmentKind.INTAKE.value)
              .group_by(Assessment.organization_id, cycle).subquery())
    lasts_where = list(live)
    if date_from:
        lasts_where.append(Assessment.assessed_on >= date_from)
    lasts = (select(Assessment.organization_id, cycle.label("cycle"),
                    func.max(Assessment.assessed_on).label("day"))
             .where(*lasts_where, Assessment.kind != AssessmentKind.INTAKE.value)
             .group_by(Assessment.organization_id, cycle).subquery())
    # Several assessments of one cycle on one day: the highest intake and the lowest latest
    # index count, so a gain is never overstated.
    intake_index = (select(intake.organization_id, firsts.c.cycle,
                           func.max(intake.capacity_index).label("ix"))
                    .join(firsts, and_(firsts.c.organization_id == intake.organization_id,
                                       firsts.c.cycle == _cycle_key(intake),
                                       firsts.c.day == intake.assessed_on))
                    .where(intake.deleted_at.is_(None),
                           intake.kind == AssessmentKind.INTAKE.value)
                    .group_by(intake.organization_id, firsts.c.cycle).subquery())
    latest_index = (select(latest.organization_id, lasts.c.cycle,
                           func.min(latest.capacity_index).label("ix"))
                    .join(lasts, and_(lasts.c.organization_id == latest.organization_id,
                                      lasts.c.cycle == _cycle_key(latest),
                                      lasts.c.day == latest.assessed_on))
                    .where(latest.deleted_at.is_(None),
                           latest.kind != AssessmentKind.INTAKE.value)
                    .group_by(latest.organization_id, lasts.c.cycle).subquery())
    return int(session.scalar(
        select(func.count(func.distinct(intake_index.c.organization_id)))
        .select_from(intake_index).join(
            latest_index, and_(latest_index.c.organization_id == intake_index.c.organization_id,
                               latest_index.c.cycle == intake_index.c.cycle))
        .where(latest_index.c.ix > intake_index.c.ix)) or 0)


def target_for(targets: list[Target], incubator_id: int | None, year: int | None
            ) -> Decimal | None:
    for target in targets:
        if target.incubator_id == incubator_id and target.year == year:
            return target.target_value
    return None


def indicator_progress(session: Session, *, actor: Actor, filters: Filters, year: int
                       ) -> list[IndicatorProgress]:
    """Every indicator's value against its target: whole period, and `year` alone."""
    require_area(actor, Area.OVERVIEW)
    result = []
    year_from, year_to = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rule = rule_fields(session)
    for indicator in session.scalars(select(Indicator).order_by(Indicator.sort_order,
                                                                Indicator.id)):
        targets = list(session.scalars(select(Target).where(
            Target.indicator_id == indicator.id)))
        # Programme targets when the view is the programme; an incubator's own when one is
        # chosen (a region's targets are not split, so none is shown for it).
        scope = filters.incubator_id
        whole = target_for(targets, scope, None) if not (filters.region_code and not scope) \
            else None
        in_year = target_for(targets, scope, year) if not (filters.region_code and not scope) \
            else None
        year_start = max(filter(None, (filters.date_from, year_from)))
        year_end = min(filter(None, (filters.date_to, year_to)))
        actual, actual_year = _values(session, actor, indicator, filters, year_start, year_end)
        result.append(IndicatorProgress(
            indicator_id=indicator.id, code=indicator.code, name_lv=indicator.name_lv,
            name_en=indicator.name_en, unit_lv=indicator.unit_lv, unit_en=indicator.unit_en,
            method=IndicatorMethod(indicator.method), **rule,
            actual=actual, target=whole, year=year, actual_year=actual_year,
            target_year=in_year))
    return result


class QuarterRow(BaseModel):
    """One incubator's quarter: activities, distinct organisations supported, attendees."""

    model_config = ConfigDict(frozen=True)

    year: int
    quarter: int
    incubator_code: str
    activities: int
    organizations: int | None  # None: not asked for (see quarterly_series's `people`)
    attendees: int | None

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.quarter}"


def _quarter_of(day: Any) -> tuple[ColumnElement[int], ColumnElement[int]]:
    month = func.extract("month", day)
    quarter = case((month <= 3, 1), (month <= 6, 2), (month <= 9, 3), else_=4)
    return func.extract("year", day).label("year"), quarter.label("quarter")


def quarterly_series(session: Session, *, actor: Actor, filters: Filters, people: bool = True
                     ) -> list[QuarterRow]:
    """Per quarter and incubator, oldest first (quarters without activity are left out).

    `people=False` skips the distinct organisations (a pass over the organisation rollup)
    for a view that shows only the activity counts; they and the attendees are None then.
    """
    require_area(actor, Area.OVERVIEW)
    where = day_conditions(ActivityRollup, actor, filters, filters.date_from, filters.date_to,
                           filters.activity_type)
    # Summed per incubator and day in SQL (a few thousand rows, no date arithmetic per
    # row), then the days are added up into quarters here.
    codes = {i: c for i, c in session.execute(select(Incubator.id, Incubator.code))}
    per_quarter: dict[tuple[int, int, str], tuple[int, int]] = {}
    for incubator_id, day, count, attendees in session.execute(
            select(ActivityRollup.incubator_id, ActivityRollup.day,
                   func.sum(ActivityRollup.activities), func.sum(ActivityRollup.attendees))
            .where(*where).group_by(ActivityRollup.incubator_id, ActivityRollup.day)):
        key = (day.year, (day.month + 2) // 3, codes[incubator_id])
        before = per_quarter.get(key, (0, 0))
        per_quarter[key] = (before[0] + int(count), before[1] + int(attendees or 0))
    organizations: dict[tuple[int, int, str], int] = {}
    if people:
        rows = supported(session, actor, filters, filters.date_from, filters.date_to,
                         filters.activity_type).rows()
        year, quarter = _quarter_of(rows.c.month)
        organizations = {
            (int(y), int(q), codes[i]): int(n) for i, y, q, n in session.execute(
                select(rows.c.incubator_id, year, quarter,
                       func.count(func.distinct(rows.c.organization_id)))
                .group_by(rows.c.incubator_id, year, quarter))}
    return sorted((QuarterRow(year=y, quarter=q, incubator_code=code, activities=count,
                              organizations=organizations.get((y, q, code), 0) if people
                              else None,
                              attendees=attendees if people else None)
                   for (y, q, code), (count, attendees) in per_quarter.items() if count),
                  key=lambda r: (r.year, r.quarter, r.incubator_code))


def activity_type_mix(session: Session, *, actor: Actor, filters: Filters) -> dict[str, int]:
    """Number of activities of each type under the filters (types with none are left out)."""
    require_area(actor, Area.OVERVIEW)
    where = day_conditions(ActivityRollup, actor, filters, filters.date_from, filters.date_to,
                           filters.activity_type)
    total = func.sum(ActivityRollup.activities)
    return {str(kind): int(count) for kind, count in session.execute(
        select(ActivityRollup.type, total).where(*where).group_by(ActivityRollup.type)
        .order_by(total.desc(), ActivityRollup.type)) if count}


def capacity_area_mix(session: Session, *, actor: Actor, filters: Filters) -> dict[str, int]:
    """How many activities addressed each capacity area under the filters."""
    require_area(actor, Area.OVERVIEW)
    where = day_conditions(AreaRollup, actor, filters, filters.date_from, filters.date_to,
                           filters.activity_type)
    total = func.sum(AreaRollup.activities)
    return {str(area): int(count) for area, count in session.execute(
        select(AreaRollup.area, total).where(*where).group_by(AreaRollup.area)
        .order_by(total.desc(), AreaRollup.area)) if count}
