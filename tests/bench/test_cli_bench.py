"""`tracker rollups` and the checks of `tracker bench` (its timings are never tested)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bench import measures as bench
from db.engine import make_engine
from tests.cli import on_database, run
from tracker import demo
from tracker.cli import main
from tracker.refdata import init_database


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli_bench') / 'tracker.db'}"
    engine = make_engine(url)
    init_database(engine)
    demo.generate(engine, progress=False)
    engine.dispose()
    return url


@pytest.fixture(autouse=True)
def _env(database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from on_database(database, monkeypatch)


def test_rollups_check_finds_a_wrong_row_and_rebuild_mends_it(
        capsys: pytest.CaptureFixture[str], database: str) -> None:
    code, out, _ = run(capsys, "rollups", "--check")
    assert (code, out.strip()) == (0, "Rollups agree with a recount of the live rows.")
    engine = make_engine(database)
    with engine.begin() as connection:
        connection.execute(text(
            "UPDATE activity_rollup SET activities = activities + 1 WHERE (day, incubator_id, "
            "type, status) = (SELECT day, incubator_id, type, status FROM activity_rollup "
            "ORDER BY day LIMIT 1)"))
    engine.dispose()

    code, _, err = run(capsys, "rollups")
    assert code == 1
    assert "activity_rollup 1 rows" in err and "--rebuild" in err

    code, out, _ = run(capsys, "rollups", "--rebuild")
    assert code == 0 and out.startswith("Rollups recounted: activity_rollup ")
    assert run(capsys, "rollups", "--check")[0] == 0


def test_bench_runs_apart_and_refuses_a_database_with_other_data(
        capfd: pytest.CaptureFixture[str], database: str) -> None:
    """`tracker bench` hands over to bench/run.py in a process of its own."""
    capfd.readouterr()
    code = main(["bench", "--database", database, "--skip-import"])
    err = capfd.readouterr().err
    assert code == 2
    assert "the database holds other data" in err and "activities" in err


def test_results_keep_the_other_database_and_mark_targets(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    path.write_text(json.dumps({"backends": {"postgresql": {"overview_cold_s": 0.9}}}))
    report = bench.Report(backend="sqlite", values={"overview_cold_s": 0.25,
                                                    "peak_rss_mb": 512.0,
                                                    "import_rows_per_s": 25_000})

    bench.write_results(report, path)

    written = json.loads(path.read_text())
    assert written["backends"]["postgresql"] == {"overview_cold_s": 0.9}
    assert written["backends"]["sqlite"]["overview_cold_s"] == 0.25
    shown = bench.table(report)
    assert "<= 0.5  met" in shown and "<= 400  MISSED" in shown and ">= 20,000  met" in shown
