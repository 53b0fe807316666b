"""The app on a database that is behind or away: a message for the operator or the user, no
traceback, and it carries on by itself once the database is back."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.engine import make_engine
from db.migrate import upgrade
from tests.dashboards.conftest import new_app
from tracker.database import dispose_engines
from tracker.refdata import init_database


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "tracker.db"
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{path}")
    dispose_engines()
    return path


def test_a_schema_behind_this_version_tells_to_run_init(database: Path) -> None:
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine, "0006")  # the version before the rollups
    engine.dispose()

    at = new_app().run()

    assert not at.exception
    assert "novecojusi" in at.error[0].value and "tracker init" in at.error[0].value
    assert "0006 → " in at.error[0].value
    dispose_engines()


def test_the_app_recovers_when_the_database_returns(database: Path) -> None:
    database.mkdir()  # a folder where the file should be: SQLite cannot open it
    at = new_app().run()
    assert not at.exception
    assert "nav sasniedzama" in at.error[0].value
    assert not at.text_input  # no sign-in form on a database that is away

    database.rmdir()  # the database comes back
    engine = make_engine(f"sqlite:///{database}")
    init_database(engine)
    engine.dispose()
    at.button[0].click().run()  # "Mēģināt vēlreiz"

    assert not at.exception
    assert not at.error
    assert [t.label for t in at.text_input][:2] == ["E-pasts", "Parole"]
    dispose_engines()
