"""Start-page and per-incubator totals: SQL aggregates, scoped by role and status."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from db.enums import Role
from tests import factories as f
from tracker.analytics import Filters
from tracker.analytics.regions import incubator_totals
from tracker.services import activities, start_page


def _data(session: Session) -> tuple[int, int]:
    a, b = f.organization(session), f.organization(session)
    f.activity(session, incubator="VIDZEME", status="submitted", hours="2", total_participants=6,
               participations=[{"organization_id": a.id, "attendees": 2},
                               {"organization_id": b.id, "attendees": 3}])
    f.activity(session, incubator="VIDZEME", status="approved", hours="1.5",
               total_participants=1, participations=[{"organization_id": a.id, "attendees": 1}])
    f.activity(session, incubator="LATGALE", status="approved", total_participants=4,
               participations=[{"organization_id": b.id, "attendees": 4}])
    gone = f.activity(session, incubator="LATGALE", status="submitted", total_participants=9,
                      participations=[{"organization_id": a.id, "attendees": 9}])
    activities.delete_activity(session, actor=f.ADMIN, activity_id=gone.id, version=1)
    return a.id, b.id


def test_incubator_totals_for_managers(session: Session) -> None:
    _data(session)
    rows = {r.code: r for r in incubator_totals(
        session, actor=f.actor(session, Role.MANAGER), filters=Filters())}
    assert (rows["VIDZEME"].activities, rows["VIDZEME"].hours,
            rows["VIDZEME"].organizations_supported, rows["VIDZEME"].attendees) == (2, 3.5, 2, 6)
    assert (rows["LATGALE"].activities, rows["LATGALE"].attendees) == (1, 4)  # deleted one out
    assert (rows["KURZEME"].activities, rows["KURZEME"].attendees) == (0, 0)


def test_funders_count_approved_activities_only(session: Session) -> None:
    _data(session)
    rows = {r.code: r for r in incubator_totals(
        session, actor=f.actor(session, Role.FUNDER), filters=Filters())}
    assert (rows["VIDZEME"].activities, rows["VIDZEME"].organizations_supported,
            rows["VIDZEME"].attendees) == (1, 1, 1)


def test_start_page_is_scoped_to_the_staff_incubator(session: Session) -> None:
    _data(session)
    staff = start_page.summary(session, actor=f.actor(session, Role.STAFF, "LATGALE"),
                                today=dt.date(2025, 6, 1))
    assert (staff.activities, staff.organizations_supported, staff.attendees) == (1, 1, 4)
    assert staff.incubator_name("lv") == "Latgales NVO reģionālais inkubators"
    manager = start_page.summary(session, actor=f.actor(session, Role.MANAGER))
    assert (manager.activities, manager.organizations_supported, manager.attendees) == \
        (3, 2, 10)
    funder = start_page.summary(session, actor=f.actor(session, Role.FUNDER))
    assert (funder.activities, funder.attendees, funder.recent) == (2, 5, [])
