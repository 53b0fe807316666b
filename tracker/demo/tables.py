"""The demo's way into the database: the reference rows already there, the tables it fills
(empty first), the bulk copy, small date and place helpers."""

from __future__ import annotations

import datetime as dt
import json
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Connection, Table, func, literal, select, text

from db.models import (
    Activity,
    ActivityArea,
    Assessment,
    AssessmentScore,
    Attendance,
    Base,
    Cohort,
    Document,
    DocumentMonitoring,
    Enrollment,
    Incubator,
    IndicatorEntry,
    Membership,
    Milestone,
    Municipality,
    Opinion,
    OpinionAuthor,
    OpinionEvidence,
    Organization,
    Participation,
    Person,
    Program,
    Region,
    User,
)
from tracker.demo.plan import DemoDataRefused
from tracker.demo.words import CITY_LOCATIVE, PLACES

# Helpers -------------------------------------------------------------------------------------

def ascii_text(text: str) -> str:
    """ā -> a, ķ -> k, ...: e-mail addresses stay plain ASCII."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def moment(day: dt.date, rng: random.Random) -> dt.datetime:
    """A working-hours moment on `day`, in UTC (Latvia is UTC+2/+3)."""
    return dt.datetime(day.year, day.month, day.day, rng.randint(6, 14), rng.randint(0, 59),
                       tzinfo=dt.UTC)


def between(rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
    if high <= low:
        return low
    return low + dt.timedelta(days=rng.randint(0, (high - low).days))


def weekday_between(rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
    """A day in [low, high], moved off the weekend when the range allows."""
    day = between(rng, low, high)
    while day.weekday() >= 5 and day + dt.timedelta(days=1) <= high:
        day += dt.timedelta(days=1)
    return day


def span(rng: random.Random, bounds: tuple[int, int]) -> int:
    return rng.randint(*bounds)


def locative(m: Muni) -> str:
    if m.kind == "novads":
        return m.name.removesuffix("novads") + "novadā"
    return CITY_LOCATIVE.get(m.name, m.name)


def genitive(m: Muni) -> str:
    if m.kind == "novads":
        return m.name.removesuffix("novads") + "novada"
    return PLACES.get(m.atvk, (m.name,))[0]


# What is already in the database -------------------------------------------------------------

@dataclass(frozen=True)
class Muni:
    id: int
    atvk: str
    name: str
    kind: str
    region: str
    valid_from: dt.date
    valid_to: dt.date | None

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Inc:
    id: int
    code: str
    region: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Reference:
    municipalities: tuple[Muni, ...]  # in ATVK order
    incubators: tuple[Inc, ...]  # in code order


def load_reference(conn: Connection) -> Reference:
    munis = tuple(Muni(r.id, r.atvk, r.name, r.kind, r.code, r.valid_from, r.valid_to)
                  for r in conn.execute(
                      select(Municipality.id, Municipality.atvk, Municipality.name,
                             Municipality.kind, Region.code, Municipality.valid_from,
                             Municipality.valid_to)
                      .join(Region, Region.id == Municipality.region_id)
                      .order_by(Municipality.atvk)))
    incs = tuple(Inc(r.id, r.code, r.region, r.start_date, r.end_date)
                 for r in conn.execute(
                     select(Incubator.id, Incubator.code, Region.code.label("region"),
                            Program.start_date, Program.end_date)
                     .join(Region, Region.id == Incubator.region_id)
                     .join(Program, Program.id == Incubator.program_id)
                     .order_by(Incubator.code)))
    if not munis or not incs:
        raise DemoDataRefused(
            en="the database has no reference data: run `tracker init` first",
            lv="datubāzē nav references datu: vispirms palaidiet `tracker init`")
    return Reference(munis, incs)


def table_of(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


USERS, ORGANIZATIONS, COHORTS, ENROLLMENTS = (
    table_of(m) for m in (User, Organization, Cohort, Enrollment))
ACTIVITIES, ACTIVITY_AREAS, PARTICIPATIONS = (
    table_of(m) for m in (Activity, ActivityArea, Participation))
ASSESSMENTS, ASSESSMENT_SCORES, MILESTONES, INDICATOR_ENTRIES = (
    table_of(m) for m in (Assessment, AssessmentScore, Milestone, IndicatorEntry))
PEOPLE, MEMBERSHIPS, ATTENDANCES = (table_of(m) for m in (Person, Membership, Attendance))
DOCUMENTS, DOCUMENT_MONITORING, OPINIONS, OPINION_AUTHORS, OPINION_EVIDENCE = (
    table_of(m) for m in (Document, DocumentMonitoring, Opinion, OpinionAuthor,
                          OpinionEvidence))
# Tables that must be empty; users may exist, as long as no demo account does.
DATA_TABLES = (ORGANIZATIONS, COHORTS, ENROLLMENTS, ACTIVITIES, ACTIVITY_AREAS, PARTICIPATIONS,
               ASSESSMENTS, ASSESSMENT_SCORES, MILESTONES, INDICATOR_ENTRIES, PEOPLE,
               MEMBERSHIPS, ATTENDANCES, DOCUMENTS, DOCUMENT_MONITORING, OPINIONS,
               OPINION_AUTHORS, OPINION_EVIDENCE)
ID_TABLES = (USERS, ORGANIZATIONS, COHORTS, ENROLLMENTS, ACTIVITIES, PARTICIPATIONS,
             ASSESSMENTS, MILESTONES, INDICATOR_ENTRIES, PEOPLE, ATTENDANCES, DOCUMENTS,
             DOCUMENT_MONITORING, OPINIONS)


def check_empty(conn: Connection, emails: Sequence[str]) -> None:
    busy = [t.name for t in DATA_TABLES
            if conn.scalar(select(literal(1)).select_from(t).limit(1)) is not None]
    taken = list(conn.scalars(select(User.email).where(User.email.in_(emails))
                              .order_by(User.email)))
    if busy:
        raise DemoDataRefused(
            en=f"demo data goes only into an empty database, and these tables already have "
               f"rows: {', '.join(busy)} (run `tracker init` on a new database)",
            lv=f"demonstrācijas datus var ielādēt tikai tukšā datubāzē, bet šajās tabulās jau "
               f"ir ieraksti: {', '.join(busy)} (palaidiet `tracker init` jaunai datubāzei)")
    if taken:
        raise DemoDataRefused(
            en=f"the demo accounts already exist: {', '.join(taken)}",
            lv=f"demonstrācijas konti jau ir: {', '.join(taken)}")


def can_copy(conn: Connection, table: Table, row: dict[str, Any]) -> bool:
    """COPY is several times faster than executemany on PostgreSQL (psycopg 3), but it
    skips Python-side column defaults: use it only when the rows give every such column."""
    if conn.dialect.name != "postgresql" or conn.dialect.driver != "psycopg":
        return False
    return all(c.default is None or c.name in row for c in table.columns)


def copy_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    from psycopg import sql

    columns = list(rows[0])
    # SQLAlchemy serialises JSON with json.dumps before binding; COPY must get the same text.
    as_json = [isinstance(table.c[name].type, JSON) for name in columns]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(c) for c in columns))
    raw = conn.connection.driver_connection  # the same transaction as `conn`
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c]) if j and row[c] is not None else row[c]
                            for c, j in zip(columns, as_json, strict=True)])


def analyze(conn: Connection) -> None:
    """PostgreSQL plans the rollups' recount at the end of the load from the tables'
    statistics, and the tables just filled have none: without them the recount of people
    trained took minutes instead of seconds (a quarter of the national size: 212 s, 2.6 s
    after ANALYZE). ANALYZE runs inside the load's transaction and sees its rows."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("ANALYZE " + ", ".join(t.name for t in DATA_TABLES)))


def reset_sequences(conn: Connection) -> None:
    """PostgreSQL hands out ids from sequences, which explicit ids do not advance."""
    if conn.dialect.name != "postgresql":
        return
    for table in ID_TABLES:
        top = conn.scalar(select(func.max(table.c.id)))
        if top is not None:
            conn.execute(select(func.setval(func.pg_get_serial_sequence(table.name, "id"),
                                            top)))
