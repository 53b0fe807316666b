"""Closing quarters (managers and admins): what blocks a quarter of an incubator, closing it
after a confirmation, reopening it with a reason (admins), and every closure so far."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboards.components import confirm
from dashboards.components.auth import require
from dashboards.components.cache import cached
from dashboards.components.downloads import show_table, table_buttons
from dashboards.components.forms import save
from dashboards.components.text import enum_label, fmt_date, fmt_moment, lang, plain, tr
from tracker.auth import Actor, Area
from tracker.database import session_scope
from tracker.enums import Role
from tracker.exports import Cell, Table
from tracker.services import quarters, reference
from tracker.services.quarters import (
    ClosureRead,
    QuarterCell,
    quarter_label,
    quarter_of,
    quarters_between,
)

FLASH = "quarters_flash"
CONFIRM = "quarters_confirm"  # ("close" | "reopen", incubator id, year, quarter)
Quarter = tuple[int, int]

actor: Actor = require(Area.QUARTERS)
today = dt.date.today()  # noqa: DTZ011
with session_scope(readonly=True) as session:
    incubators = reference.list_incubators(session, actor=actor)
    first_day, last_day = reference.programme_period(session, incubator_id=None)
names = {i.id: (i.name_en if lang() == "en" else i.name_lv) for i in incubators}


def _last_finished(quarters: list[Quarter]) -> Quarter:
    year, quarter = quarter_of(today)
    previous = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    finished = [q for q in quarters if q <= previous]
    return finished[-1] if finished else quarters[0]


def _who(email: str | None) -> str:
    return email or tr("quarters.system")


QUARTERS = quarters_between(first_day, last_day)

st.title(tr("nav.quarters"))
st.caption(tr("quarters.intro"))
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH), icon=":material/check_circle:")
if not incubators or not QUARTERS:
    st.info(tr("quarters.history_none"))
    st.stop()

pick_incubator, pick_quarter = st.columns([3, 1])
incubator_id: int = pick_incubator.selectbox(
    tr("quarters.incubator"), list(names), key="quarters_incubator",
    format_func=lambda i: names.get(i, ""))
labels = {q: quarter_label(*q) for q in QUARTERS}
year, quarter = pick_quarter.selectbox(
    tr("quarters.quarter"), QUARTERS, index=QUARTERS.index(_last_finished(QUARTERS)),
    key="quarters_quarter", format_func=lambda q: labels.get(q, ""))
label = quarter_label(year, quarter)
here = (incubator_id, year, quarter)

with session_scope(readonly=True) as session:
    state = quarters.quarter_state(session, actor=actor, incubator_id=incubator_id, year=year,
                                 quarter=quarter, today=today)

# --- the chosen quarter ----------------------------------------------------------------------
period = {"quarter": label, "start": fmt_date(state.start), "end": fmt_date(state.end)}
if state.closure is not None:
    st.success(tr("quarters.state_closed", who=plain(_who(state.closure.closed_by)),
                  when=fmt_moment(state.closure.closed_at), **period), icon=":material/lock:")
else:
    st.info(tr("quarters.state_open", **period), icon=":material/lock_open:")
approved_col, blocked_col, over_col = st.columns(3)
approved_col.metric(tr("quarters.approved"), state.approved)
blocked_col.metric(tr("quarters.not_approved"), len(state.blockers))
over_col.metric(tr("quarters.over"), tr("quarters.yes") if state.ended else tr("quarters.no"))

if state.closure is None:
    if not state.ended:
        st.info(tr("quarters.not_over", end=fmt_date(state.end)), icon=":material/schedule:")
    if state.blockers:
        st.subheader(tr("quarters.blockers"))
        st.caption(tr("quarters.blockers_hint"))
        show_table(f"{tr('quarters.blockers')} {names.get(incubator_id, '')} {label}",
                   [{tr("field.activity_date"): b.activity_date, tr("field.title"): b.title,
                     tr("field.status"): enum_label(b.status),
                     tr("quarters.record_kind"): tr(f"entity.{b.kind}")}
                    for b in state.blockers],
                   key="quarters_blockers")
    elif state.ended:
        st.success(tr("quarters.ready"), icon=":material/task_alt:")
    if state.approved:  # open: an approved one can still go back for correction
        st.caption(tr("quarters.return_hint"))

    if confirm.asking(CONFIRM, ("close", *here)) and state.can_close:
        if confirm.answered(CONFIRM, ("close", *here),
                            keys=("quarters_close_yes", "quarters_close_no"),
                            question=tr("quarters.close_confirm", quarter=label,
                                        count=state.approved),
                            yes=tr("quarters.close_yes"), no=tr("quarters.cancel")):
            def _close() -> ClosureRead:
                with session_scope() as session:
                    return quarters.close_quarter(session, actor=actor, incubator_id=incubator_id,
                                                year=year, quarter=quarter, today=today)
            if save("quarters_close", _close) is not None:
                st.session_state[FLASH] = tr("quarters.closed_done", quarter=label)
                st.rerun()
    elif st.button(tr("quarters.close"), key="quarters_close", type="primary",
                   icon=":material/lock:", disabled=not state.can_close):
        confirm.ask(CONFIRM, ("close", *here))
elif actor.role is Role.ADMIN:
    if confirm.asking(CONFIRM, ("reopen", *here)):
        if confirm.answered(
                CONFIRM, ("reopen", *here), keep=True,
                keys=("quarters_reopen_yes", "quarters_reopen_no"),
                question=tr("quarters.reopen_confirm", quarter=label),
                yes=tr("quarters.reopen_yes"), no=tr("quarters.cancel"),
                before_buttons=lambda: st.text_area(
                    tr("quarters.reopen_reason"), max_chars=quarters.REASON_MAX,
                    key="quarters_reason")):
            reason = st.session_state.get("quarters_reason", "")

            def _reopen() -> ClosureRead:
                with session_scope() as session:
                    return quarters.reopen_quarter(session, actor=actor,
                                                 incubator_id=incubator_id, year=year,
                                                 quarter=quarter, reason=reason)
            if save("quarters_reopen", _reopen) is not None:
                confirm.forget(CONFIRM)
                st.session_state.pop("quarters_reason", None)
                st.session_state[FLASH] = tr("quarters.reopened_done", quarter=label)
                st.rerun()
    elif st.button(tr("quarters.reopen"), key="quarters_reopen", icon=":material/lock_open:"):
        confirm.ask(CONFIRM, ("reopen", *here))


# --- every quarter of every incubator ---------------------------------------------------------
def _cell(cell: QuarterCell) -> str:
    if cell.closed:
        return tr("quarters.cell_closed")
    if cell.blocking:
        return tr("quarters.cell_blocked", count=cell.blocking)
    return tr("quarters.cell_ready") if cell.ended else tr("quarters.cell_not_over")


_COLOURS = {"closed": "#c7e9c0", "ready": "#fff3b0", "blocked": "#f8c4b4", "not_over": "#eeeeee"}


def _colour(cell: QuarterCell) -> str:
    kind = "closed" if cell.closed else "blocked" if cell.blocking else \
        "ready" if cell.ended else "not_over"
    return f"background-color: {_COLOURS[kind]}"


st.subheader(tr("quarters.grid"))
grid = cached(quarters.quarter_grid, actor=actor, incubator_ids=tuple(names), first=first_day,
              last=last_day, today=today)
records: list[dict[str, Cell]] = []
for i in names:
    row: dict[str, Cell] = {tr("quarters.incubator"): names[i]}
    row.update({labels[q]: _cell(grid[(i, *q)]) for q in QUARTERS})
    records.append(row)
styles = pd.DataFrame([[""] + [_colour(grid[(i, *q)]) for q in QUARTERS] for i in names],
                      columns=list(records[0]))
st.dataframe(pd.DataFrame(records).style.apply(lambda _: styles, axis=None),
             hide_index=True, key="quarters_grid_table")
st.caption(tr("quarters.grid_note"))
table_buttons(Table.from_records(tr("quarters.grid"), records), key="quarters_grid")

# --- history -----------------------------------------------------------------------------------
st.subheader(tr("quarters.history"))
with session_scope(readonly=True) as session:
    closures = quarters.list_closures(session, actor=actor)
if closures:
    show_table(tr("quarters.history"), [
        {tr("quarters.incubator"): names.get(c.incubator_id, ""),
         tr("quarters.quarter"): quarter_label(c.year, c.quarter),
         tr("quarters.closed_at"): fmt_moment(c.closed_at),
         tr("quarters.closed_by"): _who(c.closed_by),
         tr("quarters.reopened_at"): fmt_moment(c.reopened_at) or None,
         tr("quarters.reopened_by"): (_who(c.reopened_by) if c.reopened_at else None),
         tr("quarters.reason"): c.reopen_reason} for c in closures], key="quarters_history")
else:
    st.caption(tr("quarters.history_none"))
