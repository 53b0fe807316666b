"""A participant's data under the GDPR: everything stored about them in one file (their
personal code in full: it is theirs), found by e-mail, INCUBATOR/REF or personal code; erasure
removes the identity everywhere and keeps every count (both databases, and the command line)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import Role
from db.models import AuditLog, Person
from tests import factories as f
from tests.cli import database_with, run
from tracker import personal_codes
from tracker.errors import PermissionDenied, ValidationFailed
from tracker.schemas import PersonCreate
from tracker.services import people, personal_data

EMAIL = "Ilze.Dalibniece@Example.lv"
CODE = "161175-19997"


def _world(session: Session) -> int:
    org = f.organization(session)
    person = people.create_person(session, actor=f.ADMIN, data=PersonCreate.model_validate({
        "incubator_id": f.incubator_id(session), "ref": "VID-P-0001", "first_name": "Ilze",
        "last_name": "Dalībniece", "personal_code": CODE, "email": EMAIL,
        "phone": "+371 20000002", "consent_date": "2025-03-01", "gender": "female",
        "employment_status": "employed",
        "memberships": [{"organization_id": org.id, "role": "leader"}]}))
    f.activity(session, type="training", status="approved", total_participants=2,
               participations=[{"organization_id": org.id, "attendees": 1}],
               attendees=[{"person_id": person.id}])
    return person.id


@pytest.mark.parametrize("who", [EMAIL, "vidzeme/VID-P-0001", "16117519997", CODE])
def test_one_file_holds_everything_about_the_participant(session: Session, who: str) -> None:
    person_id = _world(session)
    exported = (personal_data.export_contact(session, actor=f.ADMIN, email=who) if "@" in who
                else personal_data.export_person(session, actor=f.ADMIN, who=who))
    data = json.loads(exported.as_json())["people"]
    assert len(data) == 1
    record = data[0]
    assert (record["first_name"], record["personal_code"]) == ("Ilze", CODE)
    assert record["organizations"][0]["role"] == "leader"
    assert record["attended"][0]["type"] == "training"
    assert record["audit_log"][0]["action"] == "create"
    assert "personal_code_secret" not in record and "personal_code_match" not in record
    latest = session.scalars(select(AuditLog.after).where(
        AuditLog.entity == "personal_data").order_by(AuditLog.id.desc())).first()
    assert latest is not None and latest["people"] == [person_id]


def test_erasure_keeps_the_counts_and_removes_the_identity(session: Session) -> None:
    person_id = _world(session)
    assert personal_data.erase_person_data(session, actor=f.ADMIN, who="VIDZEME/VID-P-0001") == 1
    person = session.get(Person, person_id)
    assert person is not None and person.erased_at is not None
    assert (person.first_name, person.email, person.personal_code_secret) == (None, None, None)
    assert person.employment_status == "employed" and person.birth_year == 1975
    everything = json.dumps(personal_data.export_person(
        session, actor=f.ADMIN, who="VIDZEME/VID-P-0001").people, default=str)
    for secret in ("Ilze", "Dalībniece", "ilze.dalibniece", "20000002", "161175", "1975-11-16"):
        assert secret not in everything
    assert personal_data.export_person(session, actor=f.ADMIN, who=CODE).people == []


def test_erasing_a_contact_address_erases_the_participant_with_it(session: Session) -> None:
    person_id = _world(session)
    done = personal_data.erase_contact(session, actor=f.ADMIN, email=EMAIL)
    assert done.people == 1
    assert session.get(Person, person_id).erased_at is not None  # type: ignore[union-attr]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.STAFF, Role.FUNDER])
def test_only_administrators(session: Session, role: Role) -> None:
    _world(session)
    by = f.actor(session, role)
    with pytest.raises(PermissionDenied):
        personal_data.export_person(session, actor=by, who="VIDZEME/VID-P-0001")
    with pytest.raises(PermissionDenied):
        personal_data.erase_person_data(session, actor=by, who="VIDZEME/VID-P-0001")


@pytest.mark.parametrize("who", ["nobody", "12345", "40008000009"])
def test_something_that_names_nobody_is_refused_naming_it(session: Session, who: str) -> None:
    with pytest.raises(ValidationFailed) as failed:
        personal_data.export_person(session, actor=f.ADMIN, who=who)
    assert failed.value.errors[0].field == "who"


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from database_with(tmp_path, monkeypatch, _world)


def test_cli_exports_asks_then_erases_a_participant(cli_database: str, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "ilze.json"
    code, out, _ = run(capsys, "personal-data", "export", "VIDZEME/VID-P-0001", "-o",
                       str(target))
    assert code == 0 and "1 participants" in out
    assert json.loads(target.read_text())["people"][0]["personal_code"] == CODE
    code, _, err = run(capsys, "personal-data", "erase", CODE)
    assert code == 2 and "Run again with --yes" in err
    code, out, _ = run(capsys, "personal-data", "erase", CODE, "--yes")
    assert code == 0 and "Erased the identity of 1 participant" in out
    code, out, _ = run(capsys, "personal-data", "erase", CODE, "--yes")
    assert code == 0 and out.startswith("Nothing is stored")


def test_cli_key_generates_a_working_key_and_checks_it(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(capsys, "key", "generate")
    line = out.strip().splitlines()[-1]
    variable, value = line.split("=", 1)
    assert code == 0 and variable == personal_codes.KEY_VARIABLE
    personal_codes.keys(value)  # a valid key
    monkeypatch.setenv(personal_codes.KEY_VARIABLE, value)
    assert run(capsys, "key", "check")[0] == 0
    monkeypatch.setenv(personal_codes.KEY_VARIABLE, "not a key")
    code, _, err = run(capsys, "key", "check")
    assert code == 2 and "tracker key generate" in err
