"""The command line's parser: every command with its options. The options several commands
share are defined once (SHARED) and mean the same everywhere."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from typing import Any

from db.enums import Role
from tracker.cli import ALL_KINDS, EXPORT_TABLES, RECORD_KINDS
from tracker.personal_codes import KEY_VARIABLE

SHARED: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "dry-run": (("--dry-run",), {"action": "store_true",
                                 "help": "check and report only; write nothing"}),
    "valid-only": (("--valid-only",), {"action": "store_true",
                                       "help": "write the valid rows even when other rows "
                                               "have problems"}),
    "quiet": (("--quiet",), {"action": "store_true", "help": "no progress bar"}),
    "as": (("--as",), {"dest": "as_user", "metavar": "EMAIL",
                       "help": "act as this user, with their permissions (staff: their own "
                               "incubator's records only); default: the system, as an "
                               "administrator"}),
    "yes": (("--yes",), {"action": "store_true",
                         "help": "do it (without: only say what it would do, and stop)"}),
    "lang": (("--lang",), {"choices": ["lv", "en"],
                           "help": "language of the messages, headings and names (default "
                                   "TRACKER_LANGUAGE, else lv)"}),
}


def option(parser: argparse.ArgumentParser, name: str) -> None:
    """Add one of the SHARED options to a command."""
    flags, settings = SHARED[name]
    parser.add_argument(*flags, **settings)


def build_parser(run: Mapping[str, Callable[[argparse.Namespace], int | None]]
                 ) -> argparse.ArgumentParser:
    """The command line's parser; `run` names the function of each command (tracker/cli.py)."""
    parser = argparse.ArgumentParser(
        prog="tracker",
        description="NGO incubator programme tracker. The database is TRACKER_DATABASE_URL "
                    "(default: the SQLite file data/tracker.db).")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    init = commands.add_parser("init", help="create or migrate the schema and load reference "
                                            "data (safe to run again)")
    init.set_defaults(func=run["init"])

    demo = commands.add_parser("demo", help="fill an empty database with deterministic demo "
                                            "data and the demo accounts")
    demo.add_argument("--seed", type=int, default=2025, help="random seed (default 2025)")
    demo.add_argument("--scale", choices=["demo", "national"], default="demo",
                      help="demo: about 300 organisations; national: 24,000 organisations, "
                           "200,000 activities, 1,000,000 participations")
    demo.add_argument("--if-empty", action="store_true",
                      help="do nothing (and succeed) when the database already has data")
    option(demo, "quiet")
    demo.add_argument("--today", metavar="YYYY-MM-DD",
                      help="the data runs up to the day before this date (default today)")
    demo.set_defaults(func=run["demo"])

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
    add.set_defaults(func=run["user_add"])

    export = commands.add_parser(
        "export", help="write a data table or the funder report (CSV or Excel)",
        description="Write one of the reports page's tables, or the funder report, with the\n"
                    "same numbers as the dashboard (the same analytics, the same filters).\n"
                    "Files hold totals only, never personal data (but esf-participants).\n\n"
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
  esf-participants  the ESF+ participants' report: one row per person who attended in
                  the period, with names and whole personal codes (not with --as-funder;
                  every export is written to the audit log)
  esf-summary     the ESF+ common output indicators by incubator; --as-funder hides
                  counts of 1 to 4 (<5) and what would give them away (x)

records (every record, in the columns `tracker import` reads; personal data included):
  organizations, cohorts, enrollments, people, activities, participations, attendance,
  assessments, milestones, indicator_entries (values of the indicators counted by hand),
  documents and opinions (the civic-dialogue register; never their internal notes);
  `all`: every kind in one Excel workbook, a sheet per kind (--format xlsx). People's
  personal codes are masked unless an administrator adds --with-codes; every export of
  people is written to the audit log

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
    option(export, "lang")
    export.add_argument("--as-funder", action="store_true",
                        help="count approved activities only, as a funder sees them")
    option(export, "as")
    export.add_argument("--no-charts", action="store_true",
                        help="report only: leave out the map and charts (they need Chromium)")
    export.add_argument("--with-codes", action="store_true",
                        help="people and all only, administrators only: write the personal "
                             "codes in full instead of masked, to move a programme to another "
                             "instance (needs the key; audited)")
    export.add_argument("-o", "--output", metavar="FILE",
                        help="the file to write, '-' for standard output (default: TABLE.csv "
                             "or TABLE.xlsx, the report: report-...xlsx, in the current "
                             "folder); written whole or not at all")
    export.set_defaults(func=run["export"])

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
    option(register, "dry-run")
    option(register, "valid-only")
    register.add_argument("--include-ended", action="store_true",
                          help="also add organisations that are liquidated, reorganised or "
                               "terminated")
    option(register, "quiet")
    register.set_defaults(func=run["import_register"])

    imp = commands.add_parser(
        "import", help="import organisations, cycles, enrolments, people, activities, "
                       "participations, attendance, assessments, milestones, indicator "
                       "values, documents or opinions from a CSV or Excel file, or all of "
                       "them from one workbook",
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
    option(imp, "dry-run")
    option(imp, "valid-only")
    imp.add_argument("--as-drafts", action="store_true",
                     help="activities and opinions without a status arrive as drafts "
                          "(default: submitted)")
    option(imp, "lang")
    option(imp, "as")
    option(imp, "quiet")
    imp.set_defaults(func=run["import"])

    backup = commands.add_parser("backup", help="write a consistent copy of the live SQLite "
                                                "database to FILE")
    backup.add_argument("file")
    backup.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    backup.set_defaults(func=run["backup"])

    personal = commands.add_parser(
        "personal-data", help="everything stored about one person (a contact person or a "
                              "participant): export it, or erase it (the organisations, the "
                              "attendance and every number stay)")
    personal.add_argument("action", choices=("export", "erase"))
    personal.add_argument("who", help="an e-mail address (contact persons and participants), "
                                      "a participant as INCUBATOR/REF (e.g. VIDZEME/VID-P-0001), "
                                      "or a participant's personal code")
    personal.add_argument("-o", "--output", help="export: write to this file (default: "
                                                 "standard output)")
    option(personal, "yes")
    personal.set_defaults(func=run["personal_data"])

    key = commands.add_parser(
        "key", help="personal codes' encryption key: `tracker key generate` prints a new one "
                    f"for the environment variable {KEY_VARIABLE}; `tracker key check` says "
                    "whether one is set and valid")
    key.add_argument("action", choices=("generate", "check"))
    key.set_defaults(func=run["key"])

    restore = commands.add_parser("restore", help="replace the SQLite database's content with "
                                                  "a backup FILE (keeps a copy of the current)")
    restore.add_argument("file")
    option(restore, "yes")
    restore.set_defaults(func=run["restore"])

    roll = commands.add_parser("rollups", help="check the dashboard's rollup tables against "
                                               "a recount, or recount them")
    action = roll.add_mutually_exclusive_group()
    action.add_argument("--check", action="store_true", help="compare (the default)")
    action.add_argument("--rebuild", action="store_true", help="recount them in place")
    roll.set_defaults(func=run["rollups"])

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
    bench.set_defaults(func=run["bench"])
    return parser
