"""Process-wide engine for the configured database, and the unit of work for one user action."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from db.engine import make_engine, make_session_factory, read_only, unit_of_work
from tracker.config import get_settings

_lock = threading.Lock()
_factories: dict[tuple[str, bool], sessionmaker[Session]] = {}


def _factory(url: str | None, readonly: bool = False) -> sessionmaker[Session]:
    url = url or get_settings().database_url
    with _lock:
        factory = _factories.get((url, readonly))
        if factory is None:
            writer = _factories.get((url, False))
            engine = make_engine(url) if writer is None else writer.kw["bind"]
            if writer is None:
                _factories[(url, False)] = make_session_factory(engine)
            if readonly:
                _factories[(url, True)] = make_session_factory(read_only(engine))
            factory = _factories[(url, readonly)]
        return factory


def get_engine(url: str | None = None) -> Engine:
    """The engine for `url`, or for TRACKER_DATABASE_URL; one per URL per process."""
    bind = _factory(url).kw["bind"]
    assert isinstance(bind, Engine)
    return bind


@contextmanager
def session_scope(url: str | None = None, *, readonly: bool = False) -> Iterator[Session]:
    """`with session_scope() as session:` commits the whole action or nothing of it.

    `readonly=True` is for pages that only read: on SQLite they never queue behind writers.
    """
    with unit_of_work(_factory(url, readonly)) as session:
        yield session


def dispose_engines() -> None:
    """Close every pooled connection and forget the engines (tests, backups)."""
    with _lock:
        for (_url, readonly), factory in _factories.items():
            bind = factory.kw["bind"]
            if not readonly:
                bind.dispose()
        _factories.clear()
