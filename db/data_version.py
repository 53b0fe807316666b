"""The data version: a counter in `data_state` that every write transaction increases.

ORM writes are caught by Session events (a flush with changes, or a bulk INSERT, UPDATE or
DELETE statement); Core writes that bypass the ORM (the demo loader) call `bump` themselves.
Accounts, sign-ins and the audit log do not count: they change no number on a dashboard.

The UPDATE runs inside the writing transaction, so the new version becomes visible together
with the data, never before it; a cache keyed on the version therefore never hides a write.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, event, insert, select, update
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from db.models import AuditLog, DataState, FormDraft, User, UserSession, utcnow
from db.transactions import within

# Accounts, sign-ins and the audit log change no number on a dashboard.
_IGNORED_CLASSES = (DataState, AuditLog, User, UserSession, FormDraft)
_IGNORED_TABLES = frozenset(str(c.__tablename__) for c in _IGNORED_CLASSES)
_BUMPED = "data_version_bumped"


def bump(connection: Connection) -> None:
    """Increase the version inside the connection's current transaction."""
    result = connection.execute(update(DataState).where(DataState.id == 1).values(
        version=DataState.version + 1, changed_at=utcnow()))
    if result.rowcount == 0:  # a database made without the migration's first row
        connection.execute(insert(DataState).values(id=1, version=1, changed_at=utcnow()))


def current(connection: Connection | Session) -> int:
    """The version now (0 for a database that has never been written)."""
    return int(connection.execute(select(DataState.version).where(DataState.id == 1))
               .scalar() or 0)


def _bump_once(session: Session) -> None:
    # Once per transaction is enough. What is kept is the (sub)transaction the step was taken
    # in: rolling back a savepoint that holds it undoes the step, and the next write steps
    # again; the whole transaction's end forgets it.
    if session.info.get(_BUMPED) is None:
        session.info[_BUMPED] = session.get_nested_transaction() or session.get_transaction()
        bump(session.connection())


@event.listens_for(Session, "before_flush")
def _on_flush(session: Session, _context: Any, _instances: Any) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(not isinstance(obj, _IGNORED_CLASSES) for obj in changed):
        _bump_once(session)


@event.listens_for(Session, "do_orm_execute")
def _on_statement(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) not in _IGNORED_TABLES:
        _bump_once(state.session)


@event.listens_for(Session, "after_soft_rollback")
def _on_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    if within(session.info.get(_BUMPED), previous_transaction):
        session.info.pop(_BUMPED, None)


@event.listens_for(Session, "after_transaction_end")
def _on_transaction_end(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost transaction: committed or rolled back
        session.info.pop(_BUMPED, None)
