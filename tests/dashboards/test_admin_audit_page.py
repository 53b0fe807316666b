"""The administrators' audit log page: newest first, a download of evidence shows with who and
which file, filters and paging; other roles cannot open it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.enums import Role
from db.models import User
from tests import factories
from tests.dashboards.conftest import ACCOUNTS, page, sign_in
from tests.tracker.test_attachments import pdf
from tracker.auth import Actor
from tracker.database import session_scope
from tracker.services import attachments


def _actor(role: Role) -> Actor:
    with session_scope() as session:
        user = session.scalars(select(User).where(User.email == ACCOUNTS[role][0])).one()
        return Actor(user_id=user.id, email=user.email, role=role,
                     incubator_id=user.incubator_id)


def test_a_download_shows_in_the_audit_log(app_db: str) -> None:
    staff, manager = _actor(Role.STAFF), _actor(Role.MANAGER)
    with session_scope() as session:
        draft = factories.activity(session, by=staff, status="draft")
        read = attachments.add_attachment(session, actor=staff, activity_id=draft.id,
                                          file_name="dalībnieki.pdf", data=pdf())
    with session_scope() as session:
        attachments.attachment_content(session, actor=manager, attachment_id=read.id)
    at = sign_in(Role.ADMIN)
    at.switch_page(page("admin_audit.py")).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Audita žurnāls"
    table = at.dataframe[0].value
    assert list(table.columns) == ["at", "who", "action", "entity", "id"]
    newest = table.iloc[0]  # the admin's own sign-in came after the download
    assert newest["action"] == "pieteikšanās"
    at.selectbox(key="audit_action").set_value("download").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["who"], row["action"], row["entity"], row["id"]) == (
        manager.email, "lejupielāde", "pierādījuma fails", read.id)
    assert "Atrasti ieraksti: 1." in at.caption[-1].value or any(
        "Atrasti ieraksti: 1." in c.value for c in at.caption)
    shown = "\n".join(c.value for c in at.code)
    assert '"file_name": "dalībnieki.pdf"' in shown
    # by who, and in English
    at.selectbox(key="audit_action").set_value(None).run()
    at.text_input(key="audit_who").input("STAFF@").run()
    assert set(at.dataframe[0].value["who"]) == {staff.email}


def test_bad_dates_are_a_message_not_a_crash(app_db: str) -> None:
    import datetime as dt

    at = sign_in(Role.ADMIN, lang="en")
    at.switch_page(page("admin_audit.py")).run()
    at.date_input(key="audit_since").set_value(dt.date(2025, 5, 2)).run()
    at.date_input(key="audit_until").set_value(dt.date(2025, 5, 1)).run()
    assert not at.exception, at.exception
    assert any("To:" in e.value for e in at.error), [e.value for e in at.error]
    assert not at.dataframe


def test_paging(app_db: str) -> None:
    staff = _actor(Role.STAFF)
    with session_scope() as session:
        draft = factories.activity(session, by=staff, status="draft")
        read = attachments.add_attachment(session, actor=staff, activity_id=draft.id,
                                          file_name="saraksts.pdf", data=pdf())
        for _ in range(55):
            attachments.attachment_content(session, actor=staff, attachment_id=read.id)
    at = sign_in(Role.ADMIN)
    at.switch_page(page("admin_audit.py")).run()
    at.selectbox(key="audit_action").set_value("download").run()
    assert len(at.dataframe[0].value) == 50
    at.number_input(key="audit_page").set_value(2).run()
    assert not at.exception, at.exception
    assert len(at.dataframe[0].value) == 5


@pytest.mark.parametrize("role", [Role.MANAGER, Role.STAFF, Role.FUNDER])
def test_only_administrators_open_it(app_db: str, role: Role) -> None:
    at = sign_in(role)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page("admin_audit.py"))
