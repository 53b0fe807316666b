"""The machinery every kind shares: a row on its way, the context of one import (the session,
the actor, the small reference tables, problems, lookups and bulk writing), the handler a kind
implements, and the kind itself."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, ClassVar, TypeVar, cast

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError
from sqlalchemy import (
    JSON,
    ColumnElement,
    Date,
    DateTime,
    Numeric,
    Table,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import QueryableAttribute, Session

from db import data_version
from db.enums import ActivityStatus, Role
from db.models import Cohort, Incubator, Municipality, Organization, Program, utcnow
from tracker.auth import Actor
from tracker.errors import ValidationFailed
from tracker.exports import Cell
from tracker.imports.cells import FieldCache, chunks, one_of
from tracker.imports.report import RowProblem
from tracker.schemas import has_control_characters, validate_reg_no
from tracker.services import quarters, review

COHORT_TEXT = re.compile(r"^\s*([A-Za-z_]+)\s*[-/ ]\s*(\d{1,3})\s*$")  # VIDZEME-2
_REPEATING = (Date, DateTime, Numeric)  # column types whose bound values are memoised
M = TypeVar("M", bound=BaseModel)
# (English heading, Latvian heading, required, example), in the order files have them
Columns = tuple[tuple[str, str, bool, str], ...]


def table(text: str) -> Columns:
    """A kind's columns written as a table, one column a line, in the order files have them:
    the English heading (with ` *` when every file must have it), the Latvian heading and an
    example, separated by two or more spaces."""
    columns: list[tuple[str, str, bool, str]] = []
    for line in text.strip("\n").splitlines():
        if not line.strip():
            continue
        name, latvian, *example = re.split(r"\s{2,}", line.strip())
        required = name.endswith(" *")
        columns.append((name.removesuffix(" *"), latvian, required,
                        example[0] if example else ""))
    return tuple(columns)


def table_of(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


@dataclass(slots=True)
class Row:
    """One data row on its way: its cells, its problems, and what it becomes."""

    number: int
    cells: dict[str, str]
    problems: list[RowProblem] = field(default_factory=list)
    item: dict[str, Any] | None = None  # the record's values once the row is valid
    key: tuple[Any, ...] | None = None  # the natural key
    action: str | None = None  # create, update or unchanged
    existing_id: int | None = None
    changes: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems and self.item is not None


@dataclass(frozen=True)
class _Incubator:
    id: int
    code: str
    start: dt.date
    end: dt.date


class Context:
    """What every row of one import shares: the session, the actor, the file's headings and
    the small reference tables (incubators, cycles, municipalities), loaded once."""

    def __init__(self, session: Session, actor: Actor, headings: dict[str, str],
                 tick: Callable[[], None]) -> None:
        self.session, self.actor, self.headings, self.tick = session, actor, headings, tick
        self.dialect = session.get_bind().dialect.name
        self.is_manager = actor.is_manager
        self.as_drafts = False  # activities whose status cell is empty arrive as drafts
        self._incubator_cells: dict[str, tuple[int | None, str, dict[str, Any]]] = {}
        self.present = frozenset(headings)
        self.incubators: dict[str, _Incubator] = {}
        for inc_id, code, start, end in session.execute(
                select(Incubator.id, Incubator.code, Program.start_date, Program.end_date)
                .join(Program, Program.id == Incubator.program_id)):
            self.incubators[code.upper()] = _Incubator(inc_id, code, start, end)
        self.incubator_by_id = {i.id: i for i in self.incubators.values()}
        self.cohorts: dict[tuple[int, int], int] = {}
        self.cohort_incubator: dict[int, int] = {}
        self.cohort_number: dict[int, int] = {}
        for cohort_id, inc_id, number in session.execute(
                select(Cohort.id, Cohort.incubator_id, Cohort.number)):
            self.cohorts[(inc_id, number)] = cohort_id
            self.cohort_incubator[cohort_id] = inc_id
            self.cohort_number[cohort_id] = number
        self.municipalities = {m.atvk: (m.id, m.valid_from, m.valid_to) for m in session.execute(
            select(Municipality.atvk, Municipality.id, Municipality.valid_from,
                   Municipality.valid_to))}
        starts = [i.start for i in self.incubators.values()]
        ends = [i.end for i in self.incubators.values()]
        self.span = (min(starts), max(ends)) if starts else (dt.date.min, dt.date.max)
        self.now = utcnow()
        self._reg_nos: dict[str, tuple[str, str]] = {}
        self._bumped = False
        self._closed: set[tuple[int, int, int]] | None = None
        self._refusals: dict[int, tuple[str, dict[str, Any]] | None] = {}

    def closed(self, incubator_id: int, day: dt.date) -> bool:
        """Whether `day` lies in a closed quarter of the incubator (quarters.check_open)."""
        if self._closed is None:
            self._closed = quarters.closed_quarters(self.session)
        return (incubator_id, *quarters.quarter_of(day)) in self._closed

    def first_load(self, activity: dict[str, Any], *, filled: bool) -> bool:
        """Whether the actor may give `activity` (a find_activities record) what it has none
        of yet (`filled`: it has some) although the review rules freeze it: an administrator
        loading records exported elsewhere gives an approved activity its first
        participations, then its first attendees, while its quarter is open; once it has
        some, an approved activity's never change."""
        return self.actor.role is Role.ADMIN and not filled \
            and activity["status"] == ActivityStatus.APPROVED.value \
            and not self.closed(activity["incubator_id"], activity["activity_date"])

    def refused(self, row: Row, column: str, activity: dict[str, Any]) -> bool:
        """Note why the actor may not change `activity` (a find_activities record), if so:
        the review rules of the forms (status, author, closed quarter) hold for imports."""
        if activity["id"] not in self._refusals:  # many rows share an activity
            problem = review.refusal(
                self.actor, incubator_id=activity["incubator_id"], status=activity["status"],
                author_id=activity["author_id"], step=review.Step.EDIT,
                closed=self.closed(activity["incubator_id"], activity["activity_date"]),
                day=activity["activity_date"])
            self._refusals[activity["id"]] = None if problem is None else (
                problem.code, problem.params)
        refusal = self._refusals[activity["id"]]
        if refusal is None:
            return False
        self.problem(row, column, refusal[0], **refusal[1])
        return True

    # Problems ----------------------------------------------------------------------------------

    def problem(self, row: Row, column: str | None, code: str, **params: Any) -> None:
        """Note a problem with `column` (English name; None: the row as a whole)."""
        row.problems.append(RowProblem(
            row=row.number, column=self.headings.get(column, column) if column else None,
            value=row.cells.get(column) if column else None, code=code, params=params))

    def has_problem(self, row: Row, column: str) -> bool:
        heading = self.headings.get(column, column)
        return any(p.column == heading for p in row.problems)

    def required(self, row: Row, names: Iterable[str]) -> None:
        for name in names:
            if not row.cells.get(name):
                self.problem(row, name, "required")

    def plain(self, row: Row, names: Iterable[str]) -> None:
        """Cells used to look records up before the schema reads them (references) hold no
        control characters (PostgreSQL refuses a NUL in any text)."""
        for name in names:
            if has_control_characters(row.cells.get(name, "")):
                self.problem(row, name, "control_characters")

    def validate(self, row: Row, model: type[M], payload: dict[str, Any],
                 fields: dict[str, str], cache: FieldCache | None = None) -> M | None:
        """`payload` through the form's schema; its errors become problems of the columns
        `fields` maps the schema's fields to (one problem per column). With `cache`, a row
        whose every value it knows valid is not validated again."""
        if cache is not None:
            quick = cache.validate(payload)
            if quick is not None:
                return cast(M, quick)
        try:
            return model.model_validate(payload)
        except ValidationError as exc:
            for error in ValidationFailed.from_pydantic(exc).errors:
                parts = error.field.split(".")
                column = fields.get(error.field) or fields.get(parts[-1]) \
                    or fields.get(parts[0])
                if column is None and row.problems:
                    continue  # a consequence of a problem already named
                if column is not None and self.has_problem(row, column):
                    continue
                self.problem(row, column, error.code, **error.params)
            return None

    # Lookups -----------------------------------------------------------------------------------

    def incubator(self, row: Row, column: str, *, own_if_blank: bool = False) -> int | None:
        """The incubator the cell names (its code); staff only their own."""
        text = row.cells.get(column, "")
        if not text:
            mine: int | None = self.actor.incubator_id
            return mine if own_if_blank and not self.is_manager else None
        known = self._incubator_cells.get(text)  # few distinct cells: each looked up once
        if known is None:
            known = self._incubator_cells[text] = self._incubator(text)
        if known[1]:
            self.problem(row, column, known[1], **known[2])
        return known[0]

    def _incubator(self, text: str) -> tuple[int | None, str, dict[str, Any]]:
        found = self.incubators.get(text.strip().upper())
        if found is None:
            return None, "unknown_incubator", {}
        if not self.is_manager and found.id != self.actor.incubator_id:
            own = self.incubator_by_id.get(self.actor.incubator_id or 0)
            return None, "import_other_incubator", {"own": own.code if own else ""}
        return found.id, "", {}

    def cohort(self, row: Row, column: str, incubator_id: int | None) -> int | None:
        """A cycle written as INCUBATOR-NUMBER (e.g. VIDZEME-2), or NUMBER alone when the row
        names its incubator."""
        text = row.cells.get(column, "")
        if not text:
            return None
        match = COHORT_TEXT.match(text)
        if match:
            inc = self.incubators.get(match.group(1).upper())
            number = int(match.group(2))
            if inc is None:
                self.problem(row, column, "unknown_cohort")
                return None
            if incubator_id is not None and inc.id != incubator_id:
                self.problem(row, column, "cohort_other_incubator")
                return None
            inc_id = inc.id
        elif text.strip().isdigit() and incubator_id is not None:
            inc_id, number = incubator_id, int(text)
        else:
            self.problem(row, column, "unknown_cohort")
            return None
        cohort_id = self.cohorts.get((inc_id, number))
        if cohort_id is None:
            self.problem(row, column, "unknown_cohort")
        return cohort_id

    def cohort_text(self, cohort_id: int | None) -> str | None:
        if cohort_id is None:
            return None
        inc = self.incubator_by_id[self.cohort_incubator[cohort_id]]
        return f"{inc.code}-{self.cohort_number[cohort_id]}"

    def municipality(self, row: Row, column: str, code: str | None,
                     on: dt.date | None = None) -> int | None:
        if code is None:
            return None
        found = self.municipalities.get(code)
        if found is None:
            self.problem(row, column, "unknown_municipality")
            return None
        muni_id, valid_from, valid_to = found
        if on is not None and (on < valid_from or (valid_to is not None and on > valid_to)):
            self.problem(row, column, "municipality_not_valid")
            return None
        return int(muni_id)

    def in_programme(self, row: Row, column: str, day: dt.date, incubator_id: int | None
                     ) -> None:
        inc = self.incubator_by_id.get(incubator_id or 0)
        start, end = (inc.start, inc.end) if inc else self.span
        if not start <= day <= end:
            self.problem(row, column, "date_outside_programme", start=start, end=end)

    def reg_no(self, row: Row, column: str) -> str | None:
        """A checked registration number (each distinct one checked once per file)."""
        text = row.cells.get(column, "")
        if not text:
            return None
        known = self._reg_nos.get(text)
        if known is None:
            try:
                known = (validate_reg_no(text), "")
            except PydanticCustomError as error:
                known = ("", error.type)
            self._reg_nos[text] = known
        if known[1]:
            self.problem(row, column, known[1])
            return None
        return known[0]

    def one_of(self, column: ColumnElement[Any] | QueryableAttribute[Any], values: Iterable[Any]
               ) -> ColumnElement[bool]:
        return one_of(column, values, self.dialect)

    def organization(self, row: Row, found: dict[str, int]) -> int | None:
        """The id of the organisation the row's `reg_no` names among `found` (organizations());
        a problem of the row when there is none."""
        assert row.item is not None
        org_id = found.get(row.item["reg_no"])
        if org_id is None:
            self.problem(row, "reg_no", "unknown_organization")
        return org_id

    def organizations(self, reg_nos: Iterable[str]) -> dict[str, int]:
        """Live organisations' ids by registration number (one query)."""
        wanted = set(reg_nos)
        if not wanted:
            return {}
        return dict(self.session.execute(select(Organization.reg_no, Organization.id).where(
            self.one_of(Organization.reg_no, wanted),
            Organization.deleted_at.is_(None))).all())

    # Writing -----------------------------------------------------------------------------------

    def insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """Insert `rows` (dicts with the same keys) in batches of BATCH.

        SQLite: one executemany of plain tuples per batch, the values converted by the
        columns' own bind processors (what SQLAlchemy would do, without building and
        compiling parameters row by row); PostgreSQL with psycopg: COPY. Otherwise, or when a
        column has a Python-side default the rows do not give, Core executemany through the
        session. The raw paths raise the data version themselves.
        """
        if not rows:
            return
        names = list(rows[0])
        connection = self.session.connection()
        dialect = connection.dialect
        raw = all(c.default is None or c.name in names for c in table.columns)
        if raw and dialect.name == "sqlite":
            compiled = insert(table).compile(dialect=dialect, column_keys=names)
            order = list(compiled.positiontup or ())
            raw = sorted(order) == sorted(names)  # else a default the rows do not give
        if raw and dialect.name == "sqlite":
            names, statement = order, str(compiled)  # the statement's parameter order
            processors = [(i, p, isinstance(table.c[n].type, _REPEATING))
                          for i, n in enumerate(names)
                          if (p := table.c[n].type._cached_bind_processor(dialect)) is not None]
            self._bump()
            pick = itemgetter(*names)
            for part in chunks(rows):
                values: list[Any] = [pick(r) for r in part] if len(names) > 1 \
                    else [(pick(r),) for r in part]
                if processors:  # convert column by column
                    cols = list(zip(*values, strict=True))
                    for i, process, repeating in processors:
                        if repeating:  # dates, hours and times repeat: convert each once
                            done = {v: process(v) for v in set(cols[i]) if v is not None}
                            cols[i] = tuple(map(done.get, cols[i]))
                        else:
                            cols[i] = tuple(None if v is None else process(v) for v in cols[i])
                    values = list(zip(*cols, strict=True))
                connection.exec_driver_sql(statement, values)
                self.tick()
            return
        if raw and dialect.name == "postgresql" and dialect.driver == "psycopg":
            from psycopg import sql

            as_json = [isinstance(table.c[n].type, JSON) for n in names]
            copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(n) for n in names))
            driver = connection.connection.driver_connection  # the same transaction
            assert driver is not None
            self._bump()
            for part in chunks(rows):
                with driver.cursor() as cursor, cursor.copy(copy_sql) as copy:
                    for r in part:
                        copy.write_row([json.dumps(r[n]) if j and r[n] is not None else r[n]
                                        for n, j in zip(names, as_json, strict=True)])
                self.tick()
            return
        for part in chunks(rows):
            self.session.execute(insert(table), list(part))
            self.tick()

    def _bump(self) -> None:
        if not self._bumped:
            self._bumped = True
            data_version.bump(self.session.connection())

    def new_ids(self, table: Table, count: int) -> list[int]:
        """`count` ids for rows about to be inserted: from the sequence on PostgreSQL, after
        the largest id on SQLite (the write transaction holds the database's write lock, as
        BEGIN IMMEDIATE took it, so nobody else inserts meanwhile)."""
        if count == 0:
            return []
        connection = self.session.connection()
        if connection.dialect.name == "postgresql":
            return list(connection.scalars(select(func.nextval(
                func.pg_get_serial_sequence(table.name, "id"))).select_from(
                func.generate_series(1, count))))
        top = int(connection.scalar(select(func.max(table.c.id))) or 0)
        return list(range(top + 1, top + 1 + count))

    def update(self, table: Table, rows: list[dict[str, Any]], *, versioned: bool) -> None:
        """Rows of {"_id": id, column: value, ...}, grouped by the columns they change."""
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for r in rows:
            groups[tuple(sorted(k for k in r if k != "_id"))].append(r)
        for names, group in groups.items():
            values: dict[str, Any] = {n: bindparam(f"v_{n}") for n in names}
            if versioned:
                values |= {"version": table.c.version + 1, "updated_at": self.now}
            statement = update(table).where(table.c.id == bindparam("_id")).values(values)
            for part in chunks(group):
                self.session.execute(statement, [
                    {"_id": r["_id"], **{f"v_{n}": r[n] for n in names}} for r in part])
                self.tick()


def _changes(item: dict[str, Any], existing: dict[str, Any], fields: Iterable[str]
             ) -> dict[str, Any]:
    return {f: item[f] for f in fields if item[f] != existing[f]}


class Handler:
    """One kind: parse single rows, resolve them together, write them."""

    kind: ClassVar[str]
    columns: ClassVar[Columns]
    # file column -> record field, for the columns that may change an existing record
    updatable: ClassVar[dict[str, str]] = {}

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.required_columns = [name for name, _lv, required, _ex in self.columns if required]

    def fields_present(self) -> list[str]:
        return [f for c, f in self.updatable.items() if c in self.ctx.present]

    def cell(self, row: Row, name: str) -> str | None:
        value = row.cells.get(name, "")
        return value if value else None

    def parse(self, row: Row) -> None:
        raise NotImplementedError

    def resolve(self, rows: list[Row]) -> None:
        raise NotImplementedError

    def write(self, rows: list[Row]) -> None:
        raise NotImplementedError

    def classify(self, row: Row, existing: dict[str, Any] | None) -> None:
        if existing is None:
            row.action = "create"
            return
        row.existing_id = existing["id"]
        row.changes = _changes(row.item or {}, existing, self.fields_present())
        row.action = "update" if row.changes else "unchanged"



Export = Callable[[Session, Actor, str], list[list[Cell]]]


@dataclass(frozen=True)
class Kind:
    """A record kind: its handler (with its columns) and its export, in the import's columns.
    A kind holding people's names has `audit_entity`: each of its exports writes an audit row
    of that entity; `export_codes` is its export with the personal codes in full
    (administrators only)."""

    handler: type[Handler]
    export: Export
    audit_entity: str | None = None
    export_codes: Export | None = None

    @property
    def name(self) -> str:
        return self.handler.kind


def staff_incubator(actor: Actor) -> int | None:
    """The incubator a staff member's export is narrowed to (None: everything)."""
    return actor.incubator_id if actor.role is Role.STAFF else None


def cohort_names(session: Session) -> dict[int, str]:
    """Every cycle's id -> INCUBATOR-NUMBER, as files write it."""
    return {cohort_id: f"{code}-{number}" for cohort_id, code, number in session.execute(
        select(Cohort.id, Incubator.code, Cohort.number)
        .join(Incubator, Incubator.id == Cohort.incubator_id))}
