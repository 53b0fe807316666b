"""Quarters of an incubator: which are closed, closing a finished one whose activities are
all approved, reopening one (administrators, with a reason), and the grid the Quarters page
shows. Nothing dated in a closed quarter changes (`check_open`): activities with their
participations and evidence, and the incubator's milestones, assessments and indicator values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.enums import ActivityStatus, AuditAction, Role
from db.models import Activity, Document, Incubator, Opinion, PeriodClosure, User
from tracker import audit
from tracker.auth import Actor, require_writer
from tracker.errors import NotAllowed, PermissionDenied, ValidationFailed
from tracker.schemas import ReadModel
from tracker.services._common import flush, id_is, ids_in, load, now, required_text

CLOSURE_ENTITY = "period_closure"
REASON_MAX = 2000


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


class Blocker(ReadModel):
    id: int
    title: str
    activity_date: dt.date
    status: ActivityStatus
    kind: str = "activity"  # or "opinion" (the civic-dialogue register): its record kind


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
    and opinion dated in it must be approved, and the quarter must be over)."""
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
    blockers += [Blocker(id=r[0], title=f"{r[1]}: {r[2][:80]}", activity_date=r[3],
                         status=ActivityStatus(r[4]), kind="opinion")
                 for r in session.execute(
                     select(Opinion.id, Document.ref, Opinion.summary, Opinion.submitted_on,
                            Opinion.status)
                     .join(Document, Document.id == Opinion.document_id)
                     .where(Opinion.incubator_id == incubator_id, Opinion.deleted_at.is_(None),
                            Opinion.submitted_on >= start, Opinion.submitted_on <= end,
                            Opinion.status != ActivityStatus.APPROVED.value)
                     .order_by(Opinion.submitted_on, Opinion.id)).all()]
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
    text = required_text("reopen_reason", reason, REASON_MAX)
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
