"""Reports and exports: the funder report for a period and region, and every data table as
CSV and Excel. Totals only: no contact person, e-mail or phone is in any of them.

Filters live in the URL, as on the overview; funders count approved activities only.
"""

from __future__ import annotations

import streamlit as st

from dashboards.components.auth import require
from dashboards.components.cache import cached
from dashboards.components.downloads import show_table
from dashboards.components.filters import filter_bar
from dashboards.components.text import lang, tr
from tracker import exports, reports
from tracker.analytics import counted_note_key
from tracker.auth import Area
from tracker.database import session_scope
from tracker.errors import TrackerError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_STATE = "rp_report"

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
