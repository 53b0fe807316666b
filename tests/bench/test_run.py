"""The benchmark's run (bench/run.py): what it refuses before measuring anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import run as bench
from db.engine import make_engine
from tracker import demo
from tracker.refdata import init_database


def test_rebuild_only_empties_the_benchmarks_own_file(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    path = tmp_path / "tracker.db"
    engine = make_engine(f"sqlite:///{path}")
    init_database(engine)
    demo.generate(engine, progress=False)
    engine.dispose()
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{path}")  # restored afterwards

    assert bench.main(["--database", f"sqlite:///{path}", "--rebuild"]) == 2

    assert "--rebuild empties only the benchmark's own SQLite file" in capsys.readouterr().err
    assert path.exists()
