"""Reports and exports: the funder report for a period and region, and every data table as
CSV and Excel. Totals only: no contact person, e-mail or phone is in any of them.

The ESF+ participants section: the participants' characteristics as charts, the
completeness of their data per incubator, the ESF+ indicators, and (managers and
administrators only) the participants' report with names, made and audited when the button is
pressed. Funders see the indicators with small numbers hidden, and nothing else of people.

Filters live in the URL, as on the overview; funders count approved activities only.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboards.components.auth import require
from dashboards.components.cache import cached, cached_together
from dashboards.components.downloads import show_chart, show_table, table_buttons
from dashboards.components.filters import filter_bar
from dashboards.components.text import lang, tr
from tracker import esf, exports, reports
from tracker.analytics import Filters, counted_note_key
from tracker.auth import Actor, Area
from tracker.charts.dialogue import dialogue_charts
from tracker.charts.esf import esf_charts
from tracker.database import session_scope
from tracker.errors import TrackerError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_STATE = "rp_report"


def participants_file(actor: Actor, filters: Filters, language: str, fmt: str
                      ) -> Callable[[], bytes]:
    """A download button's data: the participants' report made (and its export audited) on
    the click, in a unit of work of its own."""
    def content() -> bytes:
        with session_scope() as session:
            table = esf.participants_table(session, actor=actor, filters=filters,
                                           lang=language)
        return exports.to_csv(table) if fmt == "csv" else exports.to_xlsx([table])
    return content


def shown(table: exports.Table) -> list[dict[str, exports.Cell]]:
    """A table's rows for the screen: a column mixing counts with `<5` and `x` as text."""
    mixed = {i for i in range(len(table.columns))
             if len({type(row[i]) for row in table.rows if row[i] is not None}) > 1}
    return [{str(c): (str(v) if i in mixed and v is not None else v)
             for i, (c, v) in enumerate(zip(table.columns, row, strict=True))}
            for row in table.rows]


def esf_section(actor: Actor, filters: Filters) -> None:
    """The ESF+ participants: charts, completeness, the indicators and the reports."""
    st.subheader(tr("esf.heading"))
    st.caption(tr("esf.intro") if actor.is_manager else tr("esf.intro_funder"))
    calls: dict[str, tuple[Callable[..., object], dict[str, object]]] = {
        "grid": (esf.summary_grid, {"filters": filters})}
    if actor.is_manager:  # read side by side: each reads the period's participants
        calls["complete"] = (esf.completeness, {"filters": filters})
    found = cached_together(calls, actor=actor)
    grid: esf.EsfSummary = found["grid"]
    if grid.value("attended") == 0:
        st.info(tr("esf.none"))
        return
    st.markdown(f"**{tr('esf.charts')}**")
    figures = esf_charts(grid, lang())
    sensitive = figures.pop("sensitive")  # six characteristics, two bars each: full width
    columns = st.columns(2)
    for index, (name, figure) in enumerate(figures.items()):
        with columns[index % 2]:
            show_chart(figure, name=tr(f"esf.chart.{name}"), key=f"rp_esf_{name}")
    show_chart(sensitive, name=tr("esf.chart.sensitive"), key="rp_esf_sensitive")
    complete = esf.completeness_table(found["complete"], lang()) if actor.is_manager \
        else esf.grid_completeness_table(grid, lang())
    summary = esf.build_summary_table(grid, lang())
    for table, key in ((complete, "rp_esf_complete"), (summary, "rp_esf_summary")):
        st.markdown(f"**{table.title}**")
        for note in table.notes:
            st.caption(note)
        st.dataframe(shown(table), hide_index=True, placeholder="–", key=f"{key}_table")
        table_buttons(table, key=key)
    if actor.is_manager:  # names and whole codes: never a funder's
        st.markdown(f"**{tr('esf.participants.title')}**")
        st.caption(tr("esf.download.participants_help"))
        left, right, _ = st.columns([2, 2, 3])
        name = exports.slug(tr("esf.participants.title"))
        for column, fmt, label, mime in ((left, "csv", "CSV", "text/csv"),
                                         (right, "xlsx", "Excel", XLSX)):
            column.download_button(
                tr("esf.download.participants", fmt=label),
                data=participants_file(actor, filters, lang(), fmt), file_name=f"{name}.{fmt}",
                mime=mime, icon=":material/download:", key=f"rp_esf_participants_{fmt}",
                on_click="ignore")

def dialogue_section(actor: Actor, filters: Filters, known: reports.Names, year: int) -> None:
    """The civic-dialogue sheet of the report: its charts and tables (approved opinions)."""
    st.subheader(tr("dialogue_stats.sheet"))
    st.caption(tr("dialogue_stats.report.approved_only"))
    figures: reports.DialogueFigures = cached(reports.dialogue_figures, actor=actor,
                                              filters=filters, year=year)
    if not figures.funnel.total.submitted:
        st.info(tr("dialogue_stats.none"))
    charts = dialogue_charts(figures.funnel, figures.institutions,
                             {code: known.incubator(code, lang()) for code in known.incubators},
                             lang())
    columns = st.columns(2)
    for index, name in enumerate(n for n in ("funnel", "over_time") if n in charts):
        with columns[index]:
            show_chart(charts[name], name=charts[name].layout.title.text,
                       key=f"rp_dialogue_{name}")
    if "institutions" in charts:
        show_chart(charts["institutions"], name=tr("dialogue_stats.chart.institutions"),
                   key="rp_dialogue_institutions")
    for index, table in enumerate(reports.dialogue_tables(figures, lang=lang(), known=known)):
        with st.expander(table.title, expanded=index == 0):
            show_table(table.title, [dict(zip(table.columns, row, strict=True))
                                     for row in table.rows], key=f"rp_dialogue_{index}",
                       notes=table.notes)

actor = require(Area.REPORTS)
st.title(tr("nav.reports"))
st.caption(tr("reports.intro"))
bar = filter_bar("rp", actor=actor, activity_type=False)
filters = bar.filters
with session_scope(readonly=True) as session:
    known = reports.names(session)

st.subheader(tr("reports.report_heading"))
if not exports.png_available():
    st.info(tr("reports.no_png"))
wanted_report = (filters, lang())
if st.button(tr("reports.build"), type="primary", icon=":material/summarize:", key="rp_build"):
    try:
        with st.spinner(tr("reports.building"), show_time=True), \
                session_scope(readonly=True) as session:
            data = reports.funder_report(session, actor=actor, filters=filters, lang=lang())
        st.session_state[REPORT_STATE] = (wanted_report, data)
    except TrackerError as exc:
        st.error(exc.message(lang()))
built = st.session_state.get(REPORT_STATE)
if built is not None and built[0] == wanted_report:  # a report of other filters is not offered
    st.success(tr("reports.ready", size=max(1, round(len(built[1]) / 1024))))
    st.download_button(tr("reports.download"), data=built[1],
                       file_name=reports.report_file_name(lang(), filters), mime=XLSX,
                       icon=":material/download:", key="rp_download", on_click="ignore")

st.subheader(tr("reports.tables_heading"))
year = reports.report_year(filters, bar.start, bar.end)
for name in reports.TABLE_NAMES:
    result = cached(reports.SOURCES[name], actor=actor,
                    **reports.source_arguments(name, filters, year))
    table = reports.build_table(name, result, lang=lang(), known=known)
    with st.expander(table.title, expanded=name == "indicators"):
        if not table.rows:
            st.info(tr("reports.empty_table"))
            continue
        for note in table.notes:
            st.caption(note)
        show_table(table.title, [dict(zip(table.columns, row, strict=True))
                                 for row in table.rows], key=f"rp_{name}", notes=table.notes)
st.caption(tr(counted_note_key(actor, filters)))

esf_section(actor, filters)
dialogue_section(actor, filters, known, year)
