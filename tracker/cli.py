"""`python -m tracker` / `tracker`: set up the database, demo data, users, exports, backups."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from alembic.util import CommandError as AlembicError
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from db.enums import Role
from tracker.analytics import Filters
from tracker.auth import Actor
from tracker.backup import BackupError
from tracker.config import get_settings
from tracker.database import dispose_engines, get_engine, session_scope
from tracker.errors import TrackerError

EXIT_OK, EXIT_USAGE, EXIT_FAILED = 0, 2, 1


class CommandError(Exception):
    """A one-line message for the operator; the command exits non-zero."""


def _cmd_bench(args: argparse.Namespace) -> int:
    """The benchmark measures the dashboard (its cache, its page): it runs in a process of
    its own, so that the domain and this command import nothing of the screen."""
    import subprocess

    command = [sys.executable, "-m", "bench", "--repeat", str(args.repeat),
               "--import-repeat", str(args.import_repeat)]
    if args.database:
        command += ["--database", args.database]
    command += [flag for flag, on in (("--skip-import", args.skip_import),
                                      ("--rebuild", args.rebuild)) if on]
    return subprocess.run(command, check=False, cwd=Path(__file__).resolve().parents[1]
                          ).returncode


def _cmd_rollups(args: argparse.Namespace) -> int:
    from tracker.analytics import rollups

    _require_schema()
    if args.rebuild:
        with session_scope() as session:
            written = rollups.rebuild(session)
        print("Rollups recounted: " + ", ".join(f"{name} {rows:,} rows"
                                                for name, rows in written.items()))
        return 0
    with session_scope(readonly=True) as session:
        wrong = rollups.differences(session)
    if any(wrong.values()):
        print("Rollups differ from a recount: " + ", ".join(
            f"{name} {rows:,} rows" for name, rows in wrong.items() if rows)
            + " (tracker rollups --rebuild recounts them)", file=sys.stderr)
        return 1
    print("Rollups agree with a recount of the live rows.")
    return 0


def _cmd_init(args: argparse.Namespace) -> None:
    from tracker.refdata import init_database
    from tracker.services.stats import table_counts

    init_database(get_engine())
    with session_scope() as session:
        counts = table_counts(session)
    print(f"Database ready ({_safe_url()}): {counts['regions']} regions, "
          f"{counts['municipalities']} municipalities, {counts['incubators']} incubators, "
          f"{counts['indicators']} indicators, {counts['targets']} targets.")


def _cmd_demo(args: argparse.Namespace) -> None:
    from tracker import demo
    from tracker.services.stats import table_counts

    _require_schema()
    with session_scope() as session:
        counts = table_counts(session)
    if counts["organizations"] and args.if_empty:
        print(f"Demo data not loaded: the database already has {counts['organizations']} "
              "organisations.")
        return
    summary = demo.generate(get_engine(), seed=args.seed, scale=args.scale,
                            progress=not args.quiet, today=_export_date(args.today, "--today"))
    print(summary.describe())


def _cmd_user_add(args: argparse.Namespace) -> None:
    from tracker.schemas import UserCreate, parse
    from tracker.services.users import create_user

    _require_schema()
    password = args.password
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif password is None and sys.stdin.isatty():
        password = getpass.getpass("Password (empty: sign in through the identity provider): ")
        password = password or None
    data = parse(UserCreate, {"email": args.email, "role": args.role, "full_name": args.name,
                              "incubator_code": args.incubator, "password": password})
    with session_scope() as session:
        user = create_user(session, actor=Actor.system(), data=data)
    print(f"User {user.email} added with role {user.role.value}"
          + (f" (incubator {args.incubator.upper()})" if user.incubator_id else "") + ".")


def _cmd_backup(args: argparse.Namespace) -> None:
    from tracker.backup import backup_sqlite

    settings = get_settings()
    if not settings.is_sqlite:
        raise CommandError("`tracker backup` copies SQLite databases; for PostgreSQL use "
                           "pg_dump --format=custom (see the README, Operations)")
    _require_schema()
    result = backup_sqlite(get_engine(), Path(args.file), overwrite=args.force)
    print(f"Backup written to {result.path} ({result.size_bytes:,} bytes, "
          f"{result.organizations} organisations, {result.activities} activities).")


def _cmd_personal_data(args: argparse.Namespace) -> None:
    from tracker.services import personal_data

    _require_schema()
    if args.action == "export":
        with session_scope() as session:
            found = personal_data.export_contact(session, actor=Actor.system(),
                                                 email=args.email)
        if args.output in (None, "-"):
            print(found.as_json())
        else:
            _write_atomically(Path(args.output), found.as_json().encode("utf-8"))
            print(f"Written {args.output}: {len(found.organizations)} organisations, "
                  f"{len(found.audit_entries)} audit entries, {len(found.kept_forms)} "
                  "unsaved forms.")
        return
    with session_scope(readonly=True) as session:
        found = personal_data.export_contact(session, actor=Actor.system(), email=args.email)
    if not found.found:
        print(f"Nothing is stored about {found.email}.")
        return
    if not args.yes:
        raise CommandError(
            f"this erases {found.email} from {len(found.organizations)} organisations, "
            f"{len(found.audit_entries)} audit entries and {len(found.kept_forms)} unsaved "
            "forms, for good (export it first if it must be handed over). Run again with "
            "--yes to do it")
    with session_scope() as session:
        done = personal_data.erase_contact(session, actor=Actor.system(), email=args.email)
    print(f"Erased {found.email}: {done.organizations} organisations, {done.audit_entries} "
          f"audit entries, {done.kept_forms} unsaved forms. The organisations and their "
          "numbers stay.")


def _cmd_restore(args: argparse.Namespace) -> None:
    from tracker.backup import check_backup, restore_sqlite
    from tracker.refdata import init_database

    settings = get_settings()
    if not settings.is_sqlite:
        raise CommandError("`tracker restore` restores SQLite databases; for PostgreSQL use "
                           "pg_restore (see the README, Operations)")
    found = check_backup(Path(args.file))
    if not args.yes:
        raise CommandError(
            f"this replaces everything in {_safe_url()} with {args.file} "
            f"({found.organizations} organisations, {found.activities} activities); a copy "
            f"of the current database is kept next to it. Run again with --yes to do it")
    result = restore_sqlite(get_engine(), Path(args.file))
    dispose_engines()
    init_database(get_engine())  # a backup from an older version gets the newer schema
    print(f"Restored {args.file}: {result.restored.organizations} organisations, "
          f"{result.restored.activities} activities. The database as it was before is in "
          f"{result.previous} (restore that file to undo).")


EXPORT_TABLES = ("indicators", "quarterly", "types", "areas", "regions", "municipalities",
                 "incubators", "report")
# The record kinds (tracker/imports/kinds.py), and `all` of them in one workbook.
RECORD_KINDS = ("organizations", "cohorts", "enrollments", "activities", "participations",
                "assessments", "milestones", "indicator_entries")
ALL_KINDS = "all"


def _export_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None


def _export_filters(args: argparse.Namespace) -> Filters:
    """The page's filters from the options; every unknown value is refused by name."""
    from db.enums import ActivityType, RegionCode
    from tracker.services.reference import list_incubators

    date_from, date_to = _export_date(args.date_from, "--from"), _export_date(args.date_to,
                                                                            "--to")
    if date_from and date_to and date_from > date_to:
        raise CommandError(f"--from {date_from} is after --to {date_to}")
    region = args.region.strip().upper() if args.region else None
    if region is not None and region not in {r.value for r in RegionCode}:
        raise CommandError(f"--region: unknown planning region {args.region!r} (one of "
                           f"{', '.join(r.value for r in RegionCode)})")
    kind = args.type.strip().lower() if args.type else None
    if kind is not None and kind not in {k.value for k in ActivityType}:
        raise CommandError(f"--type: unknown activity type {args.type!r} (one of "
                           f"{', '.join(k.value for k in ActivityType)})")
    _require_schema()
    incubator_id = None
    if args.incubator:
        with session_scope(readonly=True) as session:
            codes = {i.code: i.id for i in list_incubators(session, actor=Actor.system())}
        code = args.incubator.strip().upper()
        if code not in codes:
            raise CommandError(f"--incubator: unknown incubator {args.incubator!r} (one of "
                               f"{', '.join(sorted(codes))})")
        incubator_id = codes[code]
    return Filters(region_code=region, incubator_id=incubator_id, date_from=date_from,
                   date_to=date_to, activity_type=kind)


def _write_atomically(target: Path, data: bytes) -> None:
    """All of `data` at `target`, or nothing there (a temporary file renamed at the end)."""
    if target.is_dir():
        raise CommandError(f"--output: {target} is a directory")
    if not target.parent.is_dir():
        raise CommandError(f"--output: the folder {target.parent} does not exist")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _cmd_export(args: argparse.Namespace) -> None:
    from tracker import exports, reports

    table = args.table.strip().lower()
    if table in RECORD_KINDS or table == ALL_KINDS:
        from tracker.cli_records import export_records_command

        export_records_command(args, table)
        return
    if table not in EXPORT_TABLES:
        raise CommandError(f"TABLE: unknown table {args.table!r} (one of "
                           f"{', '.join(EXPORT_TABLES)}); records: {', '.join(RECORD_KINDS)}")
    fmt = args.format or ("xlsx" if table == "report" else "csv")
    if table == "report" and fmt != "xlsx":
        raise CommandError("--format: the report is an Excel workbook only (--format xlsx)")
    if args.output == "-" and fmt == "xlsx" and sys.stdout.isatty():
        raise CommandError("--output: an Excel file is not written to a terminal; give a file "
                           "name or redirect standard output")
    filters = _export_filters(args)
    actor = Actor(user_id=None, email="system", role=Role.FUNDER) if args.as_funder \
        else Actor.system()
    lang = args.lang or get_settings().language or "lv"
    with session_scope(readonly=True) as session:
        if table == "report":
            data = reports.funder_report(session, actor=actor, filters=filters, lang=lang,
                                         with_charts=not args.no_charts)
            rows = None
        else:
            result = reports.fetch_table(session, table, actor=actor, filters=filters,
                                         lang=lang)
            data = exports.to_csv(result) if fmt == "csv" else exports.to_xlsx([result])
            rows = len(result.rows)
    if args.output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = Path(args.output or (reports.report_file_name(lang, filters) if table == "report"
                                  else f"{table}.{fmt}"))
    _write_atomically(target, data)
    print(f"Exported {table} to {target} ({len(data):,} bytes"
          + (f", {rows} rows" if rows is not None else "") + ").")


def _cmd_import_register(args: argparse.Namespace) -> None:
    """Organisations from the Register of Enterprises' register.csv (see the README)."""
    from tqdm import tqdm

    from tracker.imports.files import FileRefused
    from tracker.imports.register import MAX_BYTES, import_register

    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"FILE: {path} is not a file")
    size = path.stat().st_size
    if size > MAX_BYTES:  # refused before it is read into memory
        raise FileRefused("file_too_big", size_mb=round(size / 1_048_576, 1),
                          limit_mb=round(MAX_BYTES / 1_048_576, 1))
    _require_schema()
    lang = get_settings().language or "en"
    bars: dict[str, tqdm[None]] = {}

    def progress(phase: str, done: int, total: int) -> None:
        if phase not in bars:
            for bar in bars.values():
                bar.close()
            bars[phase] = tqdm(total=total, desc=phase, file=sys.stderr, disable=args.quiet,
                               unit="B" if phase == "read" else "row", unit_scale=True)
        bars[phase].update(done - bars[phase].n)

    try:
        with session_scope() as session:
            report = import_register(session, actor=Actor.system(), data=path.read_bytes(),
                                     filename=path.name, dry_run=args.dry_run,
                                     valid_only=args.valid_only,
                                     include_ended=args.include_ended, progress=progress)
    finally:
        for bar in bars.values():
            bar.close()
    print(report.summary(lang))
    for problem in report.problems:
        print(problem.describe(lang))
    if not report.written and not report.dry_run:
        raise CommandError(report.outcome(lang))
    print(report.outcome(lang))


def _actor(session: Session, email: str | None) -> Actor:
    """The system (an administrator), or the active user with `email` (--as)."""
    if not email:
        return Actor.system()
    from sqlalchemy import func, select

    from db.models import User

    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.is_active:
        raise CommandError(f"--as: no active user {email!r}")
    return Actor(user_id=user.id, email=user.email, role=Role(user.role),
                 incubator_id=user.incubator_id)


def _cmd_import(args: argparse.Namespace) -> int:
    from tracker.cli_records import import_command

    return import_command(args)


def _require_schema() -> None:
    from db.migrate import current_revision, head_revision, is_known_revision

    current = current_revision(get_engine())
    if current is None:
        raise CommandError(f"the database {_safe_url()} is empty: run `tracker init` first")
    if not is_known_revision(current):
        raise CommandError(f"the database schema ({current}) is from a newer version of the "
                           "tracker: upgrade the application")
    if current != head_revision():
        raise CommandError(f"the database schema is at {current}, this version needs "
                           f"{head_revision()}: run `tracker init`")


def _safe_url() -> str:
    from sqlalchemy.engine import make_url

    return make_url(get_settings().database_url).render_as_string(hide_password=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tracker",
        description="NGO incubator programme tracker. The database is TRACKER_DATABASE_URL "
                    "(default: the SQLite file data/tracker.db).")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    init = commands.add_parser("init", help="create or migrate the schema and load reference "
                                            "data (safe to run again)")
    init.set_defaults(func=_cmd_init)

    demo = commands.add_parser("demo", help="fill an empty database with deterministic demo "
                                            "data and the demo accounts")
    demo.add_argument("--seed", type=int, default=2025, help="random seed (default 2025)")
    demo.add_argument("--scale", choices=["demo", "national"], default="demo",
                      help="demo: about 300 organisations; national: 24,000 organisations, "
                           "200,000 activities, 1,000,000 participations")
    demo.add_argument("--if-empty", action="store_true",
                      help="do nothing (and succeed) when the database already has data")
    demo.add_argument("--quiet", action="store_true", help="no progress bar")
    demo.add_argument("--today", metavar="YYYY-MM-DD",
                      help="the data runs up to the day before this date (default today)")
    demo.set_defaults(func=_cmd_demo)

    user = commands.add_parser("user", help="manage accounts")
    user_commands = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = user_commands.add_parser("add", help="add an account")
    add.add_argument("email")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--incubator", help="incubator code (KURZEME, LATGALE, VIDZEME, "
                                         "ZEMGALE); required for staff")
    add.add_argument("--name", default="", help="full name")
    secret = add.add_mutually_exclusive_group()
    secret.add_argument("--password", help="the password (prefer --password-stdin)")
    secret.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of standard input")
    add.set_defaults(func=_cmd_user_add)

    export = commands.add_parser(
        "export", help="write a data table or the funder report (CSV or Excel)",
        description="Write one of the reports page's tables, or the funder report, with the\n"
                    "same numbers as the dashboard (the same analytics, the same filters).\n"
                    "Files hold totals only, never personal data.\n\n"
                    "By default the export counts what an administrator sees: every activity\n"
                    "not deleted, drafts and submitted ones too. --as-funder counts approved\n"
                    "activities only, as a funder sees them on the dashboard.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="""tables:
  indicators      every indicator against its target, whole period and current year
  quarterly       activities, organisations supported and attendees per quarter and
                  incubator
  types, areas    activities per activity type and per capacity area
  regions         reach per planning region (where the organisations are)
  municipalities  reach per municipality
  incubators      reach per incubator
  report          the funder report: an Excel workbook with the headline numbers, the
                  map, the charts and every table above

records (every record, in the columns `tracker import` reads; personal data included):
  organizations, cohorts, enrollments, activities, participations, assessments,
  milestones, indicator_entries (values of the indicators counted by hand); `all`: every
  kind in one Excel workbook, a sheet per kind (--format xlsx)

examples:
  tracker export regions --from 2025-01-01 --to 2025-12-31 --as-funder -o regions.csv
  tracker export report --region LATGALE --lang en --as-funder -o latgale.xlsx
  tracker export quarterly --format csv -o - | head
  tracker export all --format xlsx -o programme.xlsx""")
    export.add_argument("table", metavar="TABLE",
                        help=", ".join(EXPORT_TABLES + RECORD_KINDS + (ALL_KINDS,)))
    export.add_argument("--format", choices=["csv", "xlsx"],
                        help="csv (UTF-8 with BOM; the default for tables) or xlsx (the only "
                             "format of the report)")
    export.add_argument("--from", dest="date_from", metavar="DATE",
                        help="first day, YYYY-MM-DD (default: the programme's start)")
    export.add_argument("--to", dest="date_to", metavar="DATE",
                        help="last day, YYYY-MM-DD (default: the programme's end)")
    export.add_argument("--region", metavar="CODE",
                        help="planning region: RIGA, VIDZEME, KURZEME, ZEMGALE, LATGALE")
    export.add_argument("--incubator", metavar="CODE",
                        help="incubator code: KURZEME, LATGALE, VIDZEME, ZEMGALE")
    export.add_argument("--type", metavar="TYPE",
                        help="activity type, e.g. consultation, training, think_tank")
    export.add_argument("--lang", choices=["lv", "en"],
                        help="language of headings and names (default TRACKER_LANGUAGE, "
                             "else lv)")
    export.add_argument("--as-funder", action="store_true",
                        help="count approved activities only, as a funder sees them")
    export.add_argument("--as", dest="as_user", metavar="EMAIL",
                        help="records only: export what this user may see (staff: their "
                             "incubator's records)")
    export.add_argument("--no-charts", action="store_true",
                        help="report only: leave out the map and charts (they need Chromium)")
    export.add_argument("-o", "--output", metavar="FILE",
                        help="the file to write, '-' for standard output (default: TABLE.csv "
                             "or TABLE.xlsx, the report: report-...xlsx, in the current "
                             "folder); written whole or not at all")
    export.set_defaults(func=_cmd_export)

    register = commands.add_parser(
        "import-register", help="add and update organisations from the Register of "
                                "Enterprises' open data (register.csv)",
        description="Take the associations and foundations (register B) of register.csv as\n"
                    "published on data.gov.lv; skip those that have ended unless\n"
                    "--include-ended; update organisations already in the tracker by\n"
                    "registration number. Every row is checked first; with any problem\n"
                    "nothing is saved unless --valid-only.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    register.add_argument("file", metavar="FILE", help="register.csv")
    register.add_argument("--dry-run", action="store_true",
                          help="check and count only; save nothing")
    register.add_argument("--valid-only", action="store_true",
                          help="save the valid rows even when others have problems")
    register.add_argument("--include-ended", action="store_true",
                          help="also add organisations that are liquidated, reorganised or "
                               "terminated")
    register.add_argument("--quiet", action="store_true", help="no progress bar")
    register.set_defaults(func=_cmd_import_register)

    imp = commands.add_parser(
        "import", help="import organisations, cycles, enrolments, activities, participations, "
                       "assessments or milestones from a CSV or Excel file, or all of them "
                       "from one workbook",
        description="Check every row of FILE (CSV or .xlsx, first sheet) with the same rules\n"
                    "as the forms, then write all rows, or none when any row has a problem\n"
                    "(--valid-only writes the valid ones). Importing the same file again\n"
                    "changes nothing. Columns: see the README or the app's templates.\n"
                    "KIND `all` reads a workbook with a sheet per kind (as `tracker export\n"
                    "all` writes it) and loads the sheets in dependency order in one\n"
                    "transaction: all of them, or none.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="""exit status: 0 when every row was valid (and, without --dry-run, written);
2 when any row was rejected, nothing was written, or the file was refused.

examples:
  tracker import organizations organisations.csv --dry-run
  tracker import activities activities.xlsx
  tracker import participations participations.csv --valid-only --lang en
  tracker import milestones milestones.csv --as staff.vidzeme@demo.lv
  tracker import all programme.xlsx --dry-run""")
    imp.add_argument("kind", metavar="KIND", help=", ".join((*RECORD_KINDS, ALL_KINDS)))
    imp.add_argument("file", metavar="FILE", help="the CSV or Excel (.xlsx) file")
    imp.add_argument("--dry-run", action="store_true",
                     help="check and report only; write nothing")
    imp.add_argument("--valid-only", action="store_true",
                     help="write the valid rows even when other rows have problems")
    imp.add_argument("--as-drafts", action="store_true",
                     help="activities without a status arrive as drafts (default: submitted)")
    imp.add_argument("--lang", choices=["lv", "en"],
                     help="language of the messages (default TRACKER_LANGUAGE, else lv)")
    imp.add_argument("--as", dest="as_user", metavar="EMAIL",
                     help="act as this user (staff import into their incubator only); "
                          "default: the system, as an administrator")
    imp.add_argument("--quiet", action="store_true", help="no progress bar")
    imp.set_defaults(func=_cmd_import)

    backup = commands.add_parser("backup", help="write a consistent copy of the live SQLite "
                                                "database to FILE")
    backup.add_argument("file")
    backup.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    backup.set_defaults(func=_cmd_backup)

    personal = commands.add_parser(
        "personal-data", help="everything stored about one contact person: export it, or "
                              "erase it (the organisations and their numbers stay)")
    personal.add_argument("action", choices=("export", "erase"))
    personal.add_argument("email", help="the contact person's e-mail address")
    personal.add_argument("-o", "--output", help="export: write to this file (default: "
                                                 "standard output)")
    personal.add_argument("--yes", action="store_true", help="erase: do it")
    personal.set_defaults(func=_cmd_personal_data)

    restore = commands.add_parser("restore", help="replace the SQLite database's content with "
                                                  "a backup FILE (keeps a copy of the current)")
    restore.add_argument("file")
    restore.add_argument("--yes", action="store_true", help="do it (without: say what it would "
                                                            "replace and stop)")
    restore.set_defaults(func=_cmd_restore)

    roll = commands.add_parser("rollups", help="check the dashboard's rollup tables against "
                                               "a recount, or recount them")
    action = roll.add_mutually_exclusive_group()
    action.add_argument("--check", action="store_true", help="compare (the default)")
    action.add_argument("--rebuild", action="store_true", help="recount them in place")
    roll.set_defaults(func=_cmd_rollups)

    bench = commands.add_parser(
        "bench", help="measure the dashboard, the import and saving at national scale "
                      "(builds the data set first; bench/national.db unless "
                      "TRACKER_DATABASE_URL is PostgreSQL) and write bench/results.json")
    bench.add_argument("--database", metavar="URL",
                       help="where to build or find the data set (default: bench/national.db, "
                            "or TRACKER_DATABASE_URL when it is PostgreSQL)")
    bench.add_argument("--repeat", type=int, default=5, help="runs of each timing (5)")
    bench.add_argument("--import-repeat", type=int, default=3,
                       help="runs of the 100,000-activity import (3)")
    bench.add_argument("--skip-import", action="store_true", help="leave the import out")
    bench.add_argument("--rebuild", action="store_true",
                       help="delete bench/national.db and build the data set again (SQLite)")
    bench.set_defaults(func=_cmd_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; errors print one line to stderr and give a non-zero exit."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int | None] = args.func
    lang = get_settings().language or "en"
    try:
        status = func(args)
    except (CommandError, BackupError) as exc:
        print(f"tracker: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except AlembicError as exc:
        print(f"tracker: error: cannot migrate the database: {str(exc).splitlines()[0]} "
              "(is it from a newer version of the tracker?)", file=sys.stderr)
        return EXIT_USAGE
    except TrackerError as exc:
        print(f"tracker: error: {exc.message(lang)}", file=sys.stderr)
        return EXIT_USAGE
    except OperationalError as exc:
        print(f"tracker: error: cannot use the database {_safe_url()}: "
              f"{str(exc.orig).strip().splitlines()[0] if exc.orig else exc}", file=sys.stderr)
        return EXIT_FAILED
    except SQLAlchemyError as exc:
        print(f"tracker: error: database error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("tracker: interrupted; nothing of the unfinished step was saved", file=sys.stderr)
        return 130
    return status if status is not None else EXIT_OK
