"""Verification of activities: who may do what in each status, the review steps, and closing
quarters.

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
from db.models import Activity, Incubator, PeriodClosure, User
from tracker import audit
from tracker.auth import Actor, require_writer
from tracker.errors import NotAllowed, PermissionDenied, ValidationFailed
from tracker.schemas import ActivityRead, ReadModel, has_control_characters
from tracker.services._common import check_version, flush, id_is, ids_in, load, now

ENTITY = "activity"
CLOSURE_ENTITY = "period_closure"
COMMENT_MAX = 2000
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


# Quarters ----------------------------------------------------------------------------------------

def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * quarter - 2, 1)
    if quarter == 4:  # (the year 9999 has no 1 January after it)
        return start, dt.date(year, 12, 31)
    return start, dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)


def quarters_between(first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    """(year, quarter) of every quarter from the one holding `first` to the one holding
    `last`, in order."""
    year, quarter = quarter_of(first)
    found: list[tuple[int, int]] = []
    while (year, quarter) <= quarter_of(last):
        found.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return found


def quarter_label(year: int, quarter: int) -> str:
    return f"{year} Q{quarter}"


def closed_quarters(session: Session, incubator_ids: Iterable[int] | None = None
                    ) -> set[tuple[int, int, int]]:
    """(incubator id, year, quarter) of every quarter closed now."""
    query = select(PeriodClosure.incubator_id, PeriodClosure.year, PeriodClosure.quarter).where(
        PeriodClosure.reopened_at.is_(None))
    if incubator_ids is not None:
        query = query.where(ids_in(PeriodClosure.incubator_id, incubator_ids))
    return {(int(a), int(b), int(c)) for a, b, c in session.execute(query).all()}


def is_closed(session: Session, incubator_id: int, day: dt.date) -> bool:
    year, quarter = quarter_of(day)
    return session.scalar(select(PeriodClosure.id).where(
        PeriodClosure.incubator_id == incubator_id, PeriodClosure.year == year,
        PeriodClosure.quarter == quarter, PeriodClosure.reopened_at.is_(None))) is not None


def check_open(session: Session, incubator_id: int, day: dt.date) -> None:
    """Refuse a change dated in a closed quarter of the incubator."""
    if is_closed(session, incubator_id, day):
        raise NotAllowed("quarter_closed", quarter=quarter_label(*quarter_of(day)))


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

def _transition(session: Session, actor: Actor, activity_id: int, version: int, step: Step,
                target: ActivityStatus, comment: str | None = None) -> Activity:
    activity = load(session, Activity, ENTITY, activity_id)
    check_step(session, actor, activity, step)
    check_version(activity, version)
    before = {"status": activity.status, "review_comment": activity.review_comment}
    activity.status = target.value
    if target is ActivityStatus.SUBMITTED:
        activity.submitted_at = now()
    if step is Step.RETURN:
        activity.review_comment = comment
    flush(session)
    audit.record(session, actor, entity=ENTITY, entity_id=activity.id,
                 action=AuditAction.STATUS, before=before,
                 after={"status": activity.status, "step": step.value,
                        "review_comment": activity.review_comment})
    return activity


def _reason(field: str, value: str | None) -> str:
    """A required comment or reason, trimmed, of at most COMMENT_MAX characters."""
    text = (value or "").strip()
    if not text:
        raise ValidationFailed.single(field, "required")
    if len(text) > COMMENT_MAX:
        raise ValidationFailed.single(field, "too_long", max_length=COMMENT_MAX)
    if has_control_characters(text):
        raise ValidationFailed.single(field, "control_characters")
    return text


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
                       ActivityStatus.RETURNED, _reason("review_comment", comment)).version


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


# Closing quarters --------------------------------------------------------------------------------

class Blocker(ReadModel):
    id: int
    title: str
    activity_date: dt.date
    status: ActivityStatus


class ClosureRead(ReadModel):
    id: int
    incubator_id: int
    year: int
    quarter: int
    closed_at: dt.datetime
    closed_by: str | None
    reopened_at: dt.datetime | None
    reopened_by: str | None
    reopen_reason: str | None


class QuarterState(ReadModel):
    incubator_id: int
    year: int
    quarter: int
    start: dt.date
    end: dt.date
    approved: int
    blockers: list[Blocker]
    closure: ClosureRead | None
    ended: bool

    @property
    def can_close(self) -> bool:
        return self.closure is None and self.ended and not self.blockers


def _closure_read(session: Session, closure: PeriodClosure) -> ClosureRead:
    emails: dict[int | None, str] = dict(session.execute(select(User.id, User.email).where(
        User.id.in_([i for i in (closure.closed_by_id, closure.reopened_by_id) if i]))).all())
    return ClosureRead(id=closure.id, incubator_id=closure.incubator_id, year=closure.year,
                       quarter=closure.quarter, closed_at=closure.closed_at,
                       closed_by=emails.get(closure.closed_by_id),
                       reopened_at=closure.reopened_at,
                       reopened_by=emails.get(closure.reopened_by_id),
                       reopen_reason=closure.reopen_reason)


def _check_quarter(year: int, quarter: int) -> None:
    if not 1 <= quarter <= 4:
        raise ValidationFailed.single("quarter", "invalid_quarter")
    if not 2000 <= year <= 2100:
        raise ValidationFailed.single("year", "invalid_quarter")


def _open_closure(session: Session, incubator_id: int, year: int, quarter: int
                  ) -> PeriodClosure | None:
    return session.scalar(select(PeriodClosure).where(
        id_is(PeriodClosure.incubator_id, incubator_id), PeriodClosure.year == year,
        PeriodClosure.quarter == quarter, PeriodClosure.reopened_at.is_(None)))


def quarter_state(session: Session, *, actor: Actor, incubator_id: int, year: int,
                  quarter: int, today: dt.date | None = None) -> QuarterState:
    """A quarter of an incubator: closed or not, and what blocks closing it (every activity
    dated in it must be approved, and the quarter must be over)."""
    if not actor.is_manager:
        raise PermissionDenied()
    _check_quarter(year, quarter)
    load(session, Incubator, "incubator", incubator_id)
    start, end = quarter_bounds(year, quarter)
    in_quarter = (Activity.incubator_id == incubator_id, Activity.deleted_at.is_(None),
                  Activity.activity_date >= start, Activity.activity_date <= end)
    approved = session.scalar(select(func.count()).select_from(Activity).where(
        *in_quarter, Activity.status == ActivityStatus.APPROVED.value)) or 0
    blockers = [Blocker(id=r[0], title=r[1], activity_date=r[2], status=ActivityStatus(r[3]))
                for r in session.execute(
                    select(Activity.id, Activity.title, Activity.activity_date, Activity.status)
                    .where(*in_quarter, Activity.status != ActivityStatus.APPROVED.value)
                    .order_by(Activity.activity_date, Activity.id)).all()]
    closure = _open_closure(session, incubator_id, year, quarter)
    return QuarterState(incubator_id=incubator_id, year=year, quarter=quarter, start=start,
                        end=end, approved=int(approved), blockers=blockers,
                        closure=_closure_read(session, closure) if closure else None,
                        ended=end < (today or dt.date.today()))  # noqa: DTZ011


def close_quarter(session: Session, *, actor: Actor, incubator_id: int, year: int,
                  quarter: int, today: dt.date | None = None) -> ClosureRead:
    """Freeze a finished quarter of an incubator whose activities are all approved."""
    require_writer(actor)
    state = quarter_state(session, actor=actor, incubator_id=incubator_id, year=year,
                          quarter=quarter, today=today)
    label = quarter_label(year, quarter)
    if state.closure is not None:
        raise NotAllowed("quarter_already_closed", quarter=label)
    if not state.ended:
        raise NotAllowed("quarter_not_over", quarter=label, end=state.end)
    if state.blockers:
        raise NotAllowed("quarter_has_open_activities", quarter=label,
                         count=len(state.blockers))
    closure = PeriodClosure(incubator_id=incubator_id, year=year, quarter=quarter,
                            closed_by_id=actor.user_id, closed_at=now())
    session.add(closure)
    flush(session)
    audit.record(session, actor, entity=CLOSURE_ENTITY, entity_id=closure.id,
                 action=AuditAction.CREATE, after=audit.snapshot(closure))
    return _closure_read(session, closure)


def reopen_quarter(session: Session, *, actor: Actor, incubator_id: int, year: int,
                   quarter: int, reason: str) -> ClosureRead:
    """An admin opens a closed quarter again, saying why; the closure stays in the history."""
    if actor.role is not Role.ADMIN:
        raise PermissionDenied()
    _check_quarter(year, quarter)
    text = _reason("reopen_reason", reason)
    closure = _open_closure(session, incubator_id, year, quarter)
    if closure is None:
        raise NotAllowed("quarter_not_closed", quarter=quarter_label(year, quarter))
    before = audit.snapshot(closure)
    closure.reopened_at = now()
    closure.reopened_by_id = actor.user_id
    closure.reopen_reason = text
    flush(session)
    audit.record(session, actor, entity=CLOSURE_ENTITY, entity_id=closure.id,
                 action=AuditAction.UPDATE, before=before, after=audit.snapshot(closure))
    return _closure_read(session, closure)


def list_closures(session: Session, *, actor: Actor, incubator_id: int | None = None
                  ) -> list[ClosureRead]:
    """Every closure, reopened ones too, newest quarter first."""
    if actor.role is Role.STAFF:
        incubator_id = actor.incubator_id
    query = select(PeriodClosure).order_by(PeriodClosure.year.desc(),
                                           PeriodClosure.quarter.desc(),
                                           PeriodClosure.closed_at.desc())
    if incubator_id is not None:
        query = query.where(id_is(PeriodClosure.incubator_id, incubator_id))
    return [_closure_read(session, c) for c in session.scalars(query)]


def steps_of(session: Session, actor: Actor, items: Iterable[ActivityRead]
             ) -> dict[int, frozenset[Step]]:
    """What the actor may do with each of a page's activities (one query for the closures)."""
    listed = list(items)
    closed = closed_quarters(session, {a.incubator_id for a in listed})
    return {a.id: allowed_steps(
        actor, incubator_id=a.incubator_id, status=a.status.value, author_id=a.author_id,
        closed=(a.incubator_id, *quarter_of(a.activity_date)) in closed) for a in listed}


def open_quarters(session: Session, *, incubator_ids: Iterable[int], date_from: dt.date,
                  date_to: dt.date, today: dt.date | None = None) -> list[tuple[int, int, int]]:
    """(incubator id, year, quarter) of the quarters in [date_from, date_to] that have begun
    and are not closed: numbers counted from them are provisional."""
    ids = sorted(set(incubator_ids))
    last = min(date_to, today or dt.date.today())  # noqa: DTZ011
    if last < date_from:
        return []
    closed = closed_quarters(session, ids)
    return [(i, year, quarter) for year, quarter in quarters_between(date_from, last)
            for i in ids if (i, year, quarter) not in closed]


class QuarterCell(ReadModel):
    closed: bool
    ended: bool
    blocking: int  # activities dated in the quarter that are not approved


def quarter_grid(session: Session, *, actor: Actor, incubator_ids: tuple[int, ...],
                 first: dt.date, last: dt.date, today: dt.date | None = None
                 ) -> dict[tuple[int, int, int], QuarterCell]:
    """Every quarter from `first` to `last` of each incubator at once, as `quarter_state`
    would tell it one by one: one grouped count of the activities not approved yet (per
    incubator and day, added up per quarter) and one read of the closures."""
    if not actor.is_manager:
        raise PermissionDenied()
    day = today or dt.date.today()  # noqa: DTZ011
    quarters = quarters_between(first, last)
    ids = list(incubator_ids)
    blocking: dict[tuple[int, int, int], int] = {}
    if ids and quarters:
        start, end = quarter_bounds(*quarters[0])[0], quarter_bounds(*quarters[-1])[1]
        for inc, on, count in session.execute(
                select(Activity.incubator_id, Activity.activity_date, func.count())
                .where(ids_in(Activity.incubator_id, ids), Activity.deleted_at.is_(None),
                       Activity.status != ActivityStatus.APPROVED.value,
                       Activity.activity_date >= start, Activity.activity_date <= end)
                .group_by(Activity.incubator_id, Activity.activity_date)).all():
            key = (int(inc), *quarter_of(on))
            blocking[key] = blocking.get(key, 0) + int(count)
    closed = closed_quarters(session, ids)
    return {(i, y, q): QuarterCell(closed=(i, y, q) in closed,
                                   ended=quarter_bounds(y, q)[1] < day,
                                   blocking=blocking.get((i, y, q), 0))
            for i in ids for y, q in quarters}


def waiting_count(session: Session, *, actor: Actor) -> int:
    """How many submitted activities wait for a manager (the number in the menu)."""
    if not actor.is_manager:
        return 0
    return int(session.scalar(select(func.count()).select_from(Activity).where(
        Activity.deleted_at.is_(None),
        Activity.status == ActivityStatus.SUBMITTED.value)) or 0)
