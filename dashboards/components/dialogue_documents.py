"""The register's documents: a search, the upcoming and overdue deadlines, the list (upcoming
deadlines first), and one document's card: its public facts (everyone), its internal note and
what may be done with it (staff and managers), then its opinions."""

from __future__ import annotations

import datetime as dt
from typing import Any, NoReturn

import streamlit as st

from dashboards.components import confirm, dialogue_document_form, dialogue_opinions
from dashboards.components.cache import cached
from dashboards.components.dialogue_common import (
    DOCUMENT,
    deadline_state,
    done,
    link,
    monitor_name,
    save_form,
    today,
)
from dashboards.components.forms import field_error
from dashboards.components.tables import date_column
from dashboards.components.text import enum_label, fmt_date, lang, plain, tr
from tracker.analytics import Filters
from tracker.analytics import dialogue_stats as stats
from tracker.auth import Actor
from tracker.database import session_scope
from tracker.errors import TrackerError
from tracker.schemas.dialogue import DocumentRead, MonitoringIn
from tracker.services import documents

LIST_LIMIT = 200
MONITOR, DELETE = "document_monitor", "document_delete"
CONFIRM_DELETE = "dialogue_confirm_delete_document"
PROGRAMME = 0  # the monitoring choice meaning the programme itself (no incubator)


def _close() -> NoReturn:
    st.query_params.pop(DOCUMENT, None)
    st.rerun()


def _monitors(document: DocumentRead, names: dict[int, str]) -> str:
    return ", ".join(monitor_name(m.incubator_id, names) for m in document.monitoring)


def listing(*, actor: Actor, names: dict[int, str]) -> int | None:
    """Search, the deadlines' counts and the list; the id of a document just picked."""
    search_col, who_col = st.columns([3, 2])
    search = search_col.text_input(tr("dialogue.search"), key="dialogue_search",
                                   placeholder=tr("dialogue.search_hint"),
                                   max_chars=documents.MAX_SEARCH)
    monitored = who_col.selectbox(
        tr("dialogue.monitored_by"), [None, *names], key="dialogue_monitored_by",
        format_func=lambda i: tr("dialogue.monitored_any") if i is None else names[i])
    try:
        with session_scope(readonly=True) as session:
            total = documents.count_documents(session, actor=actor, incubator_id=monitored,
                                              search=search or None)
            rows = documents.list_documents(session, actor=actor, incubator_id=monitored,
                                            search=search or None, limit=LIST_LIMIT)
    except TrackerError as exc:  # a refused search says why
        st.error(exc.message(lang()), icon=":material/error:")
        return None
    due: stats.Deadlines = cached(stats.deadlines, actor=actor, limit=1,
                                  filters=Filters(incubator_id=monitored))
    ahead, passed, _ = st.columns([1, 1, 2])
    ahead.metric(tr("dialogue.upcoming_count"), due.upcoming)
    passed.metric(tr("dialogue.overdue_count"), due.overdue, help=tr("dialogue.overdue_help"))
    if not rows:
        st.info(tr("dialogue.none_found") if search or monitored else
                tr("dialogue.no_documents"))
        return None
    st.caption(tr("dialogue.found", total=total, shown=len(rows)))
    day = today()
    event = st.dataframe(
        [{"state": deadline_state(d, day), "deadline": d.deadline, "ref": d.ref,
          "title": d.title, "institution": d.institution, "opinions": d.opinions,
          "monitoring": _monitors(d, names), "link": d.url} for d in rows],
        column_config={
            "state": tr("dialogue.col.state"),
            "deadline": date_column(tr("dialogue.col.deadline")),
            "ref": tr("dialogue.col.ref"), "title": tr("dialogue.col.title"),
            "institution": tr("dialogue.col.institution"),
            "opinions": st.column_config.NumberColumn(tr("dialogue.col.opinions")),
            "monitoring": tr("dialogue.col.monitoring"),
            "link": st.column_config.LinkColumn(tr("dialogue.col.link"))},
        hide_index=True, on_select="rerun", selection_mode="single-row",
        key="dialogue_documents_table", placeholder="–")
    picked_rows = event.selection.rows
    picked = rows[picked_rows[0]].id if picked_rows and picked_rows[0] < len(rows) else None
    if picked is not None and st.session_state.get("dialogue_table_seen") != picked:
        st.session_state["dialogue_table_seen"] = picked
        return picked
    labels = {d.id: f"{d.ref} · {d.title}" for d in rows}
    chosen = st.selectbox(tr("dialogue.open"), [None, *labels], index=None,
                          format_func=lambda i: "" if i is None else labels[i],
                          placeholder=tr("dialogue.open_hint"), key="dialogue_open")
    if chosen is not None:
        st.session_state.pop("dialogue_open", None)
        return int(chosen)
    return None


def facts(document: DocumentRead, names: dict[int, str]) -> None:
    """The document's public facts (what funders see of it too)."""
    day = today()
    lines = [
        (tr("dialogue.fact.ref") if document.is_tap else tr("dialogue.fact.own_ref"),
         link(document.ref, document.url)),
        (tr("dialogue.fact.institution"), plain(document.institution)),
        (tr("dialogue.fact.kind"), enum_label(document.kind)),
        (tr("dialogue.fact.level"), enum_label(document.level)),
        (tr("dialogue.fact.published_on"), fmt_date(document.published_on)),
        (tr("dialogue.fact.deadline"), fmt_date(document.deadline) + (
            f" · {plain(deadline_state(document, day))}" if document.deadline else "")),
        (tr("dialogue.fact.adopted_on"), fmt_date(document.adopted_on)),
        (tr("dialogue.fact.topics"), plain("; ".join(document.topics))),
        (tr("dialogue.fact.monitoring"), plain("; ".join(
            tr("dialogue.fact.monitoring_since", who=monitor_name(m.incubator_id, names),
               date=fmt_date(m.monitored_from)) for m in document.monitoring))),
    ]
    st.markdown("\n".join(f"- **{name}:** {value}" for name, value in lines if value))
    if document.url and not document.is_tap:
        st.markdown(link(tr("dialogue.fact.link"), document.url))


def _monitoring(actor: Actor, document: DocumentRead, names: dict[int, str]) -> None:
    """Who monitors the document from when: staff for their incubator, managers for any
    incubator or the programme itself."""
    prefix = f"document_monitor_{document.id}_"
    since = {m.incubator_id or PROGRAMME: m.monitored_from for m in document.monitoring}
    who_col, day_col = st.columns(2)
    who: int = actor.incubator_id or PROGRAMME
    if actor.is_manager:
        who = who_col.selectbox(tr("dialogue.monitor_who"), [*names, PROGRAMME],
                                format_func=lambda i: monitor_name(i or None, names),
                                key=prefix + "who")
    else:
        who_col.caption(tr("dialogue.monitoring_own",
                           incubator=plain(monitor_name(actor.incubator_id, names))))
    day = day_col.date_input(tr("dialogue.monitor_from"), value=since.get(who, today()),
                             format="DD.MM.YYYY", key=f"{prefix}from_{who}",
                             min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31))
    with day_col:
        field_error(MONITOR, "monitored_from")
    st.caption(tr("dialogue.monitor_help"))
    save_col, stop_col = st.columns(2)
    if save_col.button(tr("dialogue.monitor_save"), key=prefix + "save",
                       icon=":material/visibility:"):
        def watch(session: Any) -> DocumentRead:
            return documents.monitor_document(session, actor=actor, document_id=document.id,
                                              data=MonitoringIn(incubator_id=who or None,
                                                                monitored_from=day))
        if isinstance(day, dt.date) and save_form(MONITOR, watch) is not None:
            done(tr("dialogue.monitor_saved", ref=plain(document.ref)), prefix,
                 document=document.id)
    if who in since and stop_col.button(tr("dialogue.monitor_stop"), key=prefix + "stop",
                                        icon=":material/visibility_off:"):
        def stop(session: Any) -> DocumentRead:
            return documents.stop_monitoring(session, actor=actor, document_id=document.id,
                                             incubator_id=who or None)
        if save_form(MONITOR, stop) is not None:
            done(tr("dialogue.monitor_stopped", ref=plain(document.ref)), prefix,
                 document=document.id)


def _delete(actor: Actor, document: DocumentRead) -> None:
    """Remove a document entered by mistake (no opinions on it): asked first."""
    if st.button(tr("dialogue.delete_document"), key=f"document_delete_{document.id}",
                 icon=":material/delete:"):
        confirm.ask(CONFIRM_DELETE, document.id)
    if confirm.answered(CONFIRM_DELETE, document.id,
                        keys=(f"document_delete_yes_{document.id}",
                              f"document_delete_no_{document.id}"),
                        question=tr("dialogue.delete_document_confirm",
                                    title=plain(document.title)),
                        yes=tr("dialogue.yes_delete"), no=tr("dialogue.cancel")):
        def delete(session: Any) -> bool:
            documents.delete_document(session, actor=actor, document_id=document.id,
                                      version=document.version)
            return True
        if save_form(DELETE, delete):
            st.query_params.pop(DOCUMENT, None)
            done(tr("dialogue.document_deleted", ref=plain(document.ref)),
                 f"document_edit_{document.id}_")


def card(*, actor: Actor, document_id: int, names: dict[int, str], writer: bool) -> None:
    """One document: its facts, (staff and managers) its note, edit, monitoring, delete and
    its opinions; funders the number of approved opinions on it."""
    try:
        with session_scope(readonly=True) as session:
            document = documents.get_document(session, actor=actor, document_id=document_id)
    except TrackerError as exc:  # not found, deleted meanwhile
        st.warning(exc.message(lang()))
        if st.button(tr("dialogue.close"), key="document_gone_close"):
            _close()
        return
    with st.container(border=True):
        head, close = st.columns([6, 1], vertical_alignment="bottom")
        head.subheader(f"{plain(document.ref)} · {plain(document.title)}")
        if close.button(tr("dialogue.close"), key="document_close", icon=":material/close:"):
            _close()
        facts(document, names)
        if not writer:
            st.caption(tr("dialogue.opinions_funder", count=document.opinions))
            return
        if document.note:
            st.caption(tr("dialogue.note", note=plain(document.note)))
        with st.expander(tr("dialogue.edit_document"), icon=":material/edit:"):
            dialogue_document_form.edit(actor=actor, current=document)
        with st.expander(tr("dialogue.monitor"), icon=":material/visibility:"):
            _monitoring(actor, document, names)
        _delete(actor, document)
        dialogue_opinions.of_document(actor=actor, document=document, names=names)


def section(*, actor: Actor, names: dict[int, str], writer: bool) -> None:
    """The documents tab: the open document's card first, then the list."""
    wanted = st.query_params.get(DOCUMENT, "")
    if wanted and not wanted.isdigit():
        st.warning(tr("dialogue.bad_link"))
    elif wanted:
        card(actor=actor, document_id=int(wanted), names=names, writer=writer)
    picked = listing(actor=actor, names=names)
    if picked is not None:
        st.query_params[DOCUMENT] = str(picked)
        st.rerun()
