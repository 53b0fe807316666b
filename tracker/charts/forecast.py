"""Charts of the forecast page: running total with projection and band, pace, weekly logging."""

from __future__ import annotations

import datetime as dt
import itertools

import plotly.graph_objects as go

from tracker.analytics.forecast import (
    MONTH_DAYS,
    IndicatorForecast,
    LoggingStatus,
    month_end,
)
from tracker.charts.locale import localise
from tracker.i18n import format_date, t

_LINE = "#1f4e9c"
_BAND = "rgba(31, 78, 156, 0.15)"
_TARGET = "#d62728"


def _name(row: IndicatorForecast, lang: str) -> str:
    return row.name_en if lang == "en" else row.name_lv


def _incubator(row: IndicatorForecast, lang: str) -> str:
    name = row.incubator_name_en if lang == "en" else row.incubator_name_lv
    return name or row.incubator_code or ""


def cumulative_forecast(row: IndicatorForecast, lang: str) -> go.Figure:
    """The running total month by month to as-of, then the projection and its band to the
    programme's end, and the target as a horizontal line."""
    days = [row.start] + [min(month_end(m.month), row.as_of) for m in row.months]
    totals = [0.0, *itertools.accumulate(float(m.value) for m in row.months)]
    figure = go.Figure()
    figure.add_scatter(x=days, y=totals, mode="lines+markers", line={"color": _LINE},
                       name=t("forecast.trace.actual", lang))
    value = float(row.value)
    figure.add_scatter(x=[row.as_of, row.end], y=[value, row.low], mode="lines",
                       line={"width": 0}, showlegend=False, hoverinfo="skip",
                       name=t("forecast.trace.band", lang))
    figure.add_scatter(x=[row.as_of, row.end], y=[value, row.high], mode="lines",
                       line={"width": 0}, fill="tonexty", fillcolor=_BAND,
                       name=t("forecast.trace.band", lang))
    figure.add_scatter(x=[row.as_of, row.end], y=[value, row.projection], mode="lines",
                       line={"dash": "dash", "color": _LINE},
                       name=t("forecast.trace.projection", lang))
    if row.target is not None:
        target = float(row.target)
        figure.add_scatter(x=[row.start, row.end], y=[target, target], mode="lines",
                           line={"dash": "dot", "color": _TARGET},
                           name=t("forecast.trace.target", lang))
    figure.update_layout(
        title=t("forecast.chart.cumulative", lang, indicator=_name(row, lang)),
        yaxis_title=row.unit_en if lang == "en" else row.unit_lv,
        legend={"orientation": "h", "y": -0.2, "traceorder": "normal"}, margin={"t": 60})
    return localise(figure, lang)


def pace_by_incubator(rows: list[IndicatorForecast], lang: str) -> go.Figure:
    """Grouped bars per incubator: pace so far and pace needed, both per month."""
    names = [_incubator(r, lang) for r in rows]
    figure = go.Figure()
    figure.add_bar(name=t("forecast.trace.pace", lang), x=names,
                   y=[r.pace * MONTH_DAYS for r in rows])
    figure.add_bar(name=t("forecast.trace.needed", lang), x=names,
                   y=[None if r.needed_pace is None else r.needed_pace * MONTH_DAYS
                      for r in rows])
    title = t("forecast.chart.pace", lang, indicator=_name(rows[0], lang)) if rows else ""
    unit = (rows[0].unit_en if lang == "en" else rows[0].unit_lv) if rows else ""
    figure.update_layout(barmode="group", title=title,
                         yaxis_title=f"{unit} {t('forecast.axis.per_month', lang)}".strip(),
                         legend={"orientation": "h", "y": -0.2}, margin={"t": 60})
    return localise(figure, lang)


def week_ends(as_of: dt.date, weeks: int) -> list[dt.date]:
    """The last day of each of the last `weeks` weeks up to `as_of`, oldest first."""
    return [as_of - dt.timedelta(days=7 * i) for i in reversed(range(weeks))]


def weekly_logging(rows: list[LoggingStatus], as_of: dt.date, lang: str) -> go.Figure:
    """Grouped bars per week, one trace per incubator: activities dated in that week."""
    weeks = max((len(r.weekly) for r in rows), default=0)
    labels = [format_date(day, lang) for day in week_ends(as_of, weeks)]
    figure = go.Figure()
    for row in rows:
        figure.add_bar(x=labels, y=list(row.weekly),
                       name=row.name_en if lang == "en" else row.name_lv)
    figure.update_layout(barmode="group", title=t("forecast.chart.weekly", lang),
                         xaxis_title=t("forecast.axis.week_to", lang),
                         yaxis_title=t("forecast.axis.activities", lang),
                         legend={"orientation": "h", "y": -0.3}, margin={"t": 60})
    return localise(figure, lang)
