"""Register of Enterprises import: real register.csv files, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import data_version
from db.enums import Role
from db.models import AuditLog, Municipality, Organization
from tests.factories import actor, organization, reg_no
from tracker.auth import Actor
from tracker.errors import PermissionDenied
from tracker.imports import register
from tracker.imports.files import FileRefused
from tracker.imports.register import COLUMNS, RegisterReport, import_register
from tracker.services import organizations

ADMIN = Actor.system()
B_TEXT, K_TEXT = "Biedrību un nodibinājumu reģistrs", "Komercreģistrs"
TYPE_TEXT = {"BDR": "Biedrība", "NOD": "Nodibinājums", "ARB": "Arodbiedrība",
             "SIA": "Sabiedrība ar ierobežotu atbildību"}


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def row(regcode: str, name: str, *, regtype: str = "B", type_: str = "BDR",
        registered: str = "2015-03-02", terminated: str = "", closed: str = " ",
        address: str = "Rīga, Latgales iela 180 - 5", atvk: str = "0001000") -> str:
    """One line as the register publishes it: quoted names, a space for `closed`, `;` at the end."""
    cells = {"regcode": regcode, "sepa": f"LV49ZZZ{regcode}", "name": _quoted(name),
             "name_before_quotes": '""', "name_in_quotes": _quoted(name.strip('"')),
             "name_after_quotes": '""', "without_quotes": "0", "regtype": regtype,
             "regtype_text": B_TEXT if regtype == "B" else K_TEXT, "type": type_,
             "type_text": TYPE_TEXT.get(type_, ""), "registered": registered,
             "terminated": terminated, "closed": closed, "address": _quoted(address),
             "index": "1019", "addressid": "112303082", "region": "0", "city": "100003003",
             "atvk": _quoted(atvk), "reregistration_term": ""}
    return ";".join(cells[c] for c in COLUMNS) + ";"


def write_file(tmp_path: Path, lines: list[str], header: str = ";".join(COLUMNS),
               name: str = "register.csv") -> bytes:
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8-sig", newline="")
    return path.read_bytes()


def run(session: Session, data: bytes, **options: Any) -> RegisterReport:
    merged: dict[str, Any] = {"actor": ADMIN, "dry_run": False} | options
    return import_register(session, data=data, filename="register.csv", **merged)


def muni(session: Session, atvk: str) -> int:
    value = session.scalar(select(Municipality.id).where(Municipality.atvk == atvk))
    assert value is not None
    return value


def org(session: Session, number: str) -> Organization:
    found = session.scalars(select(Organization).where(Organization.reg_no == number)).one()
    session.refresh(found)
    return found


def counts(session: Session) -> tuple[int, int]:
    return (session.scalar(select(func.count()).select_from(Organization)) or 0,
            session.scalar(select(func.count()).select_from(AuditLog)) or 0)


def test_takes_associations_and_foundations_and_maps_places(session: Session,
                                                             tmp_path: Path) -> None:
    n = [reg_no() for _ in range(8)]
    data = write_file(tmp_path, [
        row(n[0], '"House of Glory"', atvk="0038440"),  # a parish of Madonas novads
        row(n[1], 'Nodibinājums "Fonds; Zeme"', type_="NOD", atvk="0055250",  # Varakļāni
            address="Madonas nov., Varakļāni, Rīgas iela 1"),
        row(n[2], "Arodbiedrība “Skolotāji”", type_="ARB", atvk="0001000"),
        row(n[3], 'SIA "Firma"', regtype="K", type_="SIA"),
        row(n[4], 'Biedrība "Beigusies"', terminated="2020-01-10", closed="L"),
        row(n[5], "Biedrība Daugava", atvk="", address="Daugavpils, Aroniju iela 66"),
        # a code of the classifier before 2021: the address names the novads
        row(n[6], "Biedrība Zaļenieki", atvk="0540290",
            address="Jelgavas nov., Zaļenieku pag., Zaļenieki"),
        row(n[7], "Biedrība Nekurienē", atvk="", address="Nekur, Iela 1"),
    ])
    before = counts(session)

    report = run(session, data)

    assert (report.rows_read, report.taken, report.other_registers) == (8, 7, 1)
    assert (report.associations, report.foundations, report.other_forms) == (5, 1, 1)
    assert (report.created, report.updated, report.unchanged, report.skipped_ended) == \
        (6, 0, 0, 1)
    assert report.without_municipality == 1 and report.problems == () and report.written
    assert counts(session) == (before[0] + 6, before[1] + 1)  # one audit entry
    madona = muni(session, "0038001")
    first = org(session, n[0])
    assert (first.name, first.legal_form, first.municipality_id) == \
        ('"House of Glory"', "association", madona)
    assert (first.registered_on, first.terminated_on, first.register_status) == \
        (dt.date(2015, 3, 2), None, "active")
    second = org(session, n[1])
    assert (second.name, second.legal_form, second.municipality_id) == \
        ('Nodibinājums "Fonds; Zeme"', "foundation", madona)
    assert (org(session, n[2]).legal_form, org(session, n[2]).municipality_id) == \
        ("other", muni(session, "0001000"))
    assert org(session, n[5]).municipality_id == muni(session, "0002000")
    assert org(session, n[6]).municipality_id == muni(session, "0030000")
    assert org(session, n[7]).municipality_id is None
    assert org(session, n[0]).name_search == '"house of glory"'
    assert not session.scalars(select(Organization).where(
        Organization.reg_no.in_([n[3], n[4]]))).all()
    entry = session.scalars(select(AuditLog).where(AuditLog.entity == "register_import")
                            .order_by(AuditLog.id.desc())).first()
    assert entry is not None and entry.after is not None
    assert (entry.after["created"], entry.after["file"]) == (6, "register.csv")


def test_ended_organisations_are_taken_when_asked(session: Session, tmp_path: Path) -> None:
    liquidated, reorganised, terminated = reg_no(), reg_no(), reg_no()
    data = write_file(tmp_path, [
        row(liquidated, "Biedrība A", terminated="2020-01-10", closed="L"),
        row(reorganised, "Biedrība B", terminated="2021-02-11 00:00:00", closed="R"),
        row(terminated, "Biedrība C", terminated="2022-03-12"),
    ])

    report = run(session, data, include_ended=True)

    assert (report.created, report.skipped_ended) == (3, 0)
    assert [(o.register_status, o.terminated_on) for o in
            (org(session, liquidated), org(session, reorganised), org(session, terminated))] == [
        ("liquidated", dt.date(2020, 1, 10)), ("reorganized", dt.date(2021, 2, 11)),
        ("terminated", dt.date(2022, 3, 12))]
    # The profile shows what the register says (everyone who may read the organisation).
    shown = organizations.get_organization(session, actor=actor(session, Role.FUNDER),
                                           organization_id=org(session, liquidated).id)
    assert (shown.registered_on, shown.register_status, shown.terminated_on) == \
        (org(session, liquidated).registered_on, "liquidated", dt.date(2020, 1, 10))


def test_reimport_of_a_newer_file_updates_without_duplicating(
        session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    renamed, ended, same = reg_no(), reg_no(), reg_no()
    run(session, write_file(tmp_path, [row(renamed, "Biedrība Vecā"),
                                       row(ended, "Biedrība Dzīvā", atvk="0002000"),
                                       row(same, "Biedrība Tā Pati")]))
    versions = {n: org(session, n).version for n in (renamed, ended, same)}
    before = counts(session)
    monkeypatch.setattr(register, "_FULL_SCAN_FROM", 0)  # the lookup of a whole register

    report = run(session, write_file(tmp_path, [
        row(renamed, "Biedrība Jaunā"),
        # ended now; its place is no longer known: the tracker keeps the one it has
        row(ended, "Biedrība Dzīvā", terminated="2026-10-01", closed="L", atvk="",
            address="Nekur"),
        row(same, "Biedrība Tā Pati")], name="register-newer.csv"))

    assert (report.created, report.updated, report.unchanged, report.skipped_ended) == \
        (0, 2, 1, 0)
    assert counts(session) == (before[0], before[1] + 1)
    assert (org(session, renamed).name, org(session, renamed).name_search) == \
        ("Biedrība Jaunā", "biedriba jauna")
    closed = org(session, ended)
    assert (closed.register_status, closed.terminated_on, closed.municipality_id) == \
        ("liquidated", dt.date(2026, 10, 1), muni(session, "0002000"))
    # An update is a new version (an open form with the old one is refused); no change is not.
    assert org(session, renamed).version == versions[renamed] + 1
    assert org(session, same).version == versions[same]


def test_an_organisation_entered_by_hand_is_completed_from_the_register(
        session: Session, tmp_path: Path) -> None:
    mine = organization(session, name="Mūsu biedrība")  # Valmieras novads (0054000)

    report = run(session, write_file(tmp_path, [row(mine.reg_no, "Biedrība “Mūsu”", atvk="",
                                                   address="Nekur")]))

    assert (report.created, report.updated) == (0, 1)
    found = org(session, mine.reg_no)
    assert (found.name, found.registered_on, found.register_status, found.municipality_id) == \
        ("Biedrība “Mūsu”", dt.date(2015, 3, 2), "active", muni(session, "0054000"))


def test_dry_run_writes_nothing(session: Session, tmp_path: Path) -> None:
    data = write_file(tmp_path, [row(reg_no(), "Biedrība A"), row(reg_no(), "Biedrība B")])
    before, version = counts(session), data_version.current(session)

    report = run(session, data, dry_run=True)

    assert (report.created, report.written, report.dry_run) == (2, False, True)
    assert counts(session) == before and data_version.current(session) == version
    assert report.outcome("en") == "Dry run: nothing was saved."


def test_a_bad_row_is_a_problem_and_nothing_is_written(session: Session,
                                                       tmp_path: Path) -> None:
    good = reg_no()
    wrong = good[:-1] + str((int(good[-1]) + 1) % 10)  # the check digit no longer fits
    data = write_file(tmp_path, [
        row(reg_no(), "Biedrība A"), row(wrong, "Biedrība B"), row(good, ""),
        row(reg_no(), "Biedrība D", registered="2015-13-01"),
        row(reg_no(), "Biedrība E", regtype="K") + ";x"])
    before = counts(session)

    report = run(session, data)

    assert not report.written and report.invalid == 4 and report.created == 1
    assert [(p.row, p.column, p.value, p.code) for p in report.problems] == [
        (3, "regcode", wrong, "reg_no_checksum"), (4, "name", "", "required"),
        (5, "registered", "2015-13-01", "not_date"), (6, "", "", "register_row_width")]
    assert report.problems[0].describe("en") == (
        f"Row 3, column regcode, value “{wrong}”: the registration number's check digit is "
        "wrong")
    assert report.problems[0].describe("lv") == (
        f"3. rinda, kolonna regcode, vērtība “{wrong}”: reģistrācijas numura kontrolcipars nav "
        "pareizs")
    assert report.outcome("en").startswith("Nothing was saved: the file has 4 problems.")
    assert counts(session) == before

    report = run(session, data, valid_only=True)

    assert report.written and report.created == 1
    assert counts(session) == (before[0] + 1, before[1] + 1)


def test_a_number_twice_in_the_file_is_a_problem(session: Session, tmp_path: Path) -> None:
    number = reg_no()
    report = run(session, write_file(tmp_path, [row(number, "A"), row(number, "B")]),
                 dry_run=True)
    assert [(p.row, p.code, p.params) for p in report.problems] == [
        (3, "register_duplicate", {"first": 2})]


@pytest.mark.parametrize(("header", "content", "code", "text"), [
    (";".join(COLUMNS) + ";extra", None, "register_unknown_columns", "columns that register"
     ".csv of the Register of Enterprises does not have: extra."),
    (";".join(c for c in COLUMNS if c not in ("atvk", "closed")), None,
     "register_missing_columns", "lacks columns of the Register of Enterprises' register.csv: "
     "closed, atvk."),
    ("name;reg_no;municipality", None, "register_unknown_columns", "does not have: reg_no, "
     "municipality."),
    (None, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "file_binary", "not a text"),
    (None, b"", "file_empty", "empty"),
    (None, (";".join(COLUMNS) + '\n"40008000001;x\n').encode(), "file_broken_csv", "broken"),
], ids=["unknown column", "missing columns", "another file", "binary", "empty", "broken"])
def test_a_wrong_file_is_refused(session: Session, tmp_path: Path, header: str | None,
                                 content: bytes | None, code: str, text: str) -> None:
    data = content if content is not None else write_file(tmp_path, [row(reg_no(), "A")],
                                                          header=header or "")
    before = counts(session)

    with pytest.raises(FileRefused) as refused:
        run(session, data)

    assert refused.value.code == code and text in refused.value.message("en")
    assert counts(session) == before


def test_a_file_over_the_limit_is_refused(session: Session, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(register, "MAX_BYTES", 1024)
    with pytest.raises(FileRefused) as refused:
        run(session, b"x" * 2048)
    assert refused.value.code == "file_too_big"


@pytest.mark.parametrize("role", [Role.STAFF, Role.FUNDER])
def test_staff_and_funders_may_not_import(session: Session, tmp_path: Path,
                                          role: Role) -> None:
    data = write_file(tmp_path, [row(reg_no(), "Biedrība A")])
    who = actor(session, role)
    before = counts(session)
    with pytest.raises(PermissionDenied):
        run(session, data, actor=who)
    assert counts(session) == before


def test_a_manager_may_import_and_the_data_version_grows(session: Session,
                                                         tmp_path: Path) -> None:
    version = data_version.current(session)
    report = run(session, write_file(tmp_path, [row(reg_no(), "Biedrība A")]),
                 actor=actor(session, Role.MANAGER))
    assert report.created == 1
    assert data_version.current(session) > version
