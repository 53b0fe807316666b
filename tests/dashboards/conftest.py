"""AppTest helpers: a real SQLite database per test, users of every role, signing in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from db.engine import make_engine
from db.enums import Role
from tracker.auth import Actor
from tracker.database import dispose_engines, session_scope
from tracker.refdata import init_database
from tracker.schemas import UserCreate
from tracker.services.users import create_user

MAIN = str(Path(__file__).resolve().parents[2] / "dashboards" / "main.py")
VIEWS = Path(MAIN).parent / "views"
PASSWORD = "parole-123"
ACCOUNTS = {
    Role.ADMIN: ("admin@test.lv", None),
    Role.MANAGER: ("manager@test.lv", None),
    Role.FUNDER: ("funder@test.lv", None),
    Role.STAFF: ("staff@test.lv", "VIDZEME"),
}


@pytest.fixture
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An initialised SQLite database with one account per role; the app uses it."""
    yield from accounts_database(f"sqlite:///{tmp_path / 'app.db'}", monkeypatch)


def accounts_database(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """For a fixture: the database at `url` initialised with one account per role, used by
    the app (a module whose tests run on both databases passes `new_database_url`)."""
    engine = make_engine(url)
    init_database(engine)
    engine.dispose()
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    dispose_engines()
    with session_scope() as session:
        for role, (email, incubator) in ACCOUNTS.items():
            create_user(session, actor=Actor.system(), data=UserCreate(
                email=email, role=role, incubator_code=incubator, password=PASSWORD))
    yield url
    dispose_engines()


def new_app(lang: str | None = None) -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=30)
    if lang:
        at.query_params["lang"] = lang
    return at


def sign_in(role: Role, lang: str | None = None) -> AppTest:
    """A fresh app, signed in through the password form as the account of `role`."""
    at = new_app(lang).run()
    assert not at.exception, at.exception
    email_box, password_box = at.text_input[0], at.text_input[1]
    email_box.input(ACCOUNTS[role][0])
    password_box.input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def page(name: str) -> str:
    return str(VIEWS / name)
