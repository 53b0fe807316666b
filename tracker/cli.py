"""`python -m tracker` / `tracker`: set up the database, demo data, users, backups."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from alembic.util import CommandError as AlembicError
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from db.enums import Role
from tracker.auth import Actor
from tracker.backup import BackupError
from tracker.config import get_settings
from tracker.database import get_engine, session_scope
from tracker.errors import TrackerError

EXIT_OK, EXIT_USAGE, EXIT_FAILED = 0, 2, 1


class CommandError(Exception):
    """A one-line message for the operator; the command exits non-zero."""


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
                            progress=not args.quiet)
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

    backup = commands.add_parser("backup", help="write a consistent copy of the live SQLite "
                                                "database to FILE")
    backup.add_argument("file")
    backup.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    backup.set_defaults(func=_cmd_backup)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; errors print one line to stderr and give a non-zero exit."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], None] = args.func
    lang = get_settings().language or "en"
    try:
        func(args)
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
    return EXIT_OK
