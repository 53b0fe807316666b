"""Passwords: stored only as argon2id hashes, never in a log line or the audit log, even with
every logger at DEBUG and the SQL statements logged with their parameters (both databases)."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.enums import Role
from db.models import AuditLog, User
from tests import factories as f
from tracker.refdata import init_database
from tracker.schemas import PasswordReset, UserCreate
from tracker.services import users

SECRET = "Slepena-Parole-4242"
NEW_SECRET = "Cita-Slepena-Parole-77"


def test_a_password_is_never_logged_nor_audited(new_database_url: str,
                                                caplog: pytest.LogCaptureFixture) -> None:
    setup = make_engine(new_database_url)
    init_database(setup)
    setup.dispose()
    engine = make_engine(new_database_url, echo=True)  # every statement, with its parameters
    try:
        with caplog.at_level(logging.DEBUG), Session(engine) as session:
            created = users.create_user(session, actor=f.ADMIN, data=UserCreate(
                email="slepens@test.lv", role=Role.MANAGER, password=SECRET))
            assert users.authenticate(session, email="slepens@test.lv",
                                      password="nepareizi") is None
            assert users.authenticate(session, email="slepens@test.lv", password=SECRET)
            users.reset_password(session, actor=f.ADMIN, user_id=created.id,
                                 data=PasswordReset(password=NEW_SECRET))
            session.commit()
            stored = session.scalar(select(User.password_hash).where(User.id == created.id))
            audited = json.dumps([[e.before, e.after]
                                  for e in session.scalars(select(AuditLog))])
    finally:
        engine.dispose()

    assert "INSERT INTO users" in caplog.text  # the statements were logged
    for secret in (SECRET, NEW_SECRET):
        assert secret not in caplog.text
        assert secret not in audited
    assert stored is not None and stored.startswith("$argon2id$")
    assert "$argon2" not in audited
