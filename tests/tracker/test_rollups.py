"""The rollups stay equal to the live rows after any sequence of writes, and the dashboard
numbers read from them equal a direct count of the base tables (both databases).

A seeded random sequence logs, edits, deletes, submits, approves and returns activities
through the services, imports small files (through the triggers) and a big one (triggers
switched off, recounted at the end), and writes raw SQL; after every step the rollups are
recounted and compared, and at checkpoints the overview's numbers are compared with a count
of the base rows made here in Python.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from db.enums import ActivityStatus, ActivityType, CapacityArea, Role
from db.models import (
    Activity,
    ActivityArea,
    ActivityRollup,
    Incubator,
    Municipality,
    Organization,
    Participation,
    Region,
)
from tests import factories as f
from tracker.analytics import Filters, rollups
from tracker.analytics.overview import comparable, overview_numbers
from tracker.analytics.totals import whole_months
from tracker.auth import Actor
from tracker.errors import TrackerError
from tracker.imports import service
from tracker.schemas import ActivityUpdate
from tracker.services import activities, review

ADMIN = Actor.system()
INCUBATORS = ("VIDZEME", "LATGALE", "KURZEME", "ZEMGALE")
FIRST, LAST = dt.date(2025, 1, 1), dt.date(2026, 6, 30)
ACTIVITY_HEADER = "ref,incubator,type,title,date,hours,format,capacity_areas," \
                  "total_participants,status"


def _clean(session: Session) -> None:
    assert rollups.differences(session) == {
        "activity_rollup": 0, "area_rollup": 0, "organization_rollup": 0,
        "trained_people": 0}


def _day(rng: random.Random) -> dt.date:
    return FIRST + dt.timedelta(days=rng.randrange((LAST - FIRST).days + 1))


def _fields(rng: random.Random, orgs: list[int]) -> dict[str, Any]:
    people = rng.sample(orgs, rng.randint(0, 3))
    return {"type": rng.choice(list(ActivityType)).value,
            "activity_date": _day(rng).isoformat(),
            "capacity_areas": [a.value for a in rng.sample(list(CapacityArea),
                                                           rng.randint(0, 3))],
            "participations": [{"organization_id": o, "attendees": rng.randint(1, 9)}
                               for o in people],
            "total_participants": 40}


class Story:
    """The random writes, each refused or done; the rollups are checked after each."""

    def __init__(self, session: Session, seed: int) -> None:
        self.session, self.rng = session, random.Random(seed)
        atvks = list(session.scalars(select(Municipality.atvk).where(
            Municipality.valid_to.is_(None)).order_by(Municipality.atvk)))
        self.orgs = [f.organization(session, municipality_atvk=self.rng.choice(atvks)).id
                     for _ in range(80)]
        self.reg_nos = {i: r for i, r in session.execute(select(Organization.id,
                                                               Organization.reg_no))}
        self.manager = f.actor(session, Role.MANAGER)
        self.imports = 0

    def live_ids(self) -> list[int]:
        return list(self.session.scalars(select(Activity.id).where(
            Activity.deleted_at.is_(None)).order_by(Activity.id)))

    def create(self) -> None:
        f.activity(self.session, incubator=self.rng.choice(INCUBATORS),
                   status=self.rng.choice(["draft", "submitted"]),
                   **_fields(self.rng, self.orgs))

    def _pick(self) -> Activity | None:
        ids = self.live_ids()
        return self.session.get(Activity, self.rng.choice(ids)) if ids else None

    def edit(self) -> None:
        if (row := self._pick()) is None:
            return
        data = f.activity_data(self.session, **_fields(self.rng, self.orgs))
        activities.update_activity(self.session, actor=ADMIN, activity_id=row.id,
                                   data=ActivityUpdate.model_validate(
                                       data.model_dump(exclude={"incubator_id", "status",
                                                                "external_ref"})
                                       | {"version": row.version}))

    def delete(self) -> None:
        if (row := self._pick()) is not None:
            activities.delete_activity(self.session, actor=ADMIN, activity_id=row.id,
                                       version=row.version)

    def review(self) -> None:
        if (row := self._pick()) is None:
            return
        if row.status in (ActivityStatus.DRAFT.value, ActivityStatus.RETURNED.value):
            review.submit_activity(self.session, actor=ADMIN, activity_id=row.id,
                                   version=row.version)
        elif row.status == ActivityStatus.SUBMITTED.value:
            if self.rng.random() < 0.7:
                review.approve_activity(self.session, actor=self.manager, activity_id=row.id,
                                        version=row.version)
            else:
                review.return_activity(self.session, actor=self.manager, activity_id=row.id,
                                       version=row.version, comment="Trūkst dalībnieku")

    def import_files(self, rows: int = 3) -> None:
        self.imports += 1
        lines, parts = [ACTIVITY_HEADER], ["activity_ref,incubator,reg_no,attendees"]
        for number in range(rows):
            ref, incubator = f"I{self.imports}-{number}", self.rng.choice(INCUBATORS)
            kind = self.rng.choice(list(ActivityType)).value
            areas = ";".join(a.value for a in self.rng.sample(list(CapacityArea), 2))
            lines.append(f"{ref},{incubator},{kind},Imports {ref},{_day(self.rng)},2,online,"
                         f"{areas},20,")
            for org in self.rng.sample(self.orgs, 3):
                parts.append(f"{ref},{incubator},{self.reg_nos[org]},{self.rng.randint(1, 5)}")
        for kind, body in (("activities", lines), ("participations", parts)):
            report = service.run_import(self.session, actor=ADMIN, kind=kind,
                                        data="\n".join(body).encode(), filename="x.csv",
                                        dry_run=False)
            assert report.written, report.problems

    def raw_sql(self) -> None:
        ids = self.live_ids()
        if not ids:
            return
        chosen = self.rng.choice(ids)
        statements = [
            "DELETE FROM activities WHERE id = :id",
            "UPDATE participations SET attendees = attendees + 1 WHERE activity_id = :id",
            "DELETE FROM activity_areas WHERE activity_id = :id",
            "UPDATE activities SET deleted_at = NULL WHERE id IN "
            "(SELECT id FROM activities WHERE deleted_at IS NOT NULL ORDER BY id LIMIT 1) "
            "AND :id > 0"]
        self.session.execute(text(self.rng.choice(statements)), {"id": chosen})
        self.session.flush()

    def step(self) -> str:
        name = self.rng.choices(["create", "edit", "delete", "review", "import_files",
                                 "raw_sql"], weights=[5, 3, 1, 4, 1, 1])[0]
        try:
            with self.session.begin_nested():
                getattr(self, name)()
        except TrackerError:  # refused by the rules: nothing changed
            pass
        return name


# The direct count: every live base row read into Python, filtered and added up here.

def _direct(session: Session, actor: Actor, filters: Filters, year: int
            ) -> dict[str, Any]:
    statuses = {"approved"} | ({"submitted"} if filters.include_submitted
                               and actor.role is not Role.FUNDER else set())
    scope = None
    if filters.region_code or filters.incubator_id:
        query = select(Incubator.id).join(Region, Region.id == Incubator.region_id)
        if filters.region_code:
            query = query.where(Region.code == filters.region_code)
        if filters.incubator_id:
            query = query.where(Incubator.id == filters.incubator_id)
        scope = set(session.scalars(query))
    codes = {i: c for i, c in session.execute(select(Incubator.id, Incubator.code))}
    iso = {o: m for o, m in session.execute(select(Organization.id, Municipality.iso).join(
        Municipality, Municipality.id == Organization.municipality_id))}
    acts = {i: (day, inc, kind) for i, day, inc, kind, status, gone in session.execute(
        select(Activity.id, Activity.activity_date, Activity.incubator_id, Activity.type,
               Activity.status, Activity.deleted_at))
            if gone is None and status in statuses and (scope is None or inc in scope)
            and (filters.date_from is None or day >= filters.date_from)
            and (filters.date_to is None or day <= filters.date_to)
            and (filters.activity_type is None or kind == filters.activity_type)}
    types: dict[str, int] = defaultdict(int)
    quarters: dict[tuple[int, int, str], list[Any]] = {}
    for day, inc, kind in acts.values():
        types[kind] += 1
        key = (day.year, (day.month + 2) // 3, codes[inc])
        quarters.setdefault(key, [0, set(), 0])[0] += 1
    areas: dict[str, int] = defaultdict(int)
    for activity_id, area in session.execute(select(ActivityArea.activity_id,
                                                    ActivityArea.area)):
        if activity_id in acts:
            areas[area] += 1
    supported: set[int] = set()
    supported_year: set[int] = set()
    consultations = [0, 0]
    trained = [0, 0]
    for day, _, kind in acts.values():
        if kind == "consultation":
            consultations[0] += 1
            consultations[1] += day.year == year
    for activity_id, org, attendees in session.execute(
            select(Participation.activity_id, Participation.organization_id,
                   Participation.attendees)):
        if activity_id not in acts:
            continue
        day, inc, kind = acts[activity_id]
        supported.add(org)
        if day.year == year:
            supported_year.add(org)
        if kind == "training":
            trained[0] += attendees
            trained[1] += attendees if day.year == year else 0
        cell = quarters[(day.year, (day.month + 2) // 3, codes[inc])]
        cell[1].add(org)
        cell[2] += attendees
    places: dict[str, int] = defaultdict(int)
    for org in supported:
        places[iso[org]] += 1
    return {
        "indicators": {"CONSULTATIONS": tuple(map(float, consultations)) if
                       filters.activity_type in (None, "consultation") else (0.0, 0.0),
                       "TRAINING_ATTENDANCES": tuple(map(float, trained)) if
                       filters.activity_type in (None, "training") else (0.0, 0.0),
                       "ORGS_SUPPORTED": (float(len(supported)), float(len(supported_year)))},
        "types": dict(types), "areas": dict(areas), "places": dict(places),
        "quarters": {k: (n, len(orgs), people) for k, (n, orgs, people) in quarters.items()},
    }


def _same_numbers(session: Session, actor: Actor, filters: Filters, year: int) -> None:
    fast = comparable(overview_numbers(session, actor=actor, filters=filters, year=year,
                                       people=True))
    direct = _direct(session, actor, filters, year)
    for name in ("types", "areas", "places", "quarters"):
        assert fast[name] == direct[name], (name, filters)
    for code, values in direct["indicators"].items():
        assert fast["indicators"][code] == values, (code, filters)


def _views(session: Session) -> list[tuple[Role, Filters]]:
    vidzeme = f.incubator_id(session, "VIDZEME")
    return [
        (Role.MANAGER, Filters(date_from=dt.date(2025, 1, 1), date_to=dt.date(2026, 12, 31))),
        (Role.MANAGER, Filters()),  # no dates at all
        (Role.FUNDER, Filters(date_from=dt.date(2025, 1, 1), date_to=dt.date(2026, 12, 31))),
        (Role.MANAGER, Filters(date_from=dt.date(2025, 3, 10), date_to=dt.date(2025, 11, 20))),
        (Role.MANAGER, Filters(date_from=dt.date(2025, 5, 3), date_to=dt.date(2025, 5, 29),
                               include_submitted=False)),
        (Role.MANAGER, Filters(region_code="VIDZEME", date_from=dt.date(2025, 10, 1),
                               date_to=dt.date(2025, 12, 31))),
        (Role.MANAGER, Filters(incubator_id=vidzeme, activity_type="consultation",
                               date_to=dt.date(2026, 2, 14))),
        (Role.MANAGER, Filters(date_from=dt.date(2025, 6, 15), activity_type="training")),
    ]


def test_rollups_and_dashboard_numbers_follow_every_kind_of_write(session: Session) -> None:
    story = Story(session, seed=20251)
    views = [(f.actor(session, role), filters) for role, filters in _views(session)]
    done: dict[str, int] = defaultdict(int)
    for number in range(1, 61):
        done[story.step()] += 1
        _clean(session)
        if number % 15 == 0:
            for actor, filters in views:
                _same_numbers(session, actor, filters, 2025)
    assert all(done[name] for name in ("create", "edit", "delete", "review", "import_files",
                                       "raw_sql")), done
    assert rollups.triggers_on(session)


def test_a_big_import_switches_the_triggers_off_and_recounts(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    story = Story(session, seed=7)
    for _ in range(6):
        story.create()
    monkeypatch.setattr(rollups, "BULK_MIN_ROWS", 1)  # this small import counts as big
    switched: list[bool] = []
    bulk = rollups.bulk

    def watched(writer: Any, rows: int, tables: tuple[str, ...] = rollups.TABLES) -> Any:
        context = bulk(writer, rows, tables)
        switched.append(True)
        return context
    monkeypatch.setattr(rollups, "bulk", watched)
    story.import_files(rows=8)

    assert switched
    _clean(session)
    assert rollups.triggers_on(session)
    actor = f.actor(session, Role.MANAGER)
    for _, filters in _views(session):
        _same_numbers(session, actor, filters, 2025)


def test_a_failed_bulk_write_leaves_the_triggers_on(session: Session) -> None:
    with pytest.raises(RuntimeError), rollups.bulk(session, rows=10**9) as switched_off:
        assert switched_off
        assert not rollups.triggers_on(session)
        raise RuntimeError("the import failed half-way")
    assert rollups.triggers_on(session)
    f.activity(session, participations=[{"organization_id": f.organization(session).id,
                                         "attendees": 2}])
    _clean(session)


def test_a_small_write_into_a_big_database_keeps_the_triggers(session: Session) -> None:
    with rollups.bulk(session, rows=rollups.BULK_MIN_ROWS - 1) as switched_off:
        assert not switched_off
        assert rollups.triggers_on(session)


def test_rebuild_repairs_rollups_written_by_hand(session: Session) -> None:
    Story(session, seed=3).create()
    f.activity(session, status="submitted")
    session.execute(update(ActivityRollup).values(activities=ActivityRollup.activities + 5))
    assert rollups.differences(session)["activity_rollup"] > 0

    rollups.rebuild(session)

    _clean(session)


@pytest.mark.parametrize(("start", "end", "months", "edges"), [
    ("2025-01-01", "2026-12-31", ("2025-01-01", "2026-12-01"), []),
    ("2025-03-10", "2025-11-20", ("2025-04-01", "2025-10-01"),
     [("2025-03-10", "2025-03-31"), ("2025-11-01", "2025-11-20")]),
    ("2025-05-03", "2025-05-29", None, [("2025-05-03", "2025-05-29")]),
    ("2025-05-03", "2025-06-10", None, [("2025-05-03", "2025-06-10")]),
    ("2025-02-01", "2025-02-28", ("2025-02-01", "2025-02-01"), []),
    ("2024-02-15", "2024-03-31", ("2024-03-01", "2024-03-01"), [("2024-02-15", "2024-02-29")]),
])
def test_whole_months_and_the_days_around_them(start: str, end: str,
                                               months: tuple[str, str] | None,
                                               edges: list[tuple[str, str]]) -> None:
    d = dt.date.fromisoformat
    first, last, around = whole_months(d(start), d(end))
    if months is None:
        assert first is not None and last is not None and first > last
    else:
        assert (first, last) == (d(months[0]), d(months[1]))
    assert around == [(d(a), d(b)) for a, b in edges]
    assert whole_months(None, None) == (None, None, [])
    assert whole_months(None, d("2025-10-20")) == (None, d("2025-09-01"),
                                                   [(d("2025-10-01"), d("2025-10-20"))])


def test_partial_months_count_their_own_days(session: Session) -> None:
    """One organisation per day around the edges of 10 March - 20 November 2025: only the
    days inside count, whether they lie in a whole month (rollup) or a partial one."""
    days = {"2025-03-09": False, "2025-03-10": True, "2025-06-15": True, "2025-11-20": True,
            "2025-11-21": False}
    orgs = {}
    for day in days:
        orgs[day] = f.organization(session).id
        f.activity(session, activity_date=day, status="approved",
                   participations=[{"organization_id": orgs[day], "attendees": 1}])
    actor = f.actor(session, Role.MANAGER)
    for start, end in (("2025-03-10", "2025-11-20"), ("2025-03-10", "2025-03-31"),
                       ("2025-11-01", "2025-11-20"), ("2025-03-01", "2025-11-30")):
        filters = Filters(date_from=dt.date.fromisoformat(start),
                          date_to=dt.date.fromisoformat(end))
        inside = sum(start <= day <= end for day in days)
        numbers = comparable(overview_numbers(session, actor=actor, filters=filters,
                                              year=2025, people=True))
        assert numbers["indicators"]["ORGS_SUPPORTED"] == (inside, inside), (start, end)
        assert sum(numbers["places"].values()) == inside
        assert sum(orgs for _, orgs, _ in numbers["quarters"].values()) == inside
        _same_numbers(session, actor, filters, 2025)


def test_a_rollback_brings_the_switched_off_triggers_back(session: Session) -> None:
    nested = session.begin_nested()
    rollups._switch_off(session)
    assert not rollups.triggers_on(session)

    nested.rollback()

    assert rollups.triggers_on(session)
    f.activity(session, status="submitted")
    _clean(session)
