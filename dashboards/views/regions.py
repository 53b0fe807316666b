"""Regions and incubators: where the support went (map, per region, per incubator).

Read-only for managers and funders (funders count approved activities only, and no
personal data is shown: organisation counts and names of places only). Filters live in the URL.
"""

from __future__ import annotations

import streamlit as st

from dashboards.components.auth import require
from dashboards.components.cache import cached
from dashboards.components.downloads import show_chart, show_table
from dashboards.components.filters import filter_bar, from_url, write_url
from dashboards.components.text import lang, tr
from tracker.analytics import counted_note_key
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
from tracker.exports import Cell

LEVELS = ("municipality", "region")

actor = require(Area.REGIONS)
st.title(tr("nav.regions"))
bar = filter_bar("rg", actor=actor)
filters = bar.filters
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


level = from_url("map", LEVELS) or "municipality"  # kept as they are while nothing shows
metric = from_url("metric", MAP_METRICS) or "organizations_supported"
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
st.caption(tr(counted_note_key(actor, filters)))

write_url({"map": level if level != "municipality" else None,  # the filters: filter_bar
           "metric": metric if metric != "organizations_supported" else None})
