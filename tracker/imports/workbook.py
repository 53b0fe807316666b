"""Every record kind in one Excel workbook, out and back in: the way to move a whole programme
from one instance to another (SQLite to PostgreSQL), or to restore it from a spreadsheet.

`export_workbook` writes one sheet per kind, in the import's columns. `run_import_all` loads
such a workbook sheet by sheet in dependency order (tracker/imports/kinds/: KINDS), each
sheet through the same checks as a file of its own kind, all in one transaction: a sheet reads
what the sheets before it wrote (activities find the cycles just loaded), and unless every
row of every sheet is valid (or the importer chose the valid rows only) none of it stays.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from sqlalchemy.orm import Session

from tracker.auth import Actor, require_writer
from tracker.exports import to_xlsx
from tracker.imports.columns import heading_key, title
from tracker.imports.export import export_records
from tracker.imports.files import Sheet, read_workbook
from tracker.imports.kinds import KINDS
from tracker.imports.report import ImportReport, RowProblem, WorkbookReport
from tracker.imports.service import bulk_reading, has_rows, import_sheet

SHEET_LIMIT = 31  # Excel's longest worksheet name


def export_workbook(session: Session, *, actor: Actor, lang: str = "en",
                    with_codes: bool = False) -> tuple[bytes, int]:
    """Every kind's export as one .xlsx workbook (a sheet per kind, named in `lang`), and the
    number of records in it. Funders are refused; staff get what each kind's export gives
    them; `with_codes` (administrators) writes the people's personal codes in full."""
    tables = [export_records(session, actor=actor, kind=kind, lang=lang, with_codes=with_codes)
              for kind in KINDS]
    return to_xlsx(tables), sum(len(table.rows) for table in tables)


def sheet_kinds() -> dict[str, str]:
    """A worksheet's name (compared as headings are) -> the kind: the kind's code, or its
    Latvian or English title (also as Excel cuts it to 31 characters)."""
    names: dict[str, str] = {}
    for kind in KINDS:
        for name in (kind, title(kind, "lv"), title(kind, "en")):
            names[heading_key(name)] = names[heading_key(name[:SHEET_LIMIT])] = kind
    return names


def run_import_all(session: Session, *, actor: Actor, data: bytes, filename: str,
                   dry_run: bool, valid_only: bool = False, as_drafts: bool = False,
                   progress: Callable[[float], None] | None = None) -> WorkbookReport:
    """Check every sheet of the workbook and, unless `dry_run`, write them all or none.

    A sheet whose name is no kind's stops the import; an empty sheet, or one with headings
    only, is skipped. A file that is not a readable workbook raises FileRefused; funders get
    PermissionDenied.
    """
    require_writer(actor)
    with bulk_reading(session):
        sheets = read_workbook(data)
        known = sheet_kinds()
        found: dict[str, tuple[str, Sheet]] = {}
        problems: list[RowProblem] = []
        for name, sheet in sheets:
            kind = known.get(heading_key(name))
            if kind is None:
                problems.append(RowProblem(None, None, None, "import_unknown_sheet", {
                    "sheet": name, "expected": ", ".join(title(k, "lv") for k in KINDS)},
                    sheet=name))
            elif kind in found:
                problems.append(RowProblem(None, None, None, "import_duplicate_sheet", {
                    "sheet": name, "other": found[kind][0]}, sheet=name))
            elif sheet is not None and has_rows(sheet, kind):
                found[kind] = (name, sheet)
        if not found and not problems:
            problems.append(RowProblem(None, None, None, "import_no_rows", {}))
        if problems:
            return WorkbookReport(reports=(), sheet_problems=tuple(problems), written=False)
        return _load(session, actor=actor, found=found, filename=filename, dry_run=dry_run,
                     valid_only=valid_only, as_drafts=as_drafts, progress=progress)


def _load(session: Session, *, actor: Actor, found: dict[str, tuple[str, Sheet]],
          filename: str, dry_run: bool, valid_only: bool, as_drafts: bool,
          progress: Callable[[float], None] | None) -> WorkbookReport:
    """The sheets in dependency order inside a savepoint, which stays only when written."""
    ordered = [kind for kind in KINDS if kind in found]
    weights = [len(found[kind][1].rows) + 1 for kind in ordered]
    total, done = sum(weights), 0
    reports: list[ImportReport] = []
    savepoint = session.begin_nested()
    try:
        for kind, weight in zip(ordered, weights, strict=True):
            name, sheet = found[kind]

            def step(fraction: float, start: int = done, weight: int = weight) -> None:
                if progress is not None:
                    progress((start + fraction * weight) / total)

            # each sheet is written (inside the savepoint) so that the next one finds it
            report = import_sheet(session, actor=actor, kind=kind, sheet=sheet,
                                  filename=f"{filename} [{name}]", dry_run=False,
                                  valid_only=valid_only, as_drafts=as_drafts, progress=step)
            reports.append(dataclasses.replace(report, problems=tuple(
                dataclasses.replace(p, sheet=name) for p in report.problems)))
            done += weight
        anything = any(r.valid for r in reports)
        problems = any(r.problems for r in reports)
        write = not dry_run and anything and (valid_only or not problems)
        if write:
            savepoint.commit()
        else:
            savepoint.rollback()
    except BaseException:
        if savepoint.is_active:
            savepoint.rollback()
        raise
    if progress is not None:
        progress(1.0)
    return WorkbookReport(reports=tuple(dataclasses.replace(r, written=write) for r in reports),
                          sheet_problems=(), written=write)
