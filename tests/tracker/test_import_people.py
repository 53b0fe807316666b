"""The people kind in and out: templates and headings in both languages, coded values by code
or label, dry runs, all-or-nothing and valid-only, idempotence, the personal code (duplicates,
the key, masked and in full), consent and erasure, staff and funders, the audit of exports,
and the command line."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.enums import AuditAction, Role
from db.models import AuditLog, Person, User
from tests import factories as f
from tests.cli import on_database
from tests.cli import run as cli
from tests.tracker.test_imports import csv_file, messages, run
from tracker import personal_codes
from tracker.auth import Actor
from tracker.errors import PermissionDenied
from tracker.imports import service, workbook
from tracker.imports.cells import unescape
from tracker.refdata import init_database
from tracker.schemas import PersonCreate, parse
from tracker.services import people

ADMIN = Actor.system()
FUNDER = Actor(None, "funder@test.lv", Role.FUNDER)
HEADER = [c.name for c in service.columns("people")]
CODE = "161175-19997"  # checksum-valid, old format: born 16.11.1975
NEW_CODE = "32579461005"  # checksum-valid, new format


def valid_code(serial: int, born: str = "010190") -> str:
    """A checksum-valid old-format code of a person born on `born` (DDMMYY, 1900s)."""
    for n in range(serial * 10, serial * 10 + 1000):
        for check in range(10):
            code = f"{born}1{n % 1000:03d}{check}"
            try:
                return personal_codes.formatted(personal_codes.validate(code))
            except personal_codes.CodeProblem:
                continue
    raise AssertionError("no valid code")


def row(**cells: str) -> dict[str, str]:
    return {"ref": "P-1", "incubator": "VIDZEME", "first_name": "Anna",
            "last_name": "Bērziņa", "consent_date": "2025-03-01"} | cells


def people_file(*rows: dict[str, str], header: list[str] | None = None) -> bytes:
    names = header or [c for c in HEADER if any(c in r for r in rows)]
    return csv_file([names, *[[r.get(c, "") for c in names] for r in rows]])


def stored(session: Session, ref: str, incubator: str = "VIDZEME") -> Person:
    found = session.scalars(select(Person).where(
        Person.ref == ref, Person.incubator_id == f.incubator_id(session, incubator))).one()
    session.refresh(found)
    return found


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Person)) or 0)


def exports_audited(session: Session) -> list[dict[str, Any]]:
    return [{"who": a.actor_email, **(a.after or {})} for a in session.scalars(
        select(AuditLog).where(AuditLog.action == AuditAction.EXPORT.value,
                               AuditLog.entity == people.ENTITY).order_by(AuditLog.id))]


def table_rows(session: Session, actor: Actor = ADMIN, **kwargs: Any
               ) -> list[dict[str, Any]]:
    table = service.export_records(session, actor=actor, kind="people", **kwargs)
    return [dict(zip(HEADER, r, strict=True)) for r in table.rows]


# Templates, headings, labels ------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["people", "attendance"])
def test_templates_in_both_languages(kind: str) -> None:
    specs = service.columns(kind)
    for lang in ("lv", "en"):
        text = service.template(kind, "csv", lang).decode("utf-8-sig")
        headings, example = list(csv.reader(io.StringIO(text)))
        assert headings == [s.heading(lang) for s in specs]
        assert [unescape(c) for c in example] == [s.example for s in specs]
        sheet = openpyxl.load_workbook(io.BytesIO(service.template(kind, "xlsx", lang))).active
        assert sheet is not None
        assert [c.value for c in sheet[1]] == headings
    assert all(s.help_lv and s.help_en and s.help_lv != s.help_en for s in specs)


def test_latvian_headings_and_labels_in_either_language(session: Session) -> None:
    org, other = f.organization(session), f.organization(session)
    lv = [s.name_lv for s in service.columns("people")]
    data = csv_file([lv,
        ["P-1", "vidzeme", "Ilze", "Kalniņa", "", "02.03.1980", "sieviete",
         f"{org.reg_no}; {other.reg_no}", "valdes loceklis | volunteer", "54000",
         "ilze@example.lv", "+371 20000000", "01.03.2025", "", "ilgstošs bezdarbnieks",
         "augstākā izglītība (ISCED 5–8)", "jā", "no", "Nē", "atteicās atbildēt",
         "refused to answer", "Yes"],
        ["P-2", "VIDZEME", "Jānis", "Ozols", "", "", "male", org.reg_no, "",
         "", "", "", "2025-03-02", "", "self-employed", "isced_0_2", "", "", "", "", "", ""]],
        sep=";")

    report = run(session, "people", data)

    assert (report.problems, report.created) == ((), 2)
    ilze = stored(session, "P-1")
    assert (ilze.first_name, ilze.birth_date, ilze.gender, ilze.employment_status,
            ilze.education, ilze.disability, ilze.third_country_national,
            ilze.foreign_background, ilze.minority, ilze.homeless, ilze.rural) == (
        "Ilze", dt.date(1980, 3, 2), "female", "long_term_unemployed", "isced_5_8", "yes",
        "no", "no", "refused", "refused", "yes")
    assert {(m.organization_id, m.role) for m in ilze.memberships} == {
        (org.id, "board_member"), (other.id, "volunteer")}
    janis = stored(session, "P-2")
    assert [(m.organization_id, m.role) for m in janis.memberships] == [(org.id, "member")]
    assert janis.employment_status == "self_employed" and janis.birth_date is None
    # the Latvian export writes labels, and they import back unchanged
    lv_table = service.export_records(session, actor=ADMIN, kind="people", lang="lv")
    assert lv_table.columns == lv
    again = run(session, "people", service.export_file(session, actor=ADMIN, kind="people",
                                                       fmt="csv", lang="lv")[0])
    assert (again.problems, again.created, again.updated, again.unchanged) == ((), 0, 0, 2)


# Checks before anything is written ------------------------------------------------------------

def test_dry_run_all_or_nothing_valid_only_and_idempotence(session: Session) -> None:
    data = people_file(row(ref="P-1"), row(ref="P-2", consent_date=""),
                       row(ref="P-3", first_name="Pēteris", gender="female"))

    dry = run(session, "people", data, dry_run=True)
    assert (dry.rows, dry.valid, dry.created, dry.written, count(session)) == (3, 2, 2, False, 0)
    assert [(p.row, p.column) for p in dry.problems] == [(3, "consent_date")]
    assert messages(dry) == ["is required"]

    blocked = run(session, "people", data)
    assert (blocked.written, count(session)) == (False, 0)

    partial = run(session, "people", data, valid_only=True)
    assert (partial.written, partial.created, count(session)) == (True, 2, 2)

    again = run(session, "people", data, valid_only=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_matched_person_is_updated_in_the_columns_the_file_has(session: Session) -> None:
    org = f.organization(session)
    run(session, "people", people_file(row(email="anna@example.lv", gender="female",
                                           organization_reg_no=org.reg_no, role="leader",
                                           personal_code=NEW_CODE)))
    changed = run(session, "people", csv_file([
        ["ref", "incubator", "first_name", "last_name", "consent_date", "education"],
        ["P-1", "VIDZEME", "Anna", "Liepa", "2025-03-01", "isced_3_4"]]))
    assert (changed.problems, changed.updated) == ((), 1)
    anna = stored(session, "P-1")
    assert (anna.last_name, anna.education, anna.email, anna.gender) == (
        "Liepa", "isced_3_4", "anna@example.lv", "female")
    assert [(m.organization_id, m.role) for m in anna.memberships] == [(org.id, "leader")]
    assert personal_codes.decrypt(anna.personal_code_secret) == NEW_CODE


@pytest.mark.parametrize(("cells", "column", "message"), [
    ({"personal_code": "161175-19990"}, "personal_code",
     "the personal code is not valid (check digit or date)"),
    ({"personal_code": "40008000009"}, "personal_code",
     "this is a legal entity's number, not a personal code"),
    ({"personal_code": CODE, "birth_date": "1975-11-17"}, "personal_code",
     "the personal code does not agree with the birth date"),
    ({"birth_date": "31.02.1980"}, "birth_date", "must be a date (YYYY-MM-DD or DD.MM.YYYY)"),
    ({"consent_date": ""}, "consent_date", "is required"),
    ({"consent_date": "2099-01-01"}, "consent_date", "the date cannot be in the future"),
    ({"consent_withdrawn": "2025-02-01"}, "consent_withdrawn",
     "consent cannot be withdrawn before it was given"),
    ({"first_name": ""}, "first_name", "is required"),
    ({"gender": "other"}, "gender",
     "is not an allowed value; allowed: female, male or non_binary"),
    ({"minority": "maybe"}, "minority", "is not an allowed value; allowed: yes, no or refused"),
    ({"email": "nav-epasts"}, "email", "is not a valid e-mail address"),
    ({"municipality_atvk": "0999999"}, "municipality_atvk", "is not a known municipality"),
    ({"organization_reg_no": "40008000010"}, "organization_reg_no",
     "the registration number's check digit is wrong"),
    ({"organization_reg_no": "40008000009"}, "organization_reg_no",
     "is not a known organisation"),
    ({"incubator": "RIGA"}, "incubator", "is not a known incubator"),
    ({"personal_code": "161175-*****"}, "personal_code",
     "a masked personal code cannot be stored; write it in full or leave it empty (a "
     "programme moves with an administrator's export --with-codes)"),
])
def test_a_bad_row_is_refused_naming_its_column(session: Session, cells: dict[str, str],
                                                column: str, message: str) -> None:
    report = run(session, "people", people_file(row(ref="OK"), row(ref="BAD", **cells)))
    assert [(p.row, p.column) for p in report.problems] == [(3, column)]
    assert messages(report) == [message]
    assert (report.written, count(session)) == (False, 0)


def test_roles_one_for_all_or_one_each(session: Session) -> None:
    a, b, c = (f.organization(session) for _ in range(3))
    orgs = f"{a.reg_no};{b.reg_no}|{c.reg_no}"
    report = run(session, "people", people_file(
        row(ref="ALL", organization_reg_no=orgs, role="volunteer"),
        row(ref="EACH", organization_reg_no=orgs, role="leader; member; employee"),
        row(ref="BAD", organization_reg_no=orgs, role="leader; member")), valid_only=True)
    assert messages(report) == ["give one role for all organisations or one for each, in the "
                                "same order (organisations: 3, roles: 2)"]
    assert {m.role for m in stored(session, "ALL").memberships} == {"volunteer"}
    assert {(m.organization_id, m.role) for m in stored(session, "EACH").memberships} == {
        (a.id, "leader"), (b.id, "member"), (c.id, "employee")}
    exported = {r["ref"]: r for r in table_rows(session)}["EACH"]
    pairs = sorted([(a.reg_no, "leader"), (b.reg_no, "member"), (c.reg_no, "employee")])
    assert (exported["organization_reg_no"], exported["role"]) == (
        "; ".join(n for n, _r in pairs), "; ".join(r for _n, r in pairs))


# The personal code ----------------------------------------------------------------------------

def test_a_code_already_someone_elses_is_refused_naming_the_row(session: Session) -> None:
    people.create_person(session, actor=ADMIN, data=parse(PersonCreate, {
        "incubator_id": f.incubator_id(session), "ref": "OLD", "first_name": "Ilze",
        "last_name": "Kalniņa", "consent_date": "2025-03-01", "personal_code": CODE}))
    report = run(session, "people", people_file(
        row(ref="P-1", personal_code=CODE),
        row(ref="P-2", personal_code=NEW_CODE), row(ref="P-3", personal_code=NEW_CODE)))
    assert [(p.row, p.column) for p in report.problems] == [
        (2, "personal_code"), (4, "personal_code")]
    assert messages(report) == ["this person is already recorded (VIDZEME OLD)",
                                "the same personal code is already in row 3"]
    assert count(session) == 1

    staff = f.actor(session, Role.STAFF, "LATGALE")  # may not learn whose it is
    theirs = run(session, "people", people_file(row(incubator="LATGALE", personal_code=CODE)),
                 actor=staff)
    assert messages(theirs) == ["this person is already recorded by another incubator"]
    # the owner's own row with the same code is the same person: nothing changes
    own = run(session, "people", people_file(row(ref="OLD", first_name="Ilze",
                                                 last_name="Kalniņa", personal_code=CODE)))
    assert (own.problems, own.unchanged) == ((), 1)


def test_without_the_key_a_code_is_refused_with_how_to_set_it(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(personal_codes.KEY_VARIABLE)
    report = run(session, "people", people_file(row(ref="P-1", personal_code=CODE),
                                                row(ref="P-2")), valid_only=True)
    assert [(p.row, p.column) for p in report.problems] == [(2, "personal_code")]
    assert messages(report) == [
        "Personal codes cannot be stored: no encryption key is set. Create one with "
        "`tracker key generate` and set the environment variable TRACKER_PERSONAL_CODE_KEY."]
    assert (report.created, [p.ref for p in session.scalars(select(Person))]) == (1, ["P-2"])


def test_masked_export_imports_back_unchanged_and_an_empty_cell_removes_the_code(
        session: Session) -> None:
    run(session, "people", people_file(row(ref="P-1", personal_code=CODE),
                                       row(ref="P-2", personal_code=NEW_CODE)))
    exported = table_rows(session)
    assert [r["personal_code"] for r in exported] == ["161175-*****", "325794-*****"]
    assert exported[0]["birth_date"] == dt.date(1975, 11, 16)  # from the code
    data, _rows = service.export_file(session, actor=ADMIN, kind="people", fmt="xlsx")
    again = run(session, "people", data, filename="people.xlsx")
    assert (again.problems, again.created, again.updated, again.unchanged) == ((), 0, 0, 2)
    assert personal_codes.decrypt(stored(session, "P-1").personal_code_secret) == \
        "16117519997"

    other = run(session, "people", people_file(row(ref="P-2", personal_code="161175-*****")))
    assert messages(other) == ["the masked code does not match the stored one; write the "
                               "code in full to change it"]
    cleared = run(session, "people", people_file(row(ref="P-2", personal_code="")))
    assert (cleared.problems, cleared.updated) == ((), 1)
    assert stored(session, "P-2").personal_code_secret is None


def test_codes_in_full_for_administrators_only_and_every_export_audited(
        session: Session) -> None:
    run(session, "people", people_file(row(ref="P-1", personal_code=CODE), row(ref="P-2")))
    manager = f.actor(session, Role.MANAGER)
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    for actor in (manager, staff, FUNDER):
        with pytest.raises(PermissionDenied):
            service.export_records(session, actor=actor, kind="people", with_codes=True)
    with pytest.raises(PermissionDenied):
        service.export_records(session, actor=FUNDER, kind="people")
    with pytest.raises(PermissionDenied):
        workbook.export_workbook(session, actor=manager, with_codes=True)
    assert exports_audited(session) == []

    full = table_rows(session, with_codes=True)
    assert [r["personal_code"] for r in full] == [CODE, None]
    assert [r["personal_code"] for r in table_rows(session, actor=manager)] == [
        "161175-*****", None]
    workbook.export_workbook(session, actor=staff)
    assert exports_audited(session) == [
        {"who": "system", "kind": "people", "rows": 2, "with_codes": True},
        {"who": manager.email, "kind": "people", "rows": 2, "with_codes": False},
        {"who": staff.email, "kind": "people", "rows": 2, "with_codes": False}]
    # the other kinds write no such row
    service.export_records(session, actor=ADMIN, kind="attendance")
    assert len(exports_audited(session)) == 3


# Consent and erasure --------------------------------------------------------------------------

def test_a_withdrawal_erases_and_the_erased_export_imports_back_unchanged(
        session: Session) -> None:
    run(session, "people", people_file(
        row(ref="P-1", personal_code=CODE, email="anna@example.lv", gender="female",
            disability="no"),
        row(ref="P-2", first_name="Jānis", last_name="Ozols")))
    withdrawn = run(session, "people", people_file(
        row(ref="P-1", personal_code=CODE, email="anna@example.lv", gender="female",
            disability="no", consent_withdrawn="2025-06-01")))
    assert (withdrawn.problems, withdrawn.updated) == ((), 1)
    anna = stored(session, "P-1")
    assert (anna.first_name, anna.last_name, anna.personal_code_secret, anna.email,
            anna.birth_date, anna.birth_year, anna.gender, anna.disability) == (
        None, None, None, None, None, 1975, "female", "no")
    assert anna.erased_at is not None

    exported = {r["ref"]: r for r in table_rows(session)}
    assert {k: v for k, v in exported["P-1"].items() if v is not None} == {
        "ref": "P-1", "incubator": "VIDZEME", "birth_date": "1975", "gender": "female",
        "consent_date": dt.date(2025, 3, 1), "consent_withdrawn": dt.date(2025, 6, 1),
        "disability": "no"}
    data, _rows = service.export_file(session, actor=ADMIN, kind="people", fmt="csv")
    again = run(session, "people", data)
    assert (again.problems, again.created, again.updated, again.unchanged) == ((), 0, 0, 2)
    # the file that withdrew, imported again, brings nothing back
    repeat = run(session, "people", people_file(
        row(ref="P-1", personal_code=CODE, email="anna@example.lv", gender="female",
            disability="no", consent_withdrawn="2025-06-01")))
    assert (repeat.problems, repeat.unchanged) == ((), 1)
    # a characteristic of an erased person can still change; the birth year stays
    changed = run(session, "people", people_file(row(
        ref="P-1", first_name="", last_name="", consent_withdrawn="2025-06-01",
        disability="yes")))
    assert (changed.problems, changed.updated) == ((), 1)
    anna = stored(session, "P-1")
    assert (anna.disability, anna.first_name, anna.birth_year) == ("yes", None, 1975)


def test_erased_people_move_to_an_empty_database_erased(session: Session) -> None:
    data = people_file(
        row(ref="GONE", first_name="", last_name="", birth_date="1961",
            consent_withdrawn="2025-05-01", rural="yes"),
        row(ref="ASKED", first_name="", last_name="", birth_date="1990", rural="no"))
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    refused = run(session, "people", data, actor=staff)  # only a loading administrator
    assert [(p.row, p.column) for p in refused.problems] == [
        (3, "first_name"), (3, "last_name"), (3, "birth_date")]
    named = run(session, "people", people_file(row(ref="TYPO", first_name="", last_name="",
                                                   email="ilze@example.lv")))
    assert [(p.row, p.column) for p in named.problems] == [(2, "first_name"), (2, "last_name")]
    report = run(session, "people", data)
    assert (report.problems, report.created) == ((), 2)
    for ref, year, withdrawn in (("GONE", 1961, dt.date(2025, 5, 1)), ("ASKED", 1990, None)):
        person = stored(session, ref)
        assert (person.first_name, person.birth_date, person.birth_year,
                person.consent_withdrawn, person.erased_at is not None) == (
            None, None, year, withdrawn, True)
    created = session.scalars(select(AuditLog).where(
        AuditLog.entity == people.ENTITY, AuditLog.action == AuditAction.CREATE.value)).all()
    assert {(a.after or {})["first_name"] for a in created} == {"[erased]"}


# Staff and funders ----------------------------------------------------------------------------

def test_staff_import_and_export_their_own_incubator_funders_nothing(session: Session) -> None:
    run(session, "people", people_file(row(ref="L-1", incubator="LATGALE")))
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    report = run(session, "people", people_file(row(ref="V-1"),
                                                row(ref="L-2", incubator="LATGALE")),
                 actor=staff, valid_only=True)
    assert messages(report) == ["you may import only your own incubator's (VIDZEME) data"]
    assert report.created == 1
    assert [r["ref"] for r in table_rows(session, actor=staff)] == ["V-1"]
    assert [r["ref"] for r in table_rows(session)] == ["L-1", "V-1"]
    with pytest.raises(PermissionDenied):
        run(session, "people", people_file(row(ref="F-1")), actor=FUNDER)


# The command line -----------------------------------------------------------------------------

@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = make_engine(url)
    init_database(engine)
    with Session(engine) as session:
        session.add_all([User(email="staff@test.lv", role="staff",
                              incubator_id=f.incubator_id(session, "VIDZEME")),
                         User(email="manager@test.lv", role="manager")])
        session.commit()
    engine.dispose()
    steps = on_database(url, monkeypatch)
    next(steps)
    yield url
    next(steps, None)


def test_the_command_line_imports_and_exports_people(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, database: str) -> None:
    file = tmp_path / "people.csv"
    file.write_bytes(people_file(row(ref="P-1", personal_code=CODE), row(ref="P-2")))
    code, out, err = cli(capsys, "import", "people", str(file), "--quiet")
    assert (code, err) == (0, "")
    assert out.endswith("2 new, 0 changed, 0 unchanged. Written.\n")

    target = tmp_path / "out.csv"
    assert cli(capsys, "export", "people", "-o", str(target))[0] == 0
    assert "161175-*****" in target.read_text(encoding="utf-8-sig")
    assert cli(capsys, "export", "people", "--with-codes", "-o", str(target))[0] == 0
    assert CODE in target.read_text(encoding="utf-8-sig")
    code, _out, err = cli(capsys, "export", "people", "--with-codes", "--as",
                          "manager@test.lv", "-o", str(target))
    assert (code, err) == (2, "tracker: error: You are not allowed to do this.\n")
    code, _out, err = cli(capsys, "export", "activities", "--with-codes")
    assert (code, err) == (2, "tracker: error: --with-codes: only people have personal codes "
                              "(people or all)\n")
    workbook_file = tmp_path / "all.xlsx"
    assert cli(capsys, "export", "all", "--with-codes", "-o", str(workbook_file))[0] == 0
    assert cli(capsys, "export", "people", "--as", "staff@test.lv", "-o", str(target))[0] == 0
    assert cli(capsys, "import", "all", str(workbook_file), "--quiet")[0] == 0

    engine = make_engine(database)
    with Session(engine) as session:
        audited = exports_audited(session)
    engine.dispose()
    assert [(a["who"], a["with_codes"]) for a in audited] == [
        ("system", False), ("system", True), ("system", True), ("staff@test.lv", False)]



def test_a_control_character_in_a_reference_is_refused_not_looked_up(session: Session) -> None:
    """Beyond the first 4 KiB a CSV file is not scanned for control characters as a whole;
    PostgreSQL refuses a NUL in any text, so the reference is refused before any lookup."""
    padding = [row(ref=f"P-{n:03d}", first_name="Vārds" * 5) for n in range(100)]
    report = run(session, "people", people_file(*padding, row(ref="P-\x00")), dry_run=True)
    assert [(p.row, p.column, p.code) for p in report.problems] == [
        (102, "ref", "control_characters")]
