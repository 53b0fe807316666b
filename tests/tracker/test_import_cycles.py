"""Cycles and enrolments from spreadsheets: created, recognised again, updated, and every
refusal named by row and column with nothing written; who may import them; a workbook of
every kind checked and loaded all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.enums import Role
from db.models import AuditLog, Cohort, Enrollment
from tests import factories as f
from tests.tracker.test_imports import csv_file, messages, run
from tracker.auth import Actor
from tracker.errors import PermissionDenied
from tracker.exports import Table, to_xlsx
from tracker.imports import workbook
from tracker.imports.files import FileRefused

ADMIN = Actor.system()
COHORT_HEADER = ["cohort", "name", "call_opens_on", "call_closes_on", "start_date", "end_date",
                 "seats"]
ENROLLMENT_HEADER = ["cohort", "reg_no", "status", "applied_on", "admitted_on", "graduated_on",
                     "closed_on", "note"]


def _cohorts(session: Session) -> list[tuple[object, ...]]:
    return [tuple(r) for r in session.execute(
        select(Cohort.number, Cohort.name, Cohort.call_opens_on, Cohort.call_closes_on,
               Cohort.start_date, Cohort.end_date, Cohort.seats)
        .where(Cohort.name.like("Cikls%")).order_by(Cohort.number))]


def _enrollments(session: Session) -> list[tuple[object, ...]]:
    return [tuple(r) for r in session.execute(
        select(Enrollment.status, Enrollment.applied_on, Enrollment.admitted_on,
               Enrollment.graduated_on, Enrollment.closed_on, Enrollment.note)
        .order_by(Enrollment.id))]


def test_cohorts_are_created_recognised_and_updated(session: Session) -> None:
    data = csv_file([COHORT_HEADER,
                     ["VIDZEME-7", "Cikls 7", "01.09.2025", "2025-09-30", "2025-10-15",
                      "2026-06-30", "15"],
                     ["latgale-8", "Cikls 8", "", "", "2026-01-10", "2026-11-30", ""]])
    first = run(session, "cohorts", data)
    assert messages(first) == [] and (first.created, first.updated) == (2, 0)
    assert _cohorts(session) == [
        (7, "Cikls 7", dt.date(2025, 9, 1), dt.date(2025, 9, 30), dt.date(2025, 10, 15),
         dt.date(2026, 6, 30), 15),
        (8, "Cikls 8", None, None, dt.date(2026, 1, 10), dt.date(2026, 11, 30), None)]
    again = run(session, "cohorts", data)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    renamed = run(session, "cohorts", csv_file([["cohort", "name", "start_date", "end_date"],
                                                ["VIDZEME-7", "Cikls septītais", "2025-10-15",
                                                 "2026-06-30"]]))
    assert (renamed.created, renamed.updated) == (0, 1)
    assert _cohorts(session)[0][:3] == (7, "Cikls septītais", dt.date(2025, 9, 1))


@pytest.mark.parametrize(("row", "column", "message"), [
    (["VIDZEME", "Cikls", "", "", "2025-10-15", "2026-06-30", ""], "cohort", "INCUBATOR-NUMBER"),
    (["RIGA-1", "Cikls", "", "", "2025-10-15", "2026-06-30", ""], "cohort", "incubator"),
    (["VIDZEME-7", "Cikls", "", "", "2026-06-30", "2025-10-15", ""], None, "end date"),
    (["VIDZEME-7", "Cikls", "2025-10-01", "2025-09-01", "2025-10-15", "2026-06-30", ""],
     "call_closes_on", ""),
    (["VIDZEME-7", "Cikls", "", "", "2024-10-15", "2026-06-30", ""], "start_date", "programme"),
    (["VIDZEME-7", "", "", "", "2025-10-15", "2026-06-30", ""], "name", "required"),
    (["VIDZEME-7", "Cikls", "", "", "2025-10-15", "2026-06-30", "-3"], "seats", ""),
])
def test_a_bad_cohort_row_is_named_and_nothing_is_written(
        session: Session, row: list[str], column: str | None, message: str) -> None:
    before = session.scalar(select(func.count()).select_from(Cohort))
    report = run(session, "cohorts", csv_file([COHORT_HEADER, row]))
    assert not report.written and report.problems
    if column is not None:
        assert column in [p.column for p in report.problems], messages(report)
    assert any(message in m for m in messages(report)), messages(report)
    assert session.scalar(select(func.count()).select_from(Cohort)) == before


@pytest.mark.parametrize("role", [Role.MANAGER, Role.STAFF])
def test_only_an_administrator_imports_cohorts(session: Session, role: Role) -> None:
    report = run(session, "cohorts", csv_file([COHORT_HEADER, ["VIDZEME-7", "Cikls 7", "", "",
                                                               "2025-10-15", "2026-06-30", ""]]),
                 actor=f.actor(session, role))
    assert not report.written and messages(report) == ["only an administrator imports cycles"]


def test_enrollments_with_their_statuses_and_dates(session: Session) -> None:
    a, b, c = (f.organization(session) for _ in range(3))
    f.cohort(session, "VIDZEME", number=4)
    data = csv_file([ENROLLMENT_HEADER,
                     ["VIDZEME-4", a.reg_no, "graduated", "2025-02-01", "2025-02-10",
                      "2025-12-01", "", "Labi"],
                     ["VIDZEME-4", b.reg_no, "uzņemta", "2025-02-01", "10.02.2025", "", "", ""],
                     ["VIDZEME-4", c.reg_no, "withdrawn", "2025-02-01", "2025-02-10", "",
                      "2025-05-01", ""]])
    report = run(session, "enrollments", data)
    assert messages(report) == [] and report.created == 3
    assert _enrollments(session) == [
        ("graduated", dt.date(2025, 2, 1), dt.date(2025, 2, 10), dt.date(2025, 12, 1), None,
         "Labi"),
        ("admitted", dt.date(2025, 2, 1), dt.date(2025, 2, 10), None, None, None),
        ("withdrawn", dt.date(2025, 2, 1), dt.date(2025, 2, 10), None, dt.date(2025, 5, 1),
         None)]
    assert run(session, "enrollments", data).unchanged == 3
    # forward is fine: admitted -> graduated
    onward = run(session, "enrollments", csv_file([
        ENROLLMENT_HEADER, ["VIDZEME-4", b.reg_no, "graduated", "2025-02-01", "2025-02-10",
                            "2025-11-30", "", ""]]))
    assert (onward.updated, messages(onward)) == (1, [])
    # back is not: graduated -> applied
    back = run(session, "enrollments", csv_file([
        ENROLLMENT_HEADER, ["VIDZEME-4", a.reg_no, "applied", "2025-02-01", "", "", "", ""]]))
    assert not back.written
    assert messages(back) == ["The status cannot change from “graduated” to “applied”."]
    lv = back.problems[0].message("lv")
    assert "absolvējusi" in lv or "absolv" in lv, lv


@pytest.mark.parametrize(("row", "column", "message"), [
    (["admitted", "2025-02-01", "", "", ""], "admitted_on", "needs this date"),
    (["applied", "2025-02-01", "2025-02-10", "", ""], "admitted_on", "has no such date"),
    (["graduated", "2025-02-01", "2025-02-10", "", ""], "graduated_on", "needs this date"),
    (["rejected", "2025-02-01", "", "", ""], "closed_on", "needs this date"),
    (["admitted", "2025-02-10", "2025-02-01", "", ""], "admitted_on", "before"),
    (["withdrawn", "2025-02-10", "2025-03-01", "", "2025-02-20"], "closed_on", "before"),
    (["admitted", "2025-02-01", "2027-02-01", "", ""], "admitted_on", "programme"),
    (["promoted", "2025-02-01", "", "", ""], "status", ""),
    (["applied", "31.02.2025", "", "", ""], "applied_on", ""),
])
def test_a_bad_enrollment_row_is_named_and_nothing_is_written(
        session: Session, row: list[str], column: str, message: str) -> None:
    org = f.organization(session)
    f.cohort(session, "VIDZEME", number=4)
    report = run(session, "enrollments", csv_file([ENROLLMENT_HEADER[:7],
                                                   ["VIDZEME-4", org.reg_no, *row]]))
    assert not report.written
    assert [p.column for p in report.problems] == [column], messages(report)
    assert message in messages(report)[0]
    assert _enrollments(session) == []


def test_enrollment_rows_point_at_known_cycles_and_organisations(session: Session) -> None:
    org = f.organization(session)
    f.cohort(session, "VIDZEME", number=4)
    report = run(session, "enrollments", csv_file([
        ["cohort", "reg_no", "applied_on"],
        ["VIDZEME-9", org.reg_no, "2025-02-01"],
        ["VIDZEME-4", "40008000009", "2025-02-01"],
        ["VIDZEME-4", org.reg_no, "2025-02-01"],
        ["VIDZEME-4", org.reg_no, "2025-02-01"]]))
    assert messages(report) == ["is not a known cycle", "is not a known organisation",
                                "the same record is already in row 4"]
    assert [p.row for p in report.problems] == [2, 3, 5]
    assert _enrollments(session) == []


def test_staff_enrol_into_their_own_incubator_only(session: Session) -> None:
    org = f.organization(session)
    f.cohort(session, "VIDZEME", number=4)
    f.cohort(session, "LATGALE", number=4)
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    report = run(session, "enrollments", csv_file([
        ["cohort", "reg_no", "applied_on"], ["LATGALE-4", org.reg_no, "2025-02-01"],
        ["VIDZEME-4", org.reg_no, "2025-02-01"]]), actor=staff, valid_only=True)
    assert messages(report) == ["you may import only your own incubator's (VIDZEME) data"]
    assert report.created == 1 and len(_enrollments(session)) == 1


def test_a_workbook_is_loaded_all_or_nothing(session: Session) -> None:
    org = f.organization(session)
    audits = session.scalar(select(func.count()).select_from(AuditLog))
    cohorts = Table("Cikli", COHORT_HEADER, [["ZEMGALE-6", "Cikls 6", None, None,
                                               dt.date(2025, 3, 1), dt.date(2025, 11, 30), 12]])
    good = Table("Enrollments", ENROLLMENT_HEADER[:4], [["ZEMGALE-6", org.reg_no, "applied",
                                                        "2025-02-20"]])
    bad = Table("Enrollments", ENROLLMENT_HEADER[:4], [
        ["ZEMGALE-6", org.reg_no, "applied", "2025-02-20"],
        ["ZEMGALE-6", "40008000009", "applied", "2025-02-20"]])
    # the enrolments sheet comes first in the workbook, yet it finds the cycle loaded before it
    blocked = workbook.run_import_all(session, actor=ADMIN, data=to_xlsx([bad, cohorts]),
                                      filename="all.xlsx", dry_run=False)
    assert not blocked.written and [r.kind for r in blocked.reports] == ["cohorts",
                                                                        "enrollments"]
    assert [(p.sheet, p.row, p.message("en")) for p in blocked.problems] == [
        ("Enrollments", 4, "is not a known organisation")]
    assert _cohorts(session) == [] and _enrollments(session) == []
    assert session.scalar(select(func.count()).select_from(AuditLog)) == audits

    partly = workbook.run_import_all(session, actor=ADMIN, data=to_xlsx([bad, cohorts]),
                                     filename="all.xlsx", dry_run=False, valid_only=True)
    assert partly.written and (partly.created, partly.rejected) == (2, 1)
    assert len(_cohorts(session)) == 1 and len(_enrollments(session)) == 1

    again = workbook.run_import_all(session, actor=ADMIN, data=to_xlsx([cohorts, good]),
                                    filename="all.xlsx", dry_run=False)
    assert again.written and (again.created, again.unchanged) == (0, 2)


def test_a_workbook_with_a_stranger_sheet_or_not_a_workbook_is_refused(
        session: Session) -> None:
    stranger = Table("Budžets", ["a", "b"], [["1", "2"]])
    report = workbook.run_import_all(session, actor=ADMIN, data=to_xlsx([stranger]),
                                     filename="all.xlsx", dry_run=False)
    assert not report.written and report.reports == ()
    assert report.problems[0].message("en").startswith(
        "The workbook's sheet “Budžets” is not the name of a kind")
    with pytest.raises(FileRefused) as refused:
        workbook.run_import_all(session, actor=ADMIN, data=b"cohort,name\r\nA-1,x\r\n",
                                filename="all.csv", dry_run=False)
    assert refused.value.code == "import_all_xlsx"
    with pytest.raises(PermissionDenied):
        workbook.run_import_all(session, actor=Actor(None, "f@x.lv", Role.FUNDER),
                                data=to_xlsx([stranger]), filename="all.xlsx", dry_run=True)
    with pytest.raises(PermissionDenied):
        workbook.export_workbook(session, actor=Actor(None, "f@x.lv", Role.FUNDER))
