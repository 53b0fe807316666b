"""The capacity journeys page: programme charts under filters, one organisation from the URL."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from db.enums import Role
from db.models import Organization
from tests.dashboards.conftest import page, sign_in
from tests.dashboards.test_demo_accounts import _everything_shown
from tests.tracker.test_journeys import _build
from tracker.database import session_scope

CONTACT = ("Anna Bērziņa", "anna.berzina@example.lv", "+37129123456")


def _data() -> dict[str, int]:
    """The hand-built journeys of tests/tracker/test_journeys.py; a has a contact person."""
    with session_scope() as session:
        data = _build(session)
        org = session.get(Organization, data["a"])
        assert org is not None
        org.contact_name, org.contact_email, org.contact_phone = CONTACT
    return data


def _open(role: Role, org: int | None = None, lang: str | None = None) -> AppTest:
    at = sign_in(role, lang)
    if org is not None:
        at.query_params["org"] = str(org)
    at.switch_page(page("journeys.py")).run()
    assert not at.exception, at.exception
    return at


def test_manager_sees_journeys_and_the_url_drives_the_organisation(app_db: str) -> None:
    data = _data()
    at = _open(Role.MANAGER, org=data["a"])
    assert at.title[0].value == "Kapacitātes ceļš"
    # distribution, funnel, support scatter, area bars, radar, index line
    assert len(at.get("plotly_chart")) == 6
    assert at.selectbox(key="jr_org").value == data["a"]
    assert any("50,00 sākumā, 60,71 pēdējā novērtējumā (+10,71 punkti)" in c.value
               for c in at.caption)
    funnel = next(d.value for d in at.dataframe if "Pieteikušās" in d.value.columns)
    assert list(funnel["Pieteikušās"]) == [6, 1, 7] and list(funnel["Absolvējušas"]) == [2, 1, 3]
    # a filter goes into the URL and the organisation stays
    at.selectbox(key="jr_region").set_value("LATGALE").run()
    assert not at.exception, at.exception
    assert at.query_params["region"] in ("LATGALE", ["LATGALE"])
    change = next(d.value for d in at.dataframe if "Mediāna" in d.value.columns)
    assert list(change["Organizācijas"]) == [1, 1]  # Latgale's cycle, and all
    # the picker offers Latgale's organisations only; a (Vidzeme) is outside the filters
    assert at.selectbox(key="jr_org").options == ["Čiekuru biedrība"]
    assert at.selectbox(key="jr_org").value is None
    assert any("ārpus izvēlētajiem filtriem" in i.value for i in at.info)
    # picking an organisation puts it in the URL; a link from outside wins over the picker
    at.selectbox(key="jr_org").set_value(data["c"]).run()
    assert at.query_params["org"] in (str(data["c"]), [str(data["c"])])
    at.selectbox(key="jr_region").set_value("VIDZEME").run()  # b is in a Vidzeme cycle
    at.query_params["org"] = str(data["b"])
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="jr_org").value == data["b"]
    # an organisation without assessments (or a broken link) is not picked
    at.query_params["org"] = str(data["e"])
    at.run()
    assert at.selectbox(key="jr_org").value is None
    assert any("nav atrasta" in w.value for w in at.warning)


def test_funder_sees_names_but_no_contact_person(app_db: str) -> None:
    data = _data()
    at = _open(Role.FUNDER, org=data["a"], lang="en")
    assert at.title[0].value == "Capacity journeys"
    assert len(at.get("plotly_chart")) == 6
    shown = _everything_shown(at._tree)
    assert "Ābeļu biedrība" in shown
    assert [c for c in CONTACT if c in shown] == []
    assert any("Only approved activities are counted." in c.value for c in at.caption)
    hours = next(d.value for d in at.dataframe if "Support hours" in d.value.columns
                 and "Area" in d.value.columns)
    # governance a 4 + b 4, strategy c 6, finance a 4 + b 4 (a's submitted 2 h not counted)
    assert list(hours["Support hours"])[:3] == [8.0, 6.0, 8.0]


def test_empty_database_says_so(app_db: str) -> None:
    at = _open(Role.ADMIN)
    assert not at.get("plotly_chart")
    infos = " ".join(i.value for i in at.info)
    assert "nav gan sākuma, gan noslēguma" in infos and "nav neviena pieteikuma" in infos
    assert "Vēl nav novērtēta neviena organizācija." in infos


def test_staff_cannot_open_the_page(app_db: str) -> None:
    at = sign_in(Role.STAFF)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page("journeys.py"))
