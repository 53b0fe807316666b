"""Accounts: only administrators add users; passwords are argon2id; lockout after failures."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import Role
from db.models import AuditLog, User
from tests import factories as f
from tracker.errors import DuplicateEmail, PermissionDenied, ValidationFailed
from tracker.schemas import UserCreate
from tracker.services import users as svc

T0 = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)


def _user(session: Session, email: str = "darbinieks@inkubators.lv", password: str = "labs-parole"
          ) -> int:
    return svc.create_user(session, actor=f.ADMIN, data=UserCreate(
        email=email, role=Role.STAFF, incubator_code="vidzeme", password=password)).id


@pytest.mark.parametrize("role", [Role.MANAGER, Role.STAFF, Role.FUNDER])
def test_only_admins_add_users(session: Session, role: Role) -> None:
    with pytest.raises(PermissionDenied):
        svc.create_user(session, actor=f.actor(session, role),
                        data=UserCreate(email="x@y.lv", role=Role.FUNDER))


def test_password_is_stored_as_argon2id(session: Session) -> None:
    user_id = _user(session)
    stored = session.get(User, user_id)
    assert stored is not None and stored.password_hash is not None
    assert stored.password_hash.startswith("$argon2id$")
    assert "labs-parole" not in stored.password_hash
    entry = session.scalars(select(AuditLog).where(AuditLog.entity == "user")).one()
    assert entry.after is not None and "password_hash" not in entry.after


def test_duplicate_email_and_unknown_incubator(session: Session) -> None:
    _user(session)
    with pytest.raises(DuplicateEmail):
        _user(session, email="Darbinieks@Inkubators.lv")
    with pytest.raises(ValidationFailed) as exc:
        svc.create_user(session, actor=f.ADMIN, data=UserCreate(
            email="z@y.lv", role=Role.STAFF, incubator_code="RIGA"))
    assert exc.value.errors[0].field == "incubator_code"


def test_sign_in(session: Session) -> None:
    user_id = _user(session)
    actor = svc.authenticate(session, email=" DARBINIEKS@inkubators.lv ",
                             password="labs-parole", at=T0)
    assert actor is not None and actor.user_id == user_id and actor.role is Role.STAFF
    assert actor.incubator_id == f.incubator_id(session, "VIDZEME")
    assert svc.authenticate(session, email="darbinieks@inkubators.lv", password="nepareiza",
                            at=T0) is None
    assert svc.authenticate(session, email="nav@inkubators.lv", password="x", at=T0) is None
    actions = session.scalars(select(AuditLog.action).where(
        AuditLog.entity == "user", AuditLog.entity_id == user_id).order_by(AuditLog.id)).all()
    assert actions == ["create", "sign_in", "sign_in_failed"]


@pytest.mark.parametrize("typed", ["darbinieks@inkubators.lv\x00", "\x00", "a\u0007@b.lv",
                                   "x" * 300 + "@inkubators.lv"])
def test_a_sign_in_address_no_account_can_have_is_a_plain_failure(session: Session,
                                                                    typed: str) -> None:
    """Typed or pasted into the form: no error page (PostgreSQL refuses a NUL in a query)."""
    _user(session)
    assert svc.authenticate(session, email=typed, password="labs-parole", at=T0) is None


def test_lockout_after_five_failures(session: Session) -> None:
    _user(session)
    for attempt in range(5):
        assert svc.authenticate(session, email="darbinieks@inkubators.lv", password="x",
                                at=T0 + dt.timedelta(seconds=attempt)) is None
    # Locked: even the right password is refused for 15 minutes.
    assert svc.authenticate(session, email="darbinieks@inkubators.lv", password="labs-parole",
                            at=T0 + dt.timedelta(minutes=14)) is None
    assert svc.authenticate(session, email="darbinieks@inkubators.lv", password="labs-parole",
                            at=T0 + dt.timedelta(minutes=16)) is not None


def test_inactive_user_cannot_sign_in(session: Session) -> None:
    user_id = _user(session)
    user = session.get(User, user_id)
    assert user is not None
    user.is_active = False
    session.flush()
    assert svc.authenticate(session, email="darbinieks@inkubators.lv",
                            password="labs-parole", at=T0) is None


def test_password_spaces_are_kept_as_typed(session: Session) -> None:
    _user(session, password="  ar atstarpēm ")
    assert svc.authenticate(session, email="darbinieks@inkubators.lv",
                            password="  ar atstarpēm ", at=T0) is not None
    # not trimmed: the password without its spaces (or with some of them) is another one
    for trimmed in ("ar atstarpēm", "  ar atstarpēm", "ar atstarpēm "):
        assert svc.authenticate(session, email="darbinieks@inkubators.lv",
                                password=trimmed, at=T0) is None, trimmed
