"""Review table (managers and admins): activities waiting for review, sorted and filtered by
waiting time, incubator, type, author and evidence, a page at a time; tick rows to approve
several at once; open one to read it (organisations, evidence) and approve it or return it
with a comment. Approved activities of open quarters can be returned for correction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import streamlit as st

from dashboards.components import evidence as evidence_files
from dashboards.components.auth import require
from dashboards.components.forms import save
from dashboards.components.text import enum_label, fmt_date, lang, plain, tr
from tracker.auth import Actor, Area
from tracker.database import session_scope
from tracker.enums import ActivityType
from tracker.errors import TrackerError
from tracker.i18n import format_number
from tracker.schemas import ActivityRead
from tracker.services import (
    activities,
    attachments,
    opinions,
    reference,
    review,
    review_queue,
)
from tracker.services.review_queue import BatchResult, QueueItem, QueuePage

FLASH = "review_flash"
SKIPPED = "review_skipped"  # reasons of a batch approval's skipped activities
RETURNING = "review_returning"  # (activity id, version seen) whose return comment is written
PENDING = "review_pending"  # the step asked for: (step, activity id, version seen, title)
PAGE = 25  # rows of the table

actor: Actor = require(Area.REVIEW)
with session_scope(readonly=True) as session:
    incubators = reference.list_incubators(session, actor=actor)
names = {i.id: (i.name_en if lang() == "en" else i.name_lv) for i in incubators}
# A step runs with the version the manager saw when pressing its button: a change someone
# made in between is refused (StaleVersion), not approved unseen.
pending: tuple[str, int, int, str] | None = st.session_state.pop(PENDING, None)


def _ask(step: str, activity: ActivityRead, version: int | None = None) -> None:
    """Button callback: remember the step with the version shown when it was pressed (a
    return: when its Return button was pressed)."""
    st.session_state[PENDING] = (step, activity.id, version or activity.version,
                                 activity.title)


def _ask_return(activity: ActivityRead) -> None:
    st.session_state[RETURNING] = (activity.id, activity.version)


def _cancel_return() -> None:
    st.session_state.pop(RETURNING, None)


def _run(step: str, activity_id: int, version: int, title: str) -> None:
    """Approve or return; a refusal shows as a message where this is called."""
    comment = str(st.session_state.get(f"review_comment_{activity_id}") or "")

    def action() -> int:
        with session_scope() as session:
            if step == "approve":
                return review.approve_activity(session, actor=actor, activity_id=activity_id,
                                               version=version)
            return review.return_activity(session, actor=actor, activity_id=activity_id,
                                          version=version, comment=comment)
    if save(f"review_{activity_id}", action) is not None:
        st.session_state.pop(RETURNING, None)
        st.session_state.pop(f"review_comment_{activity_id}", None)
        st.session_state[FLASH] = tr("review.approved" if step == "approve" else
                                     "review.returned", title=plain(title))
        st.rerun()


def _waited(since: dt.datetime | None) -> str:
    if since is None:
        return ""
    if since.tzinfo is None:  # SQLite gives naive UTC
        since = since.replace(tzinfo=dt.UTC)
    days = (dt.datetime.now(dt.UTC) - since).days
    if days < 1:
        return tr("review.waiting_today")
    one = days % 10 == 1 and days % 100 != 11  # Latvian: 1, 21, 31 … dienu
    return tr("review.waiting_one" if one else "review.waiting_many", days=days)


def _hours(value: Decimal) -> str:
    return format_number(float(value), lang(), 0 if value == value.to_integral_value() else 2)


def _evidence(activity_id: int) -> None:
    files = evidence.get(activity_id, [])
    if not files:
        st.caption(tr("review.no_evidence"))
        return
    st.caption(tr("review.evidence"))
    buttons = st.columns(min(len(files), 4))
    for n, file in enumerate(files):
        buttons[n % len(buttons)].download_button(
            plain(file.file_name), data=evidence_files.downloader(actor, file.id),
            file_name=file.file_name, mime=file.content_type, key=f"review_file_{file.id}",
            on_click="ignore", icon=":material/attach_file:")
    for file in files:
        if file.same_elsewhere:
            st.warning(tr("review.evidence_elsewhere", file=plain(file.file_name),
                          ids=", ".join(str(i) for i in file.same_elsewhere)),
                       icon=":material/content_copy:")


def _item(entry: QueueItem, activity: ActivityRead, steps: frozenset[review.Step]) -> None:
    with st.container(border=True):
        st.markdown(f"**{plain(activity.title)}**")
        st.caption(" · ".join(part for part in (
            tr("review.meta", date=fmt_date(activity.activity_date),
               type=enum_label(activity.type), hours=_hours(activity.hours),
               people=activity.total_participants),
            tr("review.author", email=plain(entry.author_email)) if entry.author_email
            else tr("review.no_author"),
            _waited(entry.waiting_since) if not approved_mode else "") if part))
        if activity.participations:
            st.markdown(tr("review.organisations", names="; ".join(
                f"{plain(p.organization_name)} ({p.attendees})"
                for p in activity.participations)))
        else:
            st.caption(tr("review.no_organisations"))
        _evidence(activity.id)
        if entry.closed:
            st.info(tr("review.closed_note"), icon=":material/lock:")
        returning = st.session_state.get(RETURNING)
        if returning is not None and returning[0] == activity.id:
            st.text_area(tr("review.return_comment"), max_chars=review.COMMENT_MAX,
                         key=f"review_comment_{activity.id}")
            send, cancel, _ = st.columns([2, 1, 4])
            send.button(tr("review.return_send"), key=f"review_send_{activity.id}",
                        type="primary", icon=":material/undo:", on_click=_ask,
                        args=("return", activity, returning[1]))
            cancel.button(tr("review.cancel"), key=f"review_cancel_{activity.id}",
                          on_click=_cancel_return)
        else:
            approve, send_back, _ = st.columns([1, 1, 3])
            if not approved_mode:  # four eyes and the like: the service says why
                approve.button(tr("review.approve"), key=f"review_approve_{activity.id}",
                               type="primary", icon=":material/check:", on_click=_ask,
                               args=("approve", activity))
            if not approved_mode or review.Step.RETURN in steps:
                send_back.button(tr("review.return_approved" if approved_mode
                                    else "review.return"),
                                 key=f"review_return_{activity.id}", icon=":material/undo:",
                                 on_click=_ask_return, args=(activity,))
        if pending is not None and pending[1] == activity.id:
            _run(*pending)


st.title(tr("nav.review"))
st.caption(tr("review.intro"))
notices = st.container()  # messages of a step whose activity is no longer listed
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH), icon=":material/check_circle:")
for line in st.session_state.pop(SKIPPED, []):
    st.warning(line, icon=":material/block:")
with session_scope(readonly=True) as session:
    waiting_opinions = opinions.waiting_opinions(session, actor=actor)
if waiting_opinions:  # opinions are approved on the Civic dialogue page, by the same rules
    with st.expander(tr("review.opinions_waiting", count=len(waiting_opinions)),
                     icon=":material/record_voice_over:"):
        for opinion in waiting_opinions:
            st.page_link("views/dialogue.py", query_params={"document": str(opinion.document_id)},
                         label=tr("review.opinion_line", day=fmt_date(opinion.submitted_on),
                                  ref=opinion.document_ref,
                                  incubator=names.get(opinion.incubator_id or 0, "—")))


def _first_page() -> None:
    st.session_state["review_page"] = 1


approved_mode = st.toggle(tr("review.mode_approved"), key="review_approved",
                          on_change=_first_page)
incubator_col, type_col, author_col, evidence_col = st.columns(4)
chosen: int | None = incubator_col.selectbox(
    tr("review.incubator"), [None, *names], key="review_incubator", on_change=_first_page,
    format_func=lambda i: tr("review.all_incubators") if i is None else names.get(i, ""))
kind: ActivityType | None = type_col.selectbox(
    tr("review.type"), [None, *ActivityType], key="review_type", on_change=_first_page,
    format_func=lambda k: tr("review.all_types") if k is None else enum_label(k))
author = author_col.text_input(tr("review.author_filter"), key="review_author",
                               max_chars=254, on_change=_first_page)
evidence_choice: bool | None = evidence_col.selectbox(
    tr("review.evidence_filter"), [None, True, False], key="review_evidence",
    on_change=_first_page, format_func=lambda e: tr(
        "review.evidence_any" if e is None else "review.evidence_yes" if e
        else "review.evidence_no"))
sort_col, reverse_col, page_col = st.columns([2, 1, 1], vertical_alignment="bottom")
sort: str = sort_col.selectbox(tr("review.sort"), list(review_queue.SORTS), key="review_sort",
                               format_func=lambda s: tr(f"review.sort.{s}"),
                               on_change=_first_page)
descending = reverse_col.toggle(tr("review.descending"), key="review_desc",
                                on_change=_first_page)
page_number = max(1, int(st.session_state.get("review_page", 1)))


def _query() -> QueuePage:
    with session_scope(readonly=True) as session:
        return review_queue.review_queue(
            session, actor=actor, approved=approved_mode, incubator_id=chosen,
            activity_type=kind.value if kind else None, author_email=author,
            evidence=evidence_choice, sort=sort, descending=descending, limit=PAGE,
            offset=(page_number - 1) * PAGE)


found = save("review_filters", _query)
if found is None:
    st.stop()
if not found.items:
    if pending is not None:  # its activity left the queue meanwhile: say why it failed
        with notices:
            _run(*pending)
    if page_number > 1:
        st.session_state["review_page"] = 1
        st.rerun()
    st.info(tr("review.empty"), icon=":material/task_alt:")
    st.stop()
pages = -(-found.total // PAGE)
page_col.number_input(tr("review.page"), min_value=1, max_value=max(pages, 1), step=1,
                      key="review_page")
items = found.items
first = (page_number - 1) * PAGE + 1
st.caption(tr("review.page_of", total=found.total, first=first, last=first + len(items) - 1))
now = dt.datetime.now(dt.UTC)


def _days(since: dt.datetime | None) -> int | None:
    if since is None:
        return None
    return (now - (since if since.tzinfo else since.replace(tzinfo=dt.UTC))).days


picked = st.dataframe(
    [{"waiting": _days(e.waiting_since), "date": e.activity_date,
      "incubator": names.get(e.incubator_id, e.incubator_code), "type": enum_label(e.type),
      "title": e.title, "author": e.author_email or "", "evidence": e.evidence,
      "closed": e.closed} for e in items],
    column_config={"waiting": tr("review.col.waiting"),
                   "date": st.column_config.DateColumn(tr("review.col.date"),
                                                       format="DD.MM.YYYY"),
                   "incubator": tr("review.col.incubator"), "type": tr("review.col.type"),
                   "title": tr("review.col.title"), "author": tr("review.col.author"),
                   "evidence": tr("review.col.evidence"), "closed": tr("review.col.closed")},
    hide_index=True, on_select="rerun", selection_mode="multi-row", key="review_table")
rows = [int(i) for i in picked.selection.rows if 0 <= int(i) < len(items)]
ticked = [items[i] for i in rows]
if ticked and not approved_mode and st.button(
        tr("review.approve_selected", count=len(ticked)), key="review_approve_selected",
        type="primary", icon=":material/done_all:"):
    def _approve_all() -> BatchResult:
        with session_scope() as session:
            return review_queue.approve_activities(
                session, actor=actor, activity_ids=[e.id for e in ticked],
                versions={e.id: e.version for e in ticked})
    batch = save("review_batch", _approve_all)
    if batch is not None:
        st.session_state[FLASH] = tr("review.batch_done", count=len(batch.approved))
        st.session_state[SKIPPED] = [tr("review.batch_skipped", title=plain(s.title or ""),
                                        id=s.activity_id, reason=s.reason(lang()))
                                     for s in batch.skipped]
        st.session_state.pop("review_table", None)
        st.rerun()

labels = [f"{plain(e.title)} · {fmt_date(e.activity_date)} · {e.incubator_code} (Nr. {e.id})"
          for e in items]
opened_at = st.selectbox(tr("review.open"), range(len(items)), index=rows[0] if rows else 0,
                         format_func=lambda i: labels[i] if 0 <= i < len(labels) else "")
entry = items[opened_at if opened_at is not None and opened_at < len(items) else 0]
detail: ActivityRead | None = None
with session_scope(readonly=True) as session:
    try:
        detail = activities.get_activity(session, actor=actor, activity_id=entry.id)
        steps = review.steps_for(session, actor, entry.id)
        evidence = {entry.id: attachments.list_attachments(session, actor=actor,
                                                           activity_id=entry.id)}
    except TrackerError:  # deleted a moment ago: it is gone from the next run's table
        steps, evidence = frozenset(), {}
if detail is not None:
    _item(entry, detail, steps)
if pending is not None and (detail is None or pending[1] != detail.id):
    with notices:  # its activity is not the one open now
        _run(*pending)
