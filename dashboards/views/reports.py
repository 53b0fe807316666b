"""Reports and exports: the funder report for a period and region, and every data table as
CSV and Excel. Totals only: no contact person, e-mail or phone is in any of them.

Filters live in the URL, as on the overview; funders count approved activities only.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboards.components.auth import require
from dashboards.components.cache import cached
from dashboards.components.downloads import show_table
from dashboards.components.text import lang, tr
from tracker import exports, reports
from tracker.analytics import Filters
from tracker.auth import Area
from tracker.database import session_scope
from tracker.enums import RegionCode
from tracker.errors import TrackerError
from tracker.services import reference

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_STATE = "rp_report"

actor = require(Area.REPORTS)
st.title(tr("nav.reports"))
st.caption(tr("reports.intro"))
params = st.query_params
with session_scope(readonly=True) as session:
    incubators = reference.list_incubators(session, actor=actor)
    start, end = reference.programme_period(session, incubator_id=None)
    region_of = {rid: code for rid, (code, _, _) in reference.region_names(session).items()}
    known = reports.names(session)


def _from_url(name: str, options: list[str]) -> str | None:
    value = params.get(name)
    return value if value in options else None


def _date(name: str, default: dt.date) -> dt.date:
    try:
        return min(max(dt.date.fromisoformat(params.get(name, "")), start), end)
    except ValueError:
        return default


regions = [r.value for r in RegionCode]
with st.container(border=True):
    c1, c2, c3 = st.columns(3)
    period = c1.date_input(tr("overview.period"), (_date("from", start), _date("to", end)),
                           min_value=start, max_value=end, format="DD.MM.YYYY",
                           key="rp_period")
    region = c2.selectbox(tr("overview.region"), [None, *regions],
                          index=[None, *regions].index(_from_url("region", regions)),
                          format_func=lambda r: tr("overview.all") if r is None
                          else known.region(r, lang()), key="rp_region")
    # Only the chosen region's incubators: another region's would count nothing.
    in_region = {i.code: i for i in incubators
                 if region is None or region_of[i.region_id] == region}
    incubator_code = c3.selectbox(
        tr("overview.incubator"), [None, *in_region],
        index=[None, *in_region].index(_from_url("incubator", list(in_region))),
        format_func=lambda c: tr("overview.all") if c is None else known.incubator(c, lang()),
        key="rp_incubator")

date_from, date_to = (period[0], period[-1]) if isinstance(period, tuple) and period \
    else (start, end)
wanted = {"region": region, "incubator": incubator_code,
          "from": date_from.isoformat() if date_from != start else None,
          "to": date_to.isoformat() if date_to != end else None}
for name, value in wanted.items():  # the view is shareable: the URL carries the filters
    if value is None:
        params.pop(name, None)
    elif params.get(name) != value:
        params[name] = value
filters = Filters(region_code=region,
                  incubator_id=in_region[incubator_code].id if incubator_code else None,
                  date_from=date_from, date_to=date_to)

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
year = reports.report_year(filters, start, end)
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
st.caption(tr("overview.counted_funder") if actor.role.value == "funder"
           else tr("overview.counted_all"))
