"""What every model shares: the declarative base with its naming convention, optimistic locking
(Versioned), and the CHECK-constraint helpers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Stable constraint names, so that migrations generated on SQLite and PostgreSQL agree.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# An organisation's state in the Register of Enterprises: `closed` L (liquidated), R
# (reorganised), or a termination date without either (terminated).
REGISTER_STATUSES = ["active", "liquidated", "reorganized", "terminated"]

MAX_COUNT = 1_000_000  # upper bound for people counts; protects aggregates from typos like 1e9


def utcnow() -> dt.datetime:
    """Timezone-aware now, for timestamps written by the application."""
    return dt.datetime.now(dt.UTC)


def in_list(column: str, options: list[str]) -> str:
    """`column` is one of `options`, written as ORs: SQLite builds a temporary b-tree for an
    IN list each time an INSERT or UPDATE runs, which made these checks cost more than all of
    a table's indexes (migration 0005)."""
    return " OR ".join(f"{column} = '{o}'" for o in options)


def count_between(column: str, low: int = 0, high: int = MAX_COUNT) -> str:
    return f"{column} IS NULL OR ({column} >= {low} AND {column} <= {high})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}  # noqa: RUF012


class Versioned:
    """Optimistic locking: every UPDATE checks and bumps `version` (a stale edit fails)."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow
    )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]
