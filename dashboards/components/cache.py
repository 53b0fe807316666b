"""Analytics results cached per database, data version, viewer and filter set.

Every dashboard number goes through `cached`. The key holds the database's data version
(db/data_version.py), read once per call with a primary-key lookup: an activity saved by
anyone, in this server process or another, raises the version, so the next rerun of every
dashboard misses the cache and queries again. The time limit only frees memory.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from tracker import analytics
from tracker.auth import Actor
from tracker.config import get_settings
from tracker.database import session_scope

T = TypeVar("T")


def data_version() -> int:
    with session_scope(readonly=True) as session:
        return analytics.data_version(session)


@st.cache_data(max_entries=1024, ttl=3600, show_spinner=False)
def _call(module: str, name: str, database_url: str, version: int, actor: Actor,
          kwargs: tuple[tuple[str, Any], ...]) -> Any:
    del version  # part of the key only
    function = getattr(importlib.import_module(module), name)
    with session_scope(database_url, readonly=True) as session:
        return function(session, actor=actor, **dict(kwargs))


def cached(function: Callable[..., T], *, actor: Actor, **kwargs: Any) -> T:
    """`function(session, actor=actor, **kwargs)`, from the cache while the data is unchanged.

    `function` must be a module-level analytics function; its arguments must be hashable
    values (dates, numbers, strings, frozen dataclasses such as `Filters`).
    """
    result: T = _call(function.__module__, function.__name__, get_settings().database_url,
                      data_version(), actor, tuple(sorted(kwargs.items())))
    return result
