"""The audit log is append-only, enforced by the database (migration 0008), on both databases:
raw SQL and the ORM cannot update or delete its rows (nor TRUNCATE it on PostgreSQL), the
services still add rows, and the GDPR erasure, the one sanctioned change, redacts the audit
copies inside `tracker.audit.redaction` and leaves the refusal in place afterwards, after a
rollback too."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Connection, Engine, delete, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.enums import AuditAction
from db.migrate import alembic_config
from db.models import AuditLog
from tests import factories as f
from tracker import audit
from tracker.refdata import init_database
from tracker.schemas import OrganizationUpdate
from tracker.services import organizations, personal_data

ROOT = Path(__file__).resolve().parents[2]
MESSAGE = "audit_log is append-only"
EMAIL = "janis.kontakts@biedriba.lv"
SQLITE_TRIGGERS = {"audit_log_no_update", "audit_log_no_delete"}
PG_TRIGGERS = SQLITE_TRIGGERS | {"audit_log_no_truncate"}


def _is_postgres(bind: Session | Connection | Engine) -> bool:
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    return engine.dialect.name == "postgresql"


def _entry(session: Session) -> int:
    """A new audit row, written as every service writes one."""
    audit.record(session, f.ADMIN, entity="organization", entity_id=1,
                 action=AuditAction.UPDATE, before={"contact_email": EMAIL},
                 after={"contact_email": EMAIL, "members": 3})
    session.flush()
    return int(session.scalars(select(AuditLog.id).order_by(AuditLog.id.desc())).first() or 0)


def _stored(session: Session | Connection, entry_id: int) -> tuple[Any, ...]:
    """The row as the database holds it (past anything the session remembers)."""
    row = session.execute(text("SELECT id, at, user_id, actor_email, entity, entity_id, "
                               "action, before, after FROM audit_log WHERE id = :id"),
                          {"id": entry_id}).one()
    return tuple(row)


def _count(session: Session | Connection) -> int:
    return int(session.execute(text("SELECT count(*) FROM audit_log")).scalar_one())


def _refused(session: Session, statement: Any, params: dict[str, Any] | None = None) -> None:
    """`statement` fails with the append-only message (inside a savepoint: on PostgreSQL an
    error aborts the transaction)."""
    with pytest.raises(IntegrityError) as info, session.begin_nested():
        session.execute(statement, params or {})
    assert MESSAGE in str(info.value.orig), str(info.value.orig)


def _triggers(connection: Connection) -> set[str]:
    if _is_postgres(connection):
        return set(connection.execute(text(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass "
            "AND NOT tgisinternal")).scalars())
    return set(connection.execute(text(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' "
        "AND tbl_name = 'audit_log'")).scalars())


# Raw SQL and the ORM, in the shared rolled-back database ------------------------------------

@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET action = 'tampered' WHERE id = :id",
    "UPDATE audit_log SET after = NULL, before = NULL WHERE id = :id",
    "UPDATE audit_log SET actor_email = 'someone.else@test.lv'",
    "UPDATE audit_log SET at = at WHERE id = :id",  # even a no-op write
], ids=["action", "copies", "every row", "same value"])
def test_raw_update_is_refused(session: Session, statement: str) -> None:
    entry_id = _entry(session)
    before = _stored(session, entry_id)

    _refused(session, text(statement), {"id": entry_id})

    assert _stored(session, entry_id) == before


@pytest.mark.parametrize("statement", [
    "DELETE FROM audit_log WHERE id = :id",
    "DELETE FROM audit_log",
], ids=["one row", "every row"])
def test_raw_delete_is_refused(session: Session, statement: str) -> None:
    entry_id = _entry(session)
    before, rows = _stored(session, entry_id), _count(session)

    _refused(session, text(statement), {"id": entry_id})

    assert _stored(session, entry_id) == before
    assert _count(session) == rows


@pytest.mark.postgresql_only  # SQLite has no TRUNCATE (its DELETE goes through the row trigger)
@pytest.mark.parametrize("statement", ["TRUNCATE audit_log", "TRUNCATE users CASCADE"])
def test_truncate_is_refused_on_postgresql(new_database_url: str, statement: str) -> None:
    engine = make_engine(new_database_url)
    try:
        init_database(engine)
        with Session(engine) as session:
            entry_id = _entry(session)
            session.commit()
            before, rows = _stored(session, entry_id), _count(session)

            _refused(session, text(statement))

            assert _stored(session, entry_id) == before
            assert _count(session) == rows
    finally:
        engine.dispose()


def test_orm_change_of_an_entry_is_refused_at_flush(session: Session) -> None:
    entry_id = _entry(session)
    before = _stored(session, entry_id)

    with pytest.raises(IntegrityError, match=MESSAGE), session.begin_nested():
        entry = session.get(AuditLog, entry_id)
        assert entry is not None
        entry.after = {"contact_email": "[erased]"}
        entry.action = "tampered"

    with pytest.raises(IntegrityError, match=MESSAGE), session.begin_nested():
        entry = session.get(AuditLog, entry_id)
        assert entry is not None
        session.delete(entry)

    assert _stored(session, entry_id) == before


@pytest.mark.parametrize("statement", [
    update(AuditLog).values(action="tampered"),
    delete(AuditLog),
], ids=["update", "delete"])
def test_orm_bulk_statements_are_refused(session: Session, statement: Any) -> None:
    entry_id = _entry(session)
    before = _stored(session, entry_id)

    _refused(session, statement.where(AuditLog.id == entry_id))

    assert _stored(session, entry_id) == before


def test_every_service_still_adds_its_entries(session: Session) -> None:
    rows = _count(session)

    org = f.organization(session, contact_name="Jānis Kontakts", contact_email=EMAIL)
    changed = organizations.update_organization(
        session, actor=f.ADMIN, organization_id=org.id,
        data=OrganizationUpdate.model_validate({"name": org.name, "version": org.version,
                                                "municipality_atvk": "0054000",
                                                "members": 9}))
    organizations.delete_organization(session, actor=f.ADMIN, organization_id=org.id,
                                      version=changed.version)
    f.activity(session)
    session.flush()

    actions = list(session.scalars(select(AuditLog.action).where(
        AuditLog.entity == "organization", AuditLog.entity_id == org.id)
        .order_by(AuditLog.id)))
    assert actions == ["create", "update", "delete"]
    assert _count(session) == rows + 4  # and the activity's


# The erasure: the one sanctioned change -----------------------------------------------------

def _contact(session: Session) -> int:
    """An organisation whose contact person is in two audit copies (created, updated)."""
    org = f.organization(session, contact_name="Jānis Kontakts", contact_email=EMAIL,
                         contact_phone="+371 29999999")
    organizations.update_organization(
        session, actor=f.ADMIN, organization_id=org.id,
        data=OrganizationUpdate.model_validate({
            "name": org.name, "version": org.version, "municipality_atvk": "0054000",
            "members": 9, "contact_name": "Jānis Kontakts", "contact_email": EMAIL,
            "contact_phone": "+371 29999999"}))
    session.flush()
    return org.id


def _copies(session: Session | Connection, org_id: int) -> str:
    rows = session.execute(text("SELECT before, after FROM audit_log WHERE entity = "
                                "'organization' AND entity_id = :id ORDER BY id"),
                           {"id": org_id}).all()
    return json.dumps([[_json(b), _json(a)] for b, a in rows], ensure_ascii=False)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def test_the_erasure_redacts_the_copies_and_the_refusal_stays(session: Session) -> None:
    org_id = _contact(session)
    assert EMAIL in _copies(session, org_id)

    erased = personal_data.erase_contact(session, actor=f.ADMIN, email=EMAIL)

    assert erased.audit_entries == 2
    copies = _copies(session, org_id)
    assert EMAIL not in copies and "Jānis" not in copies and "29999999" not in copies
    assert copies.count(personal_data.ERASED) == 3 * 3  # 3 copies (no "before" at creation)
    assert audit.append_only(session)
    entry_id = int(session.scalars(select(AuditLog.id).where(
        AuditLog.entity == "organization", AuditLog.entity_id == org_id)).first() or 0)
    _refused(session, text("UPDATE audit_log SET after = NULL WHERE id = :id"),
             {"id": entry_id})


def test_redaction_lets_updates_through_but_never_deletes(session: Session) -> None:
    entry_id = _entry(session)
    rows = _count(session)
    assert audit.append_only(session)

    with audit.redaction(session):
        assert not audit.append_only(session)
        entry = session.get(AuditLog, entry_id)
        assert entry is not None
        entry.before = {"contact_email": personal_data.ERASED}
        _refused(session, text("DELETE FROM audit_log WHERE id = :id"), {"id": entry_id})
        if _is_postgres(session):
            _refused(session, text("TRUNCATE audit_log"))

    assert _json(_stored(session, entry_id)[7]) == {"contact_email": personal_data.ERASED}
    assert _count(session) == rows
    assert audit.append_only(session)
    _refused(session, text("UPDATE audit_log SET before = NULL WHERE id = :id"),
             {"id": entry_id})


def test_changes_pending_before_the_redaction_are_refused(session: Session) -> None:
    """The redaction covers what changes inside its block, not what a caller left pending
    (flushed before the block, under the triggers; autoflush off, so that it is the
    redaction's own flush)."""
    entry_id = _entry(session)
    before = _stored(session, entry_id)

    with pytest.raises(IntegrityError, match=MESSAGE), session.begin_nested(), \
            session.no_autoflush:
        entry = session.get(AuditLog, entry_id)
        assert entry is not None
        entry.action = "tampered"
        with audit.redaction(session):
            pass

    assert _stored(session, entry_id) == before
    assert audit.append_only(session)


def test_the_redaction_writes_its_changes_before_it_ends(session: Session) -> None:
    """Flushed inside the block (autoflush off, so that it is the redaction's own flush):
    after the block, the database would refuse them."""
    entry_id = _entry(session)

    with session.no_autoflush:
        with audit.redaction(session):
            entry = session.get(AuditLog, entry_id)
            assert entry is not None
            entry.before = {"contact_email": personal_data.ERASED}
        assert not session.dirty

    session.flush()
    assert _json(_stored(session, entry_id)[7]) == {"contact_email": personal_data.ERASED}
    assert audit.append_only(session)


def test_a_failed_redaction_leaves_the_refusal_on(session: Session) -> None:
    entry_id = _entry(session)
    with pytest.raises(RuntimeError), audit.redaction(session):
        assert not audit.append_only(session)
        raise RuntimeError("the erasure failed half-way")

    assert audit.append_only(session)
    _refused(session, text("UPDATE audit_log SET after = NULL WHERE id = :id"),
             {"id": entry_id})


def test_a_rollback_inside_the_redaction_brings_the_refusal_back(session: Session) -> None:
    entry_id = _entry(session)
    nested = session.begin_nested()
    audit._allow_updates(session)  # the block entered, never left
    assert not audit.append_only(session)

    nested.rollback()

    assert audit.append_only(session)
    _refused(session, text("UPDATE audit_log SET after = NULL WHERE id = :id"),
             {"id": entry_id})


def test_only_the_erasures_use_the_redaction() -> None:
    """A contact person's erasure and a participant's (consent withdrawn, or on request)."""
    users = sorted(str(path.relative_to(ROOT)) for folder in ("tracker", "dashboards", "db")
                   for path in (ROOT / folder).rglob("*.py")
                   if re.search(r"\bredaction\(", path.read_text(encoding="utf-8")))
    assert users == ["tracker/audit.py", "tracker/services/people.py",
                     "tracker/services/personal_data.py"]


# Committed transactions, in a database of the test's own ------------------------------------

@pytest.fixture
def own_engine(new_database_url: str) -> Iterator[Engine]:
    engine = make_engine(new_database_url)
    init_database(engine)
    yield engine
    engine.dispose()


def test_after_a_committed_erasure_the_next_transaction_is_refused(own_engine: Engine
                                                                    ) -> None:
    with own_engine.connect() as connection:
        with Session(bind=connection) as session:
            org_id = _contact(session)
            session.commit()
        with Session(bind=connection) as session:
            personal_data.erase_contact(session, actor=f.ADMIN, email=EMAIL)
            session.commit()

        # the same connection, a new transaction
        with Session(bind=connection) as session:
            assert EMAIL not in _copies(session, org_id)
            assert audit.append_only(session)
            _refused(session, text("UPDATE audit_log SET after = NULL WHERE entity_id = :id"),
                     {"id": org_id})
            _refused(session, text("DELETE FROM audit_log WHERE entity_id = :id"),
                     {"id": org_id})
            session.rollback()
        assert _triggers(connection) == (PG_TRIGGERS if _is_postgres(connection)
                                         else SQLITE_TRIGGERS)
        connection.rollback()


def test_a_rolled_back_erasure_changes_nothing_and_leaves_the_refusal(own_engine: Engine
                                                                       ) -> None:
    with own_engine.connect() as connection:
        with Session(bind=connection) as session:
            org_id = _contact(session)
            session.commit()
            copies = _copies(session, org_id)
            session.rollback()

        with Session(bind=connection) as session:
            audit._allow_updates(session)  # inside the redaction: then the transaction fails
            session.execute(text("UPDATE audit_log SET after = NULL WHERE entity_id = :id"),
                            {"id": org_id})
            session.rollback()

        with Session(bind=connection) as session:
            assert _copies(session, org_id) == copies
            assert audit.append_only(session)
            _refused(session, text("UPDATE audit_log SET after = NULL WHERE entity_id = :id"),
                     {"id": org_id})
            session.rollback()


@pytest.mark.postgresql_only  # SQLite drops the trigger; the redaction block creates it again
def test_the_postgresql_setting_ends_with_its_transaction(own_engine: Engine) -> None:
    """Committed without being switched back (a caller that forgot): the next transaction on
    the same connection refuses again."""
    with own_engine.connect() as connection:
        with Session(bind=connection) as session:
            entry_id = _entry(session)
            session.commit()
        with Session(bind=connection) as session:
            audit._allow_updates(session)
            session.execute(text("UPDATE audit_log SET action = 'redacted' WHERE id = :id"),
                            {"id": entry_id})
            session.commit()

        with Session(bind=connection) as session:
            assert audit.append_only(session)
            _refused(session, text("UPDATE audit_log SET action = 'again' WHERE id = :id"),
                     {"id": entry_id})
            assert _stored(session, entry_id)[6] == "redacted"
            session.rollback()


def test_downgrade_removes_the_refusal_and_upgrade_brings_it_back(own_engine: Engine) -> None:
    url = own_engine.url.render_as_string(hide_password=False)
    expected = PG_TRIGGERS if _is_postgres(own_engine) else SQLITE_TRIGGERS

    command.downgrade(alembic_config(url), "0007")

    with own_engine.connect() as connection:
        assert _triggers(connection) == set()
        if _is_postgres(connection):
            assert connection.execute(text("SELECT count(*) FROM pg_proc WHERE proname = "
                                           "'audit_log_append_only'")).scalar() == 0
        connection.execute(text("INSERT INTO audit_log (entity, action) "
                                "VALUES ('test', 'create')"))
        connection.execute(text("UPDATE audit_log SET action = 'status'"))
        connection.execute(text("DELETE FROM audit_log"))
        connection.rollback()

    command.upgrade(alembic_config(url), "head")

    with own_engine.connect() as connection:
        assert _triggers(connection) == expected
    with Session(own_engine) as session:
        entry_id = _entry(session)
        _refused(session, text("UPDATE audit_log SET action = 'status' WHERE id = :id"),
                 {"id": entry_id})
        _refused(session, text("DELETE FROM audit_log WHERE id = :id"), {"id": entry_id})
        assert session.scalar(select(func.count()).select_from(AuditLog)) == 1
