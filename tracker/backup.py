"""Online backups of the SQLite database: a consistent copy while the app keeps writing."""

from __future__ import annotations

import contextlib
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
