"""Charts of the civic dialogue (pure plotly builders, from tracker.analytics.dialogue_stats):
the outcome funnel per incubator, the outcomes by quarter, the institutions most engaged."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from db.enums import OpinionOutcome
from tracker.analytics.dialogue_stats import (
    PROGRAMME,
    IncubatorOutcomes,
    InstitutionRow,
    OutcomeFunnel,
)
from tracker.charts.locale import localise
from tracker.i18n import label, t

STAGES = ("submitted", "answered", "changed")
# Stacked from the bottom: what changed something first, what is still open last.
OUTCOME_ORDER = (OpinionOutcome.TAKEN_INTO_ACCOUNT, OpinionOutcome.PARTLY_TAKEN_INTO_ACCOUNT,
                 OpinionOutcome.NOT_TAKEN_INTO_ACCOUNT, OpinionOutcome.NO_ANSWER,
                 OpinionOutcome.PENDING)
OUTCOME_COLOURS = {
    OpinionOutcome.TAKEN_INTO_ACCOUNT: "#2e7d32",
    OpinionOutcome.PARTLY_TAKEN_INTO_ACCOUNT: "#8bc34a",
    OpinionOutcome.NOT_TAKEN_INTO_ACCOUNT: "#d62728",
    OpinionOutcome.NO_ANSWER: "#7f7f7f",
    OpinionOutcome.PENDING: "#c7c7c7",
}
_OPINIONS = "#1f4e9c"
_DOCUMENTS = "#6fa8d6"
_LEGEND_BELOW = {"orientation": "h", "y": -0.2}


def _wrap(text: str, width: int = 32) -> str:
    return "<br>".join(textwrap.wrap(text, width)) or text


def incubator_name(row: IncubatorOutcomes, names: Mapping[str, str], lang: str) -> str:
    """The incubator's display name (`names`: code -> name), or "Programme" for the
    programme's own opinions."""
    if row.code == PROGRAMME:
        return t("dialogue_stats.programme", lang)
    return names.get(row.code, row.code)


def quarter_label(year: int, quarter: int) -> str:
    return f"{year} Q{quarter}"


def outcome_funnel(funnel: OutcomeFunnel, names: Mapping[str, str], lang: str) -> go.Figure:
    """Submitted → answered → taken into account (fully or partly), one stacked band per
    incubator that submitted any."""
    stages = [t(f"dialogue_stats.stage.{s}", lang) for s in STAGES]
    figure = go.Figure()
    for row in funnel.incubators:
        if row.submitted:
            figure.add_trace(go.Funnel(
                name=incubator_name(row, names, lang), y=stages,
                x=[getattr(row, stage) for stage in STAGES], textinfo="value+percent initial"))
    figure.update_layout(title=t("dialogue_stats.chart.funnel", lang), legend=_LEGEND_BELOW,
                         margin={"t": 60})
    return localise(figure, lang)


def outcomes_by_quarter(funnel: OutcomeFunnel, lang: str) -> go.Figure:
    """Opinions per quarter submitted, stacked by outcome."""
    quarters = [quarter_label(q.year, q.quarter) for q in funnel.quarters]
    figure = go.Figure()
    for outcome in OUTCOME_ORDER:
        figure.add_bar(name=label(outcome, lang), x=quarters,
                       y=[q.of(outcome) for q in funnel.quarters],
                       marker={"color": OUTCOME_COLOURS[outcome]})
    figure.update_layout(barmode="stack", title=t("dialogue_stats.chart.over_time", lang),
                         legend=_LEGEND_BELOW, margin={"t": 60},
                         xaxis={"type": "category"},
                         yaxis={"title": t("dialogue_stats.chart.count", lang)})
    return localise(figure, lang)


def institutions(rows: Sequence[InstitutionRow], lang: str) -> go.Figure:
    """Opinions submitted and documents monitored per institution, the most engaged on top."""
    shown = list(reversed(rows))  # plotly draws the first category at the bottom
    names = [_wrap(r.institution) for r in shown]
    figure = go.Figure()
    for key, values, colour in (
            ("dialogue_stats.chart.opinions", [r.opinions for r in shown], _OPINIONS),
            ("dialogue_stats.chart.documents", [r.documents for r in shown], _DOCUMENTS)):
        figure.add_bar(name=t(key, lang), x=values, y=names, orientation="h", text=values,
                       textposition="outside", marker={"color": colour}, cliponaxis=False)
    figure.update_layout(barmode="group", title=t("dialogue_stats.chart.institutions", lang),
                         legend=_LEGEND_BELOW, margin={"t": 60, "l": 10, "r": 40},
                         height=max(320, 120 + 50 * len(rows)),
                         xaxis={"title": t("dialogue_stats.chart.count", lang),
                                "rangemode": "tozero"})
    return localise(figure, lang)


def dialogue_charts(funnel: OutcomeFunnel, rows: Sequence[InstitutionRow],
                    names: Mapping[str, str], lang: str) -> dict[str, go.Figure]:
    """The charts worth drawing: none without opinions; institutions only when there are."""
    charts: dict[str, go.Figure] = {}
    if funnel.total.submitted:
        charts["funnel"] = outcome_funnel(funnel, names, lang)
        charts["over_time"] = outcomes_by_quarter(funnel, lang)
    if rows:
        charts["institutions"] = institutions(rows, lang)
    return charts
