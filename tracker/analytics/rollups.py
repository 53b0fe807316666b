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
from contextlib import contextmanager, suppress
from dataclasses import dataclass
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
    literal,
    select,
    text,
    type_coerce,
    union,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from db.models import (
    Activity,
    ActivityArea,
    ActivityRollup,
    AreaRollup,
    OrganizationRollup,
    Participation,
    TrainedPerson,
)
from tracker.analytics import trained

# A write of at least this many rows, and at least a fifth of the rows counted so far, is
# cheaper to recount afterwards than to pass through the triggers row by row (on SQLite
# about 17 us a row through the triggers, 6 us a row to recount everything).
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


AnySelect = Select[*tuple[Any, ...]]


@dataclass(frozen=True)
class Recount:
    """How one rollup is counted from the live base rows: grouped, or (SQLite) one row per
    activity or participation added into the primary key as it comes."""

    model: type[Any]
    grouped: AnySelect
    per_row: AnySelect | None = None


def _recounts(session: Writer) -> dict[str, Recount]:
    """rollup name -> how its rows are counted from the live base rows."""
    per_activity = (select(Participation.activity_id, func.count().label("n"),
                           func.sum(Participation.attendees).label("people"))
                    .group_by(Participation.activity_id).subquery())
    activity_key = (Activity.activity_date, Activity.incubator_id, Activity.type,
                    Activity.status)
    month = month_start(session, Activity.activity_date)
    live = Activity.deleted_at.is_(None)
    organization_key = (Participation.organization_id, Activity.status, month,
                        Activity.incubator_id, Activity.type)
    return {
        "activity_rollup": Recount(ActivityRollup, select(
            *activity_key, func.count(), func.coalesce(func.sum(per_activity.c.n), 0),
            func.coalesce(func.sum(per_activity.c.people), 0))
            .outerjoin(per_activity, per_activity.c.activity_id == Activity.id)
            .where(live).group_by(*activity_key), select(
            *activity_key, literal(1), func.coalesce(per_activity.c.n, 0),
            func.coalesce(per_activity.c.people, 0))
            .outerjoin(per_activity, per_activity.c.activity_id == Activity.id).where(live)),
        "area_rollup": Recount(AreaRollup, select(*activity_key, ActivityArea.area,
                                                  func.count())
                               .join(Activity, Activity.id == ActivityArea.activity_id)
                               .where(live).group_by(*activity_key, ActivityArea.area)),
        "organization_rollup": Recount(OrganizationRollup, select(
            *organization_key, func.count())
            .join(Activity, Activity.id == Participation.activity_id).where(live)
            .group_by(*organization_key), select(*organization_key, literal(1))
            .join(Activity, Activity.id == Participation.activity_id).where(live)),
        # the day each person became trained, per way of counting (migration 0011)
        "trained_people": Recount(TrainedPerson, trained.recount(session)),
    }


def _columns(model: type[Any]) -> list[Any]:
    return list(model.__table__.columns)


def differences(session: Writer) -> dict[str, int]:
    """Keys whose row is wrong, missing or extra, per rollup (0 everywhere when correct)."""
    result = {}
    for name, recount in _recounts(session).items():
        model = recount.model
        stored = select(*_columns(model))
        keys = len(model.__table__.primary_key.columns)
        wrong = [except_(recount.grouped, stored).subquery(),
                 except_(stored, recount.grouped).subquery()]
        differing = union(*(select(*list(side.c)[:keys]) for side in wrong)).subquery()
        result[name] = int(session.scalar(select(func.count()).select_from(differing)) or 0)
    return result


TABLES = ("activity_rollup", "area_rollup", "organization_rollup", "trained_people")


def rebuild(session: Writer, tables: tuple[str, ...] = TABLES) -> dict[str, int]:
    """Recount the rollups from the base rows (in the caller's transaction, which the
    statements mark as a data change); rows written."""
    written = {}
    for name, recount in _recounts(session).items():
        if name not in tables:
            continue
        model = recount.model
        session.execute(delete(model))
        columns = [c.name for c in _columns(model)]
        if recount.per_row is not None and _dialect(session) == "sqlite":
            # Adding each activity or participation into the primary key as it comes is a
            # quarter to a third quicker on SQLite than sorting them all for a GROUP BY
            # first (300,000 participations: 1.0 s against 1.5 s). PostgreSQL refuses to
            # update one row twice in a statement: it groups.
            key = [c.name for c in model.__table__.primary_key.columns]
            upsert = sqlite_insert(model).from_select(columns, recount.per_row)
            session.execute(upsert.on_conflict_do_update(index_elements=key, set_={
                c: getattr(model, c) + getattr(upsert.excluded, c)
                for c in columns if c not in key}))
        else:
            session.execute(insert(model).from_select(columns, recount.grouped))
        written[name] = int(session.scalar(select(func.count()).select_from(model)) or 0)
    return written


def counted_rows(session: Writer) -> int:
    """Live activities and their participations, from the rollup (a few thousand rows)."""
    return int(session.execute(select(func.coalesce(
        func.sum(ActivityRollup.activities + ActivityRollup.participations), 0))).scalar() or 0)


# The rollup triggers of migrations 0007 (12) and 0011 (6).
TRIGGERS = 18
_SQLITE_TRIGGERS = text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                        "AND name LIKE 'rollup!_%' ESCAPE '!' ORDER BY name")


def triggers_on(session: Writer) -> bool:
    """Whether the triggers keep the rollups in this transaction."""
    if _dialect(session) == "sqlite":
        return len(session.execute(_SQLITE_TRIGGERS).all()) == TRIGGERS
    return session.execute(text("SELECT current_setting('tracker.rollups', true)")
                           ).scalar() != "off"


def _switch_off(session: Writer) -> list[str]:
    """Switch the triggers off for this transaction only: the statements that bring them
    back. SQLite drops them (DDL is part of the transaction: a rollback restores them, and
    other connections never see them gone: the writer holds the lock); a trigger that stays
    costs its call per row even when it does nothing. PostgreSQL sets a transaction-local
    setting that the triggers' WHEN clause reads, without locking any table."""
    if _dialect(session) == "sqlite":
        saved = [(str(name), str(sql)) for name, sql in session.execute(_SQLITE_TRIGGERS)]
        for name, _ in saved:
            session.execute(text(f'DROP TRIGGER "{name}"'))
        return [sql for _, sql in saved]
    session.execute(text("SELECT set_config('tracker.rollups', 'off', true)"))
    return ["SELECT set_config('tracker.rollups', 'on', true)"]


@contextmanager
def bulk(session: Writer, rows: int, tables: tuple[str, ...] = TABLES) -> Iterator[bool]:
    """Around a write of about `rows` rows: when recounting is cheaper than the triggers,
    switch them off (for the caller's transaction only) and recount when the block ends,
    before the caller commits; `tables`: the rollups the write can change. When the block
    fails, the caller rolls back, which restores everything (the triggers are brought back
    here too, in case it does not). Yields whether it switched them off."""
    if rows < BULK_MIN_ROWS or rows * BULK_SHARE < counted_rows(session):
        yield False
        return
    restore = _switch_off(session)
    try:
        yield True
    except BaseException:
        with suppress(DBAPIError):  # a failed PostgreSQL transaction refuses any statement
            rebuild(session, tables)
            for statement in restore:
                session.execute(text(statement))
        raise
    rebuild(session, tables)
    for statement in restore:
        session.execute(text(statement))
