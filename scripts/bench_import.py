"""Benchmark of the spreadsheet import: 100,000 activities and 300,000 participations from CSV.

    .venv/bin/python scripts/bench_import.py [--activities 100000] [--repeat 3] [--backend sqlite]

Writes the CSV files into a temporary folder, imports them through `run_import` into a fresh
SQLite database (and into a new PostgreSQL database when TRACKER_DATABASE_URL, or else
TRACKER_TEST_POSTGRES_URL as scripts/with-postgres sets it, is a PostgreSQL URL whose user may
CREATE DATABASE), each run in a new database, and also saves a 2,000-row
slice the naive way (one activity at a time through the activity service and the ORM) to
compare. Prints a table of medians and writes bench/import.json.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.models import Incubator, Organization
from tracker.auth import Actor
from tracker.imports.service import run_import
from tracker.refdata import init_database
from tracker.schemas import ActivityCreate, legal_entity_reg_nos
from tracker.services.activities import log_activity

ROOT = Path(__file__).resolve().parent.parent
INCUBATORS = ("KURZEME", "LATGALE", "VIDZEME", "ZEMGALE")
TYPES = ("consultation", "mentoring", "training", "workshop", "think_tank", "networking")
PLACES = ("0054000", "0002000", "0003000", "0001000")
AREAS = ("finance", "strategy; people", "communication|advocacy", "")
ADMIN = Actor.system()


def write_files(folder: Path, activities: int, organizations: int, per_activity: int,
                seed: int = 2025) -> dict[str, Path]:
    rng = random.Random(seed)
    numbers = legal_entity_reg_nos("40008")
    reg_nos = [next(numbers) for _ in range(organizations)]
    paths = {k: folder / f"{k}.csv" for k in ("organizations", "activities")}
    with paths["organizations"].open("w", newline="", encoding="utf-8-sig") as file:
        out = csv.writer(file, delimiter=";")
        out.writerow(["Reģistrācijas numurs", "Nosaukums", "Pašvaldības ATVK kods"])
        for n, reg_no in enumerate(reg_nos):
            out.writerow([reg_no, f"Biedrība Nr. {n}", rng.choice(PLACES)])
    first = dt.date(2025, 1, 1)
    part_rows: list[list[Any]] = []
    with paths["activities"].open("w", newline="", encoding="utf-8-sig") as acts:
        a = csv.writer(acts, delimiter=";")
        a.writerow(["ref", "incubator", "type", "title", "date", "hours", "format",
                    "municipality_atvk", "capacity_areas", "total_participants", "status"])
        for n in range(activities):
            ref, inc = f"B{n:06d}", INCUBATORS[n % 4]
            who = rng.sample(reg_nos, per_activity)
            attendees = [rng.randint(1, 3) for _ in who]
            day = first + dt.timedelta(days=rng.randrange(540))
            a.writerow([ref, inc, rng.choice(TYPES), f"Apmācība Nr. {n}",
                        day.strftime("%d.%m.%Y"), rng.choice(("2", "1,5", "3")), "in_person",
                        rng.choice(PLACES), rng.choice(AREAS), sum(attendees) + 2,
                        "submitted"])
            part_rows += [[ref, inc, reg_no, count]
                          for reg_no, count in zip(who, attendees, strict=True)]
    paths["participations"] = path = folder / "participations.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as parts:
        p = csv.writer(parts, delimiter=";")
        p.writerow(["activity_ref", "incubator", "reg_no", "attendees"])
        p.writerows(part_rows)
    return paths


def _postgres_url() -> str:
    """TRACKER_DATABASE_URL when it is PostgreSQL, else the one scripts/with-postgres sets."""
    url = os.environ.get("TRACKER_DATABASE_URL", "")
    return url if url.startswith("postgresql") else os.environ.get(
        "TRACKER_TEST_POSTGRES_URL", "")


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[Engine]:
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{folder / f'bench-{uuid.uuid4().hex[:8]}.db'}")
        init_database(engine)
        try:
            yield engine
        finally:
            engine.dispose()
        return
    server = make_url(_postgres_url())
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"bench_import_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(server.set(database=name).render_as_string(hide_password=False))
    try:
        init_database(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def timed_import(engine: Engine, kind: str, path: Path) -> tuple[float, int]:
    data = path.read_bytes()
    start = time.perf_counter()
    with Session(engine) as session:
        report = run_import(session, actor=ADMIN, kind=kind, data=data, filename=path.name,
                            dry_run=False)
        session.commit()
    seconds = time.perf_counter() - start
    if report.problems or not report.written:
        raise SystemExit(f"{kind}: {report.problems[:3]}")
    return seconds, report.created


def naive(engine: Engine, paths: dict[str, Path], rows: int) -> float:
    """`rows` activities with their participations, one at a time through the service."""
    with Session(engine) as session:
        incubators = dict(session.execute(select(Incubator.code, Incubator.id)).all())
        orgs = dict(session.execute(select(Organization.reg_no, Organization.id)).all())
    with paths["activities"].open(encoding="utf-8-sig") as file:
        activities = list(csv.DictReader(file, delimiter=";"))[:rows]
    wanted = {r["ref"] for r in activities}
    people: dict[str, list[dict[str, Any]]] = {}
    for name in [k for k in paths if k.startswith("participations")]:
        with paths[name].open(encoding="utf-8-sig") as file:
            rows_in = list(csv.DictReader(file, delimiter=";"))
        for r in rows_in:
            if r["activity_ref"] in wanted:
                people.setdefault(r["activity_ref"], []).append(
                    {"organization_id": orgs[r["reg_no"]], "attendees": r["attendees"]})
    start = time.perf_counter()
    with Session(engine) as session:
        for r in activities:
            log_activity(session, actor=ADMIN, data=ActivityCreate.model_validate({
                "incubator_id": incubators[r["incubator"]], "external_ref": "N" + r["ref"],
                "type": r["type"], "title": r["title"], "activity_date": r["date"],
                "hours": r["hours"], "format": r["format"],
                "municipality_atvk": r["municipality_atvk"],
                "capacity_areas": [a.strip() for a in r["capacity_areas"].replace("|", ";")
                                   .split(";") if a.strip()],
                "total_participants": r["total_participants"],
                "participations": people.get(r["ref"], [])}))
        session.commit()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--per-activity", type=int, default=3)
    parser.add_argument("--organizations", type=int, default=5_000)
    parser.add_argument("--naive-rows", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), action="append",
                        help="only these (default: SQLite, and PostgreSQL when a URL is set); "
                             "results of the other backend in bench/import.json are kept")
    args = parser.parse_args()
    backends = args.backend or ["sqlite"] + (
        ["postgresql"] if _postgres_url().startswith("postgresql") else [])
    results: dict[str, Any] = {
        "activities": args.activities, "participations": args.activities * args.per_activity,
        "organizations": args.organizations,
        "python": platform.python_version(), "machine": platform.machine(),
        "cpus": os.cpu_count(), "date": dt.date.today().isoformat(), "backends": {}}  # noqa: DTZ011
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        paths = write_files(folder, args.activities, args.organizations, args.per_activity)
        print(f"CSV files written in {time.perf_counter() - start:.1f} s: "
              + ", ".join(f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in paths.values()),
              file=sys.stderr)
        for backend in backends:
            runs: dict[str, list[float]] = {"organizations": [], "activities": [],
                                            "participations": [], "naive": []}
            for n in range(args.repeat):
                with fresh_database(backend, folder) as engine:
                    for kind in ("organizations", "activities", "participations"):
                        seconds, created = 0.0, 0
                        for name in [k for k in paths if k.startswith(kind)]:
                            took, made = timed_import(engine, kind, paths[name])
                            seconds, created = seconds + took, created + made
                        runs[kind].append(seconds)
                        print(f"{backend} run {n + 1}: {kind} {created:,} in {seconds:.2f} s",
                              file=sys.stderr)
                    runs["naive"].append(naive(engine, paths, args.naive_rows))
                    print(f"{backend} run {n + 1}: naive {args.naive_rows:,} activities in "
                          f"{runs['naive'][-1]:.2f} s", file=sys.stderr)
            median = {k: statistics.median(v) for k, v in runs.items()}
            bulk = median["activities"] + median["participations"]
            extrapolated = median["naive"] * args.activities / args.naive_rows
            results["backends"][backend] = {
                "repeat": args.repeat, "runs": runs, "median_s": median,
                "bulk_activities_and_participations_s": round(bulk, 2),
                "naive_extrapolated_s": round(extrapolated, 1),
                "speed_up": round(extrapolated / bulk, 1) if bulk else None}
    print(f"\n{'backend':<11} {'orgs':>8} {'activities':>11} {'particip.':>10} "
          f"{'bulk total':>11} {'naive (extrapolated)':>21} {'speed-up':>9}")
    for backend, r in results["backends"].items():
        m = r["median_s"]
        print(f"{backend:<11} {m['organizations']:>7.2f}s {m['activities']:>10.2f}s "
              f"{m['participations']:>9.2f}s "
              f"{r['bulk_activities_and_participations_s']:>10.2f}s "
              f"{r['naive_extrapolated_s']:>20.1f}s {r['speed_up']:>8}x")
    print(f"(medians of {args.repeat} runs; {args.activities:,} activities, "
          f"{args.activities * args.per_activity:,} participations; naive: "
          f"{args.naive_rows:,} activities through the ORM, "
          f"times {args.activities // max(1, args.naive_rows)})")
    target = ROOT / "bench" / "import.json"
    target.parent.mkdir(exist_ok=True)
    if target.exists():
        earlier = json.loads(target.read_text(encoding="utf-8")).get("backends", {})
        results["backends"] = {**{k: v for k, v in earlier.items() if k not in backends},
                               **results["backends"]}
    target.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written {target}")


if __name__ == "__main__":
    main()
