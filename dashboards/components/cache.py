"""Analytics results cached per database, data version, viewer and filter set.

Every dashboard number goes through `cached`. The key holds the database's data version
(db/data_version.py), read once per call with a primary-key lookup: an activity saved by
anyone, in this server process or another, raises the version, so the next rerun of every
dashboard misses the cache and queries again. The time limit only frees memory.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

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


def cached_together(calls: Mapping[str, tuple[Callable[..., Any], dict[str, Any]]], *,
                    actor: Actor) -> dict[str, Any]:
    """Several `cached` calls at once: {name: (function, kwargs)} -> {name: result}.

    Each runs in its own thread with its own database connection, so the misses of a cold
    cache are answered side by side (SQLite in WAL mode and PostgreSQL both serve parallel
    readers, and the driver releases the GIL while the database works): a page waits for its
    slowest query instead of the sum of them all. Hits cost nothing either way.
    """
    url, version = get_settings().database_url, data_version()
    context = get_script_run_ctx()
    results: dict[str, Any] = {}
    errors: list[BaseException] = []

    def run(name: str, function: Callable[..., Any], kwargs: dict[str, Any]) -> None:
        try:
            results[name] = _call(function.__module__, function.__name__, url, version, actor,
                                  tuple(sorted(kwargs.items())))
        except BaseException as error:  # raised again in the script's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(name, function, kwargs), daemon=True)
               for name, (function, kwargs) in calls.items()]
    for thread in threads:
        if context is not None:
            add_script_run_ctx(thread, context)
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
