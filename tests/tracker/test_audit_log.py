"""The audit log for administrators: newest first, filtered by entity, action, who and dates,
paged in SQL; staff, funders and managers are refused (both databases)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from db.enums import AuditAction, Role
from db.models import AuditLog
from tests import factories as f
from tracker import audit
from tracker.errors import PermissionDenied, ValidationFailed
from tracker.services import attachments, audit_log

from .test_attachments import pdf


def _entry(session: Session, who: str, entity: str, action: AuditAction, at: dt.datetime,
           entity_id: int = 1) -> None:
    actor = f.actor(session, Role.STAFF)
    actor = type(actor)(user_id=actor.user_id, email=who, role=actor.role,
                        incubator_id=actor.incubator_id)
    audit.record(session, actor, entity=entity, entity_id=entity_id, action=action,
                 before={"title": "Vecais"}, after={"title": "Jaunais"})
    session.flush()
    session.execute(update(AuditLog).where(AuditLog.id == session.query(AuditLog.id)
                                           .order_by(AuditLog.id.desc()).limit(1)
                                           .scalar_subquery()).values(at=at))


def _moment(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2031, 3, day, hour, tzinfo=dt.UTC)  # after anything the setup wrote


def test_newest_first_filters_and_pages(session: Session) -> None:
    admin = f.actor(session, Role.ADMIN)
    with audit.redaction(session):  # test setup: the entries' times are set by hand
        _entry(session, "anna@inkubators.lv", "activity", AuditAction.UPDATE, _moment(1))
        _entry(session, "janis@inkubators.lv", "activity", AuditAction.STATUS, _moment(2))
        _entry(session, "anna@inkubators.lv", "organization", AuditAction.CREATE, _moment(3))
        # 4 March 00:30 in Riga is still 3 March in UTC
        _entry(session, "Anna@Inkubators.lv", "attachment", AuditAction.DOWNLOAD,
               dt.datetime(2031, 3, 3, 22, 30, tzinfo=dt.UTC))
    since = dt.date(2031, 3, 1)
    page = audit_log.list_audit(session, actor=admin, since=since)
    assert page.total == 4
    assert [e.action for e in page.items] == ["download", "create", "status", "update"]
    assert page.items[0].after == {"title": "Jaunais"} and page.items[0].before == {
        "title": "Vecais"}
    assert page.items[0].at > page.items[1].at
    activity = audit_log.list_audit(session, actor=admin, entity="activity", since=since)
    assert [e.action for e in activity.items] == ["status", "update"] and activity.total == 2
    assert audit_log.list_audit(session, actor=admin, action="download", since=since).total == 1
    anna = audit_log.list_audit(session, actor=admin, user_email="ANNA@", since=since)
    assert anna.total == 3
    assert audit_log.list_audit(session, actor=admin, user_email="%", since=since).total == 0
    one_day = audit_log.list_audit(session, actor=admin, since=dt.date(2031, 3, 4),
                                   until=dt.date(2031, 3, 4))
    assert [e.action for e in one_day.items] == ["download"]
    upto = audit_log.list_audit(session, actor=admin, since=since, until=dt.date(2031, 3, 2))
    assert [e.action for e in upto.items] == ["status", "update"]
    first = audit_log.list_audit(session, actor=admin, since=since, limit=3)
    second = audit_log.list_audit(session, actor=admin, since=since, limit=3, offset=3)
    assert (first.total, second.total) == (4, 4)
    assert [e.id for e in first.items + second.items] == [e.id for e in page.items]
    assert len(second.items) == 1


def test_a_download_shows_in_the_log(session: Session) -> None:
    staff = f.actor(session, Role.STAFF)
    draft = f.activity(session, by=staff, status="draft")
    read = attachments.add_attachment(session, actor=staff, activity_id=draft.id,
                                      file_name="saraksts.pdf", data=pdf())
    manager = f.actor(session, Role.MANAGER)
    attachments.attachment_content(session, actor=manager, attachment_id=read.id)
    found = audit_log.list_audit(session, actor=f.actor(session, Role.ADMIN),
                                 action="download", user_email=manager.email)
    assert found.total == 1
    entry = found.items[0]
    assert (entry.entity, entry.entity_id, entry.actor_email) == (
        "attachment", read.id, manager.email)
    assert entry.after is not None and entry.after["file_name"] == "saraksts.pdf"


@pytest.mark.parametrize("role", [Role.MANAGER, Role.STAFF, Role.FUNDER])
def test_only_administrators_read_the_log(session: Session, role: Role) -> None:
    with pytest.raises(PermissionDenied):
        audit_log.list_audit(session, actor=f.actor(session, role))


@pytest.mark.parametrize(("arguments", "field"), [
    ({"since": dt.date(2025, 5, 2), "until": dt.date(2025, 5, 1)}, "until"),
    ({"action": "erase"}, "action"),
    ({"entity": "x" * 41}, "entity"),
    ({"entity": "activity\x00"}, "entity"),
    ({"user_email": "a\x00@b.lv"}, "user_email"),
    ({"user_email": "a" * 255}, "user_email"),
])
def test_bad_filters_name_the_field(session: Session, arguments: dict[str, Any],
                                    field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        audit_log.list_audit(session, actor=f.actor(session, Role.ADMIN), **arguments)
    assert [e.field for e in caught.value.errors] == [field]
    assert caught.value.message("lv") != caught.value.message("en")


@pytest.mark.parametrize("day", [dt.date.min, dt.date.max])
def test_the_ends_of_the_calendar(session: Session, day: dt.date) -> None:
    admin = f.actor(session, Role.ADMIN)
    assert audit_log.list_audit(session, actor=admin, since=day, until=day).total >= 0
    assert audit_log.list_audit(session, actor=admin, since=dt.date.min,
                                until=dt.date.max, limit=10**12, offset=-5).total >= 0
