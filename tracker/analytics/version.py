"""The data version dashboards key their caches on (see db/data_version.py)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from db import data_version as _version


def data_version(session: Session) -> int:
    """A number that grows with every committed change to programme data; one cheap read."""
    return _version.current(session)
