"""Starting child processes from a test ("spawn")."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def plain_main() -> Iterator[None]:
    """While a "spawn" child is started: a spawned child first runs its parent's `__main__`
    again, and an AppTest run earlier in the same test process leaves its page script there
    (which fails outside Streamlit). An empty `__main__` gives the child nothing to run."""
    saved = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = saved
