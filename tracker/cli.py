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
from tracker.imports.kinds import KINDS

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
    by_email = "@" in args.who

    def lookup(session: Session) -> personal_data.ContactData:
        if by_email:
            return personal_data.export_contact(session, actor=Actor.system(), email=args.who)
        return personal_data.export_person(session, actor=Actor.system(), who=args.who)

    if args.action == "export":
        with session_scope() as session:
            found = lookup(session)
        if args.output in (None, "-"):
            print(found.as_json())
        else:
            _write_atomically(Path(args.output), found.as_json().encode("utf-8"))
            print(f"Written {args.output}: {len(found.organizations)} organisations, "
                  f"{len(found.people)} participants, {len(found.audit_entries)} audit "
                  f"entries, {len(found.kept_forms)} unsaved forms.")
        return
    with session_scope(readonly=True) as session:
        found = lookup(session)
    if not found.found:
        print(f"Nothing is stored about {found.email}.")
        return
    if not args.yes:
        raise CommandError(
            f"this erases {found.email} from {len(found.organizations)} organisations, "
            f"{len(found.people)} participants' records, {len(found.audit_entries)} audit "
            f"entries and {len(found.kept_forms)} unsaved forms, for good (export it first if "
            "it must be handed over). Run again with --yes to do it")
    with session_scope() as session:
        if by_email:
            done = personal_data.erase_contact(session, actor=Actor.system(), email=args.who)
            erased = done.people
        else:
            erased = personal_data.erase_person_data(session, actor=Actor.system(),
                                                     who=args.who)
    if by_email:
        print(f"Erased {found.email}: {done.organizations} organisations, "
              f"{done.audit_entries} audit entries, {done.kept_forms} unsaved forms, "
              f"{erased} participants' identities. The organisations, the attendance and "
              "their numbers stay.")
    else:
        print(f"Erased the identity of {erased} participant(s) ({found.email}). Their "
              "attendance and every number stay.")


def _cmd_key(args: argparse.Namespace) -> None:
    from tracker import personal_codes

    if args.action == "generate":
        print(f"# Keep it secret and backed up: without it no stored personal code can be read.\n"
              f"{personal_codes.KEY_VARIABLE}={personal_codes.generate_key()}")
        return
    if not personal_codes.key_configured():
        raise CommandError(personal_codes.KeyMissing().message(get_settings().language or "en"))
    print(f"{personal_codes.KEY_VARIABLE} is set: personal codes can be stored and read.")


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
                 "incubators", "report", "esf-participants", "esf-summary")
# The record kinds (tracker/imports/kinds.py), and `all` of them in one workbook.
RECORD_KINDS = KINDS
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
    if getattr(args, "with_codes", False):
        raise CommandError("--with-codes: only people have personal codes (people or all); "
                           "the participants' report gives managers the codes in full")
    fmt = args.format or ("xlsx" if table == "report" else "csv")
    if table == "report" and fmt != "xlsx":
        raise CommandError("--format: the report is an Excel workbook only (--format xlsx)")
    if args.output == "-" and fmt == "xlsx" and sys.stdout.isatty():
        raise CommandError("--output: an Excel file is not written to a terminal; give a file "
                           "name or redirect standard output")
    if table == "esf-participants" and args.as_funder:
        raise CommandError("--as-funder: funders never see a person; the participants' report "
                           "is for managers and administrators (funders get esf-summary)")
    filters = _export_filters(args)
    actor = Actor(user_id=None, email="system", role=Role.FUNDER) if args.as_funder \
        else Actor.system()
    lang = args.lang or get_settings().language or "lv"
    # the participants' report writes its audit row (an export with names)
    with session_scope(readonly=table != "esf-participants") as session:
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


COMMANDS: dict[str, Callable[[argparse.Namespace], int | None]] = {
    name.removeprefix("_cmd_"): function for name, function in globals().items()
    if name.startswith("_cmd_") and callable(function)}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; errors print one line to stderr and give a non-zero exit."""
    from tracker.cli_parser import build_parser

    parser = build_parser(COMMANDS)
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
