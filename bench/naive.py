"""The benchmark's naive baseline: the programme overview's numbers computed the obvious way.

Every table the numbers come from is read whole (all rows, the columns needed) with
`pandas.read_sql`, then merged, filtered and grouped in pandas: no aggregation in SQL and no
rollup tables. `overview_numbers_naive` returns what
`tracker.analytics.overview.comparable(overview_numbers(...))` returns, so the benchmark can
time the two and check that they agree.

The rules are those of tracker.analytics (scope, progress, regions, totals):

- an activity counts when it is live, of a status the viewer counts (`counted_statuses`), of
  an incubator in the region/incubator filters, dated in the range (inclusive) and of the
  type asked for;
- an indicator's own activity type (activities, attendees) narrows the dashboard's type
  filter, and a different type gives 0; organisations supported take the filter's type only;
- milestones, manual entries and capacity gain ignore statuses and types; they follow the
  region/incubator filters through the milestone's, entry's or assessment cohort's incubator;
- the civic-dialogue register (tracker.analytics.dialogue): a live document counts once, on
  the first day an incubator in scope (or, unfiltered, the programme) began to monitor it;
  live opinions of a status the viewer counts, in scope by their incubator, on their
  submission day, a joint one once; their distinct live authors;
- people trained (tracker.analytics.trained): a person counts in a period when their
  attended hours (the attendance's own, else the activity's) of counted activities of the
  rule's types (narrowed by the type filter) at incubators in scope first reach the rule's
  hours on a day in it; hours before the period count towards it;
- an organisation is placed in its own municipality, an ended one folded into its successor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

import pandas as pd
from sqlalchemy import Connection, select
from sqlalchemy.orm import InstrumentedAttribute

from db.enums import ActivityType, AssessmentKind, IndicatorMethod
from db.models import (
    Activity,
    ActivityArea,
    Assessment,
    Attendance,
    Cohort,
    Document,
    DocumentMonitoring,
    Incubator,
    Indicator,
    IndicatorEntry,
    Milestone,
    Municipality,
    Opinion,
    OpinionAuthor,
    Organization,
    Participation,
    Program,
    Region,
)
from tracker.analytics.dialogue import DIALOGUE_METHODS
from tracker.analytics.scope import Filters, counted_statuses
from tracker.auth import Actor, Area, can_open
from tracker.errors import PermissionDenied
from tracker.services.trained import DEFAULT_HOURS, DEFAULT_TYPES

QuarterKey = tuple[int, int, str]

_ACTIVITY_METHODS = frozenset({IndicatorMethod.ACTIVITIES, IndicatorMethod.ATTENDEES,
                               IndicatorMethod.ORGANIZATIONS_SUPPORTED})
_TYPED_METHODS = frozenset({IndicatorMethod.ACTIVITIES, IndicatorMethod.ATTENDEES})
_MILESTONE_METHODS = frozenset({IndicatorMethod.MILESTONES,
                                IndicatorMethod.MILESTONE_ORGANIZATIONS})


@dataclass(frozen=True)
class Tables:
    """The base tables behind the overview, each read whole; dates as pandas timestamps."""

    regions: pd.DataFrame  # region_id, region_code
    incubators: pd.DataFrame  # incubator_id, incubator_code, region_id
    municipalities: pd.DataFrame  # municipality_id, iso, valid_to, successor_id
    organizations: pd.DataFrame  # organization_id, municipality_id, deleted_at
    cohorts: pd.DataFrame  # cohort_id, incubator_id
    activities: pd.DataFrame  # activity_id, incubator_id, type, activity_date, status,
    # deleted_at, hours
    activity_areas: pd.DataFrame  # activity_id, area
    participations: pd.DataFrame  # activity_id, organization_id, attendees
    assessments: pd.DataFrame  # organization_id, cohort_id, kind, assessed_on, index, deleted_at
    milestones: pd.DataFrame  # organization_id, incubator_id, kind, achieved_on, deleted_at
    indicators: pd.DataFrame  # indicator_id, code, method, parameter, sort_order
    indicator_entries: pd.DataFrame  # indicator_id, incubator_id, entry_date, value
    attendances: pd.DataFrame  # activity_id, person_id, own_hours
    programs: pd.DataFrame  # program_id, trained_min_hours, trained_activity_types
    documents: pd.DataFrame  # document_id, deleted_at
    monitoring: pd.DataFrame  # document_id, incubator_id, monitored_from
    opinions: pd.DataFrame  # opinion_id, incubator_id, status, submitted_on, deleted_at
    opinion_authors: pd.DataFrame  # opinion_id, organization_id

    def training_rule(self) -> tuple[int, tuple[str, ...]]:
        """The first programme's rule of people trained: (hundredths of an hour, types)."""
        if self.programs.empty:
            return round(DEFAULT_HOURS * 100), DEFAULT_TYPES
        first = self.programs.sort_values("program_id").iloc[0]
        stored = set(first["trained_activity_types"] or [])
        types = tuple(t.value for t in ActivityType if t.value in stored) or DEFAULT_TYPES
        return round(Decimal(str(first["trained_min_hours"])) * 100), types


def _read(connection: Connection, columns: Iterable[Any], dates: Iterable[str] = ()
          ) -> pd.DataFrame:
    """Every row of one table (no WHERE, no GROUP BY), the date columns as timestamps."""
    frame = pd.read_sql(select(*columns), connection)
    for name in dates:
        frame[name] = pd.to_datetime(frame[name])
    return frame


def _as(column: InstrumentedAttribute[Any], name: str) -> Any:
    return column.label(name)


def read_tables(connection: Connection) -> Tables:
    """Read every table the overview's numbers need, whole."""
    return Tables(
        regions=_read(connection, [_as(Region.id, "region_id"), _as(Region.code, "region_code")]),
        incubators=_read(connection, [_as(Incubator.id, "incubator_id"),
                                      _as(Incubator.code, "incubator_code"),
                                      Incubator.region_id]),
        municipalities=_read(connection, [_as(Municipality.id, "municipality_id"),
                                          Municipality.iso, Municipality.valid_to,
                                          Municipality.successor_id]),
        organizations=_read(connection, [_as(Organization.id, "organization_id"),
                                         Organization.municipality_id,
                                         Organization.deleted_at]),
        cohorts=_read(connection, [_as(Cohort.id, "cohort_id"), Cohort.incubator_id]),
        activities=_read(connection, [_as(Activity.id, "activity_id"), Activity.incubator_id,
                                      Activity.type, Activity.activity_date, Activity.status,
                                      Activity.deleted_at, Activity.hours],
                           dates=["activity_date"]),
        activity_areas=_read(connection, [ActivityArea.activity_id, ActivityArea.area]),
        participations=_read(connection, [Participation.activity_id,
                                          Participation.organization_id,
                                          Participation.attendees]),
        assessments=_read(connection, [Assessment.organization_id, Assessment.cohort_id,
                                       Assessment.kind, Assessment.assessed_on,
                                       Assessment.capacity_index, Assessment.deleted_at],
                          dates=["assessed_on"]),
        milestones=_read(connection, [Milestone.organization_id, Milestone.incubator_id,
                                      Milestone.kind, Milestone.achieved_on,
                                      Milestone.deleted_at], dates=["achieved_on"]),
        indicators=_read(connection, [_as(Indicator.id, "indicator_id"), Indicator.code,
                                      Indicator.method, Indicator.parameter,
                                      Indicator.sort_order]),
        indicator_entries=_read(connection, [IndicatorEntry.indicator_id,
                                             IndicatorEntry.incubator_id,
                                             IndicatorEntry.entry_date, IndicatorEntry.value],
                                dates=["entry_date"]),
        attendances=_read(connection, [Attendance.activity_id, Attendance.person_id,
                                       _as(Attendance.hours, "own_hours")]),
        programs=_read(connection, [_as(Program.id, "program_id"), Program.trained_min_hours,
                                    Program.trained_activity_types]),
        documents=_read(connection, [_as(Document.id, "document_id"), Document.deleted_at]),
        monitoring=_read(connection, [DocumentMonitoring.document_id,
                                      DocumentMonitoring.incubator_id,
                                      DocumentMonitoring.monitored_from],
                         dates=["monitored_from"]),
        opinions=_read(connection, [_as(Opinion.id, "opinion_id"), Opinion.incubator_id,
                                    Opinion.status, Opinion.submitted_on, Opinion.deleted_at],
                       dates=["submitted_on"]),
        opinion_authors=_read(connection, [OpinionAuthor.opinion_id,
                                           OpinionAuthor.organization_id]),
    )


def _text(value: Any) -> str | None:
    """A nullable text cell: None for SQL NULL (which pandas reads as NaN)."""
    return None if value is None or pd.isna(value) else str(value)


def _within(days: pd.Series, date_from: dt.date | None, date_to: dt.date | None) -> pd.Series:
    """Which of `days` lie in [date_from, date_to] (open ends: no bound)."""
    keep = pd.Series(True, index=days.index)
    if date_from:
        keep &= days >= pd.Timestamp(date_from)
    if date_to:
        keep &= days <= pd.Timestamp(date_to)
    return keep


def _scope(tables: Tables, filters: Filters) -> frozenset[int] | None:
    """The incubators the region and incubator filters leave in; None: no such filter."""
    if not (filters.region_code or filters.incubator_id):
        return None
    incubators = tables.incubators
    if filters.region_code:
        regions = tables.regions[tables.regions["region_code"] == filters.region_code]
        incubators = incubators.merge(regions, on="region_id")
    if filters.incubator_id:
        incubators = incubators[incubators["incubator_id"] == filters.incubator_id]
    return frozenset(int(i) for i in incubators["incubator_id"])


@dataclass(frozen=True)
class _View:
    """One viewer's reading of the tables: who, under which filters, which incubators."""

    tables: Tables
    actor: Actor
    filters: Filters
    scope: frozenset[int] | None

    def activities(self, date_from: dt.date | None, date_to: dt.date | None,
                   activity_type: str | None) -> pd.DataFrame:
        """The counted activities in [date_from, date_to] of `activity_type` (None: any)."""
        rows = self.tables.activities
        keep = rows["deleted_at"].isna() & rows["status"].isin(
            list(counted_statuses(self.actor, self.filters)))
        if self.scope is not None:
            keep &= rows["incubator_id"].isin(list(self.scope))
        keep &= _within(rows["activity_date"], date_from, date_to)
        if activity_type:
            keep &= rows["type"] == activity_type
        return rows[keep]

    def participations(self, activities: pd.DataFrame) -> pd.DataFrame:
        """The participations in `activities`, each with its activity's columns."""
        return self.tables.participations.merge(activities, on="activity_id")

    def live(self, people: pd.DataFrame) -> pd.DataFrame:
        """Participations of organisations that are not deleted (deleted ones are counted
        nowhere as organisations; their attendees stay in their activities' totals)."""
        rows = self.tables.organizations
        return people[people["organization_id"].isin(
            list(rows.loc[rows["deleted_at"].isna(), "organization_id"]))]

    # Indicators ------------------------------------------------------------------------------

    def indicator_value(self, indicator: dict[Hashable, Any], date_from: dt.date | None,
                        date_to: dt.date | None) -> Decimal:
        """An indicator's actual value over [date_from, date_to]."""
        method = IndicatorMethod(indicator["method"])
        parameter = _text(indicator["parameter"])
        kind = parameter if method in _TYPED_METHODS else None
        if kind and self.filters.activity_type and self.filters.activity_type != kind:
            return Decimal(0)
        activity_type = kind or self.filters.activity_type
        if method in _ACTIVITY_METHODS:
            activities = self.activities(date_from, date_to, activity_type)
            if method is IndicatorMethod.ACTIVITIES:
                return Decimal(len(activities))
            people = self.participations(activities)
            if method is IndicatorMethod.ATTENDEES:
                return Decimal(int(people["attendees"].sum()))
            return Decimal(int(self.live(people)["organization_id"].nunique()))
        if method is IndicatorMethod.PEOPLE_TRAINED:
            return Decimal(self.people_trained(date_from, date_to))
        if method in _MILESTONE_METHODS:
            return Decimal(self.milestones(method, parameter, date_from, date_to))
        if method is IndicatorMethod.MANUAL:
            return self.manual(int(indicator["indicator_id"]), date_from, date_to)
        if method in DIALOGUE_METHODS:
            return Decimal(self.dialogue(method, date_from, date_to))
        return Decimal(self.capacity_gain(date_from, date_to))

    def milestones(self, method: IndicatorMethod, kind: str | None,
                   date_from: dt.date | None, date_to: dt.date | None) -> int:
        """Live milestones (of `kind`) achieved in the range, or their distinct organisations."""
        rows = self.tables.milestones
        keep = rows["deleted_at"].isna() & _within(rows["achieved_on"], date_from, date_to)
        if kind:
            keep &= rows["kind"] == kind
        if self.scope is not None:
            keep &= rows["incubator_id"].isin(list(self.scope))
        chosen = rows[keep]
        if method is IndicatorMethod.MILESTONES:
            return len(chosen)
        return int(chosen["organization_id"].nunique())

    def manual(self, indicator_id: int, date_from: dt.date | None, date_to: dt.date | None
               ) -> Decimal:
        """The sum of the indicator's entries dated in the range."""
        rows = self.tables.indicator_entries
        keep = (rows["indicator_id"] == indicator_id) & _within(rows["entry_date"], date_from,
                                                                 date_to)
        if self.scope is not None:
            keep &= rows["incubator_id"].isin(list(self.scope))
        return sum((Decimal(str(v)) for v in rows.loc[keep, "value"]), Decimal(0))

    def dialogue(self, method: IndicatorMethod, date_from: dt.date | None,
                 date_to: dt.date | None) -> int:
        """Documents monitored (distinct live documents whose first monitoring day in scope
        lies in the range), opinions (live, counted statuses, in scope, submitted in the
        range) or their distinct live authors."""
        if method is IndicatorMethod.DOCUMENTS_MONITORED:
            documents = self.tables.documents
            rows = self.tables.monitoring.merge(
                documents[documents["deleted_at"].isna()][["document_id"]], on="document_id")
            if self.scope is not None:
                rows = rows[rows["incubator_id"].isin(list(self.scope))]
            first = rows.groupby("document_id")["monitored_from"].min()
            return int(_within(first, date_from, date_to).sum())
        rows = self.tables.opinions
        keep = rows["deleted_at"].isna() & rows["status"].isin(
            list(counted_statuses(self.actor, self.filters)))
        if self.scope is not None:
            keep &= rows["incubator_id"].isin(list(self.scope))
        opinions = rows[keep & _within(rows["submitted_on"], date_from, date_to)]
        if method is IndicatorMethod.OPINIONS:
            return len(opinions)
        authors = self.tables.opinion_authors.merge(opinions[["opinion_id"]], on="opinion_id")
        return int(self.live(authors)["organization_id"].nunique())

    def people_trained(self, date_from: dt.date | None, date_to: dt.date | None) -> int:
        """Distinct people whose counted hours reached the rule on a day in the range."""
        minimum, rule_types = self.tables.training_rule()
        types = [t for t in rule_types if self.filters.activity_type in (None, t)]
        if not types:
            return 0
        activities = self.activities(None, None, None)
        activities = activities[activities["type"].isin(types)]
        rows = self.tables.attendances.merge(
            activities[["activity_id", "activity_date", "hours"]], on="activity_id")
        if rows.empty:
            return 0
        hours = rows["own_hours"].where(rows["own_hours"].notna(), rows["hours"])
        rows = rows.assign(cents=(hours.astype(float) * 100).round().astype("int64"))
        # grouped in key order: each person's days oldest first
        daily = rows.groupby(["person_id", "activity_date"])["cents"].sum().reset_index()
        daily["total"] = daily.groupby("person_id")["cents"].cumsum()
        reached = daily[daily["total"] >= minimum].groupby("person_id")["activity_date"].min()
        return int(_within(reached, date_from, date_to).sum())

    def capacity_gain(self, date_from: dt.date | None, date_to: dt.date | None) -> int:
        """Organisations whose latest assessment in the range is above their intake (as
        progress._capacity_gain: per organisation and cycle, first intake up to date_to, latest
        other assessment in the range, both in the scope's cohorts; several on one day:
        highest intake, lowest latest; an organisation counts once)."""
        rows = self.tables.assessments
        rows = rows[rows["deleted_at"].isna()].assign(
            capacity_index=lambda r: r["capacity_index"].astype(float),
            cycle=lambda r: r["cohort_id"].fillna(0))  # a gain is measured within one cycle
        intake = rows["kind"] == AssessmentKind.INTAKE.value
        live = _within(rows["assessed_on"], None, date_to)
        if self.scope is not None:
            cohorts = self.tables.cohorts
            live &= rows["cohort_id"].isin(
                list(cohorts.loc[cohorts["incubator_id"].isin(list(self.scope)), "cohort_id"]))
        journey = ["organization_id", "cycle"]
        firsts = rows[live & intake].groupby(journey, as_index=False)["assessed_on"].min()
        lasts = rows[live & ~intake & _within(rows["assessed_on"], date_from, None)].groupby(
            journey, as_index=False)["assessed_on"].max()
        key = [*journey, "assessed_on"]
        intake_index = rows[intake].merge(firsts, on=key).groupby(journey)[
            "capacity_index"].max().rename("intake")
        latest_index = rows[~intake].merge(lasts, on=key).groupby(journey)[
            "capacity_index"].min().rename("latest")
        both = pd.concat([intake_index, latest_index], axis=1, join="inner")
        gained = both[both["latest"] > both["intake"]]
        return int(gained.index.get_level_values("organization_id").nunique())

    def indicators(self, year: int) -> dict[str, tuple[float, float]]:
        """code -> (value over the filtered period, value in `year` within it)."""
        year_from, year_to = dt.date(year, 1, 1), dt.date(year, 12, 31)
        year_start = max(d for d in (self.filters.date_from, year_from) if d)
        year_end = min(d for d in (self.filters.date_to, year_to) if d)
        result = {}
        indicators = self.tables.indicators.sort_values(["sort_order", "indicator_id"])
        for indicator in indicators.to_dict("records"):
            whole = self.indicator_value(indicator, self.filters.date_from,
                                         self.filters.date_to)
            part = self.indicator_value(indicator, year_start, year_end) \
                if year_start <= year_end else Decimal(0)
            result[str(indicator["code"])] = (float(whole), float(part))
        return result

    # The overview's charts -------------------------------------------------------------------

    def filtered(self) -> pd.DataFrame:
        """The activities the dashboard filters count."""
        return self.activities(self.filters.date_from, self.filters.date_to,
                               self.filters.activity_type)

    def types(self) -> dict[str, int]:
        counts = self.filtered().groupby("type").size()
        return {str(k): int(v) for k, v in counts.items() if v}

    def areas(self) -> dict[str, int]:
        counts = self.tables.activity_areas.merge(self.filtered(), on="activity_id").groupby(
            "area").size()
        return {str(k): int(v) for k, v in counts.items() if v}

    def quarters(self, people: bool) -> dict[QuarterKey, tuple[int, int | None, int | None]]:
        activities = self.filtered()
        activities = activities.assign(
            year=activities["activity_date"].dt.year,
            quarter=(activities["activity_date"].dt.month + 2) // 3,
        ).merge(self.tables.incubators[["incubator_id", "incubator_code"]], on="incubator_id")
        keys = ["year", "quarter", "incubator_code"]
        counts = _by_quarter(activities.groupby(keys).size())
        organizations: dict[QuarterKey, int] = {}
        attendees: dict[QuarterKey, int] = {}
        if people:
            rows = self.participations(activities).groupby(keys)
            organizations = _by_quarter(self.live(self.participations(activities)).groupby(
                keys)["organization_id"].nunique())
            attendees = _by_quarter(rows["attendees"].sum())
        return {key: (count, organizations.get(key, 0) if people else None,
                      attendees.get(key, 0) if people else None)
                for key, count in counts.items() if count}

    def places(self) -> dict[str, int]:
        """Distinct supported organisations per (folded) municipality ISO code."""
        supported = self.live(self.participations(self.filtered()))["organization_id"].unique()
        organizations = self.tables.organizations
        organizations = organizations[organizations["organization_id"].isin(supported)
                                      & organizations["municipality_id"].notna()]
        successors = _successors(self.tables.municipalities)
        folded = organizations.assign(municipality_id=[
            successors.get(int(m), int(m)) for m in organizations["municipality_id"]])
        located = folded.merge(self.tables.municipalities[["municipality_id", "iso"]],
                               on="municipality_id")
        counts = located.groupby("iso")["organization_id"].nunique()
        return {str(k): int(v) for k, v in counts.items() if v}


def _by_quarter(series: pd.Series) -> dict[QuarterKey, int]:
    result = {}
    for key, value in series.items():
        y, q, code = cast(tuple[Any, Any, Any], key)
        result[(int(y), int(q), str(code))] = int(value)
    return result


def _successors(municipalities: pd.DataFrame) -> dict[int, int]:
    """Ended municipality id -> today's municipality that continues it (regions._successors)."""
    ended = municipalities[municipalities["valid_to"].notna()]
    links: dict[int, int | None] = {
        int(i): None if pd.isna(s) else int(s)
        for i, s in zip(ended["municipality_id"], ended["successor_id"], strict=True)}
    result = {}
    for start, successor in links.items():
        current, seen = successor, {start}
        while current is not None and current in links and current not in seen:
            seen.add(current)
            current = links[current]
        if current is not None and current not in seen:
            result[start] = current
    return result


def overview_numbers_naive(connection: Connection, *, actor: Actor, filters: Filters,
                           year: int, people: bool = False) -> dict[str, Any]:
    """The overview's numbers as `comparable(overview_numbers(...))` gives them, from the
    base tables read whole into pandas. Viewers who may not see the regions page are refused,
    as the overview's map refuses them."""
    if not can_open(actor, Area.REGIONS):
        raise PermissionDenied()
    tables = read_tables(connection)
    view = _View(tables=tables, actor=actor, filters=filters, scope=_scope(tables, filters))
    return {
        "indicators": view.indicators(year),
        "types": view.types(),
        "areas": view.areas(),
        "quarters": view.quarters(people),
        "places": view.places(),
    }
