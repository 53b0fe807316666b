"""The data version grows with every committed change to programme data, and only then."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

from db import data_version
from db.engine import make_engine, read_only
from db.enums import Role
from db.models import Organization
from tests import factories as f
from tracker import demo
from tracker.refdata import init_database
from tracker.services import users


@pytest.fixture
def db(new_database_url: str) -> Iterator[Engine]:
    """A new database on each backend (tests/conftest.py parametrizes new_database_url)."""
    engine = make_engine(new_database_url)
    init_database(engine)
    yield engine
    engine.dispose()


def _version(engine: Engine) -> int:
    with read_only(engine).connect() as conn:  # a reader never waits for a writer
        return data_version.current(conn)


def test_a_committed_write_raises_the_version_once(db: Engine) -> None:
    start = _version(db)
    with Session(db) as session, session.begin():
        f.organization(session)
        f.organization(session)
        session.flush()
        f.activity(session)
    assert _version(db) == start + 1  # one transaction, one step


def test_reads_rollbacks_and_sign_ins_leave_it_alone(db: Engine) -> None:
    with Session(db) as session, session.begin():
        email = f.actor(session, Role.MANAGER).email  # an account: not programme data
    start = _version(db)
    with Session(db) as session, session.begin():
        session.query(Organization).all()
    with Session(db) as session:
        session.begin()
        f.organization(session)
        session.flush()
        session.rollback()
    with Session(db) as session, session.begin():
        users.authenticate(session, email=email, password="wrong")
    assert _version(db) == start


def test_a_write_after_a_rolled_back_savepoint_still_counts(db: Engine) -> None:
    """The savepoint's step is undone with it; the write that follows must step again."""
    start = _version(db)
    with Session(db) as session, session.begin():
        with pytest.raises(RuntimeError), session.begin_nested():
            f.organization(session)
            session.flush()
            raise RuntimeError("refused, e.g. a duplicate")
        f.organization(session)
    assert _version(db) == start + 1


def test_a_released_savepoint_counts_once(db: Engine) -> None:
    start = _version(db)
    with Session(db) as session, session.begin():
        with session.begin_nested():
            f.organization(session)
        f.organization(session)
        session.flush()
        with pytest.raises(RuntimeError), session.begin_nested():
            raise RuntimeError("a savepoint that wrote nothing")
        f.organization(session)
    assert _version(db) == start + 1


def test_a_bulk_update_statement_counts_too(db: Engine) -> None:
    with Session(db) as session, session.begin():
        f.organization(session)
    start = _version(db)
    with Session(db) as session, session.begin():
        session.execute(update(Organization).values(contact_name="Bulk"))
    assert _version(db) == start + 1


def test_the_new_version_is_seen_only_with_the_data(db: Engine) -> None:
    """Until the writer commits, another connection reads the old version (so a cache keyed
    on it cannot store the old data under the new version)."""
    start = _version(db)
    factory = sessionmaker(db)
    with factory() as writer:
        writer.begin()
        f.organization(writer)
        writer.flush()
        assert data_version.current(writer) == start + 1  # the writer sees its own change
        assert _version(db) == start  # nobody else does yet
        writer.commit()
    assert _version(db) == start + 1


def test_the_demo_loader_raises_it(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/demo.db")
    init_database(engine)
    start = _version(engine)
    demo.generate(engine, seed=1, progress=False)
    assert _version(engine) > start
    engine.dispose()
