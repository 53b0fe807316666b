"""The Import and export page with people: the kind and its columns are offered, and every
export of people made there writes its audit row (who, how many), as the command line's does."""

from __future__ import annotations

from sqlalchemy import select

from db.enums import AuditAction, Role
from db.models import AuditLog, Incubator
from tests.dashboards.conftest import ACCOUNTS, page, sign_in
from tracker.auth import Actor
from tracker.database import session_scope
from tracker.schemas import PersonCreate, parse
from tracker.services import people


def test_staff_export_people_on_the_page_and_it_is_audited(app_db: str) -> None:
    with session_scope() as session:
        for ref, code in (("V-1", "VIDZEME"), ("L-1", "LATGALE")):
            people.create_person(session, actor=Actor.system(), data=parse(PersonCreate, {
                "incubator_id": session.scalar(select(Incubator.id).where(
                    Incubator.code == code)),
                "ref": ref, "first_name": "Ilze", "last_name": "Kalniņa",
                "consent_date": "2025-03-01"}))
    at = sign_in(Role.STAFF, "en")
    at.switch_page(page("imports.py")).run()
    at.selectbox(key="im_kind").set_value("people").run()
    assert not at.exception, at.exception
    assert "personal_code" in set(at.dataframe[0].value.iloc[:, 0])
    assert any("every export is written to the audit log" in c.value for c in at.caption)

    at.button(key="im_export_prepare").click().run()
    assert not at.exception, at.exception
    assert any(c.value.startswith("People: ") and " 1" in c.value for c in at.caption)
    with session_scope(readonly=True) as session:
        audited = [(a.actor_email, a.after) for a in session.scalars(select(AuditLog).where(
            AuditLog.action == AuditAction.EXPORT.value, AuditLog.entity == "person"))]
    assert audited == [(ACCOUNTS[Role.STAFF][0],
                        {"kind": "people", "rows": 1, "with_codes": False})]
