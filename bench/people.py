"""The benchmark's measures of people (60,000 people and 600,000 attendances at national
scale): saving an activity with 30 ticked attendees through the service, the People page's
list (its first page, and the incomplete ones), the ESF+ participants' report for the whole
programme, and the people trained the overview shows. bench/run.py runs them."""

from __future__ import annotations

import importlib
import random
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bench.measures import BENCH_REF, BenchError, Report, open_day, remove_saved
from db.enums import IndicatorMethod
from db.models import Indicator, Membership, Person
from tracker.analytics import Filters
from tracker.auth import Actor
from tracker.schemas import ActivityCreate
from tracker.services.activities import log_activity
from tracker.services.people import list_people

ATTENDEES = 30  # people ticked on each saved activity
POOL = 3_000  # people of the incubator the ticked ones are drawn from
TRAINED = "PEOPLE_TRAINED"


def p95(runs: list[float]) -> float:
    ordered = sorted(runs)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def _pool(engine: Engine, incubator_id: int) -> list[tuple[int, int]]:
    """(person, the organisation they count for) of people of the incubator who may be
    ticked: identity kept, each with the lowest of their organisations' ids (counted for it
    whatever else takes part, see tracker.services.attendance)."""
    with Session(engine) as session:
        rows = session.execute(
            select(Person.id, Membership.organization_id)
            .join(Membership, Membership.person_id == Person.id)
            .where(Person.incubator_id == incubator_id, Person.erased_at.is_(None))
            .order_by(Person.id, Membership.organization_id)).all()
    first: dict[int, int] = {}
    for person_id, organization_id in rows:
        first.setdefault(person_id, organization_id)
    return list(first.items())[:POOL]


def attendee_saves(report: Report, engine: Engine, count: int = 200,
                   attendees: int = ATTENDEES) -> None:
    """Save a training with `attendees` ticked people (and their organisations' participations)
    through the service, each in its own transaction as the page does; removed afterwards."""
    incubator_id, day = open_day(engine)
    pool = _pool(engine, incubator_id)
    if len(pool) < attendees:
        raise BenchError(f"the incubator has {len(pool)} people to tick, {attendees} needed")
    rng = random.Random(30)
    admin = Actor.system()
    runs = []
    try:
        for number in range(count):
            chosen = rng.sample(pool, attendees)
            per_organisation = Counter(org for _, org in chosen)
            data = ActivityCreate.model_validate({
                "incubator_id": incubator_id, "external_ref": f"{BENCH_REF}P{number}",
                "type": "training", "title": "Apmācības “Projektu vadība”",
                "activity_date": day.isoformat(), "hours": "4", "format": "in_person",
                "capacity_areas": ["delivery"], "total_participants": attendees + 5,
                "participations": [{"organization_id": org, "attendees": n}
                                   for org, n in sorted(per_organisation.items())],
                "attendees": [{"person_id": person} for person, _ in chosen]})
            started = time.perf_counter()
            with Session(engine) as session:
                log_activity(session, actor=admin, data=data)
                session.commit()
            runs.append(time.perf_counter() - started)
    finally:
        remove_saved(engine)
    report.timed("attendees_save_median_ms", runs, scale=1000, digits=1)
    report.values["attendees_save_p95_ms"] = round(p95(runs) * 1000, 1)


def _timed(repeat: int, engine: Engine, call: Callable[[Session], Any]
           ) -> tuple[list[float], Any]:
    """`call` in a new session `repeat` times (after one run that opens the connection)."""
    runs = []
    result = None
    for attempt in range(repeat + 1):
        with Session(engine) as session:
            started = time.perf_counter()
            result = call(session)
            if attempt:
                runs.append(time.perf_counter() - started)
            session.rollback()  # a list or a report may audit its viewing: not kept here
    return runs, result


def people_pages(report: Report, engine: Engine, actor: Actor, repeat: int) -> None:
    """The People page's list as a manager opens it: the first page of everybody, and of
    the people lacking ESF+ data."""
    runs, page = _timed(repeat, engine, lambda s: list_people(s, actor=actor))
    report.timed("people_list_s", runs)
    report.values["people_total"] = page.total
    runs, page = _timed(repeat, engine, lambda s: list_people(s, actor=actor, incomplete=True))
    report.timed("people_incomplete_s", runs)
    report.values["people_incomplete"] = page.total


def participants_report(report: Report, engine: Engine, actor: Actor, filters: Filters,
                        repeat: int) -> None:
    """The ESF+ participants' report for the whole programme (tracker.esf), as a manager
    asks for it: one row per person who attended anything in the period."""
    try:
        esf = importlib.import_module("tracker.esf")
        table = esf.participants_table
    except (ImportError, AttributeError):
        report.notes.append("the participants' report was not measured: "
                            "tracker.esf.participants_table is not there yet")
        return
    runs, result = _timed(repeat, engine, lambda s: table(s, actor=actor, filters=filters,
                                                          lang="lv"))
    report.timed("participants_report_s", runs)
    rows = getattr(result, "rows", None)
    if rows is not None:
        report.values["participants_rows"] = len(rows)


def people_trained(report: Report, engine: Engine, fast: dict[str, Any]) -> None:
    """The people trained among the overview's numbers (as timed cold and warm), checked to
    be the distinct people of the completion rule, not the attendances summed."""
    with Session(engine) as session:
        method = session.scalar(select(Indicator.method).where(Indicator.code == TRAINED))
    if method != IndicatorMethod.PEOPLE_TRAINED.value or TRAINED not in fast["indicators"]:
        report.notes.append(f"the overview's {TRAINED} is counted by {method}, not by the "
                            "people-trained rule")
        return
    report.values["people_trained"] = int(fast["indicators"][TRAINED][0])
