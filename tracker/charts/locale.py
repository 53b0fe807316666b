"""Every chart in the page's language: month names on date axes, decimal and thousands marks.

Plotly names months and separates numbers the English way unless its locale files are
loaded in the browser, and they are not there offline. So the ticks of a date axis are
written here (month names by Babel), the hover shows the date as the pages write it, and
the layout's `separators` give Latvian numbers a decimal comma and a space between
thousands. Every builder in tracker/charts returns its figure through `localise`.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import plotly.graph_objects as go
from babel.dates import format_date as babel_date

from tracker.i18n import format_date, normalise_language

# Plotly's `separators`: the decimal mark, then the thousands mark.
SEPARATORS = {"lv": ", ", "en": ".,"}
_BABEL_LOCALE = {"lv": "lv_LV", "en": "en_GB"}
MAX_TICKS = 8


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_ticks(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of months from `first`'s month on, at most MAX_TICKS of them, evenly
    spaced; the last tick is not after `last` unless the range holds no month start."""
    start = _month_start(first) if first.day == 1 else _add_months(first, 1)
    if start > last:
        return [_month_start(first)]
    months = (last.year - start.year) * 12 + last.month - start.month + 1
    step = max(1, math.ceil(months / MAX_TICKS))
    return [_add_months(start, i) for i in range(0, months, step)]


def month_label(day: dt.date, lang: str) -> str:
    """e.g. "febr. 2025" in Latvian, "Feb 2025" in English."""
    return str(babel_date(day, "LLL yyyy", locale=_BABEL_LOCALE[normalise_language(lang)]))


def _axis_key(trace: Any) -> str:
    """The layout key of the trace's x axis: "xaxis", "xaxis2", ..."""
    anchor = getattr(trace, "xaxis", None) or "x"
    return "xaxis" + anchor[1:]


def _date_axes(figure: go.Figure, lang: str) -> dict[str, list[dt.date]]:
    """The x axes that show dates, with their days; those traces' hover gets the dates as
    the pages write them."""
    axes: dict[str, list[dt.date]] = {}
    for trace in figure.data:
        days = [d for d in (_day(x) for x in (getattr(trace, "x", None) or ())) if d]
        if days:
            axes.setdefault(_axis_key(trace), []).extend(days)
            trace.update(customdata=[format_date(_day(x), lang) for x in trace.x],
                         hovertemplate=_hover(trace))
    return axes


def _hover(trace: Any) -> str:
    """The trace's hover with the date as the pages write it."""
    if trace.hovertemplate:
        return str(trace.hovertemplate).replace("%{x}", "%{customdata}")
    text = "<br>%{text}" if getattr(trace, "text", None) is not None else ""
    return "%{customdata}: %{y}" + text + "<extra>%{fullData.name}</extra>"


def localise(figure: go.Figure, lang: str) -> go.Figure:
    """The figure with numbers and dates in `lang` (see the module's docstring)."""
    language = normalise_language(lang)
    figure.update_layout(separators=SEPARATORS[language])
    for key, days in _date_axes(figure, language).items():
        axis = figure.layout[key]
        first, last = min(days), max(days)
        if axis.range:  # a builder's own range (room for labels) bounds the ticks too
            first, last = (_day(axis.range[0]) or first), (_day(axis.range[1]) or last)
        ticks = month_ticks(first, last)
        figure.update_layout({key: {"tickmode": "array", "tickvals": ticks,
                                    "ticktext": [month_label(d, language) for d in ticks]}})
    return figure
