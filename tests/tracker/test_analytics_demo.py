"""On the demo data, the overview's numbers equal direct SQL counts of the same filter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.enums import Role
from tracker import analytics, demo
from tracker.analytics import Filters
from tracker.auth import Actor
from tracker.refdata import init_database


@pytest.fixture(scope="module")
def demo_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'tracker.db'}")
    init_database(engine)
    demo.generate(engine, progress=False)
    yield engine
    engine.dispose()


FILTERS = [
    Filters(),
    Filters(region_code="LATGALE"),
    Filters(date_from=dt.date(2025, 4, 1), date_to=dt.date(2025, 6, 30)),
    Filters(region_code="KURZEME", activity_type="training"),
]


@pytest.mark.parametrize("filters", FILTERS, ids=["all", "latgale", "2025q2", "kurzeme-train"])
@pytest.mark.parametrize("role", [Role.MANAGER, Role.FUNDER])
def test_overview_numbers_equal_direct_sql(demo_engine: Engine, filters: Filters,
                                           role: Role) -> None:
    actor = Actor(user_id=None, email="x", role=role)
    where = ["a.deleted_at IS NULL"]
    params: dict[str, object] = {}
    if role is Role.FUNDER:
        where.append("a.status = 'approved'")
    else:  # drafts and returned activities count for nobody
        where.append("a.status IN ('approved', 'submitted')")
    if filters.region_code:
        where.append("a.incubator_id IN (SELECT i.id FROM incubators i JOIN regions r "
                     "ON r.id = i.region_id WHERE r.code = :region)")
        params["region"] = filters.region_code
    if filters.date_from:
        where.append("a.activity_date >= :start")
        params["start"] = filters.date_from
    if filters.date_to:
        where.append("a.activity_date <= :end")
        params["end"] = filters.date_to
    if filters.activity_type:
        where.append("a.type = :kind")
        params["kind"] = filters.activity_type
    condition = " AND ".join(where)
    with Session(demo_engine) as session:
        rows = {r.code: r for r in analytics.indicator_progress(
            session, actor=actor, filters=filters, year=2025)}
        orgs = session.scalar(text(
            "SELECT count(DISTINCT p.organization_id) FROM participations p "
            f"JOIN activities a ON a.id = p.activity_id WHERE {condition}"), params)
        trained = session.scalar(text(
            "SELECT coalesce(sum(p.attendees), 0) FROM participations p "
            f"JOIN activities a ON a.id = p.activity_id WHERE {condition} "
            "AND a.type = 'training'"), params) if filters.activity_type in (None, "training") \
            else 0
        # people trained: each person's hours of trainings in scope, whatever the dates,
        # added up in date order; the day they reach 12 h must lie in the period
        scope = " AND ".join(w for w in where if ":start" not in w and ":end" not in w)
        hours: dict[int, Decimal] = {}
        became: dict[int, dt.date] = {}
        for person, day, attended in session.execute(text(
                "SELECT t.person_id, a.activity_date, coalesce(t.hours, a.hours) "
                "FROM attendances t JOIN activities a ON a.id = t.activity_id "
                f"WHERE {scope} AND a.type = 'training' ORDER BY a.activity_date"),
                {k: v for k, v in params.items() if k not in ("start", "end")}):
            hours[person] = hours.get(person, Decimal(0)) + Decimal(str(attended))
            if hours[person] >= 12 and person not in became:
                became[person] = dt.date.fromisoformat(str(day)[:10])
        people = sum(1 for day in became.values()
                     if (filters.date_from is None or day >= filters.date_from)
                     and (filters.date_to is None or day <= filters.date_to)) \
            if filters.activity_type in (None, "training") else 0
        consultations = session.scalar(text(
            f"SELECT count(*) FROM activities a WHERE {condition} "
            "AND a.type = 'consultation'"), params) \
            if filters.activity_type in (None, "consultation") else 0
        quarters = analytics.quarterly_series(session, actor=actor, filters=filters)
        total = session.scalar(text(f"SELECT count(*) FROM activities a WHERE {condition}"),
                               params)
    assert rows["ORGS_SUPPORTED"].actual == orgs
    assert rows["TRAINING_ATTENDANCES"].actual == trained
    assert rows["PEOPLE_TRAINED"].actual == people
    assert rows["CONSULTATIONS"].actual == consultations
    assert sum(q.activities for q in quarters) == total
    assert int(orgs or 0) > 0  # the demo data really has something under each filter
