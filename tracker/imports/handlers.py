"""The five kinds' rules: how a row becomes a record, which record it is, and how records are
written in bulk.

Every kind goes the same way:

1. `parse` each row on its own: the form's pydantic schema, the incubator, cycle and
   municipality looked up in small in-memory tables, programme dates;
2. `resolve` all rows together with a few set-based queries (registration numbers to ids,
   existing records by their natural key, permissions), deciding for each row whether it
   creates, updates or leaves a record unchanged;
3. `write` the creates and updates with Core executemany statements in batches.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from operator import itemgetter
from types import SimpleNamespace
from typing import Annotated, Any, ClassVar, TypeVar, cast

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError
from sqlalchemy import (
    ARRAY,
    JSON,
    ColumnElement,
    Date,
    DateTime,
    Numeric,
    String,
    Table,
    any_,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import QueryableAttribute, Session

from db import data_version
from db.enums import (
    ActivityFormat,
    ActivityStatus,
    ActivityType,
    AssessmentKind,
    CapacityArea,
    LegalForm,
    MilestoneKind,
    Role,
)
from db.models import (
    Activity,
    ActivityArea,
    Assessment,
    AssessmentScore,
    Cohort,
    Enrollment,
    Incubator,
    Milestone,
    Municipality,
    Organization,
    Participation,
    Program,
    utcnow,
)
from db.search import name_key, search_key
from tracker.auth import Actor
from tracker.errors import ValidationFailed
from tracker.i18n import label
from tracker.imports.kinds import AREA_COLUMNS, columns
from tracker.imports.report import RowProblem
from tracker.schemas import (
    ActivityCreate,
    AssessmentCreate,
    MilestoneCreate,
    OrganizationCreate,
    ParticipationIn,
    validate_reg_no,
)
from tracker.services import review
from tracker.services.assessments import capacity_index

BATCH = 5_000  # rows per executemany, ids per IN (...) list
_AUTHOR_STATUSES = frozenset({ActivityStatus.DRAFT.value, ActivityStatus.SUBMITTED.value})
_COHORT = re.compile(r"^\s*([A-Za-z_]+)\s*[-/ ]\s*(\d{1,3})\s*$")
_ID_REF = re.compile(r"^#(\d{1,12})$")  # exported for activities that have no ref of their own
_LIST_SPLIT = re.compile(r"[;|]")
# exports.neutralise puts an apostrophe before text a spreadsheet could run as a formula;
# records add one more before text that already starts with apostrophes and such a character,
# so taking one apostrophe off such text gives back exactly what was exported.
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")
_NEEDS_ESCAPE = re.compile(r"^'*[=+\-@\t\r]")

E = TypeVar("E", bound=StrEnum)
M = TypeVar("M", bound=BaseModel)


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


def unescape(text: str) -> str:
    """A cell as it was before export neutralised it (one apostrophe off, see above)."""
    return text[1:] if _ESCAPED.match(text) else text


def escape(text: str) -> str:
    """Text as exported: never read as a formula, and unescape() gives it back exactly."""
    return "'" + text if _NEEDS_ESCAPE.match(text) else text


def one_of(column: ColumnElement[Any] | QueryableAttribute[Any], values: Iterable[Any],
           dialect: str) -> ColumnElement[bool]:
    """`column IN values` as one statement with one parameter however many values there are:
    a JSON array unpacked by json_each on SQLite, an array compared with ANY on PostgreSQL (an
    expanding IN list would be compiled value by value, and split in chunks)."""
    listed = list(values)
    if isinstance(column, QueryableAttribute):
        column = column.expression
    if dialect == "sqlite":
        table = func.json_each(bindparam(None, json.dumps(listed), type_=String)) \
            .table_valued("value")
        return column.in_(select(table.c.value))
    if dialect == "postgresql":
        return column == any_(bindparam(None, listed, type_=ARRAY(column.type)))
    return column.in_(listed)  # pragma: no cover - the two supported databases are above


def chunks(values: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


_ENUM_LOOKUPS: dict[type[StrEnum], dict[str, str]] = {}


def enum_value(enum: type[E], text: str) -> str:
    """The stored code for a code, a Latvian or an English label (case and diacritics
    ignored); anything else comes back as it is, for the schema to refuse by name."""
    lookup = _ENUM_LOOKUPS.get(enum)
    if lookup is not None and text in lookup:
        return lookup[text]
    if lookup is None:
        lookup = {}
        for member in enum:
            for name in (member.value, label(member, "lv"), label(member, "en")):
                lookup.setdefault(search_key(name), member.value)
        _ENUM_LOOKUPS[enum] = lookup
    return lookup.get(search_key(text), text)


def split_list(text: str) -> list[str]:
    return [part.strip() for part in _LIST_SPLIT.split(text) if part.strip()]


def atvk(text: str) -> str:
    """An ATVK code; Excel drops leading zeros of a number typed as 54000."""
    return text.zfill(7) if text.isdigit() and 4 <= len(text) < 7 else text


_INVALID = object()
_REPEATING = (Date, DateTime, Numeric)  # column types whose bound values are memoised


class FieldCache:
    """A schema's validation one field at a time, remembered per distinct value.

    A file of 100,000 activities has a few hundred distinct dates, hours, types and places:
    validating each once and the free text (titles, references) on its own with the field's
    type is several times faster than the whole schema per row. It holds because these
    schemas check each field on its own (no model validators; `participations`, whose
    validator reads other fields, is never in an import payload). Whenever anything is
    unusual or a value is refused, `validate` returns None and the caller validates the row
    with the whole schema, so every problem is reported exactly as the form reports it.
    """

    def __init__(self, model: type[M], base: dict[str, Any], free: Iterable[str] = ()) -> None:
        self.model: type[BaseModel] = model
        self.base = base  # a valid payload of the required fields
        fields = model.model_fields
        config = ConfigDict(str_strip_whitespace=bool(
            model.model_config.get("str_strip_whitespace")))
        # free text: unique per row, so checked with the field's own type (no class
        # validators may apply to such a field)
        self.free: dict[str, TypeAdapter[Any]] = {
            name: TypeAdapter(cast(Any, Annotated[fields[name].annotation,
                                                  *fields[name].metadata]
                                        if fields[name].metadata else fields[name].annotation),
                              config=config)
            for name in free}
        defaults = model.model_validate(base)
        self.defaults = {name: getattr(defaults, name) for name in fields if name not in base}
        self.cache: dict[tuple[str, Any], Any] = {}
        self.whole: dict[tuple[Any, ...], Any] = {}

    def validate(self, payload: dict[str, Any]) -> BaseModel | None:
        if not self.free:  # a few fields of few values: remember whole payloads
            try:
                key = tuple(payload.items())
                known = self.whole.get(key, _INVALID)
            except TypeError:
                return self._validate(payload)
            if known is _INVALID:
                known = self.whole[key] = self._validate(payload)
            return cast(BaseModel | None, known)
        return self._validate(payload)

    def _validate(self, payload: dict[str, Any]) -> BaseModel | None:
        values = dict(self.defaults)
        for name, value in payload.items():
            adapter = self.free.get(name)
            if adapter is not None:
                if not isinstance(value, str) or not value.strip():
                    return None
                try:
                    values[name] = adapter.validate_python(value)
                except ValidationError:
                    return None
                continue
            key = (name, tuple(value) if isinstance(value, list) else value)
            try:
                found = self.cache.get(key, None)
            except TypeError:  # pragma: no cover - an unhashable value
                return None
            if found is None:
                if name not in self.model.model_fields:
                    return None
                try:
                    found = getattr(self.model.model_validate(self.base | {name: value}), name)
                except ValidationError:
                    found = _INVALID
                self.cache[key] = found
            if found is _INVALID:
                return None
            values[name] = found
        for name in self.base:
            if name not in payload:
                return None  # a required field missing: the schema names it
        return SimpleNamespace(**values)  # type: ignore[return-value]  # read like the model


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
        """Whether `day` lies in a closed quarter of the incubator (review.check_open)."""
        if self._closed is None:
            self._closed = review.closed_quarters(self.session)
        return (incubator_id, *review.quarter_of(day)) in self._closed

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
        match = _COHORT.match(text)
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
    # file column -> record field, for the columns that may change an existing record
    updatable: ClassVar[dict[str, str]] = {}

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.required_columns = [c.name for c in columns(self.kind) if c.required]

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


# Organisations ---------------------------------------------------------------------------------

class Organizations(Handler):
    kind = "organizations"
    updatable: ClassVar[dict[str, str]] = {
        "name": "name", "legal_form": "legal_form", "municipality_atvk": "municipality_id",
        "fields_of_activity": "fields_of_activity", "founded_on": "founded_on",
        "members": "members", "volunteers": "volunteers", "employees": "employees",
        "contact_name": "contact_name", "contact_email": "contact_email",
        "contact_phone": "contact_phone"}

    def parse(self, row: Row) -> None:
        ctx = self.ctx
        ctx.required(row, self.required_columns)
        payload: dict[str, Any] = {}
        for name in ("reg_no", "name", "founded_on", "members", "volunteers", "employees",
                     "contact_name", "contact_email", "contact_phone"):
            if row.cells.get(name):
                payload[name] = row.cells[name]
        if row.cells.get("legal_form"):
            payload["legal_form"] = enum_value(LegalForm, row.cells["legal_form"])
        if row.cells.get("municipality_atvk"):
            payload["municipality_atvk"] = atvk(row.cells["municipality_atvk"])
        if row.cells.get("fields_of_activity"):
            payload["fields_of_activity"] = split_list(row.cells["fields_of_activity"])
        data = ctx.validate(row, OrganizationCreate, payload, {"reg_no": "reg_no"} | {
            f: c for c, f in {**self.updatable, "municipality_atvk": "municipality_atvk"}
            .items()})
        if data is None or row.problems:
            return
        place = ctx.municipality(row, "municipality_atvk", data.municipality_atvk)
        if row.problems:
            return
        row.key = (data.reg_no,)
        row.item = {
            "reg_no": data.reg_no, "name": data.name, "legal_form": data.legal_form.value,
            "municipality_id": place, "fields_of_activity": list(data.fields_of_activity),
            "founded_on": data.founded_on, "members": data.members,
            "volunteers": data.volunteers, "employees": data.employees,
            "contact_name": data.contact_name, "contact_email": data.contact_email,
            "contact_phone": data.contact_phone}

    def resolve(self, rows: list[Row]) -> None:
        ctx, table = self.ctx, _table(Organization)
        fields = list(self.updatable.values())
        existing: dict[str, dict[str, Any]] = {}
        for part in chunks(sorted({r.item["reg_no"] for r in rows if r.item})):
            for rec in ctx.session.execute(
                    select(table.c.id, table.c.reg_no, table.c.deleted_at,
                           *(table.c[f] for f in fields))
                    .where(table.c.reg_no.in_(part))).mappings():
                existing[rec["reg_no"]] = dict(rec)
        for row in rows:
            assert row.item is not None
            found = existing.get(row.item["reg_no"])
            if found is not None and found["deleted_at"] is not None:
                ctx.problem(row, "reg_no", "import_deleted")
                continue
            if found is not None:
                found = found | {"fields_of_activity": list(found["fields_of_activity"] or [])}
            self.classify(row, found)
        if not ctx.is_manager:
            self._staff_may_edit([r for r in rows if r.action == "update"])

    def _staff_may_edit(self, rows: list[Row]) -> None:
        """Staff change organisations their incubator works with, or nobody works with yet
        (as the organisation form allows)."""
        ctx = self.ctx
        ids = sorted({r.existing_id for r in rows if r.existing_id is not None})
        ours: set[int] = set()
        anyone: set[int] = set()
        for part in chunks(ids):
            for org_id, inc_id in ctx.session.execute(
                    select(Enrollment.organization_id, Cohort.incubator_id)
                    .join(Cohort, Cohort.id == Enrollment.cohort_id)
                    .where(Enrollment.organization_id.in_(part)).distinct()
                    .union(select(Participation.organization_id, Activity.incubator_id)
                           .join(Activity, Activity.id == Participation.activity_id)
                           .where(Participation.organization_id.in_(part)))):
                anyone.add(org_id)
                if inc_id == ctx.actor.incubator_id:
                    ours.add(org_id)
        for row in rows:
            if row.existing_id in anyone and row.existing_id not in ours:
                ctx.problem(row, "reg_no", "import_not_your_organization")

    def write(self, rows: list[Row]) -> None:
        ctx, table = self.ctx, _table(Organization)
        creates = [r.item | {"name_search": name_key(r.item["name"]), "version": 1,
                             "created_at": ctx.now, "updated_at": ctx.now}
                   for r in rows if r.action == "create" and r.item]
        ctx.insert(table, creates)
        updates = []
        for r in rows:
            if r.action == "update":
                change = dict(r.changes)
                if "name" in change:
                    change["name_search"] = name_key(change["name"])
                updates.append({"_id": r.existing_id, **change})
        ctx.update(table, updates, versioned=True)


# Activities ------------------------------------------------------------------------------------

class Activities(Handler):
    kind = "activities"
    updatable: ClassVar[dict[str, str]] = {
        "type": "type", "title": "title", "date": "activity_date", "hours": "hours",
        "format": "format", "municipality_atvk": "municipality_id",
        "capacity_areas": "areas", "total_participants": "total_participants",
        "next_steps": "next_steps", "status": "status", "cohort": "cohort_id"}
    schema_fields: ClassVar[dict[str, str]] = {
        "type": "type", "title": "title", "activity_date": "date", "hours": "hours",
        "format": "format", "municipality_atvk": "municipality_atvk",
        "capacity_areas": "capacity_areas", "total_participants": "total_participants",
        "next_steps": "next_steps", "status": "status", "cohort_id": "cohort",
        "external_ref": "ref", "incubator_id": "incubator"}

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.cache = FieldCache(ActivityCreate, {
            "incubator_id": 1, "type": ActivityType.TRAINING.value, "title": "Title",
            "activity_date": "2025-01-01", "hours": "1", "total_participants": 0},
            free=("title", "external_ref", "next_steps"))

    def parse(self, row: Row) -> None:
        ctx, cells = self.ctx, row.cells
        ctx.required(row, self.required_columns)
        incubator_id = ctx.incubator(row, "incubator")
        cohort_id = ctx.cohort(row, "cohort", incubator_id)
        payload: dict[str, Any] = {"incubator_id": incubator_id or 1,
                                   "external_ref": cells.get("ref", "")}
        for column, name in (("title", "title"), ("date", "activity_date"), ("hours", "hours"),
                             ("total_participants", "total_participants"),
                             ("next_steps", "next_steps")):
            if cells.get(column):
                payload[name] = cells[column]
        if cells.get("municipality_atvk"):
            payload["municipality_atvk"] = atvk(cells["municipality_atvk"])
        for column, enum in (("type", ActivityType), ("format", ActivityFormat),
                             ("status", ActivityStatus)):
            if cells.get(column):
                payload[column] = enum_value(enum, cells[column])
        if "status" not in payload:  # submitted, or drafts when the importer chose so
            payload["status"] = ActivityStatus.DRAFT.value if ctx.as_drafts \
                else ActivityStatus.SUBMITTED.value
        if cells.get("capacity_areas"):
            payload["capacity_areas"] = [enum_value(CapacityArea, a)
                                         for a in split_list(cells["capacity_areas"])]
        if cohort_id is not None:
            payload["cohort_id"] = cohort_id
        data = ctx.validate(row, ActivityCreate, payload, self.schema_fields, self.cache)
        if data is None or row.problems or incubator_id is None:
            return
        ctx.in_programme(row, "date", data.activity_date, incubator_id)
        place = ctx.municipality(row, "municipality_atvk", data.municipality_atvk,
                                 data.activity_date)
        if row.problems:
            return
        ref = data.external_ref or ""
        row.key = (incubator_id, ref)
        row.item = {
            "incubator_id": incubator_id, "external_ref": ref, "type": data.type.value,
            "title": data.title, "activity_date": data.activity_date, "hours": data.hours,
            "format": data.format.value, "municipality_id": place, "cohort_id": data.cohort_id,
            "total_participants": data.total_participants, "next_steps": data.next_steps,
            "status": data.status.value, "areas": tuple(a.value for a in data.capacity_areas)}

    def resolve(self, rows: list[Row]) -> None:
        ctx = self.ctx
        found = find_activities(ctx, {(r.item["incubator_id"], r.item["external_ref"])
                                      for r in rows if r.item}, details=True)
        attendees = attendee_sums(ctx, [a["id"] for a in found.values()
                                        if a["deleted_at"] is None])
        for row in rows:
            assert row.item is not None
            existing = found.get((row.item["incubator_id"], row.item["external_ref"]))
            if existing is not None and existing["deleted_at"] is not None:
                ctx.problem(row, "ref", "import_deleted")
                continue
            if existing is not None and "total_participants" in row.cells:
                booked = attendees.get(existing["id"], 0)
                if row.item["total_participants"] < booked:
                    ctx.problem(row, "total_participants", "attendees_exceed_total",
                                attendees=booked, total=row.item["total_participants"])
                    continue
            status = row.item["status"]
            if ctx.actor.role is not Role.ADMIN and status not in _AUTHOR_STATUSES and (
                    existing is None or existing["status"] != status):
                ctx.problem(row, "status", "import_status_not_allowed")
                continue
            if ctx.closed(row.item["incubator_id"], row.item["activity_date"]) and (
                    existing is None or existing["activity_date"] != row.item["activity_date"]):
                year, quarter = review.quarter_of(row.item["activity_date"])
                ctx.problem(row, "date", "not_allowed.quarter_closed",
                            quarter=review.quarter_label(year, quarter))
                continue
            self.classify(row, existing)
            if row.action == "update" and existing is not None and ctx.refused(
                    row, "ref", existing):
                row.action = None

    def write(self, rows: list[Row]) -> None:
        ctx, table = self.ctx, _table(Activity)
        creates = [r for r in rows if r.action == "create" and r.item]
        ids = ctx.new_ids(table, len(creates))
        common = {"author_id": ctx.actor.user_id, "review_comment": None, "deleted_at": None,
                  "version": 1, "created_at": ctx.now, "updated_at": ctx.now}
        ctx.insert(table, [
            {"id": new_id, **{k: v for k, v in r.item.items() if k != "areas"}, **common}
            for r, new_id in zip(creates, ids, strict=True) if r.item])
        areas = [{"activity_id": new_id, "area": a}
                 for r, new_id in zip(creates, ids, strict=True) if r.item
                 for a in r.item["areas"]]
        updates = [r for r in rows if r.action == "update"]
        changed_areas = [r for r in updates if "areas" in r.changes]
        if changed_areas:
            ctx.session.execute(delete(_table(ActivityArea)).where(ctx.one_of(
                _table(ActivityArea).c.activity_id, [r.existing_id for r in changed_areas])))
        areas += [{"activity_id": r.existing_id, "area": a}
                  for r in changed_areas for a in r.changes["areas"]]
        ctx.insert(_table(ActivityArea), areas)
        ctx.update(table, [{"_id": r.existing_id, **{k: v for k, v in r.changes.items()
                                                    if k != "areas"}} for r in updates],
                   versioned=True)


def find_activities(ctx: Context, keys: Iterable[tuple[Any, ...]], *, details: bool = False
                    ) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Activities by (incubator id, ref), deleted ones included. A ref #123 that no activity
    carries is activity 123 of that incubator when it has no ref (exports write it so)."""
    table = _table(Activity)
    by_incubator: dict[int, list[str]] = defaultdict(list)
    for inc_id, ref in keys:
        by_incubator[inc_id].append(ref)
    cols = [table.c.id, table.c.incubator_id, table.c.external_ref, table.c.deleted_at,
            table.c.total_participants, table.c.status, table.c.author_id,
            table.c.activity_date]
    if details:
        cols += [table.c.type, table.c.title, table.c.hours,
                 table.c.format, table.c.municipality_id, table.c.cohort_id,
                 table.c.next_steps]
    names = [c.name for c in cols]
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    for inc_id, refs in by_incubator.items():
        for rec in ctx.session.execute(select(*cols).where(
                table.c.incubator_id == inc_id,
                ctx.one_of(table.c.external_ref, set(refs)))).all():
            found[(inc_id, rec[2])] = dict(zip(names, rec, strict=True))
        by_id = {int(m.group(1)): ref for ref in refs
                 if ref[:1] == "#" and (inc_id, ref) not in found
                 for m in [_ID_REF.match(ref)] if m}
        if by_id:
            for rec in ctx.session.execute(select(*cols).where(
                    table.c.incubator_id == inc_id, ctx.one_of(table.c.id, by_id),
                    table.c.external_ref.is_(None))).all():
                found[(inc_id, by_id[rec[0]])] = dict(zip(names, rec, strict=True))
    if details and found:
        areas: dict[int, list[str]] = defaultdict(list)
        for activity_id, area in ctx.session.execute(
                select(ActivityArea.activity_id, ActivityArea.area).where(ctx.one_of(
                    ActivityArea.activity_id, [a["id"] for a in found.values()]))).all():
            areas[activity_id].append(area)
        for activity in found.values():
            activity["areas"] = tuple(sorted(areas.get(activity["id"], [])))
    return found


def attendee_sums(ctx: Context, activity_ids: Sequence[int]) -> dict[int, int]:
    if not activity_ids:
        return {}
    return {k: int(v) for k, v in ctx.session.execute(
        select(Participation.activity_id, func.sum(Participation.attendees))
        .where(ctx.one_of(Participation.activity_id, activity_ids))
        .group_by(Participation.activity_id)).all()}


# Participations --------------------------------------------------------------------------------

class Participations(Handler):
    kind = "participations"
    updatable: ClassVar[dict[str, str]] = {"attendees": "attendees"}

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.cache = FieldCache(ParticipationIn, {"organization_id": 1, "attendees": 1})

    def parse(self, row: Row) -> None:
        ctx = self.ctx
        ctx.required(row, self.required_columns)
        incubator_id = ctx.incubator(row, "incubator")
        reg_no = ctx.reg_no(row, "reg_no")
        attendees = row.cells.get("attendees")
        data = ctx.validate(row, ParticipationIn, {"organization_id": 1, "attendees": attendees}
                            if attendees else {"organization_id": 1}, {"attendees": "attendees"},
                            self.cache)
        if data is None or row.problems or incubator_id is None or reg_no is None:
            return
        ref = row.cells["activity_ref"]
        row.key = (incubator_id, ref, reg_no)
        row.item = {"incubator_id": incubator_id, "ref": ref, "reg_no": reg_no,
                    "attendees": data.attendees}

    def resolve(self, rows: list[Row]) -> None:
        ctx = self.ctx
        orgs = ctx.organizations(r.item["reg_no"] for r in rows if r.item)
        activities = find_activities(ctx, {(r.item["incubator_id"], r.item["ref"])
                                           for r in rows if r.item})
        live = [a["id"] for a in activities.values() if a["deleted_at"] is None]
        existing: dict[tuple[int, int], dict[str, Any]] = {}
        if live:
            for rec in ctx.session.execute(
                    select(Participation.id, Participation.activity_id,
                           Participation.organization_id, Participation.attendees)
                    .where(ctx.one_of(Participation.activity_id, live))).mappings().all():
                existing[(rec["activity_id"], rec["organization_id"])] = dict(rec)
        pending: list[Row] = []
        # An admin loading records exported elsewhere gives approved activities their first
        # participations (activities first, then participations); once they have some, an
        # approved activity's participations never change.
        loading = ctx.actor.role is Role.ADMIN
        with_people = {activity_id for activity_id, _org in existing} if loading else set()
        for row in rows:
            item = row.item
            assert item is not None
            activity = activities.get((item["incubator_id"], item["ref"]))
            if activity is None or activity["deleted_at"] is not None:
                ctx.problem(row, "activity_ref", "import_unknown_activity")
            org_id = orgs.get(item["reg_no"])
            if org_id is None:
                ctx.problem(row, "reg_no", "unknown_organization")
            if row.problems or activity is None or org_id is None:
                continue
            activity_id = activity["id"]
            item["activity_id"], item["organization_id"] = activity_id, org_id
            item["total"] = activity["total_participants"]
            old = existing.get((activity_id, org_id)) if existing else None
            if old is None:
                row.action = "create"
            else:
                self.classify(row, old)
            first_load = loading and row.action == "create" \
                and activity["status"] == ActivityStatus.APPROVED.value \
                and activity_id not in with_people \
                and not ctx.closed(activity["incubator_id"], activity["activity_date"])
            if row.action != "unchanged" and not first_load \
                    and ctx.refused(row, "activity_ref", activity):
                row.action = None
                continue
            pending.append(row)
        # the attendees of an activity, its old ones and the file's, within its total
        totals: dict[int, int] = defaultdict(int)
        for (activity_id, _org), booked in existing.items():
            totals[activity_id] += booked["attendees"]
        by_activity: dict[int, list[Row]] = defaultdict(list)
        for row in pending:
            item = row.item
            assert item is not None
            activity_id = item["activity_id"]
            old = existing.get((activity_id, item["organization_id"])) if existing else None
            totals[activity_id] += item["attendees"] - (old["attendees"] if old else 0)
            by_activity[activity_id].append(row)
        for activity_id, group in by_activity.items():
            total = group[0].item["total"] if group[0].item else 0
            if totals[activity_id] > total:
                for row in group:
                    ctx.problem(row, "attendees", "attendees_exceed_total",
                                attendees=totals[activity_id], total=total)
                    row.action = None

    def write(self, rows: list[Row]) -> None:
        ctx = self.ctx
        ctx.insert(_table(Participation), [
            {"activity_id": r.item["activity_id"], "organization_id": r.item["organization_id"],
             "attendees": r.item["attendees"]} for r in rows if r.action == "create" and r.item])
        ctx.update(_table(Participation), [{"_id": r.existing_id, **r.changes}
                                             for r in rows if r.action == "update"],
                   versioned=False)
        # an activity whose participants changed is a changed activity: a form open on an
        # older copy must not save over the import
        touched = sorted({r.item["activity_id"] for r in rows
                          if r.action in ("create", "update") and r.item})
        table = _table(Activity)
        if touched:
            ctx.session.execute(update(table).where(ctx.one_of(table.c.id, touched)).values(
                version=table.c.version + 1, updated_at=ctx.now))


# Assessments -----------------------------------------------------------------------------------

class Assessments(Handler):
    kind = "assessments"
    updatable: ClassVar[dict[str, str]] = {**{a: "scores" for a in AREA_COLUMNS},
                                           "notes": "notes"}

    def parse(self, row: Row) -> None:
        ctx, cells = self.ctx, row.cells
        ctx.required(row, self.required_columns)
        reg_no = ctx.reg_no(row, "reg_no")
        cohort_id = ctx.cohort(row, "cohort", None)
        payload: dict[str, Any] = {
            "organization_id": 1,
            "scores": {a: cells[a] for a in AREA_COLUMNS if cells.get(a)}}
        if cohort_id is not None:
            payload["cohort_id"] = cohort_id
        if cells.get("kind"):
            payload["kind"] = enum_value(AssessmentKind, cells["kind"])
        for name in ("assessed_on", "notes"):
            if cells.get(name):
                payload[name] = cells[name]
        data = ctx.validate(row, AssessmentCreate, payload, {
            "kind": "kind", "assessed_on": "assessed_on", "notes": "notes",
            "cohort_id": "cohort", **{a: a for a in AREA_COLUMNS}})
        if data is None or row.problems or reg_no is None:
            return
        incubator_id = ctx.cohort_incubator.get(cohort_id) if cohort_id else None
        ctx.in_programme(row, "assessed_on", data.assessed_on, incubator_id)
        if row.problems:
            return
        scores = {a.value: s for a, s in data.scores.items()}
        row.key = (reg_no, cohort_id, data.kind.value, data.assessed_on)
        row.item = {"reg_no": reg_no, "cohort_id": cohort_id, "kind": data.kind.value,
                    "assessed_on": data.assessed_on, "notes": data.notes, "scores": scores,
                    "capacity_index": capacity_index(scores), "incubator_id": incubator_id}

    def resolve(self, rows: list[Row]) -> None:
        ctx, table = self.ctx, _table(Assessment)
        orgs = ctx.organizations(r.item["reg_no"] for r in rows if r.item)
        ids = sorted(set(orgs.values()))
        existing: dict[tuple[Any, ...], dict[str, Any]] = {}
        for part in chunks(ids):
            for rec in ctx.session.execute(
                    select(table.c.id, table.c.organization_id, table.c.cohort_id, table.c.kind,
                           table.c.assessed_on, table.c.notes)
                    .where(table.c.organization_id.in_(part), table.c.deleted_at.is_(None))
                    .order_by(table.c.id)).mappings():
                key = (rec["organization_id"], rec["cohort_id"], rec["kind"], rec["assessed_on"])
                existing.setdefault(key, dict(rec) | {"scores": {}})
        by_id = {rec["id"]: rec for rec in existing.values()}
        for part in chunks(sorted(by_id)):
            for assessment_id, area, score in ctx.session.execute(
                    select(AssessmentScore.assessment_id, AssessmentScore.area,
                           AssessmentScore.score)
                    .where(AssessmentScore.assessment_id.in_(part))):
                by_id[assessment_id]["scores"][area] = score
        enrolled = self._enrolled_with_actor(ids)
        for row in rows:
            assert row.item is not None
            org_id = orgs.get(row.item["reg_no"])
            if org_id is None:
                ctx.problem(row, "reg_no", "unknown_organization")
                continue
            if not ctx.is_manager and row.item["cohort_id"] is None \
                    and org_id not in enrolled:
                ctx.problem(row, "reg_no", "import_not_your_organization")
                continue
            row.item["organization_id"] = org_id
            key = (org_id, *(row.key[1:] if row.key else ()))
            self.classify(row, existing.get(key))
            # an assessment in a cycle counts for its incubator's quarter
            incubator_id = ctx.cohort_incubator.get(row.item["cohort_id"] or 0)
            if row.action in ("create", "update") and incubator_id is not None \
                    and ctx.closed(incubator_id, row.item["assessed_on"]):
                year, quarter = review.quarter_of(row.item["assessed_on"])
                ctx.problem(row, "assessed_on", "not_allowed.quarter_closed",
                            quarter=review.quarter_label(year, quarter))
                row.action = None

    def _enrolled_with_actor(self, org_ids: list[int]) -> set[int]:
        ctx = self.ctx
        if ctx.actor.is_manager:
            return set()
        found: set[int] = set()
        for part in chunks(org_ids):
            found.update(ctx.session.scalars(
                select(Enrollment.organization_id).join(Cohort, Cohort.id == Enrollment.cohort_id)
                .where(Enrollment.organization_id.in_(part),
                       Cohort.incubator_id == ctx.actor.incubator_id)))
        return found

    def write(self, rows: list[Row]) -> None:
        ctx, table = self.ctx, _table(Assessment)
        creates = [r for r in rows if r.action == "create" and r.item]
        scores: list[dict[str, Any]] = []
        for part in chunks(creates):
            result = ctx.session.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True),
                [{"organization_id": r.item["organization_id"],
                  "cohort_id": r.item["cohort_id"], "kind": r.item["kind"],
                  "assessed_on": r.item["assessed_on"],
                  "capacity_index": r.item["capacity_index"], "notes": r.item["notes"],
                  "assessor_id": ctx.actor.user_id, "deleted_at": None, "version": 1,
                  "created_at": ctx.now, "updated_at": ctx.now} for r in part if r.item])
            for r, new_id in zip(part, result.scalars(), strict=True):
                scores += [{"assessment_id": new_id, "area": a, "score": s}
                           for a, s in sorted((r.item or {})["scores"].items())]
            ctx.tick()
        updates = [r for r in rows if r.action == "update" and r.item]
        rescored = [r for r in updates if "scores" in r.changes]
        for part in chunks([r.existing_id for r in rescored]):
            ctx.session.execute(delete(_table(AssessmentScore)).where(
                _table(AssessmentScore).c.assessment_id.in_(part)))
        scores += [{"assessment_id": r.existing_id, "area": a, "score": s}
                   for r in rescored for a, s in sorted(r.changes["scores"].items())]
        ctx.insert(_table(AssessmentScore), scores)
        ctx.update(table, [
            {"_id": r.existing_id, **{k: v for k, v in r.changes.items() if k != "scores"},
             **({"capacity_index": r.item["capacity_index"]} if "scores" in r.changes
                else {})}
            for r in updates if r.item], versioned=True)


# Milestones ------------------------------------------------------------------------------------

class Milestones(Handler):
    kind = "milestones"
    updatable: ClassVar[dict[str, str]] = {
        "incubator": "incubator_id", "amount_eur": "amount_eur", "description": "description"}

    def fields_present(self) -> list[str]:
        present = super().fields_present()
        if not self.ctx.actor.is_manager and "incubator_id" not in present:
            present.append("incubator_id")  # staff: a blank incubator means their own
        return present

    def parse(self, row: Row) -> None:
        ctx, cells = self.ctx, row.cells
        ctx.required(row, self.required_columns)
        reg_no = ctx.reg_no(row, "reg_no")
        incubator_id = ctx.incubator(row, "incubator", own_if_blank=True)
        payload: dict[str, Any] = {"organization_id": 1}
        if incubator_id is not None:
            payload["incubator_id"] = incubator_id
        if cells.get("kind"):
            payload["kind"] = enum_value(MilestoneKind, cells["kind"])
        for name in ("achieved_on", "amount_eur", "reference", "description"):
            if cells.get(name):
                payload[name] = cells[name]
        data = ctx.validate(row, MilestoneCreate, payload, {
            "incubator_id": "incubator", "kind": "kind", "achieved_on": "achieved_on",
            "amount_eur": "amount_eur", "reference": "reference",
            "description": "description"})
        if data is None or row.problems or reg_no is None:
            return
        ctx.in_programme(row, "achieved_on", data.achieved_on, incubator_id)
        if row.problems:
            return
        row.key = (reg_no, data.kind.value, data.achieved_on, data.reference)
        row.item = {"reg_no": reg_no, "incubator_id": incubator_id, "kind": data.kind.value,
                    "achieved_on": data.achieved_on, "amount_eur": data.amount_eur,
                    "reference": data.reference, "description": data.description}

    def resolve(self, rows: list[Row]) -> None:
        ctx, table = self.ctx, _table(Milestone)
        orgs = ctx.organizations(r.item["reg_no"] for r in rows if r.item)
        existing: dict[tuple[Any, ...], dict[str, Any]] = {}
        for part in chunks(sorted(set(orgs.values()))):
            for rec in ctx.session.execute(
                    select(table.c.id, table.c.organization_id, table.c.kind,
                           table.c.achieved_on, table.c.reference, table.c.incubator_id,
                           table.c.amount_eur, table.c.description)
                    .where(table.c.organization_id.in_(part), table.c.deleted_at.is_(None))
                    .order_by(table.c.id)).mappings():
                key = (rec["organization_id"], rec["kind"], rec["achieved_on"],
                       rec["reference"])
                existing.setdefault(key, dict(rec))
        for row in rows:
            assert row.item is not None and row.key is not None
            org_id = orgs.get(row.item["reg_no"])
            if org_id is None:
                ctx.problem(row, "reg_no", "unknown_organization")
                continue
            row.item["organization_id"] = org_id
            found = existing.get((org_id, *row.key[1:]))
            if found is not None and not ctx.is_manager \
                    and found["incubator_id"] != ctx.actor.incubator_id:
                ctx.problem(row, "incubator", "import_other_incubator",
                            own=ctx.incubator_by_id[ctx.actor.incubator_id or 0].code
                            if ctx.actor.incubator_id in ctx.incubator_by_id else "")
                continue
            self.classify(row, found)
            # a milestone counts for its incubator's quarter: a closed one takes no change
            frozen = [(i, row.item["achieved_on"]) for i in {
                row.item.get("incubator_id"), found["incubator_id"] if found else None}
                if i is not None and ctx.closed(i, row.item["achieved_on"])]
            if row.action in ("create", "update") and frozen:
                year, quarter = review.quarter_of(frozen[0][1])
                ctx.problem(row, "achieved_on", "not_allowed.quarter_closed",
                            quarter=review.quarter_label(year, quarter))
                row.action = None

    def write(self, rows: list[Row]) -> None:
        ctx = self.ctx
        ctx.insert(_table(Milestone), [
            {k: v for k, v in r.item.items() if k != "reg_no"}
            | {"recorded_by_id": ctx.actor.user_id, "deleted_at": None, "version": 1,
               "created_at": ctx.now, "updated_at": ctx.now}
            for r in rows if r.action == "create" and r.item])
        ctx.update(_table(Milestone), [{"_id": r.existing_id, **r.changes}
                                         for r in rows if r.action == "update"],
                   versioned=True)


HANDLERS: dict[str, type[Handler]] = {h.kind: h for h in (
    Organizations, Activities, Participations, Assessments, Milestones)}
