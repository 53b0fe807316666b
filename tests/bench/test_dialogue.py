"""The benchmark's civic-dialogue measures (bench/dialogue.py): the naive baseline counts what
the overview and the forecast count, on the demo data and on hand-made odd rows, for every
kind of viewer and filter (both databases); the report's rows and limits; the Civic dialogue
page through AppTest (timings are never tested)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from bench import dialogue as bench
from bench import measures
from db.engine import make_engine
from db.enums import Role
from db.models import (
    Document,
    DocumentMonitoring,
    Incubator,
    Opinion,
    OpinionAuthor,
    Organization,
    User,
)
from tests import factories as f
from tests.conftest import BACKENDS, PostgresServer
from tests.dialogue_factories import document, opinion
from tracker import demo
from tracker.analytics import Filters
from tracker.auth import Actor
from tracker.database import dispose_engines
from tracker.refdata import init_database

TODAY = dt.date(2026, 7, 1)
AS_OF = TODAY - dt.timedelta(days=1)
WHOLE = Filters(date_from=dt.date(2025, 1, 1), date_to=dt.date(2026, 12, 31))
FUNDER = Actor(user_id=None, email="funder@test.lv", role=Role.FUNDER)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", params=BACKENDS)
def demo_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('bench_dialogue') / 'tracker.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url = server.new_database()
    engine = make_engine(url)
    init_database(engine)
    demo.generate(engine, seed=8, progress=False, today=TODAY)
    yield engine
    engine.dispose()


def _staff(engine: Engine, code: str = "VIDZEME") -> Actor:
    with Session(engine) as session:
        user = session.scalars(select(User).join(Incubator, Incubator.id == User.incubator_id)
                               .where(Incubator.code == code)).one()
        return Actor(user_id=user.id, email=user.email, role=Role.STAFF,
                     incubator_id=user.incubator_id)


def _filters(engine: Engine) -> list[Filters]:
    with Session(engine) as session:
        latgale = session.scalars(select(Incubator.id).where(Incubator.code == "LATGALE")).one()
    return [WHOLE, Filters(), Filters(include_submitted=False),
            Filters(region_code="KURZEME", date_from=dt.date(2025, 10, 1),
                    date_to=dt.date(2025, 12, 31)),
            Filters(incubator_id=latgale, date_from=dt.date(2026, 1, 1)),
            Filters(region_code="RIGA")]  # no incubator there: nothing in scope


def _both(engine: Engine, actor: Actor, filters: Filters, year: int = 2025
          ) -> tuple[bench.Values, bench.Values]:
    with Session(engine) as session:
        fast = bench.values_fast(session, actor, filters, year)
    with engine.connect() as connection:
        return fast, bench.values_naive(connection, actor, filters, year)


def test_the_naive_values_agree_on_the_demo_for_every_viewer_and_filter(
        demo_engine: Engine) -> None:
    viewers = [measures.viewer(demo_engine), FUNDER, _staff(demo_engine)]
    for actor in viewers:
        for filters in _filters(demo_engine):
            fast, naive = _both(demo_engine, actor, filters)
            assert fast == naive, (actor.role, filters)
    fast, _ = _both(demo_engine, viewers[0], WHOLE)
    assert fast["DOCS_MONITORED"][0] > 1_800 and fast["OPINIONS_SUBMITTED"][0] > 80
    assert 0 < fast["ORGS_WITH_OPINIONS"][1] < fast["ORGS_WITH_OPINIONS"][0]
    # staff count their own submitted opinions, others' once approved: fewer than a manager
    manager = _both(demo_engine, viewers[0], Filters())[0]["OPINIONS_SUBMITTED"][0]
    funder = _both(demo_engine, FUNDER, Filters())[0]["OPINIONS_SUBMITTED"][0]
    staff = _both(demo_engine, viewers[2], Filters())[0]["OPINIONS_SUBMITTED"][0]
    assert funder < staff < manager
    assert _both(demo_engine, FUNDER, _filters(demo_engine)[-1])[0] == {
        code: (0, 0) for code in bench.CODES}


def test_the_naive_forecast_agrees_on_the_demo(demo_engine: Engine) -> None:
    for actor in (measures.viewer(demo_engine), FUNDER, _staff(demo_engine, "ZEMGALE")):
        with Session(demo_engine) as session:
            fast = bench.forecasts_fast(session, actor, AS_OF)
        with demo_engine.connect() as connection:
            naive = bench.forecasts_naive(connection, actor, AS_OF)
        assert fast == naive
        value, months = fast["DOCS_MONITORED"]
        assert value == sum(n for _, n in months) > 1_800
        assert months[0][0] == dt.date(2025, 1, 1) and months[-1][0] == dt.date(2026, 6, 1)


def test_odd_rows_count_the_same_both_ways(session: Session) -> None:
    """A deleted document; one the programme follows; one two incubators follow from other
    days; deleted, draft, submitted and returned opinions; a joint one with a deleted
    organisation; the programme's own; one before the programme's first month."""
    a, b = f.organization(session).id, f.organization(session).id
    gone = f.organization(session)
    session.execute(update(Organization).where(Organization.id == gone.id)
                    .values(deleted_at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC)))
    shared = document(session, incubators={"VIDZEME": dt.date(2025, 4, 2),
                                           "KURZEME": dt.date(2025, 3, 3)})
    own = document(session, incubators=[None], monitored_from=dt.date(2026, 2, 2))
    document(session, incubators=["LATGALE"], deleted_at=dt.datetime(2025, 6, 1,
                                                                      tzinfo=dt.UTC))
    early = document(session, incubators=["ZEMGALE"], monitored_from=dt.date(2024, 12, 20))
    opinion(session, shared, [a, b, gone.id], submitted_on=dt.date(2025, 4, 10))
    opinion(session, shared, [a], incubator_id="KURZEME", status="submitted",
            submitted_on=dt.date(2026, 3, 3))
    opinion(session, shared, [b], status="draft", submitted_on=dt.date(2026, 4, 1))
    opinion(session, shared, [b], incubator_id="LATGALE", status="returned",
            submitted_on=dt.date(2026, 4, 2), review_comment="Pievienojiet vēstuli")
    opinion(session, own, [b], incubator_id=None, submitted_on=dt.date(2026, 2, 9),
            outcome="taken_into_account")
    opinion(session, early, [gone.id], incubator_id="ZEMGALE", submitted_on=dt.date(2024, 12, 22))
    opinion(session, shared, [a], deleted_at=dt.datetime(2025, 5, 5, tzinfo=dt.UTC))
    kurzeme = f.incubator_id(session, "KURZEME")
    staff = Actor(user_id=None, email="staff@test.lv", role=Role.STAFF, incubator_id=kurzeme)
    manager = Actor(user_id=None, email="manager@test.lv", role=Role.MANAGER)
    filters = [WHOLE, Filters(), Filters(region_code="VIDZEME"),
               Filters(incubator_id=kurzeme, date_to=dt.date(2025, 3, 31)),
               Filters(date_from=dt.date(2026, 1, 1), include_submitted=False)]
    connection = session.connection()
    for actor in (manager, FUNDER, staff):
        for scope in filters:
            assert bench.values_fast(session, actor, scope, 2026) == \
                bench.values_naive(connection, actor, scope, 2026), (actor.role, scope)
        assert bench.forecasts_fast(session, actor, AS_OF) == \
            bench.forecasts_naive(connection, actor, AS_OF), actor.role
    # by hand: the deleted document and opinion, the draft and the returned one never count,
    # nor the organisation gone; the shared document once; (whole, 2026)
    assert bench.values_fast(session, manager, Filters(), 2026) == {
        "DOCS_MONITORED": (3, 1), "OPINIONS_SUBMITTED": (4, 2), "ORGS_WITH_OPINIONS": (2, 2)}
    assert bench.values_fast(session, FUNDER, Filters(), 2026) == {
        "DOCS_MONITORED": (3, 1), "OPINIONS_SUBMITTED": (3, 1), "ORGS_WITH_OPINIONS": (2, 1)}
    assert bench.values_fast(session, FUNDER, Filters(region_code="VIDZEME"), 2026)[
        "DOCS_MONITORED"] == (1, 0)
    with_submitted = bench.values_fast(session, staff, Filters(), 2026)
    only_approved = bench.values_fast(session, staff, Filters(include_submitted=False), 2026)
    assert with_submitted["OPINIONS_SUBMITTED"][1] == only_approved["OPINIONS_SUBMITTED"][1] + 1


def test_the_measures_fill_their_rows_and_say_when_the_naive_differs(
        demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    report = measures.Report(backend="test")
    actor = measures.viewer(demo_engine)

    bench.dialogue_values(report, demo_engine, actor, WHOLE, 2026, repeat=2)
    bench.dialogue_forecasts(report, demo_engine, actor, AS_OF, repeat=2)

    assert report.notes == []
    assert report.values["dialogue_values_equal"] is True
    assert report.values["dialogue_forecast_equal"] is True
    assert len(report.runs["dialogue_values_s"]) == len(report.runs["dialogue_forecast_s"]) == 2
    assert report.values["dialogue_values_speedup"] > 0
    assert report.values["dialogue_documents"] > 1_800
    assert report.values["dialogue_opinions"] > 80 and report.values["dialogue_organizations"] > 40

    wrong = dict.fromkeys(bench.CODES, (0, 0))
    monkeypatch.setattr(bench, "values_naive", lambda *args: wrong)
    again = measures.Report(backend="test")
    bench.dialogue_values(again, demo_engine, actor, WHOLE, 2026, repeat=1)
    assert again.values["dialogue_values_equal"] is False
    assert again.notes and "DOCS_MONITORED" in again.notes[0]


def test_the_rows_are_in_the_table_with_their_limits() -> None:
    report = measures.Report(backend="sqlite", values={
        "dialogue_values_s": 0.09, "dialogue_values_speedup": 3.5,
        "dialogue_forecast_s": 0.25, "dialogue_forecast_speedup": 1.5,
        "dialogue_page_cold_s": 0.44, "dialogue_page_warm_s": 0.6, "dialogue_documents": 30_000})
    line = {row.split()[0]: row for row in measures.table(report).splitlines()[2:]}
    assert "<= 0.1  met" in line["dialogue_values_s"]
    assert ">= 2  met" in line["dialogue_values_speedup"]
    assert "<= 0.2  MISSED" in line["dialogue_forecast_s"]
    assert ">= 2  MISSED" in line["dialogue_forecast_speedup"]
    assert "<= 1.5  met" in line["dialogue_page_cold_s"]
    assert "<= 0.5  MISSED" in line["dialogue_page_warm_s"]
    assert "30,000" in line["dialogue_documents"] and "met" not in line["dialogue_documents"]


def test_the_page_is_measured_cold_and_warm_or_said_missing(
        demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.run import quiet_streamlit, signed_in

    report = measures.Report(backend="test")
    bench.dialogue_page(report, signed_in, ROOT / "no_such_page.py", repeat=1)
    assert "dialogue_page_cold_s" not in report.values
    assert report.notes and "not there yet" in report.notes[0]

    monkeypatch.setenv("TRACKER_DATABASE_URL",
                       demo_engine.url.render_as_string(hide_password=False))
    dispose_engines()
    try:
        report = measures.Report(backend="test")
        with quiet_streamlit():
            bench.dialogue_page(report, signed_in, ROOT / "dashboards" / "views" / "dialogue.py",
                                repeat=2)
        assert report.notes == []
        assert len(report.runs["dialogue_page_cold_s"]) == 2
        assert len(report.runs["dialogue_page_warm_s"]) == 2
    finally:
        dispose_engines()


def test_the_own_file_built_before_the_register_is_built_again(tmp_path: Path) -> None:
    from tests.bench.test_people import EXPECTED, _build_small

    path = tmp_path / "national.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        measures.ensure_national(engine, own_file=path, expected=EXPECTED, build=_build_small)
        assert measures.national_counts(engine) == EXPECTED
        with Session(engine) as session, session.begin():  # as built before the register
            for model in (OpinionAuthor, Opinion, DocumentMonitoring, Document):
                session.execute(delete(model))
        assert measures.national_counts(engine)["documents"] == 0
        with pytest.raises(measures.BenchError, match="holds other data"):
            measures.ensure_national(engine, expected=EXPECTED, build=_build_small)

        assert measures.ensure_national(engine, own_file=path, expected=EXPECTED,
                                        build=_build_small) is not None
        assert measures.national_counts(engine) == EXPECTED
    finally:
        engine.dispose()
