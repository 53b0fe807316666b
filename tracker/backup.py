"""Online backups of the SQLite database: a consistent copy while the app keeps writing."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine


class BackupError(Exception):
    """The backup could not be written; the message says why."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    organizations: int
    activities: int


def backup_sqlite(engine: Engine, target: Path, *, overwrite: bool = False) -> BackupResult:
    """Copy the live database page by page (SQLite's backup API) into `target`.

    The copy is a snapshot of one moment even while others write; it is written next to the
    target first and renamed only after an integrity check, so a failed backup leaves no file.
    """
    source = engine.url.database
    if engine.url.get_backend_name() != "sqlite" or not source or source == ":memory:":
        raise BackupError("only SQLite database files can be backed up this way")
    target = target.resolve()
    live = Path(source).resolve()
    if target in {live, *(live.with_name(live.name + s) for s in ("-wal", "-shm", "-journal"))}:
        raise BackupError("the backup file cannot be the database itself or one of its files")
    if target.is_dir():
        raise BackupError(f"{target} is a folder; name a file")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} exists; choose another file or pass --force")
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        src, dst = sqlite3.connect(source, timeout=30), sqlite3.connect(partial)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
            check = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"the copy failed its integrity check: {check}")
            organizations = dst.execute("SELECT count(*) FROM organizations").fetchone()[0]
            activities = dst.execute("SELECT count(*) FROM activities").fetchone()[0]
        finally:
            src.close()
            dst.close()
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        _remove(partial)
        raise BackupError(f"backup failed: {exc}") from exc
    except BaseException:
        _remove(partial)
        raise
    return BackupResult(target, target.stat().st_size, organizations, activities)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupResult  # what the database holds now
    previous: Path  # the copy of what it held before (to undo the restore)


REQUIRED_TABLES = ("organizations", "activities", "participations", "alembic_version")


def check_backup(source: Path) -> BackupResult:
    """Open `source` read-only: a tracker database that passes SQLite's integrity check."""
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    try:
        connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            check = connection.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"{source} failed its integrity check: {check}")
            tables = {r[0] for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            missing = [t for t in REQUIRED_TABLES if t not in tables]
            if missing:
                raise BackupError(f"{source} is not a tracker database (no table "
                                  f"{', '.join(missing)})")
            organizations = connection.execute("SELECT count(*) FROM organizations").fetchone()[0]
            activities = connection.execute("SELECT count(*) FROM activities").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} is not a SQLite database: {exc}") from exc
    return BackupResult(source, source.stat().st_size, organizations, activities)


def restore_sqlite(engine: Engine, source: Path) -> RestoreResult:
    """Replace the live database's content with the backup `source`, page by page (SQLite's
    backup API, in one write transaction: other connections wait, then see the restored
    data). What the database held before is copied next to it first, so a restore can be
    undone by restoring that copy. The schema is migrated afterwards by `tracker init`."""
    live = engine.url.database
    if engine.url.get_backend_name() != "sqlite" or not live or live == ":memory:":
        raise BackupError("only SQLite database files can be restored this way; for "
                          "PostgreSQL use pg_restore (see the README, Operations)")
    source = source.resolve()
    live_path = Path(live).resolve()
    if source == live_path:
        raise BackupError("the backup is the database itself")
    check_backup(source)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    previous = live_path.with_name(f"{live_path.name}.before-restore-{stamp}")
    backup_sqlite(engine, previous)
    try:
        src, dst = sqlite3.connect(f"file:{source}?mode=ro", uri=True), sqlite3.connect(
            live_path, timeout=30)
        try:
            src.backup(dst)
            check = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"the restored database failed its integrity check: {check}"
                                  f" (the previous one is in {previous})")
            organizations = dst.execute("SELECT count(*) FROM organizations").fetchone()[0]
            activities = dst.execute("SELECT count(*) FROM activities").fetchone()[0]
        finally:
            src.close()
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"restore failed: {exc} (the previous database is in {previous})"
                          ) from exc
    engine.dispose()  # pooled connections hold pages of the old content
    return RestoreResult(BackupResult(live_path, live_path.stat().st_size, organizations,
                                      activities), previous)
