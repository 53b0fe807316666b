"""Process-wide engine for the configured database, and the unit of work for one user action."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from db.engine import make_engine, make_session_factory, unit_of_work
from tracker.config import get_settings

_lock = threading.Lock()
_factories: dict[str, sessionmaker[Session]] = {}


def _factory(url: str | None) -> sessionmaker[Session]:
    url = url or get_settings().database_url
    with _lock:
        factory = _factories.get(url)
        if factory is None:
            factory = _factories[url] = make_session_factory(make_engine(url))
        return factory


def get_engine(url: str | None = None) -> Engine:
    """The engine for `url`, or for TRACKER_DATABASE_URL; one per URL per process."""
    bind = _factory(url).kw["bind"]
    assert isinstance(bind, Engine)
    return bind


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """`with session_scope() as session:` commits the whole action or nothing of it."""
    with unit_of_work(_factory(url)) as session:
        yield session


def dispose_engines() -> None:
    """Close every pooled connection and forget the engines (tests, backups)."""
    with _lock:
        for factory in _factories.values():
            bind = factory.kw["bind"]
            assert isinstance(bind, Engine)
            bind.dispose()
        _factories.clear()
