"""The forecast page under manager and funder: status table, charts, warnings, as-of in URL."""

from __future__ import annotations

import datetime as dt

import pytest

from db.enums import EnrollmentStatus, Role
from tests import factories as f
from tests.dashboards.conftest import page, sign_in
from tracker.database import session_scope
from tracker.schemas import EnrollmentStatusChange, PersonCreate
from tracker.services import enrollments, people


def _data(status: str) -> None:
    """One Vidzeme organisation admitted 05.02.2025, last taking part on 10.01.2025 in a
    12-hour training with 3 attendees, one of them named (trained that day)."""
    with session_scope() as session:
        org, _, enrollment = f.enrolled_organization(session, "VIDZEME")
        enrollments.change_enrollment_status(
            session, actor=f.ADMIN, enrollment_id=enrollment, data=EnrollmentStatusChange(
                status=EnrollmentStatus.ADMITTED, on_date=dt.date(2025, 2, 5), version=1))
        person = people.create_person(session, actor=f.ADMIN, data=PersonCreate(
            incubator_id=f.incubator_id(session, "VIDZEME"), ref="P-1", first_name="Anna",
            last_name="Bērziņa", consent_date=dt.date(2025, 1, 2)))
        f.activity(session, type="training", activity_date="2025-01-10", status=status,
                   hours="12", total_participants=3,
                   participations=[{"organization_id": org, "attendees": 3}],
                   attendees=[{"person_id": person.id}])


def _texts(at: object, kind: str) -> str:
    return " ".join(str(e.value) for e in getattr(at, kind))


def test_manager_sees_forecast_charts_and_warnings(app_db: str) -> None:
    _data("approved")
    at = sign_in(Role.MANAGER)
    at.query_params["asof"] = "2025-04-30"
    at.switch_page(page("forecast.py")).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Prognoze un brīdinājumi"
    assert at.date_input(key="fc_asof").value == dt.date(2025, 4, 30)
    programme, incubators, inactive, logging = (d.value for d in at.dataframe)
    trained = programme[programme["Rādītājs"] == "Apmācīti NVO vadītāji un biedri"].iloc[0]
    assert (trained["Vērtība"], trained["Mērķis"]) == (1, 40)  # the named person, once
    # 1 + 1/120 * 610 = 6.08; even the high end (1 + 610 * 0.4 * 1/31 = 8.87) is under 40.
    assert trained["Statuss"] == "atpaliek"
    attendances = programme[programme["Rādītājs"] == "Apmācību apmeklējumi"].iloc[0]
    assert attendances["Vērtība"] == 3 and attendances["Statuss"] == "bez mērķa"
    assert len(incubators) == 8 * 4
    assert "atpaliek" in _texts(at, "markdown")  # organisations supported: 1 of 250
    assert len(inactive) == 1 and inactive["Organizācija"][0].startswith("Biedrība Nr.")
    assert list(inactive["Pēdējā aktivitāte"]) == ["10.01.2025"]
    assert list(inactive["Dienas kopš tās"]) == [110]
    assert list(logging["Reģistrēšana"]) == ["apstājusies"] * 4
    assert "Apmācību apmeklējumi: tiek skaitīti apmeklējumi, nevis personas" in \
        _texts(at, "caption")
    assert "Apmācīti NVO vadītāji un biedri: skaitītas personas, katra vienreiz" in \
        _texts(at, "caption")
    assert "sasniedz 12" in _texts(at, "caption")
    assert "10.01.2025" in _texts(at, "warning")  # the data ends long before as-of
    assert "Vidzemes" in _texts(at, "error")
    assert len(at.get("plotly_chart")) == 3  # running total, pace by incubator, weekly
    at.selectbox(key="fc_region").set_value("LATGALE").run()
    assert not at.exception, at.exception
    assert at.query_params["region"] in ("LATGALE", ["LATGALE"])
    assert at.query_params["asof"] in ("2025-04-30", ["2025-04-30"])
    assert "mērķi nav sadalīti" in _texts(at, "info")
    assert "Visas cikla organizācijas ir aktīvas" in _texts(at, "success")


def test_funder_counts_approved_only_in_english(app_db: str) -> None:
    _data("submitted")
    at = sign_in(Role.FUNDER, lang="en")
    at.switch_page(page("forecast.py")).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Forecast and warnings"
    programme = at.dataframe[0].value
    assert set(programme["Value"]) == {0}  # the only activity is not approved
    assert {"Training attendances", "NGO leaders and members trained"} <= set(
        programme["Indicator"])
    assert "Training attendances: counts attendances, not people" in _texts(at, "caption")
    assert "NGO leaders and members trained: counts people, each once" in \
        _texts(at, "caption")
    assert "Anna" not in _texts(at, "markdown") + _texts(at, "caption")  # never a name
    assert "No activity for these filters" in _texts(at, "info")
    assert "Only approved activities are counted." in _texts(at, "caption")
    for table in at.dataframe:  # organisation names only: no contact person, e-mail, phone
        assert not any("contact" in str(c).lower() or "mail" in str(c).lower()
                       for c in table.value.columns)


def test_staff_cannot_open_the_forecast(app_db: str) -> None:
    at = sign_in(Role.STAFF)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page("forecast.py"))


@pytest.mark.parametrize("role", [Role.FUNDER, Role.MANAGER])
def test_inactive_list_has_no_deleted_organisation(app_db: str, role: Role) -> None:
    """Two quiet cycle organisations; one is deleted: only the other is listed, and a draft
    activity of it makes it neither active nor gives its date."""
    from tracker.services import organizations

    _data("draft")
    with session_scope() as session:
        gone, _, enrollment = f.enrolled_organization(session, "VIDZEME")
        enrollments.change_enrollment_status(
            session, actor=f.ADMIN, enrollment_id=enrollment, data=EnrollmentStatusChange(
                status=EnrollmentStatus.ADMITTED, on_date=dt.date(2025, 2, 5), version=1))
        name = organizations.get_organization(session, actor=f.ADMIN,
                                              organization_id=gone).name
        organizations.delete_organization(session, actor=f.ADMIN, organization_id=gone,
                                          version=1)
    at = sign_in(role)
    at.query_params["asof"] = "2025-04-30"
    at.switch_page(page("forecast.py")).run()
    assert not at.exception, at.exception
    inactive = next(d.value for d in at.dataframe if "Organizācija" in d.value.columns)
    assert len(inactive) == 1 and name not in set(inactive["Organizācija"])
    assert list(inactive["Pēdējā aktivitāte"]) == ["nekad"]
    assert name not in " ".join(str(e.value) for e in at.markdown)
