"""Charts of the capacity journeys page: radar, index line, change spread, funnel, support."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Sequence

import plotly.graph_objects as go

from tracker.analytics.journeys import (
    AssessmentSnapshot,
    CohortFunnel,
    IndexChange,
    IndexPoint,
    OrganizationRadar,
    SupportVsGain,
)
from tracker.charts.locale import localise
from tracker.enums import CapacityArea
from tracker.i18n import format_date, format_number, label, t

GROUPS = ("cohort", "incubator")
STAGES = ("applied", "admitted", "graduated")
_LEGEND_BELOW = {"orientation": "h", "y": -0.2}


def snapshot_name(snapshot: AssessmentSnapshot, lang: str) -> str:
    """E.g. 'Sākuma novērtējums, 05.02.2025'."""
    text = t("journeys.assessment_of", lang, kind=label(snapshot.kind, lang),
             date=format_date(snapshot.assessed_on, lang))
    return text[:1].upper() + text[1:]


def capacity_radar(radar: OrganizationRadar, lang: str) -> go.Figure:
    """Scores 1–4 of the seven areas: the intake (or first) assessment and the latest one."""
    areas = list(CapacityArea)
    theta = [_wrap(label(a, lang)) for a in areas]
    figure = go.Figure()
    for snapshot in (radar.intake, radar.latest):
        if snapshot is None:
            continue
        r = [snapshot.scores.get(a) for a in areas]
        figure.add_trace(go.Scatterpolar(r=[*r, r[0]], theta=[*theta, theta[0]], fill="toself",
                                         name=snapshot_name(snapshot, lang), opacity=0.6))
    figure.update_layout(
        title=t("journeys.radar_title", lang), legend=_LEGEND_BELOW, margin={"t": 80},
        # the score ticks run between the first two areas, clear of their labels
        polar={"radialaxis": {"range": [0, 4], "tickvals": [1, 2, 3, 4],
                              "angle": 90 - 180 / len(areas), "tickangle": 90 - 180 / len(areas)},
               "angularaxis": {"rotation": 90, "direction": "clockwise"}})
    return localise(figure, lang)


def index_over_time(points: Sequence[IndexPoint], lang: str) -> go.Figure:
    """The capacity index at each assessment, oldest first."""
    figure = go.Figure(go.Scatter(
        x=[p.assessed_on for p in points], y=[float(p.capacity_index) for p in points],
        mode="lines+markers+text", text=[label(p.kind, lang) for p in points],
        textposition="top center", name=t("journeys.index_axis", lang)))
    xaxis: dict[str, object] = {}
    if points:  # room for the first and last labels
        days = [p.assessed_on for p in points]
        xaxis["range"] = [min(days) - dt.timedelta(days=30), max(days) + dt.timedelta(days=30)]
    figure.update_layout(title=t("journeys.history_title", lang), margin={"t": 60},
                         xaxis=xaxis,
                         yaxis={"title": t("journeys.index_axis", lang), "range": [20, 105]})
    return localise(figure, lang)


def _wrap(text: str, width: int = 20) -> str:
    """Long axis labels over several lines."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def group_label(row: IndexChange, group: str, incubator_names: dict[str, str]) -> str:
    """The incubator's name, and for a cycle its name under it."""
    name = _wrap(incubator_names.get(row.incubator_code, row.incubator_code))
    return f"{name}<br><b>{_wrap(row.cohort_name)}</b>" if group == "cohort" else name


def change_distribution(rows: Sequence[IndexChange], group: str,
                        incubator_names: dict[str, str], lang: str) -> go.Figure:
    """A box with every organisation's point, one per cycle or incubator (`group`)."""
    groups: dict[str, list[IndexChange]] = {}
    for row in rows:
        groups.setdefault(group_label(row, group, incubator_names), []).append(row)
    figure = go.Figure()
    for name, members in groups.items():
        figure.add_trace(go.Box(
            y=[float(m.change) for m in members], name=name, text=[m.organization_name
                                                                  for m in members],
            boxpoints="all", jitter=0.4, pointpos=0, boxmean=True,
            hovertemplate="%{text}: %{y}<extra></extra>"))
    figure.update_layout(title=t("journeys.change_title", lang), showlegend=False,
                         margin={"t": 60}, xaxis={"tickangle": 0},
                         yaxis={"title": t("journeys.change_axis", lang), "zeroline": True})
    return localise(figure, lang)


def cohort_funnel(funnel: CohortFunnel, incubator_names: dict[str, str],
                  lang: str) -> go.Figure:
    """Applied → admitted → graduated, one stacked band per incubator."""
    stages = [t(f"journeys.stage.{s}", lang) for s in STAGES]
    by_incubator: dict[str, list[int]] = {}
    for row in funnel.rows:
        counts = by_incubator.setdefault(row.incubator_code or "", [0, 0, 0])
        for i, stage in enumerate(STAGES):
            counts[i] += getattr(row, stage)
    figure = go.Figure()
    for code, counts in by_incubator.items():
        figure.add_trace(go.Funnel(name=incubator_names.get(code, code), y=stages, x=counts,
                                   textinfo="value+percent initial"))
    figure.update_layout(title=t("journeys.funnel_title", lang), legend=_LEGEND_BELOW,
                         margin={"t": 60})
    return localise(figure, lang)


def support_vs_gain(result: SupportVsGain, incubator_names: dict[str, str],
                    lang: str) -> go.Figure:
    """Hours of support against index gain, a colour per incubator, and the trend line."""
    figure = go.Figure()
    codes: dict[str, None] = dict.fromkeys(p.incubator_code or "" for p in result.points)
    for code in sorted(codes):
        points = [p for p in result.points if (p.incubator_code or "") == code]
        figure.add_trace(go.Scatter(
            x=[float(p.hours) for p in points], y=[float(p.gain) for p in points],
            mode="markers", name=incubator_names.get(code, code) or t("journeys.organizations",
                                                                      lang),
            text=[p.name for p in points], hovertemplate="%{text}: %{x} h, %{y}<extra></extra>"))
    if result.trend is not None and result.points:
        xs = [float(p.hours) for p in result.points]
        low, high = min(xs), max(xs)
        figure.add_trace(go.Scatter(
            x=[low, high], y=[result.trend.intercept + result.trend.slope * x
                              for x in (low, high)],
            mode="lines", name=t("journeys.trend", lang), line={"dash": "dash"}))
    figure.update_layout(title=t("journeys.support_title", lang), legend=_LEGEND_BELOW,
                         margin={"t": 60}, xaxis={"title": t("journeys.hours_axis", lang)},
                         yaxis={"title": t("journeys.gain_axis", lang)})
    return localise(figure, lang)


def area_correlation(result: SupportVsGain, lang: str) -> go.Figure:
    """Per capacity area: Pearson's r of the hours in the area and the gain of its score."""
    areas = result.areas
    figure = go.Figure(go.Bar(
        x=[_wrap(label(a.area, lang)) for a in areas], y=[a.correlation for a in areas],
        text=[t("journeys.not_defined", lang) if a.correlation is None
              else format_number(a.correlation, lang, 2) for a in areas],
        textposition="outside", customdata=[a.organizations for a in areas],
        hovertemplate="%{x}: r = %{text} (n = %{customdata})<extra></extra>"))
    figure.update_layout(title=t("journeys.area_title", lang), margin={"t": 60},
                         xaxis={"tickangle": 0},
                         yaxis={"title": t("journeys.correlation_axis", lang),
                                "range": [-1.1, 1.1], "zeroline": True})
    return localise(figure, lang)
