"""Verification of activities: who may do what in each status, the review steps and the
inbox (closing quarters is tracker/services/quarters.py).

An activity goes draft → submitted → approved, or submitted → returned (with a comment) →
submitted again. The rules, in one place (`refusal`):

- its author works on it while it is a draft or returned: edit, delete, attach evidence,
  submit. An activity without an author (loaded by the command line) belongs to its
  incubator's staff and to managers;
- managers and admins work on it while it is submitted: edit, delete, attach, approve or return
  it; nobody approves or returns their own activity (four eyes);
- nobody changes an approved activity, except that managers and admins may return it to its
  author for correction (with a comment) while its quarter is open: never closed, or reopened
  by an admin; approving it again counts it again;
- nobody changes anything dated in a closed quarter of its incubator, and nothing new is added
  there; an admin can reopen the quarter, with a reason.

Every step is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from pydantic import Field
from sqlalchemy import ColumnElement, false, func, or_, select, true
from sqlalchemy.orm import Session

from db.enums import ActivityStatus, AuditAction, Role
from db.models import Activity, Incubator, Opinion, User
from tracker import audit
from tracker.auth import Actor
from tracker.errors import NotAllowed, PermissionDenied
from tracker.schemas import ActivityRead, ReadModel
from tracker.services._common import check_version, flush, load, now, required_text
from tracker.services.quarters import closed_quarters, is_closed, quarter_label, quarter_of

ENTITY = "activity"
COMMENT_MAX = 2000  # a review comment, a reopening reason
DRAFT_STALE_DAYS = 7  # the inbox reminds staff of drafts older than this


class Step(StrEnum):
    EDIT = "edit"
    DELETE = "delete"
    ATTACH = "attach"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"


AUTHOR_STEPS = frozenset({Step.EDIT, Step.DELETE, Step.ATTACH, Step.SUBMIT})
REVIEWER_STEPS = frozenset({Step.EDIT, Step.DELETE, Step.ATTACH, Step.APPROVE, Step.RETURN})
_AUTHOR_STATUSES = frozenset({ActivityStatus.DRAFT.value, ActivityStatus.RETURNED.value})


# Who may do what ---------------------------------------------------------------------------------

def is_author(actor: Actor, incubator_id: int, author_id: int | None) -> bool:
    if author_id is not None:
        return actor.user_id == author_id
    return actor.is_manager or (actor.role is Role.STAFF and actor.incubator_id == incubator_id)


def refusal(actor: Actor, *, incubator_id: int, status: str, author_id: int | None,
            step: Step, closed: bool, day: dt.date | None = None
            ) -> NotAllowed | PermissionDenied | None:
    """Why `actor` may not take `step` on an activity in this state, or None when they may."""
    if actor.role is Role.FUNDER:
        return PermissionDenied()
    if not actor.is_manager and actor.incubator_id != incubator_id:
        return PermissionDenied()
    if closed:
        return NotAllowed("quarter_closed",
                          quarter=quarter_label(*quarter_of(day)) if day else "")
    if status == ActivityStatus.APPROVED.value:
        # frozen, but a reviewer may send it back for correction while its quarter is open
        if step is not Step.RETURN or not actor.is_manager:
            return NotAllowed("approved")
        if author_id is not None and author_id == actor.user_id:
            return NotAllowed("own_activity")
        return None
    if status in _AUTHOR_STATUSES:
        if step in (Step.APPROVE, Step.RETURN):
            return NotAllowed("not_submitted")
        if not is_author(actor, incubator_id, author_id):
            return NotAllowed("not_author")
        return None
    # submitted: the reviewers' turn
    if step is Step.SUBMIT:
        return NotAllowed("already_submitted")
    if not actor.is_manager:
        return NotAllowed("in_review")
    if step in (Step.APPROVE, Step.RETURN) and author_id is not None \
            and author_id == actor.user_id:
        return NotAllowed("own_activity")
    return None


def visible(actor: Actor) -> ColumnElement[bool]:
    """Which activities the actor may see listed (title, date, status) where records of
    several incubators meet, such as an organisation's history: managers and admins every one;
    staff their own incubator's, and other incubators' once approved (their drafts and
    activities in review are their own incubator's business); funders none."""
    if actor.role is Role.FUNDER:
        return false()
    if actor.is_manager:
        return true()
    return or_(Activity.incubator_id == actor.incubator_id,
               Activity.status == ActivityStatus.APPROVED.value)


def allowed_steps(actor: Actor, *, incubator_id: int, status: str, author_id: int | None,
                  closed: bool) -> frozenset[Step]:
    return frozenset(s for s in Step if refusal(
        actor, incubator_id=incubator_id, status=status, author_id=author_id, step=s,
        closed=closed) is None)


def check_step(session: Session, actor: Actor, activity: Activity, step: Step) -> None:
    """Raise unless `actor` may take `step` on `activity` now."""
    problem = refusal(actor, incubator_id=activity.incubator_id, status=activity.status,
                      author_id=activity.author_id, step=step,
                      closed=is_closed(session, activity.incubator_id, activity.activity_date),
                      day=activity.activity_date)
    if problem is not None:
        raise problem


def steps_for(session: Session, actor: Actor, activity_id: int) -> frozenset[Step]:
    """What the actor may do with the activity now (the buttons a page offers)."""
    activity = load(session, Activity, ENTITY, activity_id)
    return allowed_steps(actor, incubator_id=activity.incubator_id, status=activity.status,
                         author_id=activity.author_id,
                         closed=is_closed(session, activity.incubator_id,
                                          activity.activity_date))


# The steps ---------------------------------------------------------------------------------------

def record_step(session: Session, actor: Actor, row: Activity | Opinion, *, entity: str,
                version: int, step: Step, target: ActivityStatus,
                comment: str | None = None) -> None:
    """Take a review step the caller has checked on a loaded activity or opinion: its new
    status (submitted: when; returned: the comment), refused on an outdated copy, audited."""
    check_version(row, version)
    before = {"status": row.status, "review_comment": row.review_comment}
    row.status = target.value
    if target is ActivityStatus.SUBMITTED:
        row.submitted_at = now()
    if step is Step.RETURN:
        row.review_comment = comment
    flush(session)
    audit.record(session, actor, entity=entity, entity_id=row.id, action=AuditAction.STATUS,
                 before=before, after={"status": row.status, "step": step.value,
                                       "review_comment": row.review_comment})


def _transition(session: Session, actor: Actor, activity_id: int, version: int, step: Step,
                target: ActivityStatus, comment: str | None = None) -> Activity:
    activity = load(session, Activity, ENTITY, activity_id)
    check_step(session, actor, activity, step)
    record_step(session, actor, activity, entity=ENTITY, version=version, step=step,
                target=target, comment=comment)
    return activity


def submit_activity(session: Session, *, actor: Actor, activity_id: int, version: int) -> int:
    """Send a draft or a returned activity for review; returns its new version."""
    return _transition(session, actor, activity_id, version, Step.SUBMIT,
                       ActivityStatus.SUBMITTED).version


def approve_activity(session: Session, *, actor: Actor, activity_id: int, version: int) -> int:
    """A manager confirms a submitted activity; from now on nobody changes it."""
    return _transition(session, actor, activity_id, version, Step.APPROVE,
                       ActivityStatus.APPROVED).version


def return_activity(session: Session, *, actor: Actor, activity_id: int, version: int,
                    comment: str) -> int:
    """A manager sends a submitted activity (or an approved one in an open quarter) back to
    its author with what to fix."""
    return _transition(session, actor, activity_id, version, Step.RETURN,
                       ActivityStatus.RETURNED,
                       required_text("review_comment", comment, COMMENT_MAX)).version


# The inbox ---------------------------------------------------------------------------------------

class InboxItem(ReadModel):
    id: int
    incubator_id: int
    incubator_code: str
    title: str
    activity_date: dt.date
    status: ActivityStatus
    version: int
    waiting_since: dt.datetime | None
    author_email: str | None
    review_comment: str | None


class Inbox(ReadModel):
    to_review: list[InboxItem] = Field(default_factory=list)  # managers: submitted
    returned: list[InboxItem] = Field(default_factory=list)  # authors: sent back to them
    stale_drafts: list[InboxItem] = Field(default_factory=list)  # authors: drafts > a week

    @property
    def count(self) -> int:
        return len(self.to_review) + len(self.returned) + len(self.stale_drafts)


def _items(session: Session, *conditions: object, order: object) -> list[InboxItem]:
    rows = session.execute(
        select(Activity.id, Activity.incubator_id, Incubator.code, Activity.title,
               Activity.activity_date, Activity.status, Activity.version,
               func.coalesce(Activity.submitted_at, Activity.updated_at), User.email,
               Activity.review_comment)
        .join(Incubator, Incubator.id == Activity.incubator_id)
        .outerjoin(User, User.id == Activity.author_id)
        .where(Activity.deleted_at.is_(None), *conditions)  # type: ignore[arg-type]
        .order_by(order, Activity.id)  # type: ignore[arg-type]
        .limit(500)).all()
    return [InboxItem(id=r[0], incubator_id=r[1], incubator_code=r[2], title=r[3],
                      activity_date=r[4], status=ActivityStatus(r[5]), version=r[6],
                      waiting_since=r[7], author_email=r[8], review_comment=r[9])
            for r in rows]


def inbox(session: Session, *, actor: Actor, today: dt.date | None = None) -> Inbox:
    """What needs the actor's action: managers review submitted activities (oldest first);
    authors fix returned ones and finish drafts older than a week."""
    if actor.role is Role.FUNDER or actor.user_id is None:
        return Inbox()
    to_review: list[InboxItem] = []
    if actor.is_manager:
        to_review = _items(session, Activity.status == ActivityStatus.SUBMITTED.value,
                           order=func.coalesce(Activity.submitted_at, Activity.updated_at))
    mine = Activity.author_id == actor.user_id
    if actor.role is Role.STAFF:
        mine = mine | ((Activity.author_id.is_(None))
                       & (Activity.incubator_id == actor.incubator_id))
    stale = dt.timedelta(days=DRAFT_STALE_DAYS)
    # the calendar's first week has no week before it: nothing there is stale yet
    day = max(today or dt.date.today(), dt.date.min + stale)  # noqa: DTZ011
    cutoff = dt.datetime.combine(day - stale, dt.time(), tzinfo=dt.UTC)
    return Inbox(
        to_review=to_review,
        returned=_items(session, mine, Activity.status == ActivityStatus.RETURNED.value,
                        order=Activity.updated_at),
        stale_drafts=_items(session, Activity.author_id == actor.user_id,
                            Activity.status == ActivityStatus.DRAFT.value,
                            Activity.updated_at < cutoff, order=Activity.updated_at))


def steps_of(session: Session, actor: Actor, items: Iterable[ActivityRead]
             ) -> dict[int, frozenset[Step]]:
    """What the actor may do with each of a page's activities (one query for the closures)."""
    listed = list(items)
    closed = closed_quarters(session, {a.incubator_id for a in listed})
    return {a.id: allowed_steps(
        actor, incubator_id=a.incubator_id, status=a.status.value, author_id=a.author_id,
        closed=(a.incubator_id, *quarter_of(a.activity_date)) in closed) for a in listed}


def waiting_count(session: Session, *, actor: Actor) -> int:
    """How many submitted activities wait for a manager (the number in the menu)."""
    if not actor.is_manager:
        return 0
    return int(session.scalar(select(func.count()).select_from(Activity).where(
        Activity.deleted_at.is_(None),
        Activity.status == ActivityStatus.SUBMITTED.value)) or 0)
