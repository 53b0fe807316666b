"""The rollup tables (migration 0007): what they should hold, a check, and a rebuild.

Database triggers keep `activity_rollup`, `area_rollup` and `organization_rollup` equal to
the live rows on every write. This module recounts them from the base tables: `differences`
compares (the tests run it after every kind of write; an operator runs
`tracker rollups --check`), and `rebuild` recounts them in place (`tracker rollups
--rebuild`), for a database whose triggers were ever switched off by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    Select,
    cast,
    delete,
    except_,
    func,
    insert,
    select,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session

from db.models import (
    Activity,
    ActivityArea,
    ActivityRollup,
    AreaRollup,
    OrganizationRollup,
    Participation,
    RollupState,
)

# A write of at least this many rows, and at least a fifth of the rows counted so far, is
# cheaper to recount afterwards than to pass through the triggers row by row (on SQLite
# about 25 us a row through the triggers, 5 us a row to recount everything).
BULK_MIN_ROWS = 10_000
BULK_SHARE = 5

Writer = Session | Connection


def _dialect(writer: Writer) -> str:
    bind = writer.get_bind() if isinstance(writer, Session) else writer
    return bind.dialect.name


def month_start(writer: Writer, day: Any) -> ColumnElement[dt.date]:
    """The first day of `day`'s month, as this database stores a date."""
    if _dialect(writer) == "sqlite":
        return type_coerce(func.substr(day, 1, 7).concat("-01"), Date)  # stored as text
    return cast(func.date_trunc("month", day), Date)


def _recounts(session: Writer) -> dict[str, tuple[type[Any], Select[Any]]]:
    """rollup name -> (model, the SELECT that recounts its rows from the live base rows)."""
    per_activity = (select(Participation.activity_id, func.count().label("n"),
                           func.sum(Participation.attendees).label("people"))
                    .group_by(Participation.activity_id).subquery())
    activity_key = (Activity.activity_date, Activity.incubator_id, Activity.type,
                    Activity.status)
    month = month_start(session, Activity.activity_date)
    live = Activity.deleted_at.is_(None)
    return {
        "activity_rollup": (ActivityRollup, select(
            *activity_key, func.count(), func.coalesce(func.sum(per_activity.c.n), 0),
            func.coalesce(func.sum(per_activity.c.people), 0))
            .outerjoin(per_activity, per_activity.c.activity_id == Activity.id)
            .where(live).group_by(*activity_key)),
        "area_rollup": (AreaRollup, select(*activity_key, ActivityArea.area, func.count())
                        .join(Activity, Activity.id == ActivityArea.activity_id).where(live)
                        .group_by(*activity_key, ActivityArea.area)),
        "organization_rollup": (OrganizationRollup, select(
            Participation.organization_id, Activity.status, month, Activity.incubator_id,
            Activity.type, func.count())
            .join(Activity, Activity.id == Participation.activity_id).where(live)
            .group_by(Participation.organization_id, Activity.status, month,
                      Activity.incubator_id, Activity.type)),
    }


def _columns(model: type[Any]) -> list[Any]:
    return list(model.__table__.columns)


def differences(session: Writer) -> dict[str, int]:
    """Rows that differ between each rollup and its recount (0 everywhere when correct)."""
    result = {}
    for name, (model, recount) in _recounts(session).items():
        stored = select(*_columns(model))
        missing = session.scalar(select(func.count()).select_from(
            except_(recount, stored).subquery())) or 0
        extra = session.scalar(select(func.count()).select_from(
            except_(stored, recount).subquery())) or 0
        result[name] = int(missing) + int(extra)
    return result


def rebuild(session: Writer) -> dict[str, int]:
    """Recount every rollup from the base rows (in the caller's transaction, which the
    statements mark as a data change); rows written."""
    written = {}
    for name, (model, recount) in _recounts(session).items():
        session.execute(delete(model))
        columns = [c.name for c in _columns(model)]
        session.execute(insert(model).from_select(columns, recount))
        written[name] = int(session.scalar(select(func.count()).select_from(model)) or 0)
    return written


def counted_rows(session: Writer) -> int:
    """Live activities and their participations, from the rollup (a few thousand rows)."""
    return int(session.execute(select(func.coalesce(
        func.sum(ActivityRollup.activities + ActivityRollup.participations), 0))).scalar() or 0)


@contextmanager
def bulk(session: Writer, rows: int) -> Iterator[bool]:
    """Around a write of about `rows` rows: when recounting is cheaper than the triggers,
    switch them off (inside the caller's transaction only) and recount when the block ends,
    or fails, before the caller commits or rolls back. Yields whether it did."""
    if rows < BULK_MIN_ROWS or rows * BULK_SHARE < counted_rows(session):
        yield False
        return
    session.execute(update(RollupState).where(RollupState.id == 1).values(suspended=True))
    try:
        yield True
    finally:
        rebuild(session)
        session.execute(update(RollupState).where(RollupState.id == 1)
                        .values(suspended=False))
