"""Spreadsheet imports and exports of the record kinds (the API of docs: imports_api).

`run_import` reads a CSV or Excel file (tracker/imports/files.py), checks every row with the
same schemas and rules as the forms, and writes nothing unless every row is valid (or the user
chose to import only the valid rows). Records are recognised by a natural key, so importing the
same file again changes nothing:

- organisations by registration number;
- cycles by incubator and number (INCUBATOR-NUMBER), enrolments by cycle and registration
  number;
- activities by incubator and the importer's own reference (`ref`);
- participations by the activity's reference (within the incubator) and registration number;
- assessments by registration number, cycle, kind and date;
- milestones by registration number, kind, date and reference;
- values of indicators counted by hand by indicator, incubator and date.

A known record whose values differ is updated (only the columns the file has); one whose
values are the same is left unchanged. Writing is set-based: a few queries resolve every
reference, and Core executemany statements insert and update in batches of 5,000 within the
caller's transaction. The audit log gets one summary row per import (entity "import"), not
one per record: a 100,000-row file would otherwise add 100,000 audit rows.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from operator import itemgetter, methodcaller
from typing import Any

from sqlalchemy.orm import Session

from db.engine import SQLITE_CACHE_KIB, WRITER_CACHE_KIB
from db.enums import AuditAction
from tracker import audit
from tracker.analytics import rollups
from tracker.auth import Actor, require_writer
from tracker.imports.base import Context, Row
from tracker.imports.cells import BATCH, unescape
from tracker.imports.columns import (
    ColumnSpec,
    check_kind,
    columns,
    heading_index,
    heading_key,
    template,
)
from tracker.imports.export import export_file, export_records
from tracker.imports.files import FileRefused, Sheet, read_upload
from tracker.imports.kinds import KINDS, REGISTRY
from tracker.imports.report import ImportReport, RowProblem

__all__ = ["KINDS", "ColumnSpec", "FileRefused", "ImportReport", "RowProblem", "columns",
           "export_file", "export_records", "import_sheet", "run_import", "template"]

AUDIT_ENTITY = "import"
_HEADER_SEARCH_ROWS = 10  # a title and notes above the headings (exports.to_xlsx) are skipped


def _locate_header(sheet: Sheet, kind: str
                   ) -> tuple[tuple[str, ...], tuple[tuple[int, tuple[str, ...]], ...]]:
    """The headings and the data rows. The first row normally holds the headings; when none of
    its cells is a known heading, a later row (among the first ten) whose cells all are takes
    its place, so that a workbook with a title above the table imports too."""
    index = heading_index(kind)

    def known(cells: tuple[str, ...]) -> int:
        return sum(1 for c in cells if c and heading_key(c) in index)

    if known(sheet.header):
        return sheet.header, sheet.rows
    for position, (_number, cells) in enumerate(sheet.rows[:_HEADER_SEARCH_ROWS]):
        filled = [c for c in cells if c]
        if len(filled) >= 2 and known(cells) == len(filled):
            header = list(cells)
            while header and not header[-1]:
                header.pop()
            return tuple(header), sheet.rows[position + 1:]
    return sheet.header, sheet.rows


def _map_header(kind: str, header: tuple[str, ...]
                ) -> tuple[dict[str, int], dict[str, str], list[RowProblem]]:
    """Column name -> position and heading in the file; unknown, repeated and missing columns
    as problems of the whole file."""
    index = heading_index(kind)
    specs = columns(kind)
    positions: dict[str, int] = {}
    headings: dict[str, str] = {}
    problems: list[RowProblem] = []
    expected = ", ".join(s.name for s in specs)
    for position, heading in enumerate(header):
        if not heading:
            problems.append(RowProblem(None, None, None, "import_blank_heading",
                                       {"position": position + 1}))
            continue
        name = index.get(heading_key(heading))
        if name is None:
            problems.append(RowProblem(None, heading, None, "import_unknown_column",
                                       {"column": heading, "expected": expected}))
        elif name in positions:
            problems.append(RowProblem(None, heading, None, "import_duplicate_column",
                                       {"column": heading, "other": headings[name]}))
        else:
            positions[name], headings[name] = position, heading
    for spec in specs:
        if spec.required and spec.name not in positions:
            problems.append(RowProblem(None, spec.name, None, "import_missing_column",
                                       {"column": spec.name, "column_lv": spec.name_lv}))
    return positions, headings, problems


class _Progress:
    """Reports 0..1: reading and checking rows up to 0.8, writing the rest."""

    def __init__(self, callback: Callable[[float], None] | None) -> None:
        self.callback = callback
        self.done = 0.0
        self.write_steps = 1
        self.written = 0

    def at(self, fraction: float) -> None:
        if self.callback is None:
            return
        if fraction >= self.done + 0.005 or fraction >= 1.0 or fraction == 0.0:
            self.done = fraction
            self.callback(min(1.0, fraction))

    def tick(self) -> None:
        self.written += 1
        self.at(min(0.99, 0.8 + 0.2 * self.written / self.write_steps))


@contextmanager
def big_page_cache(session: Session) -> Iterator[None]:
    """A bigger SQLite page cache for this connection while it writes a file's rows into the
    tables and their indexes (see db/engine.py for the usual size); PostgreSQL keeps its
    shared buffers."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    connection = session.connection()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")


@contextmanager
def bulk_reading(session: Session) -> Iterator[None]:
    """What a big import runs under: a bigger page cache, and no cyclic garbage collection.

    A big file makes millions of small objects (cells, rows, values) that live until the
    end: the cyclic garbage collector would scan them again and again (a third of the time
    at 300,000 rows) and find nothing to free. It runs once, after the import.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        with big_page_cache(session):
            yield
    finally:
        if enabled:
            gc.enable()


def run_import(session: Session, *, actor: Actor, kind: str, data: bytes, filename: str,
               dry_run: bool, valid_only: bool = False, as_drafts: bool = False,
               progress: Callable[[float], None] | None = None) -> ImportReport:
    """Check every row of the file and, unless `dry_run`, write the records.

    Any problem stops the whole import (written=False) unless `valid_only`, which writes the
    valid rows and reports the rest. Counts of a dry run are what the import would do. A file
    that cannot be read at all raises FileRefused; funders get PermissionDenied.
    """
    check_kind(kind)
    require_writer(actor)
    with bulk_reading(session):
        _Progress(progress).at(0.0)
        sheet = read_upload(data, filename)
        return import_sheet(session, actor=actor, kind=kind, sheet=sheet, filename=filename,
                            dry_run=dry_run, valid_only=valid_only, as_drafts=as_drafts,
                            progress=progress)


def has_rows(sheet: Sheet, kind: str) -> bool:
    """Whether the sheet holds any data row below its headings."""
    return bool(_locate_header(sheet, kind)[1])


def import_sheet(session: Session, *, actor: Actor, kind: str, sheet: Sheet, filename: str,
                 dry_run: bool, valid_only: bool = False, as_drafts: bool = False,
                 progress: Callable[[float], None] | None = None) -> ImportReport:
    """`run_import` of a sheet already read (one sheet of a workbook, see workbook.py)."""
    check_kind(kind)
    require_writer(actor)
    bar = _Progress(progress)
    bar.at(0.0)
    header, body = _locate_header(sheet, kind)
    positions, headings, problems = _map_header(kind, header)
    if not body:
        problems.append(RowProblem(None, None, None, "import_no_rows", {}))
    if problems:
        bar.at(1.0)
        return ImportReport(kind=kind, rows=len(body), valid=0, problems=tuple(problems),
                            created=0, updated=0, unchanged=0, written=False)

    ctx = Context(session, actor, headings, bar.tick)
    ctx.as_drafts = as_drafts
    handler = REGISTRY[kind].handler(ctx)
    rows: list[Row] = []
    width = len(header)
    names = list(positions)
    at = list(positions.values())
    pick: Callable[[tuple[str, ...]], tuple[str, ...]] = itemgetter(*at) if len(at) > 1 \
        else lambda cells: tuple(cells[p] for p in at)
    need = max(at, default=-1) + 1
    quoted = methodcaller("startswith", "'")
    for count, (number, cells) in enumerate(body, start=1):
        size = len(cells)
        values = pick(cells if size >= need else cells + ("",) * (need - size))
        if any(map(quoted, values)):  # only such a cell can be an escaped one (unescape)
            values = tuple(map(unescape, values))
        row = Row(number, dict(zip(names, values, strict=True)))
        if size > width and any(cells[width:]):
            ctx.problem(row, None, "import_cell_without_column")
        handler.parse(row)
        rows.append(row)
        if count % 2000 == 0:
            bar.at(0.7 * count / len(body))
    first: dict[tuple[Any, ...], int] = {}
    for row in rows:
        if row.key is None or row.problems:
            continue
        if row.key in first:
            ctx.problem(row, None, "import_duplicate_row", first=first[row.key])
        else:
            first[row.key] = row.number
    handler.resolve([r for r in rows if r.ok])
    bar.at(0.8)

    valid = [r for r in rows if not r.problems and r.action is not None]
    all_problems = tuple(p for r in rows for p in r.problems)
    counts = {action: sum(1 for r in valid if r.action == action)
              for action in ("create", "update", "unchanged")}
    write = not dry_run and bool(valid) and (valid_only or not all_problems)
    if write:
        changing = counts["create"] + counts["update"]
        bar.write_steps = max(1, 3 * math.ceil(changing / BATCH))
        # participations change no capacity area
        with rollups.bulk(session, changing, tuple(t for t in rollups.TABLES if kind !=
                                                   "participations" or t != "area_rollup")):
            handler.write(valid)
        audit.record(session, actor, entity=AUDIT_ENTITY, entity_id=None,
                     action=AuditAction.CREATE,
                     after={"kind": kind, "file": filename, "rows": len(rows),
                            "created": counts["create"], "updated": counts["update"],
                            "unchanged": counts["unchanged"],
                            "rejected": len(rows) - len(valid), "valid_only": valid_only})
        session.flush()
    bar.at(1.0)
    return ImportReport(kind=kind, rows=len(rows), valid=len(valid), problems=all_problems,
                        created=counts["create"], updated=counts["update"],
                        unchanged=counts["unchanged"], written=write)
