"""`tracker import-register FILE`: a dry run, an import, a refused file with a problem."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.engine import make_engine
from db.models import Organization
from tests.factories import reg_no
from tests.tracker.test_register_import import row
from tracker.cli import main
from tracker.database import dispose_engines, session_scope
from tracker.imports.register import COLUMNS
from tracker.refdata import init_database


@pytest.fixture
def initialised(new_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("TRACKER_LANGUAGE", "en")
    monkeypatch.setenv("TRACKER_DATABASE_URL", new_database_url)
    dispose_engines()
    engine = make_engine(new_database_url)
    try:
        init_database(engine)
    finally:
        engine.dispose()
    yield new_database_url
    dispose_engines()


def _organizations() -> int:
    with session_scope(readonly=True) as session:
        return session.scalar(select(func.count()).select_from(Organization)) or 0


def _file(tmp_path: Path, lines: list[str]) -> str:
    path = tmp_path / "register.csv"
    path.write_text("\n".join([";".join(COLUMNS), *lines]) + "\n", encoding="utf-8-sig")
    return str(path)


def test_dry_run_then_import(initialised: str, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    path = _file(tmp_path, [row(reg_no(), "Biedrība A"), row(reg_no(), 'SIA "B"', regtype="K",
                                                            type_="SIA")])

    assert main(["import-register", path, "--dry-run", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "Read 2 rows; 1 in the register of associations and foundations" in out
    assert "New: 1," in out and out.rstrip().endswith("Dry run: nothing was saved.")
    assert _organizations() == 0

    assert main(["import-register", path]) == 0
    captured = capsys.readouterr()
    assert captured.out.rstrip().endswith("The changes are saved.")
    assert "write" in captured.err  # the progress bar
    assert _organizations() == 1


def test_a_problem_is_listed_and_nothing_is_saved(initialised: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = _file(tmp_path, [row(reg_no(), "Biedrība A"), row("40008000000", "Biedrība B")])

    assert main(["import-register", path, "--quiet"]) == 2
    captured = capsys.readouterr()
    assert "Row 3, column regcode, value “40008000000”: the registration number's check " \
           "digit is wrong" in captured.out
    assert "tracker: error: Nothing was saved: the file has 1 problems." in captured.err
    assert _organizations() == 0

    assert main(["import-register", path, "--quiet", "--valid-only"]) == 0
    assert _organizations() == 1

    (tmp_path / "other.csv").write_text("name;reg_no\nA;1\n", encoding="utf-8")
    assert main(["import-register", str(tmp_path / "other.csv"), "--quiet"]) == 2
    assert "does not have: reg_no." in capsys.readouterr().err
