"""`tracker export esf-participants` and `tracker export esf-summary`: the participants' report
with names and whole codes (audited, never --as-funder), the indicators with small numbers
hidden for funders, the export filters, and bad arguments refused with one line."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.models import AuditLog
from tests import factories as f
from tests.cli import on_database, run
from tests.people_factories import person
from tracker.refdata import init_database

CODE = "161175-19997"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Vidzeme: Anna (a code) and 6 more women at an approved 2025 training, 2 men at a
    submitted 2026 consultation; Latgale: 3 women at an approved 2026 training."""
    url = f"sqlite:///{tmp_path_factory.mktemp('esf') / 'tracker.db'}"
    engine = make_engine(url)
    init_database(engine)
    with Session(engine) as session:
        anna = person(session, first_name="Anna", last_name="Slepena", personal_code=CODE,
                      birth_date="1975-11-16")
        women = [anna, *(person(session) for _ in range(6))]
        men = [person(session, gender="male", employment_status="unemployed")
               for _ in range(2)]
        latgale = [person(session, "LATGALE") for _ in range(3)]
        f.activity(session, status="approved", type="training", activity_date="2025-05-05",
                   total_participants=10, attendees=[{"person_id": p.id} for p in women])
        f.activity(session, activity_date="2026-02-02", total_participants=5,
                   attendees=[{"person_id": p.id} for p in men])
        f.activity(session, incubator="LATGALE", status="approved", type="training",
                   activity_date="2026-03-03", municipality_atvk="0002000",
                   total_participants=5, attendees=[{"person_id": p.id} for p in latgale])
        session.commit()
    engine.dispose()
    return url


@pytest.fixture(autouse=True)
def _env(database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from on_database(database, monkeypatch)


def _csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _exports(url: str) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return int(session.scalar(select(func.count()).select_from(AuditLog).where(
                AuditLog.action == "export", AuditLog.entity == "person")) or 0)
    finally:
        engine.dispose()


def test_participants_report_with_whole_codes_and_an_audit_row(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, database: str) -> None:
    target = tmp_path / "dalibnieki.csv"
    before = _exports(database)

    code, out, err = run(capsys, "export", "esf-participants", "--lang", "en", "-o",
                         str(target))

    assert (code, err) == (0, "")
    assert out.startswith(f"Exported esf-participants to {target}") and "12 rows" in out
    rows = _csv(target)
    assert rows[0][:6] == ["Incubator", "Reference", "First name", "Last name",
                           "Personal code", "Birth date"]
    anna = next(r for r in rows if r[2] == "Anna")
    assert anna[4] == CODE and anna[5] == "1975-11-16"
    assert [r[0] for r in rows[1:]].count("VIDZEME") == 9
    assert _exports(database) == before + 1


def test_participants_filters_and_excel(capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    target = tmp_path / "latgale.xlsx"

    code, out, _ = run(capsys, "export", "esf-participants", "--format", "xlsx", "--lang",
                       "lv", "--incubator", "latgale", "--from", "2026-01-01", "-o", str(target))

    assert code == 0 and "3 rows" in out
    sheet = openpyxl.load_workbook(target).worksheets[0]
    values = [r for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "ESF+ dalībnieku pārskats"
    assert {r[0] for r in values if r[0] in ("VIDZEME", "LATGALE")} == {"LATGALE"}


def test_funders_never_get_the_participants_report(capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path, database: str) -> None:
    target = tmp_path / "nav.csv"
    before = _exports(database)

    code, out, err = run(capsys, "export", "esf-participants", "--as-funder", "-o",
                         str(target))

    assert (code, out) == (2, "")
    assert err.startswith("tracker: error: --as-funder: funders never see a person")
    assert len(err.splitlines()) == 1
    assert not target.exists() and _exports(database) == before


def test_summary_for_a_manager_and_suppressed_for_a_funder(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    plain, hidden = tmp_path / "summary.csv", tmp_path / "funder.csv"

    assert run(capsys, "export", "esf-summary", "--lang", "en", "-o", str(plain))[0] == 0
    assert run(capsys, "export", "esf-summary", "--lang", "en", "--as-funder", "-o",
               str(hidden))[0] == 0

    manager = {r[0] or r[1]: r for r in _csv(plain)}
    funder = {r[0] or r[1]: r for r in _csv(hidden)}
    assert manager["Code"][-1] == "Total"
    assert manager["EECO01"][-1] == "12" and manager["Men"][-1] == "2"
    # funders count approved activities only (the men came to a submitted one), and the 3
    # Latgale women are hidden, with what would give them away
    assert funder["EECO01"][-1] == "10"
    assert "<5" in funder["EECO01"] and "x" in funder["EECO01"]
    text = hidden.read_text(encoding="utf-8-sig")
    assert "Anna" not in text and "Slepena" not in text and "161175" not in text


def test_summary_as_excel(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "summary.xlsx"
    assert run(capsys, "export", "esf-summary", "--format", "xlsx", "--as-funder", "--lang",
               "lv", "-o", str(target))[0] == 0
    cells = [c for r in openpyxl.load_workbook(target).worksheets[0].iter_rows(
        values_only=True) for c in r if c is not None]
    assert "ESF+ kopējie iznākuma rādītāji" in cells and "EECO17" in cells
    assert any(str(c).startswith("Mazi skaitļi slēpti") for c in cells)  # the rule, said


def test_the_funder_report_has_the_suppressed_summary(capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    assert run(capsys, "export", "report", "--no-charts", "--lang", "en", "-o",
               str(target))[0] == 0  # as the system: still as funders see it
    book = openpyxl.load_workbook(target)
    sheet = book["ESF+ indicators"]
    rows = {r[0] or r[1]: r for r in sheet.iter_rows(values_only=True) if r[0] or r[1]}
    assert "<5" in rows["EECO01"]
    cells = "".join(str(c) for s in book.worksheets for r in s.iter_rows(values_only=True)
                    for c in r if c is not None)
    assert "Anna" not in cells and "Slepena" not in cells
