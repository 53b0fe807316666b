"""Forecast to the programme's end and early warnings, as of a date kept in the URL."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from dashboards.components.auth import require
from dashboards.components.cache import cached
from dashboards.components.downloads import show_chart, show_table
from dashboards.components.filters import filter_bar
from dashboards.components.tables import date_column
from dashboards.components.text import fmt_date, lang, plain, tr
from tracker.analytics import counted_note_key
from tracker.analytics import forecast as fc
from tracker.auth import Area
from tracker.charts.forecast import cumulative_forecast, pace_by_incubator, weekly_logging
from tracker.exports import Cell

STATUS_COLOURS = {fc.ForecastStatus.REACHED: "green", fc.ForecastStatus.ON_TRACK: "blue",
                  fc.ForecastStatus.AT_RISK: "orange", fc.ForecastStatus.OFF_TRACK: "red",
                  fc.ForecastStatus.NO_TARGET: "gray"}

actor = require(Area.FORECAST)
st.title(tr("nav.forecast"))
bar = filter_bar("fc", actor=actor, period=False, as_of=True,
                 as_of_help=tr("forecast.as_of_help"))
end = bar.end
as_of = bar.as_of or bar.end
# The forecast is about running totals from the programme's start: no date range.
filters = replace(bar.filters, date_from=None, date_to=None)
rows = cached(fc.indicator_forecasts, actor=actor, filters=filters, as_of=as_of)
by_incubator = cached(fc.incubator_forecasts, actor=actor, filters=filters, as_of=as_of)


def _status(status: fc.ForecastStatus) -> str:
    return tr(f"forecast.status.{status.value}")


def _status_column() -> Any:
    """Coloured status pills (a one-value list column: the label is the value)."""
    return st.column_config.MultiselectColumn(
        tr("forecast.col.status"), options=[_status(s) for s in fc.ForecastStatus],
        color=[STATUS_COLOURS[s] for s in fc.ForecastStatus], disabled=True)


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _record(row: fc.IndicatorForecast, with_incubator: bool) -> dict[str, Cell]:
    record: dict[str, Cell] = {}
    if with_incubator:
        record[tr("forecast.col.incubator")] = (row.incubator_name_en if lang() == "en"
                                                else row.incubator_name_lv)
    record |= {
        tr("forecast.col.indicator"): row.name_en if lang() == "en" else row.name_lv,
        tr("forecast.col.status"): _status(row.status),
        tr("forecast.col.value"): _number(float(row.value)),
        tr("forecast.col.target"): None if row.target is None else _number(float(row.target)),
        tr("forecast.col.pace"): _number(row.pace_per_month),
        tr("forecast.col.needed"): _number(row.needed_per_month),
        tr("forecast.col.projection"): _number(row.projection),
        tr("forecast.col.low"): _number(row.low),
        tr("forecast.col.high"): _number(row.high),
    }
    return record


st.subheader(tr("forecast.programme", end=fmt_date(end)))
if rows:
    st.caption(tr("forecast.programme_caption", start=fmt_date(rows[0].start),
                  days=rows[0].remaining_days))
if filters.region_code and not filters.incubator_id:
    st.info(tr("forecast.region_targets"))
flagged = [r for r in rows if r.flagged]
if flagged:
    st.markdown(f"**{tr('forecast.flagged')}**")
    for row in flagged:
        st.markdown(f":{STATUS_COLOURS[row.status]}-badge[{_status(row.status)}] "
                    f"{plain(row.name_en if lang() == 'en' else row.name_lv)}")
elif any(r.target is not None for r in rows):
    st.success(tr("forecast.all_fine"))
show_table(tr("forecast.programme", end=fmt_date(end)), [_record(r, False) for r in rows],
           key="fc_programme", column_config={tr("forecast.col.status"): _status_column()})
st.caption(tr("forecast.rule"))
for row in rows:  # how an indicator is counted, where its name alone could mislead
    if row.help_key:
        st.caption(f"{plain(row.name_en if lang() == 'en' else row.name_lv)}: "
                   f"{row.help_text(lang())}")

if rows:
    codes = [r.code for r in rows]
    names = {r.code: (r.name_en if lang() == "en" else r.name_lv) for r in rows}
    default = next((r.code for r in rows if r.flagged),
                   next((r.code for r in rows if r.target is not None), codes[0]))
    picked = st.selectbox(tr("forecast.pick"), codes, index=codes.index(default),
                          format_func=lambda c: names[c], key="fc_indicator") or default
    row = next(r for r in rows if r.code == picked)
    show_chart(cumulative_forecast(row, lang()),
               name=tr("forecast.chart.cumulative", indicator=names[picked]),
               key="fc_cumulative")
    per_incubator = [r for r in by_incubator if r.code == picked]
    if per_incubator:
        show_chart(pace_by_incubator(per_incubator, lang()),
                   name=tr("forecast.chart.pace", indicator=names[picked]), key="fc_pace")

st.subheader(tr("forecast.incubators"))
st.caption(tr("forecast.incubators_caption"))
if by_incubator:
    show_table(tr("forecast.incubators"), [_record(r, True) for r in by_incubator],
               key="fc_incubators",
               column_config={tr("forecast.col.status"): _status_column()})

st.subheader(tr("forecast.warnings"))
left, right, _ = st.columns([1, 1, 2])
inactive_days = int(left.number_input(tr("forecast.inactive_days"), min_value=7,
                                      max_value=365, value=fc.INACTIVE_DAYS, step=7,
                                      key="fc_inactive_days"))
stopped_days = int(right.number_input(tr("forecast.stopped_days"), min_value=1,
                                      max_value=180, value=fc.STOPPED_DAYS, step=1,
                                      key="fc_stopped_days"))
logging = cached(fc.logging_status, actor=actor, filters=filters, as_of=as_of,
                 days=stopped_days)
inactive = cached(fc.inactive_organizations, actor=actor, filters=filters, as_of=as_of,
                  days=inactive_days)
latest = max((r.last_activity for r in logging if r.last_activity), default=None)
if latest is None:
    st.info(tr("forecast.no_data"))
elif (as_of - latest).days > stopped_days:
    st.warning(tr("forecast.data_end", date=fmt_date(latest)))

st.markdown(f"**{tr('forecast.inactive.title', days=inactive_days)}**")
st.caption(tr("forecast.inactive.caption", days=inactive_days))
if inactive:
    st.caption(tr("forecast.inactive.count", count=len(inactive)))
    show_table(tr("forecast.inactive.title", days=inactive_days), [{
        tr("forecast.col.organization"): r.organization_name,
        tr("forecast.col.cohort"): r.cohort_name,
        tr("forecast.col.incubator"): r.incubator_name_en if lang() == "en"
        else r.incubator_name_lv,
        tr("forecast.col.in_cohort_since"): r.in_cohort_since,
        tr("forecast.col.last_activity"): fmt_date(r.last_activity) or tr("forecast.never"),
        tr("forecast.col.days_since"): r.days_since,
    } for r in inactive], key="fc_inactive",
        column_config={tr("forecast.col.in_cohort_since"):
                       date_column(tr("forecast.col.in_cohort_since"))})
else:
    st.success(tr("forecast.inactive.none"))

st.markdown(f"**{tr('forecast.logging.title')}**")
st.caption(tr("forecast.logging.caption", days=stopped_days))
if logging:
    stopped = [r.name_en if lang() == "en" else r.name_lv for r in logging if r.stopped]
    if stopped:
        st.error(tr("forecast.logging.stopped_count", names=plain(", ".join(stopped))))
    weekly_heading = tr("forecast.col.weekly", weeks=fc.WEEKS_SHOWN)
    state = tr("forecast.col.logging")
    show_table(tr("forecast.logging.title"), [{
        tr("forecast.col.incubator"): r.name_en if lang() == "en" else r.name_lv,
        state: tr("forecast.logging.stopped" if r.stopped else "forecast.logging.active"),
        tr("forecast.col.last_activity"): fmt_date(r.last_activity) or tr("forecast.never"),
        tr("forecast.col.days_since"): r.days_since,
        tr("forecast.col.last_entered"): r.last_entered,
        weekly_heading: " · ".join(str(n) for n in r.weekly),
        tr("forecast.col.weekly_average"): round(r.weekly_average, 1),
    } for r in logging], key="fc_logging", column_config={
        state: st.column_config.MultiselectColumn(
            state, options=[tr("forecast.logging.stopped"), tr("forecast.logging.active")],
            color=["red", "green"], disabled=True),
        tr("forecast.col.last_entered"): date_column(tr("forecast.col.last_entered"))})
    show_chart(weekly_logging(logging, as_of, lang()), name=tr("forecast.chart.weekly"),
               key="fc_weekly")
else:
    st.info(tr("forecast.logging.none"))
st.caption(tr(counted_note_key(actor, filters)))
