"""The organisations page: search, profile, create, edit, enrol and move on, delete; refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from dashboards.components.text import plain
from db.enums import AssessmentKind, CapacityArea, EnrollmentStatus, LegalForm, Role
from db.models import Enrollment, Organization
from tests import factories as f
from tests.dashboards.conftest import page, sign_in
from tracker.auth import Actor
from tracker.database import session_scope
from tracker.schemas import (
    AssessmentCreate,
    EnrollmentCreate,
    OrganizationCreate,
    OrganizationUpdate,
    legal_entity_reg_nos,
)
from tracker.services import assessments, enrollments, organizations

CREATE = "FormSubmitter:org_new-Pievienot"
EDIT = "FormSubmitter:org_edit-Saglabāt izmaiņas"
ENROL = "FormSubmitter:org_enrol-Pieteikt"
TRICKY = "**Bold** <b>x</b> [link](http://e.lv)"
_numbers = legal_entity_reg_nos("50010")
SYSTEM = Actor.system()


def _organisation(name: str, **fields: Any) -> int:
    with session_scope() as session:
        return organizations.create_organization(session, actor=SYSTEM, data=OrganizationCreate(
            reg_no=next(_numbers), name=name, municipality_atvk="0054000", **fields)).id


def _cohort(incubator: str = "VIDZEME") -> int:
    with session_scope() as session:
        return f.cohort(session, incubator)


def _enrol(org_id: int, cohort_id: int) -> int:
    with session_scope() as session:
        return enrollments.enroll(session, actor=SYSTEM, data=EnrollmentCreate(
            organization_id=org_id, cohort_id=cohort_id, applied_on=dt.date(2025, 2, 3))).id


def _count(model: Any) -> int:
    with session_scope() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _open(role: Role = Role.STAFF, org: int | None = None, lang: str | None = None) -> AppTest:
    at = sign_in(role, lang)
    if org is not None:
        at.query_params["org"] = str(org)
    at.switch_page(page("organizations.py")).run()
    assert not at.exception, at.exception
    return at


def _shown(at: AppTest) -> list[str]:
    """Every text the page shows through Markdown (where user text could turn into markup)."""
    kinds = ("title", "subheader", "header", "markdown", "caption", "success", "info", "warning",
             "error")
    return [str(e.value) for kind in kinds for e in getattr(at, kind)]


def _errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MANAGER, Role.STAFF])
def test_list_and_profile_render_for_every_working_role(app_db: str, role: Role) -> None:
    org_id = _organisation("Biedrība “Cēsu jaunieši”", contact_name="Anna Bērziņa")
    _enrol(org_id, _cohort())
    at = _open(role)
    assert at.title[0].value == "Organizācijas"
    assert list(at.dataframe[0].value.iloc[:, 0]) == ["Biedrība “Cēsu jaunieši”"]
    at.query_params["org"] = str(org_id)
    at.run()
    assert not at.exception, at.exception
    assert at.header[0].value == "Biedrība “Cēsu jaunieši”"
    assert any("Anna Bērziņa" in t.value for t in at.text)  # the contact, for those who work
    assert [t.label for t in at.tabs] == ["Dalība ciklos", "Aktivitātes", "Novērtējumi",
                                          "Sasniegumi", "Labot"]
    deletes = [b for b in at.button if b.key == "org_delete"]
    assert len(deletes) == (0 if role is Role.STAFF else 1)  # deleting is for managers


def test_funder_cannot_open_the_page(app_db: str) -> None:
    at = sign_in(Role.FUNDER)
    for name in ("organizations.py", "capacity.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page(name))


def test_create_an_organisation_through_the_form(app_db: str) -> None:
    at = _open()
    number = next(_numbers)
    at.text_input(key="org_new_reg_no").input(number)
    at.text_input(key="org_new_name").input("Nodibinājums “Ērgļu kopiena”")
    at.selectbox(key="org_new_legal_form").set_value(LegalForm.FOUNDATION)
    at.selectbox(key="org_new_municipality").set_value("0026000")  # Cēsu novads
    at.text_input(key="org_new_fields").input("kultūra; jaunatne")
    at.date_input(key="org_new_founded_on").set_value(dt.date(2012, 4, 1))
    at.number_input(key="org_new_members").set_value(14)
    at.button(key=CREATE).click().run()
    assert not at.exception, at.exception
    assert not _errors(at), _errors(at)
    with session_scope() as session:
        org = session.scalars(select(Organization).where(Organization.reg_no == number)).one()
        assert (org.name, org.legal_form, org.members, org.fields_of_activity,
                org.founded_on) == ("Nodibinājums “Ērgļu kopiena”", "foundation", 14,
                                    ["kultūra", "jaunatne"], dt.date(2012, 4, 1))
    assert at.query_params["org"] == str(org.id)  # its profile is open, and in the URL
    assert at.header[0].value == "Nodibinājums “Ērgļu kopiena”"
    assert "Pievienota" in at.success[0].value
    assert at.text_input(key="org_new_name").value == ""  # the form is empty again


def test_bad_registration_number_shows_the_field_error_and_writes_nothing(app_db: str) -> None:
    at = _open()
    before = _count(Organization)
    at.text_input(key="org_new_reg_no").input("40008000001")
    at.text_input(key="org_new_name").input("Biedrība “Kļūda”")
    at.button(key=CREATE).click().run()
    assert not at.exception, at.exception
    assert _count(Organization) == before
    assert "Reģistrācijas numurs: reģistrācijas numura kontrolcipars nav pareizs" in _errors(at)
    assert at.text_input(key="org_new_name").value == "Biedrība “Kļūda”"  # input kept
    at.text_input(key="org_new_reg_no").input("12")
    at.text_input(key="org_new_name").input("B")
    at.button(key=CREATE).click().run()
    assert _count(Organization) == before
    assert {"Reģistrācijas numurs: reģistrācijas numuram jābūt 11 cipariem",
            "Nosaukums: jābūt vismaz 2 rakstzīmēm"} <= set(_errors(at))


def test_edit_and_a_stale_edit(app_db: str) -> None:
    org_id = _organisation("Biedrība “Vecais nosaukums”")
    at = _open(org=org_id)
    at.text_input(key=f"org_edit_{org_id}_name").input("Biedrība “Jaunais nosaukums”")
    at.number_input(key=f"org_edit_{org_id}_volunteers").set_value(7)
    at.button(key=EDIT).click().run()
    assert not at.exception and not _errors(at), _errors(at)
    with session_scope() as session:
        org = session.get(Organization, org_id)
        assert org is not None
        assert (org.name, org.volunteers, org.version) == ("Biedrība “Jaunais nosaukums”", 7, 2)
    assert at.header[0].value == "Biedrība “Jaunais nosaukums”"

    # Someone else saves meanwhile; this page's copy is now outdated.
    with session_scope() as session:
        organizations.update_organization(session, actor=SYSTEM, organization_id=org_id,
                                          data=OrganizationUpdate(name="Cita biedrība",
                                                                  version=2))
    at.text_input(key=f"org_edit_{org_id}_name").input("Mans labojums")
    at.button(key=EDIT).click().run()
    assert not at.exception, at.exception
    assert any("Kāds cits šo ierakstu jau ir mainījis" in e for e in _errors(at))
    with session_scope() as session:
        assert session.get(Organization, org_id).name == "Cita biedrība"  # type: ignore[union-attr]
    at.button(key="org_edit_reload").click().run()
    assert at.text_input(key=f"org_edit_{org_id}_name").value == "Cita biedrība"


def test_enrol_and_admit(app_db: str) -> None:
    org_id = _organisation("Biedrība “Smiltenes pūtēji”")
    cohort_id = _cohort("VIDZEME")
    _cohort("LATGALE")  # staff of Vidzeme cannot use it: not offered
    at = _open(org=org_id)
    assert at.selectbox(key="org_enrol_cohort").options == [f"Test cycle · {_vidzeme(at)}"]
    at.date_input(key="org_enrol_date").set_value(dt.date(2025, 3, 1))
    at.button(key=ENROL).click().run()
    assert not at.exception and not _errors(at), _errors(at)
    with session_scope() as session:
        enrollment = session.scalars(select(Enrollment)).one()
        assert (enrollment.organization_id, enrollment.cohort_id, enrollment.status) == \
            (org_id, cohort_id, "applied")

    move = f"org_move_{enrollment.id}_"
    assert at.selectbox(key=move + "status").options == ["uzņemta", "noraidīta", "izstājusies"]
    at.selectbox(key=move + "status").set_value(EnrollmentStatus.ADMITTED)
    at.date_input(key=move + "date").set_value(dt.date(2025, 3, 20))
    at.button(key=f"FormSubmitter:org_move_{enrollment.id}-Mainīt statusu").click().run()
    assert not at.exception and not _errors(at), _errors(at)
    with session_scope() as session:
        moved = session.get(Enrollment, enrollment.id)
        assert moved is not None
        assert (moved.status, moved.admitted_on) == ("admitted", dt.date(2025, 3, 20))
    # Only the moves an admitted enrolment can make are offered now.
    assert at.selectbox(key=move + "status").options == ["absolvējusi", "izstājusies"]

    # Withdrawing ends the enrolment: asked twice, nothing written before the yes.
    at.selectbox(key=move + "status").set_value(EnrollmentStatus.WITHDRAWN)
    at.button(key=f"FormSubmitter:org_move_{enrollment.id}-Mainīt statusu").click().run()
    assert at.warning and "nevarēs atsaukt" in at.warning[0].value
    with session_scope() as session:
        assert session.get(Enrollment, enrollment.id).status == "admitted"  # type: ignore[union-attr]
    at.button(key=f"org_move_yes_{enrollment.id}").click().run()
    with session_scope() as session:
        assert session.get(Enrollment, enrollment.id).status == "withdrawn"  # type: ignore[union-attr]


def _vidzeme(at: AppTest) -> str:
    return "Vidzemes NVO reģionālais inkubators"


def test_a_date_before_the_application_is_shown_next_to_the_date(app_db: str) -> None:
    org_id = _organisation("Biedrība “Datumi”")
    enrollment_id = _enrol(org_id, _cohort())
    at = _open(org=org_id)
    move = f"org_move_{enrollment_id}_"
    at.date_input(key=move + "date").set_value(dt.date(2025, 1, 10))
    at.button(key=f"FormSubmitter:org_move_{enrollment_id}-Mainīt statusu").click().run()
    assert not at.exception, at.exception
    assert any(e.startswith("Datums:") for e in _errors(at)), _errors(at)
    with session_scope() as session:
        assert session.get(Enrollment, enrollment_id).status == "applied"  # type: ignore[union-attr]


def test_profile_shows_activities_attended_and_assessments(app_db: str) -> None:
    org_id = _organisation("Biedrība “Rūjienas saieta nams”")
    cohort_id = _cohort()
    _enrol(org_id, cohort_id)
    with session_scope() as session:
        f.activity(session, title="Finanšu plānošanas apmācība", activity_date="2025-04-02",
                   total_participants=5,
                   participations=[{"organization_id": org_id, "attendees": 3}])
        for kind, day, score in ((AssessmentKind.INTAKE, dt.date(2025, 2, 10), 2),
                                 (AssessmentKind.GRADUATION, dt.date(2025, 11, 20), 3)):
            assessments.record_assessment(session, actor=SYSTEM, data=AssessmentCreate(
                organization_id=org_id, cohort_id=cohort_id, kind=kind, assessed_on=day,
                scores=dict.fromkeys(CapacityArea, score)))
    at = _open(org=org_id)
    activities = at.tabs[1].dataframe[0].value
    assert list(activities.iloc[:, 1]) == ["Finanšu plānošanas apmācība"]
    assert list(activities.iloc[:, -1]) == [3]
    scores = at.tabs[2].dataframe[0].value
    assert list(scores.iloc[:, 2]) == ["50,00", "75,00"]
    assert list(scores.iloc[:, 3].fillna("–")) == ["–", "+25,00"]
    metrics = {m.label: m for m in at.metric}
    assert metrics["Apmeklētās aktivitātes"].value == "1"
    assert metrics["Kapacitātes indekss"].value == "75,00"
    assert metrics["Kapacitātes indekss"].delta == "+25,00 kopš sākuma"


def test_a_name_with_markup_is_shown_as_typed(app_db: str) -> None:
    org_id = _organisation(TRICKY)
    at = _open()
    assert TRICKY in list(at.dataframe[0].value.iloc[:, 0])
    at.query_params["org"] = str(org_id)
    at.run()
    assert not at.exception, at.exception
    shown = _shown(at)
    assert any("Bold" in s for s in shown)
    for text in shown:  # wherever the name is, its markup characters are escaped
        assert "**Bold**" not in text and "<b>" not in text and "](http" not in text, text
    assert at.header[0].value == plain(TRICKY)


def test_staff_of_another_incubator_may_not_edit_or_move(app_db: str) -> None:
    org_id = _organisation("Biedrība “Latgales balsis”")
    enrollment_id = _enrol(org_id, _cohort("LATGALE"))
    at = _open(Role.STAFF, org=org_id)
    assert any("var labot tās inkubatora darbinieki" in i.value for i in at.info)
    keys = {w.key for w in at.text_input} | {w.key for w in at.selectbox}
    assert f"org_edit_{org_id}_name" not in keys
    assert f"org_move_{enrollment_id}_status" not in keys
    with pytest.raises(KeyError):
        at.button(key="org_delete")


def test_manager_deletes_after_confirming(app_db: str) -> None:
    org_id = _organisation("Biedrība “Dzēšamā”")
    at = _open(Role.MANAGER, org=org_id)
    at.button(key="org_delete").click().run()
    assert "Dzēst Biedrība “Dzēšamā”?" in at.warning[0].value
    with session_scope() as session:
        assert session.get(Organization, org_id).deleted_at is None  # type: ignore[union-attr]
    at.button(key="org_delete_yes").click().run()
    assert not at.exception, at.exception
    with session_scope() as session:
        assert session.get(Organization, org_id).deleted_at is not None  # type: ignore[union-attr]
    assert "org" not in at.query_params
    assert "Dzēsta" in at.success[0].value


def test_search_filters_and_latvian_order(app_db: str) -> None:
    for name in ("Biedrība Žagatas", "Biedrība Zaķi", "Biedrība Ābeles", "Biedrība Azote",
                 "Biedrība Čiekuri"):
        _organisation(name)
    admitted = _organisation("Biedrība Ūdensrozes")
    enrollment_id = _enrol(admitted, _cohort())
    at = _open()
    assert list(at.dataframe[0].value.iloc[:, 0]) == [
        "Biedrība Azote", "Biedrība Ābeles", "Biedrība Čiekuri", "Biedrība Ūdensrozes",
        "Biedrība Zaķi", "Biedrība Žagatas"]
    at.text_input(key="org_search").input("udensrozes").run()
    assert list(at.dataframe[0].value.iloc[:, 0]) == ["Biedrība Ūdensrozes"]
    at.text_input(key="org_search").input("").run()
    at.selectbox(key="org_f_status").set_value(EnrollmentStatus.APPLIED).run()
    assert list(at.dataframe[0].value.iloc[:, 0]) == ["Biedrība Ūdensrozes"]
    assert enrollment_id
    at.selectbox(key="org_f_status").set_value(EnrollmentStatus.ADMITTED).run()
    assert not at.dataframe
    assert "Neviena organizācija" in at.info[0].value


def test_selecting_a_row_opens_the_profile(app_db: str) -> None:
    _organisation("Biedrība Alfa")
    beta = _organisation("Biedrība Beta")
    at = _open()
    table = at.dataframe[0]
    assert table.key is not None
    at.session_state[table.key] = {"selection": {"rows": [1], "columns": []}}
    at.run()
    assert not at.exception, at.exception
    assert at.query_params["org"] == str(beta)
    assert at.header[0].value == "Biedrība Beta"
    at.button(key="org_close").click().run()
    assert "org" not in at.query_params and not at.header


def test_paging(app_db: str) -> None:
    with session_scope() as session:
        for n in range(30):
            organizations.create_organization(session, actor=SYSTEM, data=OrganizationCreate(
                reg_no=next(_numbers), name=f"Biedrība {n:02d}"))
    at = _open()
    assert len(at.dataframe[0].value) == 25
    assert "30" in at.caption[0].value
    at.number_input(key="org_page").set_value(2).run()
    assert list(at.dataframe[0].value.iloc[:, 0]) == [f"Biedrība {n}" for n in range(25, 30)]


def test_english(app_db: str) -> None:
    org_id = _organisation("Biedrība “Valka”", founded_on=dt.date(2001, 5, 4))
    at = _open(Role.MANAGER, org=org_id, lang="en")
    assert at.title[0].value == "Organisations"
    assert at.tabs[0].label == "Cycles"
    assert any("4 May 2001" in t.value for t in at.text)


def test_an_unknown_or_broken_link_is_a_message(app_db: str) -> None:
    at = _open(org=999)
    assert not at.exception
    assert "nav atrasts" in at.warning[0].value
    at.query_params["org"] = "abc"
    at.run()
    assert "nav derīga" in at.warning[0].value


def test_profile_lists_the_opinions_the_organisation_signed(app_db: str) -> None:
    from tests import dialogue_factories as d

    org_id = _organisation("Biedrība “Valkas vides draugi”")
    other = _organisation("Otra biedrība")
    with session_scope() as session:
        doc = d.document(session, ref="25-TA-4242", title="Grozījumi Vides likumā")
        d.opinion(session, doc, authors=[org_id, other],
                  outcome="partly_taken_into_account")
    at = _open(org=org_id)
    said = at.tabs[3].dataframe[-1].value
    assert list(said.iloc[:, 1]) == ["25-TA-4242 Grozījumi Vides likumā"]
    assert list(said.iloc[:, 2]) == [2]
    assert list(said.iloc[:, 3]) == ["daļēji ņemts vērā"]
