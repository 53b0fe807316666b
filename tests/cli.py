"""Running the command line in the test process, for the CLI tests."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator

import pytest

from tracker.cli import main
from tracker.database import dispose_engines


def on_database(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """For a module's autouse fixture: the CLI uses `url`, with English messages."""
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_LANGUAGE", "en")
    dispose_engines()
    yield
    dispose_engines()


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
