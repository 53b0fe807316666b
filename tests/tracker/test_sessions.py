"""Browser sessions: one-time tickets, resuming after a reload, idle expiry, sign-out."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import Role
from db.models import AuditLog, User, UserSession
from tests import factories as f
from tracker.auth import Actor
from tracker.errors import PermissionDenied
from tracker.services import sessions as svc

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def _signed_in(session: Session) -> tuple[int, str]:
    actor = f.actor(session, Role.STAFF, "LATGALE")
    started = svc.start_session(session, actor=actor, at=T0)
    token = svc.redeem_ticket(session, ticket=started.ticket, at=T0 + dt.timedelta(seconds=5))
    assert token is not None
    return started.session_id, token


def test_ticket_gives_a_token_that_resumes_the_session(session: Session) -> None:
    session_id, token = _signed_in(session)
    resumed = svc.resume_session(session, token=token, at=T0 + dt.timedelta(hours=1))
    assert resumed is not None
    assert resumed[0] == session_id
    assert resumed[1].role is Role.STAFF
    assert resumed[1].incubator_id == f.incubator_id(session, "LATGALE")
    row = session.get(UserSession, session_id)
    assert row is not None and row.token_hash != token  # only the hash is stored


def test_ticket_is_single_use_and_short_lived(session: Session) -> None:
    actor = f.actor(session, Role.MANAGER)
    started = svc.start_session(session, actor=actor, at=T0)
    assert svc.redeem_ticket(session, ticket=started.ticket, at=T0) is not None
    assert svc.redeem_ticket(session, ticket=started.ticket, at=T0) is None
    late = svc.start_session(session, actor=actor, at=T0)
    assert svc.redeem_ticket(session, ticket=late.ticket,
                             at=T0 + dt.timedelta(minutes=3)) is None
    assert svc.redeem_ticket(session, ticket="made-up", at=T0) is None


def test_idle_sessions_expire_and_active_ones_slide(session: Session) -> None:
    _, token = _signed_in(session)
    for hours in (7, 14, 21):  # each visit within 8 hours keeps it alive
        at = T0 + dt.timedelta(hours=hours)
        resumed = svc.resume_session(session, token=token, at=at)
        assert resumed is not None
        assert svc.needs_touch(session, session_id=resumed[0], at=at)
        svc.touch_session(session, session_id=resumed[0], at=at)
        assert not svc.needs_touch(session, session_id=resumed[0], at=at)
    assert svc.resume_session(session, token=token, at=T0 + dt.timedelta(hours=30)) is None


def test_sessions_end_after_a_week_whatever_happens(session: Session) -> None:
    _, token = _signed_in(session)
    at = T0
    while at < T0 + dt.timedelta(days=6, hours=20):
        at += dt.timedelta(hours=4)
        resumed = svc.resume_session(session, token=token, at=at)
        assert resumed is not None
        svc.touch_session(session, session_id=resumed[0], at=at)
    assert svc.resume_session(session, token=token, at=T0 + dt.timedelta(days=7, hours=1)) \
        is None


def test_sign_out_ends_the_session_everywhere(session: Session) -> None:
    session_id, token = _signed_in(session)
    svc.end_session(session, session_id=session_id, at=T0 + dt.timedelta(minutes=5))
    assert svc.resume_session(session, token=token, at=T0 + dt.timedelta(minutes=6)) is None
    assert svc.check_session(session, session_id=session_id,
                             at=T0 + dt.timedelta(minutes=6)) is None
    actions = session.scalars(select(AuditLog.action).where(AuditLog.entity == "user")).all()
    assert "sign_out" in actions


def test_deactivated_user_loses_the_session(session: Session) -> None:
    session_id, token = _signed_in(session)
    row = session.get(UserSession, session_id)
    assert row is not None
    user = session.get(User, row.user_id)
    assert user is not None
    user.is_active = False
    session.flush()
    assert svc.resume_session(session, token=token, at=T0 + dt.timedelta(minutes=1)) is None


def test_role_change_shows_at_the_next_check(session: Session) -> None:
    session_id, _ = _signed_in(session)
    row = session.get(UserSession, session_id)
    assert row is not None
    user = session.get(User, row.user_id)
    assert user is not None
    user.role, user.incubator_id = "manager", None
    session.flush()
    actor = svc.check_session(session, session_id=session_id, at=T0 + dt.timedelta(minutes=1))
    assert actor is not None and actor.role is Role.MANAGER


def test_identity_provider_users_are_matched_by_email(session: Session) -> None:
    actor = f.actor(session, Role.FUNDER)
    found = svc.actor_for_email(session, email=actor.email.upper())
    assert found is not None and found.user_id == actor.user_id
    assert svc.actor_for_email(session, email="stranger@example.lv") is None
    assert svc.actor_for_email(session, email=actor.email + "\x00") is None


def test_a_session_number_no_row_can_have_is_no_session(session: Session) -> None:
    for number in (2**63, -(2**63) - 1, 2**31):
        assert svc.check_session(session, session_id=number, at=T0) is None
        assert not svc.needs_touch(session, session_id=number, at=T0)
        svc.touch_session(session, session_id=number, at=T0)
        svc.end_session(session, session_id=number, at=T0)


def test_the_system_never_signs_in(session: Session) -> None:
    with pytest.raises(PermissionDenied):  # it has no account to hold a session
        svc.start_session(session, actor=Actor.system(), at=T0)
