"""The funder report's civic-dialogue sheet (tracker.reports): the indicators against their
targets, the outcome funnel per incubator and quarter, the institutions and the organisations
by region, approved opinions only, and never a note or an opinion's summary, whoever asks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from typing import Any

import openpyxl
import pytest
from sqlalchemy.orm import Session

from db.enums import IndicatorMethod, Role
from tests import dialogue_factories as d
from tests import factories as f
from tests.conftest import chromium, need
from tracker import reports
from tracker.analytics import Filters
from tracker.analytics.dialogue import dialogue_value
from tracker.auth import Actor
from tracker.errors import PermissionDenied

TODAY = dt.date(2025, 11, 27)  # the report's "current year" is 2025
PERIOD = Filters(date_from=dt.date(2025, 1, 1), date_to=dt.date(2026, 12, 31))
NOTE = "PLANTED-NOTE-91c2"  # in every note and summary
TM, LJM, DGV = "Tieslietu ministrija", "Labklājības ministrija", "Daugavpils pašvaldība"
SHEET = {"lv": "Pilsoniskais dialogs", "en": "Civic dialogue"}


@dataclasses.dataclass
class People:
    manager: Actor
    funder: Actor


@pytest.fixture
def people(session: Session) -> People:
    """Three documents; approved opinions: a joint one (a, b; taken into account, Q1), one of
    a (partly, Q2), one of c (not taken into account, Q2); one submitted awaiting review and
    one returned (neither counts in the sheet)."""
    a, b = f.organization(session), f.organization(session)
    c = f.organization(session, municipality_atvk="0002000")  # Daugavpils: Latgale
    secret: dict[str, Any] = {"note": NOTE}
    d1 = d.document(session, institution=TM, deadline=dt.date(2025, 3, 1), **secret)
    d2 = d.document(session, incubators=["LATGALE", "VIDZEME"], institution=LJM, **secret)
    d3 = d.document(session, incubators={"LATGALE": dt.date(2025, 5, 1)}, institution=DGV,
                    **secret)
    text: dict[str, Any] = {"note": NOTE, "summary": f"{NOTE} kopsavilkums"}
    d.opinion(session, d1, [a, b], "VIDZEME", outcome="taken_into_account",
              submitted_on=dt.date(2025, 2, 10), **text)
    d.opinion(session, d1, [a], "VIDZEME", outcome="partly_taken_into_account",
              submitted_on=dt.date(2025, 4, 5), **text)
    d.opinion(session, d2, [c], "LATGALE", outcome="not_taken_into_account",
              submitted_on=dt.date(2025, 5, 1), **text)
    d.opinion(session, d3, [b], "LATGALE", status="submitted",
              submitted_on=dt.date(2025, 6, 1), **text)
    d.opinion(session, d2, [c], "VIDZEME", status="returned", review_comment=NOTE,
              submitted_on=dt.date(2025, 6, 2), **text)
    return People(manager=f.actor(session, Role.MANAGER), funder=f.actor(session, Role.FUNDER))


def _report(session: Session, actor: Actor, lang: str = "lv", filters: Filters = PERIOD
            ) -> bytes:
    return reports.funder_report(session, actor=actor, filters=filters, lang=lang, today=TODAY,
                                 with_charts=False)


def _rows(data: bytes, lang: str = "lv") -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return list(book[SHEET[lang]].iter_rows(values_only=True))


def _table(rows: list[tuple[Any, ...]], title: str, heading: str) -> list[tuple[Any, ...]]:
    """The rows of the table `title` under its `heading` row, to the first empty row."""
    start = next(i for i, r in enumerate(rows) if r and r[0] == title)
    first = next(i for i in range(start, len(rows)) if rows[i][0] == heading) + 1
    end = next((i for i in range(first, len(rows)) if not any(rows[i])), len(rows))
    return [tuple(c for c in r[:14]) for r in rows[first:end]]


def test_the_sheet_holds_the_headline_funnel_quarters_institutions_and_regions(
        session: Session, people: People) -> None:
    rows = _rows(_report(session, people.funder))
    assert rows[0][0] == "Pilsoniskais dialogs: uzraudzītie dokumenti un iesniegtie viedokļi"
    headline = {r[0]: r[3:9] for r in _table(rows, "Pilsoniskā dialoga rādītāji", "Kods")}
    # actual, target, %, actual 2025, target 2025, % 2025
    assert headline == {"DOCS_MONITORED": (3, 2500, 0.1, 3, None, None),
                        "OPINIONS_SUBMITTED": (3, 100, 3, 3, 50, 6),
                        "ORGS_WITH_OPINIONS": (3, 50, 6, 3, None, None)}
    approved = dataclasses.replace(PERIOD, include_submitted=False)
    for code, method in (("DOCS_MONITORED", IndicatorMethod.DOCUMENTS_MONITORED),
                         ("OPINIONS_SUBMITTED", IndicatorMethod.OPINIONS),
                         ("ORGS_WITH_OPINIONS", IndicatorMethod.OPINION_ORGANIZATIONS)):
        assert headline[code][0] == dialogue_value(session, people.funder, method, approved,
                                                   approved.date_from, approved.date_to)
    funnel = _table(rows, "Viedokļu iznākumi pa inkubatoriem", "Inkubatora kods")
    # submitted, answered, changed, taken, partly, not taken, no answer, pending, %, %
    assert [r[:10] for r in funnel] == [
        ("KURZEME", "Kurzemes NVO reģionālais inkubators", 0, 0, 0, 0, 0, 0, 0, 0),
        ("LATGALE", "Latgales NVO reģionālais inkubators", 1, 1, 0, 0, 0, 1, 0, 0),
        ("VIDZEME", "Vidzemes NVO reģionālais inkubators", 2, 2, 2, 1, 1, 0, 0, 0),
        ("ZEMGALE", "Zemgales NVO reģionālais inkubators", 0, 0, 0, 0, 0, 0, 0, 0),
        (None, "Kopā", 3, 3, 2, 1, 1, 1, 0, 0)]
    assert funnel[-1][10:12] == (66.7, 66.7) and funnel[0][10:12] == (None, None)
    quarters = _table(rows, "Viedokļu iznākumi pa ceturkšņiem", "Gads")
    assert [r[:5] for r in quarters] == [(2025, 1, 1, 1, 1), (2025, 2, 2, 2, 1)]
    places = _table(rows, "Iestādes, ar kurām visvairāk sadarbojāmies", "Iestāde")
    assert [r[:6] for r in places] == [(TM, 1, 2, 2, 100, 2), (LJM, 1, 1, 1, 100, 0),
                                       (DGV, 1, 0, 0, None, 0)]
    regions = _table(rows, "Organizācijas, kas iesniegušas viedokļus, pa reģioniem",
                     "Reģiona kods")
    assert [r[:3] for r in regions] == [("LATGALE", "Latgales plānošanas reģions", 1),
                                        ("VIDZEME", "Vidzemes plānošanas reģions", 2),
                                        (None, "Kopā", 3)]


def test_approved_only_for_managers_too(session: Session, people: People) -> None:
    data = _report(session, people.manager, "en")
    rows = _rows(data, "en")
    funnel = _table(rows, "Opinion outcomes by incubator", "Incubator code")
    assert funnel[-1][:3] == (None, "Total", 3)  # not the submitted one
    assert ("Figures from approved opinions only. Internal notes and the opinions' summaries "
            "are never in the report.") in [r[0] for r in rows]
    headline = {r[0]: r[3] for r in _table(rows, "Civic-dialogue indicators", "Code")}
    assert headline["OPINIONS_SUBMITTED"] == 3
    # the summary sheet counts the submitted one for a manager, as it always did
    summary = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    opinions = next(r for r in summary.iter_rows(values_only=True)
                    if r[0] == "OPINIONS_SUBMITTED")
    assert opinions[3] == 4


def test_filters_reach_the_sheet(session: Session, people: People) -> None:
    latgale = dataclasses.replace(PERIOD, region_code="LATGALE")
    rows = _rows(_report(session, people.funder, filters=latgale))
    funnel = _table(rows, "Viedokļu iznākumi pa inkubatoriem", "Inkubatora kods")
    assert [r[:3] for r in funnel] == [("LATGALE", "Latgales NVO reģionālais inkubators", 1),
                                       (None, "Kopā", 1)]
    spring = dataclasses.replace(PERIOD, date_from=dt.date(2025, 4, 1),
                                 date_to=dt.date(2025, 6, 30))
    rows = _rows(_report(session, people.funder, filters=spring))
    quarters = _table(rows, "Viedokļu iznākumi pa ceturkšņiem", "Gads")
    assert [r[:3] for r in quarters] == [(2025, 2, 2)]


def _cells(data: bytes) -> list[str]:
    """Every cell's text in every sheet of the workbook."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [str(c) for sheet in book.worksheets for r in sheet.iter_rows(values_only=True)
            for c in r if c is not None]


def test_no_note_or_summary_anywhere_in_the_report(session: Session, people: People) -> None:
    for who in (people.funder, people.manager, Actor.system()):
        for lang in ("lv", "en"):
            data = _report(session, who, lang)
            assert not [c for c in _cells(data) if NOTE in c], (who.role, lang)
            with zipfile.ZipFile(io.BytesIO(data)) as archive:  # shared strings, properties
                for name in archive.namelist():
                    assert NOTE.encode() not in archive.read(name), (who.role, lang, name)
    figures = reports.dialogue_figures(session, actor=people.funder, filters=PERIOD, year=2025)
    assert NOTE not in repr(figures)


def test_staff_get_no_dialogue_figures(session: Session) -> None:
    with pytest.raises(PermissionDenied):
        reports.dialogue_figures(session, actor=f.actor(session, Role.STAFF), filters=PERIOD,
                                 year=2025)


def test_an_empty_register_gives_zeros(session: Session) -> None:
    rows = _rows(_report(session, Actor.system(), "en"), "en")
    funnel = _table(rows, "Opinion outcomes by incubator", "Incubator code")
    assert funnel[-1][:5] == (None, "Total", 0, 0, 0)
    assert _table(rows, "Opinion outcomes by quarter", "Year") == []
    assert _table(rows, "Institutions most engaged", "Institution") == []


def test_the_sheet_has_its_charts(session: Session, people: People) -> None:
    need(chromium() is not None, "drawing the report's charts needs Chromium (apt-get install "
         "chromium, or point BROWSER_PATH at it)")
    data = reports.funder_report(session, actor=people.funder, filters=PERIOD, lang="lv",
                                 today=TODAY)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert len(book[SHEET["lv"]]._images) == 3  # the funnel, by quarter, the institutions


def test_the_charts_the_sheet_draws(session: Session, people: People) -> None:
    figures = reports.dialogue_figures(session, actor=people.funder, filters=PERIOD, year=2025)
    charts = reports._dialogue_charts(figures, "en", reports.names(session))
    assert [c.layout.title.text for c in charts] == [
        "Opinions: submitted → answered → taken into account",
        "Opinion outcomes by quarter submitted", "Institutions most engaged"]
    assert [trace.name for trace in charts[0].data] == ["Latgale regional NGO incubator",
                                                        "Vidzeme regional NGO incubator"]
