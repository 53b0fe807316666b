"""Alembic migrations build exactly the schema of db/models.py; `init` loads reference data."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import CheckConstraint, Engine, UniqueConstraint, func, inspect, select, text
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.migrate import alembic_config, current_revision, head_revision, upgrade
from db.models import (
    Base,
    Incubator,
    Indicator,
    Municipality,
    Program,
    Region,
    Target,
)
from tracker.refdata import init_database

ROOT = Path(__file__).resolve().parents[2]
MODEL_TABLES = set(Base.metadata.tables)


@pytest.fixture
def empty_engine(new_database_url: str) -> Iterator[Engine]:
    """An engine on a new, empty database of the test's backend."""
    engine = make_engine(new_database_url)
    yield engine
    engine.dispose()


def _schema(engine: Engine) -> dict[str, dict[str, Any]]:
    """What the database really holds, table by table, as plain comparable values."""
    inspector = inspect(engine)
    schema: dict[str, dict[str, Any]] = {}
    for table in inspector.get_table_names():
        schema[table] = {
            "columns": {c["name"]: c["nullable"] for c in inspector.get_columns(table)},
            "pk": (inspector.get_pk_constraint(table)["name"],
                   tuple(inspector.get_pk_constraint(table)["constrained_columns"])),
            "checks": {c["name"] for c in inspector.get_check_constraints(table)},
            "uniques": {(u["name"], tuple(u["column_names"]))
                        for u in inspector.get_unique_constraints(table)},
            # PostgreSQL reports the index behind each unique constraint too; those are
            # compared as unique constraints above.
            "indexes": {(i["name"], tuple(i["column_names"]), bool(i["unique"]))
                        for i in inspector.get_indexes(table)
                        if "duplicates_constraint" not in i},
            "fks": {(f["name"], tuple(f["constrained_columns"]), f["referred_table"],
                     tuple(f["referred_columns"]), (f.get("options") or {}).get("ondelete"))
                    for f in inspector.get_foreign_keys(table)},
        }
    return schema


def _expected_schema() -> dict[str, dict[str, Any]]:
    """The same picture, taken from the models' metadata."""
    schema: dict[str, dict[str, Any]] = {}
    for name, table in Base.metadata.tables.items():
        schema[name] = {
            "columns": {c.name: c.nullable for c in table.columns},
            "pk": (table.primary_key.name, tuple(c.name for c in table.primary_key.columns)),
            "checks": {c.name for c in table.constraints if isinstance(c, CheckConstraint)},
            "uniques": {(c.name, tuple(col.name for col in c.columns))
                        for c in table.constraints if isinstance(c, UniqueConstraint)},
            "indexes": {(i.name, tuple(col.name for col in i.columns), bool(i.unique))
                        for i in table.indexes},
            "fks": {(fk.name, tuple(fk.column_keys), fk.referred_table.name,
                     tuple(e.column.name for e in fk.elements), fk.ondelete)
                    for fk in table.foreign_key_constraints},
        }
    return schema


def _row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {table: int(connection.execute(
                    text(f'SELECT count(*) FROM "{table}"')).scalar_one())
                for table in sorted(inspect(connection).get_table_names())}


def test_upgrade_from_empty_builds_the_models_schema(empty_engine: Engine) -> None:
    assert inspect(empty_engine).get_table_names() == []

    upgrade(empty_engine)

    actual = _schema(empty_engine)
    assert set(actual) == MODEL_TABLES | {"alembic_version"}
    expected = _expected_schema()
    for table in sorted(MODEL_TABLES):
        for part in ("columns", "pk", "checks", "uniques", "indexes", "fks"):
            assert actual[table][part] == expected[table][part], f"{table}: {part} differ"
    # A sample of the contract, so that a metadata typo cannot hide behind the comparison.
    assert "ck_organizations_reg_no_length" in actual["organizations"]["checks"]
    assert ("uq_enrollments_organization_id_cohort_id", ("organization_id", "cohort_id")) in \
        actual["enrollments"]["uniques"]
    assert ("uq_targets_indicator_id_incubator_key_year_key",
            ("indicator_id", "incubator_key", "year_key")) in actual["targets"]["uniques"]


def test_no_drift_between_models_and_migrations(empty_engine: Engine) -> None:
    upgrade(empty_engine)

    with empty_engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    # `alembic check` raises AutogenerateDiffsDetected on any difference.
    command.check(alembic_config(empty_engine.url.render_as_string(hide_password=False)))


def test_revision_is_none_before_and_head_after_upgrade(empty_engine: Engine) -> None:
    assert current_revision(empty_engine) is None

    upgrade(empty_engine)

    assert current_revision(empty_engine) == head_revision()


def test_downgrade_to_base_and_upgrade_again(empty_engine: Engine) -> None:
    url = empty_engine.url.render_as_string(hide_password=False)
    init_database(empty_engine)

    command.downgrade(alembic_config(url), "base")

    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    assert current_revision(empty_engine) is None

    init_database(empty_engine)

    assert current_revision(empty_engine) == head_revision()
    assert set(inspect(empty_engine).get_table_names()) == MODEL_TABLES | {"alembic_version"}
    with empty_engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    assert _row_counts(empty_engine)["municipalities"] == 44


def test_call_dates_migration_downgrades_and_upgrades_keeping_the_cycles(
        empty_engine: Engine) -> None:
    """Migration 0009 adds the call for applications' dates (empty for existing cycles) with
    their CHECK, and its downgrade removes both; the cycles stay either way."""
    url = empty_engine.url.render_as_string(hide_password=False)
    init_database(empty_engine)
    cohort = ("INSERT INTO cohorts (incubator_id, number, name, start_date, end_date, {call}"
              "version, created_at, updated_at) SELECT id, {n}, 'Cikls', '2025-03-01', "
              "'2025-11-30', {dates}1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM incubators "
              "WHERE code = 'VIDZEME'")
    with empty_engine.begin() as conn:
        conn.execute(text(cohort.format(n=1, call="call_opens_on, call_closes_on, ",
                                        dates="'2025-01-10', '2025-02-10', ")))

    command.downgrade(alembic_config(url), "0008")

    assert {"call_opens_on", "call_closes_on"}.isdisjoint(
        c["name"] for c in inspect(empty_engine).get_columns("cohorts"))
    assert "ck_cohorts_call_period" not in {
        c["name"] for c in inspect(empty_engine).get_check_constraints("cohorts")}
    with empty_engine.begin() as conn:
        assert conn.execute(text("SELECT number FROM cohorts")).scalars().all() == [1]
        conn.execute(text(cohort.format(n=2, call="", dates="")))  # still takes new cycles

    command.upgrade(alembic_config(url), "0009")

    columns = {c["name"]: c["nullable"] for c in inspect(empty_engine).get_columns("cohorts")}
    assert columns["call_opens_on"] is True and columns["call_closes_on"] is True
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT number, call_opens_on, call_closes_on FROM cohorts "
                                 "ORDER BY number")).all() == [(1, None, None), (2, None, None)]
        conn.execute(text("UPDATE cohorts SET call_opens_on = '2025-01-10', "
                          "call_closes_on = '2025-02-10' WHERE number = 1"))
        conn.execute(text("UPDATE cohorts SET call_closes_on = '2025-02-10' WHERE number = 2"))
        with pytest.raises(Exception, match="ck_cohorts_call_period"):
            conn.execute(text("UPDATE cohorts SET call_closes_on = '2025-01-09' "
                              "WHERE number = 1"))
        conn.rollback()
    command.upgrade(alembic_config(url), "head")
    assert current_revision(empty_engine) == head_revision()


def test_alembic_ini_migrates_the_database_named_by_the_environment(
        empty_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """`alembic upgrade head` / `alembic check` run by hand use TRACKER_DATABASE_URL."""
    monkeypatch.setenv("TRACKER_DATABASE_URL",
                       empty_engine.url.render_as_string(hide_password=False))
    config = Config(str(ROOT / "alembic.ini"))

    command.upgrade(config, "head")
    command.check(config)

    assert current_revision(empty_engine) == head_revision()


@pytest.mark.parametrize("url", ["sqlite:///offline.db", "postgresql+psycopg://u@h/db"],
                         ids=["sqlite", "postgresql"])
def test_offline_sql_script_can_be_generated(url: str) -> None:
    """`alembic upgrade head --sql` writes the DDL without a database."""
    buffer = io.StringIO()
    config = alembic_config(url)
    config.output_buffer = buffer

    command.upgrade(config, "head", sql=True)

    script = buffer.getvalue()
    assert "CREATE TABLE organizations" in script
    assert "CONSTRAINT ck_participations_attendees CHECK" in script
    assert "CREATE TABLE alembic_version" in script


def test_init_database_twice_changes_nothing(empty_engine: Engine) -> None:
    init_database(empty_engine)
    first = _row_counts(empty_engine)

    init_database(empty_engine)

    assert _row_counts(empty_engine) == first
    assert first["regions"] == 5
    assert first["municipalities"] == 44
    assert first["programs"] == 1
    assert first["incubators"] == 4
    assert first["indicators"] == 8  # TRAINING_ATTENDANCES has no target
    assert first["targets"] == 7
    assert first["alembic_version"] == 1


# Reference data (read from the shared, rolled-back `session`) -------------------------------

def test_regions(session: Session) -> None:
    names = {r.code: (r.name_lv, r.name_en) for r in session.scalars(select(Region))}
    assert set(names) == {"RIGA", "VIDZEME", "KURZEME", "ZEMGALE", "LATGALE"}
    assert names["LATGALE"] == ("Latgales plānošanas reģions", "Latgale planning region")


def test_municipalities_and_the_varaklani_merger(session: Session) -> None:
    assert session.scalar(select(func.count()).select_from(Municipality)) == 44
    assert session.scalar(select(func.count()).select_from(Municipality)
                          .where(Municipality.valid_to.is_(None))) == 42

    by_atvk = {m.atvk: m for m in session.scalars(select(Municipality))}
    varaklani, old_madona, madona = by_atvk["0055000"], by_atvk["0038000"], by_atvk["0038001"]
    assert varaklani.name == "Varakļānu novads"
    assert varaklani.valid_to == dt.date(2025, 6, 30)
    assert varaklani.successor_id == madona.id
    assert old_madona.valid_to == dt.date(2025, 6, 30)
    assert old_madona.successor_id == madona.id
    assert madona.name == "Madonas novads"
    assert madona.valid_from == dt.date(2025, 7, 1)
    assert madona.valid_to is None
    assert madona.successor_id is None
    assert {m.region.code for m in (varaklani, old_madona, madona)} == {"VIDZEME"}
    # Only the two ended units have a successor.
    assert sorted(m.atvk for m in by_atvk.values() if m.successor_id is not None) == \
        ["0038000", "0055000"]
    assert {m.kind for m in by_atvk.values()} == {"valstspilsēta", "novads"}
    assert by_atvk["0001000"].name == "Rīga"


def test_default_programme_and_incubators(session: Session) -> None:
    program = session.scalars(select(Program)).one()
    assert (program.start_date, program.end_date) == (dt.date(2025, 1, 1), dt.date(2026, 12, 31))
    assert program.budget_eur == Decimal("336000")

    incubators = session.scalars(select(Incubator).order_by(Incubator.code)).all()
    assert [i.code for i in incubators] == ["KURZEME", "LATGALE", "VIDZEME", "ZEMGALE"]
    assert [i.region.code for i in incubators] == ["KURZEME", "LATGALE", "VIDZEME", "ZEMGALE"]
    assert {i.program_id for i in incubators} == {program.id}
    assert sum(i.budget_eur or 0 for i in incubators) == Decimal("336000")
    assert {(i.start_date, i.end_date) for i in incubators} == {
        (dt.date(2025, 1, 1), dt.date(2026, 12, 31))}


def test_public_targets(session: Session) -> None:
    rows = session.execute(
        select(Indicator.code, Indicator.method, Target.incubator_id, Target.year,
               Target.target_value)
        .join(Target, Target.indicator_id == Indicator.id)
        .order_by(Indicator.code, Target.year_key)).all()
    targets = {(code, year): value for code, _method, incubator, year, value in rows
               if incubator is None}
    assert len(targets) == len(rows)  # every default target is programme-wide
    assert targets == {
        ("ORGS_SUPPORTED", None): Decimal("250"),
        ("PEOPLE_TRAINED", None): Decimal("40"),
        ("DOCS_MONITORED", None): Decimal("2500"),
        ("OPINIONS_SUBMITTED", None): Decimal("100"),
        ("OPINIONS_SUBMITTED", 2025): Decimal("50"),
        ("OPINIONS_SUBMITTED", 2026): Decimal("50"),
        ("ORGS_WITH_OPINIONS", None): Decimal("50"),
    }
    methods = {code: method for code, method, *_ in rows}
    assert methods["ORGS_SUPPORTED"] == "organizations_supported"
    assert methods["PEOPLE_TRAINED"] == "people_trained"
    # counted from the civic-dialogue register (migration 0012)
    assert methods["DOCS_MONITORED"] == "documents_monitored"
    assert methods["OPINIONS_SUBMITTED"] == "opinions"
    assert methods["ORGS_WITH_OPINIONS"] == "opinion_organizations"


def test_sqlite_checks_are_rewritten_without_in_lists(tmp_path: Path) -> None:
    """Migration 0005: SQLite's stored CHECKs read `a = 'x' OR a = 'y'` (an IN list costs a
    temporary b-tree per INSERT), mean the same as before, and keep the rows; downgrade puts
    the IN lists back."""
    engine = make_engine(f"sqlite:///{tmp_path / 'checks.db'}")
    url = engine.url.render_as_string(hide_password=False)
    try:
        command.upgrade(alembic_config(url), "0004")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO regions (code, name_lv, name_en) "
                              "VALUES ('RIGA', 'Rīga', 'Riga')"))
        with engine.connect() as conn:  # an old connection must see the new text too
            command.upgrade(alembic_config(url), "head")
            stored: dict[str, str] = dict(conn.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all())
            assert not [name for name, sql in stored.items() if " IN (" in sql]
            assert "type = 'consultation' OR type = 'mentoring'" in stored["activities"]
            assert "register_status IS NULL OR register_status = 'active'" in \
                stored["organizations"]
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            with pytest.raises(Exception, match="ck_regions_code"):
                conn.execute(text("INSERT INTO regions (code, name_lv, name_en) "
                                  "VALUES ('MARS', 'Marss', 'Mars')"))
            conn.rollback()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT code FROM regions")).scalars().all() == ["RIGA"]
        command.downgrade(alembic_config(url), "0004")
        with engine.connect() as conn:
            activities = str(conn.execute(text(
                "SELECT sql FROM sqlite_master WHERE name = 'activities'")).scalar())
        assert "type IN ('consultation', 'mentoring'" in activities
    finally:
        engine.dispose()
