"""The audit trail: every write records who, when, what, and the row before and after."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from db.enums import AuditAction
from db.models import AuditLog, Base
from tracker.auth import Actor

# Never copied into the audit trail.
SECRET_COLUMNS = frozenset({"password_hash"})


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
