"""Programme overview: every indicator against its target, under filters kept in the URL."""

from __future__ import annotations

import streamlit as st

from dashboards.components.auth import require
from dashboards.components.cache import cached, cached_together
from dashboards.components.downloads import show_chart
from dashboards.components.filters import filter_bar
from dashboards.components.text import enum_label, lang, plain, tr
from tracker import analytics, charts
from tracker.analytics import IndicatorProgress, counted_note_key
from tracker.analytics.overview import overview_calls, overview_year
from tracker.auth import Area
from tracker.charts.regions import supported_map
from tracker.enums import ActivityType, CapacityArea
from tracker.i18n import format_number

METRIC_KEYS = {"activities": "home.activities", "organizations": "home.organizations_supported",
               "attendees": "home.attendees"}

actor = require(Area.OVERVIEW)
st.title(tr("nav.overview"))
bar = filter_bar("ov", actor=actor)
filters, start, end = bar.filters, bar.start, bar.end
region, incubator_code = filters.region_code, bar.incubator_code
year = overview_year(start, end)
# The chart's measure, as the widget below will read it: every number of the page is then
# asked for at once, and a cold cache is filled by parallel queries.
chosen = st.session_state.get("ov_metric") or "activities"
numbers = cached_together(overview_calls(filters, year, people=chosen != "activities"),
                          actor=actor)
rows: list[IndicatorProgress] = numbers["indicators"]


def _line(actual: object, target: object, share: float | None) -> str:
    shown = format_number(float(str(actual)), lang())
    if target is None or share is None:
        return tr("overview.no_target", actual=shown)
    return tr("overview.of_target", actual=shown, target=format_number(float(str(target)),
                                                                       lang()),
              share=f"{format_number(share * 100, lang())} %")


def _indicator(row: IndicatorProgress) -> None:
    """One line per indicator: its name, then the whole programme and this year as bars."""
    name, whole, this_year = st.columns([3, 2, 2], vertical_alignment="center")
    name.markdown(f"**{plain(row.name_en if lang() == 'en' else row.name_lv)}**",
                  help=row.help_text(lang()))
    whole.progress(min(row.share or 0.0, 1.0), text=_line(row.actual, row.target, row.share))
    this_year.progress(min(row.share_year or 0.0, 1.0),
                       text=_line(row.actual_year, row.target_year, row.share_year))


st.subheader(tr("overview.targets"))
if region and not incubator_code:
    st.info(tr("overview.region_targets"))
with st.container(border=True):
    _, whole_head, year_head = st.columns([3, 2, 2])
    whole_head.caption(tr("overview.whole"))
    year_head.caption(plain(tr("overview.year", year=year)))  # "2026." is no list
    for row in rows:
        _indicator(row)
    for row in rows:  # how an indicator is counted, where its name alone could mislead
        if row.help_key:
            st.caption(f"{plain(row.name_en if lang() == 'en' else row.name_lv)}: "
                       f"{row.help_text(lang())}")
types_mix, areas_mix = numbers["types"], numbers["areas"]
if types_mix:  # some activity under these filters
    metric = st.segmented_control(
        tr("overview.metric"), charts.QUARTER_METRICS, default="activities",
        format_func=lambda m: tr(METRIC_KEYS[m]), key="ov_metric") or "activities"
    quarters = numbers["quarters"] if metric == chosen else cached(
        analytics.quarterly_series, actor=actor, filters=filters,
        people=metric != "activities")
    names = {code: (i.name_en if lang() == "en" else i.name_lv)
             for code, i in bar.incubators.items()}
    show_chart(charts.quarterly_by_incubator(quarters, metric, names, lang()),
               name=tr("overview.by_quarter", metric=tr(METRIC_KEYS[metric])),
               key="ov_quarters")
    where, mixes = st.columns([3, 2])
    with where:  # where the supported organisations are (other measures: the regions page)
        show_chart(supported_map(numbers["places"], lang()), name=tr(
            "regions.map_by_municipality", metric=tr("regions.metric.organizations_supported")),
            key="ov_map", is_map=True)
        st.caption(tr("overview.map_note"))
    with mixes:
        show_chart(charts.mix(types_mix, {t: enum_label(ActivityType(t)) for t in types_mix},
                              "overview.types", lang()), name=tr("overview.types"),
                   key="ov_types")
        show_chart(charts.mix(areas_mix, {a: enum_label(CapacityArea(a)) for a in areas_mix},
                              "overview.areas", lang()), name=tr("overview.areas"),
                   key="ov_areas")
else:
    st.info(tr("overview.no_activity"))
st.caption(tr(counted_note_key(actor, filters)))
