"""The measurements of `tracker bench` that need no screen: the national data set, the
naive pandas baseline, saving through the service, the CSV import, memory, and the report
against the targets. The dashboard's own (the cache, the page through AppTest) and the run
that puts them together are in bench/run.py; the command is in tracker/cli.py.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, func, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bench import imports
from bench.naive import overview_numbers_naive
from db.engine import make_engine
from db.enums import Role
from db.models import (
    Activity,
    Attendance,
    Base,
    Document,
    Incubator,
    Opinion,
    Organization,
    PeriodClosure,
    Person,
    User,
)
from tracker.analytics import Filters, forecast, rollups
from tracker.analytics.overview import comparable, overview_numbers
from tracker.auth import Actor
from tracker.refdata import init_database
from tracker.schemas import ActivityCreate
from tracker.services import reference
from tracker.services.activities import log_activity

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"
NATIONAL = {"organizations": 24_000, "activities": 200_000, "people": 60_000,
            "attendances": 600_000, "documents": 30_000, "opinions": 20_000}
VIEWER = "manager@demo.lv"  # a demo account: managers count approved and submitted work
BENCH_REF = "BENCH-"  # external_ref of the activities the save benchmark writes and removes

# measure -> (at most / at least, the target on this 2-core machine, SQLite)
TARGETS: dict[str, tuple[str, float]] = {
    "overview_cold_s": ("<=", 0.5), "overview_filtered_s": ("<=", 0.3),
    "overview_warm_s": ("<=", 0.05), "speedup_vs_naive": (">=", 10.0),
    "page_render_s": ("<=", 1.5), "import_rows_per_s": (">=", 20_000.0),
    "log_activity_p95_ms": ("<=", 50.0), "peak_rss_mb": ("<=", 400.0),
    "attendees_save_p95_ms": ("<=", 50.0), "participants_report_s": ("<=", 5.0),
    "people_list_s": ("<=", 1.5), "people_incomplete_s": ("<=", 1.5),
    "dialogue_values_s": ("<=", 0.1), "dialogue_values_speedup": (">=", 2.0),
    "dialogue_forecast_s": ("<=", 0.2), "dialogue_forecast_speedup": (">=", 2.0),
    "dialogue_page_cold_s": ("<=", 1.5), "dialogue_page_warm_s": ("<=", 0.5),
}


class BenchError(Exception):
    """The benchmark cannot run on this database (the message says why)."""


@dataclass
class Report:
    """What one run measured."""

    backend: str
    values: dict[str, Any] = field(default_factory=dict)
    runs: dict[str, list[float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def timed(self, name: str, runs: list[float], scale: float = 1.0, digits: int = 3) -> float:
        self.runs[name] = [round(r * scale, digits + 1) for r in runs]
        value = round(statistics.median(runs) * scale, digits)
        self.values[name] = value
        return value


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def database_url(given: str | None = None) -> str:
    """`given`, else TRACKER_DATABASE_URL when it is PostgreSQL, else bench/national.db."""
    if given:
        return given
    url = os.environ.get("TRACKER_DATABASE_URL", "").strip()
    if url.startswith("postgresql"):
        return url
    return f"sqlite:///{ROOT / 'bench' / 'national.db'}"


def national_counts(engine: Engine) -> dict[str, int]:
    """What tells the national data set apart, without what a stopped run left behind."""
    saved = select(Activity.id).where(Activity.external_ref.startswith(BENCH_REF))
    with Session(engine) as session:
        def count(model: type[Any], *where: Any) -> int:
            return int(session.scalar(select(func.count()).select_from(model).where(*where))
                       or 0)
        return {"organizations": count(Organization),
                "activities": count(Activity, Activity.id.not_in(saved)),
                "people": count(Person),
                "attendances": count(Attendance, Attendance.activity_id.not_in(saved)),
                "documents": count(Document), "opinions": count(Opinion)}


def build_national(url: str) -> None:
    """`tracker demo --scale national` in a process of its own: the generator's memory is
    not the dashboard's."""
    try:
        subprocess.run([sys.executable, "-m", "tracker", "demo", "--scale", "national"],
                       check=True, env={**os.environ, "TRACKER_DATABASE_URL": url})
    except subprocess.CalledProcessError as error:
        raise BenchError(f"building the national data set failed (exit {error.returncode})"
                         ) from error


def schema_differences(engine: Engine) -> list[str]:
    """The tables and columns of this version's models that the database lacks or has
    besides them (a migration changed since the data set was built)."""
    found = inspect(engine)
    tables = set(found.get_table_names())
    differences = []
    for table in Base.metadata.sorted_tables:
        if table.name not in tables:
            differences.append(table.name)
            continue
        have = {column["name"] for column in found.get_columns(table.name)}
        differences += [f"{table.name}.{name}"
                        for name in sorted(have ^ {c.name for c in table.columns})]
    return differences


def ensure_national(engine: Engine, *, own_file: Path | None = None,
                    expected: dict[str, int] = NATIONAL,
                    build: Callable[[str], None] = build_national) -> float | None:
    """Reuse the national data set, or build it into an empty database (seconds taken);
    a database holding anything else is left alone, except the benchmark's own SQLite file
    (`own_file`) holding an earlier version's data set (its organisations, but other
    counts: before people, say; or another schema: a migration changed), which is built
    again."""
    init_database(engine)
    changed = schema_differences(engine)
    counts = national_counts(engine)
    if counts == expected and not changed:
        return None
    shown = ", ".join(f"{v:,} {k}" for k, v in counts.items())
    if any(counts.values()) or changed:
        if own_file is None or counts["organizations"] not in (expected["organizations"], 0):
            what = f"other data ({shown})" if any(counts.values()) and not changed \
                else f"another version's schema ({', '.join(changed[:5])})"
            raise BenchError(f"the database holds {what}: give the benchmark an empty "
                             "database or one it built itself")
        why = f"another version's schema ({', '.join(changed[:5])})" if changed \
            else f"an earlier version's data set ({shown})"
        say(f"{own_file.name} holds {why}: building it again ...")
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            own_file.with_name(own_file.name + suffix).unlink(missing_ok=True)
        init_database(engine)
    say("building the national data set (a few minutes on SQLite) ...")
    started = time.perf_counter()
    build(engine.url.render_as_string(hide_password=False))
    return round(time.perf_counter() - started, 1)


def open_database(url: str) -> tuple[str, Engine]:
    """The backend's name ("sqlite", "postgresql") and an engine for the benchmark's data."""
    return make_url(url).get_backend_name(), make_engine(url)


def programme_period(engine: Engine) -> tuple[dt.date, dt.date]:
    with Session(engine) as session:
        return reference.programme_period(session, incubator_id=None)


def viewer(engine: Engine) -> Actor:
    with Session(engine) as session:
        user = session.scalar(select(User).where(User.email == VIEWER))
        if user is None:
            raise BenchError(f"{VIEWER} is missing: the data set was not built by tracker demo")
        return Actor(user_id=user.id, email=user.email, role=Role(user.role),
                     incubator_id=user.incubator_id)


def sequential(report: Report, engine: Engine, actor: Actor, filters: Filters, year: int,
               repeat: int) -> dict[str, Any]:
    """The same numbers one after another in one session, no cache and no threads."""
    runs = []
    numbers: dict[str, Any] = {}
    for _ in range(repeat):
        with Session(engine) as session:
            started = time.perf_counter()
            numbers = overview_numbers(session, actor=actor, filters=filters, year=year)
            runs.append(time.perf_counter() - started)
    report.timed("overview_sequential_s", runs)
    return comparable(numbers)


def forecasts(report: Report, engine: Engine, actor: Actor, as_of: dt.date,
              repeat: int) -> None:
    """What the forecast page computes for the whole programme, one call after another in
    one session, no cache: the indicators' and incubators' forecasts, the organisations gone
    quiet and the logging warnings."""
    runs = []
    for _ in range(repeat):
        with Session(engine) as session:
            started = time.perf_counter()
            forecast.indicator_forecasts(session, actor=actor, filters=Filters(), as_of=as_of)
            forecast.incubator_forecasts(session, actor=actor, filters=Filters(), as_of=as_of)
            forecast.inactive_organizations(session, actor=actor, filters=Filters(),
                                            as_of=as_of)
            forecast.logging_status(session, actor=actor, filters=Filters(), as_of=as_of)
            runs.append(time.perf_counter() - started)
    report.timed("forecast_sequential_s", runs)


def naive(report: Report, engine: Engine, actor: Actor, filters: Filters, year: int,
          repeat: int, fast: dict[str, Any]) -> None:
    runs = []
    numbers: dict[str, Any] = {}
    for _ in range(repeat):
        with engine.connect() as connection:
            started = time.perf_counter()
            numbers = overview_numbers_naive(connection, actor=actor, filters=filters,
                                             year=year)
            runs.append(time.perf_counter() - started)
    report.timed("naive_pandas_s", runs)
    report.values["naive_equals_fast"] = numbers == fast
    if numbers != fast:
        report.notes.append("the naive numbers differ from the dashboard's: "
                            + ", ".join(k for k in fast if fast[k] != numbers.get(k)))


def open_day(engine: Engine) -> tuple[int, dt.date]:
    """An incubator and a day of the programme in a quarter nobody has closed."""
    with Session(engine) as session:
        incubator_id = session.scalars(select(Incubator.id).order_by(Incubator.id)).first()
        if incubator_id is None:
            raise BenchError("no incubator")
        start, end = reference.programme_period(session, incubator_id=incubator_id)
        closed = {(y, q) for y, q in session.execute(
            select(PeriodClosure.year, PeriodClosure.quarter).where(
                PeriodClosure.incubator_id == incubator_id,
                PeriodClosure.reopened_at.is_(None)))}
    day = min(end, dt.date.today())  # noqa: DTZ011
    while (day.year, (day.month + 2) // 3) in closed and day > start:
        day -= dt.timedelta(days=90)
    return incubator_id, day


def saves(report: Report, engine: Engine, count: int = 200) -> None:
    """Save one activity with 5 participations through the service, each in its own
    transaction as the page does; the activities are removed again afterwards."""
    incubator_id, day = open_day(engine)
    with Session(engine) as session:
        orgs = list(session.scalars(select(Organization.id).order_by(Organization.id)
                                    .limit(2_000)))
    rng = random.Random(7)
    admin = Actor.system()
    runs = []
    try:
        for number in range(count):
            data = ActivityCreate.model_validate({
                "incubator_id": incubator_id, "external_ref": f"{BENCH_REF}{number}",
                "type": "consultation", "title": "Konsultācija par finanšu plānošanu",
                "activity_date": day.isoformat(), "hours": "2", "format": "in_person",
                "capacity_areas": ["finance", "strategy"], "total_participants": 10,
                "participations": [{"organization_id": o, "attendees": 2}
                                   for o in rng.sample(orgs, 5)]})
            started = time.perf_counter()
            with Session(engine) as session:
                log_activity(session, actor=admin, data=data)
                session.commit()
            runs.append(time.perf_counter() - started)
    finally:
        remove_saved(engine)
    report.timed("log_activity_median_ms", runs, scale=1000, digits=1)
    ordered = sorted(runs)
    report.values["log_activity_p95_ms"] = round(
        ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, 1)


def remove_saved(engine: Engine) -> None:
    with Session(engine) as session:
        session.execute(delete(Activity).where(Activity.external_ref.startswith(BENCH_REF)))
        session.commit()


def _import_run(url: str, paths: dict[str, Path], naive_rows: int) -> dict[str, float]:
    """One import run in a new database, in a process of its own (see import_speed); the
    time the imports spend recounting the rollups is noted apart."""
    result: dict[str, float] = {"rows": 0, "rollups": 0.0}
    recount = rollups.rebuild

    def timed_rebuild(*args: Any, **kwargs: Any) -> dict[str, int]:
        started = time.perf_counter()
        try:
            return recount(*args, **kwargs)
        finally:
            result["rollups"] += time.perf_counter() - started

    rollups.rebuild = timed_rebuild  # this process only
    with tempfile.TemporaryDirectory(prefix="tracker-bench-db-") as tmp, \
            imports.fresh_database(url, Path(tmp)) as engine:
        for kind in ("organizations", "activities", "participations"):
            seconds, created = imports.timed_import(engine, kind, paths[kind])
            if kind != "organizations":
                result[kind] = seconds
                result["rows"] += created
        result["naive"], result["naive_rows"] = imports.naive(engine, paths, naive_rows)
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def import_speed(report: Report, url: str, repeat: int, activities: int,
                 naive_rows: int) -> None:
    """Each run in a new process and a new database, as an import from the command line
    would be: the run does not inherit this process's memory or warm caches, and its peak
    memory is its own."""
    runs: list[dict[str, float]] = []
    spawn = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as tmp:
        paths = imports.write_files(Path(tmp), activities, 5_000, 3)
        for number in range(repeat):
            with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
                run_ = pool.submit(_import_run, url, paths, naive_rows).result()
            runs.append(run_)
            say(f"  import run {number + 1}: activities {run_['activities']:.1f} s, "
                f"participations {run_['participations']:.1f} s, naive {naive_rows:,} "
                f"activities {run_['naive']:.1f} s, peak memory {run_['peak_rss_mb']:.0f} MB, "
                f"recounting the rollups {run_['rollups']:.1f} s")
    bulk = [r["activities"] + r["participations"] for r in runs]
    report.runs["import_s"] = [round(b, 2) for b in bulk]
    report.runs["import_naive_s"] = [round(r["naive"], 2) for r in runs]
    report.values["import_rows"] = int(runs[0]["rows"])
    report.values["import_s"] = round(statistics.median(bulk), 2)
    report.values["import_rows_per_s"] = round(runs[0]["rows"] / statistics.median(bulk))
    report.values["import_naive_rows_per_s"] = round(
        runs[0]["naive_rows"] / statistics.median(r["naive"] for r in runs))
    report.values["import_peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    report.values["import_rollups_s"] = round(statistics.median(r["rollups"] for r in runs), 2)


def verdict(name: str, value: Any) -> str:
    if name not in TARGETS or not isinstance(value, int | float):
        return ""
    sense, target = TARGETS[name]
    met = value <= target if sense == "<=" else value >= target
    return f"{sense} {target:,.10g}  {'met' if met else 'MISSED'}"


ROWS: list[tuple[str, str]] = [
    ("overview_cold_s", "overview, default filters, cache empty (s)"),
    ("overview_filtered_s", "overview, one region and one quarter, cache empty (s)"),
    ("overview_warm_s", "overview from the dashboard cache (s)"),
    ("overview_sequential_s", "overview, one query after another, no cache (s)"),
    ("forecast_sequential_s", "forecast page's numbers, whole programme, no cache (s)"),
    ("naive_pandas_s", "naive: tables read whole with pandas (s)"),
    ("speedup_vs_naive", "naive / cold"),
    ("page_render_s", "overview page through AppTest, cold (s)"),
    ("import_rows_per_s", "CSV import, activities + participations (rows/s)"),
    ("import_s", "the import's time, activities + participations (s)"),
    ("import_rollups_s", "of which recounting the rollups (s)"),
    ("import_naive_rows_per_s", "naive: one activity at a time, ORM (rows/s)"),
    ("log_activity_p95_ms", "save an activity with 5 participations, p95 (ms)"),
    ("log_activity_median_ms", "the same, median (ms)"),
    ("attendees_save_p95_ms", "save a training with 30 ticked attendees, p95 (ms)"),
    ("attendees_save_median_ms", "the same, median (ms)"),
    ("people_trained", "people trained, whole programme (an overview indicator)"),
    ("people_list_s", "People page: first 50 of everybody, by name (s)"),
    ("people_incomplete_s", "People page: first 50 lacking ESF+ data (s)"),
    ("participants_report_s", "ESF+ participants' report, whole programme (s)"),
    ("participants_rows", "its rows (people who attended)"),
    ("dialogue_values_s", "civic dialogue: its 3 indicators as the overview counts them (s)"),
    ("dialogue_values_naive_s", "naive: the register's rows into Python, counted there (s)"),
    ("dialogue_values_speedup", "naive / the overview's"),
    ("dialogue_forecast_s", "civic dialogue: its 3 indicators' forecast, by month (s)"),
    ("dialogue_forecast_naive_s", "naive: the same months counted in Python (s)"),
    ("dialogue_forecast_speedup", "naive / the forecast's"),
    ("dialogue_documents", "documents monitored, whole programme"),
    ("dialogue_opinions", "opinions counted (approved and submitted: a manager)"),
    ("dialogue_organizations", "organisations with opinions"),
    ("dialogue_page_cold_s", "Civic dialogue page through AppTest, cold (s)"),
    ("dialogue_page_warm_s", "the same from the dashboard cache (s)"),
    ("peak_rss_mb", "peak memory of this process (MB)"),
    ("import_peak_rss_mb", "peak memory of an import run's process (MB)"),
    ("peak_rss_with_naive_mb", "this process after the naive baseline (MB)"),
    ("build_s", "building the national data set (s)"),
]


def table(report: Report) -> str:
    lines = [f"{'measure':<24}{'value':>12}  {'target':<18}what",
             "-" * 100]
    for name, label in ROWS:
        if name in report.values:
            value = report.values[name]
            shown = f"{value:,}" if isinstance(value, int) else f"{value:,.4g}" \
                if isinstance(value, float) and value < 1 else f"{value:,}"
            lines.append(f"{name:<24}{shown:>12}  {verdict(name, value):<18}{label}")
    return "\n".join(lines)


def write_results(report: Report, path: Path = RESULTS) -> None:
    earlier: dict[str, Any] = {}
    if path.exists():
        try:
            earlier = json.loads(path.read_text(encoding="utf-8")).get("backends", {})
        except (OSError, ValueError):
            earlier = {}
    result = {
        "python": platform.python_version(), "machine": platform.machine(),
        "cpus": os.cpu_count(), "targets": {k: f"{s} {t:g}" for k, (s, t) in TARGETS.items()},
        "backends": {**earlier, report.backend: {
            "date": dt.date.today().isoformat(),  # noqa: DTZ011
            **report.values, "runs": report.runs, "notes": report.notes}},
    }
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
