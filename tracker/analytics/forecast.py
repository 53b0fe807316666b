"""Forecast to the programme's end and early warnings, as of a chosen date, from SQL aggregates.

How the forecast is made (per indicator, programme-wide and per incubator):

- Only data dated up to the as-of date counts. The value is the overview's own SQL
  (`progress.indicator_value`) over [beginning, as-of] under the region / incubator / activity-type
  filters (a period filter does not apply: a forecast is about the running total).
- Elapsed days run from the start (the programme's first day; for an incubator its own first
  day) to the as-of date, both included; remaining days run from the day after as-of to the
  programme's last day. Pace so far = value / elapsed days; needed pace = (target - value) /
  remaining days; projection = value + pace x remaining days.
- The band comes from the spread of monthly rates: every complete calendar month from the
  start to as-of gives one rate (that month's increment / its days, months without activity
  count as 0). The low end of the band projects with the 20th percentile rate, the high end
  with the 80th; the band always contains the projection (low rate = min(pace, p20), high
  rate = max(pace, p80)). With fewer than two complete months there is no spread: the band
  is the projection.
- Distinct-organisation indicators are not additive. They are projected as if new distinct
  organisations keep coming at the pace so far: a month's increment is the number of
  organisations whose FIRST counted participation (or milestone) falls in it. Capacity gain is
  not additive either; its monthly increments are differences of the value at month ends.
  People trained are counted on the day they became trained (tracker.analytics.trained), so
  a month's increment is the people who became trained in it, as for every additive one.
- Status: "reached" when the value already meets the target; "on track" when even the low
  end of the band meets it; "off track" when not even the high end does; "at risk" when the
  target lies inside the band (low < target <= high), whether the projection itself is above
  or below it. "No target" when the scope has no target of its own. At risk and off track
  are the flagged ones.

Early warnings: organisations enrolled in a running cohort without any participation in the
last weeks (`inactive_organizations`), and incubators whose logging has stopped
(`logging_status`). Funders count approved activities only, as everywhere.
"""

from __future__ import annotations

import calendar
import datetime as dt
import statistics
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from db.enums import EnrollmentStatus, IndicatorMethod
from db.models import (
    Activity,
    ActivityRollup,
    Cohort,
    Enrollment,
    Incubator,
    Indicator,
    IndicatorEntry,
    Milestone,
    Organization,
    Participation,
    Program,
    Target,
)
from tracker.analytics.dialogue import DIALOGUE_METHODS, dialogue_by_month
from tracker.analytics.progress import IndicatorInfo, indicator_value, rule_fields, target_for
from tracker.analytics.scope import Filters, activity_conditions, incubators_in_scope
from tracker.analytics.totals import day_conditions, supported
from tracker.analytics.trained import trained_by_month
from tracker.auth import Actor, Area, require_area

MONTH_DAYS = 365.25 / 12  # an average month, for showing a daily pace per month
LOW_PERCENTILE, HIGH_PERCENTILE = 20, 80
INACTIVE_DAYS = 56  # 8 weeks
STOPPED_DAYS = 14
WEEKS_SHOWN = 8


class ForecastStatus(StrEnum):
    REACHED = "reached"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_TARGET = "no_target"


FLAGGED = frozenset({ForecastStatus.AT_RISK, ForecastStatus.OFF_TRACK})


class MonthValue(BaseModel):
    """An indicator's increment in one calendar month (`month` is its first day)."""

    model_config = ConfigDict(frozen=True)

    month: dt.date
    value: Decimal


class IndicatorForecast(IndicatorInfo):
    """One indicator (for the programme, or for one incubator): pace, projection, status."""

    incubator_id: int | None = None
    incubator_code: str | None = None
    incubator_name_lv: str | None = None
    incubator_name_en: str | None = None
    start: dt.date
    as_of: dt.date
    end: dt.date
    elapsed_days: int
    remaining_days: int
    value: Decimal
    target: Decimal | None
    pace: float  # per day so far
    needed_pace: float | None  # per day from here; None: no target, or no day left to reach it
    projection: float
    low: float
    high: float
    status: ForecastStatus
    months: tuple[MonthValue, ...]  # every month from the start's to the as-of date's

    @property
    def flagged(self) -> bool:
        return self.status in FLAGGED

    @property
    def pace_per_month(self) -> float:
        return self.pace * MONTH_DAYS

    @property
    def needed_per_month(self) -> float | None:
        return None if self.needed_pace is None else self.needed_pace * MONTH_DAYS


class InactiveOrganization(BaseModel):
    """An organisation in a running cohort with no participation in the last weeks."""

    model_config = ConfigDict(frozen=True)

    organization_id: int
    organization_name: str
    cohort_id: int
    cohort_name: str
    incubator_code: str
    incubator_name_lv: str
    incubator_name_en: str
    in_cohort_since: dt.date  # the later of the cohort's start and the admission
    last_activity: dt.date | None  # None: never took part
    days_since: int | None


class LoggingStatus(BaseModel):
    """An incubator's logging as of a date: last activity, the last weeks, stopped or not."""

    model_config = ConfigDict(frozen=True)

    incubator_id: int
    incubator_code: str
    name_lv: str
    name_en: str
    last_activity: dt.date | None
    days_since: int | None
    last_entered: dt.date | None  # when the latest activity up to as-of was typed in
    weekly: tuple[int, ...]  # activities dated in each of the last weeks, oldest first
    weekly_average: float  # activities per week from the incubator's start to as-of
    stopped: bool


# --- pure helpers ------------------------------------------------------------------------


def month_starts(start: dt.date, as_of: dt.date) -> list[dt.date]:
    """The first day of every month from `start`'s to `as_of`'s, in order."""
    months, day = [], start.replace(day=1)
    while day <= as_of:
        months.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def band_rates(months: list[MonthValue], start: dt.date, as_of: dt.date
               ) -> tuple[float, float] | None:
    """The 20th and 80th percentile daily rates of the complete months; None if under two."""
    rates = [float(m.value) / month_end(m.month).day for m in months
             if m.month >= start and month_end(m.month) <= as_of]
    if len(rates) < 2:
        return None
    cuts = statistics.quantiles(rates, n=100, method="inclusive")
    return cuts[LOW_PERCENTILE - 1], cuts[HIGH_PERCENTILE - 1]


def forecast_status(value: float, target: float | None, low: float, high: float
                    ) -> ForecastStatus:
    """The rule in the module's docstring."""
    if target is None:
        return ForecastStatus.NO_TARGET
    if value >= target:
        return ForecastStatus.REACHED
    if low >= target:
        return ForecastStatus.ON_TRACK
    if high < target:
        return ForecastStatus.OFF_TRACK
    return ForecastStatus.AT_RISK


# --- SQL ---------------------------------------------------------------------------------


def _month_key(day: Any) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    return func.extract("year", day), func.extract("month", day)


def _grouped(session: Session, query: Any) -> dict[tuple[int, int], Decimal]:
    return {(int(y), int(m)): Decimal(str(v or 0)) for y, m, v in session.execute(query)}


def _monthly(session: Session, actor: Actor, indicator: Indicator, filters: Filters,
             start: dt.date, as_of: dt.date) -> tuple[MonthValue, ...]:
    """The indicator's increment in each month from `start`'s to `as_of`'s, from SQL."""
    method = IndicatorMethod(indicator.method)
    months = month_starts(start, as_of)
    if method is IndicatorMethod.CAPACITY_GAIN:
        # Not a sum of events: the value at each month end (or as-of), differenced.
        cumulative = [indicator_value(session, actor, indicator, filters, None,
                                      min(month_end(m), as_of)) for m in months]
        return tuple(MonthValue(month=m, value=v - (cumulative[i - 1] if i else Decimal(0)))
                     for i, (m, v) in enumerate(zip(months, cumulative, strict=True)))
    kind = indicator.parameter if method in (IndicatorMethod.ACTIVITIES,
                                             IndicatorMethod.ATTENDEES) else None
    counts: dict[tuple[int, int], Decimal] = {}
    if not (kind and filters.activity_type and filters.activity_type != kind):
        counts = _grouped(session, _monthly_query(session, method, indicator, filters, actor,
                                                  as_of, kind or filters.activity_type))
    first = (months[0].year, months[0].month) if months else (0, 0)
    earlier = sum((v for k, v in counts.items() if k < first), Decimal(0))
    return tuple(MonthValue(month=m, value=counts.get((m.year, m.month), Decimal(0))
                            + (earlier if i == 0 else Decimal(0)))
                 for i, m in enumerate(months))


def _monthly_query(session: Session, method: IndicatorMethod, indicator: Indicator,
                   filters: Filters, actor: Actor, as_of: dt.date, activity_type: str | None
                   ) -> Any:
    """SELECT year, month, increment ... GROUP BY year, month (`indicator_value` by month)."""
    if method in (IndicatorMethod.ACTIVITIES, IndicatorMethod.ATTENDEES):
        # Activities and attendees per day are in the activity rollup (exact to the day).
        total = ActivityRollup.activities if method is IndicatorMethod.ACTIVITIES \
            else ActivityRollup.attendees
        year, month = _month_key(ActivityRollup.day)
        return (select(year, month, func.sum(total))
                .where(*day_conditions(ActivityRollup, actor, filters, None, as_of,
                                       activity_type))
                .group_by(year, month))
    if method in DIALOGUE_METHODS:  # the civic-dialogue register
        return dialogue_by_month(method, actor, filters, as_of)
    if method is IndicatorMethod.PEOPLE_TRAINED:  # the month each person became trained
        return trained_by_month(session, actor, filters, as_of, activity_type)
    if method is IndicatorMethod.ORGANIZATIONS_SUPPORTED:
        # The month of each organisation's first counted participation: from the
        # organisation rollup's whole months, and the participations of a partial last month
        # (as_of inside it), instead of walking every participation.
        rows = supported(session, actor, filters, None, as_of, activity_type).rows()
        firsts = (select(rows.c.organization_id, func.min(rows.c.month).label("day"))
                  .group_by(rows.c.organization_id).subquery())
        year, month = _month_key(firsts.c.day)
        return select(year, month, func.count()).group_by(year, month)
    if method in (IndicatorMethod.MILESTONES, IndicatorMethod.MILESTONE_ORGANIZATIONS):
        conditions: list[ColumnElement[bool]] = [Milestone.deleted_at.is_(None),
                                                 Milestone.achieved_on <= as_of]
        if indicator.parameter:
            conditions.append(Milestone.kind == indicator.parameter)
        if filters.region_code or filters.incubator_id:
            conditions.append(Milestone.incubator_id.in_(incubators_in_scope(filters)))
        if method is IndicatorMethod.MILESTONES:
            year, month = _month_key(Milestone.achieved_on)
            return select(year, month, func.count()).where(*conditions).group_by(year, month)
        firsts = (select(Milestone.organization_id, func.min(Milestone.achieved_on).label("day"))
                  .where(*conditions).group_by(Milestone.organization_id).subquery())
        year, month = _month_key(firsts.c.day)
        return select(year, month, func.count()).group_by(year, month)
    # MANUAL
    entry_conditions: list[ColumnElement[bool]] = [IndicatorEntry.indicator_id == indicator.id,
                                                   IndicatorEntry.entry_date <= as_of]
    if filters.region_code or filters.incubator_id:
        entry_conditions.append(IndicatorEntry.incubator_id.in_(incubators_in_scope(filters)))
    year, month = _month_key(IndicatorEntry.entry_date)
    return (select(year, month, func.sum(IndicatorEntry.value)).where(*entry_conditions)
            .group_by(year, month))


def programme_dates(session: Session) -> tuple[dt.date, dt.date]:
    """The first and last day of the programmes (2025-01-01 .. 2026-12-31 by default)."""
    start, end = session.execute(select(func.min(Program.start_date),
                                        func.max(Program.end_date))).one()
    if start is None or end is None:
        today = dt.date.today()  # noqa: DTZ011 - no programme at all: an empty forecast
        return today, today
    return start, end


def clamp_as_of(as_of: dt.date, start: dt.date, end: dt.date) -> dt.date:
    return min(max(as_of, start), end)


def _forecast(session: Session, actor: Actor, indicator: Indicator, scope: Filters,
              target: Decimal | None, start: dt.date, end: dt.date, as_of: dt.date,
              incubator: Incubator | None) -> IndicatorForecast:
    value = indicator_value(session, actor, indicator, scope, None, as_of)
    months = _monthly(session, actor, indicator, scope, start, as_of)
    elapsed = max((as_of - start).days + 1, 0)
    remaining = max((end - as_of).days, 0)
    pace = float(value) / elapsed if elapsed else 0.0
    projection = float(value) + pace * remaining
    rates = band_rates(list(months), start, as_of)
    low_rate, high_rate = (min(pace, rates[0]), max(pace, rates[1])) if rates else (pace, pace)
    low, high = float(value) + low_rate * remaining, float(value) + high_rate * remaining
    needed: float | None = None
    if target is not None:
        if value >= target:
            needed = 0.0
        elif remaining:
            needed = float(target - value) / remaining
    return IndicatorForecast(
        indicator_id=indicator.id, code=indicator.code, name_lv=indicator.name_lv,
        name_en=indicator.name_en, unit_lv=indicator.unit_lv, unit_en=indicator.unit_en,
        method=IndicatorMethod(indicator.method),
        **(rule_fields(session) if indicator.method == IndicatorMethod.PEOPLE_TRAINED else {}),
        incubator_id=incubator.id if incubator else None,
        incubator_code=incubator.code if incubator else None,
        incubator_name_lv=incubator.name_lv if incubator else None,
        incubator_name_en=incubator.name_en if incubator else None,
        start=start, as_of=as_of, end=end, elapsed_days=elapsed, remaining_days=remaining,
        value=value, target=target, pace=pace, needed_pace=needed, projection=projection,
        low=low, high=high,
        status=forecast_status(float(value), None if target is None else float(target), low,
                               high),
        months=months)


def _indicators_and_targets(session: Session) -> list[tuple[Indicator, list[Target]]]:
    indicators = list(session.scalars(select(Indicator).order_by(Indicator.sort_order,
                                                                 Indicator.id)))
    targets = list(session.scalars(select(Target).where(Target.year.is_(None))))
    return [(i, [t for t in targets if t.indicator_id == i.id]) for i in indicators]


def indicator_forecasts(session: Session, *, actor: Actor, filters: Filters, as_of: dt.date
                        ) -> list[IndicatorForecast]:
    """Every indicator under the filters, as of `as_of`: pace, projection, band, status.

    Targets as on the overview: the programme's, or the chosen incubator's own; a region
    alone has none (targets are not split by region).
    """
    require_area(actor, Area.FORECAST)
    start, end = programme_dates(session)
    as_of = clamp_as_of(as_of, start, end)
    scope = Filters(region_code=filters.region_code, incubator_id=filters.incubator_id,
                    activity_type=filters.activity_type,
                    include_submitted=filters.include_submitted)
    incubator = session.get(Incubator, filters.incubator_id) if filters.incubator_id else None
    if incubator is not None:
        start = max(start, incubator.start_date)
    no_targets = bool(filters.region_code and not filters.incubator_id)
    return [_forecast(session, actor, indicator, scope,
                      None if no_targets else target_for(targets, filters.incubator_id, None),
                      start, end, as_of, incubator)
            for indicator, targets in _indicators_and_targets(session)]


def incubator_forecasts(session: Session, *, actor: Actor, filters: Filters, as_of: dt.date
                        ) -> list[IndicatorForecast]:
    """Every indicator for every incubator in scope, against the incubator's own target.

    An incubator without its own whole-programme target gets the status "no target" (its
    pace is still shown). Ordered by indicator, then incubator code.
    """
    require_area(actor, Area.FORECAST)
    start, end = programme_dates(session)
    as_of = clamp_as_of(as_of, start, end)
    incubators = list(session.scalars(select(Incubator).where(
        Incubator.id.in_(incubators_in_scope(filters))).order_by(Incubator.code)))
    rows = []
    for indicator, targets in _indicators_and_targets(session):
        for incubator in incubators:
            scope = Filters(incubator_id=incubator.id, activity_type=filters.activity_type,
                            include_submitted=filters.include_submitted)
            rows.append(_forecast(session, actor, indicator, scope,
                                  target_for(targets, incubator.id, None),
                                  max(start, incubator.start_date), end, as_of, incubator))
    return rows


def inactive_organizations(session: Session, *, actor: Actor, filters: Filters,
                           as_of: dt.date, days: int = INACTIVE_DAYS
                           ) -> list[InactiveOrganization]:
    """Organisations in a cohort running on `as_of` with no participation in `days` days.

    Enrolled on `as_of` means admitted by then and not yet graduated or withdrawn. A
    participation in any incubator's live activity (funders: approved) counts. An
    organisation is listed when both its last participation (if any) and its time in the
    cohort (the later of the cohort's start and its admission) lie more than `days` days
    before `as_of`: an activity exactly `days` days ago still counts, and a newcomer gets
    `days` days before it can be listed. The region and incubator filters choose the
    cohort's incubator; the activity-type filter does not apply. Never active first, then
    the longest quiet.
    """
    require_area(actor, Area.FORECAST)
    cutoff = as_of - dt.timedelta(days=days)
    held = (EnrollmentStatus.ADMITTED.value, EnrollmentStatus.GRADUATED.value,
            EnrollmentStatus.WITHDRAWN.value)
    enrolled = [Enrollment.status.in_(held), Enrollment.admitted_on.is_not(None),
                Enrollment.admitted_on < cutoff,
                or_(Enrollment.graduated_on.is_(None), Enrollment.graduated_on > as_of),
                or_(Enrollment.closed_on.is_(None), Enrollment.closed_on > as_of),
                Cohort.start_date < cutoff, Cohort.end_date >= as_of]
    if filters.region_code or filters.incubator_id:
        enrolled.append(Cohort.incubator_id.in_(incubators_in_scope(filters)))
    # The last participation of the enrolled organisations only (a few thousand), through
    # the (organization_id, activity_id) index, not of every organisation ever supported.
    candidates = select(Enrollment.organization_id).join(
        Cohort, Cohort.id == Enrollment.cohort_id).where(*enrolled)
    last = (select(Participation.organization_id,
                   func.max(Activity.activity_date).label("day"))
            .join(Activity, Activity.id == Participation.activity_id)
            .where(Participation.organization_id.in_(candidates),
                   *activity_conditions(actor, Filters(
                       include_submitted=filters.include_submitted), None, as_of, None))
            .group_by(Participation.organization_id).subquery())
    query = (
        select(Organization.id, Organization.name, Cohort.id, Cohort.name, Incubator.code,
               Incubator.name_lv, Incubator.name_en, Cohort.start_date,
               Enrollment.admitted_on, last.c.day)
        .select_from(Enrollment)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(Incubator, Incubator.id == Cohort.incubator_id)
        .join(Organization, Organization.id == Enrollment.organization_id)
        .outerjoin(last, last.c.organization_id == Enrollment.organization_id)
        .where(Organization.deleted_at.is_(None), *enrolled,
               or_(last.c.day.is_(None), last.c.day < cutoff)))
    rows = [InactiveOrganization(
        organization_id=org_id, organization_name=name, cohort_id=cohort_id,
        cohort_name=cohort_name, incubator_code=code, incubator_name_lv=name_lv,
        incubator_name_en=name_en, in_cohort_since=max(cohort_start, admitted),
        last_activity=day, days_since=(as_of - day).days if day else None)
        for org_id, name, cohort_id, cohort_name, code, name_lv, name_en, cohort_start,
        admitted, day in session.execute(query)]
    return sorted(rows, key=lambda r: (r.days_since is not None, -(r.days_since or 0),
                                       r.organization_name, r.cohort_id))


def logging_status(session: Session, *, actor: Actor, filters: Filters, as_of: dt.date,
                   days: int = STOPPED_DAYS, weeks: int = WEEKS_SHOWN) -> list[LoggingStatus]:
    """Each incubator in scope running on `as_of`: has its logging stopped?

    Stopped: no activity dated in the `days` days up to `as_of` (an activity exactly `days`
    days before still counts), or none ever. Week i back covers (as_of - 7(i+1), as_of - 7i].
    Only activities dated up to `as_of` count; funders count approved ones. The
    activity-type filter does not apply (logging is logging of any type).
    """
    require_area(actor, Area.FORECAST)
    where = activity_conditions(actor, Filters(include_submitted=filters.include_submitted),
                                None, as_of, None)
    week_counts = [func.sum(case((and_(Activity.activity_date > as_of - dt.timedelta(7 * (i + 1)),
                                       Activity.activity_date <= as_of - dt.timedelta(7 * i)),
                                  1), else_=0)) for i in range(weeks)]
    stats = {row[0]: row[1:] for row in session.execute(
        select(Activity.incubator_id, func.max(Activity.activity_date), func.count(),
               *week_counts).where(*where).group_by(Activity.incubator_id))}
    entered = {inc: at for inc, at in session.execute(
        select(Activity.incubator_id, func.max(Activity.created_at))
        .where(*where, Activity.created_at < dt.datetime.combine(
            as_of + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC))
        .group_by(Activity.incubator_id))}
    incubators = session.scalars(select(Incubator).where(
        Incubator.id.in_(incubators_in_scope(filters)), Incubator.start_date <= as_of,
        Incubator.end_date >= as_of).order_by(Incubator.code))
    rows = []
    for incubator in incubators:
        last, total, *weekly = stats.get(incubator.id, (None, 0, *([0] * weeks)))
        since = (as_of - last).days if last else None
        elapsed_weeks = ((as_of - incubator.start_date).days + 1) / 7
        at = entered.get(incubator.id)
        rows.append(LoggingStatus(
            incubator_id=incubator.id, incubator_code=incubator.code,
            name_lv=incubator.name_lv, name_en=incubator.name_en, last_activity=last,
            days_since=since, last_entered=at.date() if at else None,
            weekly=tuple(int(w or 0) for w in reversed(weekly)),
            weekly_average=int(total) / elapsed_weeks if elapsed_weeks > 0 else 0.0,
            stopped=since is None or since > days))
    return rows
