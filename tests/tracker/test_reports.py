"""The funder report and the data tables: the same numbers as the analytics, on a hand-built
data set (SQLite and PostgreSQL), and no personal data in any file, whoever asks."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy.orm import Session

from db.enums import Role
from db.models import User
from tests import factories as f
from tests.conftest import chromium, need
from tracker import exports, reports
from tracker.analytics import Filters, indicator_progress
from tracker.auth import Actor
from tracker.errors import PermissionDenied
from tracker.schemas import PersonCreate
from tracker.services import people

TODAY = dt.date(2026, 11, 27)
PERIOD = Filters(date_from=dt.date(2025, 1, 1), date_to=dt.date(2026, 12, 31))
# Distinctive personal data: none of it may reach a report or an export.
SECRETS = ("Zigfrīda Slepenā", "zigfrida.slepena@privats.lv", "+371 2911 7733",
           "Ojārs Neredzamais", "ojars@neredzams.lv", "29887766",
           "lietotajs.slepens@sif-test.lv", "Ilgvars", "Noslēpumainais",
           "ilgvars@noslepumi.lv")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def _build(session: Session) -> None:
    """Vidzeme: an approved training of 12 hours (org a, 3 attendees, one of them named: a
    person trained, 2025) and a submitted consultation (org b, 2 attendees, 2026). Latgale:
    an approved consultation (org c, Daugavpils, 4 attendees, 2026)."""
    a = f.organization(session, name="Biedrība „Ābele”", contact_name=SECRETS[0],
                       contact_email=SECRETS[1], contact_phone=SECRETS[2])
    b = f.organization(session, name="=HYPERLINK(\"http://x.lv\")", contact_name=SECRETS[3],
                       contact_email=SECRETS[4], contact_phone=SECRETS[5])
    c = f.organization(session, municipality_atvk="0002000")
    session.add(User(email=SECRETS[6], role="manager", full_name="Slepenais Lietotājs"))
    person = people.create_person(session, actor=f.ADMIN, data=PersonCreate(
        incubator_id=f.incubator_id(session, "VIDZEME"), ref="R-1", first_name=SECRETS[7],
        last_name=SECRETS[8], email=SECRETS[9], consent_date=dt.date(2025, 2, 1)))
    f.activity(session, incubator="VIDZEME", type="training", activity_date="2025-03-01",
               status="approved", total_participants=3, hours="12",
               participations=[{"organization_id": a.id, "attendees": 3}],
               attendees=[{"person_id": person.id}])
    f.activity(session, incubator="VIDZEME", type="consultation", activity_date="2026-02-01",
               status="submitted", total_participants=2,
               participations=[{"organization_id": b.id, "attendees": 2}])
    f.activity(session, incubator="LATGALE", type="consultation", activity_date="2026-04-01",
               status="approved", total_participants=4,
               participations=[{"organization_id": c.id, "attendees": 4}])
    session.flush()


def _summary(data: bytes, heading: str = "Kods") -> dict[str, list[object]]:
    """The headline table of the summary sheet: indicator code -> the row's values."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r[0] == heading)
    result = {}
    for row in rows[start + 1:]:
        if not row[0]:
            break
        result[str(row[0])] = row[3:9]
    return result


def _leaks(data: bytes) -> list[str]:
    """Every secret or e-mail address found in any part of an .xlsx (or in a CSV)."""
    if not data.startswith(b"PK"):
        text = data.decode("utf-8-sig")
        return [s for s in SECRETS if s in text] + EMAIL.findall(text)
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".png"):
                continue
            text = archive.read(name).decode("utf-8")
            found += [f"{name}: {s}" for s in SECRETS if s in text]
            found += [f"{name}: {m}" for m in EMAIL.findall(text)]
    return found


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def test_headline_numbers_equal_the_analytics(session: Session) -> None:
    _build(session)
    funder = f.actor(session, Role.FUNDER)

    data = reports.funder_report(session, actor=funder, filters=PERIOD, lang="lv", today=TODAY,
                                 with_charts=False)

    headline = _summary(data)
    progress = indicator_progress(session, actor=funder, filters=PERIOD, year=2026)
    assert list(headline) == [p.code for p in progress]
    for p in progress:
        actual, target, share, actual_year, target_year, _ = headline[p.code]
        assert (actual, target, actual_year, target_year) == (
            _number(p.actual), _number(p.target), _number(p.actual_year),
            _number(p.target_year)), p.code
        assert share == (round(p.share * 100, 1) if p.share is not None else None)
    # by hand: the funder counts the approved training and consultation only
    assert headline["ORGS_SUPPORTED"][:3] == [2, 250, 0.8]  # a and c; 2 of 250 = 0.8 %
    assert headline["TRAINING_ATTENDANCES"][0] == 3
    assert headline["PEOPLE_TRAINED"][:3] == [1, 40, 2.5]  # the named person: 12 hours
    assert headline["CONSULTATIONS"][0] == 1
    assert headline["ORGS_SUPPORTED"][3] == 1  # 2026: c only

    manager = reports.funder_report(session, actor=f.actor(session, Role.MANAGER),
                                    filters=PERIOD, lang="en", today=TODAY, with_charts=False)
    sheet = openpyxl.load_workbook(io.BytesIO(manager)).worksheets[0]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "Regional NGO incubators 2025–2026: report" in cells
    assert "1 Jan 2025 – 31 Dec 2026" in cells
    assert ("Approved and submitted (not yet approved) activities are counted; drafts and "
            "returned ones are not.") in cells
    provisional = next(c for c in cells if str(c).startswith("Provisional: "))
    assert "VIDZEME 2025 Q1" in provisional and "LATGALE 2026 Q2" in provisional
    headline_en = _summary(manager, "Code")
    assert headline_en["ORGS_SUPPORTED"][0] == 3  # the submitted one counts for a manager
    assert headline_en["CONSULTATIONS"][0] == 2


def test_report_sheets_hold_the_data_tables(session: Session) -> None:
    _build(session)
    funder = f.actor(session, Role.FUNDER)
    latgale = Filters(region_code="LATGALE", date_from=dt.date(2026, 1, 1),
                      date_to=dt.date(2026, 12, 31))

    book = openpyxl.load_workbook(io.BytesIO(reports.funder_report(
        session, actor=funder, filters=latgale, lang="lv", today=TODAY, with_charts=False)))

    assert book.sheetnames == ["Kopsavilkums", "Rādītāji un mērķi", "Ceturkšņi pa inkubatoriem",
                               "Aktivitāšu veidi", "Kapacitātes jomas",
                               "Pa plānošanas reģioniem", "Pa pašvaldībām", "Pa inkubatoriem",
                               "ESF+ rādītāji", "Pilsoniskais dialogs"]
    summary = [c for r in book["Kopsavilkums"].iter_rows(values_only=True) for c in r if c]
    assert "Latgales plānošanas reģions" in summary
    assert "01.01.2026 – 31.12.2026" in summary
    assert "Skaitītas tikai apstiprinātās aktivitātes." in summary
    quarters = [r for r in book["Ceturkšņi pa inkubatoriem"].iter_rows(values_only=True)]
    assert quarters[2:] == [(2026, 2, "LATGALE", "Latgales NVO reģionālais inkubators", 1, 1, 4,
                             "provizoriski")]  # no quarter is closed here
    regions = {r[0]: r for r in book["Pa plānošanas reģioniem"].iter_rows(values_only=True)}
    assert regions["LATGALE"][3] == 1 and regions["VIDZEME"][3] == 0
    municipalities = {r[0]: r for r in book["Pa pašvaldībām"].iter_rows(values_only=True)}
    assert municipalities["LV-DGV"][2] == "Daugavpils"
    assert municipalities["LV-DGV"][5] == 1  # organisations supported


def test_no_personal_data_in_the_report_or_any_table(session: Session) -> None:
    _build(session)
    for role in (Role.FUNDER, Role.MANAGER, Role.ADMIN):
        actor = f.actor(session, role)
        for lang in ("lv", "en"):
            report = reports.funder_report(session, actor=actor, filters=Filters(), lang=lang,
                                           today=TODAY, with_charts=False)
            assert _leaks(report) == [], (role, lang)
        for name in reports.TABLE_NAMES:
            table = reports.fetch_table(session, name, actor=actor, filters=PERIOD, lang="lv",
                                        today=TODAY)
            assert _leaks(exports.to_csv(table)) == [], (role, name)
            assert _leaks(exports.to_xlsx([table])) == [], (role, name)


def test_staff_get_no_report(session: Session) -> None:
    staff = f.actor(session, Role.STAFF)
    with pytest.raises(PermissionDenied):
        reports.funder_report(session, actor=staff, filters=Filters(), lang="lv",
                              with_charts=False)
    with pytest.raises(PermissionDenied):
        reports.fetch_table(session, "regions", actor=staff, filters=Filters(), lang="lv")


def test_report_year_stays_inside_the_period() -> None:
    start, end = dt.date(2025, 1, 1), dt.date(2026, 12, 31)
    assert reports.report_year(Filters(), start, end, TODAY) == 2026
    assert reports.report_year(Filters(date_to=dt.date(2025, 6, 30)), start, end, TODAY) == 2025
    assert reports.report_year(Filters(), start, end, dt.date(2024, 5, 1)) == 2025


def test_report_has_the_map_and_charts_as_images(session: Session) -> None:
    need(chromium() is not None, "drawing the report's charts needs Chromium (apt-get install "
         "chromium, or point BROWSER_PATH at it)")
    _build(session)

    data = reports.funder_report(session, actor=f.actor(session, Role.FUNDER), filters=PERIOD,
                                 lang="lv", today=TODAY)

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        images = [archive.read(n) for n in archive.namelist() if n.startswith("xl/media/")]
    # the map, activities and organisations by quarter, types, areas, incubators compared
    assert len(images) == 6
    assert all(i.startswith(b"\x89PNG") for i in images)
    sizes = {(int.from_bytes(i[16:20], "big"), int.from_bytes(i[20:24], "big"))
             for i in images}  # from the PNG header; a chart's own height wins
    assert {reports.MAP_SIZE, reports.CHART_SIZE} <= sizes
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert len(book["Kopsavilkums"]._images) == 1  # the map
    assert len(book["Grafiki"]._images) == 5
    assert _leaks(data) == []


def test_without_chromium_the_report_says_so_and_keeps_the_numbers(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")

    data = reports.funder_report(session, actor=Actor.system(), filters=Filters(), lang="en",
                                 today=TODAY)

    book = openpyxl.load_workbook(io.BytesIO(data))
    assert "Charts" not in book.sheetnames
    cells = [c for r in book.worksheets[0].iter_rows(values_only=True) for c in r if c]
    assert any(str(c).startswith("The charts are not included. Charts cannot be saved as PNG")
               for c in cells)
    assert len(_summary(data, "Code")) == 8


@pytest.mark.parametrize(("lang", "names", "units", "rule", "counted"), [
    ("lv", ("Apmācīti NVO vadītāji un biedri", "Apmācību apmeklējumi"),
     ("personas", "apmeklējumi"), ("sasniedz 12", "(apmācība)"),
     ("apmeklējumi, nevis personas", "divreiz")),
    ("en", ("NGO leaders and members trained", "Training attendances"),
     ("people", "attendances"), ("reach 12", "of training"),
     ("attendances, not people", "counts twice"))])
def test_people_trained_and_training_attendances_in_every_file(
        session: Session, lang: str, names: tuple[str, str], units: tuple[str, str],
        rule: tuple[str, str], counted: tuple[str, str]) -> None:
    """People trained count the named person once, by the rule the note states; the
    attendance sum keeps its honest name and says it counts attendances."""
    _build(session)
    funder = f.actor(session, Role.FUNDER)
    table = reports.fetch_table(session, "indicators", actor=funder, filters=PERIOD, lang=lang,
                                today=TODAY)
    rows = {r[0]: r for r in table.rows}
    trained, attendances = rows["PEOPLE_TRAINED"], rows["TRAINING_ATTENDANCES"]
    assert (trained[1], trained[2], trained[3], trained[4]) == (names[0], units[0], 1, 40)
    assert (attendances[1], attendances[2], attendances[3], attendances[4]) == (
        names[1], units[1], 3, None)
    assert all(part in str(trained[-1]) for part in rule)
    assert all(part in str(attendances[-1]) for part in counted)
    assert not any(r[-1] for code, r in rows.items()
                   if code not in ("PEOPLE_TRAINED", "TRAINING_ATTENDANCES"))
    csv = exports.to_csv(table).decode("utf-8-sig")  # `tracker export indicators`
    assert all(part in csv for part in (*names, *rule, *counted))
    assert _leaks(csv.encode()) == []
    data = reports.funder_report(session, actor=funder, filters=PERIOD, lang=lang, today=TODAY,
                                 with_charts=False)
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [str(c) for sheet in book.worksheets for r in sheet.iter_rows(values_only=True)
             for c in r if c]
    assert all(name in cells for name in names)
    assert any(all(part in c for part in rule) for c in cells)
    assert any(all(part in c for part in counted) for c in cells)
    assert _leaks(data) == []  # never the person's name or e-mail
