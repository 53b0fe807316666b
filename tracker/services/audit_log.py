"""The audit trail for administrators: every recorded write, sign-in and download, newest
first, filtered by entity, action, who and dates, and paged in SQL.

Administrators only: the trail holds every account's sign-ins and the before/after copies of
records with personal data (contact persons), which managers do not administer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import Field
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from db.enums import AuditAction, values
from db.models import AuditLog
from tracker.auth import Actor, require_admin
from tracker.errors import FieldError, ValidationFailed
from tracker.schemas import ReadModel, has_control_characters
from tracker.services._common import bounded

PAGE_MAX = 200
ENTITY_MAX = 40  # audit_log.entity
EMAIL_MAX = 254  # audit_log.actor_email
ACTIONS: tuple[str, ...] = tuple(values(AuditAction))
# What services write to the trail (audit_log.entity), offered by the page's filter.
ENTITIES: tuple[str, ...] = (
    "activity", "assessment", "attachment", "cohort", "document", "enrollment", "import",
    "incubator", "milestone", "opinion", "opinion_evidence", "organization", "period_closure",
    "person", "personal_data", "register_import", "target", "training_rule", "user")
# Days are Latvian calendar days: "3 March" ends at midnight in Riga, not in UTC.
_RIGA = ZoneInfo("Europe/Riga")
_FIRST_DAY = dt.date(1900, 1, 2)  # before it (and after the last) a bound holds nothing back
_LAST_DAY = dt.date(9999, 12, 30)


class AuditEntry(ReadModel):
    id: int
    at: dt.datetime
    actor_email: str | None
    entity: str
    entity_id: int | None
    action: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


class AuditPage(ReadModel):
    items: list[AuditEntry] = Field(default_factory=list)
    total: int = 0  # entries matching the filters, over all pages


def _text(field: str, value: str | None, longest: int) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if has_control_characters(text):
        raise ValidationFailed.single(field, "control_characters")
    if len(text) > longest:
        raise ValidationFailed.single(field, "too_long", max_length=longest)
    return text


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight in Riga at the start of `day`, in UTC (SQLite keeps the trail's times in UTC)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=_RIGA).astimezone(dt.UTC)


def _conditions(entity: str | None, action: str | None, user_email: str | None,
                since: dt.date | None, until: dt.date | None) -> list[ColumnElement[bool]]:
    problems: list[FieldError] = []
    found: list[ColumnElement[bool]] = []
    for field, value, longest in (("entity", entity, ENTITY_MAX),
                                  ("action", action, ENTITY_MAX),
                                  ("user_email", user_email, EMAIL_MAX)):
        try:
            text = _text(field, value, longest)
        except ValidationFailed as refused:
            problems += refused.errors
            continue
        if text is None:
            continue
        if field == "entity":
            found.append(AuditLog.entity == text)
        elif field == "action":
            if text not in ACTIONS:
                problems.append(FieldError("action", "invalid"))
            found.append(AuditLog.action == text)
        else:
            found.append(func.lower(AuditLog.actor_email).contains(text.lower(),
                                                                   autoescape=True))
    if since is not None and until is not None and until < since:
        problems.append(FieldError("until", "date_order"))
    if problems:
        raise ValidationFailed(problems)
    if since is not None and _FIRST_DAY <= since <= _LAST_DAY:
        found.append(AuditLog.at >= _start_of(since))
    if until is not None and until <= _LAST_DAY:
        if until < _FIRST_DAY:
            found.append(AuditLog.id.is_(None))  # nothing is that old
        else:
            found.append(AuditLog.at < _start_of(until + dt.timedelta(days=1)))
    return found


def list_audit(session: Session, *, actor: Actor, entity: str | None = None,
               action: str | None = None, user_email: str | None = None,
               since: dt.date | None = None, until: dt.date | None = None, limit: int = 50,
               offset: int = 0) -> AuditPage:
    """Audit entries, newest first, with how many match: `entity` and `action` exactly,
    `user_email` as a part of the actor's address (any case), `since`..`until` as Latvian
    calendar days (both included); `limit` (1..200) entries from `offset`."""
    require_admin(actor)
    where = _conditions(entity, action, user_email, since, until)
    total = session.scalar(select(func.count()).select_from(AuditLog).where(*where)) or 0
    rows = session.execute(
        select(AuditLog.id, AuditLog.at, AuditLog.actor_email, AuditLog.entity,
               AuditLog.entity_id, AuditLog.action, AuditLog.before, AuditLog.after)
        .where(*where).order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(max(1, min(limit, PAGE_MAX))).offset(bounded(offset))).all()
    items = [AuditEntry(id=r[0], at=r[1] if r[1].tzinfo else r[1].replace(tzinfo=dt.UTC),
                        actor_email=r[2], entity=r[3], entity_id=r[4], action=r[5],
                        before=r[6], after=r[7]) for r in rows]
    return AuditPage(items=items, total=int(total))
