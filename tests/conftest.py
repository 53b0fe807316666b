"""Test databases: a real SQLite file and a real PostgreSQL server, each test in a savepoint."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from db.engine import make_engine
from tracker import auth, exports, personal_codes
from tracker.refdata import init_database

PG_ENV = "TRACKER_TEST_POSTGRES_URL"
# The suite's own personal-code key (a fixed test value, never a production one), set for this
# process and every process it starts; a test without a key removes it with monkeypatch.
TEST_PERSONAL_CODE_KEY = "dGVzdC1rZXktb2YtdGhlLXN1aXRlLW5vdC1wcm9kISE="
os.environ.setdefault(personal_codes.KEY_VARIABLE, TEST_PERSONAL_CODE_KEY)


def in_ci(value: str | None = None) -> bool:
    """Whether a CI system runs the tests: `CI` (or `value`) set to anything but empty, "0",
    "false" or "no", in any case (CI systems set "true", "1", "True", ...)."""
    setting = os.environ.get("CI", "") if value is None else value
    return setting.strip().lower() not in ("", "0", "false", "no")


IN_CI = in_ci()


def need(condition: bool, reason: str) -> None:
    """Skip the test unless `condition` holds; in CI, where nothing may skip, fail it."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI is set but {reason}", pytrace=False)
    pytest.skip(reason)


def chromium() -> str | None:
    """The Chromium the tests drive: the one the product's chart renderer uses
    (`BROWSER_PATH`, else the system's, e.g. /usr/bin/chromium)."""
    return exports.chromium_path()

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _pg_server_url() -> str:
    url = os.environ.get(PG_ENV, "").strip()
    if url:
        return url
    need(False, f"PostgreSQL tests need {PG_ENV} (make test starts a throwaway server when "
         "the PostgreSQL binaries are installed)")
    raise AssertionError("unreachable")  # need() skipped or failed


class PostgresServer:
    """Creates and drops throwaway databases on the test server."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.admin = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=None)
        self.created: list[str] = []

    def new_database(self) -> str:
        name = f"tracker_test_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self.admin.connect() as conn:
            for name in self.created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer(_pg_server_url())
    yield server
    server.drop_all()


@pytest.fixture
def new_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of a new, empty database of the test's backend (for tests that commit)."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        yield server.new_database()


@pytest.fixture(scope="session", params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[Engine]:
    """A migrated database with reference data, shared by the session's tests of a backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'tracker.db'}"
    else:
        url = request.getfixturevalue("postgres_server").new_database()
    eng = make_engine(url)
    init_database(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test (commits become savepoints)."""
    connection = engine.connect()
    transaction = connection.begin()
    db_session = Session(bind=connection, join_transaction_mode="create_savepoint",
                         expire_on_commit=False)
    try:
        yield db_session
    finally:
        db_session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    """argon2id as in production, but with the lowest cost: each hash of the production
    parameters takes about 0.2 s, and every app test signs in. Separate processes (the
    command line, the e2e servers) keep the production parameters."""
    production = auth._hasher
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    auth._hasher = production


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # Tests asking for `new_database_url` run on both backends (on PostgreSQL only when
    # they test what only PostgreSQL has).
    if "new_database_url" in metafunc.fixturenames:
        only = metafunc.definition.get_closest_marker("postgresql_only") is not None
        metafunc.parametrize("new_database_url", BACKENDS[1:] if only else BACKENDS,
                             indirect=True)

