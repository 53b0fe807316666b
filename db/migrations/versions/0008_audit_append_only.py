"""audit log append-only: triggers refuse every UPDATE and DELETE of audit_log rows

The audit log says who changed what; it is worth only as much as the certainty that nobody
changed it afterwards. The app only ever adds rows (tracker.audit.record), and now the
database refuses anything else, whoever sends it: a service with a bug, the ORM, a
hand-typed statement. SQLite refuses UPDATE and DELETE; PostgreSQL refuses UPDATE, DELETE
and TRUNCATE, with the same message 'audit_log is append-only' (an IntegrityError on both).

One change is sanctioned: the GDPR erasure (tracker.services.personal_data.erase_contact)
redacts a contact person's fields in the audit copies. It does so inside
tracker.audit.redaction, for its own transaction only: on SQLite it drops
audit_log_no_update and creates it again from the text stored here (DDL is part of the
transaction: a rollback brings it back too); on PostgreSQL it sets
tracker.audit_redaction = 'on' for the transaction, which lets UPDATE through (never DELETE
or TRUNCATE). This guards against the app's mistakes, not against whoever owns the database
(they can drop a trigger).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "audit_log is append-only"
# Read by the PostgreSQL function: 'on' (set transaction-locally by tracker.audit.redaction)
# lets an UPDATE through.
REDACTION_SETTING = "tracker.audit_redaction"

FUNCTION = "audit_log_append_only"
# name -> (timing and event, level) on PostgreSQL; SQLite has the first two only (it has
# no TRUNCATE, and its DELETE without WHERE goes row by row through the trigger).
TRIGGERS = {
    "audit_log_no_update": ("BEFORE UPDATE", "ROW"),
    "audit_log_no_delete": ("BEFORE DELETE", "ROW"),
    "audit_log_no_truncate": ("BEFORE TRUNCATE", "STATEMENT"),
}
SQLITE_TRIGGERS = ("audit_log_no_update", "audit_log_no_delete")

PG_FUNCTION = f"""CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('{REDACTION_SETTING}', true) = 'on' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
END
$body$"""


def upgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        for name in SQLITE_TRIGGERS:
            when, _ = TRIGGERS[name]
            op.execute(f"CREATE TRIGGER {name} {when} ON audit_log FOR EACH ROW\n"
                       f"BEGIN\nSELECT RAISE(ABORT, '{MESSAGE}');\nEND")
        return
    op.execute(PG_FUNCTION)
    for name, (when, level) in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} ON audit_log "
                   f"FOR EACH {level} EXECUTE FUNCTION {FUNCTION}()")


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON audit_log")
    op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
