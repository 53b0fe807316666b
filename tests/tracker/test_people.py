"""People: validation as the form and the import share it, consent and erasure, the personal code
encrypted, matched and masked, who may see and change whom, and named attendance on activities."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from db.enums import AuditAction, Role
from db.models import Attendance, AuditLog, Person
from tests import factories as f
from tracker import personal_codes
from tracker.errors import (
    DuplicatePerson,
    DuplicatePersonRef,
    PermissionDenied,
    PersonHasAttendance,
    StaleVersion,
    ValidationFailed,
)
from tracker.schemas import (
    ActivityCreate,
    ActivityUpdate,
    PersonCreate,
    PersonRead,
    PersonUpdate,
    parse,
)
from tracker.services import activities, people

CODE = "161175-19997"  # a checksum-valid old-format code (16.11.1975), used in examples
NEW_CODE = "32579461005"  # a checksum-valid new-format code (no birth date)
_refs = itertools.count(1)


def _data(session: Session, incubator: str = "VIDZEME", **fields: Any) -> PersonCreate:
    data: dict[str, Any] = {
        "incubator_id": f.incubator_id(session, incubator), "ref": f"P-{next(_refs)}",
        "first_name": "Ilze", "last_name": "Kalniņa", "consent_date": "2025-03-01",
        "gender": "female"} | fields
    return parse(PersonCreate, data)


def _person(session: Session, incubator: str = "VIDZEME", by: Any = f.ADMIN,
            **fields: Any) -> PersonRead:
    return people.create_person(session, actor=by, data=_data(session, incubator, **fields))


def _update(read: PersonRead, **fields: Any) -> PersonUpdate:
    data = {"first_name": read.first_name, "last_name": read.last_name,
            "consent_date": read.consent_date, "version": read.version,
            "memberships": [{"organization_id": m.organization_id, "role": m.role}
                            for m in read.memberships]} | fields
    return parse(PersonUpdate, data)


def _errors(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, str]:
    return {e.field: e.code for e in exc.value.errors}


# Validation -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("fields", "field", "code"), [
    ({"personal_code": "161175-1999"}, "personal_code", "personal_code_format"),
    ({"personal_code": "161175-19990"}, "personal_code", "personal_code_invalid"),
    ({"personal_code": "40008000009"}, "personal_code", "personal_code_not_person"),
    ({"personal_code": CODE, "birth_date": "1975-11-17"}, "personal_code",
     "personal_code_birth_date"),
    ({"consent_date": ""}, "consent_date", "required"),
    ({"consent_date": "2099-01-01"}, "consent_date", "date_in_future"),
    ({"consent_withdrawn": "2025-02-01"}, "consent_withdrawn",
     "consent_withdrawn_before_given"),
    ({"gender": "other"}, "gender", "not_allowed"),
    ({"disability": "maybe"}, "disability", "not_allowed"),
    ({"email": "not-an-address"}, "email", "email_invalid"),
    ({"first_name": ""}, "first_name", "too_short"),
])
def test_bad_values_are_refused_naming_the_field(session: Session, fields: dict[str, Any],
                                                  field: str, code: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        _data(session, **fields)
    assert _errors(exc) == {field: code}


def test_labels_and_codes_both_work_and_an_old_code_gives_the_birth_date(
        session: Session) -> None:
    read = _person(session, personal_code=CODE, employment_status="employed")
    assert read.birth_date == dt.date(1975, 11, 16)
    assert read.birth_year == 1975
    assert read.personal_code == "161175-*****"


def test_a_new_format_code_is_accepted_without_a_birth_date(session: Session) -> None:
    read = _person(session, personal_code=NEW_CODE)
    assert read.birth_date is None
    assert read.personal_code == "325794-*****"


# The personal code at rest ---------------------------------------------------------------------

def test_the_code_is_stored_encrypted_and_never_in_the_audit_trail(session: Session) -> None:
    read = _person(session, personal_code=CODE)
    raw = session.execute(text("SELECT * FROM people WHERE id = :id"), {"id": read.id}
                          ).mappings().one()
    stored = json.dumps({k: str(v) for k, v in raw.items()})
    assert "16117519997" not in stored and "161175-19997" not in stored
    assert personal_codes.decrypt(raw["personal_code_secret"]) == "16117519997"
    trail = json.dumps([(e.before, e.after) for e in session.scalars(
        select(AuditLog).where(AuditLog.entity == "person"))], default=str)
    assert "19997" not in trail and raw["personal_code_secret"] not in trail


def test_the_same_code_twice_is_refused_in_any_format(session: Session) -> None:
    _person(session, personal_code=CODE)
    with pytest.raises(DuplicatePerson) as exc:
        _person(session, personal_code="16117519997")
    assert "VIDZEME" in exc.value.message("en")
    staff = f.actor(session, Role.STAFF, "ZEMGALE")
    with pytest.raises(DuplicatePerson) as other:  # another incubator learns only that much
        _person(session, "ZEMGALE", by=staff, personal_code=CODE)
    assert "VIDZEME" not in other.value.message("en")
    assert session.scalar(select(func.count()).select_from(Person).where(
        Person.first_name == "Ilze")) == 1


def test_without_a_key_no_code_is_stored_and_the_message_says_how(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(personal_codes.KEY_VARIABLE)
    with pytest.raises(personal_codes.KeyMissing) as exc:
        _person(session, personal_code=CODE)
    assert personal_codes.KEY_VARIABLE in exc.value.message("lv")
    assert "tracker key generate" in exc.value.message("en")
    assert _person(session).personal_code == ""  # without a code all is well


def test_a_code_stored_under_another_key_shows_hidden(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    read = _person(session, personal_code=CODE)
    monkeypatch.setenv(personal_codes.KEY_VARIABLE, personal_codes.generate_key())
    shown = people.list_people(session, actor=f.ADMIN, search=read.ref).people[0]
    assert shown.personal_code == personal_codes.HIDDEN


def test_the_code_is_replaced_kept_or_removed(session: Session) -> None:
    read = _person(session, personal_code=CODE)
    kept = people.update_person(session, actor=f.ADMIN, person_id=read.id,
                                data=_update(read, first_name="Ilzīte"))
    assert kept.personal_code == "161175-*****"
    replaced = people.update_person(session, actor=f.ADMIN, person_id=read.id,
                                    data=_update(kept, personal_code=NEW_CODE))
    assert replaced.personal_code == "325794-*****"
    removed = people.update_person(session, actor=f.ADMIN, person_id=read.id,
                                   data=_update(replaced, clear_personal_code=True))
    assert removed.personal_code == ""
    _person(session, personal_code=CODE)  # the old code is free again


# Consent and erasure --------------------------------------------------------------------------

def test_withdrawing_consent_erases_the_identity_and_keeps_the_counts(session: Session) -> None:
    org = f.organization(session)
    read = _person(session, personal_code=CODE, email="ilze@example.lv", phone="+371 20000001",
                   memberships=[{"organization_id": org.id, "role": "leader"}],
                   employment_status="unemployed", education="isced_3_4")
    act = f.activity(session, type="training", total_participants=3,
                     participations=[{"organization_id": org.id, "attendees": 2}],
                     attendees=[{"person_id": read.id}])
    erased = people.withdraw_consent(session, actor=f.ADMIN, person_id=read.id,
                                     on=dt.date(2025, 6, 1), version=read.version)
    assert erased.erased and erased.first_name is None and erased.last_name is None
    assert erased.email is None and erased.phone is None and erased.birth_date is None
    assert erased.personal_code == "" and erased.name == read.ref
    assert erased.birth_year == 1975 and erased.employment_status == "unemployed"
    assert erased.consent_withdrawn == dt.date(2025, 6, 1)
    assert session.scalar(select(func.count()).select_from(Attendance).where(
        Attendance.activity_id == act.id)) == 1
    trail = json.dumps([(e.before, e.after) for e in session.scalars(
        select(AuditLog).where(AuditLog.entity == "person", AuditLog.entity_id == read.id))])
    for secret in ("Ilze", "Kalniņa", "ilze@example.lv", "20000001", "1975-11-16", "161175"):
        assert secret not in trail
    _person(session, personal_code=CODE)  # the code is no longer anyone's


def test_an_erased_identity_never_comes_back_by_an_edit(session: Session) -> None:
    read = _person(session, consent_withdrawn="2025-04-01")
    assert read.erased and read.first_name is None
    again = people.update_person(session, actor=f.ADMIN, person_id=read.id,
                                 data=_update(read, first_name="Ilze", last_name="Kalniņa",
                                              consent_withdrawn="2025-04-01"))
    assert again.first_name is None and again.last_name is None


def test_an_erased_person_cannot_be_ticked_anew_but_stays_where_ticked(
        session: Session) -> None:
    kept, erased = _person(session), _person(session, consent_withdrawn="2025-04-01")
    act = f.activity(session, attendees=[{"person_id": kept.id}])
    people.withdraw_consent(session, actor=f.ADMIN, person_id=kept.id, on=dt.date(2025, 6, 1),
                            version=kept.version)
    with pytest.raises(ValidationFailed) as exc:
        f.activity(session, attendees=[{"person_id": erased.id}])
    assert _errors(exc) == {"attendees.0.person_id": "person_erased"}
    read = activities.get_activity(session, actor=f.ADMIN, activity_id=act.id)
    saved = activities.update_activity(session, actor=f.ADMIN, activity_id=act.id,
                                       data=ActivityUpdate.model_validate(
                                           _activity_fields(read) | {"title": "Cits"}))
    assert [a.person_id for a in saved.attendees] == [kept.id]


def test_withdrawal_before_consent_or_in_the_future_is_refused(session: Session) -> None:
    read = _person(session)
    for day, code in ((dt.date(2025, 2, 1), "consent_withdrawn_before_given"),
                      (dt.date.today() + dt.timedelta(days=1), "date_in_future")):  # noqa: DTZ011
        with pytest.raises(ValidationFailed) as exc:
            people.withdraw_consent(session, actor=f.ADMIN, person_id=read.id, on=day,
                                    version=read.version)
        assert _errors(exc) == {"consent_withdrawn": code}


def test_delete_only_without_attendance(session: Session) -> None:
    lonely, attended = _person(session), _person(session)
    f.activity(session, attendees=[{"person_id": attended.id}])
    with pytest.raises(PersonHasAttendance):
        people.delete_person(session, actor=f.ADMIN, person_id=attended.id,
                             version=attended.version)
    people.delete_person(session, actor=f.ADMIN, person_id=lonely.id, version=lonely.version)
    assert session.get(Person, lonely.id) is None


# Who may see and change whom -------------------------------------------------------------------

@pytest.mark.parametrize(("role", "staff_of", "allowed"), [
    (Role.ADMIN, None, True), (Role.MANAGER, None, True), (Role.STAFF, "VIDZEME", True),
    (Role.STAFF, "ZEMGALE", False), (Role.FUNDER, None, False)])
def test_who_reaches_a_vidzeme_person(session: Session, role: Role, staff_of: str | None,
                                      allowed: bool) -> None:
    read = _person(session)
    by = f.actor(session, role, staff_of)
    calls: list[Callable[[], object]] = [
        lambda: people.get_person(session, actor=by, person_id=read.id),
        lambda: people.update_person(session, actor=by, person_id=read.id,
                                     data=_update(read, first_name="Ilona")),
        lambda: people.create_person(session, actor=by, data=_data(session)),
        lambda: people.people_to_tick(session, actor=by,
                                      incubator_id=f.incubator_id(session)),
    ]
    for call in calls:
        if allowed:
            call()
        else:
            with pytest.raises(PermissionDenied):
                call()
    if role is Role.FUNDER:
        with pytest.raises(PermissionDenied):
            people.list_people(session, actor=by)
    elif not allowed:
        assert people.list_people(session, actor=by).people == []


def test_staff_list_only_their_incubator(session: Session) -> None:
    _person(session, first_name="Vidzemniece")
    _person(session, "ZEMGALE", first_name="Zemgaliete")
    staff = f.actor(session, Role.STAFF, "ZEMGALE")
    names = {p.first_name for p in people.list_people(session, actor=staff, limit=200).people}
    assert "Zemgaliete" in names and "Vidzemniece" not in names
    other = people.list_people(session, actor=staff,
                               incubator_id=f.incubator_id(session, "VIDZEME"))
    assert other.people == [] and other.total == 0


def test_only_administrators_erase_on_request(session: Session) -> None:
    read = _person(session)
    with pytest.raises(PermissionDenied):
        people.erase_person(session, actor=f.actor(session, Role.MANAGER), person_id=read.id)
    assert people.erase_person(session, actor=f.ADMIN, person_id=read.id).erased


def test_opening_a_card_is_audited_and_a_list_is_not(session: Session) -> None:
    read = _person(session)
    manager = f.actor(session, Role.MANAGER)

    def views() -> int:
        return session.scalar(select(func.count()).select_from(AuditLog).where(
            AuditLog.entity == "person", AuditLog.entity_id == read.id,
            AuditLog.action == AuditAction.VIEW.value)) or 0

    people.list_people(session, actor=manager)
    assert views() == 0
    people.get_person(session, actor=manager, person_id=read.id)
    people.get_person(session, actor=manager, person_id=read.id)
    assert views() == 2


def test_a_stale_copy_is_refused(session: Session) -> None:
    read = _person(session)
    people.update_person(session, actor=f.ADMIN, person_id=read.id,
                         data=_update(read, first_name="Ilona"))
    with pytest.raises(StaleVersion):
        people.update_person(session, actor=f.ADMIN, person_id=read.id,
                             data=_update(read, first_name="Inese"))


def test_a_taken_reference_is_refused(session: Session) -> None:
    _person(session, ref="VID-P-1")
    with pytest.raises(DuplicatePersonRef):
        _person(session, ref="VID-P-1")
    _person(session, "ZEMGALE", ref="VID-P-1")  # unique within an incubator only


# Completeness ---------------------------------------------------------------------------------

def test_missing_lists_every_empty_characteristic_and_refused_is_an_answer(
        session: Session) -> None:
    complete = _person(session, birth_date="1990-01-01", employment_status="employed",
                       education="isced_5_8", disability="refused",
                       third_country_national="no", foreign_background="no", minority="no",
                       homeless="no", rural="yes")
    assert complete.missing == []
    partial = _person(session)
    assert partial.missing == ["birth_date", "employment_status", "education", "disability",
                               "third_country_national", "foreign_background", "minority",
                               "homeless", "rural"]
    incomplete = people.list_people(session, actor=f.ADMIN, incomplete=True, limit=200).people
    ids = {p.id for p in incomplete}
    assert partial.id in ids and complete.id not in ids


# Named attendance on activities ----------------------------------------------------------------

def _activity_fields(read: Any) -> dict[str, Any]:
    return {"type": read.type, "title": read.title, "activity_date": read.activity_date,
            "hours": read.hours, "format": read.format, "total_participants":
            read.total_participants, "version": read.version,
            "capacity_areas": read.capacity_areas,
            "participations": [{"organization_id": p.organization_id,
                                "attendees": p.attendees} for p in read.participations]}


def test_attendees_count_for_their_participating_organisation(session: Session) -> None:
    org, other = f.organization(session), f.organization(session)
    member = _person(session, memberships=[{"organization_id": org.id, "role": "member"}])
    outsider = _person(session, memberships=[{"organization_id": other.id, "role": "leader"}])
    act = f.activity(session, total_participants=5,
                     participations=[{"organization_id": org.id, "attendees": 1}],
                     attendees=[{"person_id": member.id, "hours": "1,5"},
                                {"person_id": outsider.id}])
    by_person = {a.person_id: a for a in act.attendees}
    assert by_person[member.id].organization_id == org.id
    assert by_person[member.id].hours == Decimal("1.5")
    assert by_person[outsider.id].organization_id is None and by_person[outsider.id].hours is None


@pytest.mark.parametrize(("fields", "errors"), [
    ({"total_participants": 1}, {"attendees": "named_exceed_total"}),
    ({"hours": "1"}, {"attendees": "attendee_hours_exceed"}),
])
def test_the_named_list_never_exceeds_what_took_part(session: Session, fields: dict[str, Any],
                                                     errors: dict[str, str]) -> None:
    first, second = _person(session), _person(session)
    with pytest.raises(ValidationFailed) as exc:
        parse(ActivityCreate, f.activity_data(session).model_dump() | {
            "attendees": [{"person_id": first.id, "hours": "1,5"}, {"person_id": second.id}],
            **fields})
    assert _errors(exc) == errors


def test_an_organisation_never_has_more_named_than_its_attendees(session: Session) -> None:
    org = f.organization(session)
    both = [_person(session, memberships=[{"organization_id": org.id, "role": "member"}])
            for _ in range(2)]
    with pytest.raises(ValidationFailed) as exc:
        f.activity(session, total_participants=5,
                   participations=[{"organization_id": org.id, "attendees": 1}],
                   attendees=[{"person_id": p.id} for p in both])
    assert _errors(exc) == {"attendees.1.person_id": "named_exceed_participation"}


def test_people_of_another_incubator_or_unknown_are_refused(session: Session) -> None:
    zemgale = _person(session, "ZEMGALE")
    for person_id in (zemgale.id, 2_000_000_000, 2**40):
        with pytest.raises(ValidationFailed) as exc:
            f.activity(session, attendees=[{"person_id": person_id}])
        assert _errors(exc) == {"attendees.0.person_id": "unknown_person"}


def test_an_edit_without_attendees_keeps_them_and_a_list_replaces_them(
        session: Session) -> None:
    first, second = _person(session), _person(session)
    act = f.activity(session, attendees=[{"person_id": first.id}])
    kept = activities.update_activity(session, actor=f.ADMIN, activity_id=act.id,
                                      data=ActivityUpdate.model_validate(
                                          _activity_fields(act) | {"title": "Jauns"}))
    assert [a.person_id for a in kept.attendees] == [first.id]
    replaced = activities.update_activity(session, actor=f.ADMIN, activity_id=act.id,
                                          data=ActivityUpdate.model_validate(
                                              _activity_fields(kept)
                                              | {"attendees": [{"person_id": second.id}]}))
    assert [a.person_id for a in replaced.attendees] == [second.id]
    after = session.scalars(select(AuditLog.after).where(
        AuditLog.entity == "activity", AuditLog.entity_id == act.id).order_by(AuditLog.id.desc())
    ).first()
    assert after is not None and after["attendees"] == {str(second.id): None}


def test_removing_a_participation_recounts_its_named_attendees(session: Session) -> None:
    org = f.organization(session)
    member = _person(session, memberships=[{"organization_id": org.id, "role": "member"}])
    act = f.activity(session, participations=[{"organization_id": org.id, "attendees": 1}],
                     attendees=[{"person_id": member.id}])
    saved = activities.update_activity(session, actor=f.ADMIN, activity_id=act.id,
                                       data=ActivityUpdate.model_validate(
                                           _activity_fields(act) | {"participations": []}))
    assert saved.attendees[0].organization_id is None


def test_the_list_is_in_name_order_and_found_by_any_word_case_or_diacritics(
        session: Session) -> None:
    zemgale = f.incubator_id(session, "ZEMGALE")
    for first, last in (("Anna", "Zariņa"), ("Ērika", "Ābele"), ("Jānis", "Abolins"),
                        ("Ilze", "Čakste"), ("Olga", "Cīrule")):
        _person(session, "ZEMGALE", first_name=first, last_name=last)
    _person(session, "ZEMGALE", first_name="Vija", last_name="Ābele",
            consent_withdrawn="2025-04-01")
    listed = people.list_people(session, actor=f.ADMIN, incubator_id=zemgale).people
    # Ā with A, Č with C (folded), never after Z; the erased person last
    assert [p.last_name for p in listed] == ["Ābele", "Abolins", "Čakste", "Cīrule", "Zariņa",
                                             None]
    for typed in ("ĀBELE", "abele erika", "Ērika Ābele", "zarin"):
        found = people.list_people(session, actor=f.ADMIN, incubator_id=zemgale, search=typed)
        assert len(found.people) == 1, typed
    assert people.list_people(session, actor=f.ADMIN, incubator_id=zemgale,
                              search="100%").people == []
