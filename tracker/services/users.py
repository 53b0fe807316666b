"""Accounts: create and administer users, sign in with a password (argon2id, lockout)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.enums import AuditAction, Role
from db.models import Incubator, User, UserSession
from tracker import audit
from tracker.auth import Actor, hash_password, require_admin, verify_password
from tracker.errors import DuplicateEmail, TrackerError, ValidationFailed
from tracker.i18n import latvian_sort_key
from tracker.schemas import PasswordReset, UserCreate, UserDetail, UserRead, UserUpdate
from tracker.services._common import (
    check_version,
    email_key,
    flush,
    flush_unique,
    load,
    now,
)

ENTITY = "user"
ROLES: tuple[Role, ...] = tuple(Role)  # in the order forms offer them
DEFAULT_ROLE = Role.STAFF  # most accounts; and a new account is never an admin by default
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
    key = email_key(email)
    user = session.scalar(select(User).where(User.email == key)) if key else None
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


# Administration: list, change role and incubator, deactivate, reset a password ----------------

class LastAdmin(TrackerError):
    """The change would leave the programme without an active administrator."""

    code = "last_admin"


class OwnAccount(TrackerError):
    """Administrators cannot lock themselves out (deactivate or demote their own account)."""

    code = "own_account"


def _detail(session: Session, user: User) -> UserDetail:
    incubator = session.get(Incubator, user.incubator_id) if user.incubator_id else None
    return UserDetail(
        id=user.id, email=user.email, full_name=user.full_name, role=Role(user.role),
        incubator_id=user.incubator_id, is_active=user.is_active, version=user.version,
        incubator_code=incubator.code if incubator is not None else None,
        has_password=bool(user.password_hash), last_login_at=user.last_login_at,
        locked=user.locked_until is not None and _as_utc(user.locked_until) > now())


def _incubator_by_code(session: Session, code: str | None) -> int | None:
    if not code:
        return None
    incubator_id = session.scalar(select(Incubator.id).where(
        func.upper(Incubator.code) == code.upper()))
    if incubator_id is None:
        raise ValidationFailed.single("incubator_code", "unknown_incubator")
    return incubator_id


def _keep_an_admin(session: Session, actor: Actor, user: User, *, role: Role,
                   active: bool) -> None:
    """Refuse a change that takes an active administrator away from themselves or from all."""
    if user.role != Role.ADMIN.value or not user.is_active or (role is Role.ADMIN and active):
        return
    if actor.user_id == user.id:
        raise OwnAccount()
    # All active administrators' rows locked (PostgreSQL): two administrators removing each
    # other at the same moment are served one after the other, and the second is refused.
    admins = session.scalars(select(User.id).where(
        User.role == Role.ADMIN.value, User.is_active.is_(True)).with_for_update()).all()
    if not [admin_id for admin_id in admins if admin_id != user.id]:
        raise LastAdmin()


def _end_sessions(session: Session, user_id: int) -> int:
    """Revoke every open session of the user: each browser is signed out at its next click."""
    at = now()
    rows = session.scalars(select(UserSession).where(
        UserSession.user_id == user_id, UserSession.revoked_at.is_(None))).all()
    for row in rows:
        row.revoked_at = at
    return len(rows)


def list_users(session: Session, *, actor: Actor) -> list[UserDetail]:
    """Every account, by name (or e-mail) in Latvian alphabetical order."""
    require_admin(actor)
    rows = [_detail(session, u) for u in session.scalars(select(User))]
    rows.sort(key=lambda u: (latvian_sort_key(u.full_name or u.email), u.email))
    return rows


def get_user(session: Session, *, actor: Actor, user_id: int) -> UserDetail:
    """One account."""
    require_admin(actor)
    return _detail(session, load(session, User, ENTITY, user_id))


def update_user(session: Session, *, actor: Actor, user_id: int, data: UserUpdate
                ) -> UserDetail:
    """Change name, role and incubator; staff keep one incubator, other roles none."""
    require_admin(actor)
    user = load(session, User, ENTITY, user_id)
    check_version(user, data.version)
    _keep_an_admin(session, actor, user, role=data.role, active=user.is_active)
    incubator_id = _incubator_by_code(session, data.incubator_code) \
        if data.role is Role.STAFF else None
    before = audit.snapshot(user)
    user.full_name = data.full_name
    user.role = data.role.value
    user.incubator_id = incubator_id
    flush(session)
    after = audit.snapshot(user)
    if after != before:
        audit.record(session, actor, entity=ENTITY, entity_id=user.id,
                     action=AuditAction.UPDATE, before=before, after=after)
    return _detail(session, user)


def deactivate_user(session: Session, *, actor: Actor, user_id: int, version: int
                    ) -> UserDetail:
    """Close an account: no more sign-ins, and every open session of it ends now."""
    require_admin(actor)
    user = load(session, User, ENTITY, user_id)
    check_version(user, version)
    if not user.is_active:
        return _detail(session, user)
    _keep_an_admin(session, actor, user, role=Role(user.role), active=False)
    before = audit.snapshot(user)
    user.is_active = False
    ended = _end_sessions(session, user.id)
    flush(session)
    audit.record(session, actor, entity=ENTITY, entity_id=user.id, action=AuditAction.STATUS,
                 before=before, after=audit.snapshot(user, sessions_ended=ended))
    return _detail(session, user)


def reactivate_user(session: Session, *, actor: Actor, user_id: int, version: int
                    ) -> UserDetail:
    """Open a closed account again (with the password it had, unless that is reset too)."""
    require_admin(actor)
    user = load(session, User, ENTITY, user_id)
    check_version(user, version)
    if user.is_active:
        return _detail(session, user)
    before = audit.snapshot(user)
    user.is_active = True
    flush(session)
    audit.record(session, actor, entity=ENTITY, entity_id=user.id, action=AuditAction.STATUS,
                 before=before, after=audit.snapshot(user))
    return _detail(session, user)


def reset_password(session: Session, *, actor: Actor, user_id: int, data: PasswordReset
                   ) -> UserDetail:
    """Set a new password: the lockout is lifted and every open session of the user ends."""
    require_admin(actor)
    user = load(session, User, ENTITY, user_id)
    before = audit.snapshot(user)
    user.password_hash = hash_password(data.password)
    user.failed_logins = 0
    user.locked_until = None
    ended = _end_sessions(session, user.id)
    flush(session)
    # The audit trail says that the password changed, never what to (snapshot drops the hash).
    audit.record(session, actor, entity=ENTITY, entity_id=user.id, action=AuditAction.UPDATE,
                 before=before, after=audit.snapshot(user, password_reset=True,
                                                     sessions_ended=ended))
    return _detail(session, user)
