"""A contact person's data: everything stored about them, exported, then erased everywhere;
the organisations, their activities and the dashboards' numbers stay (both databases)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import Role
from db.models import AuditLog, FormDraft, Organization
from tests import factories as f
from tests.cli import database_with, run
from tracker.analytics import Filters
from tracker.analytics.overview import comparable, overview_numbers
from tracker.errors import PermissionDenied, ValidationFailed
from tracker.schemas import OrganizationUpdate
from tracker.services import form_drafts, organizations, personal_data

EMAIL = "Ilze.Contact@Biedriba.lv"


def _world(session: Session) -> dict[str, int]:
    kept = f.organization(session, contact_name="Ilze Kontakte", contact_email=EMAIL,
                          contact_phone="+371 20000000")
    other = f.organization(session, contact_name="Cits Cilvēks",
                           contact_email="cits@biedriba.lv")
    organizations.update_organization(session, actor=f.ADMIN, organization_id=kept.id,
                                      data=OrganizationUpdate.model_validate({
                                          "name": kept.name, "version": kept.version,
                                          "municipality_atvk": "0054000", "members": 12,
                                          "contact_name": "Ilze Kontakte",
                                          "contact_email": EMAIL,
                                          "contact_phone": "+371 20000000"}))
    f.activity(session, status="approved", participations=[
        {"organization_id": kept.id, "attendees": 2},
        {"organization_id": other.id, "attendees": 1}])
    staff = f.actor(session, Role.STAFF)
    form_drafts.keep(session, actor=staff, form="activity",
                     payload={"note": f"zvanīt {EMAIL.lower()}"})
    return {"kept": kept.id, "other": other.id}


def _numbers(session: Session) -> dict[str, object]:
    return comparable(overview_numbers(session, actor=f.actor(session, Role.MANAGER),
                                       filters=Filters(), year=2025, people=True))


def test_export_then_erase_everything_stored_about_one_contact_person(
        session: Session) -> None:
    ids = _world(session)
    before = _numbers(session)

    found = personal_data.export_contact(session, actor=f.ADMIN, email=EMAIL)

    assert found.email == EMAIL.lower()
    assert [o["id"] for o in found.organizations] == [ids["kept"]]
    assert found.organizations[0]["contact_phone"] == "+371 20000000"
    assert len(found.audit_entries) == 2  # created, then updated
    assert len(found.kept_forms) == 1
    assert "Ilze Kontakte" in found.as_json() and "cits@biedriba.lv" not in found.as_json()

    erased = personal_data.erase_contact(session, actor=f.ADMIN, email=EMAIL.upper())

    assert (erased.organizations, erased.audit_entries, erased.kept_forms) == (1, 2, 1)
    kept = session.get(Organization, ids["kept"])
    assert kept is not None and kept.deleted_at is None and kept.members == 12
    assert (kept.contact_name, kept.contact_email, kept.contact_phone) == (None, None, None)
    stored = json.dumps([[e.before, e.after] for e in session.scalars(select(AuditLog))],
                        ensure_ascii=False)
    assert "Ilze" not in stored and EMAIL.lower() not in stored and "20000000" not in stored
    assert "cits@biedriba.lv" in stored  # the other contact person is untouched
    assert session.scalar(select(FormDraft)) is None
    assert not personal_data.export_contact(session, actor=f.ADMIN, email=EMAIL).found
    assert _numbers(session) == before  # the statistics stay
    # the erasure is audited, without the data it erased
    steps = list(session.scalars(select(AuditLog).where(AuditLog.entity == "personal_data")
                                 .order_by(AuditLog.id)))
    assert [(e.action, (e.after or {})["step"]) for e in steps] == [
        ("status", "export"), ("delete", "erase"), ("status", "export")]
    assert EMAIL.lower() not in json.dumps([e.after for e in steps])


@pytest.mark.parametrize("role", [Role.MANAGER, Role.STAFF, Role.FUNDER])
def test_only_administrators_export_or_erase(session: Session, role: Role) -> None:
    _world(session)
    for step in (personal_data.export_contact, personal_data.erase_contact):
        with pytest.raises(PermissionDenied):
            step(session, actor=f.actor(session, role), email=EMAIL)
    assert session.scalar(select(Organization.contact_email).where(
        Organization.contact_email == EMAIL.lower())) == EMAIL.lower()


def test_a_bad_address_names_the_field(session: Session) -> None:
    with pytest.raises(ValidationFailed) as failed:
        personal_data.export_contact(session, actor=f.ADMIN, email="nav adrese")
    assert failed.value.errors[0].field == "email"


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from database_with(tmp_path, monkeypatch, _world)


def test_cli_exports_asks_then_erases(cli_database: str, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "ilze.json"
    code, out, _ = run(capsys, "personal-data", "export", EMAIL, "-o", str(target))
    assert code == 0 and "1 organisations, 0 participants, 2 audit entries, 1 unsaved forms" in out
    assert json.loads(target.read_text())["organizations"][0]["contact_name"] == "Ilze Kontakte"

    code, _, err = run(capsys, "personal-data", "erase", EMAIL)
    assert code == 2 and "Run again with --yes" in err
    code, out, _ = run(capsys, "personal-data", "erase", EMAIL, "--yes")
    assert code == 0 and out.startswith(f"Erased {EMAIL.lower()}: 1 organisations")
    code, out, _ = run(capsys, "personal-data", "erase", EMAIL, "--yes")
    assert (code, out.strip()) == (0, f"Nothing is stored about {EMAIL.lower()}.")
