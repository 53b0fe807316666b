"""The benchmark's measures of people (bench/people.py) and the national data set's upkeep
(bench/measures.ensure_national), on small data sets of both databases (timings are never
tested)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import ColumnElement, Engine, delete, func, select, text, update
from sqlalchemy.orm import Session

from bench import measures
from bench import people as bench
from db.engine import make_engine
from db.enums import IndicatorMethod
from db.models import Activity, Attendance, Indicator, Membership, Person
from tests.conftest import BACKENDS, PostgresServer
from tracker import demo
from tracker.analytics import Filters
from tracker.analytics.overview import comparable, overview_numbers
from tracker.auth import Actor
from tracker.demo.plan import NATIONAL_PLAN
from tracker.refdata import init_database
from tracker.schemas import missing_characteristics

TODAY = dt.date(2026, 7, 1)
WHOLE = Filters(date_from=dt.date(2025, 1, 1), date_to=dt.date(2026, 12, 31))


@pytest.fixture(scope="module", params=BACKENDS)
def demo_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[Engine]:
    """The demo data set (a few hundred people), once per backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('bench_people') / 'tracker.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url = server.new_database()
    engine = make_engine(url)
    init_database(engine)
    demo.generate(engine, seed=5, progress=False, today=TODAY)
    yield engine
    engine.dispose()


def _manager(engine: Engine) -> Actor:
    return measures.viewer(engine)


def _count(engine: Engine, model: type[Any], *where: ColumnElement[bool]) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_saves_with_30_attendees_tick_them_and_leave_nothing_behind(
        demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    before = {model.__tablename__: _count(demo_engine, model)
              for model in (Activity, Attendance)}
    with demo_engine.connect() as conn:
        trained = conn.execute(text("SELECT * FROM trained_people ORDER BY 1, 2, 3")).all()
    ticked: list[int] = []
    remove = measures.remove_saved

    def counted_then_removed(engine: Engine) -> None:
        saved = select(Activity.id).where(Activity.external_ref.startswith(measures.BENCH_REF))
        ticked.append(_count(engine, Attendance, Attendance.activity_id.in_(saved)))
        remove(engine)

    monkeypatch.setattr(bench, "remove_saved", counted_then_removed)
    report = measures.Report(backend="test")

    bench.attendee_saves(report, demo_engine, count=4)

    assert ticked == [4 * 30]
    assert len(report.runs["attendees_save_median_ms"]) == 4
    assert report.values["attendees_save_p95_ms"] >= report.values["attendees_save_median_ms"]
    assert {model.__tablename__: _count(demo_engine, model)
            for model in (Activity, Attendance)} == before
    with demo_engine.connect() as conn:  # the triggers took the trained days back too
        assert conn.execute(text("SELECT * FROM trained_people ORDER BY 1, 2, 3")).all() \
            == trained


def test_saves_refuse_an_incubator_with_too_few_people(demo_engine: Engine) -> None:
    with pytest.raises(measures.BenchError, match="people to tick"):
        bench.attendee_saves(measures.Report(backend="test"), demo_engine, count=1,
                             attendees=10_000)


def test_the_people_list_counts_everybody_and_the_incomplete(demo_engine: Engine) -> None:
    report = measures.Report(backend="test")

    bench.people_pages(report, demo_engine, _manager(demo_engine), repeat=2)

    with Session(demo_engine) as session:
        people = session.scalars(select(Person)).all()
    assert report.values["people_total"] == len(people) > 300
    assert report.values["people_incomplete"] == sum(
        1 for p in people if missing_characteristics(p)) > 0
    assert len(report.runs["people_list_s"]) == len(report.runs["people_incomplete_s"]) == 2


def test_the_participants_report_is_measured_or_said_missing(demo_engine: Engine) -> None:
    report = measures.Report(backend="test")

    bench.participants_report(report, demo_engine, _manager(demo_engine), WHOLE, repeat=1)

    assert report.notes == [] and report.values["participants_report_s"] >= 0
    with demo_engine.connect() as conn:  # who attended counted work (a manager: submitted too)
        attended = conn.scalar(text(
            "SELECT count(DISTINCT t.person_id) FROM attendances t JOIN activities a "
            "ON a.id = t.activity_id WHERE a.deleted_at IS NULL "
            "AND a.status IN ('approved', 'submitted')"))
    assert report.values["participants_rows"] == attended > 300


def test_people_trained_is_taken_from_the_overview_only_by_its_rule(demo_engine: Engine
                                                                   ) -> None:
    actor = _manager(demo_engine)
    with Session(demo_engine) as session:
        fast = comparable(overview_numbers(session, actor=actor, filters=WHOLE, year=2026))
    with demo_engine.connect() as conn:
        trained = conn.scalar(text("SELECT count(*) FROM trained_people "
                                   "WHERE incubator_key = 0"))  # submitted ones count too
    report = measures.Report(backend="test")
    bench.people_trained(report, demo_engine, fast)
    assert report.values["people_trained"] == trained > 0 and report.notes == []

    with Session(demo_engine) as session, session.begin():  # a database still summing
        session.execute(update(Indicator).where(Indicator.code == bench.TRAINED)
                        .values(method=IndicatorMethod.ATTENDEES.value, parameter="training"))
    try:
        report = measures.Report(backend="test")
        bench.people_trained(report, demo_engine, fast)
        assert "people_trained" not in report.values
        assert report.notes and "attendees" in report.notes[0]
    finally:
        with Session(demo_engine) as session, session.begin():
            session.execute(update(Indicator).where(Indicator.code == bench.TRAINED).values(
                method=IndicatorMethod.PEOPLE_TRAINED.value, parameter=None))


def test_the_new_rows_are_in_the_table_with_their_targets() -> None:
    report = measures.Report(backend="sqlite", values={
        "attendees_save_p95_ms": 61.0, "participants_report_s": 2.5, "people_list_s": 0.2,
        "people_incomplete_s": 1.6, "people_trained": 44})
    shown = measures.table(report).splitlines()
    line = {row.split()[0]: row for row in shown[2:]}
    assert "<= 50  MISSED" in line["attendees_save_p95_ms"]
    assert "<= 5  met" in line["participants_report_s"]
    assert "<= 1.5  met" in line["people_list_s"]
    assert "<= 1.5  MISSED" in line["people_incomplete_s"]
    assert "44" in line["people_trained"] and "met" not in line["people_trained"]


# The national data set's upkeep, with a small plan standing in for the national one ----------

SMALL = dataclasses.replace(
    NATIONAL_PLAN, organizations=300, activities=300, participations=1_200, milestones=10,
    people=120, attendances=300, documents=60, opinions=40, chunk=500, activity_chunk=100,
    cycles=tuple(dataclasses.replace(c, seats=10, kept=(6,), withdrawn=(0, 1), rejected=(0, 1),
                                     waiting=(0, 0)) for c in NATIONAL_PLAN.cycles))
EXPECTED = {"organizations": 300, "activities": 300, "people": 120, "attendances": 300,
            "documents": 60, "opinions": 40}


def _build_small(url: str) -> None:
    engine = make_engine(url)
    try:
        demo._generate(engine, seed=4, plan=SMALL, progress=False, today=TODAY)
    finally:
        engine.dispose()


def test_the_own_file_with_an_earlier_data_set_is_built_again(tmp_path: Path) -> None:
    path = tmp_path / "national.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        assert measures.ensure_national(engine, own_file=path, expected=EXPECTED,
                                        build=_build_small) is not None
        assert measures.national_counts(engine) == EXPECTED
        assert measures.ensure_national(engine, own_file=path, expected=EXPECTED,
                                        build=_build_small) is None  # reused as it is
        with Session(engine) as session, session.begin():  # as built before people were
            for model in (Attendance, Membership, Person):
                session.execute(delete(model))
        with pytest.raises(measures.BenchError, match="holds other data"):
            measures.ensure_national(engine, expected=EXPECTED, build=_build_small)

        assert measures.ensure_national(engine, own_file=path, expected=EXPECTED,
                                        build=_build_small) is not None
        assert measures.national_counts(engine) == EXPECTED
    finally:
        engine.dispose()


def test_the_own_file_of_another_schema_is_built_again(tmp_path: Path) -> None:
    """A migration changed in place since the data set was built (a column more or less)."""
    path = tmp_path / "national.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        measures.ensure_national(engine, own_file=path, expected=EXPECTED, build=_build_small)
        assert measures.schema_differences(engine) == []
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE people ADD COLUMN nickname VARCHAR(20)"))
        assert measures.schema_differences(engine) == ["people.nickname"]
        with pytest.raises(measures.BenchError, match=r"another version's schema \(people"):
            measures.ensure_national(engine, expected=EXPECTED, build=_build_small)

        assert measures.ensure_national(engine, own_file=path, expected=EXPECTED,
                                        build=_build_small) is not None
        assert measures.schema_differences(engine) == []
        assert measures.national_counts(engine) == EXPECTED
    finally:
        engine.dispose()


def test_a_database_with_other_data_is_never_emptied(tmp_path: Path) -> None:
    path = tmp_path / "national.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        init_database(engine)
        _build_small(f"sqlite:///{path}")
        other = {**EXPECTED, "organizations": 301}
        with pytest.raises(measures.BenchError, match="holds other data"):
            measures.ensure_national(engine, own_file=path, expected=other, build=_build_small)
        assert measures.national_counts(engine) == EXPECTED
    finally:
        engine.dispose()


def test_counts_leave_out_what_a_stopped_run_saved(demo_engine: Engine) -> None:
    before = measures.national_counts(demo_engine)
    report = measures.Report(backend="test")
    with pytest.MonkeyPatch.context() as patch:  # stopped before its clean-up
        patch.setattr(bench, "remove_saved", lambda engine: None)
        bench.attendee_saves(report, demo_engine, count=2)
    try:
        assert _count(demo_engine, Attendance) == before["attendances"] + 60
        assert measures.national_counts(demo_engine) == before
    finally:
        measures.remove_saved(demo_engine)
