"""`python -m tracker`: init, user add, demo guards and errors, in-process and as a process."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text

from db.engine import make_engine
from db.models import AuditLog, Incubator, Organization, User
from tests.cli import run
from tests.conftest import BACKENDS, PostgresServer
from tests.factories import reg_no
from tracker.auth import verify_password
from tracker.cli import main
from tracker.database import dispose_engines, session_scope
from tracker.refdata import init_database

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Correct-horse-7"
UNREACHABLE = "postgresql+psycopg://nobody:s3cret-pw@127.0.0.1:1/x"

needs_demo = pytest.mark.skipif(
    importlib.util.find_spec("tracker.demo") is None,
    reason="tracker/demo.py is missing (it is written separately); `tracker demo` "
           "imports it before checking the database")


@pytest.fixture(autouse=True)
def _fresh_engines(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Engines are cached per URL for the process; no test may see another's.
    monkeypatch.setenv("TRACKER_LANGUAGE", "en")
    dispose_engines()
    yield
    dispose_engines()


@pytest.fixture
def db_url(new_database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """TRACKER_DATABASE_URL set to a new, empty database of the test's backend."""
    monkeypatch.setenv("TRACKER_DATABASE_URL", new_database_url)
    return new_database_url


@pytest.fixture
def initialised(db_url: str) -> str:
    engine = make_engine(db_url)
    try:
        init_database(engine)
    finally:
        engine.dispose()
    return db_url


@pytest.fixture(scope="module", params=BACKENDS)
def _shared_database(request: pytest.FixtureRequest,
                     tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'shared.db'}"
    else:
        url = request.getfixturevalue("postgres_server").new_database()
    engine = make_engine(url)
    try:
        init_database(engine)
    finally:
        engine.dispose()
    return url


@pytest.fixture
def refusing_db(_shared_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An initialised database shared by the tests of refused commands (which add nothing)."""
    monkeypatch.setenv("TRACKER_DATABASE_URL", _shared_database)
    before = counts(_shared_database)
    yield _shared_database
    assert counts(_shared_database) == before, "a refused command changed the database"



def one_error_line(err: str) -> str:
    """stderr holds exactly one line, an error for the operator, and no traceback."""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("tracker: error: ")
    return lines[0]


def counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {t: int(connection.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one())
                    for t in sorted(inspect(connection).get_table_names())}
    finally:
        engine.dispose()


# init ---------------------------------------------------------------------------------------

def test_init_twice_succeeds_and_changes_nothing(db_url: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "init")
    assert (code, err) == (0, "")
    assert "5 regions, 44 municipalities, 4 incubators" in out
    first = counts(db_url)

    code, out_again, err = run(capsys, "init")

    assert (code, err) == (0, "")
    assert out_again == out
    assert counts(db_url) == first
    assert first["regions"] == 5 and first["incubators"] == 4 and first["users"] == 0


def test_init_on_a_database_from_a_newer_version_gives_one_line(
        initialised: str, capsys: pytest.CaptureFixture[str]) -> None:
    engine = make_engine(initialised)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()

    code, _, err = run(capsys, "init")

    assert code != 0
    assert "9999" in one_error_line(err)


# user add -----------------------------------------------------------------------------------

def test_user_add_staff_with_password_from_stdin(initialised: str,
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run(capsys, "user", "add", "x@y.lv", "--role", "staff", "--incubator",
                         "vidzeme", "--name", "Ilze Ozola", "--password-stdin",
                         stdin=PASSWORD + "\n", monkeypatch=monkeypatch)

    assert (code, err) == (0, "")
    assert out.strip() == "User x@y.lv added with role staff (incubator VIDZEME)."
    with session_scope() as session:
        user = session.scalars(select(User)).one()
        incubator = session.get(Incubator, user.incubator_id)
        assert (user.email, user.role, user.full_name) == ("x@y.lv", "staff", "Ilze Ozola")
        assert incubator is not None and incubator.code == "VIDZEME"
        assert user.password_hash is not None
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        assert verify_password(user.password_hash, PASSWORD)
        assert not verify_password(user.password_hash, PASSWORD + "\n")
        audit = session.scalars(select(AuditLog)).one()
        assert (audit.entity, audit.action, audit.entity_id) == ("user", "create", user.id)
        assert PASSWORD not in str(audit.after)


def test_user_add_same_email_again_is_refused(initialised: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "user", "add", "x@y.lv", "--role", "admin")[0] == 0

    # E-mail addresses are compared case-insensitively (they are stored lower-cased).
    code, out, err = run(capsys, "user", "add", "X@Y.LV", "--role", "manager")

    assert (code, out) == (2, "")
    assert one_error_line(err) == "tracker: error: A user with e-mail x@y.lv already exists."
    with session_scope() as session:
        assert session.scalars(select(User.role)).all() == ["admin"]


def test_staff_without_incubator_is_refused_naming_the_field(
        refusing_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "user", "add", "x@y.lv", "--role", "staff")

    assert (code, out) == (2, "")
    assert one_error_line(err) == "tracker: error: Incubator: a staff member needs an incubator"
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0


@pytest.mark.parametrize("code_given", ["riga", "TALLINN"])
def test_unknown_incubator_is_refused(refusing_db: str, capsys: pytest.CaptureFixture[str],
                                      code_given: str) -> None:
    code, out, err = run(capsys, "user", "add", "x@y.lv", "--role", "staff", "--incubator",
                         code_given)

    assert (code, out) == (2, "")
    assert one_error_line(err) == "tracker: error: Incubator: is not a known incubator"
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0


@pytest.mark.parametrize("email", ["not-an-email", "x@", "x y@z.lv"])
def test_bad_email_is_refused(refusing_db: str, capsys: pytest.CaptureFixture[str],
                              email: str) -> None:
    code, out, err = run(capsys, "user", "add", email, "--role", "admin")

    assert (code, out) == (2, "")
    assert one_error_line(err) == "tracker: error: E-mail: is not a valid e-mail address"


def test_too_short_password_is_refused(refusing_db: str, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = run(capsys, "user", "add", "x@y.lv", "--role", "admin", "--password-stdin",
                       stdin="abc\n", monkeypatch=monkeypatch)

    assert code == 2
    assert one_error_line(err).startswith("tracker: error: Password: ")
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0


def test_unknown_role_is_an_argparse_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["user", "add", "x@y.lv", "--role", "boss"])

    assert info.value.code == 2
    assert "invalid choice: 'boss'" in capsys.readouterr().err


def test_user_add_on_a_database_without_init_says_to_run_init(
        db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "user", "add", "x@y.lv", "--role", "admin")

    assert code == 2
    line = one_error_line(err)
    assert "is empty: run `tracker init` first" in line


# demo ---------------------------------------------------------------------------------------

@needs_demo
def test_demo_on_a_database_without_init_says_to_run_init(
        db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "demo", "--quiet")

    assert (code, out) == (2, "")
    assert "run `tracker init`" in one_error_line(err)
    assert counts(db_url) == {}  # nothing was created


@needs_demo
def test_demo_if_empty_leaves_a_database_with_organisations_alone(
        initialised: str, capsys: pytest.CaptureFixture[str]) -> None:
    with session_scope() as session:
        session.add(Organization(reg_no=reg_no(), name="Biedrība Esošā",
                                 legal_form="association"))
    before = counts(initialised)

    code, out, err = run(capsys, "demo", "--if-empty", "--quiet")

    assert (code, err) == (0, "")
    assert "already has 1 organisations" in out
    assert counts(initialised) == before


@needs_demo
def test_demo_without_if_empty_refuses_a_database_with_organisations(
        initialised: str, capsys: pytest.CaptureFixture[str]) -> None:
    with session_scope() as session:
        session.add(Organization(reg_no=reg_no(), name="Biedrība Esošā",
                                 legal_form="association"))
    before = counts(initialised)

    code, _, err = run(capsys, "demo", "--quiet")

    assert code == 2
    assert "already have rows: organizations" in one_error_line(err)
    assert counts(initialised) == before


# PostgreSQL specifics -----------------------------------------------------------------------

@pytest.mark.postgres
def test_backup_on_postgresql_points_to_pg_dump(postgres_server: PostgresServer,
                                                capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    url = postgres_server.new_database()
    engine = make_engine(url)
    init_database(engine)
    engine.dispose()
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)

    code, out, err = run(capsys, "backup", str(tmp_path / "copy.db"))

    assert (code, out) == (2, "")
    assert "pg_dump" in one_error_line(err)
    assert not (tmp_path / "copy.db").exists()


@pytest.mark.parametrize("argv", [["init"], ["user", "add", "x@y.lv", "--role", "admin"]],
                         ids=["init", "user-add"])
def test_unreachable_postgresql_gives_one_line_and_no_secrets(
        argv: list[str], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL", UNREACHABLE)

    code, out, err = run(capsys, *argv)

    assert code != 0
    assert out == ""
    line = one_error_line(err)
    assert "cannot use the database postgresql+psycopg://nobody:***@127.0.0.1:1/x" in line
    assert "s3cret-pw" not in line


# The installed entry point ------------------------------------------------------------------

def test_python_dash_m_tracker_runs_as_a_process(tmp_path: Path) -> None:
    env = {**os.environ, "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "TRACKER_LANGUAGE": "en"}

    shown = subprocess.run([sys.executable, "-m", "tracker", "--help"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=60, check=False)
    assert shown.returncode == 0, shown.stderr
    for command in ("init", "demo", "user", "backup"):
        assert command in shown.stdout

    done = subprocess.run([sys.executable, "-m", "tracker", "init"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "Database ready" in done.stdout
    assert counts(env["TRACKER_DATABASE_URL"])["municipalities"] == 44
