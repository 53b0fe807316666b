"""Accounts: create users, and sign in with a password (argon2id, lockout after failures)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.enums import AuditAction, Role
from db.models import Incubator, User
from tracker import audit
from tracker.auth import Actor, hash_password, require_admin, verify_password
from tracker.errors import DuplicateEmail, ValidationFailed
from tracker.schemas import UserCreate, UserRead
from tracker.services._common import flush_unique, now

ENTITY = "user"
MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)


def create_user(session: Session, *, actor: Actor, data: UserCreate) -> UserRead:
    """Add an account (administrators only); staff belong to one incubator."""
    require_admin(actor)
    incubator_id = None
    if data.incubator_code:
        incubator_id = session.scalar(select(Incubator.id).where(
            func.upper(Incubator.code) == data.incubator_code.upper()))
        if incubator_id is None:
            raise ValidationFailed.single("incubator_code", "unknown_incubator")
    if session.scalar(select(User.id).where(User.email == data.email)):
        raise DuplicateEmail(email=data.email)
    user = User(email=data.email, full_name=data.full_name, role=data.role.value,
                incubator_id=incubator_id if data.role is Role.STAFF else None,
                password_hash=hash_password(data.password) if data.password else None)
    session.add(user)
    flush_unique(session, DuplicateEmail(email=data.email))
    audit.record(session, actor, entity=ENTITY, entity_id=user.id, action=AuditAction.CREATE,
                 after=audit.snapshot(user))
    return UserRead.model_validate(user)


def _as_utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def authenticate(session: Session, *, email: str, password: str,
                 at: dt.datetime | None = None) -> Actor | None:
    """The actor for a correct e-mail and password; None otherwise (and never says which)."""
    at = at or now()
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_active:
        verify_password(None, password)
        return None
    locked = user.locked_until is not None and _as_utc(user.locked_until) > at
    if locked or not verify_password(user.password_hash, password):
        if not locked:
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = at + LOCKOUT
                user.failed_logins = 0
        who = Actor(user_id=user.id, email=user.email, role=Role(user.role))
        audit.record(session, who, entity=ENTITY, entity_id=user.id,
                     action=AuditAction.SIGN_IN_FAILED, after={"locked": locked})
        session.flush()
        return None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = at
    actor = Actor(user_id=user.id, email=user.email, role=Role(user.role),
                  incubator_id=user.incubator_id)
    audit.record(session, actor, entity=ENTITY, entity_id=user.id, action=AuditAction.SIGN_IN)
    session.flush()
    return actor
