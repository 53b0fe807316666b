"""`tracker export`: tables as CSV and Excel, the report, and bad arguments refused with one
line, exit 2 and no file written."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy.orm import Session

from db.engine import make_engine
from tests import factories as f
from tests.cli import on_database, run
from tracker.cli import main
from tracker.database import dispose_engines
from tracker.refdata import init_database

ROOT = Path(__file__).resolve().parents[2]
SECRET_EMAIL = "kontakts.slepens@privats.lv"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """SQLite with reference data, a Latgale organisation with a contact person, an approved
    training (3 attendees, 2025 Q2) and a submitted consultation (2 attendees, 2026 Q1)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('export') / 'tracker.db'}"
    engine = make_engine(url)
    init_database(engine)
    with Session(engine) as session:
        org = f.organization(session, municipality_atvk="0002000", contact_name="Anna Slepena",
                             contact_email=SECRET_EMAIL, contact_phone="+371 2000 1111")
        f.activity(session, incubator="LATGALE", type="training", activity_date="2025-05-05",
                   status="approved", total_participants=3,
                   participations=[{"organization_id": org.id, "attendees": 3}])
        f.activity(session, incubator="LATGALE", type="consultation",
                   activity_date="2026-02-02", status="submitted", total_participants=2,
                   participations=[{"organization_id": org.id, "attendees": 2}])
        session.commit()
    engine.dispose()
    return url


@pytest.fixture(autouse=True)
def _env(database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from on_database(database, monkeypatch)



def test_csv_table_to_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "quarters.csv"

    code, out, err = run(capsys, "export", "quarterly", "-o", str(target), "--lang", "lv")

    assert (code, err) == (0, "")
    assert out.startswith(f"Exported quarterly to {target} (") and "2 rows" in out
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows == [
        ["Gads", "Ceturksnis", "Inkubatora kods", "Inkubators", "Aktivitātes",
         "Atbalstītās organizācijas", "Dalībnieki"],
        ["2025", "2", "LATGALE", "Latgales NVO reģionālais inkubators", "1", "1", "3"],
        ["2026", "1", "LATGALE", "Latgales NVO reģionālais inkubators", "1", "1", "2"]]
    assert SECRET_EMAIL not in raw.decode("utf-8-sig")


def test_as_funder_counts_approved_only_and_filters_apply(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "q.csv"
    assert run(capsys, "export", "quarterly", "--as-funder", "-o", str(target))[0] == 0
    assert len(target.read_text(encoding="utf-8-sig").splitlines()) == 2  # the training only

    code, _, _ = run(capsys, "export", "types", "--from", "2026-01-01", "--region", "latgale",
                     "--incubator", "latgale", "--type", "consultation", "-o", str(target))
    assert code == 0
    assert target.read_text(encoding="utf-8-sig").splitlines() == [
        "Code,Activity type,Activities", "consultation,consultation,1"]


def test_xlsx_table(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "regions.xlsx"

    code, _, err = run(capsys, "export", "regions", "--format", "xlsx", "-o", str(target))

    assert (code, err) == (0, "")
    sheet = openpyxl.load_workbook(target).worksheets[0]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r[0]}
    assert rows["LATGALE"][1] == "Latgale planning region"
    assert rows["LATGALE"][3] == 1  # organisations supported
    assert rows["RIGA"][3] == 0


def test_report_as_a_process_without_charts(tmp_path: Path, database: str) -> None:
    target = tmp_path / "report.xlsx"

    done = subprocess.run(
        [sys.executable, "-m", "tracker", "export", "report", "--as-funder", "--no-charts",
         "--region", "LATGALE", "-o", str(target)], cwd=ROOT, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "TRACKER_DATABASE_URL": database,
             "TRACKER_LANGUAGE": "lv"}, timeout=120, check=False)

    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[0] == "Kopsavilkums"
    cells = [c for r in book.worksheets[0].iter_rows(values_only=True) for c in r if c]
    assert "Latgales plānošanas reģions" in cells
    assert "Skaitītas tikai apstiprinātās aktivitātes." in cells
    with zipfile.ZipFile(target) as archive:
        assert not any(SECRET_EMAIL.encode() in archive.read(n) for n in archive.namelist())


def test_csv_to_standard_output(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    capsysbinary.readouterr()
    code = main(["export", "areas", "-o", "-"])
    out, err = capsysbinary.readouterr()

    assert (code, err) == (0, b"")
    assert out.decode("utf-8-sig").splitlines()[0] == "Code,Capacity area,Activities"


@pytest.mark.parametrize(("argv", "message"), [
    (["bogus"], "TABLE: unknown table 'bogus' (one of indicators, quarterly, types, areas, "
                "regions, municipalities, incubators, report, esf-participants, esf-summary)"),
    (["regions", "--from", "2025-13-01"], "--from: '2025-13-01' is not a date (YYYY-MM-DD)"),
    (["regions", "--to", "31.12.2025"], "--to: '31.12.2025' is not a date (YYYY-MM-DD)"),
    (["regions", "--from", "2026-01-01", "--to", "2025-01-01"],
     "--from 2026-01-01 is after --to 2025-01-01"),
    (["regions", "--region", "TALLINN"], "--region: unknown planning region 'TALLINN'"),
    (["regions", "--incubator", "RIGA"], "--incubator: unknown incubator 'RIGA'"),
    (["regions", "--type", "party"], "--type: unknown activity type 'party'"),
    (["report", "--format", "csv"], "--format: the report is an Excel workbook only"),
])
def test_bad_arguments_exit_2_with_one_line_and_no_file(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str],
        message: str) -> None:
    target = tmp_path / "out.csv"

    code, out, err = run(capsys, "export", *argv, "-o", str(target))

    assert (code, out) == (2, "")
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    assert err.startswith(f"tracker: error: {message}")
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_and_argparse_errors(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    code, _, err = run(capsys, "export", "regions", "-o", str(tmp_path / "no" / "x.csv"))
    assert code == 2 and "--output: the folder" in err
    with pytest.raises(SystemExit) as exited:
        main(["export", "regions", "--format", "pdf"])
    assert exited.value.code == 2
    assert "--format" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_unreachable_database_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL", "postgresql+psycopg://nobody:pw@127.0.0.1:1/x")
    dispose_engines()

    code, _, err = run(capsys, "export", "regions", "-o", str(tmp_path / "r.csv"))

    assert code == 1
    assert err.startswith("tracker: error: cannot use the database") and "pw@" not in err
    assert list(tmp_path.iterdir()) == []


def test_help_documents_the_tables_and_as_funder(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    text = capsys.readouterr().out
    for word in ("--as-funder", "approved activities only", "municipalities", "report",
                 "--no-charts"):
        assert word in text
