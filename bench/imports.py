"""The import part of `tracker bench`: CSV files of activities and participations imported
through `run_import` into a new, empty database of the benchmark's kind (a temporary SQLite
file, or a new database on the PostgreSQL server, whose user must be allowed to CREATE
DATABASE), and the naive baseline: a slice of the same rows saved one activity at a time
through the activity service and the ORM.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


@contextmanager
def fresh_database(url: str, folder: Path) -> Iterator[Engine]:
    """A new migrated database beside `url`'s (dropped afterwards)."""
    if url.startswith("sqlite"):
        engine = make_engine(f"sqlite:///{folder / f'bench-{uuid.uuid4().hex[:8]}.db'}")
        init_database(engine)
        try:
            yield engine
        finally:
            engine.dispose()
        return
    server = make_url(url)
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


def naive(engine: Engine, paths: dict[str, Path], rows: int) -> tuple[float, int]:
    """`rows` activities with their participations, one at a time through the service:
    (seconds, activities and participations written)."""
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
    return time.perf_counter() - start, len(activities) + sum(map(len, people.values()))
