"""Funders never see a person: every number a funder can read (each dashboard table, the funder
report workbook, the ESF+ summary, the command line's exports with --as-funder) holds no
participant's name, reference, personal code, e-mail, phone or birth date, while the same
people are counted there; and every way to a person's record refuses a funder (both
databases)."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy.orm import Session

from db.enums import Role
from tests import factories as f
from tests.cli import database_with, run
from tests.people_factories import person
from tracker import esf
from tracker.analytics import Filters
from tracker.errors import PermissionDenied
from tracker.exports import Table
from tracker.imports import export
from tracker.reports import TABLE_NAMES, fetch_table, funder_report
from tracker.services import people, personal_data

# Distinctive values, so that a leak is found wherever it lands.
PEOPLE: list[dict[str, Any]] = [
    {"first_name": "Zanda", "last_name": "Vējkalniņa", "ref": "VID-SLEPENS-1",
     "personal_code": "161175-19997", "email": "zanda.vejkalnina@example.lv",
     "phone": "+371 29111111", "birth_date": dt.date(1975, 11, 16)},
    {"first_name": "Kristaps", "last_name": "Ozolkalns", "ref": "VID-SLEPENS-2",
     "personal_code": "32579461005", "email": "kristaps.ozolkalns@example.lv",
     "phone": "+371 29222222", "birth_date": dt.date(1999, 2, 3)},
]


def _secrets() -> set[str]:
    found: set[str] = set()
    for p in PEOPLE:
        code = str(p["personal_code"]).replace("-", "")
        born = p["birth_date"]
        assert isinstance(born, dt.date)
        found |= {str(p["first_name"]), str(p["last_name"]), str(p["ref"]), str(p["email"]),
                  str(p["phone"]), code, f"{code[:6]}-{code[6:]}", f"{code[:6]}-*****",
                  born.isoformat(), born.strftime("%d.%m.%Y")}
    return found


def _world(session: Session) -> None:
    org = f.organization(session)
    readers = [person(session, memberships=[{"organization_id": org.id, "role": "leader"}],
                      **p) for p in PEOPLE]
    f.activity(session, type="training", status="approved", hours="12",
               activity_date="2025-05-14", total_participants=4,
               participations=[{"organization_id": org.id, "attendees": 3}],
               attendees=[{"person_id": r.id} for r in readers])


def _text(table: Table) -> str:
    return json.dumps([table.title, list(table.columns), [list(r) for r in table.rows]],
                      ensure_ascii=False, default=str)


def _workbook_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(str(cell) for sheet in book.worksheets
                     for row in sheet.iter_rows(values_only=True) for cell in row
                     if cell is not None)


def _leaks(text: str) -> list[str]:
    return sorted(s for s in _secrets() if s in text)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_every_funder_number_holds_no_person(session: Session, lang: str) -> None:
    _world(session)
    funder = f.actor(session, Role.FUNDER)
    for name in TABLE_NAMES:
        table = fetch_table(session, name, actor=funder, filters=Filters(), lang=lang)
        assert _leaks(_text(table)) == [], name
    summary = esf.summary_table(session, actor=funder, filters=Filters(), lang=lang)
    assert _leaks(_text(summary)) == []
    report = funder_report(session, actor=funder, filters=Filters(), lang=lang,
                           with_charts=False)
    shown = _workbook_text(report)
    assert _leaks(shown) == []
    # the people are there, counted: both trained (12 hours of an approved training)
    indicators = fetch_table(session, "indicators", actor=funder, filters=Filters(), lang=lang)
    trained = next(r for r in indicators.rows if r[0] == "PEOPLE_TRAINED")
    assert (trained[3], trained[4]) == (2, 40)


def test_every_way_to_a_person_refuses_a_funder(session: Session) -> None:
    _world(session)
    funder = f.actor(session, Role.FUNDER)
    found = people.list_people(session, actor=f.ADMIN, search="VID-SLEPENS-1").people
    assert len(found) == 1
    calls: list[Callable[[], object]] = [
        lambda: people.list_people(session, actor=funder),
        lambda: people.get_person(session, actor=funder, person_id=found[0].id),
        lambda: people.find_person(session, actor=funder, incubator_id=found[0].incubator_id,
                                   ref="VID-SLEPENS-1"),
        lambda: people.people_to_tick(session, actor=funder,
                                      incubator_id=found[0].incubator_id),
        lambda: esf.participants_table(session, actor=funder, filters=Filters(), lang="lv"),
        lambda: export.export_records(session, actor=funder, kind="people"),
        lambda: export.export_records(session, actor=funder, kind="attendance"),
        lambda: personal_data.export_person(session, actor=funder, who="VIDZEME/VID-SLEPENS-1"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from database_with(tmp_path, monkeypatch, _world)


def test_the_command_lines_funder_files_hold_no_person(
        cli_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in (*TABLE_NAMES, "esf-summary"):
        target = tmp_path / f"{name}.csv"
        code, _, err = run(capsys, "export", name, "--as-funder", "-o", str(target))
        assert code == 0, err
        assert _leaks(target.read_text(encoding="utf-8")) == [], name
    report = tmp_path / "report.xlsx"
    code, _, err = run(capsys, "export", "report", "--as-funder", "--no-charts", "-o",
                       str(report))
    assert code == 0, err
    assert _leaks(_workbook_text(report.read_bytes())) == []
    code, _, err = run(capsys, "export", "esf-participants", "--as-funder", "-o",
                       str(tmp_path / "p.csv"))
    assert code == 2 and not (tmp_path / "p.csv").exists()
    code, _, err = run(capsys, "export", "quarterly", "--with-codes", "-o",
                       str(tmp_path / "q.csv"))
    assert code == 2 and "--with-codes" in err
