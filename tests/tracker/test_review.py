"""Verification of activities: every role × every status × every step through the real
services, the review steps themselves, the inbox, and closed quarters refusing every change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.enums import ActivityStatus, Role
from db.models import Activity, AuditLog, PeriodClosure
from tests import factories as f
from tracker.auth import Actor
from tracker.errors import (
    NotAllowed,
    NotFound,
    PermissionDenied,
    StaleVersion,
    ValidationFailed,
)
from tracker.schemas import ActivityRead, ActivityUpdate
from tracker.services import activities as svc
from tracker.services import quarters, review
from tracker.services.review import Step

DAY = dt.date(2025, 5, 14)  # 2025 Q2
AFTER_Q2 = dt.date(2025, 7, 1)

# Who may take which step, written out by hand (the module docstring of review.py in a table).
# Keys: (who, status). Who: the author (staff of the incubator), a colleague on the same
# incubator's staff, staff of another incubator, a manager, an admin, a funder, and a manager
# acting on their own activity.
EXPECTED: dict[tuple[str, str], set[Step]] = {}
_AUTHOR = {Step.EDIT, Step.DELETE, Step.SUBMIT}
_REVIEWER = {Step.EDIT, Step.DELETE, Step.APPROVE, Step.RETURN}
for _status in ("draft", "returned"):
    EXPECTED |= {("author", _status): _AUTHOR, ("colleague", _status): set(),
                 ("other_staff", _status): set(), ("manager", _status): set(),
                 ("admin", _status): set(), ("funder", _status): set(),
                 ("manager_author", _status): _AUTHOR}
EXPECTED |= {("author", "submitted"): set(), ("colleague", "submitted"): set(),
             ("other_staff", "submitted"): set(), ("manager", "submitted"): _REVIEWER,
             ("admin", "submitted"): _REVIEWER, ("funder", "submitted"): set(),
             ("manager_author", "submitted"): {Step.EDIT, Step.DELETE}}
# an approved activity is frozen, except that a reviewer may send it back for correction
# while its quarter is open (never closed, or reopened)
EXPECTED |= {(who, "approved"): set() for who in (
    "author", "colleague", "other_staff", "funder", "manager_author")}
EXPECTED |= {("manager", "approved"): {Step.RETURN}, ("admin", "approved"): {Step.RETURN}}

WHO = ("author", "colleague", "other_staff", "manager", "admin", "funder", "manager_author")
STATUSES = ("draft", "submitted", "returned", "approved")
SERVICE_STEPS = (Step.EDIT, Step.DELETE, Step.SUBMIT, Step.APPROVE, Step.RETURN)


def _actors(session: Session) -> dict[str, Actor]:
    admin = f.actor(session, Role.ADMIN)
    return {"author": f.actor(session, Role.STAFF, "VIDZEME"),
            "colleague": f.actor(session, Role.STAFF, "VIDZEME"),
            "other_staff": f.actor(session, Role.STAFF, "KURZEME"),
            "manager": f.actor(session, Role.MANAGER), "admin": admin,
            "funder": f.actor(session, Role.FUNDER),
            "manager_author": f.actor(session, Role.MANAGER)}


def _activity_in(session: Session, author: Actor, status: str, day: dt.date = DAY) -> int:
    """An activity of VIDZEME written by `author`, put into `status` (setup, not under test)."""
    saved = f.activity(session, by=author, status="draft", activity_date=day.isoformat())
    session.execute(update(Activity).where(Activity.id == saved.id).values(
        status=status, review_comment="Pielikt sarakstu" if status == "returned" else None))
    session.expire_all()
    return saved.id


def _version(session: Session, activity_id: int) -> int:
    return int(session.scalars(select(Activity.version).where(Activity.id == activity_id)).one())


def _update(read: ActivityRead, **fields: Any) -> ActivityUpdate:
    return ActivityUpdate.model_validate({
        "type": read.type, "title": read.title, "activity_date": read.activity_date,
        "hours": read.hours, "format": read.format, "capacity_areas": read.capacity_areas,
        "total_participants": read.total_participants, "version": read.version,
        "participations": [{"organization_id": p.organization_id, "attendees": p.attendees}
                           for p in read.participations]} | fields)


def _take(session: Session, actor: Actor, step: Step, activity_id: int) -> Any:
    version = _version(session, activity_id)
    if step is Step.EDIT:
        current = svc.get_activity(session, actor=f.ADMIN, activity_id=activity_id)
        return svc.update_activity(session, actor=actor, activity_id=activity_id,
                                   data=_update(current, title="Labots nosaukums"))
    if step is Step.DELETE:
        return svc.delete_activity(session, actor=actor, activity_id=activity_id,
                                   version=version)
    if step is Step.SUBMIT:
        return review.submit_activity(session, actor=actor, activity_id=activity_id,
                                      version=version)
    if step is Step.APPROVE:
        return review.approve_activity(session, actor=actor, activity_id=activity_id,
                                       version=version)
    return review.return_activity(session, actor=actor, activity_id=activity_id,
                                  version=version, comment="Trūkst dalībnieku saraksta")


@pytest.mark.parametrize("status", STATUSES)
def test_every_role_every_status_every_step(session: Session, status: str) -> None:
    """7 kinds of actor × 5 steps through the real services, for one status; each allowed step
    succeeds and each refused one raises and changes nothing."""
    people = _actors(session)
    checked = 0
    for who in WHO:
        author = people["manager_author"] if who == "manager_author" else people["author"]
        for step in SERVICE_STEPS:
            activity_id = _activity_in(session, author, status)
            before = session.scalars(select(Activity).where(Activity.id == activity_id)).one()
            snapshot = (before.status, before.title, before.deleted_at, before.version)
            allowed = step in EXPECTED[(who, status)]
            with session.begin_nested():
                if allowed:
                    _take(session, people[who], step, activity_id)
                else:
                    with pytest.raises((PermissionDenied, NotAllowed)):
                        _take(session, people[who], step, activity_id)
            session.expire_all()
            after = session.scalars(select(Activity).where(Activity.id == activity_id)).one()
            state = (after.status, after.title, after.deleted_at, after.version)
            assert (state != snapshot) is allowed, (who, status, step)
            # the pure rule the pages use to offer buttons says the same
            offered = review.steps_for(session, people[who], activity_id) if (
                after.deleted_at is None and not allowed) else None
            if offered is not None:
                assert step not in offered, (who, status, step)
            checked += 1
    assert checked == len(WHO) * len(SERVICE_STEPS)


def test_refusals_say_why(session: Session) -> None:
    people = _actors(session)
    cases: list[tuple[str, str, Step, type[Exception], str | None]] = [
        ("funder", "draft", Step.EDIT, PermissionDenied, None),
        ("other_staff", "draft", Step.SUBMIT, PermissionDenied, None),
        ("colleague", "draft", Step.EDIT, NotAllowed, "not_author"),
        ("manager", "draft", Step.APPROVE, NotAllowed, "not_submitted"),
        ("author", "submitted", Step.EDIT, NotAllowed, "in_review"),
        ("author", "submitted", Step.SUBMIT, NotAllowed, "already_submitted"),
        ("manager_author", "submitted", Step.APPROVE, NotAllowed, "own_activity"),
        ("admin", "approved", Step.EDIT, NotAllowed, "approved"),
    ]
    for who, status, step, error, reason in cases:
        author = people["manager_author"] if who == "manager_author" else people["author"]
        activity_id = _activity_in(session, author, status)
        with pytest.raises(error) as caught:
            _take(session, people[who], step, activity_id)
        if reason:
            assert isinstance(caught.value, NotAllowed) and caught.value.reason == reason
            assert caught.value.message("lv") and caught.value.message("en")
            assert caught.value.message("lv") != caught.value.message("en")


def test_the_whole_round(session: Session) -> None:
    """Staff save a draft and submit; a manager returns it with a comment; staff fix and
    resubmit; the manager approves; every step is audited."""
    people = _actors(session)
    staff, manager = people["author"], people["manager"]
    draft = f.activity(session, by=staff, status="draft")
    assert draft.status is ActivityStatus.DRAFT and draft.submitted_at is None
    version = review.submit_activity(session, actor=staff, activity_id=draft.id,
                                     version=draft.version)
    submitted = svc.get_activity(session, actor=manager, activity_id=draft.id)
    assert submitted.status is ActivityStatus.SUBMITTED and submitted.submitted_at is not None
    with pytest.raises(ValidationFailed):
        review.return_activity(session, actor=manager, activity_id=draft.id, version=version,
                               comment="   ")
    version = review.return_activity(session, actor=manager, activity_id=draft.id,
                                     version=version, comment="Pievienojiet dalībnieku sarakstu")
    returned = svc.get_activity(session, actor=staff, activity_id=draft.id)
    assert returned.status is ActivityStatus.RETURNED
    assert returned.review_comment == "Pievienojiet dalībnieku sarakstu"
    assert [i.id for i in review.inbox(session, actor=staff).returned] == [draft.id]
    fixed = _take(session, staff, Step.EDIT, draft.id)
    version = review.submit_activity(session, actor=staff, activity_id=draft.id,
                                     version=fixed.version)
    assert [i.id for i in review.inbox(session, actor=manager).to_review] == [draft.id]
    with pytest.raises(StaleVersion):
        review.approve_activity(session, actor=manager, activity_id=draft.id,
                                version=version - 1)
    review.approve_activity(session, actor=manager, activity_id=draft.id, version=version)
    assert review.inbox(session, actor=manager).to_review == []
    steps = [a["step"] for a in session.scalars(select(AuditLog.after).where(
        AuditLog.entity == "activity", AuditLog.entity_id == draft.id,
        AuditLog.action == "status").order_by(AuditLog.id)) if a]
    assert steps == ["submit", "return", "submit", "approve"]
    with pytest.raises(NotAllowed):
        _take(session, staff, Step.EDIT, draft.id)


def test_inbox(session: Session) -> None:
    people = _actors(session)
    staff, manager = people["author"], people["manager"]
    old = _activity_in(session, staff, "draft")
    session.execute(update(Activity).where(Activity.id == old).values(
        updated_at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC)))
    fresh = _activity_in(session, staff, "draft")
    session.execute(update(Activity).where(Activity.id == fresh).values(
        updated_at=dt.datetime(2025, 5, 19, tzinfo=dt.UTC)))
    first = f.activity(session, by=staff, status="submitted")
    second = f.activity(session, by=people["colleague"], status="submitted")
    session.execute(update(Activity).where(Activity.id == first.id).values(
        submitted_at=dt.datetime(2025, 5, 2, tzinfo=dt.UTC)))
    session.execute(update(Activity).where(Activity.id == second.id).values(
        submitted_at=dt.datetime(2025, 4, 2, tzinfo=dt.UTC)))
    mine = review.inbox(session, actor=staff, today=dt.date(2025, 5, 20))
    assert [i.id for i in mine.stale_drafts] == [old]  # the fresh one is not a week old
    assert mine.to_review == [] and mine.count == 1
    boss = review.inbox(session, actor=manager, today=dt.date(2025, 5, 20))
    assert [i.id for i in boss.to_review] == [second.id, first.id]  # oldest first
    assert review.waiting_count(session, actor=manager) == 2  # the number in the menu
    assert review.waiting_count(session, actor=staff) == 0
    assert review.inbox(session, actor=people["funder"]).count == 0


# Closed quarters -------------------------------------------------------------------------------

def test_quarter_close_and_reopen(session: Session) -> None:
    people = _actors(session)
    manager, admin, staff = people["manager"], people["admin"], people["author"]
    vidzeme = f.incubator_id(session, "VIDZEME")
    pending = _activity_in(session, staff, "submitted")
    _activity_in(session, staff, "approved")
    state = quarters.quarter_state(session, actor=manager, incubator_id=vidzeme, year=2025,
                                 quarter=2, today=AFTER_Q2)
    assert [b.id for b in state.blockers] == [pending] and state.approved == 1
    assert state.ended and not state.can_close
    with pytest.raises(NotAllowed, match="1"):
        quarters.close_quarter(session, actor=manager, incubator_id=vidzeme, year=2025,
                             quarter=2, today=AFTER_Q2)
    with pytest.raises(PermissionDenied):
        quarters.quarter_state(session, actor=staff, incubator_id=vidzeme, year=2025, quarter=2)
    review.approve_activity(session, actor=manager, activity_id=pending,
                            version=_version(session, pending))
    with pytest.raises(NotAllowed) as early:
        quarters.close_quarter(session, actor=manager, incubator_id=vidzeme, year=2025,
                             quarter=2, today=dt.date(2025, 6, 30))
    assert early.value.reason == "quarter_not_over"
    closed = quarters.close_quarter(session, actor=manager, incubator_id=vidzeme, year=2025,
                                  quarter=2, today=AFTER_Q2)
    assert closed.closed_by == manager.email
    assert (vidzeme, 2025, 2) in quarters.closed_quarters(session)
    with pytest.raises(NotAllowed):
        quarters.close_quarter(session, actor=manager, incubator_id=vidzeme, year=2025,
                             quarter=2, today=AFTER_Q2)
    with pytest.raises(PermissionDenied):
        quarters.reopen_quarter(session, actor=manager, incubator_id=vidzeme, year=2025,
                              quarter=2, reason="Kļūda")
    with pytest.raises(ValidationFailed):
        quarters.reopen_quarter(session, actor=admin, incubator_id=vidzeme, year=2025,
                              quarter=2, reason=" ")
    reopened = quarters.reopen_quarter(session, actor=admin, incubator_id=vidzeme, year=2025,
                                     quarter=2, reason="Auditors atrada kļūdu stundās")
    assert reopened.reopen_reason == "Auditors atrada kļūdu stundās"
    assert (vidzeme, 2025, 2) not in quarters.closed_quarters(session)
    quarters.close_quarter(session, actor=manager, incubator_id=vidzeme, year=2025, quarter=2,
                         today=AFTER_Q2)
    history = quarters.list_closures(session, actor=manager, incubator_id=vidzeme)
    assert [c.reopened_at is None for c in history] == [True, False]
    assert session.scalars(select(PeriodClosure.id)).all()  # both rows kept


def _close(session: Session, incubator: str = "VIDZEME", year: int = 2025,
           quarter: int = 2) -> None:
    session.add(PeriodClosure(incubator_id=f.incubator_id(session, incubator), year=year,
                              quarter=quarter, closed_at=dt.datetime.now(dt.UTC)))
    session.flush()


def test_a_closed_quarter_refuses_every_change(session: Session) -> None:
    people = _actors(session)
    ids = {status: _activity_in(session, people["author"], status) for status in STATUSES}
    elsewhere = _activity_in(session, people["author"], "draft", dt.date(2025, 7, 3))
    _close(session)
    refused = 0
    for status, activity_id in ids.items():
        for who in ("author", "manager", "admin"):
            for step in SERVICE_STEPS:
                with pytest.raises(NotAllowed) as caught:
                    _take(session, people[who], step, activity_id)
                assert caught.value.reason in ("quarter_closed",), (status, who, step)
                refused += 1
    assert refused == 4 * 3 * 5
    # nothing new dated in it, and nothing moved into it
    with pytest.raises(NotAllowed):
        f.activity(session, by=people["author"], status="draft", activity_date="2025-04-02")
    current = svc.get_activity(session, actor=people["author"], activity_id=elsewhere)
    with pytest.raises(NotAllowed):
        svc.update_activity(session, actor=people["author"], activity_id=elsewhere,
                            data=_update(current, activity_date="2025-06-30"))
    # another incubator's same quarter stays open
    f.activity(session, by=f.ADMIN, incubator="KURZEME", status="draft",
               activity_date="2025-04-02")


def test_one_closure_in_force_per_quarter(session: Session) -> None:
    _close(session)
    # the partial unique index refuses a second closure in force, on either database
    with pytest.raises(IntegrityError), session.begin_nested():
        _close(session)


STEPS_BY_STATUS: Callable[[str], frozenset[Step]] = lambda status: review.allowed_steps(  # noqa: E731
    Actor(user_id=1, email="a@b.lv", role=Role.STAFF, incubator_id=1), incubator_id=1,
    status=status, author_id=1, closed=False)


def test_attach_follows_edit() -> None:
    """Evidence can be added exactly when the activity can be edited."""
    for status in STATUSES:
        steps = STEPS_BY_STATUS(status)
        assert (Step.ATTACH in steps) == (Step.EDIT in steps), status


def test_open_quarters_make_figures_provisional(session: Session) -> None:
    vidzeme, latgale = f.incubator_id(session, "VIDZEME"), f.incubator_id(session, "LATGALE")
    _close(session, "VIDZEME", 2025, 1)
    _close(session, "VIDZEME", 2025, 2)
    found = quarters.open_quarters(session, incubator_ids=[vidzeme, latgale],
                                 date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31),
                                 today=dt.date(2025, 8, 1))
    # Q4 has not begun by 1 August; Vidzeme's Q1 and Q2 are closed
    assert set(found) == {(latgale, 2025, 1), (latgale, 2025, 2), (vidzeme, 2025, 3),
                          (latgale, 2025, 3)}
    assert len(found) == 4
    assert quarters.open_quarters(session, incubator_ids=[vidzeme], date_from=dt.date(2025, 2, 1),
                                date_to=dt.date(2025, 6, 30), today=dt.date(2025, 8, 1)) == []


def test_dashboards_count_by_status(session: Session) -> None:
    """Funders count approved activities only; managers approved and submitted, or approved
    only on request; drafts and returned ones count for nobody (start page included)."""
    from tracker.analytics import Filters, indicator_progress
    from tracker.services.start_page import summary as start_page

    people = _actors(session)
    for status in STATUSES:
        _activity_in(session, people["author"], status)

    def consultations(actor: Actor, filters: Filters) -> int:
        found = {p.code: p for p in indicator_progress(session, actor=actor, filters=filters,
                                                       year=2025)}
        return int(found["CONSULTATIONS"].actual or 0)

    assert consultations(people["funder"], Filters()) == 1
    assert consultations(people["funder"], Filters(include_submitted=True)) == 1
    assert consultations(people["manager"], Filters()) == 2
    assert consultations(people["manager"], Filters(include_submitted=False)) == 1
    assert start_page(session, actor=people["funder"]).activities == 1
    assert start_page(session, actor=people["manager"]).activities == 2


def test_funder_report_marks_each_quarter_closed_or_provisional(session: Session) -> None:
    import io

    import openpyxl

    from tracker import reports
    from tracker.analytics import Filters

    people = _actors(session)
    for day in (dt.date(2025, 5, 14), dt.date(2025, 8, 14)):
        _activity_in(session, people["author"], "approved", day)
    _close(session, "VIDZEME", 2025, 2)
    data = reports.funder_report(session, actor=people["funder"], filters=Filters(),
                                 lang="en", today=dt.date(2025, 9, 1), with_charts=False)
    book = openpyxl.load_workbook(io.BytesIO(data))
    rows = [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    header = next(r for r in rows if r and "Figures" in r)
    at = header.index("Figures")
    marks = {(r[0], r[1], r[2]): r[at] for r in rows
             if r and len(r) > at and r[2] == "VIDZEME" and isinstance(r[0], int | float)}
    assert marks == {(2025, 2, "VIDZEME"): "closed quarter",
                     (2025, 3, "VIDZEME"): "provisional"}
    notes = [c for r in rows for c in r if isinstance(c, str) and c.startswith("Provisional")]
    assert notes and "VIDZEME 2025 Q3" in notes[0] and "VIDZEME 2025 Q2" not in notes[0]


def test_quarter_grid_agrees_with_quarter_state(session: Session) -> None:
    """The quarters page's grid (one grouped count) says of every cell what quarter_state says
    of it alone."""
    people = _actors(session)
    manager = people["manager"]
    for status, day in (("submitted", DAY), ("draft", DAY), ("approved", dt.date(2025, 2, 3)),
                        ("returned", dt.date(2025, 8, 1)), ("approved", dt.date(2025, 8, 2))):
        _activity_in(session, people["author"], status, day)
    gone = _activity_in(session, people["author"], "draft", dt.date(2025, 11, 5))
    session.execute(update(Activity).where(Activity.id == gone).values(
        deleted_at=dt.datetime(2025, 11, 6, tzinfo=dt.UTC)))
    f.activity(session, by=f.ADMIN, incubator="KURZEME", status="submitted",
               activity_date="2025-03-03")
    _close(session, "VIDZEME", 2025, 1)
    ids = (f.incubator_id(session, "VIDZEME"), f.incubator_id(session, "KURZEME"))
    today = dt.date(2025, 9, 15)
    grid = quarters.quarter_grid(session, actor=manager, incubator_ids=ids,
                               first=dt.date(2025, 1, 1), last=dt.date(2025, 12, 31),
                               today=today)
    assert len(grid) == 2 * 4
    for (inc, year, quarter), cell in grid.items():
        alone = quarters.quarter_state(session, actor=manager, incubator_id=inc, year=year,
                                     quarter=quarter, today=today)
        assert (cell.closed, cell.ended, cell.blocking) == (
            alone.closure is not None, alone.ended, len(alone.blockers)), (inc, year, quarter)
    assert grid[(ids[0], 2025, 2)].blocking == 2 and grid[(ids[0], 2025, 3)].blocking == 1
    assert grid[(ids[0], 2025, 1)].closed and grid[(ids[1], 2025, 1)].blocking == 1
    assert grid[(ids[0], 2025, 4)].blocking == 0  # the deleted draft does not block
    with pytest.raises(PermissionDenied):
        quarters.quarter_grid(session, actor=people["author"], incubator_ids=ids,
                            first=dt.date(2025, 1, 1), last=dt.date(2025, 12, 31))


@pytest.mark.parametrize("today", [dt.date.min, dt.date(1, 1, 7), dt.date.max])
def test_the_inbox_on_any_day(session: Session, today: dt.date) -> None:
    author = f.actor(session, Role.STAFF, "VIDZEME")
    _activity_in(session, author, "draft")
    stale = review.inbox(session, actor=author, today=today).stale_drafts
    assert len(stale) == (1 if today == dt.date.max else 0)  # no week before 8 January 1


def test_the_last_quarter_of_the_calendar(session: Session) -> None:
    assert quarters.quarter_bounds(9999, 4) == (dt.date(9999, 10, 1), dt.date(9999, 12, 31))
    assert quarters.quarter_bounds(2024, 4) == (dt.date(2024, 10, 1), dt.date(2024, 12, 31))
    vidzeme = f.incubator_id(session, "VIDZEME")
    grid = quarters.quarter_grid(session, actor=f.ADMIN, incubator_ids=(vidzeme,),
                               first=dt.date(9999, 7, 1), last=dt.date.max)
    assert sorted(grid) == [(vidzeme, 9999, 3), (vidzeme, 9999, 4)]
    assert not grid[(vidzeme, 9999, 4)].ended


@pytest.mark.parametrize("text", ["Pielikt\x00sarakstu", "\x1b[31m"])
def test_a_comment_or_reason_with_control_characters_is_refused(session: Session,
                                                                text: str) -> None:
    people = _actors(session)
    activity_id = _activity_in(session, people["author"], "submitted")
    with pytest.raises(ValidationFailed) as refused:  # (PostgreSQL refuses NUL in a text)
        review.return_activity(session, actor=people["manager"], activity_id=activity_id,
                               version=_version(session, activity_id), comment=text)
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("review_comment", "control_characters")]
    _close(session, quarter=1)
    with pytest.raises(ValidationFailed) as refused:
        quarters.reopen_quarter(session, actor=people["admin"],
                              incubator_id=f.incubator_id(session, "VIDZEME"), year=2025,
                              quarter=1, reason=text)
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("reopen_reason", "control_characters")]
    returned = review.return_activity(  # a comment of several lines is fine
        session, actor=people["manager"], activity_id=activity_id,
        version=_version(session, activity_id), comment="Pielikt:\r\n\tsarakstu")
    assert returned == _version(session, activity_id)


@pytest.mark.parametrize("huge", [2**31, 2**63, 2**70, -(2**70)])
def test_an_id_beyond_the_integer_range_is_not_found(session: Session, huge: int) -> None:
    for step in (review.submit_activity, review.approve_activity):
        with pytest.raises(NotFound):
            step(session, actor=f.ADMIN, activity_id=huge, version=1)
    with pytest.raises(NotFound):
        review.steps_for(session, f.ADMIN, huge)
    with pytest.raises(NotFound):
        quarters.quarter_state(session, actor=f.ADMIN, incubator_id=huge, year=2025, quarter=1)
    with pytest.raises(NotAllowed) as refused:
        quarters.reopen_quarter(session, actor=f.ADMIN, incubator_id=huge, year=2025,
                              quarter=1, reason="Kļūda")
    assert refused.value.reason == "quarter_not_closed"
    _close(session, quarter=1)
    assert quarters.list_closures(session, actor=f.ADMIN, incubator_id=huge) == []
    grid = quarters.quarter_grid(session, actor=f.ADMIN, incubator_ids=(huge,),
                               first=dt.date(2025, 1, 1), last=dt.date(2025, 3, 31))
    assert not grid[(huge, 2025, 1)].closed


def test_an_approved_activity_goes_back_for_correction_once_its_quarter_is_reopened(
        session: Session) -> None:
    """Closed: returning an approved activity is refused with the reason. Reopened: a manager
    returns it with a comment (audited), it leaves the approved numbers, the author fixes and
    resubmits, and the next approval counts it again (rollups kept by the triggers)."""
    from tracker.analytics import Filters, indicator_progress, rollups

    people = _actors(session)
    manager, admin, staff = people["manager"], people["admin"], people["author"]
    vidzeme = f.incubator_id(session, "VIDZEME")
    activity_id = _activity_in(session, staff, "approved")

    def approved_consultations() -> int:
        found = {p.code: p for p in indicator_progress(
            session, actor=people["funder"], filters=Filters(incubator_id=vidzeme), year=2025)}
        return int(found["CONSULTATIONS"].actual or 0)

    assert approved_consultations() == 1
    quarters.close_quarter(session, actor=manager, incubator_id=vidzeme, year=2025, quarter=2,
                         today=AFTER_Q2)
    assert Step.RETURN not in review.steps_for(session, manager, activity_id)
    version = _version(session, activity_id)
    with pytest.raises(NotAllowed) as closed:
        review.return_activity(session, actor=manager, activity_id=activity_id,
                               version=version, comment="Stundu skaits nav pareizs")
    assert closed.value.reason == "quarter_closed" and "2025 Q2" in closed.value.message("lv")
    assert _version(session, activity_id) == version
    quarters.reopen_quarter(session, actor=admin, incubator_id=vidzeme, year=2025, quarter=2,
                          reason="Auditors atrada kļūdu stundās")
    assert review.steps_for(session, manager, activity_id) == {Step.RETURN}
    assert review.steps_for(session, staff, activity_id) == frozenset()
    with pytest.raises(ValidationFailed):
        review.return_activity(session, actor=manager, activity_id=activity_id,
                               version=version, comment=" ")
    version = review.return_activity(session, actor=manager, activity_id=activity_id,
                                     version=version, comment="Stundu skaits nav pareizs")
    returned = svc.get_activity(session, actor=staff, activity_id=activity_id)
    assert returned.status is ActivityStatus.RETURNED
    assert returned.review_comment == "Stundu skaits nav pareizs"
    assert approved_consultations() == 0
    trail = session.execute(select(AuditLog.before, AuditLog.after, AuditLog.actor_email).where(
        AuditLog.entity == "activity", AuditLog.entity_id == activity_id,
        AuditLog.action == "status").order_by(AuditLog.id.desc())).first()
    assert trail is not None
    assert trail[0]["status"] == "approved" and trail[1]["status"] == "returned"
    assert trail[1]["step"] == "return" and trail[2] == manager.email
    fixed = _take(session, staff, Step.EDIT, activity_id)
    version = review.submit_activity(session, actor=staff, activity_id=activity_id,
                                     version=fixed.version)
    assert approved_consultations() == 0
    review.approve_activity(session, actor=admin, activity_id=activity_id, version=version)
    assert approved_consultations() == 1
    assert rollups.differences(session) == {
        "activity_rollup": 0, "area_rollup": 0, "organization_rollup": 0,
        "trained_people": 0}


# The review table ------------------------------------------------------------------------------

def _submitted(session: Session, by: Actor, incubator: str, title: str, day: str,
               waiting_since: dt.datetime, **fields: Any) -> int:
    saved = f.activity(session, by=by, incubator=incubator, title=title, activity_date=day,
                       **fields)
    session.execute(update(Activity).where(Activity.id == saved.id).values(
        submitted_at=waiting_since))
    session.expire_all()
    return saved.id


def test_the_review_table_sorts_filters_and_pages_in_sql(session: Session) -> None:
    from tests.tracker.test_attachments import pdf
    from tracker.services import attachments, review_queue

    people = _actors(session)
    kurzeme = f.actor(session, Role.STAFF, "KURZEME")
    old = dt.datetime(2025, 5, 1, 9, tzinfo=dt.UTC)
    ids = {
        "a": _submitted(session, people["author"], "VIDZEME", "Alfa", "2025-05-02",
                        old + dt.timedelta(days=3)),
        "b": _submitted(session, kurzeme, "KURZEME", "Beta", "2025-05-03", old,
                        type="training"),
        "c": _submitted(session, people["colleague"], "VIDZEME", "Cēsis", "2025-05-01",
                        old + dt.timedelta(days=1)),
    }
    attachments.add_attachment(session, actor=people["admin"], activity_id=ids["c"],
                               file_name="saraksts.pdf", data=pdf())
    _activity_in(session, people["author"], "draft")
    _activity_in(session, people["author"], "approved")
    manager = people["manager"]

    def titles(**filters: Any) -> list[str]:
        return [i.title for i in review_queue.review_queue(session, actor=manager,
                                                            **filters).items]

    assert titles() == ["Beta", "Cēsis", "Alfa"]  # longest waiting first
    assert titles(descending=True) == ["Alfa", "Cēsis", "Beta"]
    assert titles(sort="date") == ["Cēsis", "Alfa", "Beta"]
    assert titles(sort="evidence", descending=True)[0] == "Cēsis"
    assert titles(incubator_id=f.incubator_id(session, "VIDZEME")) == ["Cēsis", "Alfa"]
    assert titles(activity_type="training") == ["Beta"]
    assert titles(author_email=people["colleague"].email.upper()) == ["Cēsis"]
    assert titles(evidence=True) == ["Cēsis"] and titles(evidence=False) == ["Beta", "Alfa"]
    page = review_queue.review_queue(session, actor=manager, limit=2, offset=2)
    assert page.total == 3 and [i.title for i in page.items] == ["Alfa"]
    item = review_queue.review_queue(session, actor=manager, evidence=True).items[0]
    assert (item.evidence, item.incubator_code, item.author_email, item.closed) == (
        1, "VIDZEME", people["colleague"].email, False)
    assert item.waiting_since is not None
    assert [i.status for i in review_queue.review_queue(
        session, actor=manager, approved=True).items] == [ActivityStatus.APPROVED]
    for who in ("author", "funder"):
        with pytest.raises(PermissionDenied):
            review_queue.review_queue(session, actor=people[who])
    bads: list[dict[str, Any]] = [{"sort": "title; drop"}, {"activity_type": "party"},
                                  {"author_email": "a\x00b"}]
    for bad in bads:
        with pytest.raises(ValidationFailed) as caught:
            review_queue.review_queue(session, actor=manager, **bad)
        assert [e.field for e in caught.value.errors] == list(bad)


def test_approving_a_batch_skips_what_cannot_be_approved_and_says_why(
        session: Session) -> None:
    from tracker.services import review_queue

    people = _actors(session)
    manager = people["manager"]
    fine = _activity_in(session, people["author"], "submitted")
    also_fine = _activity_in(session, people["colleague"], "submitted", dt.date(2025, 8, 4))
    own = _activity_in(session, manager, "submitted", dt.date(2025, 8, 5))
    done = _activity_in(session, people["author"], "approved", dt.date(2025, 8, 6))
    closed = _activity_in(session, people["author"], "submitted", dt.date(2025, 1, 15))
    stale = _activity_in(session, people["author"], "submitted", dt.date(2025, 8, 7))
    _close(session, "VIDZEME", 2025, 1)
    versions = {i: _version(session, i) for i in (fine, also_fine, own, done, closed, stale)}
    versions[stale] -= 1  # someone changed it after the manager saw it
    result = review_queue.approve_activities(
        session, actor=manager, activity_ids=[fine, own, done, closed, also_fine, stale, fine,
                                              10**6],
        versions=versions)
    assert result.approved == [fine, also_fine]
    reasons = {s.activity_id: s for s in result.skipped}
    assert list(reasons) == [own, done, closed, stale, 10**6]
    assert "Savu" in reasons[own].reason_lv and "own" in reasons[own].reason_en
    assert "2025 Q1" in reasons[closed].reason_lv and "2025 Q1" in reasons[closed].reason_en
    assert reasons[done].reason_lv != reasons[done].reason_en
    assert reasons[own].title
    session.expire_all()
    statuses = dict(session.execute(select(Activity.id, Activity.status)).all())
    assert (statuses[fine], statuses[also_fine]) == ("approved", "approved")
    assert (statuses[own], statuses[closed], statuses[stale]) == ("submitted",) * 3
    audited = session.scalars(select(AuditLog.entity_id).where(
        AuditLog.entity == "activity", AuditLog.action == "status",
        AuditLog.actor_email == manager.email).order_by(AuditLog.id)).all()
    assert audited == [fine, also_fine]
    for who in ("author", "funder"):
        with pytest.raises(PermissionDenied):
            review_queue.approve_activities(session, actor=people[who], activity_ids=[own])
    with pytest.raises(ValidationFailed):
        review_queue.approve_activities(session, actor=manager,
                                        activity_ids=list(range(1, 1002)))
