"""The audit trail: every write records who, when, what, and the row before and after.

The trail is append-only, and the database enforces it (migration 0008: triggers refuse
every UPDATE and DELETE of `audit_log` rows, and TRUNCATE on PostgreSQL). The one sanctioned
change, the GDPR erasure's redaction of a contact person in the audit copies, happens inside
`redaction`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import TextClause, inspect, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from db.enums import AuditAction
from db.models import AuditLog, Base
from tracker.auth import Actor

# Never copied into the audit trail.
SECRET_COLUMNS = frozenset({"password_hash", "personal_code_secret", "personal_code_match"})


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(row: Base, **extra: Any) -> dict[str, Any]:
    """The row's column values as JSON-ready data (plus `extra`, e.g. child rows)."""
    data = {
        attr.key: _plain(getattr(row, attr.key))
        for attr in inspect(row).mapper.column_attrs
        if attr.key not in SECRET_COLUMNS
    }
    data.update({k: _plain(v) for k, v in extra.items()})
    return data


def record(session: Session, actor: Actor, *, entity: str, entity_id: int | None,
           action: AuditAction, before: dict[str, Any] | None = None,
           after: dict[str, Any] | None = None) -> None:
    """Add an audit entry to the current unit of work (it commits or rolls back with it)."""
    session.add(AuditLog(user_id=actor.user_id, actor_email=actor.email, entity=entity,
                         entity_id=entity_id, action=action.value, before=before, after=after))


# The trigger of migration 0008 that refuses an UPDATE on SQLite; `redaction` drops it and
# creates it again from the text the migration stored (sqlite_master keeps it verbatim).
_SQLITE_TRIGGER = "audit_log_no_update"
_SQLITE_TRIGGER_SQL = text("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                           "AND name = :name").bindparams(name=_SQLITE_TRIGGER)
# The setting the PostgreSQL trigger function of migration 0008 reads.
_PG_SETTING = "tracker.audit_redaction"


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _redaction_setting(session: Session) -> str | None:
    value = session.execute(text("SELECT current_setting(:name, true)"),
                            {"name": _PG_SETTING}).scalar()
    return None if value is None else str(value)


def append_only(session: Session) -> bool:
    """Whether the database refuses to update audit rows in this transaction (it always
    refuses to delete them)."""
    if _is_sqlite(session):
        return session.execute(_SQLITE_TRIGGER_SQL).scalar() is not None
    return _redaction_setting(session) != "on"


def _set_redaction(value: str) -> TextClause:
    return text("SELECT set_config(:name, :value, true)").bindparams(name=_PG_SETTING,
                                                                     value=value)


def _allow_updates(session: Session) -> list[TextClause]:
    """Let UPDATEs of audit rows through for this transaction only: the statements that
    refuse them again. SQLite drops the trigger (DDL is part of the transaction: a rollback
    restores it, and other connections never see it gone: the writer holds the lock);
    PostgreSQL sets a transaction-local setting that the trigger function reads."""
    if _is_sqlite(session):
        sql = session.execute(_SQLITE_TRIGGER_SQL).scalar()
        if sql is None:  # already dropped further up, or a database before 0008
            return []
        session.execute(text(f'DROP TRIGGER "{_SQLITE_TRIGGER}"'))
        return [text(str(sql))]
    before = _redaction_setting(session)
    session.execute(_set_redaction("on"))
    return [_set_redaction(before if before == "on" else "off")]


def _refuse_updates(session: Session, restore: list[TextClause]) -> None:
    if _is_sqlite(session) and session.execute(_SQLITE_TRIGGER_SQL).scalar() is not None:
        return  # a rollback to a savepoint inside the block brought it back already
    for statement in restore:
        session.execute(statement)


@contextmanager
def redaction(session: Session) -> Iterator[None]:
    """Around the one sanctioned change of audit rows, the GDPR erasure's redaction of the
    audit copies (tracker.services.personal_data.erase_contact; nothing else may use it):
    UPDATEs of audit rows go through inside the block, in the caller's transaction only.
    What was pending before the block is flushed first, under the triggers; what the block
    changes is flushed before it ends. Afterwards, and after a rollback, audit rows are
    refused again (on failure the caller rolls back; the refusal is restored here too, in
    case it does not). DELETE stays refused throughout."""
    session.flush()
    restore = _allow_updates(session)
    try:
        yield
        session.flush()
    except BaseException:
        # A failed flush leaves the session (and a PostgreSQL transaction) refusing any
        # statement until the caller rolls back, which restores the triggers anyway.
        with suppress(SQLAlchemyError):
            _refuse_updates(session, restore)
        raise
    _refuse_updates(session, restore)
