"""Engines and units of work: SQLite pragmas, savepoints, commit-or-nothing on both backends."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.engine import make_engine, make_session_factory, read_only, unit_of_work


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'engine.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL "
                                "UNIQUE)"))
    yield engine
    engine.dispose()


@pytest.fixture
def notes_engine(new_database_url: str) -> Iterator[Engine]:
    """A new database of the test's backend with one small table."""
    engine = make_engine(new_database_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(50) "
                                "NOT NULL UNIQUE)"))
    yield engine
    engine.dispose()


def _bodies_seen_by_another_connection(engine: Engine) -> list[str]:
    """The committed rows, read through a connection of a separate engine."""
    other = read_only(make_engine(engine.url.render_as_string(hide_password=False)))
    try:
        with other.connect() as connection:
            return list(connection.execute(text("SELECT body FROM notes ORDER BY body"))
                        .scalars())
    finally:
        other.dispose()


def test_sqlite_connections_get_foreign_keys_wal_and_busy_timeout(
        sqlite_engine: Engine) -> None:
    # Two connections at once: each new pooled connection is set up, not only the first.
    # (Read-only: two writing transactions in one thread would wait for each other.)
    reader = read_only(sqlite_engine)
    with reader.connect() as first, reader.connect() as second:
        for connection in (first, second):
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_wal_mode_is_stored_in_the_file(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    database = sqlite_engine.url.database
    assert database is not None
    raw = sqlite3.connect(database)
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        raw.close()


def test_parent_folder_of_the_sqlite_file_is_created(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "there" / "tracker.db"

    engine = make_engine(f"sqlite:///{path}")

    try:
        assert path.parent.is_dir()
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
        assert path.is_file()
    finally:
        engine.dispose()


def test_in_memory_sqlite_needs_no_folder_and_still_enforces_foreign_keys() -> None:
    engine = make_engine("sqlite://")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_sqlite_savepoint_rollback_undoes_only_the_inner_work(sqlite_engine: Engine) -> None:
    with sqlite_engine.begin() as connection:
        connection.execute(text("INSERT INTO notes (body) VALUES ('outer')"))
        savepoint = connection.begin_nested()
        connection.execute(text("INSERT INTO notes (body) VALUES ('inner')"))
        savepoint.rollback()
        connection.execute(text("INSERT INTO notes (body) VALUES ('after')"))
        # Inside the transaction the inner row is already gone.
        assert sorted(connection.execute(text("SELECT body FROM notes")).scalars()) == \
            ["after", "outer"]

    assert _bodies_seen_by_another_connection(sqlite_engine) == ["after", "outer"]


def test_sqlite_session_savepoint_after_an_error_keeps_the_outer_work(
        sqlite_engine: Engine) -> None:
    """The pattern services use (flush in a savepoint, turn a duplicate into a message)."""
    factory = make_session_factory(sqlite_engine)
    with unit_of_work(factory) as session:
        session.execute(text("INSERT INTO notes (body) VALUES ('kept')"))
        with pytest.raises(IntegrityError), session.begin_nested():
            session.execute(text("INSERT INTO notes (body) VALUES ('twice')"))
            session.execute(text("INSERT INTO notes (body) VALUES ('twice')"))
        session.execute(text("INSERT INTO notes (body) VALUES ('also kept')"))

    assert _bodies_seen_by_another_connection(sqlite_engine) == ["also kept", "kept"]


def test_sqlite_transaction_is_really_open_before_the_first_write(
        sqlite_engine: Engine) -> None:
    """SQLAlchemy's BEGIN reaches SQLite: a rolled-back read-only start undoes later writes."""
    with sqlite_engine.connect() as connection:
        transaction = connection.begin()
        connection.execute(text("SELECT count(*) FROM notes"))
        connection.execute(text("INSERT INTO notes (body) VALUES ('x')"))
        assert connection.connection.dbapi_connection.in_transaction  # type: ignore[union-attr]
        transaction.rollback()

    assert _bodies_seen_by_another_connection(sqlite_engine) == []


def test_unit_of_work_commits_on_success(notes_engine: Engine) -> None:
    factory = make_session_factory(notes_engine)

    with unit_of_work(factory) as session:
        session.execute(text("INSERT INTO notes (id, body) VALUES (1, 'one')"))
        session.execute(text("INSERT INTO notes (id, body) VALUES (2, 'two')"))
        # Not visible elsewhere before the end of the unit of work.
        assert _bodies_seen_by_another_connection(notes_engine) == []

    assert _bodies_seen_by_another_connection(notes_engine) == ["one", "two"]


def test_unit_of_work_rolls_back_everything_on_an_exception(notes_engine: Engine) -> None:
    factory = make_session_factory(notes_engine)

    with pytest.raises(RuntimeError, match="boom"), unit_of_work(factory) as session:
        session.execute(text("INSERT INTO notes (id, body) VALUES (1, 'one')"))
        session.flush()
        session.execute(text("INSERT INTO notes (id, body) VALUES (2, 'two')"))
        raise RuntimeError("boom")

    assert _bodies_seen_by_another_connection(notes_engine) == []


def test_unit_of_work_rolls_back_the_first_write_when_a_later_one_fails(
        notes_engine: Engine) -> None:
    factory = make_session_factory(notes_engine)

    with pytest.raises(IntegrityError), unit_of_work(factory) as session:
        session.execute(text("INSERT INTO notes (id, body) VALUES (1, 'one')"))
        session.execute(text("INSERT INTO notes (id, body) VALUES (2, 'one')"))

    assert _bodies_seen_by_another_connection(notes_engine) == []
    with unit_of_work(factory) as session:  # the engine is usable afterwards
        session.execute(text("INSERT INTO notes (id, body) VALUES (3, 'three')"))
    assert _bodies_seen_by_another_connection(notes_engine) == ["three"]


def test_unit_of_work_closes_the_session(notes_engine: Engine) -> None:
    factory = make_session_factory(notes_engine)
    with unit_of_work(factory) as session:
        session.execute(text("SELECT 1"))
    assert isinstance(session, Session)
    assert not session.in_transaction()


def test_overlapping_read_then_write_units_of_work_both_commit(sqlite_engine: Engine) -> None:
    """Two users save at the same time; each unit of work reads (checks) first, then writes."""
    factory = make_session_factory(sqlite_engine)
    first_has_read, second_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def second_user() -> None:
        first_has_read.wait(5)
        try:
            with unit_of_work(factory) as session:
                session.execute(text("SELECT count(*) FROM notes"))
                session.execute(text("INSERT INTO notes (body) VALUES ('second')"))
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            second_done.set()

    thread = threading.Thread(target=second_user)
    thread.start()
    try:
        with unit_of_work(factory) as session:
            session.execute(text("SELECT count(*) FROM notes"))
            first_has_read.set()
            # With a blocking (immediate) transaction the second user waits for us instead;
            # give it a moment either way, then write.
            second_done.wait(1)
            session.execute(text("INSERT INTO notes (body) VALUES ('first')"))
    finally:
        first_has_read.set()
        thread.join(10)

    assert errors == []
    assert _bodies_seen_by_another_connection(sqlite_engine) == ["first", "second"]


def test_read_only_work_does_not_wait_for_a_writer(sqlite_engine: Engine) -> None:
    """A page that only reads runs while a unit of work holds the write lock."""
    factory = make_session_factory(sqlite_engine)
    readers = make_session_factory(read_only(sqlite_engine))
    with unit_of_work(factory) as writer:
        writer.execute(text("INSERT INTO notes (body) VALUES ('pending')"))
        with unit_of_work(readers) as reader:
            assert reader.execute(text("SELECT count(*) FROM notes")).scalar() == 0
