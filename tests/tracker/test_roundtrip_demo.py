"""A whole programme moves: every kind exported from the demo data and imported into an empty
database (`tracker init`, no demo) on SQLite and PostgreSQL gives back every record, by the
one-workbook path (`export all` / `import all`) and kind by kind in CSV files. People and their
attendance move with the personal codes in full (`--with-codes`), as an administrator moves a
programme (the demo's people have no codes: the same either way)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import ColumnElement, Engine, func, select
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.models import (
    Activity,
    Assessment,
    Attendance,
    Cohort,
    Document,
    Enrollment,
    Incubator,
    IndicatorEntry,
    Milestone,
    Opinion,
    Organization,
    Participation,
    Person,
)
from tests.tracker.test_imports import manual_indicator
from tracker import demo
from tracker.auth import Actor
from tracker.imports import service, workbook
from tracker.imports.files import read_workbook
from tracker.imports.kinds import KINDS
from tracker.refdata import init_database

ADMIN = Actor.system()


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'tracker.db'}")
    init_database(engine)
    demo.generate(engine, progress=False)
    # The demo types nothing in by hand (documents monitored are the register's): a manual
    # indicator with a value a quarter per incubator, as an administrator would add one.
    with Session(engine) as session, session.begin():
        indicator = manual_indicator(session)
        session.add_all(IndicatorEntry(indicator_id=indicator, incubator_id=incubator,
                                       entry_date=day, value=Decimal(n + quarter), note=None)
                        for n, incubator in enumerate(session.scalars(select(Incubator.id)))
                        for quarter, day in enumerate((dt.date(2025, 3, 31),
                                                       dt.date(2025, 6, 30))))
    yield engine
    engine.dispose()


@pytest.fixture
def empty_engine(new_database_url: str) -> Iterator[Engine]:
    """A new database as `tracker init` leaves it, on each backend: reference data, no demo
    (and the source's manual indicator)."""
    engine = make_engine(new_database_url)
    init_database(engine)
    with Session(engine) as session, session.begin():
        manual_indicator(session)  # as in the source: its values have somewhere to go
    yield engine
    engine.dispose()


def _records(engine: Engine, lang: str = "en") -> dict[str, list[tuple[object, ...]]]:
    """Every record of every kind, as its export's rows: every column the import reads."""
    with Session(engine) as session:
        return {kind: [tuple(row) for row in service.export_records(
            session, actor=ADMIN, kind=kind, lang=lang, with_codes=True).rows]
                for kind in KINDS}


def _live_counts(engine: Engine) -> dict[str, int]:
    """Live rows per table, counted in the database itself."""
    with Session(engine) as session:
        def count(model: type[Any], *where: ColumnElement[bool]) -> int:
            return int(session.scalar(select(func.count()).select_from(model).where(*where))
                       or 0)
        live_orgs = select(Organization.id).where(Organization.deleted_at.is_(None))
        live_activities = select(Activity.id).where(Activity.deleted_at.is_(None))
        return {
            "organizations": count(Organization, Organization.deleted_at.is_(None)),
            "cohorts": count(Cohort),
            "enrollments": count(Enrollment, Enrollment.organization_id.in_(live_orgs)),
            "activities": count(Activity, Activity.deleted_at.is_(None)),
            "participations": count(Participation, Participation.activity_id.in_(
                live_activities), Participation.organization_id.in_(live_orgs)),
            "assessments": count(Assessment, Assessment.deleted_at.is_(None),
                                 Assessment.organization_id.in_(live_orgs)),
            "milestones": count(Milestone, Milestone.deleted_at.is_(None),
                                Milestone.organization_id.in_(live_orgs)),
            "indicator_entries": count(IndicatorEntry),
            "people": count(Person),
            "attendance": count(Attendance, Attendance.activity_id.in_(live_activities)),
            "documents": count(Document, Document.deleted_at.is_(None)),
            "opinions": count(Opinion, Opinion.deleted_at.is_(None)),
        }


def test_export_all_into_an_empty_database_gives_back_every_record(
        demo_source: Engine, empty_engine: Engine) -> None:
    with Session(demo_source) as session:
        data, rows = workbook.export_workbook(session, actor=ADMIN, lang="lv", with_codes=True)
    expected = _records(demo_source)
    assert rows == sum(len(v) for v in expected.values())
    assert all(expected[kind] for kind in KINDS), "the demo has records of every kind"
    assert [name for name, _sheet in read_workbook(data)] == [
        "Organizācijas", "Cikli", "Dalība ciklos", "Personas", "Aktivitātes",
        "Dalība aktivitātēs", "Apmeklējums", "Kapacitātes novērtējumi", "Sasniegumi",
        "Rādītāji, ievadīti ar roku", "Dokumenti", "Viedokļi"]

    with Session(empty_engine) as session:  # the check writes nothing
        checked = workbook.run_import_all(session, actor=ADMIN, data=data,
                                          filename="programme.xlsx", dry_run=True)
        session.commit()
    assert checked.problems == (), [p.message("en") for p in checked.problems[:5]]
    assert not checked.written and checked.created == rows
    assert _live_counts(empty_engine) == dict.fromkeys(KINDS, 0)

    with Session(empty_engine) as session:
        report = workbook.run_import_all(session, actor=ADMIN, data=data,
                                         filename="programme.xlsx", dry_run=False)
        session.commit()
    assert report.problems == (), [p.message("en") for p in report.problems[:5]]
    assert report.written
    assert {r.kind: r.created for r in report.reports} == {k: len(v) for k, v in
                                                         expected.items()}
    assert _records(empty_engine) == expected
    assert _records(empty_engine, "lv") == _records(demo_source, "lv")
    assert _live_counts(empty_engine) == _live_counts(demo_source)

    with Session(empty_engine) as session:  # the same workbook again changes nothing
        again = workbook.run_import_all(session, actor=ADMIN, data=data,
                                        filename="programme.xlsx", dry_run=False)
        session.commit()
    assert (again.created, again.updated, again.unchanged) == (0, 0, rows)


def test_every_kind_as_csv_files_into_an_empty_database(demo_source: Engine,
                                                          empty_engine: Engine) -> None:
    with Session(demo_source) as session:
        files = {kind: service.export_file(session, actor=ADMIN, kind=kind, fmt="csv",
                                           with_codes=True)[0] for kind in KINDS}
    with Session(empty_engine) as session:
        for kind in KINDS:  # in dependency order, each file on its own
            report = service.run_import(session, actor=ADMIN, kind=kind, data=files[kind],
                                        filename=f"{kind}.csv", dry_run=False)
            assert report.problems == (), (kind, [p.message("en") for p in report.problems[:5]])
        session.commit()
    with Session(empty_engine) as session:
        assert {kind: service.export_file(session, actor=ADMIN, kind=kind, fmt="csv",
                                          with_codes=True)[0] for kind in KINDS} == files
