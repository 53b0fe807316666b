"""trained people: the day each person became trained, kept by triggers

"People trained" counts distinct people whose attended hours of the rule's activity types
(programs.trained_activity_types, at least programs.trained_min_hours) reached the rule, on
the day they reached it. Worked out from the attendances with a window over each person's
activities, that is 1.1-1.7 s on the national data set (600,000 attendances): too slow for
the overview. `trained_people` holds each person's day, counting submitted activities too
(trained_on) and approved ones only (approved_on, NULL: not trained so), over every
incubator's activities (incubator_key 0) and over each incubator's alone. Triggers recount a
person whenever their attendance or one of its activities changes, and everybody when the
programme's rule changes; they are rollup triggers (named rollup_...), so a bulk writer
switches them off and recounts the table with the others (tracker.analytics.rollups).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08
"""

# ruff: noqa: S608 (the statements are built from constants of this file, no input)
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As in migration 0007: a bulk writer sets this off for its own transaction (PostgreSQL).
PG_ON = "current_setting('tracker.rollups', true) IS DISTINCT FROM 'off'"
RULE = "(SELECT {column} FROM programs ORDER BY id LIMIT 1)"


def _types(dialect: str) -> str:
    rule = RULE.format(column="trained_activity_types")
    return f"SELECT value FROM json_each({rule})" if dialect == "sqlite" \
        else f"SELECT json_array_elements_text({rule})"


def _counted(dialect: str, who: str) -> str:
    """FROM and WHERE of the counted attendances of the people `who` selects (a condition on
    attendance `a` and its activity `act`)."""
    return ("FROM attendances a JOIN activities act ON act.id = a.activity_id "
            f"WHERE ({who}) AND act.deleted_at IS NULL "
            "AND act.status IN ('approved', 'submitted') "
            f"AND act.type IN ({_types(dialect)})")


def _attended(dialect: str, who: str) -> str:
    """The counted attendances of the people `who` selects: person, incubator, day, hours
    (in hundredths: exact on SQLite too) and hours of approved activities."""
    cents = "round(coalesce(a.hours, act.hours) * 100)"
    return (f"SELECT a.person_id, act.incubator_id, act.activity_date AS day, {cents} AS cents, "
            f"CASE WHEN act.status = 'approved' THEN {cents} ELSE 0 END AS approved_cents "
            f"{_counted(dialect, who)}")


def _first_days(attended: str, by: str) -> str:
    """Per `by` (the person, or the person and the incubator) of the attendances
    `attended` (a FROM item): the first day the running sum of hours reaches the rule,
    counting submitted activities too and approved ones only; the lowest and highest
    incubator."""
    minimum = RULE.format(column="round(trained_min_hours * 100)")
    running = f"PARTITION BY {by} ORDER BY day ROWS UNBOUNDED PRECEDING"
    return (
        f"SELECT {by}, min(CASE WHEN total >= {minimum} THEN day END) AS trained_on, "
        f"min(CASE WHEN approved >= {minimum} THEN day END) AS approved_on, "
        "min(incubator_id) AS lo, max(incubator_id) AS hi FROM ("
        f"SELECT person_id, incubator_id, day, sum(cents) OVER ({running}) AS total, "
        f"sum(approved_cents) OVER ({running}) AS approved FROM {attended}) running "
        f"GROUP BY {by}")


INSERT = "INSERT INTO trained_people (person_id, incubator_key, trained_on, approved_on) "


def recount(dialect: str, who: str) -> str:
    """Insert the trained days of the people `who` selects (a condition on attendance `a`).
    Nearly everyone attends one incubator's activities: their row for that incubator is a
    copy of their row for all; the few with several are counted per incubator apart.
    PostgreSQL reads the attendances once (a WITH query); SQLite allows none in a trigger
    and reads them again for the few."""
    if dialect != "sqlite":
        return (
            f"{INSERT}WITH attended AS MATERIALIZED ({_attended(dialect, who)}), "
            f"everywhere AS ({_first_days('attended', 'person_id')}), "
            "apart AS (" + _first_days(
                "(SELECT * FROM attended WHERE person_id IN "
                "(SELECT person_id FROM everywhere WHERE lo <> hi)) several",
                "person_id, incubator_id") + ") "
            "SELECT person_id, 0, trained_on, approved_on FROM everywhere "
            "WHERE trained_on IS NOT NULL "
            "UNION ALL SELECT person_id, lo, trained_on, approved_on FROM everywhere "
            "WHERE trained_on IS NOT NULL AND lo = hi "
            "UNION ALL SELECT person_id, incubator_id, trained_on, approved_on FROM apart "
            "WHERE trained_on IS NOT NULL")
    several = (f"SELECT a.person_id {_counted(dialect, who)} GROUP BY a.person_id "
               "HAVING min(act.incubator_id) <> max(act.incubator_id)")
    return (
        f"{INSERT}SELECT p.person_id, CASE WHEN k.own = 1 THEN p.lo ELSE 0 END, "
        "p.trained_on, p.approved_on FROM ("
        + _first_days(f"({_attended(dialect, who)}) attended", "person_id")
        + ") p JOIN (SELECT 0 AS own UNION ALL SELECT 1) k ON k.own = 0 OR p.lo = p.hi "
        "WHERE p.trained_on IS NOT NULL "
        "UNION ALL SELECT q.person_id, q.incubator_id, q.trained_on, q.approved_on FROM ("
        + _first_days(f"({_attended(dialect, f'({who}) AND a.person_id IN ({several})')}) "
                      "attended", "person_id, incubator_id")
        + ") q WHERE q.trained_on IS NOT NULL")


def _again(dialect: str, people: str) -> list[str]:
    """Recount the people whose ids `people` lists (SQL: a list or a subquery)."""
    return [f"DELETE FROM trained_people WHERE person_id IN ({people})",
            recount(dialect, f"a.person_id IN ({people})")]


def _triggers(dialect: str) -> dict[str, tuple[str, str, str, str, list[str], str]]:
    """name -> (timing and event, columns, table, condition, statements, transition tables).
    With transition tables (PostgreSQL's attendance triggers) a trigger runs once for a
    statement, recounting everyone it touched: an activity saved with 30 attendees recounts
    them in one go. SQLite has row triggers only, and recounts one person in 0.2 ms."""
    differs = "IS NOT" if dialect == "sqlite" else "IS DISTINCT FROM"
    moved = " OR ".join(f"OLD.{c} {differs} NEW.{c}" for c in (
        "activity_date", "incubator_id", "type", "status", "deleted_at", "hours"))
    changed = " OR ".join(f"OLD.{c} {differs} NEW.{c}" for c in (
        "person_id", "activity_id", "hours"))
    attending = "SELECT person_id FROM attendances WHERE activity_id = {r}.id"
    if dialect == "sqlite":
        attendance: dict[str, tuple[str, str, str, str, list[str], str]] = {
            "rollup_trained_attendance_insert": ("AFTER INSERT", "", "attendances", "true",
                                                 _again(dialect, "NEW.person_id"), ""),
            "rollup_trained_attendance_delete": ("AFTER DELETE", "", "attendances", "true",
                                                 _again(dialect, "OLD.person_id"), ""),
            "rollup_trained_attendance_update": (
                "AFTER UPDATE", "", "attendances", changed,
                _again(dialect, "OLD.person_id, NEW.person_id"), ""),
        }
    else:
        attendance = {
            "rollup_trained_attendance_insert": (
                "AFTER INSERT", "", "attendances", "true",
                _again(dialect, "SELECT person_id FROM added"), "NEW TABLE AS added"),
            "rollup_trained_attendance_delete": (
                "AFTER DELETE", "", "attendances", "true",
                _again(dialect, "SELECT person_id FROM removed"), "OLD TABLE AS removed"),
            "rollup_trained_attendance_update": (
                "AFTER UPDATE", "", "attendances", "true",
                _again(dialect, "SELECT person_id FROM removed UNION "
                                "SELECT person_id FROM added"),
                "OLD TABLE AS removed NEW TABLE AS added"),
        }
    return {
        **attendance,
        "rollup_trained_activity_update": (
            "AFTER UPDATE",
            " OF activity_date, incubator_id, type, status, deleted_at, hours",
            "activities", moved, _again(dialect, attending.format(r="NEW")), ""),
        # The attendance first, while the activity is there (as 0007 does for participations):
        # the attendance trigger then recounts each person without it.
        "rollup_trained_activity_delete": (
            "BEFORE DELETE", "", "activities", "true",
            ["DELETE FROM attendances WHERE activity_id = OLD.id"], ""),
        "rollup_trained_rule": (
            "AFTER UPDATE", " OF trained_min_hours, trained_activity_types", "programs", "true",
            ["DELETE FROM trained_people", recount(dialect, "true")], ""),
    }


def upgrade() -> None:
    op.create_table('trained_people',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('incubator_key', sa.Integer(), nullable=False),
    sa.Column('trained_on', sa.Date(), nullable=False),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('person_id', 'incubator_key', name=op.f('pk_trained_people')),
    sqlite_with_rowid=False)
    op.create_index('ix_trained_people_incubator_key_trained_on', 'trained_people',
                    ['incubator_key', 'trained_on'], unique=False)
    op.create_index('ix_trained_people_incubator_key_approved_on', 'trained_people',
                    ['incubator_key', 'approved_on'], unique=False)
    dialect = op.get_context().dialect.name
    op.execute(recount(dialect, "true"))
    for name, (when, columns, table, condition, statements, tables) in \
            _triggers(dialect).items():
        timing, event = when.split(" ")
        if dialect == "sqlite":
            guard = "" if condition == "true" else f" WHEN {condition}"
            body = "".join(f"{s};\n" for s in statements)
            op.execute(f"CREATE TRIGGER {name} {timing} {event}{columns} ON {table} "
                       f"FOR EACH ROW{guard}\nBEGIN\n{body}END")
        else:
            body = "".join(f"  {s};\n" for s in statements)
            done = "NULL" if tables else "NEW" if event != "DELETE" else "OLD"
            op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$\n"
                       f"BEGIN\n{body}  RETURN {done};\nEND\n$body$")
            guard = f" WHEN ({PG_ON})" if condition == "true" \
                else f" WHEN ({PG_ON} AND ({condition}))"
            each = f" REFERENCING {tables} FOR EACH STATEMENT" if tables else " FOR EACH ROW"
            op.execute(f"CREATE TRIGGER {name} {timing} {event}{columns} ON {table}"
                       f"{each}{guard} EXECUTE FUNCTION {name}()")


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    for name, (_, _, table, _, _, _) in _triggers(dialect).items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + ("" if dialect == "sqlite"
                                                       else f" ON {table}"))
        if dialect != "sqlite":
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_table('trained_people')  # with its indexes
