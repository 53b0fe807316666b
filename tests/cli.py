"""Running the command line in the test process, for the CLI tests."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from tracker.cli import main
from tracker.database import dispose_engines


def on_database(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """For a module's autouse fixture: the CLI uses `url`, with English messages."""
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_LANGUAGE", "en")
    dispose_engines()
    yield
    dispose_engines()


def database_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                  build: Callable[[Session], object]) -> Iterator[str]:
    """For a fixture: a new SQLite database with the reference data and what `build` writes,
    which the CLI uses (see `on_database`); yields its URL."""
    from db.engine import make_engine
    from tracker.database import session_scope
    from tracker.refdata import init_database

    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = make_engine(url)
    init_database(engine)
    engine.dispose()
    for _ in on_database(url, monkeypatch):
        with session_scope() as session:
            build(session)
        yield url


def run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str | None = None,
        monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    """Run the CLI in-process: (exit code, stdout, stderr)."""
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
