"""`tracker import` and the record kinds of `tracker export`: summary line, every problem with
row, column, value and message, exit 2 when rows are rejected, --as for staff."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.models import Activity, Organization, User
from tests import factories as f
from tests.cli import on_database, run
from tracker.refdata import init_database


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli_import') / 'tracker.db'}"
    engine = make_engine(url)
    init_database(engine)
    with Session(engine) as session:
        session.add(User(email="staff.latgale@test.lv", role="staff",
                         incubator_id=f.incubator_id(session, "LATGALE")))
        session.commit()
    engine.dispose()
    return url


@pytest.fixture(autouse=True)
def _env(database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from on_database(database, monkeypatch)



def count(database: str, model: type[Organization] | type[Activity]) -> int:
    engine = make_engine(database)
    with Session(engine) as session:
        value = int(session.scalar(select(func.count()).select_from(model)) or 0)
    engine.dispose()
    return value


def test_import_dry_run_then_write_then_again(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path, database: str) -> None:
    file = tmp_path / "orgs.csv"
    file.write_bytes("Reģistrācijas numurs;Nosaukums\n40008000009;Biedrība „Ķirsis”\n"
                     .encode("cp1257"))

    dry = run(capsys, "import", "organizations", str(file), "--dry-run", "--quiet")
    assert count(database, Organization) == 0
    done = run(capsys, "import", "organizations", str(file))
    again = run(capsys, "import", "organizations", str(file), "--lang", "lv", "--quiet")

    assert dry == (0, "orgs.csv: 1 rows, 1 valid, 0 rejected; 1 new, 0 changed, 0 unchanged. "
                      "Dry run: nothing was written.\n", "")
    assert done[0] == 0 and done[1].endswith("1 new, 0 changed, 0 unchanged. Written.\n")
    assert "organizations: 100%" in done[2]  # the progress bar, on stderr
    assert again[:2] == (0, "orgs.csv: rindas 1, derīgas 1, noraidītas 0; jaunas 0, mainītas "
                            "0, bez izmaiņām 1. Ierakstīts.\n")
    assert count(database, Organization) == 1


def test_rejected_rows_are_listed_and_exit_2(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path, database: str) -> None:
    file = tmp_path / "acts.csv"
    file.write_text("ref,incubator,type,title,date,hours,total_participants\n"
                    "A1,LATGALE,training,Apmācība,2025-04-01,2,3\n"
                    "A2,LATGALE,training,Apmācība,2024-04-01,2,3\n", encoding="utf-8")

    code, out, err = run(capsys, "import", "activities", str(file), "--quiet")
    assert (code, count(database, Activity)) == (2, 0)
    assert out == ("acts.csv: 2 rows, 1 valid, 1 rejected; 1 new, 0 changed, 0 unchanged. "
                   "Nothing was written.\n")
    assert err == ("row 3, column “date”, value “2024-04-01”: the date must be inside the "
                   "programme period, 1 Jan 2025 to 31 Dec 2026\n")

    code, out, err = run(capsys, "import", "activities", str(file), "--valid-only", "--quiet",
                         "--as", "staff.latgale@test.lv")
    assert (code, count(database, Activity)) == (2, 1)
    assert out.endswith("1 new, 0 changed, 0 unchanged. Written.\n")

    code, _out, err = run(capsys, "import", "activities", str(file), "--quiet",
                          "--as", "nobody@test.lv")
    assert (code, err) == (2, "tracker: error: --as: no active user 'nobody@test.lv'\n")


def test_activities_as_drafts(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                              database: str) -> None:
    file = tmp_path / "drafts.csv"
    file.write_text("ref,incubator,type,title,date,hours,total_participants\n"
                    "D1,LATGALE,workshop,Darbnīca,2025-04-02,2,3\n", encoding="utf-8")
    code, out, _err = run(capsys, "import", "activities", str(file), "--quiet", "--as-drafts")
    assert code == 0 and out.endswith("1 new, 0 changed, 0 unchanged. Written.\n")
    engine = make_engine(database)
    try:
        with engine.connect() as conn:
            status = conn.execute(select(Activity.status).where(
                Activity.external_ref == "D1")).scalar()
    finally:
        engine.dispose()
    assert status == "draft"


def test_refused_files_and_bad_arguments(capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    formula = tmp_path / "f.csv"
    formula.write_text("reg_no,name\n=1+1,x\n", encoding="utf-8")
    assert run(capsys, "import", "organizations", str(formula), "--quiet") == (
        2, "", "tracker: error: Row 2, column 1 holds a formula; import values only.\n")
    assert run(capsys, "import", "volunteers", str(formula))[2].startswith(
        "tracker: error: KIND: unknown kind 'volunteers'")
    assert run(capsys, "import", "organizations", str(tmp_path / "none.csv"))[0] == 2


def test_export_records_and_import_them_back(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    # Its own data, whatever ran before it in this module (the import is idempotent).
    seed = tmp_path / "seed.csv"
    seed.write_text("reg_no,name\n40008000009,Biedrība „Ķirsis”\n", encoding="utf-8")
    assert run(capsys, "import", "organizations", str(seed), "--quiet")[0] == 0
    target = tmp_path / "orgs.xlsx"
    code, out, _err = run(capsys, "export", "organizations", "--format", "xlsx", "-o",
                          str(target))
    assert code == 0 and out.startswith(f"Exported organizations to {target} (")
    code, out, _err = run(capsys, "import", "organizations", str(target), "--quiet")
    assert code == 0 and "; 0 new, 0 changed," in out
    code, _out, err = run(capsys, "export", "activities", "--region", "LATGALE")
    assert (code, err) == (2, "tracker: error: --region: records are exported whole, without "
                              "filters\n")
    code, out, _err = run(capsys, "export", "milestones", "-o", "-")
    assert code == 0 and out.startswith("\ufeffreg_no,incubator,kind,achieved_on")


def test_export_all_and_import_all(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    seed = tmp_path / "seed.csv"
    seed.write_text("reg_no,name\n40008000009,Biedrība „Ķirsis”\n", encoding="utf-8")
    assert run(capsys, "import", "organizations", str(seed), "--quiet")[0] == 0
    target = tmp_path / "programme.xlsx"
    code, out, _err = run(capsys, "export", "all", "-o", str(target))
    assert code == 0 and out.startswith(f"Exported all to {target} (")
    code, out, err = run(capsys, "import", "all", str(target), "--dry-run", "--quiet")
    assert (code, err) == (0, "")
    assert "Organisations: " in out and "Dry run: nothing was written." in out
    code, out, _err = run(capsys, "import", "all", str(target), "--quiet")
    assert code == 0 and "0 new, 0 changed," in out and out.rstrip().endswith("Written.")
    code, _out, err = run(capsys, "export", "all", "--format", "csv")
    assert (code, err) == (2, "tracker: error: --format: every kind goes into one Excel "
                              "workbook (--format xlsx)\n")
    code, _out, err = run(capsys, "import", "all", str(seed), "--quiet")
    assert code == 2 and "Every kind is imported from one Excel (.xlsx) workbook" in err
