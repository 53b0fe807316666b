"""Helpers every service uses: loading rows, version checks, programme periods, municipalities."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from db.models import Base, Incubator, Municipality, Program
from tracker.errors import Deleted, NotFound, StaleVersion, ValidationFailed

M = TypeVar("M", bound=Base)


def load(session: Session, model: type[M], entity: str, row_id: int, *,
         allow_deleted: bool = False) -> M:
    """The row with `row_id`, or NotFound; soft-deleted rows count as gone unless allowed."""
    row = session.get(model, row_id)
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
    """Flush inside a savepoint; a unique-constraint race becomes `error`, the rest stays."""
    try:
        with session.begin_nested():
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
