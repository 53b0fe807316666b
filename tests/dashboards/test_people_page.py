"""The People page: who may open it, the list and its completeness check, a person's card
(audited once per opening), add and edit with errors at their fields, withdrawing consent and
deleting (asked first), and the personal code: masked, never whole, closed without a key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from dashboards.components.text import plain
from db.enums import AuditAction, Education, PersonRole, Role
from db.models import Attendance, AuditLog, Person
from tests import factories as f
from tests.dashboards.conftest import ACCOUNTS, accounts_database, page, sign_in
from tests.people_factories import attend, person
from tracker import personal_codes
from tracker.database import session_scope
from tracker.schemas import PersonRead
from tracker.services import sessions

CODE = "161175-19997"  # a valid personal code (old format: born 16.11.1975)
NEW_CODE = "020388-10009"  # another one (born 02.03.1988)
SUBMIT_NEW = "FormSubmitter:person_new-Pievienot"
SUBMIT_EDIT = "FormSubmitter:person_edit-Saglabāt"


@pytest.fixture
def app_db(new_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app's database with one account per role, on SQLite and on PostgreSQL (this
    module's tests run on both: the list's search, order and paging are SQL)."""
    yield from accounts_database(new_database_url, monkeypatch)


def _open(role: Role = Role.STAFF, person_id: int | None = None,
          lang: str | None = None) -> AppTest:
    at = sign_in(role, lang=lang)
    if person_id is not None:
        at.query_params["person"] = str(person_id)
    at.switch_page(page("people.py")).run()
    assert not at.exception, at.exception
    return at


def _people(**fields: Any) -> PersonRead:
    with session_scope() as session:
        return person(session, **fields)


def _list(at: AppTest) -> Any:
    """The list's table (the open card has tables of its own above it)."""
    return next(d.value for d in at.dataframe if "missing" in d.value.columns)


def _names(at: AppTest) -> list[str]:
    return list(_list(at)["name"]) if at.dataframe else []


def _errors(at: AppTest) -> str:
    return " | ".join(e.value for e in at.error)


def _views(person_id: int) -> int:
    with session_scope() as session:
        return int(session.scalar(select(func.count()).select_from(AuditLog).where(
            AuditLog.entity == "person", AuditLog.entity_id == person_id,
            AuditLog.action == AuditAction.VIEW.value)) or 0)


def _everything(at: AppTest) -> str:
    """Every element the page sent, as text (tables' cells included)."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)
    walk(at._tree)
    return "\n".join(parts)


def test_funders_never_reach_the_page(app_db: str) -> None:
    at = sign_in(Role.FUNDER)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page("people.py"))
    # Run directly (a typed address): refused, and nothing of the page shows.
    with session_scope(readonly=True) as session:
        funder = sessions.actor_for_email(session, email=ACCOUNTS[Role.FUNDER][0])
    direct = AppTest.from_file(page("people.py"), default_timeout=30)
    direct.session_state["actor"] = funder
    direct.run()
    assert [e.value for e in direct.error] == ["Šī lapa jums nav pieejama."]
    assert not direct.title and not direct.dataframe and not direct.text_input


def test_staff_see_their_incubator_and_managers_every_one(app_db: str) -> None:
    _people(first_name="Ilze", last_name="Vidzemniece")
    other = _people(incubator="LATGALE", first_name="Inese", last_name="Latgaliete")
    at = _open()
    assert _names(at) == ["Ilze Vidzemniece"]
    assert "people_f_incubator" not in {s.key for s in at.selectbox}
    # Another incubator's person, by address: refused, nothing shown, nothing audited.
    refused = _open(person_id=other.id)
    assert not refused.header
    assert [w.value for w in refused.warning] == ["Jums nav tiesību veikt šo darbību."]
    assert _views(other.id) == 0

    manager = _open(Role.MANAGER)
    assert sorted(_names(manager)) == ["Ilze Vidzemniece", "Inese Latgaliete"]
    box = manager.selectbox(key="people_f_incubator")
    latgale = next(n for n, name in enumerate(box.options) if name.startswith("Latgales"))
    box.select_index(latgale).run()
    assert _names(manager) == ["Inese Latgaliete"]


def test_the_completeness_check_counts_and_names_what_is_missing(app_db: str) -> None:
    _people(first_name="Pilnīga", last_name="Ābele")
    _people(first_name="Nepilnīga", last_name="Bērziņa", education=None, rural=None)
    at = _open()
    assert at.metric[0].value == "1"
    table = at.dataframe[0].value
    missing = dict(zip(table["name"], table["missing"], strict=True))
    assert missing == {"Pilnīga Ābele": "", "Nepilnīga Bērziņa": "Izglītība, Dzīvo lauku apvidū"}
    at.checkbox(key="people_f_incomplete").check().run()
    assert _names(at) == ["Nepilnīga Bērziņa"]
    at.text_input(key="people_f_search").input("ābele").run()
    assert not at.dataframe and "Neviena persona" in at.info[0].value

    english = _open(lang="en")
    table = english.dataframe[0].value
    assert "Education, Lives in a rural area" in list(table["missing"])


def test_a_person_is_added_after_an_error_is_fixed(app_db: str) -> None:
    with session_scope() as session:
        org = f.organization(session, name="Biedrība “Valmieras jaunieši”")
    at = _open()
    at.text_input(key="person_new_org_search").input("jaunieši").run()
    at.selectbox(key="person_new_org_role").set_value(PersonRole.BOARD_MEMBER)
    at.button(key="person_new_org_add").click().run()
    assert any("Valmieras jaunieši" in t.value for t in at.text)
    at.text_input(key="person_new_ref").input("VID-P-1")
    at.text_input(key="person_new_first_name").input("Līga")
    at.text_input(key="person_new_last_name").input("Ozola")
    at.text_input(key="person_new_code").input("161175-19998")  # wrong check digit
    at.button(key=SUBMIT_NEW).click().run()
    assert not at.exception, at.exception
    messages = _errors(at)
    assert "Piekrišanas datums: obligāti jānorāda" in messages, messages
    assert "Personas kods: personas kods nav derīgs" in messages, messages
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 0

    at.text_input(key="person_new_code").input(NEW_CODE)
    at.date_input(key="person_new_consent").set_value(dt.date(2025, 4, 2))
    at.selectbox(key="person_new_education").set_value(Education.ISCED_3_4)
    at.button(key=SUBMIT_NEW).click().run()
    assert not at.exception and not at.error, _errors(at)
    assert "Pievienota persona: Līga Ozola" in at.success[0].value
    with session_scope() as session:
        row = session.scalars(select(Person)).one()
        assert (row.ref, row.first_name, row.birth_date, row.education) == \
            ("VID-P-1", "Līga", dt.date(1988, 3, 2), "isced_3_4")
        assert personal_codes.decrypt(row.personal_code_secret) == "02038810009"
        assert [(m.organization_id, m.role) for m in row.memberships] == [
            (org.id, "board_member")]
    assert at.header[0].value == "Līga Ozola"  # its card opens
    assert at.text_input(key="person_new_code").value == ""  # the code is not left typed
    # The same reference again: refused, said at the reference.
    at.text_input(key="person_new_ref").input("VID-P-1")
    at.text_input(key="person_new_first_name").input("Cita")
    at.text_input(key="person_new_last_name").input("Persona")
    at.date_input(key="person_new_consent").set_value(dt.date(2025, 4, 2))
    at.button(key=SUBMIT_NEW).click().run()
    assert "Atsauce: atsauce VID-P-1 inkubatorā jau ir aizņemta" in _errors(at), _errors(at)


def test_editing_a_person_and_a_copy_changed_meanwhile(app_db: str) -> None:
    read = _people(first_name="Marta", last_name="Liepa", education=None)
    at = _open(person_id=read.id)
    assert at.header[0].value == "Marta Liepa"
    at.text_input(key=f"person_edit_{read.id}_last_name").input("Liepiņa")
    at.selectbox(key=f"person_edit_{read.id}_education").set_value(Education.ISCED_5_8)
    at.button(key=SUBMIT_EDIT).click().run()
    assert not at.exception and not at.error, _errors(at)
    assert "Saglabāts: Marta Liepiņa" in at.success[0].value
    assert at.header[0].value == "Marta Liepiņa"
    with session_scope() as session:
        row = session.get(Person, read.id)
        assert row is not None and (row.last_name, row.education) == ("Liepiņa", "isced_5_8")
    assert _views(read.id) == 1  # a save shows the new record without reading it again

    # Someone else changes her meanwhile: said at once, and a save is refused.
    with session_scope() as session:
        row = session.get(Person, read.id)
        assert row is not None
        row.phone = "+371 20000000"
    at.run()
    assert "pa to laiku ir mainījis" in " ".join(w.value for w in at.warning)
    at.text_input(key=f"person_edit_{read.id}_first_name").input("Maija")
    at.button(key=SUBMIT_EDIT).click().run()
    assert "Kāds cits šo ierakstu jau ir mainījis" in _errors(at), _errors(at)
    with session_scope() as session:
        row = session.get(Person, read.id)
        assert row is not None and row.first_name == "Marta"
    at.button(key="person_reload").click().run()
    assert at.text_input(key=f"person_edit_{read.id}_phone").value == "+371 20000000"
    assert not at.warning


def test_withdrawing_consent_is_asked_first_and_erases_the_identity(app_db: str) -> None:
    with session_scope() as session:
        read = person(session, first_name="Dace", last_name="Kļava", personal_code=CODE,
                      birth_date=None, email="dace@example.lv")
        activity = f.activity(session, total_participants=2)
        attend(session, activity, [read])
    at = _open(person_id=read.id)
    assert "Dzēst personu" not in [b.label for b in at.button]  # she attended: not deletable
    assert any("apmeklējumiem dzēst nevar" in c.value for c in at.caption)
    at.date_input(key="person_withdraw_on").set_value(dt.date(2025, 6, 1))
    at.button(key="person_withdraw").click().run()
    question = " ".join(w.value for w in at.warning)
    assert "Dace Kļava" in question and "vārds, personas kods, dzimšanas datums, e-pasts un " \
        "tālrunis tiks dzēsti" in question and "Apmeklējumi joprojām skaitās" in question
    with session_scope() as session:
        row = session.get(Person, read.id)
        assert row is not None and row.erased_at is None  # nothing yet
    at.button(key="person_withdraw_yes").click().run()
    assert not at.exception and not at.error, _errors(at)
    with session_scope() as session:
        row = session.get(Person, read.id)
        assert row is not None and row.erased_at is not None
        assert (row.first_name, row.last_name, row.personal_code_secret, row.birth_date,
                row.email, row.consent_withdrawn) == (None, None, None, None, None,
                                                      dt.date(2025, 6, 1))
        assert session.scalars(select(Attendance.activity_id).where(
            Attendance.person_id == read.id)).all() == [activity.id]  # still counts
    assert at.header[0].value.replace("\\", "") == read.ref  # only the reference is left
    assert "Dace" not in _everything(at)


def test_deleting_a_person_without_attendance_is_asked_first(app_db: str) -> None:
    read = _people(first_name="Kļūdaini", last_name="Ievadīta")
    at = _open(person_id=read.id)
    at.button(key="person_delete").click().run()
    assert "Dzēst personu Kļūdaini Ievadīta?" in " ".join(w.value for w in at.warning)
    at.button(key="person_delete_no").click().run()
    with session_scope() as session:
        assert session.get(Person, read.id) is not None
    at.button(key="person_delete").click().run()
    at.button(key="person_delete_yes").click().run()
    assert not at.exception and not at.error, _errors(at)
    with session_scope() as session:
        assert session.get(Person, read.id) is None
    assert "Dzēsts: Kļūdaini Ievadīta" in at.success[0].value and not at.header


def test_opening_a_card_is_audited_once_and_the_list_never(app_db: str) -> None:
    first = _people(first_name="Anna", last_name="Avota")
    second = _people(first_name="Baiba", last_name="Briede")
    at = _open()
    assert _views(first.id) == _views(second.id) == 0  # the list shows no card
    table = at.dataframe[0]
    assert table.key is not None
    at.session_state[table.key] = {"selection": {"rows": [1], "columns": []}}
    at.run()
    assert at.query_params["person"] == str(second.id)
    assert at.header[0].value == "Baiba Briede"
    for _ in range(3):  # typing in the card's forms, reruns: no new reads
        at.text_input(key=f"person_edit_{second.id}_phone").input("+371 2").run()
    assert (_views(first.id), _views(second.id)) == (0, 1)
    at.button(key="person_close").click().run()
    assert "person" not in at.query_params and not at.header
    assert _views(second.id) == 1


def test_the_personal_code_is_never_shown_whole(app_db: str) -> None:
    read = _people(first_name="Zane", last_name="Kode", personal_code=CODE, birth_date=None)
    for role in (Role.STAFF, Role.MANAGER, Role.ADMIN):
        at = _open(role, person_id=read.id)
        shown = _everything(at)
        assert "161175-*****" in shown and read.ref in shown  # the check can see the page
        for whole in (CODE, "16117519997", "19997"):
            assert whole not in shown, (role, whole)
    # Replaced, then removed: never shown whole either.
    at = _open(person_id=read.id)
    at.text_input(key=f"person_edit_{read.id}_code").input(NEW_CODE)
    at.date_input(key=f"person_edit_{read.id}_birth_date").set_value(None)
    at.button(key=SUBMIT_EDIT).click().run()
    assert not at.error, _errors(at)
    shown = _everything(at)
    assert "020388-*****" in shown and "10009" not in shown
    at.checkbox(key=f"person_edit_{read.id}_code_clear").check()
    at.button(key=SUBMIT_EDIT).click().run()
    with session_scope() as session:
        row = session.get(Person, read.id)
        assert row is not None and row.personal_code_secret is None
        assert row.personal_code_match is None


def test_without_the_key_the_code_field_is_closed_and_says_how(
        app_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(personal_codes.KEY_VARIABLE)
    at = _open()
    box = at.text_input(key="person_new_code")
    assert box.disabled
    how = " ".join(w.value for w in at.warning)
    assert "TRACKER_PERSONAL_CODE_KEY" in how and "tracker key generate" in how, how
    # A person without a code is still added.
    at.text_input(key="person_new_ref").input("BEZ-KODA")
    at.text_input(key="person_new_first_name").input("Rūta")
    at.text_input(key="person_new_last_name").input("Bezkode")
    at.date_input(key="person_new_consent").set_value(dt.date(2025, 5, 5))
    at.button(key=SUBMIT_NEW).click().run()
    assert not at.error, _errors(at)
    with session_scope() as session:
        assert session.scalars(select(Person.ref)).all() == ["BEZ-KODA"]


def test_the_organisation_filter_finds_its_people(app_db: str) -> None:
    with session_scope() as session:
        club = f.organization(session, name="Biedrība “Smiltenes kori”")
        person(session, first_name="Dziedātāja", last_name="Korī",
               memberships=[{"organization_id": club.id, "role": "member"}])
        person(session, first_name="Cita", last_name="Persona")
    at = _open()
    assert len(_names(at)) == 2
    at.text_input(key="people_f_org_search").input("Smiltenes").run()
    assert at.selectbox(key="people_f_org").value == club.id
    assert _names(at) == ["Dziedātāja Korī"]
    assert list(at.dataframe[0].value["organizations"]) == ["Biedrība “Smiltenes kori”"]


def test_a_name_typed_with_markup_is_shown_as_typed(app_db: str) -> None:
    tricky = _people(first_name="**Anna**", last_name="<b>x</b> [saite](http://e.lv)")
    at = _open(person_id=tricky.id)
    assert not at.exception, at.exception
    assert at.header[0].value == plain("**Anna** <b>x</b> [saite](http://e.lv)")
    assert _names(at) == ["**Anna** <b>x</b> [saite](http://e.lv)"]
    at.button(key="person_withdraw").click().run()
    assert plain("**Anna** <b>x</b> [saite](http://e.lv)") in at.warning[0].value

