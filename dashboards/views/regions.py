"""Regions and incubators: where the support went (map, per region, per incubator).

Read-only for managers and funders (funders count approved activities only, and no
personal data is shown: organisation counts and names of places only). Filters live in the URL.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboards.components.auth import require
from dashboards.components.cache import cached
from dashboards.components.downloads import show_chart, show_table
from dashboards.components.text import enum_label, lang, tr
from tracker.analytics import Filters
from tracker.analytics.regions import (
    AreaTotals,
    IncubatorRow,
    incubator_totals,
    municipality_totals,
    region_totals,
)
from tracker.auth import Area
from tracker.charts.regions import (
    MAP_METRICS,
    METRIC_KEYS,
    incubator_comparison,
    municipality_map,
    region_map,
)
from tracker.database import session_scope
from tracker.enums import ActivityType, RegionCode
from tracker.exports import Cell
from tracker.services import reference

LEVELS = ("municipality", "region")

actor = require(Area.REGIONS)
st.title(tr("nav.regions"))
params = st.query_params
with session_scope(readonly=True) as session:
    incubators = reference.list_incubators(session, actor=actor)
    start, end = reference.programme_period(session, incubator_id=None)


def _from_url(name: str, options: list[str] | tuple[str, ...]) -> str | None:
    value = params.get(name)
    return value if value in options else None


def _date(name: str, default: dt.date) -> dt.date:
    try:
        return min(max(dt.date.fromisoformat(params.get(name, "")), start), end)
    except ValueError:
        return default


regions = [r.value for r in RegionCode]
types = [t.value for t in ActivityType]
incubator_codes = {i.code: i for i in incubators}
with st.container(border=True):
    st.caption(tr("regions.filters"))
    c1, c2, c3, c4 = st.columns(4)
    region = c1.selectbox(tr("regions.region"), [None, *regions],
                          index=[None, *regions].index(_from_url("region", regions)),
                          format_func=lambda r: tr("regions.all") if r is None else r.title(),
                          key="rg_region")
    incubator_code = c2.selectbox(
        tr("regions.incubator"), [None, *incubator_codes],
        index=[None, *incubator_codes].index(_from_url("incubator", list(incubator_codes))),
        format_func=lambda c: tr("regions.all") if c is None else (
            incubator_codes[c].name_en if lang() == "en" else incubator_codes[c].name_lv),
        key="rg_incubator")
    period = c3.date_input(tr("regions.period"), (_date("from", start), _date("to", end)),
                           min_value=start, max_value=end, format="DD.MM.YYYY",
                           key="rg_period")
    kind = c4.selectbox(tr("regions.type"), [None, *types],
                        index=[None, *types].index(_from_url("type", types)),
                        format_func=lambda t: tr("regions.all") if t is None
                        else enum_label(ActivityType(t)), key="rg_type")

date_from, date_to = (period[0], period[-1]) if isinstance(period, tuple) and period \
    else (start, end)
filters = Filters(region_code=region,
                  incubator_id=incubator_codes[incubator_code].id if incubator_code else None,
                  date_from=date_from, date_to=date_to, activity_type=kind)
municipalities = cached(municipality_totals, actor=actor, filters=filters)
by_region = cached(region_totals, actor=actor, filters=filters)
by_incubator = cached(incubator_totals, actor=actor, filters=filters)


def _name(row: AreaTotals) -> str:
    return row.name(lang()) if row.code else tr("regions.unknown")


def _share(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _area_record(row: AreaTotals, heading: str) -> dict[str, Cell]:
    return {heading: _name(row),
            tr("regions.col.registered"): row.organizations_registered,
            tr("regions.col.supported"): row.organizations_supported,
            tr("regions.col.share_supported"): _share(row.share_supported),
            tr("regions.col.activities"): row.activities,
            tr("regions.col.attendees"): row.attendees,
            tr("regions.col.hours"): round(row.hours, 1),
            tr("regions.col.activities_per_org"): row.activities_per_organization,
            tr("regions.col.attendees_per_org"): row.attendees_per_organization,
            tr("regions.col.hours_per_org"): row.hours_per_organization}


def _incubator_record(row: IncubatorRow) -> dict[str, Cell]:
    return {tr("regions.col.incubator"): row.name(lang()),
            tr("regions.col.enrolled"): row.organizations_enrolled,
            tr("regions.col.supported"): row.organizations_supported,
            tr("regions.col.activities"): row.activities,
            tr("regions.col.attendees"): row.attendees,
            tr("regions.col.hours"): round(row.hours, 1),
            tr("regions.col.activities_per_org"): row.activities_per_organization,
            tr("regions.col.attendees_per_org"): row.attendees_per_organization,
            tr("regions.col.hours_per_org"): row.hours_per_organization}


level = _from_url("map", LEVELS) or "municipality"  # kept as they are while nothing shows
metric = _from_url("metric", MAP_METRICS) or "organizations_supported"
if not any(r.organizations_supported for r in by_region):
    st.info(tr("regions.no_data"))
else:
    left, right = st.columns(2)
    level = left.segmented_control(
        tr("regions.map_level"), LEVELS, default=level,
        format_func=lambda v: tr(f"regions.level.{v}"), key="rg_level") or "municipality"
    metric = right.segmented_control(
        tr("regions.metric"), MAP_METRICS,
        default=metric,
        format_func=lambda m: tr(METRIC_KEYS[m]), key="rg_metric") or "organizations_supported"
    if level == "municipality":
        figure = municipality_map(municipalities, metric, lang())
        title = tr("regions.map_by_municipality", metric=tr(METRIC_KEYS[metric]))
    else:
        figure = region_map(by_region, metric, lang())
        title = tr("regions.map_by_region", metric=tr(METRIC_KEYS[metric]))
    show_chart(figure, name=title, key="rg_map", is_map=True)
    st.caption(tr("regions.attribution"))
    st.caption(tr("regions.definition"))
    st.caption(tr("regions.merged_note"))

    st.subheader(tr("regions.by_region"))
    show_table(tr("regions.by_region"),
               [_area_record(r, tr("regions.col.region")) for r in by_region],
               key="rg_regions", notes=[tr("regions.definition"), tr("regions.area_notes")])
    st.caption(tr("regions.area_notes"))
    with st.expander(tr("regions.by_municipality")):
        show_table(tr("regions.by_municipality"),
                   [{tr("regions.col.iso"): r.code or None}
                    | _area_record(r, tr("regions.col.municipality"))
                    for r in municipalities],
                   key="rg_municipalities",
                   notes=[tr("regions.definition"), tr("regions.merged_note"),
                          tr("regions.area_notes")])

st.subheader(tr("regions.by_incubator"))
if by_incubator:
    show_table(tr("regions.by_incubator"), [_incubator_record(r) for r in by_incubator],
               key="rg_incubators", notes=[tr("regions.incubator_notes")])
    st.caption(tr("regions.incubator_notes"))
    if any(r.activities for r in by_incubator):
        show_chart(incubator_comparison(by_incubator, lang()),
                   name=tr("regions.incubators_compared"), key="rg_compare")
else:
    st.info(tr("regions.no_incubators"))
st.caption(tr("regions.counted_funder") if actor.role.value == "funder"
           else tr("regions.counted_all"))

wanted = {"region": region, "incubator": incubator_code, "type": kind,
          "from": date_from.isoformat() if date_from != start else None,
          "to": date_to.isoformat() if date_to != end else None,
          "map": level if level != "municipality" else None,
          "metric": metric if metric != "organizations_supported" else None}
for name, value in wanted.items():  # the view is shareable: the URL carries the filters
    if value is None:
        params.pop(name, None)
    elif params.get(name) != value:
        params[name] = value
