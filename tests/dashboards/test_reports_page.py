"""The reports page under manager and funder (staff are refused): the funder report is built
and offered for download, every data table has CSV and Excel downloads, and nothing a funder
gets holds personal data."""

from __future__ import annotations

import io
import zipfile

import pytest
from streamlit.testing.v1 import AppTest

from db.enums import Role
from tests.conftest import chromium, need
from tests.dashboards.conftest import page, sign_in
from tests.factories import reg_no
from tracker import exports, reports

SECRETS = ("Kristīne Noslēpumiņa", "kristine.noslepumina@privats.lv", "+371 2600 4455")


@pytest.fixture
def no_drawing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Charts are drawn once in the whole suite (tests/tracker/test_reports.py): here the
    report is built as on a server without Chromium, which must work too."""
    def unavailable(*args: object, **kwargs: object) -> list[bytes]:
        raise exports.ChartExportUnavailable()

    monkeypatch.setattr(exports, "figures_png", unavailable)


def _download_labels(at: AppTest) -> list[str]:
    return [str(b.proto.label) for b in at.get("download_button")]


def test_manager_builds_the_report_and_downloads_tables(app_db: str, no_drawing: None) -> None:
    at = sign_in(Role.MANAGER)
    at.switch_page(page("reports.py")).run()

    assert not at.exception, at.exception
    assert at.title[0].value == "Atskaites un eksports"
    assert [e.label for e in at.expander] == [
        "Rādītāji un mērķi", "Ceturkšņi pa inkubatoriem", "Aktivitāšu veidi",
        "Kapacitātes jomas", "Pa plānošanas reģioniem", "Pa pašvaldībām", "Pa inkubatoriem",
        # the civic-dialogue sheet's tables (tracker.reports.dialogue_tables)
        "Pilsoniskā dialoga rādītāji", "Viedokļu iznākumi pa inkubatoriem",
        "Viedokļu iznākumi pa ceturkšņiem", "Iestādes, ar kurām visvairāk sadarbojāmies",
        "Organizācijas, kas iesniegušas viedokļus, pa reģioniem"]
    # a fresh database: nothing per quarter, type or area yet, said in words
    assert [i.value for i in at.info].count("Šiem filtriem datu nav.") == 3
    assert "Periodā nav apstiprinātu viedokļu." in [i.value for i in at.info]
    # indicators, regions, municipalities and incubators, the 5 civic-dialogue tables: CSV
    # and Excel each
    assert _download_labels(at) == ["CSV", "Excel"] * 9

    at.button(key="rp_build").click().run()

    assert not at.exception, at.exception
    assert "Atskaite gatava" in at.success[0].value
    assert _download_labels(at)[0] == "Lejupielādēt atskaiti (Excel)"
    built = at.session_state["rp_report"][1]
    assert built.startswith(b"PK")  # an .xlsx (a zip)

    at.selectbox(key="rp_region").set_value("LATGALE").run()  # other filters: build again
    assert not at.exception
    assert at.query_params["region"] in ("LATGALE", ["LATGALE"])
    assert "Lejupielādēt atskaiti (Excel)" not in _download_labels(at)
    assert [o for o in at.selectbox(key="rp_incubator").options] == ["Visi",
                                                                     "Latgales NVO reģionālais "
                                                                     "inkubators"]


def _latgale_training() -> None:
    """An approved training in Latgale of an organisation with a contact person."""
    from tracker.auth import Actor
    from tracker.database import session_scope
    from tracker.schemas import ActivityCreate, OrganizationCreate
    from tracker.services import activities, organizations, reference

    with session_scope() as session:
        org = organizations.create_organization(
            session, actor=Actor.system(), data=OrganizationCreate.model_validate({
                "reg_no": reg_no(), "name": "Biedrība „Kalnu ceļš”",
                "municipality_atvk": "0002000", "contact_name": SECRETS[0],
                "contact_email": SECRETS[1], "contact_phone": SECRETS[2]}))
        latgale = next(i for i in reference.list_incubators(session, actor=Actor.system())
                       if i.code == "LATGALE")
        activities.log_activity(session, actor=Actor.system(), data=ActivityCreate(
            incubator_id=latgale.id, type="training", title="Apmācība", status="approved",
            activity_date="2025-05-05", hours="2", total_participants=3,
            capacity_areas=["finance"],
            participations=[{"organization_id": org.id, "attendees": 3}]))


def test_funder_gets_the_report_without_personal_data(app_db: str, no_drawing: None) -> None:
    _latgale_training()
    at = sign_in(Role.FUNDER, lang="en")
    at.switch_page(page("reports.py")).run()
    at.button(key="rp_build").click().run()

    assert not at.exception, at.exception
    assert at.title[0].value == "Reports and exports"
    assert "Only approved activities are counted." in [c.value for c in at.caption]
    report = at.session_state["rp_report"][1]
    with zipfile.ZipFile(io.BytesIO(report)) as archive:
        text = "".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    assert "Latgale regional NGO incubator" in text  # the scan reads the report
    assert [s for s in SECRETS if s in text] == []
    assert "@" not in text
    shown = "".join(str(e.proto) for e in at.main) + "".join(
        d.value.to_string() for d in at.dataframe)
    assert "Latgale" in shown
    assert [s for s in SECRETS if s in shown] == []


def test_the_report_built_on_the_page_has_its_map_and_charts_drawn(app_db: str) -> None:
    """With Chromium, the report the page builds holds the map and the charts as PNG images
    (the path every other test here replaces with "unavailable")."""
    need(chromium() is not None, "drawing the report's charts needs Chromium (apt-get install "
         "chromium, or point BROWSER_PATH at it)")
    _latgale_training()
    at = sign_in(Role.MANAGER)
    at.switch_page(page("reports.py")).run()
    assert not any("nav Chromium" in i.value for i in at.info)
    at.button(key="rp_build").click().run()

    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    report = at.session_state["rp_report"][1]
    with zipfile.ZipFile(io.BytesIO(report)) as archive:
        images = [archive.read(n) for n in archive.namelist() if n.startswith("xl/media/")]
    # the map, activities and organisations by quarter, types, areas, incubators compared
    assert len(images) == 6 and all(i.startswith(b"\x89PNG") for i in images)
    sizes = {(int.from_bytes(i[16:20], "big"), int.from_bytes(i[20:24], "big"))
             for i in images}
    assert reports.MAP_SIZE in sizes


def test_staff_cannot_open_the_reports_page(app_db: str) -> None:
    at = sign_in(Role.STAFF)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page("reports.py"))


def _chart_script() -> None:
    import plotly.graph_objects as go

    from dashboards.components.downloads import show_chart

    show_chart(go.Figure(go.Bar(x=[1], y=[1])), name="Grafiks", key="c")


def test_png_button_only_where_chromium_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    without = AppTest.from_function(_chart_script).run()
    assert not without.exception
    assert len(without.get("plotly_chart")) == 1  # the camera icon still saves a PNG
    assert without.get("download_button") == []

    monkeypatch.setenv("BROWSER_PATH", "/bin/sh")  # any executable: nothing is drawn here
    with_browser = AppTest.from_function(_chart_script).run()
    assert _download_labels(with_browser) == ["PNG attēls"]


def test_funder_sees_the_civic_dialogue_section_without_notes(app_db: str) -> None:
    """The report's civic-dialogue sheet on the page: approved opinions' figures and charts,
    no note nor summary (planted in both)."""
    import datetime as dt

    from tests import dialogue_factories
    from tests.factories import organization
    from tracker.database import session_scope

    planted = "PAGE-NOTE-5d1e"
    with session_scope() as session:
        document = dialogue_factories.document(session, institution="Tieslietu ministrija",
                                               note=planted)
        dialogue_factories.opinion(session, document, [organization(session)], "VIDZEME",
                                   outcome="taken_into_account", note=planted,
                                   summary=planted, submitted_on=dt.date(2025, 3, 10))
    at = sign_in(Role.FUNDER, lang="en")
    at.switch_page(page("reports.py")).run()

    assert not at.exception, at.exception
    assert "Civic dialogue" in [h.value for h in at.subheader]
    assert len([c for c in at.get("plotly_chart")]) >= 3  # the funnel, by quarter, institutions
    tables = {e.label for e in at.expander}
    assert {"Opinion outcomes by incubator", "Institutions most engaged"} <= tables
    shown = "".join(str(e.proto) for e in at.main) + "".join(
        d.value.to_string() for d in at.dataframe)
    assert "Tieslietu ministrija" in shown
    assert planted not in shown
