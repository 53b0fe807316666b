"""Helpers every service uses: loading rows, version checks, programme periods, municipalities."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, false, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.orm.exc import StaleDataError

from db.models import Base, Incubator, Municipality, Program
from tracker.errors import Deleted, NotFound, StaleVersion, ValidationFailed
from tracker.schemas import has_control_characters

M = TypeVar("M", bound=Base)

# Ids are INTEGER columns, 32-bit on PostgreSQL. A number outside that range names no row, and
# both databases refuse it as a query parameter (an error, not an empty result).
ID_MIN, ID_MAX = -(2**31), 2**31 - 1
_Column = QueryableAttribute[Any] | ColumnElement[Any]


def is_id(value: int) -> bool:
    """Whether an id column can hold `value` (a row with it may still not exist)."""
    return ID_MIN <= value <= ID_MAX


def get(session: Session, model: type[M], row_id: int) -> M | None:
    """`session.get`, None for a number no id column can hold."""
    return session.get(model, row_id) if is_id(row_id) else None


def id_is(column: _Column, value: int) -> ColumnElement[bool]:
    """`column = value`, false for a number no id column can hold."""
    return column == value if is_id(value) else false()


def ids_in(column: _Column, values: Iterable[int]) -> ColumnElement[bool]:
    """`column IN values`, without the numbers no id column can hold."""
    return column.in_([value for value in values if is_id(value)])


def email_key(email: str) -> str | None:
    """The stored form of an e-mail typed at sign-in (trimmed, lower case), or None for one
    no account can have: a control character (the schemas refuse them; PostgreSQL refuses a
    NUL in any query) or more than an address's 254 characters."""
    key = email.strip().lower()
    if len(key) > 254 or any(unicodedata.category(c) == "Cc" for c in key):
        return None
    return key


def bounded(value: int, low: int = 0) -> int:
    """A LIMIT or OFFSET both databases take: at least `low`, at most ID_MAX (no table holds
    more rows than its ids count)."""
    return max(low, min(value, ID_MAX))


def load(session: Session, model: type[M], entity: str, row_id: int, *,
         allow_deleted: bool = False) -> M:
    """The row with `row_id`, or NotFound; soft-deleted rows count as gone unless allowed."""
    row = get(session, model, row_id)
    if row is None:
        raise NotFound(entity, row_id)
    if not allow_deleted and getattr(row, "deleted_at", None) is not None:
        raise Deleted()
    return row


def check_version(row: Base, expected: int) -> None:
    """Refuse an edit made on an older copy of the row (someone else saved meanwhile)."""
    if getattr(row, "version", None) != expected:
        raise StaleVersion()


def flush(session: Session) -> None:
    """Flush, turning a lost optimistic-locking race into StaleVersion."""
    try:
        session.flush()
    except StaleDataError:
        raise StaleVersion() from None


def flush_unique(session: Session, error: Exception) -> None:
    """Flush inside a savepoint; a unique-constraint race becomes `error`, the rest stays.

    Beginning a savepoint flushes what is pending first, outside it: the new rows (those
    added since the service's last query) leave the session and come back inside it.
    """
    new = list(session.new)
    for row in new:
        if row in session:  # a parent's expunge takes its children along
            session.expunge(row)
    try:
        with session.begin_nested():
            session.add_all(new)
            session.flush()
    except IntegrityError:
        raise error from None
    except StaleDataError:
        raise StaleVersion() from None


def programme_period(session: Session, incubator_id: int | None) -> tuple[dt.date, dt.date]:
    """The period of the incubator's programme, or the span of all programmes."""
    if incubator_id is not None:
        row = session.execute(
            select(Program.start_date, Program.end_date)
            .join(Incubator, Incubator.program_id == Program.id)
            .where(Incubator.id == incubator_id)
        ).first()
        if row is not None:
            return row[0], row[1]
    start, end = session.execute(select(func.min(Program.start_date),
                                        func.max(Program.end_date))).one()
    if start is None or end is None:
        raise NotFound("incubator", incubator_id)
    return start, end


def check_in_programme(session: Session, field: str, value: dt.date,
                       incubator_id: int | None) -> None:
    """Dates inside a programme must fall inside its period."""
    start, end = programme_period(session, incubator_id)
    if not start <= value <= end:
        raise ValidationFailed.single(field, "date_outside_programme", start=start, end=end)


def municipality_id(session: Session, field: str, atvk: str | None,
                    on: dt.date | None = None) -> int | None:
    """The id of the municipality with ATVK code `atvk`, valid on `on` if given."""
    if atvk is None:
        return None
    row = session.scalar(select(Municipality).where(Municipality.atvk == atvk))
    if row is None:
        raise ValidationFailed.single(field, "unknown_municipality")
    if on is not None and (on < row.valid_from or (row.valid_to is not None and on > row.valid_to)):
        raise ValidationFailed.single(field, "municipality_not_valid")
    return row.id


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def required_text(field: str, value: str | None, max_length: int) -> str:
    """A required comment or reason, trimmed, of at most `max_length` characters."""
    text = (value or "").strip()
    if not text:
        raise ValidationFailed.single(field, "required")
    if len(text) > max_length:
        raise ValidationFailed.single(field, "too_long", max_length=max_length)
    if has_control_characters(text):
        raise ValidationFailed.single(field, "control_characters")
    return text
