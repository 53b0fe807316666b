"""Charts of the ESF+ participants (pure plotly builders, from tracker.esf's summary).

Each draws the summary's total column: a count as a bar with its number, a hidden one
(`<5`, `x`: the summary is suppressed for funders) as no bar with its marker, so a chart
never shows more than the table it comes from.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from db.models import SENSITIVE_CHARACTERISTICS
from tracker.charts.locale import localise
from tracker.esf.summary import AGES, EDUCATION, EMPLOYMENT, GENDERS, TOTAL, EsfSummary, row_label
from tracker.i18n import t

CHARTS = ("gender", "age", "employment", "education", "sensitive")
_ROWS: dict[str, Sequence[str]] = {"gender": GENDERS, "age": AGES, "employment": EMPLOYMENT,
                                   "education": EDUCATION}


def bar_values(cells: Sequence[int | str]) -> tuple[list[int], list[str]]:
    """Bar lengths and their texts: a count is itself, a hidden one no bar and its marker."""
    return ([cell if isinstance(cell, int) else 0 for cell in cells],
            [str(cell) for cell in cells])


def _hover(cells: Sequence[int | str], lang: str) -> list[str]:
    hidden = t("esf.chart.hidden", lang)
    return [f"{cell} ({hidden})" if isinstance(cell, str) else str(cell) for cell in cells]


def _layout(figure: go.Figure, title_key: str, lang: str, rows: int) -> go.Figure:
    figure.update_traces(cliponaxis=False)  # the numbers beside the longest bar show whole
    figure.update_layout(title=t(title_key, lang), margin={"t": 60, "l": 10, "r": 60},
                         height=max(260, 60 + 38 * rows),
                         xaxis={"title": t("esf.chart.count", lang), "rangemode": "tozero"},
                         yaxis={"autorange": "reversed"}, legend={"orientation": "h",
                                                                  "y": -0.25})
    return localise(figure, lang)


def group_chart(grid: EsfSummary, name: str, lang: str) -> go.Figure:
    """One characteristic's groups (gender, age, employment or education) as bars, in the
    order of the indicators, the "not given" group last."""
    rows = _ROWS[name]
    cells = [grid.value(row, TOTAL) for row in rows]
    lengths, texts = bar_values(cells)
    figure = go.Figure(go.Bar(x=lengths, y=[row_label(row, lang) for row in rows],
                              orientation="h", text=texts, textposition="outside",
                              hovertext=_hover(cells, lang), hoverinfo="text+y"))
    return _layout(figure, f"esf.chart.{name}", lang, len(rows))


def sensitive_chart(grid: EsfSummary, lang: str) -> go.Figure:
    """The six sensitive characteristics: who answered yes, and who refused to answer."""
    names = [row_label(name, lang) for name in SENSITIVE_CHARACTERISTICS]
    figure = go.Figure()
    for suffix, key in (("", "esf.chart.yes"), ("_refused", "esf.chart.refused")):
        cells = [grid.value(f"{name}{suffix}", TOTAL) for name in SENSITIVE_CHARACTERISTICS]
        lengths, texts = bar_values(cells)
        figure.add_bar(name=t(key, lang), x=lengths, y=names, orientation="h", text=texts,
                       textposition="outside", hovertext=_hover(cells, lang),
                       hoverinfo="text+y+name")
    figure.update_layout(barmode="group")
    return _layout(figure, "esf.chart.sensitive", lang, 2 * len(names))


def esf_charts(grid: EsfSummary, lang: str) -> dict[str, go.Figure]:
    """Every chart of the section, by name (CHARTS)."""
    charts = {name: group_chart(grid, name, lang) for name in _ROWS}
    charts["sensitive"] = sensitive_chart(grid, lang)
    return {name: charts[name] for name in CHARTS}
