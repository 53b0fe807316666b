"""Review queue (managers and admins): submitted activities by incubator, oldest first; approve
one, or return it to its author with a comment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import streamlit as st

from dashboards.components.auth import require
from dashboards.components.forms import save
from dashboards.components.text import enum_label, fmt_date, lang, plain, tr
from tracker.auth import Actor, Area
from tracker.database import session_scope
from tracker.errors import TrackerError
from tracker.i18n import format_number
from tracker.schemas import ActivityRead
from tracker.services import activities, attachments, reference, review
from tracker.services.review import InboxItem

FLASH = "review_flash"
RETURNING = "review_returning"  # (activity id, version seen) whose return comment is written
PENDING = "review_pending"  # the step asked for: (step, activity id, version seen, title)
PAGE = 10  # items shown per incubator at first; "show more" adds as many again

actor: Actor = require(Area.REVIEW)
with session_scope(readonly=True) as session:
    incubators = reference.list_incubators(session, actor=actor)
    queue = review.inbox(session, actor=actor).to_review
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


st.title(tr("nav.review"))
st.caption(tr("review.intro"))
notices = st.container()  # messages of a step whose activity is no longer listed
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH), icon=":material/check_circle:")

choices: list[int | None] = [None, *names]
chosen = st.selectbox(tr("review.incubator"), choices, key="review_incubator",
                      format_func=lambda i: tr("review.all_incubators") if i is None
                      else names.get(i, ""))
groups: dict[int, list[InboxItem]] = {i: [] for i in names}
for entry in queue:  # oldest first already
    if chosen is None or entry.incubator_id == chosen:
        groups.setdefault(entry.incubator_id, []).append(entry)
groups = {i: items for i, items in groups.items() if items}
if not groups:
    if pending is not None:  # its activity left the queue meanwhile: say why it failed
        with notices:
            _run(*pending)
    st.info(tr("review.empty"), icon=":material/task_alt:")
    st.stop()

limits: dict[int, int] = {i: int(st.session_state.get(f"review_limit_{i}", PAGE))
                          for i in groups}
shown_ids = [e.id for i, items in groups.items() for e in items[:limits[i]]]
details: dict[int, ActivityRead] = {}
with session_scope(readonly=True) as session:
    for i in shown_ids:
        try:
            details[i] = activities.get_activity(session, actor=actor, activity_id=i)
        except TrackerError:  # deleted a moment ago: it is gone from the next run's queue
            continue
    counts = attachments.attachment_counts(session, list(details), actor=actor)
    evidence = {i: attachments.list_attachments(session, actor=actor, activity_id=i)
                for i in details if counts.get(i)}


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


def _download(attachment_id: int) -> Callable[[], bytes]:
    def content() -> bytes:  # read (and the download audited) only when the button is pressed
        with session_scope() as session:
            return attachments.attachment_content(session, actor=actor,
                                                  attachment_id=attachment_id)[2]
    return content


def _evidence(activity_id: int) -> None:
    files = evidence.get(activity_id, [])
    if not files:
        st.caption(tr("review.no_evidence"))
        return
    st.caption(tr("review.evidence"))
    buttons = st.columns(min(len(files), 4))
    for n, file in enumerate(files):
        buttons[n % len(buttons)].download_button(
            plain(file.file_name), data=_download(file.id), file_name=file.file_name,
            mime=file.content_type, key=f"review_file_{file.id}", on_click="ignore",
            icon=":material/attach_file:")
    for file in files:
        if file.same_elsewhere:
            st.warning(tr("review.evidence_elsewhere", file=plain(file.file_name),
                          ids=", ".join(str(i) for i in file.same_elsewhere)),
                       icon=":material/content_copy:")


def _item(entry: InboxItem, activity: ActivityRead) -> None:
    with st.container(border=True):
        st.markdown(f"**{plain(activity.title)}**")
        st.caption(" · ".join(part for part in (
            tr("review.meta", date=fmt_date(activity.activity_date),
               type=enum_label(activity.type), hours=_hours(activity.hours),
               people=activity.total_participants),
            tr("review.author", email=plain(entry.author_email)) if entry.author_email
            else tr("review.no_author"),
            _waited(entry.waiting_since)) if part))
        if activity.participations:
            st.markdown(tr("review.organisations", names="; ".join(
                f"{plain(p.organization_name)} ({p.attendees})"
                for p in activity.participations)))
        else:
            st.caption(tr("review.no_organisations"))
        _evidence(activity.id)
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
            approve, send_back, _ = st.columns([1, 1, 4])
            approve.button(tr("review.approve"), key=f"review_approve_{activity.id}",
                           type="primary", icon=":material/check:", on_click=_ask,
                           args=("approve", activity))
            send_back.button(tr("review.return"), key=f"review_return_{activity.id}",
                             icon=":material/undo:", on_click=_ask_return, args=(activity,))
        if pending is not None and pending[1] == activity.id:
            _run(*pending)


for incubator_id, items in groups.items():
    st.subheader(tr("review.group", incubator=plain(names.get(incubator_id, "")),
                    count=len(items)))
    for entry in items[:limits[incubator_id]]:
        if entry.id in details:
            _item(entry, details[entry.id])
    if len(items) > limits[incubator_id]:
        st.caption(tr("review.shown", shown=limits[incubator_id], total=len(items)))
        if st.button(tr("review.show_more"), key=f"review_more_{incubator_id}"):
            st.session_state[f"review_limit_{incubator_id}"] = limits[incubator_id] + PAGE
            st.rerun()
if pending is not None and pending[1] not in details:  # it left the list meanwhile
    with notices:
        _run(*pending)
