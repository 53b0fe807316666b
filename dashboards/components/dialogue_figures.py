"""The Civic dialogue page's figures (tracker.analytics.dialogue_stats, drawn by
tracker.charts.dialogue): the outcome funnel per incubator and over time, the share of
opinions that changed something, the institutions most engaged, the documents with most
opinions and the organisations that submitted (funders: their number by region only). No
note and no opinion's summary is in any of them."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboards.components.cache import cached_together
from dashboards.components.downloads import show_chart, show_table
from dashboards.components.filters import filter_bar
from dashboards.components.tables import date_column
from dashboards.components.text import lang, tr
from tracker.analytics import dialogue_stats as stats
from tracker.analytics import scope
from tracker.auth import Actor
from tracker.charts.dialogue import dialogue_charts
from tracker.database import session_scope
from tracker.exports import Cell
from tracker.i18n import format_number
from tracker.services import reference


def percent(share: float | None) -> str:
    return "–" if share is None else f"{format_number(share * 100, lang())} %"


def _incubator_rows(funnel: stats.OutcomeFunnel) -> list[dict[str, Cell]]:
    rows: list[dict[str, Cell]] = []
    for row in [*funnel.incubators, None]:
        outcomes = funnel.total if row is None else row
        name = tr("dialogue_stats.total") if row is None else \
            tr("dialogue_stats.programme") if row.code == stats.PROGRAMME else row.name(lang())
        rows.append({
            tr("dialogue.col.incubator"): name,
            tr("dialogue_stats.col.submitted"): outcomes.submitted,
            tr("dialogue_stats.col.answered"): outcomes.answered,
            tr("dialogue_stats.col.changed"): outcomes.changed,
            tr("dialogue_stats.col.changed_of_answered"): percent(outcomes.changed_of_answered),
            tr("dialogue_stats.col.changed_of_submitted"):
                percent(outcomes.changed_of_submitted)})
    return rows


def _region_names() -> dict[str, str]:
    with session_scope(readonly=True) as session:
        regions = reference.region_names(session)
    return {code: en if lang() == "en" else lv for code, lv, en in regions.values()}


def section(*, actor: Actor) -> None:
    """The results tab: the filter bar (kept in the address), then the figures."""
    bar = filter_bar("dialogue", actor=actor, activity_type=False)
    filters = bar.filters
    calls: dict[str, tuple[Callable[..., object], dict[str, object]]] = {
        "funnel": (stats.outcome_funnel, {"filters": filters}),
        "institutions": (stats.institutions, {"filters": filters, "limit": 10}),
        "documents": (stats.opinions_per_document, {"filters": filters, "limit": 10}),
        "organizations": (stats.submitting_organizations, {"filters": filters, "limit": 50})}
    found = cached_together(calls, actor=actor)
    funnel: stats.OutcomeFunnel = found["funnel"]
    engaged: list[stats.InstitutionRow] = found["institutions"]
    top: list[stats.DocumentOpinions] = found["documents"]
    authors: stats.SubmittingOrganizations = found["organizations"]
    total = funnel.total
    st.subheader(tr("dialogue.figures"))
    columns = st.columns(5)
    columns[0].metric(tr("dialogue.metric.submitted"), total.submitted)
    columns[1].metric(tr("dialogue.metric.answered"), total.answered)
    columns[2].metric(tr("dialogue.metric.changed"), total.changed)
    columns[3].metric(tr("dialogue.metric.changed_share"), percent(total.changed_of_answered),
                      help=tr("dialogue.metric.changed_share_help"))
    columns[4].metric(tr("dialogue.metric.organizations"), authors.total)
    st.caption(tr("dialogue.counted_submitted") if len(scope.counted_statuses(
        actor, filters)) > 1 else tr("dialogue.counted_approved"))
    if not total.submitted:
        st.info(tr("dialogue.no_figures"))
    names = {code: (i.name_en if lang() == "en" else i.name_lv)
             for code, i in bar.incubators.items()}
    charts = dialogue_charts(funnel, engaged, names, lang())
    if "funnel" in charts:
        left, right = st.columns(2)
        with left:
            show_chart(charts["funnel"], name=tr("dialogue_stats.chart.funnel"),
                       key="dialogue_funnel")
        with right:
            show_chart(charts["over_time"], name=tr("dialogue_stats.chart.over_time"),
                       key="dialogue_over_time")
        show_table(tr("dialogue.funnel_table"), _incubator_rows(funnel),
                   key="dialogue_by_incubator", notes=[tr("dialogue_stats.report.changed_note")])
    if "institutions" in charts:
        st.markdown(f"**{tr('dialogue.institutions')}**")
        show_chart(charts["institutions"], name=tr("dialogue.institutions"),
                   key="dialogue_institutions")
        show_table(tr("dialogue.institutions"), [{
            tr("dialogue_stats.col.institution"): r.institution,
            tr("dialogue_stats.col.documents"): r.documents,
            tr("dialogue_stats.col.opinions"): r.opinions,
            tr("dialogue_stats.col.answered"): r.answered,
            tr("dialogue_stats.col.changed"): r.changed,
            tr("dialogue_stats.col.answered_share"): percent(r.answered_share)}
            for r in engaged], key="dialogue_institutions_t")
    if top:
        st.markdown(f"**{tr('dialogue.top_documents')}**")
        show_table(tr("dialogue.top_documents"), [{
            tr("dialogue.col.ref"): d.ref, tr("dialogue.col.title"): d.title,
            tr("dialogue.col.institution"): d.institution,
            tr("dialogue_stats.col.opinions"): d.opinions,
            tr("dialogue.col.organizations"): d.organizations,
            tr("dialogue_stats.col.answered"): d.answered,
            tr("dialogue_stats.col.changed"): d.changed} for d in top],
            key="dialogue_top_documents")
    _organizations(authors)


def _organizations(authors: stats.SubmittingOrganizations) -> None:
    """How many organisations submitted, by region; for staff and managers, which."""
    if not authors.total:
        return
    st.markdown(f"**{tr('dialogue.organizations')}**")
    st.caption(tr("dialogue.organizations_total", count=authors.total))
    regions = _region_names()
    show_table(tr("dialogue.by_region"), [{
        tr("dialogue.col.region"): regions.get(r.region_code) or
        tr("dialogue_stats.unknown_region"),
        tr("dialogue.col.organizations"): r.organizations} for r in authors.by_region],
        key="dialogue_by_region")
    if authors.listed and authors.rows:
        st.dataframe([{
            "name": r.name, "reg_no": r.reg_no, "opinions": r.opinions, "joint": r.joint,
            "last": r.last_submitted_on} for r in authors.rows],
            column_config={"name": tr("dialogue.col.name"),
                           "reg_no": tr("dialogue.col.reg_no"),
                           "opinions": tr("dialogue_stats.col.opinions"),
                           "joint": tr("dialogue.col.joint"),
                           "last": date_column(tr("dialogue.col.last"))},
            hide_index=True, key="dialogue_organizations", placeholder="–")
