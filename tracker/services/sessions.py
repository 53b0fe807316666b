"""Signed-in browsers: sessions that survive a reload, end on sign-out, expire when idle."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import AuditAction, Role
from db.models import User, UserSession
from tracker import audit
from tracker.auth import Actor
from tracker.errors import PermissionDenied
from tracker.services._common import email_key, get, now

TICKET_LIFETIME = dt.timedelta(minutes=2)
IDLE_TIMEOUT = dt.timedelta(hours=8)
ABSOLUTE_TIMEOUT = dt.timedelta(days=7)


@dataclass(frozen=True)
class StartedSession:
    session_id: int
    ticket: str  # one-time: the browser exchanges it for the session cookie


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _actor(user: User) -> Actor:
    return Actor(user_id=user.id, email=user.email, role=Role(user.role),
                 incubator_id=user.incubator_id)


def start_session(session: Session, *, actor: Actor, method: str = "password",
                  at: dt.datetime | None = None) -> StartedSession:
    """A new session for a user who has just proved who they are."""
    at = at or now()
    if actor.user_id is None:  # the system (command line) never signs in
        raise PermissionDenied()
    ticket = secrets.token_urlsafe(32)
    row = UserSession(user_id=actor.user_id, ticket_hash=_digest(ticket),
                      ticket_expires_at=at + TICKET_LIFETIME, created_at=at, last_seen_at=at,
                      expires_at=at + IDLE_TIMEOUT, method=method)
    session.add(row)
    session.flush()
    return StartedSession(session_id=row.id, ticket=ticket)


def redeem_ticket(session: Session, *, ticket: str, at: dt.datetime | None = None
                  ) -> str | None:
    """Exchange a one-time ticket for the long-lived cookie token (None if not valid)."""
    at = at or now()
    row = session.scalar(select(UserSession).where(UserSession.ticket_hash == _digest(ticket)))
    if row is None or row.revoked_at is not None or row.ticket_expires_at is None or \
            _utc(row.ticket_expires_at) < at:
        return None
    token = secrets.token_urlsafe(32)
    row.ticket_hash = None
    row.ticket_expires_at = None
    row.token_hash = _digest(token)
    session.flush()
    return token


TOUCH_EVERY = dt.timedelta(minutes=1)


def _active(session: Session, row: UserSession | None, at: dt.datetime) -> Actor | None:
    if row is None or row.revoked_at is not None or _utc(row.expires_at) < at or \
            _utc(row.created_at) + ABSOLUTE_TIMEOUT < at:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    return _actor(user)


def resume_session(session: Session, *, token: str, at: dt.datetime | None = None
                   ) -> tuple[int, Actor] | None:
    """The session id and actor behind a cookie token, if the session is still valid."""
    row = session.scalar(select(UserSession).where(UserSession.token_hash == _digest(token)))
    actor = _active(session, row, at or now())
    return (row.id, actor) if row is not None and actor is not None else None


def check_session(session: Session, *, session_id: int, at: dt.datetime | None = None
                  ) -> Actor | None:
    """The actor of a session the app already holds, re-read (role changes, sign-outs).

    Only reads: pages call it on every rerun. `touch_session` keeps the session alive.
    """
    return _active(session, get(session, UserSession, session_id), at or now())


def needs_touch(session: Session, *, session_id: int, at: dt.datetime | None = None) -> bool:
    """Whether the idle timer is due to be pushed back (at most one write a minute)."""
    row = get(session, UserSession, session_id)
    return row is not None and (at or now()) - _utc(row.last_seen_at) > TOUCH_EVERY


def touch_session(session: Session, *, session_id: int, at: dt.datetime | None = None) -> None:
    """Push the idle expiry back: a session in use does not time out (up to 7 days)."""
    at = at or now()
    row = get(session, UserSession, session_id)
    if row is None or row.revoked_at is not None:
        return
    row.last_seen_at = at
    row.expires_at = min(at + IDLE_TIMEOUT, _utc(row.created_at) + ABSOLUTE_TIMEOUT)
    session.flush()


def end_session(session: Session, *, session_id: int | None = None, token: str | None = None,
                at: dt.datetime | None = None) -> None:
    """Sign out: the session can no longer be resumed from any browser tab."""
    if session_id is not None:
        row = get(session, UserSession, session_id)
    elif token:
        row = session.scalar(select(UserSession).where(UserSession.token_hash == _digest(token)))
    else:
        return
    if row is None or row.revoked_at is not None:
        return
    row.revoked_at = at or now()
    user = session.get(User, row.user_id)
    if user is not None:
        audit.record(session, _actor(user), entity="user", entity_id=user.id,
                     action=AuditAction.SIGN_OUT)
    session.flush()


def actor_for_email(session: Session, *, email: str) -> Actor | None:
    """The active account with this e-mail (sign-in through the identity provider)."""
    key = email_key(email)
    user = session.scalar(select(User).where(User.email == key)) if key else None
    if user is None or not user.is_active:
        return None
    return _actor(user)
