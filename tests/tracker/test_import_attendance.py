"""The attendance kind in and out: matched by incubator, activity and person; the attendee rules
of the activity form (a participation's attendee number, the activity's total and hours,
erased people) and the review and closed-quarter rules of participations, each problem on
its row; dry runs, valid-only, idempotence, staff; and people with their attendance moved by
export -> import into an empty database, and back out equal, also by the command line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.enums import Role
from db.models import Activity, Attendance, AuditLog, Organization, PeriodClosure, Person
from tests import factories as f
from tests.cli import on_database
from tests.cli import run as cli
from tests.tracker.test_imports import csv_file, messages, run
from tracker.analytics import rollups
from tracker.auth import Actor
from tracker.imports import service, workbook
from tracker.refdata import init_database
from tracker.schemas import PersonCreate, parse
from tracker.services import people

ADMIN = Actor.system()
HEADER = ["incubator", "activity_ref", "person_ref", "hours"]


@dataclass
class World:
    org: int  # an organisation with 2 attendees at A1
    other: int  # an organisation none of whose people are named
    activity: int  # A1: VIDZEME, 2025-05-14, 2 hours, 4 participants in all


def person(session: Session, ref: str, incubator: str = "VIDZEME", **fields: Any) -> int:
    data = {"incubator_id": f.incubator_id(session, incubator), "ref": ref,
            "first_name": "Ilze", "last_name": f"Kalniņa {ref}",
            "consent_date": "2025-03-01"} | fields
    return people.create_person(session, actor=ADMIN, data=parse(PersonCreate, data)).id


@pytest.fixture
def world(session: Session) -> World:
    org, other = f.organization(session), f.organization(session)
    activity = f.activity(session, external_ref="A1", total_participants=4,
                          participations=[{"organization_id": org.id, "attendees": 2}])
    for n in range(1, 4):
        person(session, f"P-{n}", memberships=[{"organization_id": org.id}])
    person(session, "P-9")  # of no organisation
    person(session, "L-1", "LATGALE")
    return World(org=org.id, other=other.id, activity=activity.id)


def sheet(*rows: tuple[str, ...], header: list[str] = HEADER) -> bytes:
    return csv_file([header, *[list(r) for r in rows]])


def attended(session: Session, activity_id: int) -> dict[str, Decimal | None]:
    return dict(session.execute(select(Person.ref, Attendance.hours)
                                .join(Person, Person.id == Attendance.person_id)
                                .where(Attendance.activity_id == activity_id)).all())


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Attendance)) or 0)


# Rows in, checked --------------------------------------------------------------------------------

def test_dry_run_valid_only_and_a_second_import_changes_nothing(session: Session,
                                                                world: World) -> None:
    data = csv_file([["Inkubators", "Aktivitātes atsauce", "Personas atsauce", "Stundas"],
                     ["vidzeme", "A1", "P-1", "1,5"], ["VIDZEME", "A1", "P-9", ""],
                     ["VIDZEME", "A1", "NOBODY", ""], ["VIDZEME", "A9", "P-2", ""]], sep=";")

    dry = run(session, "attendance", data, dry_run=True)
    assert (dry.rows, dry.valid, dry.created, dry.written, count(session)) == (4, 2, 2, False, 0)
    assert [(p.row, p.column) for p in dry.problems] == [(4, "Personas atsauce"),
                                                         (5, "Aktivitātes atsauce")]
    assert messages(dry) == [
        "no such person among the incubator's people",
        "this incubator has no activity with this reference (import the activities first)"]
    assert run(session, "attendance", data).written is False

    done = run(session, "attendance", data, valid_only=True)
    assert (done.written, done.created) == (True, 2)
    assert attended(session, world.activity) == {"P-1": Decimal("1.5"), "P-9": None}
    again = run(session, "attendance", data, valid_only=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = run(session, "attendance", sheet(("VIDZEME", "A1", "P-1", "")))
    assert (changed.problems, changed.updated) == ((), 1)
    assert attended(session, world.activity)["P-1"] is None
    # without the hours column an attendee's hours stay
    same = run(session, "attendance", sheet(("VIDZEME", "A1", "P-9"), header=HEADER[:3]))
    assert (same.problems, same.unchanged) == ((), 1)


def test_named_attendees_within_the_participation_and_the_total(session: Session,
                                                                world: World) -> None:
    over = run(session, "attendance", sheet(*(("VIDZEME", "A1", f"P-{n}", "") for n in (1, 2, 3))))
    assert [(p.row, p.column) for p in over.problems] == [(4, "person_ref")]
    assert messages(over) == ["the organisation has 2 attendees; it cannot have more named ones"]
    assert (over.written, count(session)) == (False, 0)

    f.activity(session, external_ref="A2", total_participants=1)
    total = run(session, "attendance", sheet(("VIDZEME", "A2", "P-9", ""),
                                             ("VIDZEME", "A2", "P-1", ""),
                                             ("VIDZEME", "A1", "P-1", "")), valid_only=True)
    assert [(p.row, p.column) for p in total.problems] == [(2, "person_ref"), (3, "person_ref")]
    assert messages(total) == ["2 attendees are ticked but 1 took part in all"] * 2
    assert (total.created, count(session)) == (1, 1)

    hours = run(session, "attendance", sheet(("VIDZEME", "A1", "P-2", "3")))
    assert [(p.row, p.column) for p in hours.problems] == [(2, "hours")]
    assert messages(hours) == ["cannot exceed the activity's 2 hours"]
    latgale = run(session, "attendance", sheet(("VIDZEME", "A1", "L-1", "")))
    assert messages(latgale) == ["no such person among the incubator's people"]


def test_an_erased_person_is_ticked_anew_only_by_an_administrator_restoring(
        session: Session, world: World) -> None:
    gone = person(session, "GONE", consent_withdrawn="2025-04-01")
    manager = f.actor(session, Role.MANAGER)
    refused = run(session, "attendance", sheet(("VIDZEME", "A1", "GONE", "")), actor=manager)
    assert messages(refused) == [
        "the person's data are erased (consent withdrawn); they cannot be ticked anew"]
    restored = run(session, "attendance", sheet(("VIDZEME", "A1", "GONE", "")))
    assert (restored.problems, restored.created) == ((), 1)
    assert session.scalar(select(Attendance.person_id)) == gone


def test_approved_activities_and_closed_quarters_are_refused(session: Session,
                                                             world: World) -> None:
    manager = f.actor(session, Role.MANAGER)
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    f.activity(session, external_ref="OK", status="approved", total_participants=2)
    in_review = run(session, "attendance", sheet(("VIDZEME", "A1", "P-9", "")), actor=staff)
    assert messages(in_review)[0].startswith("The activity is waiting for a manager's review")
    approved = run(session, "attendance", sheet(("VIDZEME", "OK", "P-9", "")), actor=manager)
    assert messages(approved)[0].startswith("An approved activity can no longer be changed")
    # an administrator gives an approved activity its first attendees (loading an export),
    # never more once it has some
    first = run(session, "attendance", sheet(("VIDZEME", "OK", "P-9", "")))
    assert (first.problems, first.created) == ((), 1)
    more = run(session, "attendance", sheet(("VIDZEME", "OK", "P-1", "")))
    assert messages(more)[0].startswith("An approved activity can no longer be changed")

    session.add(PeriodClosure(incubator_id=f.incubator_id(session, "VIDZEME"), year=2025,
                              quarter=2, closed_at=dt.datetime.now(dt.UTC)))
    session.flush()
    closed = run(session, "attendance", sheet(("VIDZEME", "A1", "P-9", "")))
    assert [(p.row, p.column, p.code) for p in closed.problems] == [
        (2, "activity_ref", "not_allowed.quarter_closed")]
    assert "2025 Q2" in messages(closed)[0]
    unchanged = run(session, "attendance", sheet(("VIDZEME", "OK", "P-9", "")))
    assert (unchanged.problems, unchanged.unchanged) == ((), 1)  # a row changing nothing


def test_staff_their_own_incubator(session: Session, world: World) -> None:
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    draft = f.activity(session, external_ref="D1", status="draft", total_participants=3)
    f.activity(session, incubator="LATGALE", external_ref="L1", total_participants=3)
    report = run(session, "attendance", sheet(("VIDZEME", "D1", "P-9", ""),
                                              ("LATGALE", "L1", "L-1", "")),
                 actor=staff, valid_only=True)
    assert messages(report) == ["you may import only your own incubator's (VIDZEME) data"]
    assert attended(session, draft.id) == {"P-9": None}
    run(session, "attendance", sheet(("LATGALE", "L1", "L-1", "")))
    own = service.export_records(session, actor=staff, kind="attendance")
    assert own.rows == [["VIDZEME", "D1", "P-9", None]]
    assert len(service.export_records(session, actor=ADMIN, kind="attendance").rows) == 2
    version = session.scalar(select(Activity.version).where(Activity.id == draft.id))
    assert version == 2  # a form open on the older copy cannot save over the import


# A programme moved ---------------------------------------------------------------------------

def _fill(session: Session) -> None:
    """People of every sort (one erased) and their attendance, on activities of two
    statuses, one without a reference of its own."""
    org, second = f.organization(session), f.organization(session)
    both = [{"organization_id": org.id, "role": "leader"},
            {"organization_id": second.id, "role": "volunteer"}]
    ids = {
        "ANNA": person(session, "ANNA", memberships=both, gender="female", rural="yes",
                       email="anna@example.lv", phone="+371 20000000", birth_date="1980-02-03",
                       municipality_atvk="0054000", employment_status="unemployed",
                       education="isced_3_4", minority="refused"),
        "=JĀNIS": person(session, "=JĀNIS", memberships=[both[0]]),
        "GONE": person(session, "GONE", birth_date="1961-01-05",
                       memberships=[{"organization_id": second.id}]),
        "LAT": person(session, "LAT", "LATGALE"),
    }
    f.activity(session, external_ref="AP", status="approved", total_participants=5,
               participations=[{"organization_id": org.id, "attendees": 2},
                               {"organization_id": second.id, "attendees": 1}],
               attendees=[{"person_id": ids["ANNA"]},
                          {"person_id": ids["=JĀNIS"], "hours": "1"},
                          {"person_id": ids["GONE"]}])
    f.activity(session, title="Bez atsauces", total_participants=3, hours="3,5",
               incubator="LATGALE", attendees=[{"person_id": ids["LAT"], "hours": "2,25"}])
    gone = session.get(Person, ids["GONE"])
    assert gone is not None
    people.withdraw_consent(session, actor=ADMIN, person_id=gone.id, on=dt.date(2025, 6, 1),
                            version=gone.version)


KINDS = ("organizations", "people", "activities", "participations", "attendance")


def _exports(session: Session) -> dict[str, list[list[Any]]]:
    return {kind: [list(r) for r in service.export_records(session, actor=ADMIN,
                                                           kind=kind).rows]
            for kind in KINDS}


@pytest.fixture
def empty(new_database_url: str) -> Iterator[Engine]:
    engine = make_engine(new_database_url)
    init_database(engine)
    yield engine
    engine.dispose()


def test_people_and_attendance_move_to_an_empty_database_equal(session: Session,
                                                                empty: Engine) -> None:
    _fill(session)
    expected = _exports(session)
    assert len(expected["attendance"]) == 4 and len(expected["people"]) == 4
    files = {kind: service.export_file(session, actor=ADMIN, kind=kind, fmt="csv")[0]
             for kind in KINDS}
    with Session(empty) as target:
        for kind in KINDS:
            report = run(target, kind, files[kind], filename=f"{kind}.csv")
            assert report.problems == (), (kind, messages(report))
        target.commit()
        assert _exports(target) == expected
        assert set(rollups.differences(target).values()) == {0}  # people trained too
        for kind in KINDS:  # and again: nothing changes
            again = run(target, kind, files[kind])
            assert (again.created, again.updated) == (0, 0), kind


def test_the_workbook_and_the_command_line_move_them_too(
        session: Session, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(session)
    expected = _exports(session)
    data, _rows = workbook.export_workbook(session, actor=ADMIN, lang="lv")
    file = tmp_path / "programme.xlsx"
    file.write_bytes(data)
    url = f"sqlite:///{tmp_path / 'target.db'}"
    engine = make_engine(url)
    init_database(engine)
    engine.dispose()
    steps = on_database(url, monkeypatch)
    next(steps)
    code, out, err = cli(capsys, "import", "all", str(file), "--quiet")
    assert (code, err) == (0, ""), err
    assert "Apmeklējums" in out or "Attendance" in out
    single = tmp_path / "attendance.csv"
    assert cli(capsys, "export", "attendance", "-o", str(single))[0] == 0
    code, out, _err = cli(capsys, "import", "attendance", str(single), "--quiet")
    assert code == 0 and "0 new, 0 changed, 4 unchanged" in out
    next(steps, None)
    engine = make_engine(url)
    with Session(engine) as target:
        assert _exports(target) == expected
        audited = target.scalar(select(func.count()).select_from(AuditLog).where(
            AuditLog.entity == "import"))
    engine.dispose()
    assert audited == 5 + 1  # one summary row per sheet with rows, and one for the file


def test_a_control_character_in_a_reference_is_refused_not_looked_up(session: Session,
                                                                     world: World) -> None:
    padding = [("VIDZEME", "A1" + " " * 60, f"P-{n:03d}", "") for n in range(80)]
    report = run(session, "attendance", sheet(*padding, ("VIDZEME", "A\x001", "P-\x00", "")),
                 dry_run=True)
    assert [(p.row, p.column, p.code) for p in report.problems if p.row == 82] == [
        (82, "activity_ref", "control_characters"), (82, "person_ref", "control_characters")]
    org = session.scalar(select(Organization.reg_no).where(Organization.id == world.org))
    assert org is not None
    padding = [("A1" + " " * 60, "VIDZEME", org, "1") for _n in range(80)]
    parts = run(session, "participations", csv_file(
        [["activity_ref", "incubator", "reg_no", "attendees"], *map(list, padding),
         ["A\x001", "VIDZEME", org, "1"]]), dry_run=True)
    assert [(p.row, p.column, p.code) for p in parts.problems if p.row == 82] == [
        (82, "activity_ref", "control_characters")]
