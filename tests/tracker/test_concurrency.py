"""Real concurrency: several processes write to one database at once (SQLite file, PostgreSQL).

1. Eight writer processes ("spawn") log 200 activities each through the service, each in its
   own unit of work with its own engine; half of them also edit and soft-delete their own
   earlier activities and, like people with a form open, edit one shared activity from a copy
   read a moment earlier (retrying on StaleVersion). Afterwards every writer's ledger of what
   it committed must be in the database exactly (no write lost, none doubled, every edit and
   delete present), no write may fail ("database is locked" on SQLite included), the shared
   activity must count every successful edit once, and the dashboard numbers must equal a
   direct count of the base tables, with the rollups equal to a recount.
2. Two people save the same activity from the same version: exactly one wins, the other
   gets StaleVersion, and the row holds the winner's data; once one after the other, and in
   rounds of two processes released together by a barrier.

The worker functions are module-level so that "spawn" children can import them. Each child
imports this module, so its top-level imports are only what the workers need: what only the
parent uses (the reference data loader, the analytics, tests.factories, the direct count of
test_rollups) is imported inside the tests, which saves each child 0.7 s of CPU.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import queue
import random
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.context import SpawnContext, SpawnProcess
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from db import data_version
from db.engine import make_engine, make_session_factory, read_only, unit_of_work
from db.enums import ActivityStatus, ActivityType, AuditAction, CapacityArea, Role
from db.models import Activity, AuditLog, Municipality, Participation
from tests.processes import plain_main
from tracker.auth import Actor
from tracker.errors import StaleVersion
from tracker.schemas import ActivityCreate, ActivityRead, ActivityUpdate
from tracker.services.activities import (
    delete_activity,
    get_activity,
    log_activity,
    update_activity,
)

ADMIN = Actor.system()
WRITERS = 8
WRITES = 200  # activities logged by each writer
EDIT_EVERY = 10  # editors edit one of their own earlier activities after every 10th write
DELETE_EVERY = 40  # ... and soft-delete one after every 40th
SHARED_EVERY = 25  # ... and save the shared activity from a copy read one write earlier
MAX_ATTEMPTS = 50  # saves of one edit before a writer gives up (reported as a failure)
WAIT_S = 120.0  # barrier and result timeouts: a hung process fails the test, never hangs it
INCUBATORS = ("VIDZEME", "LATGALE", "KURZEME", "ZEMGALE")
FIRST, LAST = dt.date(2025, 1, 1), dt.date(2026, 6, 30)
STATUSES = ("draft", "submitted", "submitted", "approved")
EDITABLE = frozenset({ActivityStatus.DRAFT.value, ActivityStatus.SUBMITTED.value})
LOCKED = "database is locked"


def _is_editor(writer: int) -> bool:
    return writer % 2 == 0


@dataclass(frozen=True)
class Expected:
    """What a writer committed for one of its activities, as the database must now hold it."""

    activity_id: int
    type: str
    title: str
    status: str
    participations: tuple[tuple[int, int], ...]  # (organisation id, attendees), sorted
    deleted: bool = False


@dataclass
class WriterReport:
    """One writer's ledger: its committed activities by ref, and what went wrong."""

    writer: int
    committed: dict[str, Expected] = field(default_factory=dict)
    edits: int = 0
    deletes: int = 0
    shared_edits: int = 0
    retries: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


# Helpers shared by the parent and the workers -------------------------------------------------

def _people(read: ActivityRead) -> tuple[tuple[int, int], ...]:
    return tuple(sorted((p.organization_id, p.attendees) for p in read.participations))


def _expected(read: ActivityRead) -> Expected:
    return Expected(activity_id=read.id, type=read.type.value, title=read.title,
                    status=read.status.value, participations=_people(read),
                    deleted=read.deleted)


def _changes(read: ActivityRead, **fields: Any) -> ActivityUpdate:
    """An edit of the copy `read` (its version), with `fields` changed."""
    data: dict[str, Any] = {
        "type": read.type, "title": read.title, "activity_date": read.activity_date,
        "hours": read.hours, "format": read.format, "capacity_areas": read.capacity_areas,
        "total_participants": read.total_participants, "version": read.version,
        "participations": [{"organization_id": p.organization_id, "attendees": p.attendees}
                           for p in read.participations],
    } | fields
    return ActivityUpdate.model_validate(data)


def _read(reader: sessionmaker[Session], activity_id: int) -> ActivityRead:
    """The activity as a page shows it (a read-only unit of work)."""
    with unit_of_work(reader) as session:
        return get_activity(session, actor=ADMIN, activity_id=activity_id)


def _save(factory: sessionmaker[Session], activity_id: int, data: ActivityUpdate
          ) -> ActivityRead:
    """The form is sent: one unit of work that saves the edit, or raises."""
    with unit_of_work(factory) as session:
        return update_activity(session, actor=ADMIN, activity_id=activity_id, data=data)


def _factories(url: str) -> tuple[Engine, sessionmaker[Session], sessionmaker[Session]]:
    engine = make_engine(url)
    return engine, make_session_factory(engine), make_session_factory(read_only(engine))


def _participations(rng: random.Random, orgs: list[int]) -> list[dict[str, int]]:
    return [{"organization_id": o, "attendees": rng.randint(1, 9)}
            for o in rng.sample(orgs, rng.randint(1, 3))]


# The writer process ----------------------------------------------------------------------------

class _Writer:
    def __init__(self, url: str, writer: int, orgs: list[int], incubator_id: int,
                 shared_id: int) -> None:
        self.engine, self.factory, self.reader = _factories(url)
        self.writer, self.orgs, self.incubator_id = writer, orgs, incubator_id
        self.shared_id = shared_id
        self.rng = random.Random(1000 + writer)
        self.report = WriterReport(writer)
        self.editable: list[str] = []  # own refs still draft or submitted, not deleted

    def fail(self, what: str, exc: BaseException) -> None:
        self.report.failures.append(f"W{self.writer} {what}: {type(exc).__name__}: {exc}")

    def log(self, number: int) -> None:
        ref = f"W{self.writer}-{number}"
        day = FIRST + dt.timedelta(days=self.rng.randrange((LAST - FIRST).days + 1))
        data = ActivityCreate.model_validate({
            "incubator_id": self.incubator_id, "external_ref": ref,
            "type": self.rng.choice(list(ActivityType)).value,
            "title": f"Konsultācija {ref}", "activity_date": day.isoformat(), "hours": "2",
            "format": "in_person", "municipality_atvk": "0054000",
            "capacity_areas": [a.value for a in self.rng.sample(list(CapacityArea),
                                                                self.rng.randint(0, 3))],
            "total_participants": 40, "status": self.rng.choice(STATUSES),
            "participations": _participations(self.rng, self.orgs)})
        try:
            with unit_of_work(self.factory) as session:
                saved = log_activity(session, actor=ADMIN, data=data)
        except Exception as exc:  # counted, and the test fails on it
            self.fail(f"log {ref}", exc)
            return
        self.report.committed[ref] = _expected(saved)
        if saved.status.value in EDITABLE:
            self.editable.append(ref)

    def edit_with_retries(self, what: str, activity_id: int, first: ActivityRead | None,
                          change: Callable[[ActivityRead], dict[str, Any]]
                          ) -> ActivityRead | None:
        """Save `change` of the copy `first` (or of a fresh one); on StaleVersion read the
        activity again and save again, as a person told "someone else changed it" would."""
        read = first
        for _ in range(MAX_ATTEMPTS):
            try:
                if read is None:
                    read = _read(self.reader, activity_id)
                return _save(self.factory, activity_id, _changes(read, **change(read)))
            except StaleVersion:
                self.report.retries += 1
                read = None
            except Exception as exc:
                self.fail(what, exc)
                return None
        self.fail(what, RuntimeError(f"still stale after {MAX_ATTEMPTS} attempts"))
        return None

    def edit_own(self) -> None:
        ref = self.rng.choice(self.editable)
        edits = self.report.edits + 1
        new_type = self.rng.choice(list(ActivityType)).value
        people = _participations(self.rng, self.orgs)
        saved = self.edit_with_retries(
            f"edit {ref}", self.report.committed[ref].activity_id, None,
            lambda _read: {"title": f"Labots {ref} ({edits})", "type": new_type,
                           "participations": people})
        if saved is not None:
            self.report.edits += 1
            self.report.committed[ref] = _expected(saved)

    def delete_own(self) -> None:
        ref = self.editable.pop(self.rng.randrange(len(self.editable)))
        expected = self.report.committed[ref]
        for _ in range(MAX_ATTEMPTS):
            try:
                version = _read(self.reader, expected.activity_id).version
                with unit_of_work(self.factory) as session:
                    delete_activity(session, actor=ADMIN, activity_id=expected.activity_id,
                                    version=version)
            except StaleVersion:
                self.report.retries += 1
                continue
            except Exception as exc:
                self.fail(f"delete {ref}", exc)
                return
            self.report.deletes += 1
            self.report.committed[ref] = replace(expected, deleted=True)
            return
        self.fail(f"delete {ref}", RuntimeError(f"still stale after {MAX_ATTEMPTS} attempts"))

    def edit_shared(self, copy: ActivityRead) -> None:
        """One more participant on the shared activity, saved from `copy` (read earlier)."""
        saved = self.edit_with_retries(
            "edit shared", self.shared_id, copy,
            lambda read: {"total_participants": read.total_participants + 1,
                          "title": f"Kopīgs ieraksts, pēdējais labojis W{self.writer}"})
        if saved is not None:
            self.report.shared_edits += 1

    def run(self, writes: int) -> None:
        editor = _is_editor(self.writer)
        for number in range(writes):
            copy = None
            if editor and number % SHARED_EVERY == SHARED_EVERY // 2:
                # the form is opened now and sent after this writer's next write
                copy = _read(self.reader, self.shared_id)
            self.log(number)
            if copy is not None:
                self.edit_shared(copy)
            if editor and number % EDIT_EVERY == EDIT_EVERY - 1 and self.editable:
                self.edit_own()
            if editor and number % DELETE_EVERY == DELETE_EVERY - 1 and self.editable:
                self.delete_own()


def write_activities(url: str, writer: int, writes: int, orgs: list[int], incubator_id: int,
                     shared_id: int, start: Barrier, results: Queue[Any]) -> None:
    """A writer process: waits for the others at `start`, writes, puts its WriterReport."""
    try:
        worker = _Writer(url, writer, orgs, incubator_id, shared_id)
        start.wait(WAIT_S)
        began = time.perf_counter()
        try:
            worker.run(writes)
        finally:
            worker.report.seconds = time.perf_counter() - began
            worker.engine.dispose()
        results.put(worker.report)
    except BaseException:
        start.abort()  # nobody waits for a writer that will never come
        results.put(f"W{writer} crashed:\n{traceback.format_exc()}")


# The racing editor process ---------------------------------------------------------------------

@dataclass(frozen=True)
class RaceResult:
    who: int
    round: int
    read_version: int
    outcome: str  # "saved", "conflict" or the unexpected error
    caught_by: str  # for a conflict: the version check on loading, or the UPDATE itself
    title: str  # what this editor tried to save
    after_title: str  # the row once both had tried
    after_version: int


def race_edits(url: str, who: int, activity_id: int, rounds: int, barrier: Barrier,
               results: Queue[Any]) -> None:
    """Each round: both read the activity, then both save it at once from that copy."""
    try:
        engine, factory, reader = _factories(url)
        try:
            for number in range(rounds):
                barrier.wait(WAIT_S)  # the previous round is over for both
                read = _read(reader, activity_id)
                title = f"Kārta {number}: labojis {who}"
                barrier.wait(WAIT_S)  # both hold the same version: save together
                outcome, caught_by = "saved", ""
                try:
                    _save(factory, activity_id, _changes(read, title=title))
                except StaleVersion as exc:
                    # tracker.services._common.flush turns the ORM's StaleDataError (the
                    # UPDATE ... WHERE version = :read matched no row) into StaleVersion
                    outcome, caught_by = "conflict", (
                        "UPDATE" if isinstance(exc.__context__, StaleDataError)
                        else "version check")
                except Exception as exc:
                    outcome = f"{type(exc).__name__}: {exc}"
                barrier.wait(WAIT_S)  # both tried
                after = _read(reader, activity_id)
                results.put(RaceResult(who, number, read.version, outcome, caught_by, title,
                                       after.title, after.version))
        finally:
            engine.dispose()
    except BaseException:
        barrier.abort()
        results.put(f"editor {who} crashed:\n{traceback.format_exc()}")


# Running processes -----------------------------------------------------------------------------

def _spawn() -> SpawnContext:
    return multiprocessing.get_context("spawn")


@dataclass
class Processes:
    context: SpawnContext
    results: Queue[Any]
    started: list[SpawnProcess] = field(default_factory=list)

    def start(self, target: Callable[..., None], *args: Any) -> None:
        process = self.context.Process(target=target, args=(*args, self.results), daemon=True)
        with plain_main():
            process.start()
        self.started.append(process)

    def collect(self, count: int) -> list[Any]:
        """`count` results; a crash report (a string) fails the test with its traceback."""
        found: list[Any] = []
        deadline = time.monotonic() + WAIT_S
        while len(found) < count:
            try:
                item = self.results.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"only {len(found)} of {count} results within {WAIT_S:.0f} s; "
                            f"exit codes {[p.exitcode for p in self.started]}")
            if isinstance(item, str):
                pytest.fail(item, pytrace=False)
            found.append(item)
        return found


@pytest.fixture
def processes() -> Iterator[Processes]:
    context = _spawn()
    running = Processes(context, context.Queue())
    try:
        yield running
    finally:
        for process in running.started:
            process.join(10)
        for process in running.started:  # only ours, and only if one hangs
            if process.is_alive():
                process.terminate()
                process.join(5)
        running.results.close()


@pytest.fixture
def database(new_database_url: str) -> Iterator[tuple[str, Engine]]:
    """A new, initialised database of the test's backend, and an engine on it."""
    from tracker.refdata import init_database

    engine = make_engine(new_database_url)
    init_database(engine)
    try:
        yield new_database_url, engine
    finally:
        engine.dispose()


def _backend(engine: Engine) -> str:
    return engine.dialect.name


# 1. Many writers --------------------------------------------------------------------------------

def _setup(session: Session) -> tuple[list[int], list[int], int]:
    """Organisations in a few municipalities, the incubators' ids, and the shared activity
    (a draft: it changes no dashboard number)."""
    from tests import factories as f

    atvks = list(session.scalars(select(Municipality.atvk).where(
        Municipality.valid_to.is_(None)).order_by(Municipality.atvk).limit(6)))
    orgs = [f.organization(session, municipality_atvk=atvks[n % len(atvks)]).id
            for n in range(12)]
    incubators = [f.incubator_id(session, code) for code in INCUBATORS]
    shared = f.activity(session, status="draft", title="Kopīgs ieraksts",
                        total_participants=0)
    return orgs, incubators, shared.id


def _database_state(session: Session) -> dict[str, Expected]:
    """Every activity with a writer's ref, as the database holds it now."""
    people: dict[int, list[tuple[int, int]]] = {}
    for activity_id, org, attendees in session.execute(select(
            Participation.activity_id, Participation.organization_id, Participation.attendees)):
        people.setdefault(activity_id, []).append((org, attendees))
    return {str(ref): Expected(activity_id=i, type=kind, title=title, status=status,
                               participations=tuple(sorted(people.get(i, []))),
                               deleted=gone is not None)
            for i, ref, kind, title, status, gone in session.execute(select(
                Activity.id, Activity.external_ref, Activity.type, Activity.title,
                Activity.status, Activity.deleted_at).where(Activity.external_ref.like("W%")))}


def _counted_types(reports: list[WriterReport]) -> dict[str, int]:
    """Activities per type a manager's overview must show, from the writers' own ledgers."""
    counted = Counter(e.type for r in reports for e in r.committed.values()
                      if not e.deleted and e.status in ("approved", "submitted"))
    return dict(counted)


def test_many_writers_lose_nothing_and_the_dashboard_counts_everything(
        database: tuple[str, Engine], processes: Processes) -> None:
    from tests.tracker.test_rollups import _same_numbers
    from tracker.analytics import Filters, rollups
    from tracker.analytics.overview import comparable, overview_numbers

    url, engine = database
    backend = _backend(engine)
    factory = make_session_factory(engine)
    with unit_of_work(factory) as session:
        orgs, incubators, shared_id = _setup(session)
    with engine.connect() as connection:
        version_before = data_version.current(connection)

    began = time.perf_counter()
    start = processes.context.Barrier(WRITERS + 1)
    for writer in range(WRITERS):
        processes.start(write_activities, url, writer, WRITES, orgs,
                        incubators[writer % len(incubators)], shared_id, start)
    try:
        start.wait(WAIT_S)  # every writer has imported, connected and is about to write
    except threading.BrokenBarrierError:
        processes.collect(WRITERS)  # fails with the crashed writer's traceback
        raise
    writing = time.perf_counter()
    reports: list[WriterReport] = sorted(processes.collect(WRITERS), key=lambda r: r.writer)
    written = time.perf_counter()

    failures = [f for r in reports for f in r.failures]
    locked = sum(LOCKED in f for f in failures)
    retries = sum(r.retries for r in reports)
    edits, deletes = sum(r.edits for r in reports), sum(r.deletes for r in reports)
    shared_edits = sum(r.shared_edits for r in reports)
    summary = (f"[{backend}] {WRITERS} writers x {WRITES} writes: "
               f"{sum(len(r.committed) for r in reports)} activities, {edits} edits, "
               f"{deletes} deletes, {shared_edits} edits of the shared activity, "
               f"{retries} retries after StaleVersion, {len(failures)} failed writes "
               f"({locked} '{LOCKED}'); writing {written - writing:.1f} s "
               f"(slowest writer {max(r.seconds for r in reports):.1f} s), "
               f"starting the processes {writing - began:.1f} s")

    assert locked == 0, summary
    assert failures == [], f"{summary}\n" + "\n".join(failures[:20])

    with unit_of_work(make_session_factory(read_only(engine))) as session:
        state = _database_state(session)
        for report in reports:  # no write lost, none doubled, every edit and delete there
            mine = {ref: e for ref, e in state.items()
                    if ref.startswith(f"W{report.writer}-")}
            assert len(mine) == len(report.committed) == WRITES, (report.writer, summary)
            assert mine == report.committed, (report.writer, summary)
        doubled = session.execute(
            select(Activity.incubator_id, Activity.external_ref, func.count())
            .where(Activity.external_ref.is_not(None))
            .group_by(Activity.incubator_id, Activity.external_ref)
            .having(func.count() > 1)).all()
        assert doubled == [], summary
        assert edits > 0 and deletes > 0 and shared_edits > 0, summary

        shared = get_activity(session, actor=ADMIN, activity_id=shared_id)
        assert (shared.total_participants, shared.version) == (
            shared_edits, 1 + shared_edits), summary  # every edit counted once

        audit = {action: count for action, count in session.execute(
            select(AuditLog.action, func.count()).where(AuditLog.entity == "activity")
            .group_by(AuditLog.action))}
        assert audit == {AuditAction.CREATE.value: WRITERS * WRITES + 1,
                         AuditAction.UPDATE.value: edits + shared_edits,
                         AuditAction.DELETE.value: deletes}, summary
        # one data-version step per committed write transaction, none lost
        assert data_version.current(session) - version_before == (
            WRITERS * WRITES + edits + deletes + shared_edits), summary

        assert rollups.differences(session) == {
            "activity_rollup": 0, "area_rollup": 0, "organization_rollup": 0,
            "trained_people": 0}, summary
        vidzeme = incubators[0]
        funder = Actor(user_id=None, email="funder@test.lv", role=Role.FUNDER)
        for actor, filters in (
                (ADMIN, Filters()),
                (ADMIN, Filters(date_from=dt.date(2025, 3, 10), date_to=dt.date(2025, 11, 20))),
                (ADMIN, Filters(incubator_id=vidzeme, activity_type="training")),
                (ADMIN, Filters(region_code="LATGALE", include_submitted=False)),
                (funder, Filters(date_from=FIRST, date_to=LAST))):
            _same_numbers(session, actor, filters, 2025)
        overview = comparable(overview_numbers(session, actor=ADMIN, filters=Filters(),
                                               year=2025))
        assert overview["types"] == _counted_types(reports), summary
    print(f"\n{summary}; whole test {time.perf_counter() - began:.1f} s")


# 2. Two people editing the same activity --------------------------------------------------------

def _activity_to_fight_over(engine: Engine) -> int:
    from tests import factories as f

    with unit_of_work(make_session_factory(engine)) as session:
        org = f.organization(session).id
        return f.activity(session, participations=[{"organization_id": org,
                                                    "attendees": 2}]).id


def test_two_people_saving_the_same_version_one_after_the_other(
        database: tuple[str, Engine]) -> None:
    _url, engine = database
    activity_id = _activity_to_fight_over(engine)
    factory, reader = make_session_factory(engine), make_session_factory(read_only(engine))
    anna, berzins = _read(reader, activity_id), _read(reader, activity_id)  # both open it
    assert anna.version == berzins.version

    won = _save(factory, activity_id, _changes(anna, title="Annas labojums",
                                               total_participants=7))
    with pytest.raises(StaleVersion) as conflict:
        _save(factory, activity_id, _changes(berzins, title="Bērziņa labojums",
                                             total_participants=9))

    assert conflict.value.message("en") == \
        "Someone else has changed this record meanwhile. Reload it and try again."
    assert conflict.value.message("lv").startswith("Kāds cits šo ierakstu jau ir mainījis")
    now = _read(reader, activity_id)
    assert (now.title, now.total_participants, now.version) == (
        "Annas labojums", 7, anna.version + 1) == (won.title, won.total_participants,
                                                   won.version)
    # the refused save left nothing behind: one update in the audit log
    with unit_of_work(reader) as session:
        updates = session.scalar(select(func.count()).select_from(AuditLog).where(
            AuditLog.entity == "activity", AuditLog.entity_id == activity_id,
            AuditLog.action == AuditAction.UPDATE.value))
    assert updates == 1


RACE_ROUNDS = 10


def test_two_processes_saving_the_same_version_at_once(
        database: tuple[str, Engine], processes: Processes) -> None:
    url, engine = database
    activity_id = _activity_to_fight_over(engine)
    began = time.perf_counter()
    barrier = processes.context.Barrier(2)
    for who in (1, 2):
        processes.start(race_edits, url, who, activity_id, RACE_ROUNDS, barrier)
    results: list[RaceResult] = processes.collect(2 * RACE_ROUNDS)

    conflicts = 0
    for number in range(RACE_ROUNDS):
        pair = sorted((r for r in results if r.round == number), key=lambda r: r.outcome)
        assert [r.outcome for r in pair] == ["conflict", "saved"], pair
        conflicts += 1
        loser, winner = pair
        assert loser.read_version == winner.read_version, pair
        for seen in pair:  # both see the winner's data, saved once
            assert (seen.after_title, seen.after_version) == (
                winner.title, winner.read_version + 1), pair
    final = _read(make_session_factory(read_only(engine)), activity_id)
    assert final.version == 1 + RACE_ROUNDS
    wins = Counter(r.who for r in results if r.outcome == "saved")
    caught = Counter(r.caught_by for r in results if r.outcome == "conflict")
    print(f"\n[{_backend(engine)}] {RACE_ROUNDS} rounds of 2 racing editors: "
          f"{RACE_ROUNDS} saved, {conflicts} StaleVersion conflicts (caught by "
          f"{dict(sorted(caught.items()))}), wins by editor {dict(sorted(wins.items()))}; "
          f"{time.perf_counter() - began:.1f} s")
