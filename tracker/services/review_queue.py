"""The managers' review table: activities waiting for review (or approved ones, to return for
correction), sorted, filtered and paged in SQL; and approving a selection at once, each one by
the review rules (tracker.services.review), the ones that cannot be approved skipped with the
reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import Field
from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from db.enums import ActivityStatus, ActivityType, values
from db.models import Activity, Attachment, Incubator, User
from tracker.auth import Actor, require_manager
from tracker.errors import FieldError, StaleVersion, TrackerError, ValidationFailed
from tracker.schemas import ReadModel, has_control_characters
from tracker.services import quarters, review
from tracker.services._common import bounded, id_is, is_id

PAGE_MAX = 200
BATCH_MAX = 500  # activities approved in one go
EMAIL_MAX = 254
ACTIVITY_TYPES: tuple[str, ...] = tuple(values(ActivityType))
_WAITING = func.coalesce(Activity.submitted_at, Activity.updated_at)
_EVIDENCE = (select(func.count(Attachment.id)).where(Attachment.activity_id == Activity.id)
             .correlate(Activity).scalar_subquery())
# sort name -> the column; ascending by default ("waiting": the longest waiting first)
SORTS: dict[str, Any] = {"waiting": _WAITING, "date": Activity.activity_date,
                         "incubator": Incubator.code, "type": Activity.type,
                         "author": User.email, "evidence": _EVIDENCE, "title": Activity.title}


class QueueItem(ReadModel):
    id: int
    incubator_id: int
    incubator_code: str
    title: str
    type: ActivityType
    activity_date: dt.date
    status: ActivityStatus
    version: int
    waiting_since: dt.datetime | None
    author_id: int | None
    author_email: str | None
    evidence: int  # attachments
    closed: bool  # its quarter is closed: nothing can be done with it now


class QueuePage(ReadModel):
    items: list[QueueItem] = Field(default_factory=list)
    total: int = 0  # matching the filters, over all pages


class Skipped(ReadModel):
    activity_id: int
    title: str | None  # None when there is no such activity
    reason_lv: str
    reason_en: str

    def reason(self, lang: str) -> str:
        return self.reason_en if lang == "en" else self.reason_lv


class BatchResult(ReadModel):
    approved: list[int] = Field(default_factory=list)
    skipped: list[Skipped] = Field(default_factory=list)


def _filters(approved: bool, incubator_id: int | None, activity_type: str | None,
             author_email: str | None, evidence: bool | None, sort: str
             ) -> list[ColumnElement[bool]]:
    problems: list[FieldError] = []
    status = ActivityStatus.APPROVED if approved else ActivityStatus.SUBMITTED
    where: list[ColumnElement[bool]] = [Activity.deleted_at.is_(None),
                                        Activity.status == status.value]
    if sort not in SORTS:
        problems.append(FieldError("sort", "invalid"))
    if incubator_id is not None:
        where.append(id_is(Activity.incubator_id, incubator_id))
    if activity_type:
        if activity_type not in ACTIVITY_TYPES:
            problems.append(FieldError("activity_type", "invalid"))
        where.append(Activity.type == activity_type)
    email = (author_email or "").strip()
    if has_control_characters(email):
        problems.append(FieldError("author_email", "control_characters"))
    elif len(email) > EMAIL_MAX:
        problems.append(FieldError("author_email", "too_long", {"max_length": EMAIL_MAX}))
    elif email:
        where.append(func.lower(User.email).contains(email.lower(), autoescape=True))
    if evidence is not None:
        has = exists().where(Attachment.activity_id == Activity.id)
        where.append(has if evidence else ~has)
    if problems:
        raise ValidationFailed(problems)
    return where


def review_queue(session: Session, *, actor: Actor, approved: bool = False,
                 incubator_id: int | None = None, activity_type: str | None = None,
                 author_email: str | None = None, evidence: bool | None = None,
                 sort: str = "waiting", descending: bool = False, limit: int = 25,
                 offset: int = 0) -> QueuePage:
    """Submitted activities (or, with `approved`, approved ones), filtered by incubator, type,
    a part of the author's address and evidence (has / none), sorted by `sort` (SORTS), and
    `limit` (1..200) of them from `offset`, with how many match in all. Managers and admins."""
    require_manager(actor)
    where = _filters(approved, incubator_id, activity_type, author_email, evidence, sort)
    base = (select(Activity.id).join(Incubator, Incubator.id == Activity.incubator_id)
            .outerjoin(User, User.id == Activity.author_id).where(*where))
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    column = SORTS[sort]
    order = column.desc() if descending else column.asc()
    rows = session.execute(
        select(Activity.id, Activity.incubator_id, Incubator.code, Activity.title,
               Activity.type, Activity.activity_date, Activity.status, Activity.version,
               _WAITING, Activity.author_id, User.email, _EVIDENCE)
        .join(Incubator, Incubator.id == Activity.incubator_id)
        .outerjoin(User, User.id == Activity.author_id).where(*where)
        .order_by(order.nulls_last(), Activity.id)
        .limit(max(1, min(limit, PAGE_MAX))).offset(bounded(offset))).all()
    closed = quarters.closed_quarters(session, {int(r[1]) for r in rows})
    items = [QueueItem(id=r[0], incubator_id=r[1], incubator_code=r[2], title=r[3],
                       type=ActivityType(r[4]), activity_date=r[5],
                       status=ActivityStatus(r[6]), version=r[7], waiting_since=r[8],
                       author_id=r[9], author_email=r[10], evidence=int(r[11] or 0),
                       closed=(int(r[1]), *quarters.quarter_of(r[5])) in closed)
             for r in rows]
    return QueuePage(items=items, total=int(total))


def _skip(activity_id: int, title: str | None, error: TrackerError) -> Skipped:
    return Skipped(activity_id=activity_id, title=title, reason_lv=error.message("lv"),
                   reason_en=error.message("en"))


def approve_activities(session: Session, *, actor: Actor, activity_ids: Sequence[int],
                       versions: Mapping[int, int] | None = None) -> BatchResult:
    """Approve each of the activities the review rules let the actor approve (each one
    audited, as `review.approve_activity`); the others are skipped with the reason in both
    languages. `versions` (activity id -> the version the manager saw): an activity changed
    since then is skipped, not approved unseen. Managers and admins; at most 500 at once."""
    require_manager(actor)
    wanted = list(dict.fromkeys(int(i) for i in activity_ids))
    if len(wanted) > BATCH_MAX:
        raise ValidationFailed.single("activity_ids", "too_many", max=BATCH_MAX)
    result = BatchResult()
    titles = {int(r[0]): str(r[1]) for r in session.execute(
        select(Activity.id, Activity.title).where(
            Activity.id.in_([i for i in wanted if is_id(i)]))).all()}
    for activity_id in wanted:
        title = titles.get(activity_id)
        try:
            with session.begin_nested():  # a refusal leaves nothing of this one behind
                current = session.scalar(select(Activity.version).where(
                    id_is(Activity.id, activity_id)))
                seen = (versions or {}).get(activity_id, current)
                if current is not None and seen != current:
                    raise StaleVersion()
                review.approve_activity(session, actor=actor, activity_id=activity_id,
                                        version=current if current is not None else 0)
        except TrackerError as refused:
            result.skipped.append(_skip(activity_id, title, refused))
            continue
        result.approved.append(activity_id)
    return result
