"""The start page through Streamlit's AppTest: counts from the database, both languages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from db.engine import make_engine
from tracker.database import dispose_engines
from tracker.refdata import init_database

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    dispose_engines()
    yield url
    dispose_engines()


def _initialised(url: str) -> None:
    engine = make_engine(url)
    init_database(engine)
    engine.dispose()


def test_start_page_lists_counts_in_latvian(database: str) -> None:
    _initialised(database)
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert at.title[0].value == "NVO inkubatoru programmas uzskaite"
    table = at.dataframe[0].value
    counts = dict(zip(table.iloc[:, 0], table.iloc[:, 1], strict=True))
    assert counts["Pašvaldības"] == "44"
    assert counts["Inkubatori"] == "4"
    assert counts["Plānošanas reģioni"] == "5"


def test_language_from_url(database: str) -> None:
    _initialised(database)
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["lang"] = "en"
    at.run()
    assert at.title[0].value == "NGO incubator programme tracker"
    assert "Municipalities" in list(at.dataframe[0].value.iloc[:, 0])


def test_sidebar_switch_changes_language(database: str) -> None:
    _initialised(database)
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.sidebar.radio[0].set_value("en").run()
    assert at.title[0].value == "NGO incubator programme tracker"


def test_empty_database_tells_to_run_init(database: str) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "tracker init" in at.error[0].value
    assert len(at.dataframe) == 0


def test_unreachable_database_is_a_message_not_a_traceback(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    dispose_engines()
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "sasniedzama" in at.error[0].value
    dispose_engines()
