"""The filter bar of the programme pages: region, incubator, period, activity type (and an
"as of" date), read from and written back to the address, so a view can be shared."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from dashboards.components.text import enum_label, lang, tr
from tracker.analytics import Filters
from tracker.auth import Actor
from tracker.database import session_scope
from tracker.enums import ActivityType, RegionCode, Role
from tracker.schemas import IncubatorRead
from tracker.services import reference


@dataclass(frozen=True)
class FilterBar:
    """What the user chose: the filters every number obeys, and the context pages need."""

    filters: Filters
    start: dt.date  # the programme's first and last day
    end: dt.date
    incubators: dict[str, IncubatorRead]  # code -> incubator, every incubator
    incubator_code: str | None
    as_of: dt.date | None = None


def from_url(name: str, options: list[str] | tuple[str, ...]) -> str | None:
    """The address's value of `name` when it is one of `options`, else None."""
    value = st.query_params.get(name)
    return value if value in options else None


def _datefrom_url(name: str, default: dt.date, start: dt.date, end: dt.date) -> dt.date:
    try:
        return min(max(dt.date.fromisoformat(st.query_params.get(name, "")), start), end)
    except ValueError:
        return default


def write_url(wanted: dict[str, str | None]) -> None:
    """Put each value into the address (None removes it), touching only what changed."""
    for name, value in wanted.items():
        if value is None:
            st.query_params.pop(name, None)
        elif st.query_params.get(name) != value:
            st.query_params[name] = value


def filter_bar(prefix: str, *, actor: Actor, period: bool = True,
               activity_type: bool = True, as_of: bool = False,
               period_help: str | None = None, as_of_help: str | None = None) -> FilterBar:
    """Draw the bar (widget keys `{prefix}_region`, `_incubator`, `_period`, `_type`,
    `_asof`) and keep the address in step (`region`, `incubator`, `from`, `to`, `type`,
    `asof`). The incubator list follows the chosen region; "as of" defaults to today."""
    with session_scope(readonly=True) as session:
        incubators = {i.code: i for i in reference.list_incubators(session, actor=actor)}
        start, end = reference.programme_period(session, incubator_id=None)
        region_names = {code: (name_lv, name_en) for code, name_lv, name_en
                        in reference.region_names(session).values()}
        region_of = {rid: code for rid, (code, _, _)
                     in reference.region_names(session).items()}
    english = lang() == "en"
    regions = [r.value for r in RegionCode]
    types = [t.value for t in ActivityType]
    today = min(max(dt.date.today(), start), end)  # noqa: DTZ011
    chosen_day: dt.date | None = None
    with st.container(border=True):
        st.caption(tr("overview.filters"))
        columns = iter(st.columns(sum((as_of, True, True, period, activity_type))))
        if as_of:
            picked = next(columns).date_input(
                tr("forecast.as_of"), _datefrom_url("asof", today, start, end),
                min_value=start, max_value=end, format="DD.MM.YYYY", help=as_of_help,
                key=f"{prefix}_asof")
            chosen_day = picked if isinstance(picked, dt.date) else today
        region = next(columns).selectbox(
            tr("overview.region"), [None, *regions],
            index=[None, *regions].index(from_url("region", regions)),
            format_func=lambda r: tr("overview.all") if r is None else
            region_names.get(r, (r, r))[1 if english else 0], key=f"{prefix}_region")
        # Only the chosen region's incubators: another region's would count nothing.
        shown = {code: i for code, i in incubators.items()
                 if region is None or region_of.get(i.region_id) == region}
        incubator_code = next(columns).selectbox(
            tr("overview.incubator"), [None, *shown],
            index=[None, *shown].index(from_url("incubator", list(shown))),
            format_func=lambda c: tr("overview.all") if c is None else
            (shown[c].name_en if english else shown[c].name_lv), key=f"{prefix}_incubator")
        date_from, date_to = start, end
        if period:
            picked_period = next(columns).date_input(
                tr("overview.period"), (_datefrom_url("from", start, start, end),
                                        _datefrom_url("to", end, start, end)),
                min_value=start, max_value=end, format="DD.MM.YYYY", help=period_help,
                key=f"{prefix}_period")
            if isinstance(picked_period, tuple) and picked_period:
                date_from, date_to = picked_period[0], picked_period[-1]
        kind = None
        if activity_type:
            kind = next(columns).selectbox(
                tr("overview.type"), [None, *types],
                index=[None, *types].index(from_url("type", types)),
                format_func=lambda t: tr("overview.all") if t is None
                else enum_label(ActivityType(t)), key=f"{prefix}_type")
        submitted = True  # what funders may not ask for, counted_statuses ignores
        if actor.role is not Role.FUNDER:  # funders count approved activities only
            submitted = st.checkbox(tr("overview.include_submitted"),
                                    value=st.query_params.get("submitted") != "0",
                                    help=tr("overview.include_submitted_help"),
                                    key=f"{prefix}_submitted")
    write_url({"asof": chosen_day.isoformat() if chosen_day and chosen_day != today else None,
                "submitted": None if submitted or actor.role is Role.FUNDER else "0",
                "region": region, "incubator": incubator_code, "type": kind,
                "from": date_from.isoformat() if date_from != start else None,
                "to": date_to.isoformat() if date_to != end else None})
    filters = Filters(region_code=region,
                      incubator_id=shown[incubator_code].id if incubator_code else None,
                      date_from=date_from, date_to=date_to, activity_type=kind,
                      include_submitted=submitted)
    return FilterBar(filters=filters, start=start, end=end, incubators=incubators,
                     incubator_code=incubator_code, as_of=chosen_day)
