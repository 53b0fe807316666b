"""Plotly figures, built by pure functions from service results (no Streamlit in here)."""

from __future__ import annotations

import plotly.graph_objects as go

from tracker.i18n import t
from tracker.services.overview import IncubatorTotals


def incubator_comparison(rows: list[IncubatorTotals], lang: str) -> go.Figure:
    """Grouped bars: activities, organisations supported and attendees per incubator."""
    names = [r.name_en if lang == "en" else r.name_lv for r in rows]
    figure = go.Figure()
    for key, values in (("home.activities", [r.activities for r in rows]),
                        ("home.organizations_supported",
                         [r.organizations_supported for r in rows]),
                        ("home.attendees", [r.attendees for r in rows])):
        figure.add_bar(name=t(key, lang), x=names, y=values)
    figure.update_layout(barmode="group", title=t("statistics.by_incubator", lang),
                         legend={"orientation": "h", "y": -0.2}, margin={"t": 60})
    return figure
