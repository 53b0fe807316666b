"""Programme overview: every indicator against its target, under filters kept in the URL."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboards.components.auth import require
from dashboards.components.cache import cached
from dashboards.components.downloads import show_chart
from dashboards.components.text import enum_label, lang, plain, tr
from tracker import analytics, charts
from tracker.analytics import Filters, IndicatorProgress, indicator_progress
from tracker.analytics.regions import supported_by_municipality
from tracker.auth import Area
from tracker.charts.regions import supported_map
from tracker.database import session_scope
from tracker.enums import ActivityType, CapacityArea, RegionCode
from tracker.i18n import format_number
from tracker.services import reference

METRIC_KEYS = {"activities": "home.activities", "organizations": "home.organizations_supported",
               "attendees": "home.attendees"}

actor = require(Area.OVERVIEW)
st.title(tr("nav.overview"))
params = st.query_params
with session_scope(readonly=True) as session:
    incubators = reference.list_incubators(session, actor=actor)
    start, end = reference.programme_period(session, incubator_id=None)


def _from_url(name: str, options: list[str]) -> str | None:
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
    st.caption(tr("overview.filters"))
    c1, c2, c3, c4 = st.columns(4)
    region = c1.selectbox(tr("overview.region"), [None, *regions],
                          index=[None, *regions].index(_from_url("region", regions)),
                          format_func=lambda r: tr("overview.all") if r is None else r.title(),
                          key="ov_region")
    incubator_code = c2.selectbox(
        tr("overview.incubator"), [None, *incubator_codes],
        index=[None, *incubator_codes].index(_from_url("incubator", list(incubator_codes))),
        format_func=lambda c: tr("overview.all") if c is None else (
            incubator_codes[c].name_en if lang() == "en" else incubator_codes[c].name_lv),
        key="ov_incubator")
    period = c3.date_input(tr("overview.period"), (_date("from", start), _date("to", end)),
                           min_value=start, max_value=end, format="DD.MM.YYYY",
                           key="ov_period")
    kind = c4.selectbox(tr("overview.type"), [None, *types],
                        index=[None, *types].index(_from_url("type", types)),
                        format_func=lambda t: tr("overview.all") if t is None
                        else enum_label(ActivityType(t)), key="ov_type")

date_from, date_to = (period[0], period[-1]) if isinstance(period, tuple) and period \
    else (start, end)
wanted = {"region": region, "incubator": incubator_code, "type": kind,
          "from": date_from.isoformat() if date_from != start else None,
          "to": date_to.isoformat() if date_to != end else None}
for name, value in wanted.items():  # the view is shareable: the URL carries the filters
    if value is None:
        params.pop(name, None)
    elif params.get(name) != value:
        params[name] = value

filters = Filters(region_code=region,
                  incubator_id=incubator_codes[incubator_code].id if incubator_code else None,
                  date_from=date_from, date_to=date_to, activity_type=kind)
year = min(max(dt.date.today().year, start.year), end.year)  # noqa: DTZ011
rows = cached(indicator_progress, actor=actor, filters=filters, year=year)


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
    name.markdown(f"**{plain(row.name_en if lang() == 'en' else row.name_lv)}**")
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
types_mix = cached(analytics.activity_type_mix, actor=actor, filters=filters)
areas_mix = cached(analytics.capacity_area_mix, actor=actor, filters=filters)
if types_mix:  # some activity under these filters
    metric = st.segmented_control(
        tr("overview.metric"), charts.QUARTER_METRICS, default="activities",
        format_func=lambda m: tr(METRIC_KEYS[m]), key="ov_metric") or "activities"
    # Activity counts alone skip the pass over every participation.
    quarters = cached(analytics.quarterly_series, actor=actor, filters=filters,
                      people=metric != "activities")
    names = {code: (i.name_en if lang() == "en" else i.name_lv)
             for code, i in incubator_codes.items()}
    show_chart(charts.quarterly_by_incubator(quarters, metric, names, lang()),
               name=tr("overview.by_quarter", metric=tr(METRIC_KEYS[metric])),
               key="ov_quarters")
    where, mixes = st.columns([3, 2])
    with where:  # where the supported organisations are (other measures: the regions page)
        places = cached(supported_by_municipality, actor=actor, filters=filters)
        show_chart(supported_map(places, lang()), name=tr(
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
st.caption(tr("overview.counted_funder") if actor.role.value == "funder"
           else tr("overview.counted_all"))
