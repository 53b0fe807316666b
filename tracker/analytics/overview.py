"""Everything the programme overview page computes, in one place: the page asks for these
calls through the dashboard cache, the benchmark (`tracker bench`) times them, and the tests
compare them with a direct count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from tracker.analytics.progress import (
    activity_type_mix,
    capacity_area_mix,
    indicator_progress,
    quarterly_series,
)
from tracker.analytics.regions import supported_by_municipality
from tracker.analytics.scope import Filters
from tracker.auth import Actor, Area, require_area

Calls = dict[str, tuple[Callable[..., Any], dict[str, Any]]]


def overview_year(start: dt.date, end: dt.date, today: dt.date | None = None) -> int:
    """The year the overview's "this year" column shows: today's, within the programme."""
    today = today or dt.date.today()  # noqa: DTZ011 (a calendar date in Latvia)
    return min(max(today.year, start.year), end.year)


def overview_calls(filters: Filters, year: int, *, people: bool = False) -> Calls:
    """{name: (analytics function, its keyword arguments)}: the page's numbers. `people`:
    the quarterly chart shows organisations or attendees rather than activity counts."""
    return {
        "indicators": (indicator_progress, {"filters": filters, "year": year}),
        "types": (activity_type_mix, {"filters": filters}),
        "areas": (capacity_area_mix, {"filters": filters}),
        "quarters": (quarterly_series, {"filters": filters, "people": people}),
        "places": (supported_by_municipality, {"filters": filters}),
    }


def overview_numbers(session: Session, *, actor: Actor, filters: Filters, year: int,
                     people: bool = False) -> dict[str, Any]:
    """The overview's numbers, computed one after the other in `session`."""
    require_area(actor, Area.OVERVIEW)
    return {name: function(session, actor=actor, **kwargs)
            for name, (function, kwargs) in overview_calls(filters, year,
                                                           people=people).items()}


def comparable(numbers: dict[str, Any]) -> dict[str, Any]:
    """The numbers as plain values, to compare two ways of computing them."""
    return {
        "indicators": {r.code: (float(r.actual), float(r.actual_year))
                       for r in numbers["indicators"]},
        "types": {k: int(v) for k, v in numbers["types"].items() if v},
        "areas": {k: int(v) for k, v in numbers["areas"].items() if v},
        "quarters": {(r.year, r.quarter, r.incubator_code): (
            r.activities, r.organizations, r.attendees) for r in numbers["quarters"]},
        "places": {k: int(v) for k, v in numbers["places"].items() if v},
    }
