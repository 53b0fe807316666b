"""Charts of the programme overview."""

from __future__ import annotations

import plotly.graph_objects as go

from tracker.analytics import QuarterRow
from tracker.charts.locale import localise
from tracker.i18n import t

QUARTER_METRICS = ("activities", "organizations", "attendees")
_METRIC_KEYS = {"activities": "home.activities", "organizations": "home.organizations_supported",
                "attendees": "home.attendees"}


def quarterly_by_incubator(rows: list[QuarterRow], metric: str, names: dict[str, str],
                           lang: str) -> go.Figure:
    """Stacked bars per quarter, one trace per incubator (`names`: code -> display name)."""
    quarters = sorted({(r.year, r.quarter) for r in rows})
    labels = [f"{y} Q{q}" for y, q in quarters]
    figure = go.Figure()
    for code in sorted({r.incubator_code for r in rows}):
        values = {(r.year, r.quarter): getattr(r, metric) or 0 for r in rows
                  if r.incubator_code == code}
        figure.add_bar(name=names.get(code, code), x=labels,
                       y=[values.get(q, 0) for q in quarters])
    figure.update_layout(barmode="stack", title=t("overview.by_quarter", lang,
                                                  metric=t(_METRIC_KEYS[metric], lang)),
                         legend={"orientation": "h", "y": -0.2}, margin={"t": 60})
    return localise(figure, lang)


def mix(counts: dict[str, int], labels: dict[str, str], title_key: str,
        lang: str) -> go.Figure:
    """Horizontal bars of counts per category, largest on top."""
    items = sorted(counts.items(), key=lambda kv: kv[1])
    figure = go.Figure(go.Bar(x=[v for _, v in items], y=[labels.get(k, k) for k, _ in items],
                              orientation="h"))
    figure.update_layout(title=t(title_key, lang), margin={"t": 60, "l": 10})
    return localise(figure, lang)
