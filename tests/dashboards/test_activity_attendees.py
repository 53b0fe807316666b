"""Ticking who attended on the activity form: the incubator's people (those of the
participating organisations first), hours for those who left early, a person added on the
spot, the service's refusals next to the list naming the person, the ticks kept with the form
across a reload, and an edited activity showing its saved attendees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.enums import ActivityStatus, PersonRole, Role
from db.models import Activity, Attendance, FormDraft, Membership, Person
from tests import factories as f
from tests.dashboards.conftest import accounts_database, page, sign_in
from tests.people_factories import person
from tracker.database import session_scope
from tracker.schemas import OrganizationRead, PersonRead
from tracker.services import people

SUBMIT = "activity_save"
TICK = "act_attendees"


@pytest.fixture
def app_db(new_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app's database with one account per role, on SQLite and on PostgreSQL (this
    module's tests run on both: the list's search, order and paging are SQL)."""
    yield from accounts_database(new_database_url, monkeypatch)


def _open() -> AppTest:
    at = sign_in(Role.STAFF)
    at.switch_page(page("activities.py")).run()
    assert not at.exception, at.exception
    return at


def _organisation(name: str) -> OrganizationRead:
    with session_scope() as session:
        return f.organization(session, name=name)


def _person(first: str, last: str, *organisations: OrganizationRead) -> PersonRead:
    with session_scope() as session:
        return person(session, first_name=first, last_name=last, memberships=[
            {"organization_id": o.id, "role": "member"} for o in organisations])


def _take_part(at: AppTest, search: str, attendees: int) -> None:
    at.text_input(key="participant_search").input(search).run()
    at.number_input(key="participant_attendees").set_value(attendees)
    at.button(key="participant_add").click().run()
    assert not at.exception, at.exception


def _fill(at: AppTest, title: str) -> None:
    at.text_input(key="act_title").input(title)
    at.selectbox(key="act_municipality").set_value("0054000")
    at.number_input(key="act_hours").set_value(3.0)


def _saved() -> list[tuple[int, int | None, Decimal | None]]:
    with session_scope() as session:
        return [tuple(r) for r in session.execute(  # type: ignore[misc]
            select(Attendance.person_id, Attendance.organization_id, Attendance.hours)
            .order_by(Attendance.person_id)).all()]


def _errors(at: AppTest) -> str:
    return " | ".join(e.value for e in at.error)


def _captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def test_ticked_people_are_saved_with_the_activity(app_db: str) -> None:
    club = _organisation("Biedrība “Valmieras sporta klubs”")
    anna = _person("Anna", "Zariņa", club)
    outsider = _person("Aija", "Ābola")  # first by name, of no participating organisation
    at = _open()
    _take_part(at, "sporta klubs", 2)
    box = at.multiselect(key=TICK)
    assert box.options[0] == f"Anna Zariņa ({anna.ref})"  # the club's people first
    assert f"Aija Ābola ({outsider.ref})" in box.options
    box.set_value([anna.id, outsider.id]).run()
    assert "Vārdā nosaukti 2 no 2 dalībniekiem kopā" in _captions(at)
    at.number_input(key=f"act_att_hours_{outsider.id}").set_value(1.5).run()
    _fill(at, "Sporta kluba valdes apmācība")
    at.button(key=SUBMIT).click().run()
    assert not at.exception and not at.error, _errors(at)
    assert _saved() == [(anna.id, club.id, None), (outsider.id, None, Decimal("1.50"))]
    assert at.multiselect(key=TICK).value == []  # the next activity starts unticked


def test_refusals_show_at_the_list_and_name_the_person(app_db: str) -> None:
    club = _organisation("Biedrība “Rūjienas amatnieki”")
    first = _person("Ilze", "Amatniece", club)
    second = _person("Inta", "Amatniece", club)
    at = _open()
    _take_part(at, "amatnieki", 1)
    at.multiselect(key=TICK).set_value([first.id, second.id]).run()
    _fill(at, "Amatnieku tikšanās")
    at.number_input(key="act_total").set_value(1).run()
    at.button(key=SUBMIT).click().run()
    assert "Apmeklētāji: atzīmēti 2 apmeklētāji, bet kopā piedalījās 1" in _errors(at), \
        _errors(at)
    at.number_input(key="act_total").set_value(5).run()
    at.button(key=SUBMIT).click().run()
    # The club said 1 attendee: the second of its people cannot be named.
    assert f"Inta Amatniece ({second.ref}): organizācijai norādīti 1 dalībnieki" in \
        _errors(at), _errors(at)
    assert _saved() == []
    at.number_input(key=f"act_att_hours_{first.id}").set_value(7.0).run()
    at.multiselect(key=TICK).set_value([first.id]).run()
    at.button(key=SUBMIT).click().run()
    assert "Apmeklētāji: nevar pārsniegt aktivitātes 3" in _errors(at), _errors(at)
    assert _saved() == []


def test_a_person_added_on_the_spot_is_ticked(app_db: str) -> None:
    club = _organisation("Biedrība “Cēsu jaunieši”")
    at = _open()
    _take_part(at, "Cēsu jaunieši", 3)
    at.text_input(key="quick_person_ref").input("CES-1")
    at.text_input(key="quick_person_first").input("Elīna")
    at.text_input(key="quick_person_last").input("Jaunā")
    at.selectbox(key="quick_person_org").set_value(club.id)
    at.selectbox(key="quick_person_role").set_value(PersonRole.LEADER)
    at.button(key="FormSubmitter:quick_person-Pievienot un atzīmēt").click().run()
    assert "Piekrišanas datums: obligāti jānorāda" in _errors(at), _errors(at)
    with session_scope() as session:
        assert session.scalars(select(Person)).all() == []
    at.date_input(key="quick_person_consent").set_value(dt.date(2025, 9, 1))
    at.button(key="FormSubmitter:quick_person-Pievienot un atzīmēt").click().run()
    assert not at.exception and not at.error, _errors(at)
    with session_scope() as session:
        added = session.scalars(select(Person)).one()
        assert (added.ref, added.consent_date) == ("CES-1", dt.date(2025, 9, 1))
        assert session.execute(select(Membership.organization_id, Membership.role)).all() == [
            (club.id, "leader")]
    assert at.multiselect(key=TICK).value == [added.id]
    assert at.text_input(key="quick_person_ref").value == ""
    _fill(at, "Jauniešu līderu apmācība")
    at.button(key=SUBMIT).click().run()
    assert not at.error, _errors(at)
    assert _saved() == [(added.id, club.id, None)]


def test_the_ticks_are_kept_with_the_form_across_a_reload(app_db: str) -> None:
    kept = _person("Laura", "Kalna")
    at = _open()
    at.text_input(key="act_title").input("Brīvprātīgo koordinatoru apmācība").run()
    at.multiselect(key=TICK).set_value([kept.id]).run()
    at.number_input(key=f"act_att_hours_{kept.id}").set_value(2.0).run()

    again = _open()  # a reload: a new session of the same user
    assert again.multiselect(key=TICK).value == [kept.id]
    assert again.number_input(key=f"act_att_hours_{kept.id}").value == 2.0
    assert "Vārdā nosaukti 1 no 1 dalībniekiem kopā" in _captions(again)
    again.button(key="activity_discard").click().run()
    assert again.multiselect(key=TICK).value == []
    with session_scope() as session:
        assert session.scalars(select(FormDraft)).all() == []


def test_an_edited_activity_shows_its_attendees_an_erased_one_included(app_db: str) -> None:
    first, second, third = (_person(n, "Ozola") for n in ("Alise", "Baiba", "Cilda"))
    at = _open()
    at.multiselect(key=TICK).set_value([first.id, second.id, third.id]).run()
    _fill(at, "Stratēģijas darbnīca")
    at.radio(key="act_status").set_value(ActivityStatus.DRAFT)
    at.button(key=SUBMIT).click().run()
    assert not at.error, _errors(at)
    with session_scope() as session:
        activity_id = session.scalars(select(Activity.id)).one()
        third_now = session.get(Person, third.id)
        assert third_now is not None
        people.withdraw_consent(session, actor=f.ADMIN, person_id=third.id,
                                on=dt.date(2025, 10, 1), version=third_now.version)
    at.button(key=f"edit_{activity_id}").click().run()
    box = at.multiselect(key=TICK)
    assert box.value == [first.id, second.id, third.id]
    assert f"persona #{third.id} (dati dzēsti)" in box.options
    box.set_value([first.id, third.id]).run()  # Baiba was not there after all
    at.button(key=SUBMIT).click().run()
    assert not at.exception and not at.error, _errors(at)
    assert [p for p, _o, _h in _saved()] == [first.id, third.id]
