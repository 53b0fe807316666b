"""`tracker export KIND` and `tracker import KIND FILE`: records in and out in the import's
columns, one kind per file or `all` of them in one workbook."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tracker.cli import (
    ALL_KINDS,
    EXIT_OK,
    EXIT_USAGE,
    RECORD_KINDS,
    CommandError,
    _actor,
    _require_schema,
    _write_atomically,
)
from tracker.config import get_settings
from tracker.database import session_scope
from tracker.i18n import t
from tracker.imports.report import ImportReport, RowProblem, WorkbookReport


def export_records_command(args: argparse.Namespace, kind: str) -> None:
    """`tracker export activities ...`: every record of a kind, ready to import again; `all`:
    every kind in one workbook."""
    from tracker.imports.export import export_file, writes_audit
    from tracker.imports.workbook import export_workbook

    given = [option for option, value in (("--from", args.date_from), ("--to", args.date_to),
                                          ("--region", args.region),
                                          ("--incubator", args.incubator),
                                          ("--type", args.type), ("--as-funder", args.as_funder))
             if value]
    if given:
        raise CommandError(f"{given[0]}: records are exported whole, without filters")
    if args.with_codes and kind not in ("people", ALL_KINDS):
        raise CommandError("--with-codes: only people have personal codes (people or all)")
    fmt = args.format or ("xlsx" if kind == ALL_KINDS else "csv")
    if kind == ALL_KINDS and fmt != "xlsx":
        raise CommandError("--format: every kind goes into one Excel workbook (--format xlsx)")
    if args.output == "-" and fmt == "xlsx" and sys.stdout.isatty():
        raise CommandError("--output: an Excel file is not written to a terminal; give a file "
                           "name or redirect standard output")
    lang = args.lang or get_settings().language or "lv"
    _require_schema()
    # an export of people writes its audit row, so it needs a session that may write
    with session_scope(readonly=not writes_audit(kind)) as session:
        actor = _actor(session, args.as_user)
        if kind == ALL_KINDS:
            data, rows = export_workbook(session, actor=actor, lang=lang,
                                         with_codes=args.with_codes)
        else:
            data, rows = export_file(session, actor=actor, kind=kind, fmt=fmt, lang=lang,
                                     with_codes=args.with_codes)
    if args.output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = Path(args.output or f"{kind}.{fmt}")
    _write_atomically(target, data)
    print(f"Exported {kind} to {target} ({len(data):,} bytes, {rows} rows).")


def _where(problem: RowProblem, lang: str) -> str:
    where = [t("import.cli.sheet", lang, sheet=problem.sheet)] if problem.sheet else []
    where.append(t("import.cli.row", lang, row=problem.row) if problem.row else
                 t("import.cli.file", lang))
    if problem.column:
        where.append(t("import.cli.column", lang, column=problem.column))
    if problem.value:
        where.append(t("import.cli.value", lang, value=problem.value))
    return ", ".join(where)


def import_command(args: argparse.Namespace) -> int:
    """`tracker import KIND FILE`: check every row, then write all of them or none."""
    from tqdm import tqdm

    from tracker.imports.service import run_import
    from tracker.imports.workbook import run_import_all

    kind = args.kind.strip().lower()
    if kind not in RECORD_KINDS and kind != ALL_KINDS:
        raise CommandError(f"KIND: unknown kind {args.kind!r} (one of "
                           f"{', '.join((*RECORD_KINDS, ALL_KINDS))})")
    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"FILE: {path} is not a file")
    data = path.read_bytes()
    lang = args.lang or get_settings().language or "lv"
    _require_schema()
    report: ImportReport | WorkbookReport
    with tqdm(total=100, desc=kind, unit="%", file=sys.stderr, disable=args.quiet,
              bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}") as bar:
        def progress(fraction: float) -> None:
            bar.n = round(100 * fraction)
            bar.refresh()

        with session_scope() as session:
            actor = _actor(session, args.as_user)
            if kind == ALL_KINDS:
                report = run_import_all(session, actor=actor, data=data, filename=path.name,
                                        dry_run=args.dry_run, valid_only=args.valid_only,
                                        as_drafts=args.as_drafts, progress=progress)
            else:
                report = run_import(session, actor=actor, kind=kind, data=data,
                                    filename=path.name, dry_run=args.dry_run,
                                    valid_only=args.valid_only, as_drafts=args.as_drafts,
                                    progress=progress)
    for problem in report.problems:
        print(f"{_where(problem, lang)}: {problem.message(lang)}", file=sys.stderr)
    outcome = ("import.cli.dry_run" if args.dry_run else
               "import.cli.written" if report.written else "import.cli.not_written")
    if isinstance(report, WorkbookReport):
        for part in report.reports:
            print(t("import.cli.sheet_summary", lang, kind=t(f"import.kind.{part.kind}", lang),
                    rows=part.rows, created=part.created, updated=part.updated,
                    unchanged=part.unchanged, rejected=part.rejected))
    print(t("import.cli.summary", lang, file=path.name, rows=report.rows, valid=report.valid,
            rejected=report.rejected, created=report.created, updated=report.updated,
            unchanged=report.unchanged) + " " + t(outcome, lang))
    if report.problems or (not report.written and not args.dry_run):
        return EXIT_USAGE
    return EXIT_OK
