"""The benchmark's measures of the civic-dialogue register (30,000 documents and 20,000
opinions at national scale): the three civic-dialogue indicators (documents monitored,
opinions, organisations with opinions) as the overview counts them, their forecast as the
forecast page computes it, each against a naive baseline that must agree with it, and the
Civic dialogue page through AppTest, cold and warm. bench/run.py runs them.

The naive baseline reads the register's rows whole (documents, their monitoring, opinions,
their authors, organisations, incubators: plain SELECTs of the columns needed, no
aggregation in SQL) and counts in Python by the rules of tracker.analytics.dialogue:

- a live document counts once, on the first day an incubator in scope (or, unfiltered,
  anyone) began to monitor it;
- a live opinion counts when its status is one the viewer counts (`counted_statuses`; staff
  count other incubators' opinions once approved), its incubator in scope, on its day;
- an organisation counts once among the live authors of the counted opinions, in the forecast
  on the day of its first one.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from bench.measures import BenchError, Report
from db.enums import ActivityStatus, Role
from db.models import (
    Document,
    DocumentMonitoring,
    Incubator,
    Indicator,
    Opinion,
    OpinionAuthor,
    Organization,
    Program,
    Region,
    Target,
)
from tracker.analytics import Filters, forecast
from tracker.analytics.progress import indicator_value, target_for
from tracker.analytics.scope import counted_statuses
from tracker.auth import Actor

Result = TypeVar("Result")
CODES = ("DOCS_MONITORED", "OPINIONS_SUBMITTED", "ORGS_WITH_OPINIONS")
Values = dict[str, tuple[int, int]]  # code -> (whole period, the overview's year)
Forecasts = dict[str, tuple[int, tuple[tuple[dt.date, int], ...]]]  # code -> (value, months)


# The fast path: what the overview and the forecast page call ------------------------------

def _indicators(session: Session) -> dict[str, Indicator]:
    found = {i.code: i for i in session.scalars(select(Indicator).where(
        Indicator.code.in_(CODES)))}
    missing = [c for c in CODES if c not in found]
    if missing:
        raise BenchError(f"the civic-dialogue indicators are missing: {', '.join(missing)}")
    return found


def _year(filters: Filters, year: int) -> tuple[dt.date, dt.date]:
    """The overview's year within the filtered period (tracker.analytics.progress)."""
    start = max(d for d in (filters.date_from, dt.date(year, 1, 1)) if d)
    end = min(d for d in (filters.date_to, dt.date(year, 12, 31)) if d)
    return start, end


def values_fast(session: Session, actor: Actor, filters: Filters, year: int) -> Values:
    """Each indicator over the filtered period and over the year, as the overview's progress
    table asks for them (`indicator_value` twice: these are not activity rollups)."""
    first, last = _year(filters, year)
    return {code: (int(indicator_value(session, actor, indicator, filters, filters.date_from,
                                       filters.date_to)),
                   int(indicator_value(session, actor, indicator, filters, first, last)))
            for code, indicator in _indicators(session).items()}


def forecasts_fast(session: Session, actor: Actor, as_of: dt.date) -> Forecasts:
    """The three indicators' forecasts for the whole programme, as
    `forecast.indicator_forecasts` makes each (its per-indicator step, without the others)."""
    start, end = forecast.programme_dates(session)
    as_of = forecast.clamp_as_of(as_of, start, end)
    result: Forecasts = {}
    for code, indicator in _indicators(session).items():
        targets = list(session.scalars(select(Target).where(
            Target.indicator_id == indicator.id, Target.year.is_(None))))
        made = forecast._forecast(session, actor, indicator, Filters(),
                                  target_for(targets, None, None), start, end, as_of, None)
        result[code] = (int(made.value), tuple((m.month, int(m.value)) for m in made.months))
    return result


# The naive path: rows into Python, counted there ------------------------------------------

@dataclass(frozen=True)
class Register:
    """The register's rows, read whole."""

    live_documents: frozenset[int]
    monitoring: list[tuple[int, int | None, dt.date]]  # document, incubator, from
    opinions: list[tuple[int, int | None, str, dt.date]]  # live: id, incubator, status, day
    authors: list[tuple[int, int]]  # opinion, organisation
    live_organizations: frozenset[int]
    regions: dict[int, str]  # incubator -> region code


def read_register(connection: Connection) -> Register:
    def rows(*columns: Any) -> list[Any]:
        return list(connection.execute(select(*columns)))

    return Register(
        live_documents=frozenset(i for i, gone in rows(Document.id, Document.deleted_at)
                                 if gone is None),
        monitoring=[(d, i, _day(f)) for d, i, f in rows(
            DocumentMonitoring.document_id, DocumentMonitoring.incubator_id,
            DocumentMonitoring.monitored_from)],
        opinions=[(i, inc, status, _day(day)) for i, inc, status, day, gone in rows(
            Opinion.id, Opinion.incubator_id, Opinion.status, Opinion.submitted_on,
            Opinion.deleted_at) if gone is None],
        authors=[(o, org) for o, org in rows(OpinionAuthor.opinion_id,
                                             OpinionAuthor.organization_id)],
        live_organizations=frozenset(i for i, gone in rows(Organization.id,
                                                           Organization.deleted_at)
                                     if gone is None),
        regions=_regions(connection))


def _regions(connection: Connection) -> dict[int, str]:
    codes = {i: code for i, code in connection.execute(select(Region.id, Region.code))}
    return {i: codes[r] for i, r in connection.execute(select(Incubator.id,
                                                               Incubator.region_id))}


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _in_scope(register: Register, filters: Filters) -> Callable[[int | None], bool]:
    if not (filters.region_code or filters.incubator_id):
        return lambda incubator: True
    return lambda incubator: incubator is not None and incubator in register.regions and (
        not filters.region_code or register.regions[incubator] == filters.region_code) and (
        not filters.incubator_id or incubator == filters.incubator_id)


def first_days(register: Register, filters: Filters, date_to: dt.date | None
               ) -> dict[int, dt.date]:
    """Each live document monitored in scope: the first day of its monitoring there."""
    scope = _in_scope(register, filters)
    firsts: dict[int, dt.date] = {}
    for document, incubator, day in register.monitoring:
        if document not in register.live_documents or not scope(incubator) or \
                (date_to is not None and day > date_to):
            continue
        if document not in firsts or day < firsts[document]:
            firsts[document] = day
    return firsts


def counted_opinions(register: Register, actor: Actor, filters: Filters
                     ) -> dict[int, dt.date]:
    """Live opinions the actor counts, in scope: their days."""
    statuses = counted_statuses(actor, filters)
    scope = _in_scope(register, filters)
    approved = ActivityStatus.APPROVED.value

    def counts(status: str, incubator: int | None) -> bool:
        if actor.role is Role.STAFF and len(statuses) > 1:
            return status == approved or (status in statuses
                                          and incubator == actor.incubator_id)
        return status in statuses

    return {i: day for i, incubator, status, day in register.opinions
            if counts(status, incubator) and scope(incubator)}


def author_days(register: Register, opinions: dict[int, dt.date]) -> list[tuple[int, dt.date]]:
    return [(org, opinions[o]) for o, org in register.authors
            if o in opinions and org in register.live_organizations]


def _within(day: dt.date, date_from: dt.date | None, date_to: dt.date | None) -> bool:
    return (date_from is None or day >= date_from) and (date_to is None or day <= date_to)


def value_naive(register: Register, actor: Actor, code: str, filters: Filters,
                date_from: dt.date | None, date_to: dt.date | None) -> int:
    if code == "DOCS_MONITORED":
        return sum(1 for day in first_days(register, filters, date_to).values()
                   if date_from is None or day >= date_from)
    opinions = {i: d for i, d in counted_opinions(register, actor, filters).items()
                if _within(d, date_from, date_to)}
    if code == "OPINIONS_SUBMITTED":
        return len(opinions)
    return len({org for org, _ in author_days(register, opinions)})


def values_naive(connection: Connection, actor: Actor, filters: Filters, year: int) -> Values:
    register = read_register(connection)
    first, last = _year(filters, year)
    return {code: (value_naive(register, actor, code, filters, filters.date_from,
                               filters.date_to),
                   value_naive(register, actor, code, filters, first, last)) for code in CODES}


def _months(days: list[dt.date], start: dt.date, as_of: dt.date
            ) -> tuple[tuple[dt.date, int], ...]:
    """Increments per month from `start`'s to `as_of`'s, what came before in the first."""
    months = forecast.month_starts(start, as_of)
    counts = [0] * len(months)
    for day in days:
        if day > as_of or not months:
            continue
        index = (day.year - months[0].year) * 12 + day.month - months[0].month
        counts[max(0, index)] += 1
    return tuple(zip(months, counts, strict=True))


def forecasts_naive(connection: Connection, actor: Actor, as_of: dt.date) -> Forecasts:
    register = read_register(connection)
    periods = list(connection.execute(select(Program.start_date, Program.end_date)))
    start, end = min(_day(p[0]) for p in periods), max(_day(p[1]) for p in periods)
    as_of = min(max(as_of, start), end)
    whole = Filters()
    documents = list(first_days(register, whole, as_of).values())
    opinions = counted_opinions(register, actor, whole)
    days = [d for d in opinions.values() if d <= as_of]
    firsts: dict[int, dt.date] = {}
    for org, day in author_days(register, opinions):
        if day <= as_of and (org not in firsts or day < firsts[org]):
            firsts[org] = day
    result: Forecasts = {}
    for code, found in (("DOCS_MONITORED", documents), ("OPINIONS_SUBMITTED", days),
                        ("ORGS_WITH_OPINIONS", list(firsts.values()))):
        result[code] = (len(found), _months(found, start, as_of))
    return result


# The measures ----------------------------------------------------------------------------

def _timed(repeat: int, call: Callable[[], Result]) -> tuple[list[float], Result]:
    """`call` `repeat` times after one run that opens the connection and warms Python."""
    runs = []
    result = call()
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        runs.append(time.perf_counter() - started)
    return runs, result


def _compare(report: Report, name: str, fast: Any, naive: Any) -> None:
    report.values[f"{name}_equal"] = fast == naive
    if fast != naive:
        differ = [k for k in fast if fast[k] != naive.get(k)]
        report.notes.append(f"the naive {name.replace('_', ' ')} differ from the dashboard's: "
                            + ", ".join(differ))


def _speedup(report: Report, name: str) -> None:
    fast = report.values[f"{name}_s"]
    report.values[f"{name}_speedup"] = round(report.values[f"{name}_naive_s"] / fast, 1) \
        if fast else 0.0


def dialogue_values(report: Report, engine: Engine, actor: Actor, filters: Filters,
                    year: int, repeat: int) -> Values:
    """The three indicators' overview values (whole period and year), a new session a run
    and no cache; the naive way the same number of times; the two must agree."""
    def fast_run() -> Values:
        with Session(engine) as session:
            return values_fast(session, actor, filters, year)

    def naive_run() -> Values:
        with engine.connect() as connection:
            return values_naive(connection, actor, filters, year)

    runs, fast = _timed(repeat, fast_run)
    report.timed("dialogue_values_s", runs, digits=4)
    runs, naive = _timed(repeat, naive_run)
    report.timed("dialogue_values_naive_s", runs)
    _speedup(report, "dialogue_values")
    _compare(report, "dialogue_values", fast, naive)
    report.values["dialogue_documents"] = fast["DOCS_MONITORED"][0]
    report.values["dialogue_opinions"] = fast["OPINIONS_SUBMITTED"][0]
    report.values["dialogue_organizations"] = fast["ORGS_WITH_OPINIONS"][0]
    return fast


def dialogue_forecasts(report: Report, engine: Engine, actor: Actor, as_of: dt.date,
                       repeat: int) -> Forecasts:
    """The three indicators' forecasts (value, pace and every month's increment), and the
    same values and months the naive way."""
    def fast_run() -> Forecasts:
        with Session(engine) as session:
            return forecasts_fast(session, actor, as_of)

    def naive_run() -> Forecasts:
        with engine.connect() as connection:
            return forecasts_naive(connection, actor, as_of)

    runs, fast = _timed(repeat, fast_run)
    report.timed("dialogue_forecast_s", runs, digits=4)
    runs, naive = _timed(repeat, naive_run)
    report.timed("dialogue_forecast_naive_s", runs)
    _speedup(report, "dialogue_forecast")
    _compare(report, "dialogue_forecast", fast, naive)
    return fast


def dialogue_page(report: Report, at_factory: Callable[[], Any], page: Path,
                  repeat: int) -> None:
    """The Civic dialogue page through AppTest (`at_factory`: an AppTest signed in), cold
    (the dashboard's cache emptied before each run) and warm (from the cache)."""
    import streamlit as st  # the screen's side: only this measure needs it

    if not page.exists():
        report.notes.append("the Civic dialogue page was not measured: "
                            f"{page.name} is not there yet")
        return
    at = at_factory()
    at.switch_page(str(page)).run()
    if at.exception:
        raise BenchError(f"the Civic dialogue page failed: {at.exception}")
    cold, warm = [], []
    for _ in range(repeat):
        st.cache_data.clear()
        started = time.perf_counter()
        at.run()
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - started)
        if at.exception:
            raise BenchError(f"the Civic dialogue page failed: {at.exception}")
    report.timed("dialogue_page_cold_s", cold)
    report.timed("dialogue_page_warm_s", warm)
