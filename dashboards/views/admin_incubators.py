"""Incubators (administrators): names, operator, budget and dates inside the programme period."""

from __future__ import annotations

import streamlit as st

from dashboards.components.auth import require
from dashboards.components.forms import (
    clear_errors,
    field_error,
    submit,
)
from dashboards.components.text import fmt_date, lang, plain, tr
from tracker.auth import Area
from tracker.database import session_scope
from tracker.i18n import format_number
from tracker.schemas import IncubatorUpdate
from tracker.services import incubators

FORM = "admin_incubator"
KEYS = ("admin_incubator_name_lv", "admin_incubator_name_en", "admin_incubator_operator",
        "admin_incubator_budget", "admin_incubator_start", "admin_incubator_end")
FLASH = "admin_incubator_flash"

actor = require(Area.ADMIN_INCUBATORS)
with session_scope(readonly=True) as session:
    rows = incubators.list_incubators(session, actor=actor, lang=lang())


def _forget() -> None:
    """Another incubator picked: the widgets start again from its values."""
    for key in KEYS:
        st.session_state.pop(key, None)
    clear_errors(FORM)


def _eur(value: object) -> str:
    return "" if value is None else format_number(float(str(value)), lang(), 2)


st.title(tr("nav.admin_incubators"))
if not rows:
    st.info(tr("admin.incubators.none"))
    st.stop()
st.caption(tr("admin.incubators.period", start=fmt_date(rows[0].program_start),
              end=fmt_date(rows[0].program_end)))
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH), icon=":material/check_circle:")
st.dataframe(
    [{tr("field.name"): i.name(lang()), tr("admin.incubators.region"): i.region_name(lang()),
      tr("field.operator"): i.operator or "", tr("field.budget_eur"): _eur(i.budget_eur),
      tr("field.start_date"): fmt_date(i.start_date), tr("field.end_date"): fmt_date(i.end_date)}
     for i in rows],
    hide_index=True)
total = sum(i.budget_eur or 0 for i in rows)
st.caption(tr("admin.incubators.total", total=_eur(total)))

st.subheader(tr("admin.incubators.edit"))
by_id = {i.id: i for i in rows}
labels = {i.id: i.name(lang()) for i in rows}  # fixed per run, as AppTest formats options too
chosen = st.selectbox(tr("field.incubator_id"), list(by_id), key="admin_incubator_pick",
                      format_func=labels.__getitem__, on_change=_forget)
incubator = by_id.get(chosen, rows[0])
date_format = "DD.MM.YYYY" if lang() == "lv" else "YYYY-MM-DD"
first = min(incubator.program_start, incubator.start_date)
last = max(incubator.program_end, incubator.end_date)
with st.form(FORM):
    left, right = st.columns(2)
    name_lv = left.text_input(tr("field.name_lv"), value=incubator.name_lv, max_chars=200,
                              key="admin_incubator_name_lv")
    with left:
        field_error(FORM, "name_lv")
    name_en = right.text_input(tr("field.name_en"), value=incubator.name_en, max_chars=200,
                               key="admin_incubator_name_en")
    with right:
        field_error(FORM, "name_en")
    operator = left.text_input(tr("field.operator"), value=incubator.operator or "",
                               max_chars=200, key="admin_incubator_operator",
                               help=tr("admin.incubators.operator_help"))
    with left:
        field_error(FORM, "operator")
    budget = right.number_input(
        tr("field.budget_eur"), min_value=0.0, step=1000.0, format="%.2f",
        value=float(incubator.budget_eur) if incubator.budget_eur is not None else None,
        key="admin_incubator_budget")
    with right:
        field_error(FORM, "budget_eur")
    start = left.date_input(tr("field.start_date"), value=incubator.start_date, min_value=first,
                            max_value=last, format=date_format, key="admin_incubator_start")
    with left:
        field_error(FORM, "start_date")
    end = right.date_input(tr("field.end_date"), value=incubator.end_date, min_value=first,
                           max_value=last, format=date_format, key="admin_incubator_end")
    with right:
        field_error(FORM, "end_date")
    submitted = st.form_submit_button(tr("admin.save"), type="primary",
                                      key="admin_incubator_submit")
if submitted:
    saved = submit(FORM, IncubatorUpdate, {
        "name_lv": name_lv, "name_en": name_en, "operator": operator,
        "budget_eur": None if budget is None else f"{budget:.2f}", "start_date": start,
        "end_date": end, "version": incubator.version},
        lambda session, data: incubators.update_incubator(
            session, actor=actor, incubator_id=incubator.id, data=data))
    if saved:
        st.session_state[FLASH] = tr("admin.incubators.saved",
                                          name=plain(saved.name(lang())))
        st.rerun()
