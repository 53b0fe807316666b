"""A process killed in the middle of writing leaves the database as it was (both databases):
a big import killed while it writes its batches (with the rollup triggers switched off inside
its transaction), and a save of an activity with its participations killed before it
commits. Afterwards nothing of theirs is there, the triggers are back, the rollups agree."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from bench.imports import write_files
from db.engine import make_engine
from db.models import Activity, ActivityArea, AuditLog, Participation
from tests import factories as f
from tests.processes import plain_main
from tracker.analytics import rollups
from tracker.auth import Actor
from tracker.imports.service import run_import
from tracker.refdata import init_database
from tracker.services.activities import log_activity

SPAWN = multiprocessing.get_context("spawn")


def _hang(marker: Path) -> None:
    """Tell the test this point is reached, then wait to be killed."""
    marker.write_text("here")
    time.sleep(120)


def _import_until_killed(url: str, path: str, marker: str) -> None:
    engine = make_engine(url)
    written = 0

    def progress(fraction: float) -> None:
        nonlocal written
        if 0.8 < fraction < 1.0:  # the write phase: some batches are in, others are not
            written += 1
            if written == 3:
                _hang(Path(marker))

    with Session(engine) as session:
        run_import(session, actor=Actor.system(), kind="activities",
                   data=Path(path).read_bytes(), filename="activities.csv", dry_run=False,
                   progress=progress)
        session.commit()


def _save_until_killed(url: str, organizations: list[int], marker: str) -> None:
    engine = make_engine(url)
    with Session(engine) as session:
        event.listen(session, "before_commit", lambda _s: _hang(Path(marker)))
        log_activity(session, actor=Actor.system(), data=f.activity_data(
            session, title="Nekad nesaglabāta konsultācija", total_participants=20,
            participations=[{"organization_id": o, "attendees": 2} for o in organizations]))
        session.commit()


def _kill_when_there(target: Callable[..., None], args: tuple[object, ...],
                     marker: Path) -> None:
    process = SPAWN.Process(target=target, args=args)
    with plain_main():
        process.start()
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.is_alive(), "the writer stopped before the point to kill it"
        assert time.monotonic() < deadline, "the writer never reached the point to kill it"
        time.sleep(0.05)
    assert process.pid is not None
    os.kill(process.pid, signal.SIGKILL)
    process.join(30)
    assert process.exitcode == -signal.SIGKILL


def _state(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            counts = {model.__tablename__: int(session.scalar(
                select(func.count()).select_from(model)) or 0)
                for model in (Activity, ActivityArea, Participation, AuditLog)}
            assert set(rollups.differences(session).values()) == {0}
            assert rollups.triggers_on(session)
            if engine.dialect.name == "sqlite":
                assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            return counts
    finally:
        engine.dispose()


def test_an_import_killed_while_it_writes_leaves_nothing(new_database_url: str,
                                                         tmp_path: Path) -> None:
    engine = make_engine(new_database_url)
    init_database(engine)
    with Session(engine) as session:
        f.activity(session, status="submitted")  # something that must stay as it is
        session.commit()
    engine.dispose()
    before = _state(new_database_url)
    paths = write_files(tmp_path, rollups.BULK_MIN_ROWS + 2_000, 10, 1)

    _kill_when_there(_import_until_killed, (new_database_url, str(paths["activities"]),
                                            str(tmp_path / "marker")), tmp_path / "marker")

    assert _state(new_database_url) == before
    # and the same import, run to the end afterwards, is whole
    engine = make_engine(new_database_url)
    with Session(engine) as session:
        report = run_import(session, actor=Actor.system(), kind="activities",
                            data=paths["activities"].read_bytes(), filename="a.csv",
                            dry_run=False)
        session.commit()
    engine.dispose()
    assert report.created == rollups.BULK_MIN_ROWS + 2_000
    assert _state(new_database_url)["activities"] == before["activities"] + report.created


def test_a_save_killed_before_it_commits_leaves_nothing(new_database_url: str,
                                                        tmp_path: Path) -> None:
    engine = make_engine(new_database_url)
    init_database(engine)
    with Session(engine) as session:
        organizations = [f.organization(session).id for _ in range(5)]
        session.commit()
    engine.dispose()
    before = _state(new_database_url)

    _kill_when_there(_save_until_killed, (new_database_url, organizations,
                                          str(tmp_path / "marker")), tmp_path / "marker")

    assert _state(new_database_url) == before
