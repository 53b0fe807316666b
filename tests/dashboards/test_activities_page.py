"""The activities page: log with two organisations, edit, delete; bad input writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from dashboards.components import text
from db.enums import ActivityStatus, Role
from db.models import Activity, FormDraft, Incubator, Participation
from tests.dashboards.conftest import page, sign_in
from tracker.auth import Actor
from tracker.database import session_scope
from tracker.schemas import OrganizationCreate, legal_entity_reg_nos
from tracker.services import organizations

SUBMIT = "activity_save"
_numbers = legal_entity_reg_nos("50009")


def _organisation(name: str) -> int:
    with session_scope() as session:
        return organizations.create_organization(
            session, actor=Actor.system(),
            data=OrganizationCreate(reg_no=next(_numbers), name=name,
                                    municipality_atvk="0054000")).id


def _count(model: Any) -> int:
    with session_scope() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _open(role: Role = Role.STAFF) -> AppTest:
    at = sign_in(role)
    at.switch_page(page("activities.py")).run()
    assert not at.exception, at.exception
    return at


def _add_participant(at: AppTest, search: str, attendees: int) -> None:
    at.text_input(key="participant_search").input(search).run()
    at.number_input(key="participant_attendees").set_value(attendees)
    at.button(key="participant_add").click().run()
    assert not at.exception, at.exception


def _fill(at: AppTest, title: str, total: int) -> None:
    at.text_input(key="act_title").input(title)
    at.selectbox(key="act_municipality").set_value("0054000")
    at.number_input(key="act_total").set_value(total)
    at.multiselect(key="act_areas").set_value(["finance", "strategy"])


def test_log_edit_and_delete_an_activity(app_db: str) -> None:
    _organisation("Biedrība “Valmieras sporta klubs”")
    _organisation("Nodibinājums “Valmieras kopienas fonds”")
    at = _open()
    _add_participant(at, "sporta klubs", 2)
    _add_participant(at, "kopienas fonds", 3)
    _fill(at, "Projektu rakstīšanas apmācība", total=7)
    at.radio(key="act_status").set_value(ActivityStatus.DRAFT)  # staff edit their drafts
    at.button(key=SUBMIT).click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    with session_scope() as session:
        saved = session.scalars(select(Activity)).one()
        people = session.scalars(select(Participation.attendees).where(
            Participation.activity_id == saved.id).order_by(Participation.attendees)).all()
        assert (saved.title, saved.total_participants, list(people)) == \
            ("Projektu rakstīšanas apmācība", 7, [2, 3])
    assert any("Projektu rakstīšanas apmācība" in t.value for t in at.text)
    assert "Saglabāts" in at.success[0].value
    # The form is empty again for the next activity.
    assert at.text_input(key="act_title").value == ""

    at.button(key=f"edit_{saved.id}").click().run()
    assert at.text_input(key="act_title").value == "Projektu rakstīšanas apmācība"
    at.text_input(key="act_title").input("Projektu rakstīšanas apmācība (2. daļa)")
    at.button(key=SUBMIT).click().run()
    assert not at.exception and not at.error
    with session_scope() as session:
        edited = session.get(Activity, saved.id)
        assert edited is not None
        assert (edited.title, edited.version) == ("Projektu rakstīšanas apmācība (2. daļa)", 2)

    at.button(key=f"delete_{saved.id}").click().run()
    assert at.warning, "a confirmation is asked before deleting"
    at.button(key=f"delete_yes_{saved.id}").click().run()
    with session_scope() as session:
        gone = session.get(Activity, saved.id)
        assert gone is not None and gone.deleted_at is not None
    assert not any("2. daļa" in t.value for t in at.text)


def test_rejected_form_shows_field_errors_and_writes_nothing(app_db: str) -> None:
    _organisation("Biedrība “Rūjienas amatnieki”")
    at = _open()
    _add_participant(at, "amatnieki", 5)
    _fill(at, "ab", total=2)  # title too short, attendees (5) above the total (2)
    at.number_input(key="act_hours").set_value(0.0)
    at.button(key=SUBMIT).click().run()
    assert not at.exception
    messages = " ".join(e.value for e in at.error)
    assert "Nosaukums" in messages and "vismaz 3" in messages
    assert "Stundas" in messages
    assert "Dalībnieku skaits kopā" in messages
    assert _count(Activity) == 0 and _count(Participation) == 0


def test_likely_duplicate_asks_first(app_db: str) -> None:
    at = _open()
    _fill(at, "Stratēģijas darbnīca", total=4)
    at.button(key=SUBMIT).click().run()
    assert _count(Activity) == 1
    _fill(at, "Stratēģijas darbnīca!", total=4)
    at.button(key=SUBMIT).click().run()
    assert "līdzīga aktivitāte" in at.warning[0].value
    assert _count(Activity) == 1
    at.button(key="save_anyway").click().run()
    assert _count(Activity) == 2


def test_an_organisation_can_be_added_on_the_spot(app_db: str) -> None:
    at = _open()
    at.text_input(key="quick_org_reg_no").input("40003521600")
    at.text_input(key="quick_org_name").input("Biedrība “Jaunā”")
    at.button(key="FormSubmitter:quick_org-Pievienot organizāciju").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with session_scope() as session:
        assert organizations.list_organizations(session, actor=Actor.system(),
                                                search="40003521600")


def test_markdown_in_a_title_is_shown_as_typed(app_db: str) -> None:
    at = _open()
    _fill(at, "**Svarīgi** <b>x</b> [saite](http://e.lv)", total=1)
    at.button(key=SUBMIT).click().run()
    assert any("**Svarīgi** <b>x</b> [saite](http://e.lv)" in t.value for t in at.text)
    assert not any("<b>x</b>" in m.value for m in at.markdown if not m.value.startswith("\\"))


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_managers_choose_the_incubator(app_db: str, role: Role) -> None:
    at = _open(role)
    box = at.selectbox(key="activity_incubator")
    assert len(box.options) == 4  # every incubator of the programme
    latgale = next(n for n, name in enumerate(box.options) if name.startswith("Latgales"))
    assert box.index != latgale  # not the one offered first
    box.select_index(latgale).run()
    _fill(at, "Latgales biedrību tīklošanās", total=4)
    at.button(key=SUBMIT).click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    with session_scope() as session:
        saved = session.scalars(select(Activity)).one()
        code = session.scalar(select(Incubator.code).where(Incubator.id == saved.incubator_id))
    assert (saved.title, code) == ("Latgales biedrību tīklošanās", "LATGALE")


def test_an_edit_made_meanwhile_by_someone_else_is_not_overwritten(app_db: str) -> None:
    at = _open()
    _fill(at, "Brīvprātīgo darba plānošana", total=3)
    at.radio(key="act_status").set_value(ActivityStatus.DRAFT)
    at.button(key=SUBMIT).click().run()
    with session_scope() as session:
        saved = session.scalars(select(Activity)).one()
        activity_id = saved.id
    at.button(key=f"edit_{activity_id}").click().run()
    # Meanwhile a manager changes the same activity.
    with session_scope() as session:
        row = session.get(Activity, activity_id)
        assert row is not None
        row.title = "Mainīja vadītājs"
    at.text_input(key="act_title").input("Mainīja darbinieks")
    at.button(key=SUBMIT).click().run()
    assert not at.exception
    assert "Kāds cits šo ierakstu jau ir mainījis" in " ".join(e.value for e in at.error)
    with session_scope() as session:
        row = session.get(Activity, activity_id)
        assert row is not None and row.title == "Mainīja vadītājs"


def test_staff_submit_a_draft_and_it_locks_for_them(app_db: str) -> None:
    """A draft has Submit, Edit and Delete; once submitted it waits for review: no buttons,
    a caption that says so, and the service would refuse an edit anyway."""
    at = _open()
    _fill(at, "Stratēģijas darbnīca", total=4)
    at.radio(key="act_status").set_value(ActivityStatus.DRAFT)
    at.button(key=SUBMIT).click().run()
    with session_scope() as session:
        activity_id = session.scalars(select(Activity.id)).one()
    keys = {b.key for b in at.button}
    assert {f"submit_{activity_id}", f"edit_{activity_id}", f"delete_{activity_id}"} <= keys
    at.button(key=f"submit_{activity_id}").click().run()
    assert not at.exception and not at.error
    assert "Iesniegts pārbaudei" in at.success[0].value
    with session_scope() as session:
        row = session.get(Activity, activity_id)
        assert row is not None and row.status == "submitted" and row.submitted_at is not None
    keys = {b.key for b in at.button}
    assert not {f"submit_{activity_id}", f"edit_{activity_id}", f"delete_{activity_id}"} & keys
    assert "Gaida pārbaudi" in [c.value for c in at.caption]


def test_the_form_is_kept_as_it_is_typed_and_comes_back_after_a_reload(app_db: str) -> None:
    _organisation("Biedrība “Cēsu jaunieši”")
    at = _open()
    _add_participant(at, "Cēsu jaunieši", 4)
    at.text_input(key="act_title").input("Brīvprātīgo koordinatoru apmācība").run()
    at.number_input(key="act_total").set_value(9).run()
    at.number_input(key="act_hours").set_value(2.5).run()
    at.date_input(key="act_date").set_value(dt.date(2025, 9, 3)).run()
    assert _count(FormDraft) == 1 and _count(Activity) == 0

    again = _open()  # a reload: a new session of the same user
    assert again.text_input(key="act_title").value == "Brīvprātīgo koordinatoru apmācība"
    assert again.number_input(key="act_total").value == 9
    assert again.number_input(key="act_hours").value == 2.5
    assert again.date_input(key="act_date").value == dt.date(2025, 9, 3)
    assert "Apmeklētāji no organizācijām kopā: 4" in [c.value for c in again.caption]
    assert any("nesaglabātais ievads" in i.value for i in again.info)
    again.selectbox(key="act_municipality").set_value("0054000")
    again.multiselect(key="act_areas").set_value(["people"])
    again.button(key=SUBMIT).click().run()
    assert not again.exception and not again.error
    assert (_count(Activity), _count(FormDraft)) == (1, 0)  # saved: nothing kept any more

    third = _open()
    assert third.text_input(key="act_title").value == ""
    assert not third.info
    third.text_input(key="act_title").input("Pārdomāšu").run()
    assert _count(FormDraft) == 1
    fourth = _open()
    fourth.button(key="activity_discard").click().run()
    assert fourth.text_input(key="act_title").value == ""
    assert _count(FormDraft) == 0


def test_a_huge_search_is_refused_and_the_form_is_kept(app_db: str) -> None:
    """A 5 MB paste into the search box: a message naming the box, no crash, and the title,
    hours and municipality typed so far stay on the screen and in the kept form."""
    _organisation("Biedrība “Limbažu dārznieki”")
    at = _open()
    at.text_input(key="act_title").input("Dārzkopības seminārs").run()
    at.number_input(key="act_hours").set_value(3.5).run()
    at.selectbox(key="act_municipality").set_value("0054000").run()
    # set_value, not input: the value reaches the server as a client sent it, uncut
    at.text_input(key="participant_search").set_value("dārznieki " * 500_000).run()
    assert not at.exception, at.exception
    assert len(at.text_input(key="participant_search").value or "") == 200
    messages = " ".join(w.value for w in at.warning)
    assert "Meklēt organizāciju" in messages and "pirmās 200" in messages, messages
    assert at.text_input(key="act_title").value == "Dārzkopības seminārs"
    assert at.number_input(key="act_hours").value == 3.5
    assert at.selectbox(key="act_municipality").value == "0054000"
    at.text_input(key="participant_search").input("dārznieki").run()  # fixed: found again
    assert not at.warning and at.selectbox(key="participant_pick").options

    again = _open()  # a reload: the kept form has every field
    assert again.text_input(key="act_title").value == "Dārzkopības seminārs"
    assert again.number_input(key="act_hours").value == 3.5
    assert again.selectbox(key="act_municipality").value == "0054000"
    assert _count(Activity) == 0
    # The browser stops a paste at the limit already.
    assert again.text_input(key="participant_search").proto.max_chars == 200


def _errors(at: AppTest) -> str:
    return " | ".join(e.value for e in at.error)


def _open_in(lang: str | None, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The page in `lang`; AppTest formats the options of a select box again in the test's
    own thread, where the session's language is unknown: it is fixed there too."""
    if lang is None:
        return _open()
    monkeypatch.setattr(text, "lang", lambda: lang)
    at = sign_in(Role.STAFF, lang=lang)
    at.switch_page(page("activities.py")).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(("lang", "date_reason", "hours_reason"), [
    (None, "datumam jābūt programmas periodā", "Stundas"),
    ("en", "the date must be inside the programme period", "Hours"),
])
def test_a_rejected_date_or_hours_shows_as_rejected_and_blocks_saving(
        app_db: str, lang: str | None, date_reason: str, hours_reason: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """What the screen shows is what Save stores: a date outside the programme or negative
    hours stay on the screen as typed, marked rejected with the reason, and nothing saves."""
    at = _open_in(lang, monkeypatch)
    _fill(at, "Grāmatvedības konsultācija", total=1)
    at.date_input(key="act_date").set_value(dt.date(2024, 12, 20)).run()
    at.number_input(key="act_hours").set_value(-2.0).run()
    assert not at.exception, at.exception
    assert at.date_input(key="act_date").value == dt.date(2024, 12, 20)
    assert at.number_input(key="act_hours").value == -2.0
    assert date_reason in _errors(at) and hours_reason in _errors(at), _errors(at)
    at.button(key=SUBMIT).click().run()
    assert _count(Activity) == 0
    assert date_reason in _errors(at) and hours_reason in _errors(at), _errors(at)
    # Corrected: the messages go at once, and Save stores what the screen shows.
    at.date_input(key="act_date").set_value(dt.date(2025, 5, 6)).run()
    at.number_input(key="act_hours").set_value(1.5).run()
    assert not at.error, _errors(at)
    at.button(key=SUBMIT).click().run()
    assert not at.error, _errors(at)
    with session_scope() as session:
        saved = session.scalars(select(Activity)).one()
        assert (saved.activity_date, float(saved.hours)) == (dt.date(2025, 5, 6), 1.5)


def test_total_participants_starts_from_the_attendees(app_db: str) -> None:
    _organisation("Biedrība “Alūksnes mednieki”")
    _organisation("Biedrība “Alūksnes dziedātāji”")
    at = _open()
    _add_participant(at, "mednieki", 2)
    _add_participant(at, "dziedātāji", 3)
    assert at.number_input(key="act_total").value == 5
    at.text_input(key="act_title").input("Alūksnes biedrību tikšanās")
    at.button(key=SUBMIT).click().run()
    assert not at.error, _errors(at)
    with session_scope() as session:
        assert session.scalars(select(Activity.total_participants)).one() == 5
    # A total the user sets stays theirs when organisations are added.
    _add_participant(at, "mednieki", 1)
    at.number_input(key="act_total").set_value(12).run()
    _add_participant(at, "dziedātāji", 4)
    assert at.number_input(key="act_total").value == 12


def test_an_error_goes_once_its_field_is_valid(app_db: str) -> None:
    at = _open()
    _fill(at, "ab", total=1)
    at.button(key=SUBMIT).click().run()
    assert "vismaz 3" in _errors(at)
    at.text_input(key="act_title").input("Biedrības stratēģijas izstrādes konsultācija").run()
    assert "vismaz 3" not in _errors(at) and not at.error, _errors(at)
    assert _count(Activity) == 0


@pytest.mark.parametrize(("lang", "labels", "required"), [
    (None, ("Nosaukums", "Datums", "Stundas"), "obligāti jānorāda"),
    ("en", ("Title", "Date", "Hours"), "is required"),
])
def test_an_empty_form_names_every_missing_field(app_db: str, lang: str | None,
                                                 labels: tuple[str, ...], required: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    at = _open_in(lang, monkeypatch)
    at.date_input(key="act_date").set_value(None).run()
    at.number_input(key="act_hours").set_value(None).run()
    at.button(key=SUBMIT).click().run()
    assert not at.exception, at.exception
    messages = [e.value for e in at.error]
    for label in labels:  # each one its own message, next to its field
        assert f"{label}: {required}" in messages, messages
    assert _count(Activity) == 0
