"""The whole verification round through the pages, as the two people do it: staff save a
draft and submit it; a manager returns it with a comment; staff fix and resubmit; the manager
approves; the quarter closes; after that the activity can no longer change. A reload of the
activities page returns to a draft being edited."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.enums import ActivityStatus, Role
from db.models import Activity, Incubator, PeriodClosure
from tests.dashboards.conftest import page, sign_in
from tests.dashboards.test_activities_page import SUBMIT, _fill
from tracker.auth import Actor
from tracker.database import session_scope
from tracker.errors import NotAllowed
from tracker.services import activities


def _on(role: Role, name: str, **query: str) -> AppTest:
    at = sign_in(role)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page(name)).run()
    assert not at.exception, at.exception
    return at


def _row(activity_id: int) -> Activity:
    with session_scope() as session:
        row = session.get(Activity, activity_id)
        assert row is not None
        session.expunge(row)
        return row


def test_submit_return_fix_approve_close_then_locked(app_db: str) -> None:
    staff = _on(Role.STAFF, "activities.py")
    _fill(staff, "Projektu pieteikumu darbnīca", total=6)
    staff.date_input(key="act_date").set_value(dt.date(2025, 5, 14))
    staff.radio(key="act_status").set_value(ActivityStatus.DRAFT)
    staff.button(key=SUBMIT).click().run()
    assert not staff.exception and not staff.error
    with session_scope() as session:
        activity_id = session.scalars(select(Activity.id)).one()
    assert _row(activity_id).status == "draft"

    # a reload (a new session with the same address) returns to the draft being edited
    staff.button(key=f"edit_{activity_id}").click().run()
    assert staff.query_params["edit"] == str(activity_id)
    reloaded = _on(Role.STAFF, "activities.py", edit=str(activity_id))
    assert reloaded.text_input(key="act_title").value == "Projektu pieteikumu darbnīca"
    assert reloaded.title[0].value == "Labot aktivitāti"

    staff = _on(Role.STAFF, "activities.py")
    staff.button(key=f"submit_{activity_id}").click().run()
    assert _row(activity_id).status == "submitted"

    manager = _on(Role.MANAGER, "review.py")
    manager.button(key=f"review_return_{activity_id}").click().run()
    manager.text_area(key=f"review_comment_{activity_id}").input("Pievienojiet dalībnieku "
                                                                   "sarakstu")
    manager.button(key=f"review_send_{activity_id}").click().run()
    assert not manager.exception and not manager.error
    row = _row(activity_id)
    assert (row.status, row.review_comment) == ("returned", "Pievienojiet dalībnieku sarakstu")

    staff = _on(Role.STAFF, "activities.py")
    assert any("Pievienojiet dalībnieku sarakstu" in c.value for c in staff.caption)
    staff.button(key=f"edit_{activity_id}").click().run()
    assert any("Pievienojiet dalībnieku sarakstu" in w.value for w in staff.warning)
    staff.text_input(key="act_title").input("Projektu pieteikumu darbnīca (ar sarakstu)")
    staff.button(key=SUBMIT).click().run()
    assert not staff.exception and not staff.error
    staff.button(key=f"submit_{activity_id}").click().run()
    row = _row(activity_id)
    assert (row.status, row.title) == ("submitted", "Projektu pieteikumu darbnīca (ar sarakstu)")

    manager = _on(Role.MANAGER, "review.py")
    manager.button(key=f"review_approve_{activity_id}").click().run()
    assert not manager.exception and not manager.error
    assert _row(activity_id).status == "approved"

    quarters = _on(Role.MANAGER, "quarters.py")
    with session_scope() as session:
        vidzeme = session.scalars(select(Incubator.id).where(Incubator.code == "VIDZEME")).one()
    quarters.selectbox(key="quarters_incubator").set_value(vidzeme)
    quarters.selectbox(key="quarters_quarter").set_value((2025, 2)).run()
    quarters.button(key="quarters_close").click().run()
    quarters.button(key="quarters_close_yes").click().run()
    assert not quarters.exception and not quarters.error
    with session_scope() as session:
        assert session.scalars(select(PeriodClosure.quarter).where(
            PeriodClosure.incubator_id == vidzeme, PeriodClosure.year == 2025)).all() == [2]

    # closed: the page offers nothing, and the service refuses an edit with the reason
    staff = _on(Role.STAFF, "activities.py")
    assert f"edit_{activity_id}" not in {b.key for b in staff.button}
    with session_scope() as session, pytest.raises(NotAllowed) as refused:
        current = activities.get_activity(session, actor=Actor.system(),
                                          activity_id=activity_id)
        activities.delete_activity(session, actor=Actor.system(), activity_id=activity_id,
                                   version=current.version)
    assert refused.value.reason == "quarter_closed"


def test_dashboards_count_by_status(app_db: str) -> None:
    """One Vidzeme activity in each status: a funder's regions page counts the approved one
    only; a manager's counts approved and submitted, or approved only with the box unticked
    (kept in the address); drafts and returned ones count for nobody."""
    from sqlalchemy import update

    from tests import factories as f

    with session_scope() as session:
        org = f.organization(session, municipality_atvk="0054000")
        for status in ("draft", "submitted", "returned", "approved"):
            saved = f.activity(session, incubator="VIDZEME", status="draft",
                               total_participants=2,
                               participations=[{"organization_id": org.id, "attendees": 2}])
            session.execute(update(Activity).where(Activity.id == saved.id).values(
                status=status))

    def vidzeme(at: AppTest) -> int:
        assert not at.exception, at.exception
        incubators = [d.value for d in at.dataframe][-1]
        row = incubators[incubators["Inkubators"] == "Vidzemes NVO reģionālais inkubators"]
        return int(row["Aktivitātes"].iloc[0])

    assert vidzeme(_on(Role.FUNDER, "regions.py")) == 1
    manager = _on(Role.MANAGER, "regions.py")
    assert vidzeme(manager) == 2
    assert any("iesniegtās (vēl neapstiprinātās)" in c.value for c in manager.caption)
    manager.checkbox(key="rg_submitted").uncheck().run()
    assert vidzeme(manager) == 1
    assert manager.query_params["submitted"] == "0"
    assert "Skaitītas tikai apstiprinātās aktivitātes." in [c.value for c in manager.caption]
