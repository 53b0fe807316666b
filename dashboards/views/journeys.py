"""Capacity journeys: intake to graduation across the programme, and one organisation's path."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import streamlit as st

from dashboards.components.auth import require
from dashboards.components.cache import cached
from dashboards.components.downloads import show_chart, show_table
from dashboards.components.filters import filter_bar, write_url
from dashboards.components.tables import date_column
from dashboards.components.text import enum_label, lang, tr
from tracker.analytics import counted_note_key
from tracker.analytics import journeys as analytics
from tracker.auth import Area
from tracker.charts import journeys as charts
from tracker.enums import CapacityArea
from tracker.i18n import format_number

actor = require(Area.JOURNEYS)
st.title(tr("nav.journeys"))
bar = filter_bar("jr", actor=actor, activity_type=False,
                 period_help=tr("journeys.period_help"))
filters = bar.filters
names = {code: (i.name_en if lang() == "en" else i.name_lv)
         for code, i in bar.incubators.items()}


def _num(value: Decimal | float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _points(value: Decimal) -> str:
    text = format_number(float(value), lang(), 2)
    return f"+{text}" if value > 0 else text


NUMBER = st.column_config.NumberColumn(format="%.2f")

# --- across the programme ---------------------------------------------------------------------
st.header(tr("journeys.programme"))
st.subheader(tr("journeys.change_title"))
distribution = cached(analytics.index_change_distribution, actor=actor, filters=filters)
if distribution.rows:
    group = st.segmented_control(
        tr("journeys.group_by"), charts.GROUPS, default="cohort", key="jr_group",
        format_func=lambda g: tr(f"journeys.{'by_cohort' if g == 'cohort' else 'by_incubator'}"))
    group = group or "cohort"
    show_chart(charts.change_distribution(distribution.rows, group, names, lang()),
               name=tr("journeys.change_title"), key="jr_change")
    summaries = [*(distribution.by_cohort if group == "cohort" else distribution.by_incubator),
                 *([distribution.overall] if distribution.overall else [])]

    def _group_name(s: analytics.ChangeSummary) -> str:
        if s.incubator_code is None:
            return tr("journeys.all_incubators")
        name = names.get(s.incubator_code, s.incubator_code)
        return f"{name} · {s.cohort_name}" if s.cohort_name else name

    show_table(tr("journeys.change_summary"), [
        {tr("journeys.col.group"): _group_name(s), tr("journeys.col.n"): s.n,
         tr("journeys.col.median"): _num(s.median), tr("journeys.col.mean"): _num(s.mean),
         tr("journeys.col.min"): _num(s.minimum), tr("journeys.col.max"): _num(s.maximum)}
        for s in summaries], key="jr_change_summary",
        column_config={tr(f"journeys.col.{c}"): NUMBER for c in ("median", "mean", "min",
                                                                  "max")})
    with st.expander(tr("journeys.change_rows")):
        show_table(tr("journeys.change_rows"), [
            {tr("journeys.col.organization"): r.organization_name,
             tr("journeys.col.incubator"): names.get(r.incubator_code, r.incubator_code),
             tr("journeys.col.cohort"): r.cohort_name,
             tr("journeys.col.intake_on"): r.intake_on,
             tr("journeys.col.intake_index"): _num(r.intake_index),
             tr("journeys.col.graduation_on"): r.graduation_on,
             tr("journeys.col.graduation_index"): _num(r.graduation_index),
             tr("journeys.col.change"): _num(r.change)} for r in distribution.rows],
            key="jr_change_rows", column_config={
                tr("journeys.col.intake_on"): date_column(tr("journeys.col.intake_on")),
                tr("journeys.col.graduation_on"): date_column(tr("journeys.col.graduation_on")),
                **{tr(f"journeys.col.{c}"): NUMBER for c in ("intake_index", "graduation_index",
                                                             "change")}})
    st.caption(tr("journeys.change_note"))
else:
    st.info(tr("journeys.no_change"))

st.subheader(tr("journeys.funnel_title"))
funnel = cached(analytics.cohort_funnel, actor=actor, filters=filters)
if funnel.total.applied:
    show_chart(charts.cohort_funnel(funnel, names, lang()), name=tr("journeys.funnel_title"),
               key="jr_funnel")
    show_table(tr("journeys.funnel_table"), [
        {tr("journeys.col.incubator"): names.get(r.incubator_code or "", r.incubator_code)
         if r.cohort_id is not None else tr("journeys.total"),
         tr("journeys.col.cohort"): r.cohort_name, tr("journeys.col.start"): r.start_date,
         tr("journeys.stage.applied"): r.applied, tr("journeys.stage.admitted"): r.admitted,
         tr("journeys.stage.graduated"): r.graduated,
         tr("journeys.col.rejected"): r.rejected, tr("journeys.col.withdrawn"): r.withdrawn}
        for r in (*funnel.rows, funnel.total)], key="jr_funnel_table",
        column_config={tr("journeys.col.start"): date_column(tr("journeys.col.start"))})
    st.caption(tr("journeys.funnel_note"))
else:
    st.info(tr("journeys.no_funnel"))

st.subheader(tr("journeys.support_title"))
support = cached(analytics.support_vs_gain, actor=actor, filters=filters)
if support.points:
    show_chart(charts.support_vs_gain(support, names, lang()), name=tr("journeys.support_title"),
               key="jr_support")
    if support.trend is not None and support.correlation is not None:
        st.caption(tr("journeys.trend_line", slope=_points(Decimal(str(support.trend.slope * 10))
                                                           .quantize(Decimal("0.01"))),
                      r=format_number(support.correlation, lang(), 2), n=len(support.points)))
    else:
        st.caption(tr("journeys.no_trend"))
    show_chart(charts.area_correlation(support, lang()), name=tr("journeys.area_title"),
               key="jr_areas")
    show_table(tr("journeys.area_table"), [
        {tr("journeys.col.area"): enum_label(a.area), tr("journeys.col.n"): a.organizations,
         tr("journeys.col.hours"): _num(a.hours), tr("journeys.col.mean_gain"): _num(a.mean_gain),
         tr("journeys.col.correlation"): _num(a.correlation)} for a in support.areas],
        key="jr_area_table", column_config={tr(f"journeys.col.{c}"): NUMBER for c in (
            "hours", "mean_gain", "correlation")})
    with st.expander(tr("journeys.support_rows")):
        show_table(tr("journeys.support_rows"), [
            {tr("journeys.col.organization"): p.name,
             tr("journeys.col.incubator"): names.get(p.incubator_code or "", p.incubator_code),
             tr("journeys.col.intake_on"): p.intake_on,
             tr("journeys.col.latest_on"): p.latest_on,
             tr("journeys.col.latest_kind"): enum_label(p.latest_kind),
             tr("journeys.col.intake_index"): _num(p.intake_index),
             tr("journeys.col.latest_index"): _num(p.latest_index),
             tr("journeys.col.gain"): _num(p.gain), tr("journeys.col.hours"): _num(p.hours),
             **{f"{tr('journeys.col.hours')}: {enum_label(a)}": _num(p.hours_by_area.get(a, 0))
                for a in CapacityArea}} for p in support.points],
            key="jr_support_rows", column_config={
                tr("journeys.col.intake_on"): date_column(tr("journeys.col.intake_on")),
                tr("journeys.col.latest_on"): date_column(tr("journeys.col.latest_on"))})
    st.caption(tr("journeys.support_note"))
else:
    st.info(tr("journeys.no_support"))
st.caption(tr(counted_note_key(actor, filters)))

# --- one organisation (kept in the URL as `org`) ----------------------------------------------
st.header(tr("journeys.organization_section"))
# Only the organisations the region and incubator filters leave in.
organizations = cached(analytics.journey_organizations, actor=actor, filters=filters)
scoped = bool(filters.region_code or filters.incubator_id)
wanted_org = st.query_params.get("org", "")
current = int(wanted_org) if wanted_org.isdigit() else None
if current is not None and current not in organizations:
    if scoped and current in cached(analytics.journey_organizations, actor=actor):
        st.info(tr("journeys.outside_filters"))
    else:
        st.warning(tr("journeys.bad_link"))
    current = None
elif wanted_org and current is None:
    st.warning(tr("journeys.bad_link"))
# The URL decides when it changed from outside (a link, a reload); the picker otherwise.
if "jr_org" not in st.session_state or st.session_state.get("jr_url_org") != current:
    st.session_state["jr_url_org"] = st.session_state["jr_org"] = current
org_id: int | None = None
if organizations:
    org_id = st.selectbox(tr("journeys.organization"), list(organizations),
                          format_func=organizations.__getitem__,
                          placeholder=tr("journeys.choose_organization"), key="jr_org")
    if org_id != current:
        st.session_state["jr_url_org"] = org_id
        write_url({"org": None if org_id is None else str(org_id)})
    if org_id is None:
        st.info(tr("journeys.pick_first"))
else:
    st.info(tr("journeys.no_organizations_filtered" if scoped else "journeys.no_organizations"))

if org_id is not None:
    radar = cached(analytics.organization_radar, actor=actor, organization_id=org_id)
    history = cached(analytics.index_history, actor=actor, organization_id=org_id)
    if radar.intake is not None and radar.latest is not None and radar.change is not None:
        st.caption(tr("journeys.change_since", intake=format_number(
            float(radar.intake.capacity_index), lang(), 2), latest=format_number(
            float(radar.latest.capacity_index), lang(), 2), change=_points(radar.change)))
    elif radar.intake is not None:
        st.caption(tr("journeys.only_one"))
    show_chart(charts.capacity_radar(radar, lang()), name=tr("journeys.radar_title"),
               key="jr_radar")
    snapshots = [s for s in (radar.intake, radar.latest) if s is not None]
    scores: list[dict[str, Any]] = [
        {tr("journeys.col.area"): enum_label(a),
         **{charts.snapshot_name(s, lang()): s.scores.get(a) for s in snapshots}}
        for a in CapacityArea]
    show_table(tr("journeys.scores_table"), scores, key="jr_scores")
    show_chart(charts.index_over_time(history, lang()), name=tr("journeys.history_title"),
               key="jr_history")
    show_table(tr("journeys.history_table"), [
        {tr("journeys.col.date"): p.assessed_on, tr("journeys.col.kind"): enum_label(p.kind),
         tr("journeys.col.index"): _num(p.capacity_index)} for p in history],
        key="jr_history_table",
        column_config={tr("journeys.col.date"): date_column(tr("journeys.col.date")),
                       tr("journeys.col.index"): NUMBER})
