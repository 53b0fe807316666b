"""Spreadsheet imports: encodings, separators and date styles; a table of bad rows and files,
each with its message and an untouched database; idempotence, valid-only, dry runs, staff
rules, the audit summary and the data version."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db import data_version
from db.enums import IndicatorMethod, Role
from db.models import (
    Activity,
    ActivityArea,
    Assessment,
    AssessmentScore,
    AuditLog,
    Indicator,
    Milestone,
    Organization,
    Participation,
    PeriodClosure,
    Program,
)
from tests import factories as f
from tracker.auth import Actor
from tracker.errors import PermissionDenied
from tracker.imports import service
from tracker.imports.files import FileRefused

ADMIN = Actor.system()
ACTIVITY_HEADER = ["ref", "incubator", "type", "title", "date", "hours", "format",
                   "municipality_atvk", "capacity_areas", "total_participants", "status",
                   "cohort"]
TABLES = (Organization, Activity, ActivityArea, Participation, Assessment, AssessmentScore,
          Milestone, AuditLog)


def counts(session: Session) -> dict[str, int]:
    return {t.__tablename__: int(session.scalar(select(func.count()).select_from(t)) or 0)
            for t in TABLES}


def manual_indicator(session: Session, code: str = "MEDIA_MENTIONS") -> int:
    """An indicator counted by hand (method `manual`), as an administrator adds one: none is
    by default, so the indicator_entries import has something to take."""
    row = Indicator(program_id=session.scalars(select(Program.id)).one(), code=code,
                    name_lv="Pieminējumi plašsaziņas līdzekļos", name_en="Media mentions",
                    method=IndicatorMethod.MANUAL.value, unit_lv="pieminējumi",
                    unit_en="mentions", sort_order=99)
    session.add(row)
    session.flush()
    return row.id


def csv_file(rows: list[list[str]], sep: str = ",", encoding: str = "utf-8") -> bytes:
    def quote(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"' if sep in cell or '"' in cell else cell
    return "\r\n".join(sep.join(quote(c) for c in row) for row in rows).encode(encoding) \
        + b"\r\n"


def run(session: Session, kind: str, data: bytes, *, actor: Actor = ADMIN,
        filename: str = "file.csv", **kwargs: Any) -> service.ImportReport:
    kwargs.setdefault("dry_run", False)
    return service.run_import(session, actor=actor, kind=kind, data=data, filename=filename,
                              **kwargs)


def messages(report: service.ImportReport) -> list[str]:
    return [p.message("en") for p in report.problems]


@dataclass
class World:
    org: str  # registration numbers of two organisations
    org2: str
    cohort: int


@pytest.fixture
def world(session: Session) -> World:
    """Two organisations, cycle VIDZEME-1 and LATGALE-1, and activity R1 (VIDZEME, 3
    participants) with one of them attending."""
    a, b = f.organization(session), f.organization(session)
    cohort = f.cohort(session, "VIDZEME", number=1)
    f.cohort(session, "LATGALE", number=1)
    f.activity(session, external_ref="R1", total_participants=3,
               participations=[{"organization_id": a.id, "attendees": 1}])
    return World(org=a.reg_no, org2=b.reg_no, cohort=cohort)


# Encodings, separators, date styles ------------------------------------------------------------

@pytest.mark.parametrize(("encoding", "sep", "day"), [
    ("utf-8", ",", "2025-03-14"),
    ("utf-8-sig", ";", "14.03.2025"),
    ("cp1257", ";", "14.03.2025"),
    ("utf-8", "\t", "2025-03-14"),
    ("cp1257", ",", "2025-03-14"),
])
def test_activities_in_every_encoding_separator_and_date_style(
        session: Session, world: World, encoding: str, sep: str, day: str) -> None:
    data = csv_file([
        [" Atsauce ", "Inkubators", "Veids", "Nosaukums", "Datums", "Stundas", "Formāts",
         "Pašvaldības ATVK kods", "Kapacitātes jomas", "Dalībnieku skaits kopā", "Cikls"],
        ["Ž-1", "vidzeme", "apmācība", " Ūdensrožu biedrības apmācība ", day, "2,5",
         "klātienē", "54000", "finance|Stratēģija", "12", "1"],
        ["", "", "", "", "", "", "", "", "", "", ""],
    ], sep=sep, encoding=encoding)

    report = run(session, "activities", data)

    assert (report.rows, report.valid, report.created, report.written) == (1, 1, 1, True)
    activity = session.scalars(select(Activity).where(Activity.external_ref == "Ž-1")).one()
    assert (activity.title, activity.activity_date, activity.hours, activity.type,
            activity.format, activity.cohort_id) == (
        "Ūdensrožu biedrības apmācība", dt.date(2025, 3, 14), Decimal("2.5"), "training",
        "in_person", world.cohort)
    assert sorted(a.area for a in activity.areas) == ["finance", "strategy"]


def test_excel_first_sheet_and_an_export_with_a_title_row(session: Session,
                                                          world: World) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["reg_no", "name", "founded_on", "members"])
    founded = dt.datetime(2010, 1, 2)  # noqa: DTZ001 - a date cell of a workbook
    sheet.append([int(world.org2), "Jauns nosaukums", founded, 7])
    buffer = io.BytesIO()
    book.save(buffer)

    report = run(session, "organizations", buffer.getvalue(), filename="orgs.xlsx")

    assert (report.updated, report.problems) == (1, ())
    org = session.scalars(select(Organization).where(Organization.reg_no == world.org2)).one()
    assert (org.name, org.founded_on, org.members) == ("Jauns nosaukums", dt.date(2010, 1, 2), 7)
    # an export workbook has its title above the headings: it imports as it is
    data, _rows = service.export_file(session, actor=ADMIN, kind="organizations", fmt="xlsx")
    again = run(session, "organizations", data, filename="export.xlsx")
    assert (again.problems, again.created, again.updated) == ((), 0, 0)


# Bad rows and files ----------------------------------------------------------------------------

ORG = "{org}"
ACT_OK = ["A9", "VIDZEME", "training", "Apmācība", "2025-03-14", "2", "online", "", "finance",
          "5", "submitted", ""]


def act(**changes: str) -> list[list[str]]:
    row = dict(zip(ACTIVITY_HEADER, ACT_OK, strict=True)) | changes
    return [ACTIVITY_HEADER, [row[c] for c in ACTIVITY_HEADER]]


ASSESS = ["reg_no", "cohort", "kind", "assessed_on", "governance", "strategy", "finance",
          "people", "delivery", "communication", "advocacy"]
MILE = ["reg_no", "incubator", "kind", "achieved_on", "amount_eur"]
PART = ["activity_ref", "incubator", "reg_no", "attendees"]
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100

BAD: list[tuple[str, str, Any, str]] = [
    # (id, kind, rows or raw bytes, English message)
    ("reg_no checksum", "organizations", [["reg_no", "name"], ["40008000010", "Biedrība"]],
     "the registration number's check digit is wrong"),
    ("reg_no format", "organizations", [["reg_no", "name"], ["123", "Biedrība"]],
     "a registration number must be 11 digits"),
    ("reg_no of a person", "organizations", [["reg_no", "name"], ["12345678901", "Biedrība"]],
     "is not a legal entity's registration number"),
    ("unknown municipality", "organizations",
     [["reg_no", "name", "municipality_atvk"], ["40008000009", "Biedrība", "0999999"]],
     "is not a known municipality"),
    ("founded in the future", "organizations",
     [["reg_no", "name", "founded_on"], ["40008000009", "Biedrība", "01.01.2099"]],
     "the date cannot be in the future"),
    ("bad e-mail", "organizations",
     [["reg_no", "name", "contact_email"], ["40008000009", "Biedrība", "nav-epasts"]],
     "is not a valid e-mail address"),
    ("negative members", "organizations",
     [["reg_no", "name", "members"], ["40008000009", "Biedrība", "-3"]], "must be at least 0"),
    ("unknown legal form", "organizations",
     [["reg_no", "name", "legal_form"], ["40008000009", "Biedrība", "SIA"]],
     "is not an allowed value"),
    ("date outside the programme", "activities", act(date="2024-12-31"),
     "the date must be inside the programme period, 1 Jan 2025 to 31 Dec 2026"),
    ("not a date", "activities", act(date="31.02.2025"),
     "must be a date (YYYY-MM-DD or DD.MM.YYYY)"),
    ("zero hours", "activities", act(hours="0"), "must be greater than 0"),
    ("too many hours", "activities", act(hours="250"), "must be at most 200"),
    ("unknown type", "activities", act(type="ballīte"), "is not an allowed value"),
    ("unknown incubator", "activities", act(incubator="RIGA"), "is not a known incubator"),
    ("unknown cycle", "activities", act(cohort="VIDZEME-9"), "is not a known cycle"),
    ("cycle of another incubator", "activities", act(cohort="LATGALE-1"),
     "the cycle belongs to another incubator"),
    ("title too short", "activities", act(title="ab"), "must have at least 3 characters"),
    ("negative total", "activities", act(total_participants="-1"), "must be at least 0"),
    ("unknown capacity area", "activities", act(capacity_areas="finance; sports"),
     "is not an allowed value"),
    ("municipality gone on the date", "activities", act(format="in_person",
                                                        municipality_atvk="1234567"),
     "is not a known municipality"),
    ("missing ref", "activities", act(ref=""), "is required"),
    ("duplicate ref in one file", "activities", [*act(), ACT_OK],
     "the same record is already in row 2"),
    ("lower total than booked", "activities", act(ref="R1", total_participants="0"),
     "attendees add up to 1, more than the total participants (0)"),
    ("unknown column", "activities", [[*ACTIVITY_HEADER, "colour"], [*ACT_OK, "red"]],
     "Unknown column “colour”"),
    ("missing required column", "activities",
     [[c for c in ACTIVITY_HEADER if c != "hours"],
      [v for c, v in zip(ACTIVITY_HEADER, ACT_OK, strict=True) if c != "hours"]],
     "The required column “hours” (Stundas) is missing."),
    ("duplicate column", "activities", [[*ACTIVITY_HEADER, "Atsauce"], [*ACT_OK, "A9"]],
     "The column “Atsauce” repeats the column “ref”."),
    ("cell without a heading", "activities", [ACTIVITY_HEADER, [*ACT_OK, "stray"]],
     "the row has values beyond the columns that have a heading"),
    ("header only", "activities", [ACTIVITY_HEADER], "The file has headings only, no data row."),
    ("negative attendees", "participations", [PART, ["R1", "VIDZEME", ORG, "-2"]],
     "must be at least 1"),
    ("unknown activity_ref", "participations", [PART, ["NAV", "VIDZEME", ORG, "1"]],
     "this incubator has no activity with this reference (import the activities first)"),
    ("unknown organisation", "participations", [PART, ["R1", "VIDZEME", "40008000009", "1"]],
     "is not a known organisation"),
    ("attendees over the total", "participations", [PART, ["R1", "VIDZEME", "{org2}", "3"]],
     "attendees add up to 4, more than the total participants (3)"),
    ("score above 4", "assessments",
     [ASSESS, [ORG, "VIDZEME-1", "intake", "2025-03-01", "5", "1", "1", "1", "1", "1", "1"]],
     "must be at most 4"),
    ("missing score", "assessments",
     [ASSESS, [ORG, "", "intake", "2025-03-01", "2", "", "1", "1", "1", "1", "1"]],
     "is required"),
    ("unknown assessment kind", "assessments",
     [ASSESS, [ORG, "", "final", "2025-03-01", "2", "2", "1", "1", "1", "1", "1"]],
     "is not an allowed value"),
    ("negative amount", "milestones", [MILE, [ORG, "VIDZEME", "grant_awarded", "2025-05-05",
                                              "-100"]], "must be at least 0"),
    ("unknown milestone kind", "milestones", [MILE, [ORG, "", "party", "2025-05-05", ""]],
     "is not an allowed value"),
    ("formula cell", "activities", act(title="=HYPERLINK(\"x\")"),
     "Row 2, column 4 holds a formula; import values only."),
    ("too big", "organizations", b"reg_no,name\n" + b"x" * (21 * 1024 * 1024),
     "The file is too big (21.0 MB; the limit is 20.0 MB)."),
    ("binary", "organizations", b"\x00\x01\x02\x03binary", "This is not a text (CSV) or "
                                                          "Excel (.xlsx) file."),
    ("broken xlsx", "organizations", b"PK\x03\x04 not really a zip",
     "The Excel file is broken or not in .xlsx format."),
    (".xls", "organizations", XLS_MAGIC, "The old Excel format (.xls) is not supported"),
    ("empty file", "organizations", b"", "The file is empty."),
    ("broken csv quoting", "organizations", b'reg_no,name\n40008000009,"Biedr\n',
     "The CSV file is broken"),
]


@pytest.mark.parametrize(("kind", "content", "message"), [c[1:] for c in BAD],
                         ids=[c[0] for c in BAD])
def test_bad_rows_and_files_are_refused_with_a_message_and_change_nothing(
        session: Session, world: World, kind: str, content: Any, message: str) -> None:
    if isinstance(content, bytes):
        data = content
    else:
        data = csv_file([[c.format(org=world.org, org2=world.org2) for c in r]
                         for r in content])
    before = counts(session)
    filename = "old.xls" if content is XLS_MAGIC else "file.csv"

    try:
        report = run(session, kind, data, filename=filename)
    except FileRefused as refused:
        assert message in refused.message("en")
    else:
        assert not report.written
        assert any(message in m for m in messages(report)), messages(report)
        # and in Latvian too
        assert all(p.message("lv") for p in report.problems)
    assert counts(session) == before


def test_a_problem_names_row_column_and_value(session: Session, world: World) -> None:
    data = csv_file([["Reģistrācijas numurs", "Nosaukums"], ["40008000009", "Biedrība"],
                     ["40008000010", "Biedrība"]])

    report = run(session, "organizations", data)

    assert (report.rows, report.valid, report.written) == (2, 1, False)
    assert [(p.row, p.column, p.value, p.code) for p in report.problems] == [
        (3, "Reģistrācijas numurs", "40008000010", "reg_no_checksum")]
    assert report.problems[0].message("lv") == "reģistrācijas numura kontrolcipars nav pareizs"


# Staff -----------------------------------------------------------------------------------------

def test_staff_import_only_into_their_incubator(session: Session, world: World) -> None:
    staff = f.actor(session, Role.STAFF, "LATGALE")
    before = counts(session)

    report = run(session, "activities", csv_file(act()), actor=staff)
    approved = run(session, "activities", csv_file(act(incubator="LATGALE",
                                                       status="approved")), actor=staff)

    assert messages(report) == ["you may import only your own incubator's (LATGALE) data"]
    assert messages(approved) == ["activities come in as drafts or submitted; only an "
                                  "administrator loading existing records may give the status "
                                  "approved or returned"]
    assert counts(session) == before
    mine = run(session, "activities", csv_file(act(incubator="LATGALE")), actor=staff)
    assert (mine.created, mine.written) == (1, True)
    with pytest.raises(PermissionDenied):
        run(session, "activities", csv_file(act()),
            actor=Actor(user_id=None, email="f@x.lv", role=Role.FUNDER))


def test_staff_cannot_change_an_organisation_of_another_incubator(session: Session,
                                                                  world: World) -> None:
    staff = f.actor(session, Role.STAFF, "LATGALE")
    data = csv_file([["reg_no", "name"], [world.org, "Pārdēvēta"], [world.org2, "Cita"]])

    report = run(session, "organizations", data, actor=staff)

    # org attended a Vidzeme activity; org2 nobody works with yet
    assert [(p.row, p.message("en")) for p in report.problems] == [
        (2, "another incubator works with this organisation")]
    assert report.valid == 1


# Idempotence, valid-only, dry run --------------------------------------------------------------

def test_the_same_files_twice_change_nothing(session: Session, world: World) -> None:
    files = {
        "organizations": csv_file([["reg_no", "name", "fields_of_activity", "legal_form"],
                                   ["40008000009", "Biedrība „Ābele”", "vide; kultūra",
                                    "nodibinājums"]]),
        "activities": csv_file([*act(ref="B1"), ["B2", *ACT_OK[1:]]]),
        "participations": csv_file([PART, ["B1", "VIDZEME", "40008000009", "2"],
                                    ["B2", "VIDZEME", "40008000009", "1"],
                                    ["B2", "VIDZEME", world.org, "3"]]),
        "assessments": csv_file([[*ASSESS, "notes"],
                                 ["40008000009", "", "sākuma", "01.03.2025", "1", "2", "3",
                                  "4", "1", "2", "3", "Pirmais"]]),
        "milestones": csv_file([[*MILE, "reference"],
                                ["40008000009", "", "grant_awarded", "2025-05-05", "1200,50",
                                 "L-1"]]),
    }
    created = {k: run(session, k, v).created for k, v in files.items()}
    after_first = counts(session)

    second = {k: run(session, k, v) for k, v in files.items()}

    assert created == {"organizations": 1, "activities": 2, "participations": 3,
                       "assessments": 1, "milestones": 1}
    assert {k: (r.created, r.updated, r.unchanged) for k, r in second.items()} == {
        "organizations": (0, 0, 1), "activities": (0, 0, 2), "participations": (0, 0, 3),
        "assessments": (0, 0, 1), "milestones": (0, 0, 1)}
    assert counts(session) == after_first | {"audit_log": after_first["audit_log"] + 5}
    org = session.scalars(select(Organization).where(Organization.reg_no == "40008000009")).one()
    assert (org.legal_form, org.fields_of_activity) == ("foundation", ["vide", "kultūra"])
    assessment = session.scalars(select(Assessment).where(
        Assessment.organization_id == org.id)).one()
    assert assessment.capacity_index == Decimal("57.14")
    # a changed value updates the record and only it
    changed = run(session, "milestones", csv_file([[*MILE, "reference"], [
        "40008000009", "", "grant_awarded", "2025-05-05", "1300", "L-1"]]))
    assert (changed.created, changed.updated) == (0, 1)
    assert session.scalar(select(Milestone.amount_eur).where(
        Milestone.reference == "L-1")) == Decimal("1300")


def test_valid_only_writes_the_valid_rows_and_dry_run_nothing(session: Session,
                                                             world: World) -> None:
    data = csv_file([*act(ref="V1"), ["V2", *ACT_OK[1:4], "2099-01-01", *ACT_OK[5:]]])
    before = counts(session)

    dry = run(session, "activities", data, dry_run=True, valid_only=True)
    blocked = run(session, "activities", data)
    assert counts(session) == before
    partial = run(session, "activities", data, valid_only=True)

    assert (dry.written, dry.valid, dry.created) == (False, 1, 1)
    assert (blocked.written, blocked.created) == (False, 1)
    assert (partial.written, partial.created, partial.rows, partial.valid) == (True, 1, 2, 1)
    assert [p.row for p in partial.problems] == [3]
    assert session.scalar(select(func.count()).select_from(Activity).where(
        Activity.external_ref.in_(["V1", "V2"]))) == 1


def test_import_raises_the_data_version_and_writes_one_audit_row(session: Session,
                                                                world: World) -> None:
    session.commit()  # a savepoint in tests: the version is read inside the transaction
    before = data_version.current(session)
    ticks: list[float] = []

    report = run(session, "activities", csv_file(act(ref="D1")), filename="d.csv",
                 progress=ticks.append)

    assert report.created == 1
    session.flush()
    assert data_version.current(session) > before
    entry = session.scalars(select(AuditLog).where(AuditLog.entity == "import")).one()
    assert entry.after == {"kind": "activities", "file": "d.csv", "rows": 1, "created": 1,
                           "updated": 0, "unchanged": 0, "rejected": 0, "valid_only": False}
    assert ticks[0] == 0.0 and ticks[-1] == 1.0 and ticks == sorted(ticks)


def test_neutralised_cells_come_back_as_they_were(session: Session, world: World) -> None:
    data = csv_file([*act(ref="'-N1", title="'-5 % atlaide"),
                     ["'+N2", *ACT_OK[1:3], "'Pēdiņas'", *ACT_OK[4:]]])

    report = run(session, "activities", data)

    assert report.created == 2, messages(report)
    titles = dict(session.execute(select(Activity.external_ref, Activity.title).where(
        Activity.external_ref.in_(["-N1", "+N2"]))).all())
    assert titles == {"-N1": "-5 % atlaide", "+N2": "'Pēdiņas'"}


def test_templates_import_as_they_are(session: Session) -> None:
    f.cohort(session, "VIDZEME", number=1)
    manual_indicator(session)  # the indicator_entries example names one added by hand
    for kind in service.KINDS:
        for fmt, lang in (("csv", "lv"), ("xlsx", "en")):
            report = run(session, kind, service.template(kind, fmt, lang),
                         filename=f"t.{fmt}")
            assert report.problems == (), (kind, fmt, messages(report))
    assert [c.name for c in service.columns("participations")] == [
        "activity_ref", "incubator", "reg_no", "attendees"]


# Review rules hold for imports (issue 6) --------------------------------------------------------

def test_imports_follow_the_review_rules(session: Session, world: World) -> None:
    """Managers import drafts or submitted activities only; nothing goes into a closed quarter;
    an approved activity and its participations do not change; staff cannot change what is in
    review. Each refusal names the row and changes nothing."""
    manager = f.actor(session, Role.MANAGER)
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    before = counts(session)
    approved = run(session, "activities", csv_file(act(status="approved")), actor=manager)
    assert messages(approved)[0].startswith("activities come in as drafts or submitted")
    session.add(PeriodClosure(incubator_id=f.incubator_id(session, "VIDZEME"), year=2025,
                              quarter=1, closed_at=dt.datetime.now(dt.UTC)))
    session.flush()
    closed = run(session, "activities", csv_file(act(date="2025-02-02")), actor=manager)
    assert [(p.row, p.column, p.code) for p in closed.problems] == [
        (2, "date", "not_allowed.quarter_closed")]
    assert "2025 Q1" in messages(closed)[0]
    assert counts(session) == before

    # R1 (submitted, 2025-05-14): staff may not change it while it is in review ...
    r1 = act(ref="R1", date="2025-05-14", title="Labots")
    in_review = run(session, "activities", csv_file(r1), actor=staff)
    assert [p.code for p in in_review.problems] == ["not_allowed.in_review"]
    extra = csv_file([PART, ["R1", "VIDZEME", world.org2, "1"]])
    assert [p.code for p in run(session, "participations", extra, actor=staff).problems] == [
        "not_allowed.in_review"]
    # ... a manager may; once approved nobody may, and an unchanged row is still fine
    assert run(session, "activities", csv_file(r1), actor=manager).updated == 1
    r1_id = session.scalars(select(Activity.id).where(Activity.external_ref == "R1")).one()
    session.execute(update(Activity).where(Activity.id == r1_id).values(status="approved"))
    session.expire_all()
    again = run(session, "activities", csv_file(act(ref="R1", date="2025-05-14",
                                                    title="Vēlreiz", status="approved")))
    assert [p.code for p in again.problems] == ["not_allowed.approved"]
    same = run(session, "activities", csv_file(act(ref="R1", date="2025-05-14", title="Labots",
                                                   status="approved")))
    assert (same.problems, same.unchanged) == ((), 1)
    assert [p.code for p in run(session, "participations", extra).problems] == [
        "not_allowed.approved"]


def test_milestones_in_a_closed_quarter_are_refused(session: Session, world: World) -> None:
    """A milestone counts for its incubator's quarter: once closed, neither the form nor an
    import adds or changes one there; another quarter is fine."""
    from tracker.errors import NotAllowed
    from tracker.schemas import MilestoneCreate
    from tracker.services import milestones

    vidzeme = f.incubator_id(session, "VIDZEME")
    session.add(PeriodClosure(incubator_id=vidzeme, year=2025, quarter=2,
                              closed_at=dt.datetime.now(dt.UTC)))
    session.flush()
    org_id = session.scalars(select(Organization.id).where(
        Organization.reg_no == world.org)).one()
    with pytest.raises(NotAllowed):
        milestones.record_milestone(session, actor=ADMIN, data=MilestoneCreate(
            organization_id=org_id, incubator_id=vidzeme, kind="grant_applied",
            achieved_on=dt.date(2025, 5, 5)))
    before = counts(session)
    report = run(session, "milestones", csv_file([
        MILE, [world.org, "VIDZEME", "grant_applied", "2025-05-05", ""],
        [world.org, "VIDZEME", "grant_applied", "2025-07-05", ""]]), valid_only=True)
    assert [(p.row, p.column, p.code) for p in report.problems] == [
        (2, "achieved_on", "not_allowed.quarter_closed")]
    assert report.created == 1
    assert counts(session)["milestones"] == before["milestones"] + 1


def test_assessments_in_a_closed_quarter_are_refused(session: Session, world: World) -> None:
    """An assessment in a cycle counts for its incubator's quarter, like a milestone."""
    from tracker.errors import NotAllowed
    from tracker.schemas import AssessmentCreate
    from tracker.services import assessments

    session.add(PeriodClosure(incubator_id=f.incubator_id(session, "VIDZEME"), year=2025,
                              quarter=2, closed_at=dt.datetime.now(dt.UTC)))
    session.flush()
    org_id = session.scalars(select(Organization.id).where(
        Organization.reg_no == world.org)).one()
    with pytest.raises(NotAllowed):
        assessments.record_assessment(session, actor=ADMIN, data=AssessmentCreate(
            organization_id=org_id, cohort_id=world.cohort, kind="intake",
            assessed_on=dt.date(2025, 5, 5), scores={a: 2 for a in ASSESS[4:]}))
    scores = ["2"] * 7
    report = run(session, "assessments", csv_file([
        ASSESS, [world.org, "VIDZEME-1", "intake", "2025-05-05", *scores],
        [world.org, "VIDZEME-1", "midpoint", "2025-07-05", *scores]]), valid_only=True)
    assert [(p.row, p.column, p.code) for p in report.problems] == [
        (2, "assessed_on", "not_allowed.quarter_closed")]
    assert report.created == 1


def test_activities_arrive_submitted_or_as_drafts_by_choice(session: Session,
                                                           world: World) -> None:
    rows = act(ref="S1", status="")
    rows.append([*rows[1]])
    rows[2][0], rows[2][ACTIVITY_HEADER.index("status")] = "S2", "submitted"
    assert run(session, "activities", csv_file(rows[:2])).created == 1
    assert run(session, "activities", csv_file([rows[0], rows[2]]), as_drafts=True).created == 1
    drafts = run(session, "activities", csv_file(act(ref="S3", status="")), as_drafts=True)
    assert drafts.created == 1
    statuses = dict(session.execute(select(Activity.external_ref, Activity.status).where(
        Activity.external_ref.in_(["S1", "S2", "S3"]))).all())
    assert statuses == {"S1": "submitted", "S2": "submitted", "S3": "draft"}
