"""rollups: totals per day and per organisation-month, kept by triggers

The programme overview counted activities, attendees and distinct organisations by walking up
to a million participations on every cold load (2.0 s on the national data set). Three tables
now hold those totals by day, incubator, type and status (and by organisation and month for
distinct counts), and database triggers keep them equal to the live rows on every write: the
services, the importer (COPY on PostgreSQL included), the demo loader and hand-typed SQL all
go through them, so no write path can forget. Deleted activities are not in them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

# ruff: noqa: S608 (the statements are built from constants of this file, no input)
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVITY_KEY = "day = {r}.activity_date AND incubator_id = {r}.incubator_id " \
               "AND type = {r}.type AND status = {r}.status"
ORGANIZATION_KEY = "status = {r}.status AND month = {month} " \
                   "AND incubator_id = {r}.incubator_id AND type = {r}.type"


# A bulk writer (a big import, the demo loader) switches the triggers off inside its own
# transaction and recounts the rollups before it commits (tracker.analytics.rollups.bulk):
# on SQLite it drops them and creates them again, on PostgreSQL it sets this for the
# transaction (the WHEN clause is checked before the function is called).
PG_ON = "current_setting('tracker.rollups', true) IS DISTINCT FROM 'off'"


def _month(dialect: str, day: str) -> str:
    """The first day of `day`'s month, as each database stores a date."""
    return f"substr({day}, 1, 7) || '-01'" if dialect == "sqlite" \
        else f"date_trunc('month', {day})::date"


def _activity_leaves(dialect: str, r: str) -> list[str]:
    """Take activity row `r` (OLD) and everything under it out of the rollups."""
    key, month = ACTIVITY_KEY.format(r=r), _month(dialect, f"{r}.activity_date")
    org_key = ORGANIZATION_KEY.format(r=r, month=month)
    mine = f"activity_id = {r}.id"
    return [
        f"UPDATE activity_rollup SET activities = activities - 1, "
        f"participations = participations - (SELECT count(*) FROM participations WHERE {mine}), "
        f"attendees = attendees - (SELECT coalesce(sum(attendees), 0) FROM participations "
        f"WHERE {mine}) WHERE {key}",
        f"DELETE FROM activity_rollup WHERE {key} AND activities <= 0",
        f"UPDATE area_rollup SET activities = activities - 1 WHERE {key} "
        f"AND area IN (SELECT area FROM activity_areas WHERE {mine})",
        f"DELETE FROM area_rollup WHERE {key} AND activities <= 0",
        f"UPDATE organization_rollup SET participations = participations - 1 WHERE {org_key} "
        f"AND organization_id IN (SELECT organization_id FROM participations WHERE {mine})",
        f"DELETE FROM organization_rollup WHERE {org_key} AND participations <= 0 "
        f"AND organization_id IN (SELECT organization_id FROM participations WHERE {mine})",
    ]


def _activity_enters(dialect: str, r: str) -> list[str]:
    """Put activity row `r` (NEW) and everything under it into the rollups."""
    month, mine = _month(dialect, f"{r}.activity_date"), f"activity_id = {r}.id"
    return [
        f"INSERT INTO activity_rollup (day, incubator_id, type, status, activities, "
        f"participations, attendees) VALUES ({r}.activity_date, {r}.incubator_id, {r}.type, "
        f"{r}.status, 1, (SELECT count(*) FROM participations WHERE {mine}), "
        f"(SELECT coalesce(sum(attendees), 0) FROM participations WHERE {mine})) "
        f"ON CONFLICT (day, incubator_id, type, status) DO UPDATE SET "
        f"activities = activity_rollup.activities + 1, "
        f"participations = activity_rollup.participations + excluded.participations, "
        f"attendees = activity_rollup.attendees + excluded.attendees",
        f"INSERT INTO area_rollup (day, incubator_id, type, status, area, activities) "
        f"SELECT {r}.activity_date, {r}.incubator_id, {r}.type, {r}.status, area, 1 "
        f"FROM activity_areas WHERE {mine} "
        f"ON CONFLICT (day, incubator_id, type, status, area) DO UPDATE SET "
        f"activities = area_rollup.activities + 1",
        f"INSERT INTO organization_rollup (organization_id, status, month, incubator_id, type, "
        f"participations) SELECT organization_id, {r}.status, {month}, {r}.incubator_id, "
        f"{r}.type, 1 FROM participations WHERE {mine} "
        f"ON CONFLICT (organization_id, status, month, incubator_id, type) DO UPDATE SET "
        f"participations = organization_rollup.participations + 1",
    ]


def _live_activity(dialect: str, r: str) -> str:
    """The live activity of child row `r` as (d, i, t, s, m): day, incubator, type, status,
    month; no row when the activity is deleted (or gone)."""
    return (f"SELECT activity_date AS d, incubator_id AS i, type AS t, status AS s, "
            f"{_month(dialect, 'activity_date')} AS m FROM activities "
            f"WHERE id = {r}.activity_id AND deleted_at IS NULL")


def _participation(dialect: str, r: str, sign: str) -> list[str]:
    """Add (sign '+') or take away (sign '-') participation row `r`."""
    live = _live_activity(dialect, r)
    if sign == "+":
        return [
            f"UPDATE activity_rollup SET participations = participations + 1, "
            f"attendees = attendees + {r}.attendees FROM ({live}) AS a "
            f"WHERE day = a.d AND incubator_id = a.i AND type = a.t AND status = a.s",
            f"INSERT INTO organization_rollup (organization_id, status, month, incubator_id, "
            f"type, participations) SELECT {r}.organization_id, a.s, a.m, a.i, a.t, 1 "
            f"FROM ({live}) AS a WHERE true "
            f"ON CONFLICT (organization_id, status, month, incubator_id, type) DO UPDATE SET "
            f"participations = organization_rollup.participations + 1",
        ]
    org = (f"FROM ({live}) AS a WHERE organization_id = {r}.organization_id AND status = a.s "
           f"AND month = a.m AND incubator_id = a.i AND type = a.t")
    return [
        f"UPDATE activity_rollup SET participations = participations - 1, "
        f"attendees = attendees - {r}.attendees FROM ({live}) AS a "
        f"WHERE day = a.d AND incubator_id = a.i AND type = a.t AND status = a.s",
        f"UPDATE organization_rollup SET participations = participations - 1 {org}",
        f"DELETE FROM organization_rollup WHERE participations <= 0 AND EXISTS "
        f"(SELECT 1 {org})",
    ]


def _area(dialect: str, r: str, sign: str) -> list[str]:
    live = _live_activity(dialect, r)
    if sign == "+":
        return [
            f"INSERT INTO area_rollup (day, incubator_id, type, status, area, activities) "
            f"SELECT a.d, a.i, a.t, a.s, {r}.area, 1 FROM ({live}) AS a WHERE true "
            f"ON CONFLICT (day, incubator_id, type, status, area) DO UPDATE SET "
            f"activities = area_rollup.activities + 1",
        ]
    key = (f"FROM ({live}) AS a WHERE day = a.d AND incubator_id = a.i AND type = a.t "
           f"AND status = a.s AND area = {r}.area")
    return [f"UPDATE area_rollup SET activities = activities - 1 {key}",
            f"DELETE FROM area_rollup WHERE activities <= 0 AND EXISTS (SELECT 1 {key})"]




def _moved(dialect: str) -> str:
    """An activity changed where it is counted (or whether it is)."""
    differs = "IS NOT" if dialect == "sqlite" else "IS DISTINCT FROM"
    return " OR ".join(f"OLD.{c} {differs} NEW.{c}" for c in (
        "activity_date", "incubator_id", "type", "status", "deleted_at"))


def _triggers(dialect: str) -> dict[str, tuple[str, str, str, list[str]]]:
    """name -> (timing and event, table, condition, statements)."""
    moved = _moved(dialect)
    return {
        "rollup_activity_insert": ("AFTER INSERT", "activities", "NEW.deleted_at IS NULL",
                                   _activity_enters(dialect, "NEW")[:1]),
        "rollup_activity_leave": (
            "AFTER UPDATE", "activities", f"OLD.deleted_at IS NULL AND ({moved})",
            _activity_leaves(dialect, "OLD")),
        "rollup_activity_enter": (
            "AFTER UPDATE", "activities", f"NEW.deleted_at IS NULL AND ({moved})",
            _activity_enters(dialect, "NEW")),
        # Children first, while the activity is there to say where they were counted; the
        # cascade then finds nothing left to delete.
        "rollup_activity_delete": (
            "BEFORE DELETE", "activities", "true",
            ["DELETE FROM participations WHERE activity_id = OLD.id",
             "DELETE FROM activity_areas WHERE activity_id = OLD.id",
             f"UPDATE activity_rollup SET activities = activities - 1 WHERE "
             f"{ACTIVITY_KEY.format(r='OLD')} AND OLD.deleted_at IS NULL",
             f"DELETE FROM activity_rollup WHERE {ACTIVITY_KEY.format(r='OLD')} "
             f"AND activities <= 0"]),
        "rollup_participation_insert": ("AFTER INSERT", "participations", "true",
                                        _participation(dialect, "NEW", "+")),
        "rollup_participation_delete": ("AFTER DELETE", "participations", "true",
                                        _participation(dialect, "OLD", "-")),
        "rollup_participation_leave": (
            "AFTER UPDATE", "participations", "true", _participation(dialect, "OLD", "-")),
        "rollup_participation_enter": (
            "AFTER UPDATE", "participations", "true", _participation(dialect, "NEW", "+")),
        "rollup_area_insert": ("AFTER INSERT", "activity_areas", "true",
                               _area(dialect, "NEW", "+")),
        "rollup_area_delete": ("AFTER DELETE", "activity_areas", "true",
                               _area(dialect, "OLD", "-")),
        "rollup_area_leave": ("AFTER UPDATE", "activity_areas", "true",
                              _area(dialect, "OLD", "-")),
        "rollup_area_enter": ("AFTER UPDATE", "activity_areas", "true",
                              _area(dialect, "NEW", "+")),
    }


def _fill(dialect: str) -> list[str]:
    """Count every live row into the empty rollups."""
    month = _month(dialect, "a.activity_date")
    return [
        "INSERT INTO activity_rollup (day, incubator_id, type, status, activities, "
        "participations, attendees) SELECT a.activity_date, a.incubator_id, a.type, a.status, "
        "count(*), coalesce(sum(p.n), 0), coalesce(sum(p.people), 0) FROM activities a "
        "LEFT JOIN (SELECT activity_id, count(*) AS n, sum(attendees) AS people "
        "FROM participations GROUP BY activity_id) p ON p.activity_id = a.id "
        "WHERE a.deleted_at IS NULL GROUP BY a.activity_date, a.incubator_id, a.type, a.status",
        "INSERT INTO area_rollup (day, incubator_id, type, status, area, activities) "
        "SELECT a.activity_date, a.incubator_id, a.type, a.status, x.area, count(*) "
        "FROM activity_areas x JOIN activities a ON a.id = x.activity_id "
        "WHERE a.deleted_at IS NULL "
        "GROUP BY a.activity_date, a.incubator_id, a.type, a.status, x.area",
        f"INSERT INTO organization_rollup (organization_id, status, month, incubator_id, type, "
        f"participations) SELECT p.organization_id, a.status, {month}, a.incubator_id, a.type, "
        f"count(*) FROM participations p JOIN activities a ON a.id = p.activity_id "
        f"WHERE a.deleted_at IS NULL "
        f"GROUP BY p.organization_id, a.status, {month}, a.incubator_id, a.type",
    ]


def upgrade() -> None:
    with_rowid = {"sqlite_with_rowid": False}
    op.create_table('activity_rollup',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('activities', sa.Integer(), nullable=False),
    sa.Column('participations', sa.Integer(), nullable=False),
    sa.Column('attendees', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'incubator_id', 'type', 'status',
                            name=op.f('pk_activity_rollup')),
    **with_rowid)
    op.create_table('area_rollup',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('area', sa.String(length=32), nullable=False),
    sa.Column('activities', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'incubator_id', 'type', 'status', 'area',
                            name=op.f('pk_area_rollup')),
    **with_rowid)
    op.create_table('organization_rollup',
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('incubator_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('participations', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('organization_id', 'status', 'month', 'incubator_id', 'type',
                            name=op.f('pk_organization_rollup')),
    **with_rowid)
    dialect = op.get_context().dialect.name
    for statement in _fill(dialect):
        op.execute(statement)
    for name, (when, table, condition, statements) in _triggers(dialect).items():
        timing, event = when.split(" ")
        columns = " OF activity_date, incubator_id, type, status, deleted_at" \
            if name in ("rollup_activity_leave", "rollup_activity_enter") else ""
        if dialect == "sqlite":
            guard = "" if condition == "true" else f" WHEN {condition}"
            body = "".join(f"{s};\n" for s in statements)
            op.execute(f"CREATE TRIGGER {name} {timing} {event}{columns} ON {table} "
                       f"FOR EACH ROW{guard}\nBEGIN\n{body}END")
        else:
            body = "".join(f"  {s};\n" for s in statements)
            done = "NEW" if event != "DELETE" else "OLD"
            op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$\n"
                       f"BEGIN\n{body}  RETURN {done};\nEND\n$body$")
            guard = f" WHEN ({PG_ON})" if condition == "true" \
                else f" WHEN ({PG_ON} AND ({condition}))"
            op.execute(f"CREATE TRIGGER {name} {timing} {event}{columns} ON {table} "
                       f"FOR EACH ROW{guard} EXECUTE FUNCTION {name}()")


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    for name, (_, table, _, _) in _triggers(dialect).items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + ("" if dialect == "sqlite"
                                                       else f" ON {table}"))
        if dialect != "sqlite":
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_table('organization_rollup')
    op.drop_table('area_rollup')
    op.drop_table('activity_rollup')
