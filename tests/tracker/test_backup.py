"""SQLite backups: a complete, consistent, self-contained copy, also while others keep writing."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.engine import make_engine, make_session_factory, unit_of_work
from db.models import Activity, Incubator, Organization, Participation, User
from tests.factories import reg_no
from tracker.backup import BackupError, backup_sqlite
from tracker.cli import main
from tracker.database import dispose_engines
from tracker.refdata import init_database


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "live" / "tracker.db"


@pytest.fixture
def live(db_path: Path) -> Iterator[Engine]:
    """An initialised SQLite database with a few organisations, users and activities."""
    eng = make_engine(f"sqlite:///{db_path}")
    init_database(eng)
    with unit_of_work(make_session_factory(eng)) as session:
        _add_rows(session, organizations=3)
        session.add_all([User(email="admin@backup.lv", role="admin"),
                         User(email="staff@backup.lv", role="staff",
                              incubator_id=_vidzeme(session), password_hash="x")])
    yield eng
    eng.dispose()


def _vidzeme(session: Session) -> int:
    value = session.scalar(select(Incubator.id).where(Incubator.code == "VIDZEME"))
    assert value is not None
    return value


def _add_rows(session: Session, organizations: int) -> None:
    """`organizations` organisations, each with one activity it took part in."""
    incubator = _vidzeme(session)
    for _ in range(organizations):
        organization = Organization(reg_no=reg_no(), name="Biedrība Rezerves kopija",
                                    legal_form="association")
        activity = Activity(incubator_id=incubator, type="consultation", title="Konsultācija",
                            activity_date=dt.date(2025, 5, 14), hours=Decimal("1.5"),
                            format="online", total_participants=2)
        activity.participations.append(Participation(organization=organization, attendees=2))
        session.add_all([organization, activity])


def _counts(path: Path) -> dict[str, int]:
    """Rows in every table of the SQLite file at `path` (opened read-only)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                for t in sorted(tables)}
    finally:
        connection.close()


def _check_copy(path: Path) -> dict[str, int]:
    """The copy opens, passes integrity and foreign-key checks, and stands alone."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        connection.close()
    assert not Path(f"{path}-wal").exists()
    assert not path.with_name(path.name + ".partial").exists()
    return _counts(path)


def _intact(path: Path) -> dict[str, int]:
    """The live database still passes its integrity check; its row counts."""
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        connection.close()
    return _counts(path)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backup_copies_every_table(live: Engine, db_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "backups" / "copy.db"

    result = backup_sqlite(live, target)

    copied = _check_copy(target)
    assert copied == _counts(db_path)
    assert copied["organizations"] == 3
    assert copied["activities"] == 3
    assert copied["participations"] == 3
    assert copied["users"] == 2
    assert copied["municipalities"] == 44
    assert (result.path, result.organizations, result.activities) == (target, 3, 3)
    assert result.size_bytes == target.stat().st_size > 0


def test_backup_does_not_overwrite_unless_asked(live: Engine, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    target.write_bytes(b"an older backup")

    with pytest.raises(BackupError, match="exists"):
        backup_sqlite(live, target)
    assert target.read_bytes() == b"an older backup"

    backup_sqlite(live, target, overwrite=True)
    assert _check_copy(target)["organizations"] == 3


@pytest.mark.parametrize("spelling", ["same", "dotted"])
def test_backup_onto_the_database_itself_is_refused(live: Engine, db_path: Path,
                                                    spelling: str) -> None:
    target = db_path if spelling == "same" else db_path.parent / ".." / "live" / db_path.name
    before = _counts(db_path)

    with pytest.raises(BackupError, match="cannot be the database itself"):
        backup_sqlite(live, target, overwrite=True)
    with pytest.raises(BackupError):
        backup_sqlite(live, target)

    assert _intact(db_path) == before


@pytest.mark.parametrize("suffix", ["-wal", "-shm"])
def test_backup_onto_the_databases_wal_or_shm_file_is_refused(live: Engine, db_path: Path,
                                                             suffix: str) -> None:
    sibling = Path(f"{db_path}{suffix}")
    with live.connect() as connection:  # the running application keeps the WAL open
        assert sibling.exists()
        with pytest.raises(BackupError):
            backup_sqlite(live, sibling, overwrite=True)
        assert connection.execute(select(Organization.id)).all()
    assert _intact(db_path)["organizations"] == 3


@pytest.mark.parametrize("where", ["under a file", "onto a folder"])
def test_backup_to_an_impossible_place_is_a_backup_error(live: Engine, tmp_path: Path,
                                                         where: str) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / "a-folder").mkdir()
    target = tmp_path / ("a-file/copy.db" if where == "under a file" else "a-folder")

    with pytest.raises(BackupError):
        backup_sqlite(live, target, overwrite=True)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "a-folder", "live"]


def test_in_memory_database_cannot_be_backed_up(tmp_path: Path) -> None:
    memory = make_engine("sqlite://")
    try:
        with pytest.raises(BackupError, match="only SQLite database files"):
            backup_sqlite(memory, tmp_path / "copy.db")
    finally:
        memory.dispose()
    assert not (tmp_path / "copy.db").exists()


def test_backup_while_another_thread_keeps_writing_is_consistent(live: Engine,
                                                                 tmp_path: Path) -> None:
    """Each writer transaction adds an organisation and an activity: copies keep them equal."""
    factory = make_session_factory(live)
    stop = threading.Event()
    committed: list[int] = []
    errors: list[BaseException] = []

    def writer() -> None:
        deadline = time.monotonic() + 5  # bounded even if the main thread fails
        try:
            while not stop.is_set() and time.monotonic() < deadline:
                with unit_of_work(factory) as session:
                    _add_rows(session, organizations=1)
                committed.append(1)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    copies = []
    try:
        while not committed and thread.is_alive():  # the writer is really running
            time.sleep(0.005)
        for number in range(5):
            target = tmp_path / f"copy{number}.db"
            backup_sqlite(live, target)
            copies.append(_check_copy(target))
            time.sleep(0.02)
    finally:
        stop.set()
        thread.join(10)

    assert errors == []
    assert not thread.is_alive()
    for copied in copies:
        assert copied["organizations"] == copied["activities"] == copied["participations"]
        assert 3 <= copied["organizations"] <= 3 + len(committed)
    # The writer really wrote during the backups: later copies saw more rows.
    assert copies[-1]["organizations"] > copies[0]["organizations"] >= 3
    assert _counts(Path(str(live.url.database)))["organizations"] == 3 + len(committed)


# The command ------------------------------------------------------------------------------

@pytest.fixture
def cli_env(live: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TRACKER_DATABASE_URL", live.url.render_as_string(hide_password=False))
    monkeypatch.setenv("TRACKER_LANGUAGE", "en")
    dispose_engines()
    yield
    dispose_engines()


def test_cli_backup_writes_a_copy_and_refuses_to_overwrite(
        cli_env: None, db_path: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "cli-copy.db"

    assert main(["backup", str(target)]) == 0
    out = capsys.readouterr().out
    assert f"Backup written to {target}" in out
    assert "3 organisations, 3 activities" in out
    assert _check_copy(target) == _counts(db_path)
    digest = _digest(target)

    assert main(["backup", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "exists; choose another file or pass --force" in err
    assert _digest(target) == digest

    assert main(["backup", str(target), "--force"]) == 0
    assert _check_copy(target) == _counts(db_path)


def test_cli_backup_onto_the_database_itself_is_refused(
        cli_env: None, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _counts(db_path)

    assert main(["backup", str(db_path), "--force"]) == 2

    assert "cannot be the database itself" in capsys.readouterr().err
    assert _intact(db_path) == before


# Restoring -----------------------------------------------------------------------------------

def test_restore_of_a_backup_taken_while_the_app_writes_is_consistent(
        live: Engine, db_path: Path, tmp_path: Path) -> None:
    """A backup taken during writes through the services, restored into the live database:
    it passes every check, and its rollups agree with its rows."""
    from tests import factories as f
    from tracker.analytics import rollups
    from tracker.backup import restore_sqlite

    factory = make_session_factory(live)
    with unit_of_work(factory) as session:
        orgs = [f.organization(session).id for _ in range(4)]
    stop, errors, committed = threading.Event(), [], []

    def writer() -> None:
        deadline = time.monotonic() + 5
        try:
            while not stop.is_set() and time.monotonic() < deadline:
                with unit_of_work(factory) as session:
                    f.activity(session, status="submitted", participations=[
                        {"organization_id": o, "attendees": 1} for o in orgs[:2]])
                committed.append(1)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(committed) < 3 and thread.is_alive():
            time.sleep(0.005)
        taken = backup_sqlite(live, tmp_path / "during.db")
    finally:
        stop.set()
        thread.join(10)
    assert errors == [] and len(committed) > 3
    after_writes = _counts(db_path)

    result = restore_sqlite(live, tmp_path / "during.db")

    restored = _intact(db_path)
    assert restored["activities"] == taken.activities < after_writes["activities"]
    assert restored["participations"] == 2 * (taken.activities - 3) + 3
    assert _counts(result.previous) == after_writes  # the undo copy
    connection = sqlite3.connect(db_path)
    try:
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        connection.close()
    with Session(live) as session:
        assert set(rollups.differences(session).values()) == {0}
        assert len(session.scalars(select(Activity.id)).all()) == taken.activities


def test_restore_refuses_what_is_not_a_tracker_backup(live: Engine, db_path: Path,
                                                      tmp_path: Path) -> None:
    from tracker.backup import restore_sqlite

    before = _counts(db_path)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    text_file = tmp_path / "notes.db"
    text_file.write_text("not a database")
    for source, message in ((other, "is not a tracker database"),
                            (text_file, "is not a SQLite database"),
                            (tmp_path / "missing.db", "is not a file"),
                            (db_path, "the backup is the database itself")):
        with pytest.raises(BackupError, match=message):
            restore_sqlite(live, source)
    assert _counts(db_path) == before
    assert not list(db_path.parent.glob("*.before-restore-*"))


def test_cli_restore_asks_first_then_restores_and_keeps_the_previous_database(
        cli_env: None, db_path: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "copy.db"
    assert main(["backup", str(copy)]) == 0
    engine = make_engine(f"sqlite:///{db_path}")
    with unit_of_work(make_session_factory(engine)) as session:
        _add_rows(session, organizations=2)
    engine.dispose()
    capsys.readouterr()

    assert main(["restore", str(copy)]) == 2
    assert "Run again with --yes" in capsys.readouterr().err
    assert _counts(db_path)["organizations"] == 5

    assert main(["restore", str(copy), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Restored" in out and "3 organisations, 3 activities" in out
    assert _intact(db_path)["organizations"] == 3
    previous = next(db_path.parent.glob("tracker.db.before-restore-*"))
    assert _counts(previous)["organizations"] == 5
