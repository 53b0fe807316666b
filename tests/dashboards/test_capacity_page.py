"""The capacity page: pick an organisation, assess its 7 areas, record a milestone; refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from dashboards.components.text import plain
from db.enums import AssessmentKind, CapacityArea, MilestoneKind, Role
from db.models import Assessment, AssessmentScore, Milestone
from tests import factories as f
from tests.dashboards.conftest import page, sign_in
from tracker.auth import Actor
from tracker.database import session_scope
from tracker.schemas import EnrollmentCreate, OrganizationCreate, legal_entity_reg_nos
from tracker.services import enrollments, organizations

ASSESS = "FormSubmitter:assessment-Saglabāt novērtējumu"
MILESTONE = "FormSubmitter:milestone-Saglabāt sasniegumu"
TRICKY = "**Bold** <b>x</b> [link](http://e.lv)"
_numbers = legal_entity_reg_nos("50011")
SYSTEM = Actor.system()


def _organisation(name: str, incubator: str | None = "VIDZEME") -> int:
    """An organisation, enrolled in a new cycle of `incubator` (None: in no cycle)."""
    with session_scope() as session:
        org = organizations.create_organization(session, actor=SYSTEM, data=OrganizationCreate(
            reg_no=next(_numbers), name=name, municipality_atvk="0054000"))
        if incubator:
            enrollments.enroll(session, actor=SYSTEM, data=EnrollmentCreate(
                organization_id=org.id, cohort_id=f.cohort(session, incubator),
                applied_on=dt.date(2025, 2, 3)))
        return org.id


def _count(model: Any) -> int:
    with session_scope() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _open(role: Role = Role.STAFF, org: int | None = None) -> AppTest:
    at = sign_in(role)
    if org is not None:
        at.query_params["org"] = str(org)
    at.switch_page(page("capacity.py")).run()
    assert not at.exception, at.exception
    return at


def _score(at: AppTest, *values: int) -> None:
    for area, value in zip(CapacityArea, values, strict=True):
        at.radio(key=f"cap_score_{area.value}").set_value(value)


def _errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MANAGER, Role.STAFF])
def test_renders_for_every_working_role(app_db: str, role: Role) -> None:
    org_id = _organisation("Biedrība “Līvānu kopiena”")
    at = _open(role)
    assert at.title[0].value == "Kapacitāte un sasniegumi"
    assert "Biedrība “Līvānu kopiena”" in at.selectbox(key="cap_org").options[0]
    at.query_params["org"] = str(org_id)
    at.run()
    assert not at.exception, at.exception
    assert at.subheader[0].value == "Biedrība “Līvānu kopiena”"
    assert len([r for r in at.radio if str(r.key).startswith("cap_score_")]) == 7
    assert at.radio(key="cap_score_governance").options == ["1", "2", "3", "4"]


def test_funder_cannot_open_the_page(app_db: str) -> None:
    at = sign_in(Role.FUNDER)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page("capacity.py"))


def test_each_level_is_described_in_both_languages(app_db: str) -> None:
    org_id = _organisation("Biedrība “Apraksti”")
    at = _open(org=org_id)
    captions = at.radio(key="cap_score_advocacy").proto.captions
    assert len(captions) == 4 and "TAP" in captions[2]


def test_assessment_saves_seven_scores_and_shows_the_index(app_db: str) -> None:
    org_id = _organisation("Biedrība “Madonas mednieki”")
    at = _open(org=org_id)
    at.selectbox(key="cap_kind").set_value(AssessmentKind.INTAKE)
    at.date_input(key="cap_date").set_value(dt.date(2025, 2, 20))
    _score(at, 2, 2, 2, 2, 2, 2, 2)
    at.button(key=ASSESS).click().run()
    assert not at.exception and not _errors(at), _errors(at)
    assert "Kapacitātes indekss: 50,00" in at.success[0].value
    assert "pirmais novērtējums" in at.success[0].value
    assert at.radio(key="cap_score_governance").value is None  # the form is empty again

    at.selectbox(key="cap_kind").set_value(AssessmentKind.MIDPOINT)
    at.date_input(key="cap_date").set_value(dt.date(2025, 6, 20))
    _score(at, 1, 2, 3, 4, 3, 2, 1)
    at.text_area(key="cap_notes").input("Jauna valde")
    at.button(key=ASSESS).click().run()
    assert not at.exception and not _errors(at), _errors(at)
    assert "Kapacitātes indekss: 57,14" in at.success[0].value
    assert "Izmaiņa kopš sākuma novērtējuma: +7,14 punkti" in at.success[0].value
    with session_scope() as session:
        latest = session.scalars(select(Assessment).order_by(Assessment.id.desc())).first()
        assert latest is not None
        assert (latest.kind, latest.capacity_index, latest.notes, latest.cohort_id is not None) \
            == ("midpoint", Decimal("57.14"), "Jauna valde", True)
        scores = dict(session.execute(select(AssessmentScore.area, AssessmentScore.score).where(
            AssessmentScore.assessment_id == latest.id)).all())
        assert scores == {"governance": 1, "strategy": 2, "finance": 3, "people": 4,
                          "delivery": 3, "communication": 2, "advocacy": 1}
    assert list(at.tabs[0].dataframe[0].value.iloc[:, 2]) == ["57,14", "50,00"]  # newest first
    index = next(m for m in at.metric if m.label == "Kapacitātes indekss")
    assert (index.value, index.delta) == ("57,14", "+7,14 kopš sākuma")


def test_an_incomplete_assessment_names_what_is_missing_and_writes_nothing(app_db: str) -> None:
    org_id = _organisation("Biedrība “Nepabeigtā”")
    at = _open(org=org_id)
    for area in list(CapacityArea)[:5]:
        at.radio(key=f"cap_score_{area.value}").set_value(3)
    at.button(key=ASSESS).click().run()
    assert not at.exception, at.exception
    assert _count(Assessment) == 0
    assert any(e.startswith("Vērtējumi: jānovērtē visas 7 jomas") for e in _errors(at))
    assert at.radio(key="cap_score_governance").value == 3  # what was entered stays


def test_milestone_saves(app_db: str) -> None:
    org_id = _organisation("Biedrība “Alūksnes ezers”")
    at = _open(org=org_id)
    at.selectbox(key="ms_kind").set_value(MilestoneKind.GRANT_AWARDED)
    at.date_input(key="ms_date").set_value(dt.date(2025, 9, 1))
    at.number_input(key="ms_amount").set_value(1500.5)
    at.text_input(key="ms_reference").input("TAP-2025-0917")
    at.text_area(key="ms_description").input("Atbalsts jauniešu nometnei")
    at.button(key=MILESTONE).click().run()
    assert not at.exception and not _errors(at), _errors(at)
    assert "piešķirts finansējums" in at.success[0].value
    with session_scope() as session:
        saved = session.scalars(select(Milestone)).one()
        assert (saved.kind, saved.achieved_on, saved.amount_eur, saved.reference,
                saved.incubator_id is not None) == (
            "grant_awarded", dt.date(2025, 9, 1), Decimal("1500.50"), "TAP-2025-0917", True)
    assert list(at.tabs[1].dataframe[0].value.iloc[:, 3]) == ["TAP-2025-0917"]


def test_milestone_with_a_bad_amount_writes_nothing(app_db: str) -> None:
    org_id = _organisation("Biedrība “Summas”")
    at = _open(org=org_id)
    at.text_input(key="ms_reference").input("x" * 200)
    at.text_area(key="ms_description").input("a\x07b")  # a control character
    at.button(key=MILESTONE).click().run()
    assert not at.exception, at.exception
    assert _count(Milestone) == 0
    assert any(e.startswith("Apraksts:") for e in _errors(at)), _errors(at)


def test_staff_cannot_assess_an_organisation_outside_their_cycles(app_db: str) -> None:
    org_id = _organisation("Biedrība “Zemgales dārzi”", incubator="ZEMGALE")
    at = _open(org=org_id)
    assert any("jūsu inkubatora ciklā" in i.value for i in at.info)
    assert not [r for r in at.radio if str(r.key).startswith("cap_score_")]


def test_picking_an_organisation_puts_it_in_the_url(app_db: str) -> None:
    org_id = _organisation("Biedrība “Ogres upe”")
    _organisation("Biedrība “Cita”")
    at = _open()
    at.text_input(key="cap_search").input("ogres").run()
    at.selectbox(key="cap_org").select_index(0).run()
    assert not at.exception, at.exception
    assert at.query_params["org"] == str(org_id)
    assert at.subheader[0].value == "Biedrība “Ogres upe”"


def test_a_name_with_markup_is_shown_as_typed(app_db: str) -> None:
    org_id = _organisation(TRICKY)
    at = _open(org=org_id)
    assert at.subheader[0].value == plain(TRICKY)
    assert at.selectbox(key="cap_org").value == org_id
    kinds = ("title", "subheader", "markdown", "caption", "success", "info", "warning")
    for text in (str(e.value) for kind in kinds for e in getattr(at, kind)):
        assert "**Bold**" not in text and "<b>" not in text and "](http" not in text, text
