"""Cohorts (administrators): the cycles of each incubator; create one, edit one."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboards.components.auth import require
from dashboards.components.forms import (
    clear_errors,
    done,
    field_error,
    flash,
    submit,
)
from dashboards.components.text import fmt_date, lang, plain, tr
from tracker.auth import Area
from tracker.database import session_scope
from tracker.schemas import MAX_SEATS, CohortCreate, CohortDetail, CohortUpdate
from tracker.services import cohorts, incubators

ADD, EDIT = "admin_cohort_add", "admin_cohort_edit"
ADD_KEYS = ("admin_cohort_incubator", "admin_cohort_number", "admin_cohort_name",
            "admin_cohort_start", "admin_cohort_end", "admin_cohort_seats",
            "admin_cohort_call_opens", "admin_cohort_call_closes")
EDIT_KEYS = ("admin_cohort_edit_number", "admin_cohort_edit_name", "admin_cohort_edit_start",
             "admin_cohort_edit_end", "admin_cohort_edit_seats", "admin_cohort_edit_call_opens",
             "admin_cohort_edit_call_closes")
FLASH = "admin_cohort_flash"

actor = require(Area.ADMIN_COHORTS)
with session_scope(readonly=True) as session:
    places = incubators.list_incubators(session, actor=actor, lang=lang())
    every_cohort = cohorts.list_cohorts(session, actor=actor)


def _forget(keys: tuple[str, ...], form: str) -> Callable[[], None]:
    def forget() -> None:
        for key in keys:
            st.session_state.pop(key, None)
        clear_errors(form)
    return forget


st.title(tr("nav.admin_cohorts"))
if not places:
    st.info(tr("admin.incubators.none"))
    st.stop()
names = {i.id: i.name(lang()) for i in places}
order = {i.id: n for n, i in enumerate(places)}
first_day = min(i.program_start for i in places)
last_day = max(i.program_end for i in places)
date_format = "DD.MM.YYYY" if lang() == "lv" else "YYYY-MM-DD"
st.caption(tr("admin.cohorts.intro", start=fmt_date(first_day), end=fmt_date(last_day)))

filters: dict[int | None, str] = {None: tr("admin.cohorts.all")}
filters.update((i, n) for i, n in names.items())
shown_for = st.selectbox(tr("field.incubator_id"), list(filters), key="admin_cohort_filter",
                         format_func=filters.__getitem__, on_change=_forget(ADD_KEYS, ADD))
shown = sorted((c for c in every_cohort if shown_for in (None, c.incubator_id)),
               key=lambda c: (order.get(c.incubator_id, 0), c.number))
flash(FLASH, "list")
if shown:
    st.dataframe(
        [{tr("field.incubator_id"): names.get(c.incubator_id, ""), tr("field.number"): c.number,
          tr("field.name"): c.name, tr("field.start_date"): fmt_date(c.start_date),
          tr("field.end_date"): fmt_date(c.end_date),
          tr("field.call_opens_on"): fmt_date(c.call_opens_on) if c.call_opens_on else "",
          tr("field.call_closes_on"): fmt_date(c.call_closes_on) if c.call_closes_on else "",
          tr("field.seats"): "" if c.seats is None else c.seats,
          tr("admin.cohorts.enrolled"): c.enrollments} for c in shown],
        hide_index=True)
else:
    st.info(tr("admin.cohorts.none"))

# --- a new cycle -------------------------------------------------------------------------------
st.subheader(tr("admin.cohorts.add"))
flash(FLASH, "add")
ids = list(names)
for_incubator = shown_for if shown_for is not None else ids[0]
next_number = 1 + max((c.number for c in every_cohort if c.incubator_id == for_incubator),
                      default=0)
with st.form(ADD):
    left, right = st.columns(2)
    incubator_id = left.selectbox(tr("field.incubator_id"), ids, index=ids.index(for_incubator),
                                  format_func=names.__getitem__, key="admin_cohort_incubator")
    with left:
        field_error(ADD, "incubator_id")
    number = right.number_input(tr("field.number"), min_value=1, max_value=100, step=1,
                                value=min(next_number, 100), key="admin_cohort_number")
    with right:
        field_error(ADD, "number")
    name = left.text_input(tr("field.name"), max_chars=100, key="admin_cohort_name",
                           placeholder=tr("admin.cohorts.name_example", number=next_number))
    with left:
        field_error(ADD, "name")
    seats = right.number_input(tr("field.seats"), min_value=0, max_value=MAX_SEATS, step=1,
                               value=None, key="admin_cohort_seats")
    with right:
        field_error(ADD, "seats")
    start = left.date_input(tr("field.start_date"), value=None, min_value=first_day,
                            max_value=last_day, format=date_format, key="admin_cohort_start")
    with left:
        field_error(ADD, "start_date")
    end = right.date_input(tr("field.end_date"), value=None, min_value=first_day,
                           max_value=last_day, format=date_format, key="admin_cohort_end")
    with right:
        field_error(ADD, "end_date")
    left, right = st.columns(2)  # the call for applications: a row of its own
    call_opens = left.date_input(tr("field.call_opens_on"), value=None, min_value=first_day,
                                 max_value=last_day, format=date_format,
                                 key="admin_cohort_call_opens")
    with left:
        field_error(ADD, "call_opens_on")
    call_closes = right.date_input(tr("field.call_closes_on"), value=None, min_value=first_day,
                                   max_value=last_day, format=date_format,
                                   key="admin_cohort_call_closes")
    with right:
        field_error(ADD, "call_closes_on")
    add = st.form_submit_button(tr("admin.cohorts.add_submit"), type="primary",
                                key="admin_cohort_add_submit")
if add:
    created = submit(ADD, CohortCreate, {
        "incubator_id": incubator_id, "number": number, "name": name, "start_date": start,
        "end_date": end, "seats": seats, "call_opens_on": call_opens,
        "call_closes_on": call_closes},
        lambda session, data: cohorts.create_cohort(session, actor=actor, data=data))
    if created:
        done(FLASH, "list", tr("admin.cohorts.created", name=plain(created.name),
                         incubator=plain(names.get(created.incubator_id, ""))), *ADD_KEYS)

# --- edit a cycle ------------------------------------------------------------------------------
if shown:
    st.subheader(tr("admin.cohorts.edit"))
    flash(FLASH, "edit")
    by_id: dict[int, CohortDetail] = {c.id: c for c in shown}
    options = {c.id: tr("admin.cohorts.option", incubator=names.get(c.incubator_id, ""),
                        name=c.name, number=c.number) for c in shown}
    chosen = st.selectbox(tr("admin.cohorts.pick"), list(options), key="admin_cohort_pick",
                          format_func=options.__getitem__, on_change=_forget(EDIT_KEYS, EDIT))
    cohort = by_id.get(chosen, shown[0])
    kept = [d for d in (cohort.start_date, cohort.end_date, cohort.call_opens_on,
                        cohort.call_closes_on) if d is not None]
    low, high = min(first_day, *kept), max(last_day, *kept)
    with st.form(EDIT):
        left, right = st.columns(2)
        edit_number = left.number_input(tr("field.number"), min_value=1, max_value=100, step=1,
                                        value=cohort.number, key="admin_cohort_edit_number")
        with left:
            field_error(EDIT, "number")
        edit_name = right.text_input(tr("field.name"), value=cohort.name, max_chars=100,
                                     key="admin_cohort_edit_name")
        with right:
            field_error(EDIT, "name")
        edit_start = left.date_input(tr("field.start_date"), value=cohort.start_date,
                                     min_value=low, max_value=high, format=date_format,
                                     key="admin_cohort_edit_start")
        with left:
            field_error(EDIT, "start_date")
        edit_end = right.date_input(tr("field.end_date"), value=cohort.end_date, min_value=low,
                                    max_value=high, format=date_format,
                                    key="admin_cohort_edit_end")
        with right:
            field_error(EDIT, "end_date")
        edit_seats = left.number_input(tr("field.seats"), min_value=0, max_value=MAX_SEATS,
                                       step=1, value=cohort.seats, key="admin_cohort_edit_seats")
        with left:
            field_error(EDIT, "seats")
        left, right = st.columns(2)  # the call for applications: a row of its own
        edit_call_opens = left.date_input(tr("field.call_opens_on"), value=cohort.call_opens_on,
                                          min_value=low, max_value=high, format=date_format,
                                          key="admin_cohort_edit_call_opens")
        with left:
            field_error(EDIT, "call_opens_on")
        edit_call_closes = right.date_input(tr("field.call_closes_on"),
                                            value=cohort.call_closes_on, min_value=low,
                                            max_value=high, format=date_format,
                                            key="admin_cohort_edit_call_closes")
        with right:
            field_error(EDIT, "call_closes_on")
        change = st.form_submit_button(tr("admin.save"), type="primary",
                                       key="admin_cohort_edit_submit")
    if change:
        changed = submit(EDIT, CohortUpdate, {
            "number": edit_number, "name": edit_name, "start_date": edit_start,
            "end_date": edit_end, "seats": edit_seats, "call_opens_on": edit_call_opens,
            "call_closes_on": edit_call_closes, "version": cohort.version},
            lambda session, data: cohorts.update_cohort(session, actor=actor,
                                                        cohort_id=cohort.id, data=data))
        if changed:
            done(FLASH, "edit", tr("admin.cohorts.saved", name=plain(changed.name)))
