"""Accounts and what they leave: users, sign-in sessions, forms typed and not saved, the audit
log, and the data version the dashboards' caches are keyed on."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.enums import Role, values
from db.models.base import Base, Versioned, in_list, utcnow
from db.models.programme import Incubator


class User(Base, Versioned):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    incubator_id: Mapped[int | None] = mapped_column(ForeignKey("incubators.id"), index=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    external_subject: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    language: Mapped[str] = mapped_column(String(2), default="lv")

    incubator: Mapped[Incubator | None] = relationship()

    __table_args__ = (
        CheckConstraint(in_list("role", values(Role)), name="role"),
        CheckConstraint("role <> 'staff' OR incubator_id IS NOT NULL", name="staff_incubator"),
        CheckConstraint("failed_logins >= 0", name="failed_logins"),
        CheckConstraint(in_list("language", ["lv", "en"]), name="language"),
    )


class FormDraft(Base):
    """What a user has typed into a form and not saved yet, kept as they type so that a
    reload or a lost connection loses nothing (one per user and form)."""

    __tablename__ = "form_drafts"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    form: Mapped[str] = mapped_column(String(40), primary_key=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class UserSession(Base):
    """A signed-in browser: the cookie holds a random token, the database only its hash."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # One-time code the app hands to the browser, exchanged for the cookie within minutes.
    ticket_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    ticket_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    method: Mapped[str] = mapped_column(String(10), default="password")

    __table_args__ = (CheckConstraint(in_list("method", ["password", "oidc"]), name="method"),)


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.current_timestamp()
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_email: Mapped[str | None] = mapped_column(String(254))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    before: Mapped[dict[str, Any] | None] = mapped_column()
    after: Mapped[dict[str, Any] | None] = mapped_column()

    __table_args__ = (
        Index("ix_audit_log_entity_entity_id", "entity", "entity_id"),
        Index("ix_audit_log_at", "at"),
    )


class DataState(Base):
    """One row whose `version` grows with every committed change to programme data.

    Dashboards key their caches on it: reading it costs one primary-key lookup, and because
    it is updated inside the writing transaction, a reader never sees the new version before
    the data it stands for (see db/data_version.py).
    """

    __tablename__ = "data_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)
