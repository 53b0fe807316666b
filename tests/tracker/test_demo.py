"""Demo data: believable at demo scale, exact at (a small) national scale, same on both backends."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import os
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from db import migrate
from db.engine import make_engine
from db.enums import (
    ActivityStatus,
    ActivityType,
    CapacityArea,
    EnrollmentStatus,
    PersonRole,
    Role,
)
from db.models import (
    Activity,
    ActivityArea,
    Assessment,
    AssessmentScore,
    Attendance,
    Cohort,
    Document,
    Enrollment,
    Incubator,
    IndicatorEntry,
    Membership,
    Milestone,
    Opinion,
    OpinionAuthor,
    Organization,
    Participation,
    Person,
    User,
)
from db.models.people import person_name_key
from db.search import search_key
from tests.cli import run
from tests.conftest import PostgresServer
from tracker import demo
from tracker.auth import verify_password
from tracker.database import dispose_engines
from tracker.demo.generator import Generator
from tracker.demo.plan import NATIONAL_PLAN, Plan
from tracker.demo.stream import participant_counts
from tracker.demo.words import TYPE_WEIGHTS, TYPES
from tracker.refdata import init_database
from tracker.schemas import AttendeeIn, missing_characteristics, validate_reg_no
from tracker.services import attendance
from tracker.services.assessments import capacity_index

ROOT = Path(__file__).resolve().parents[2]

SEED = 7
# The fixture's "today": mid-programme, the second cycle running. The demo runs up to the day
# before it, so every date below is pinned, whatever the day the tests run.
TODAY = dt.date(2026, 7, 1)
START, END = dt.date(2025, 1, 15), TODAY - dt.timedelta(days=1)
PROGRAMME_END = dt.date(2026, 12, 31)
COUNTED = {"organizations": Organization, "cohorts": Cohort, "enrollments": Enrollment,
           "activities": Activity, "participations": Participation, "assessments": Assessment,
           "milestones": Milestone, "users": User, "indicator_entries": IndicatorEntry,
           "people": Person, "attendances": Attendance, "documents": Document,
           "opinions": Opinion}


def _engine(url: str) -> Engine:
    engine = make_engine(url)
    init_database(engine)
    return engine


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {name: int(conn.scalar(select(func.count()).select_from(model)) or 0)
                for name, model in COUNTED.items()}


def _summary_counts(summary: demo.DemoSummary) -> dict[str, int]:
    return {name: getattr(summary, name) for name in COUNTED}


@pytest.fixture(scope="module", params=["sqlite",
                                        pytest.param("postgresql", marks=pytest.mark.postgres)])
def demo_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[tuple[Engine, demo.DemoSummary]]:
    """One demo-scale database per backend, generated once and only read by the tests."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'tracker.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url = server.new_database()
    engine = _engine(url)
    summary = demo.generate(engine, seed=SEED, progress=False, today=TODAY)
    yield engine, summary
    engine.dispose()


@pytest.fixture
def empty_engine(new_database_url: str) -> Iterator[Engine]:
    engine = _engine(new_database_url)
    yield engine
    engine.dispose()


def _small_national_plan() -> Plan:
    """The national plan's code path at a size a test can afford."""
    national = NATIONAL_PLAN
    cycles = tuple(dataclasses.replace(c, seats=12, kept=(8, 9), withdrawn=(0, 1),
                                       rejected=(1, 2), waiting=(0, 1) if c.waiting[1] else (0, 0))
                   for c in national.cycles)
    return dataclasses.replace(national, organizations=500, cycles=cycles, activities=3_000,
                               participations=14_000, milestones=321, chunk=700,
                               activity_chunk=800, people=1_500, attendances=8_000,
                               documents=900, opinions=400)


# Demo scale ----------------------------------------------------------------------------------

def test_demo_counts_are_in_the_expected_ranges(demo_db: tuple[Engine, demo.DemoSummary]
                                                ) -> None:
    engine, summary = demo_db
    assert _counts(engine) == _summary_counts(summary)
    assert summary.organizations == 300
    assert summary.cohorts == 8
    assert 120 <= summary.enrollments <= 160
    assert 1_500 <= summary.activities <= 3_000
    assert 2 * summary.activities <= summary.participations <= 8 * summary.activities
    assert 150 <= summary.assessments <= 300
    # Opinions are the register's now (45 % of the milestones they were), the rest milestones
    assert 80 <= summary.milestones <= 170
    assert 80 <= summary.opinions <= 140
    assert 1_850 <= summary.documents <= 1_950  # near 2,500 by the programme's end
    assert summary.users == 7
    assert summary.indicator_entries == 0  # documents monitored are the register's too
    assert 300 <= summary.people <= 800  # a few hundred
    assert 2 * summary.people <= summary.attendances <= 8 * summary.people
    with engine.connect() as conn:
        forms = Counter(conn.scalars(select(Organization.legal_form)))
        regions = Counter(conn.scalars(text(
            "SELECT r.code FROM organizations o JOIN municipalities m ON m.id = o.municipality_id "
            "JOIN regions r ON r.id = m.region_id")))
    assert forms["association"] > forms["foundation"] > forms["other"] > 0
    assert set(regions) == {"RIGA", "KURZEME", "LATGALE", "VIDZEME", "ZEMGALE"}
    assert all(regions[r] > regions["RIGA"] for r in ("KURZEME", "LATGALE", "VIDZEME", "ZEMGALE"))


def test_registration_numbers_are_valid_unique_and_spread(
        demo_db: tuple[Engine, demo.DemoSummary]) -> None:
    engine, _ = demo_db
    with engine.connect() as conn:
        numbers = sorted(conn.scalars(select(Organization.reg_no)))
    assert [validate_reg_no(n) for n in numbers] == numbers
    assert len(set(numbers)) == len(numbers)
    assert all(n.startswith("40008") for n in numbers)
    gaps = [int(b[5:10]) - int(a[5:10]) for a, b in itertools.pairwise(numbers)]
    assert max(gaps) > 1 and sum(g == 1 for g in gaps) < len(gaps) / 2


def test_organisations_look_real(demo_db: tuple[Engine, demo.DemoSummary]) -> None:
    engine, _ = demo_db
    with engine.connect() as conn:
        rows = conn.execute(select(Organization)).all()
    names = [r.name for r in rows]
    assert len(set(names)) == len(names)
    assert any(n.startswith("Biedrība “") and n.endswith("”") for n in names)
    assert any(n.startswith("Nodibinājums “") for n in names)
    for r in rows:
        assert r.fields_of_activity and all(isinstance(f, str) for f in r.fields_of_activity)
        assert dt.date(1990, 1, 1) <= r.founded_on <= dt.date(2024, 12, 31)
        if r.legal_form == "foundation":
            assert r.members is None
        if r.contact_email is not None:
            assert r.contact_email.endswith("@example.lv") and r.contact_email.isascii()
        if r.contact_phone is not None:
            assert r.contact_phone.startswith("+371 2")
        assert r.version == 1 and r.created_at is not None and r.deleted_at is None
        assert r.name_search == search_key(r.name)  # the model's default ran on bulk insert


def test_every_incubator_has_two_cycles_staff_and_activities(
        demo_db: tuple[Engine, demo.DemoSummary]) -> None:
    engine, _ = demo_db
    with engine.connect() as conn:
        incubators = conn.execute(select(Incubator.id, Incubator.code)).all()
        assert len(incubators) == 4
        for inc in incubators:
            cycles = conn.execute(select(Cohort.number, Cohort.name, Cohort.start_date,
                                         Cohort.end_date).where(Cohort.incubator_id == inc.id)
                                  .order_by(Cohort.number)).all()
            assert [tuple(c) for c in cycles] == [
                (1, "1. cikls", dt.date(2025, 2, 1), dt.date(2025, 12, 15)),
                (2, "2. cikls", dt.date(2026, 1, 15), dt.date(2026, 11, 30))]
            staff = conn.execute(select(User.id, User.email).where(
                User.role == "staff", User.incubator_id == inc.id)).all()
            assert [s.email for s in staff] == [f"staff.{inc.code.lower()}@demo.lv"]
            authors = set(conn.scalars(select(Activity.author_id).distinct().where(
                Activity.incubator_id == inc.id)))
            assert authors == {staff[0].id}
            types = set(conn.scalars(select(Activity.type).distinct().where(
                Activity.incubator_id == inc.id)))
            assert ActivityType.CONSULTATION.value in types and len(types) >= 6


def test_enrolments_follow_the_public_cycle_results(
        demo_db: tuple[Engine, demo.DemoSummary]) -> None:
    engine, _ = demo_db
    with engine.connect() as conn:
        rows = conn.execute(select(Enrollment, Cohort.number, Cohort.incubator_id)
                            .join(Cohort, Cohort.id == Enrollment.cohort_id)).all()
    by_cycle = Counter((r.number, r.status) for r in rows)
    assert by_cycle[(1, "graduated")] == 52
    assert by_cycle[(2, "admitted")] == 58
    assert by_cycle[(1, "admitted")] == 0 and by_cycle[(2, "graduated")] == 0
    assert by_cycle[(1, "rejected")] + by_cycle[(1, "withdrawn")] > 0
    per_incubator = Counter((r.incubator_id, r.number) for r in rows if r.admitted_on)
    assert all(14 <= n <= 15 for (_, number), n in per_incubator.items() if number == 2)
    S = EnrollmentStatus
    for r in rows:
        assert START <= r.applied_on <= END
        dates = [d for d in (r.applied_on, r.admitted_on, r.graduated_on) if d]
        assert dates == sorted(dates) and all(d <= END for d in dates)
        status = S(r.status)
        assert (r.admitted_on is not None) == (status in (S.ADMITTED, S.GRADUATED, S.WITHDRAWN))
        assert (r.graduated_on is not None) == (status is S.GRADUATED)
        assert (r.closed_on is not None) == (status in (S.REJECTED, S.WITHDRAWN))
        if r.closed_on is not None:
            assert max(dates) <= r.closed_on <= END


def test_activities_are_consistent(demo_db: tuple[Engine, demo.DemoSummary]) -> None:
    engine, _ = demo_db
    with engine.connect() as conn:
        too_many = conn.scalar(text(
            "SELECT count(*) FROM activities a JOIN (SELECT activity_id, sum(attendees) AS n "
            "FROM participations GROUP BY activity_id) p ON p.activity_id = a.id "
            "WHERE p.n > a.total_participants"))
        assert too_many == 0
        without = conn.scalar(text(
            "SELECT count(*) FROM activities a WHERE NOT EXISTS (SELECT 1 FROM participations p "
            "WHERE p.activity_id = a.id) OR NOT EXISTS (SELECT 1 FROM activity_areas x "
            "WHERE x.activity_id = a.id)"))
        assert without == 0
        consultations = Counter(conn.scalars(text(
            "SELECT count(*) FROM participations p JOIN activities a ON a.id = p.activity_id "
            "WHERE a.type = 'consultation' GROUP BY a.id")))
        assert set(consultations) == {1}
        misplaced = conn.scalar(text(
            "SELECT count(*) FROM activities a JOIN incubators i ON i.id = a.incubator_id "
            "JOIN municipalities m ON m.id = a.municipality_id WHERE m.region_id <> i.region_id "
            "OR a.activity_date < m.valid_from OR (m.valid_to IS NOT NULL "
            "AND a.activity_date > m.valid_to)"))
        assert misplaced == 0
        first, last = conn.execute(select(func.min(Activity.activity_date),
                                          func.max(Activity.activity_date))).one()
        assert first >= START and last <= END
        cohort_elsewhere = conn.scalar(text(
            "SELECT count(*) FROM activities a JOIN cohorts c ON c.id = a.cohort_id "
            "WHERE c.incubator_id <> a.incubator_id"))
        assert cohort_elsewhere == 0
        statuses = Counter(conn.scalars(select(Activity.status)))
        types = Counter(conn.scalars(select(Activity.type)))
        enrolled_share = conn.scalar(text(
            "SELECT avg(CASE WHEN EXISTS (SELECT 1 FROM enrollments e JOIN cohorts c "
            "ON c.id = e.cohort_id WHERE e.organization_id = p.organization_id "
            "AND c.incubator_id = a.incubator_id) THEN 1.0 ELSE 0.0 END) "
            "FROM participations p JOIN activities a ON a.id = p.activity_id"))
    assert statuses[ActivityStatus.APPROVED.value] > 0.8 * sum(statuses.values())
    assert statuses[ActivityStatus.SUBMITTED.value] > 0 and statuses[ActivityStatus.DRAFT.value] > 0
    assert types.most_common(1)[0][0] == ActivityType.CONSULTATION.value
    assert types[ActivityType.MENTORING.value] > types[ActivityType.TRAINING.value]
    assert set(types) == {t.value for t in ActivityType}
    assert float(enrolled_share) > 0.5


# The rules of tracker.services.attendance, each as a count of the rows that break it.
SHEET_RULES = {
    "named_over_participation": (
        "SELECT count(*) FROM (SELECT activity_id, organization_id, count(*) AS n "
        "FROM attendances GROUP BY activity_id, organization_id) x JOIN participations p "
        "ON p.activity_id = x.activity_id AND p.organization_id = x.organization_id "
        "WHERE x.n > p.attendees"),
    "named_over_total": (
        "SELECT count(*) FROM (SELECT activity_id, count(*) AS n FROM attendances "
        "GROUP BY activity_id) x JOIN activities a ON a.id = x.activity_id "
        "WHERE x.n > a.total_participants"),
    "organisation_not_taking_part": (
        "SELECT count(*) FROM attendances t WHERE NOT EXISTS (SELECT 1 FROM participations p "
        "WHERE p.activity_id = t.activity_id AND p.organization_id = t.organization_id)"),
    "not_their_organisation": (
        "SELECT count(*) FROM attendances t WHERE NOT EXISTS (SELECT 1 FROM "
        "person_organizations m WHERE m.person_id = t.person_id "
        "AND m.organization_id = t.organization_id)"),
    "not_their_first_organisation_here": (
        "SELECT count(*) FROM attendances t JOIN person_organizations m "
        "ON m.person_id = t.person_id AND m.organization_id < t.organization_id "
        "JOIN participations p ON p.activity_id = t.activity_id "
        "AND p.organization_id = m.organization_id"),
    "other_incubator": (
        "SELECT count(*) FROM attendances t JOIN people x ON x.id = t.person_id "
        "JOIN activities a ON a.id = t.activity_id WHERE x.incubator_id <> a.incubator_id"),
    "hours_over_activity": (
        "SELECT count(*) FROM attendances t JOIN activities a ON a.id = t.activity_id "
        "WHERE t.hours > a.hours"),
    "before_consent": (
        "SELECT count(*) FROM attendances t JOIN people x ON x.id = t.person_id "
        "JOIN activities a ON a.id = t.activity_id WHERE a.activity_date < x.consent_date"),
    "after_withdrawal": (
        "SELECT count(*) FROM attendances t JOIN people x ON x.id = t.person_id "
        "JOIN activities a ON a.id = t.activity_id "
        "WHERE a.activity_date >= x.consent_withdrawn"),
    "membership_outside_the_incubator": (
        "SELECT count(*) FROM person_organizations m JOIN people x ON x.id = m.person_id "
        "WHERE NOT EXISTS (SELECT 1 FROM participations p JOIN activities a "
        "ON a.id = p.activity_id WHERE p.organization_id = m.organization_id "
        "AND a.incubator_id = x.incubator_id)"),
}


def _broken_sheet_rules(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        found = {name: int(conn.scalar(text(sql)) or 0) for name, sql in SHEET_RULES.items()}
    return {name: n for name, n in found.items() if n}


def _trained(engine: Engine) -> int:
    """People who attended at least 12 hours of trainings (the default rule, as managers
    count: approved and submitted activities)."""
    with engine.connect() as conn:
        return int(conn.scalar(text(
            "SELECT count(*) FROM (SELECT t.person_id FROM attendances t JOIN activities a "
            "ON a.id = t.activity_id WHERE a.type = 'training' AND a.deleted_at IS NULL "
            "AND a.status IN ('approved', 'submitted') GROUP BY t.person_id "
            "HAVING sum(coalesce(t.hours, a.hours)) >= 12) x")) or 0)


def test_people_look_real_and_keep_the_rules(demo_db: tuple[Engine, demo.DemoSummary]
                                             ) -> None:
    engine, summary = demo_db
    with engine.connect() as conn:
        people = conn.execute(select(Person)).all()
        codes = {i.id: i.code for i in conn.execute(select(Incubator.id, Incubator.code))}
        memberships = Counter(conn.scalars(select(Membership.person_id)))
        roles = Counter(conn.scalars(select(Membership.role)))
        first_seen: dict[int, Any] = dict(conn.execute(text(
            "SELECT t.person_id, min(a.activity_date) FROM attendances t JOIN activities a "
            "ON a.id = t.activity_id GROUP BY t.person_id")).all())
        whole = int(conn.scalar(select(func.count()).where(Attendance.hours.is_(None))) or 0)
    assert len(people) == summary.people
    # Every person attended something, signed the consent form first, has no personal code.
    assert set(first_seen) == {p.id for p in people}
    for p in people:
        assert p.ref == f"{codes[p.incubator_id][:3]}-P-{p.ref[-4:]}" and p.ref[-4:].isdigit()
        assert p.personal_code_secret is None and p.personal_code_match is None
        assert START <= p.consent_date <= dt.date.fromisoformat(str(first_seen[p.id]))
        assert 1 <= memberships[p.id] <= 2
        if p.erased_at is None:
            assert p.first_name and p.last_name and p.consent_withdrawn is None
            assert p.name_search == person_name_key(p.first_name, p.last_name)
            assert p.birth_year is None or p.birth_year == p.birth_date.year
        else:  # consent withdrawn: the identity erased, the birth year and answers kept
            assert (p.first_name, p.last_name, p.name_search, p.birth_date, p.email,
                    p.phone) == (None, None, "", None, None, None)
            assert p.consent_withdrawn is not None and p.consent_withdrawn >= p.consent_date
        if p.email is not None:
            assert p.email.endswith("@example.lv") and p.email.isascii()
        if p.phone is not None:
            assert p.phone.startswith("+371 2")
        if p.birth_year is not None:
            assert 1940 <= p.birth_year <= 2010
    refs = [p.ref for p in people]
    assert len(set(refs)) == len(refs)
    assert 2 <= sum(p.erased_at is not None for p in people) <= 15  # a handful withdrew
    incomplete = [p for p in people if missing_characteristics(p)]
    assert 0.08 * len(people) <= len(incomplete) <= 0.18 * len(people)
    refused = [p for p in people if "refused" in (p.disability, p.minority,
                                                  p.foreign_background,
                                                  p.third_country_national)]
    assert 0 < len(refused) < 0.1 * len(people)
    genders = Counter(p.gender for p in people)
    assert genders["female"] > genders["male"] > 0
    assert set(roles) <= {r.value for r in PersonRole} and roles["leader"] > 0
    assert 1 < sum(n == 2 for n in memberships.values()) < 0.3 * len(people)
    assert whole > 0.8 * summary.attendances  # mostly the whole activity
    assert _broken_sheet_rules(engine) == {}


def test_attendance_saves_again_unchanged_through_the_rules(
        demo_db: tuple[Engine, demo.DemoSummary]) -> None:
    """Every sheet passes tracker.services.attendance.assign as it is, in any order, and
    each attendee counts for the organisation the demo recorded."""
    engine, _ = demo_db
    with Session(engine) as session:
        sheets = session.scalars(select(Activity).where(Activity.attendances.any())
                                 .order_by(Activity.id)).all()
        assert len(sheets) > 200
        for activity in sheets[::3]:
            stored = {a.person_id: a.organization_id for a in activity.attendances}
            named = [AttendeeIn(person_id=a.person_id, hours=a.hours)
                     for a in activity.attendances]
            for order in (named, named[::-1]):
                assert attendance.assign(
                    session, incubator_id=activity.incubator_id,
                    participations={p.organization_id: p.attendees
                                    for p in activity.participations},
                    attendees=order, total=activity.total_participants, hours=activity.hours,
                    kept=frozenset(stored)) == stored


def test_a_plausible_number_of_people_is_trained(demo_db: tuple[Engine, demo.DemoSummary]
                                                 ) -> None:
    """The programme's target is 40 people trained by the end of 2026; halfway, fewer."""
    engine, _ = demo_db
    assert 10 <= _trained(engine) <= 40


def test_capacity_grows_from_intake_to_graduation(
        demo_db: tuple[Engine, demo.DemoSummary]) -> None:
    engine, _ = demo_db
    with engine.connect() as conn:
        assessments = conn.execute(select(Assessment.id, Assessment.organization_id,
                                          Assessment.kind, Assessment.capacity_index)).all()
        scores: dict[int, dict[str, int]] = {}
        for row in conn.execute(select(AssessmentScore.assessment_id, AssessmentScore.area,
                                       AssessmentScore.score)):
            scores.setdefault(row.assessment_id, {})[row.area] = row.score
        admitted = set(conn.scalars(select(Enrollment.organization_id).where(
            Enrollment.admitted_on.is_not(None))))
        graduated = set(conn.scalars(select(Enrollment.organization_id).where(
            Enrollment.status == "graduated")))
    for a in assessments:
        assert set(scores[a.id]) == {area.value for area in CapacityArea}
        assert a.capacity_index == capacity_index(scores[a.id])
    by_kind: dict[str, dict[int, Decimal]] = {}
    for a in assessments:
        by_kind.setdefault(a.kind, {})[a.organization_id] = a.capacity_index
    assert set(by_kind["intake"]) == admitted
    assert set(by_kind["graduation"]) == graduated
    assert 0 < len(by_kind["midpoint"]) < len(admitted)
    changes = [by_kind["graduation"][o] - by_kind["intake"][o] for o in graduated]
    assert sum(changes) / len(changes) > 3
    assert sum(c > 0 for c in changes) > len(changes) / 2
    assert any(c < 0 for c in changes) or any(c == 0 for c in changes)


def test_milestones_belong_to_incubators(demo_db: tuple[Engine, demo.DemoSummary]) -> None:
    engine, _ = demo_db
    with engine.connect() as conn:
        rows = conn.execute(select(Milestone)).all()
        staff = {inc: user for inc, user in conn.execute(select(User.incubator_id, User.id)
                                                         .where(User.role == "staff"))}
    kinds = Counter(r.kind for r in rows)
    assert "opinion_submitted" not in kinds  # opinions are the register's
    assert kinds["grant_applied"] == max(kinds.values())
    assert kinds["grant_awarded"] > 0 and len(kinds) == 6
    for r in rows:
        assert r.incubator_id is not None and r.recorded_by_id == staff[r.incubator_id]
        assert START <= r.achieved_on <= END
        if r.kind.startswith("grant_"):
            assert r.amount_eur is not None and r.amount_eur > 0


def test_demo_accounts_sign_in_with_the_demo_password(
        demo_db: tuple[Engine, demo.DemoSummary]) -> None:
    engine, summary = demo_db
    with engine.connect() as conn:
        users = {u.email: u for u in conn.execute(select(User))}
    assert {e: u.role for e, u in users.items()} == {
        "admin@demo.lv": Role.ADMIN.value, "manager@demo.lv": Role.MANAGER.value,
        "funder@demo.lv": Role.FUNDER.value, "staff.kurzeme@demo.lv": Role.STAFF.value,
        "staff.latgale@demo.lv": Role.STAFF.value, "staff.vidzeme@demo.lv": Role.STAFF.value,
        "staff.zemgale@demo.lv": Role.STAFF.value}
    assert len({u.password_hash for u in users.values()}) == 1
    assert verify_password(users["staff.latgale@demo.lv"].password_hash, "demo")
    assert all(u.full_name and u.is_active and u.language == "lv" for u in users.values())
    text_out = summary.describe()
    assert "admin@demo.lv" in text_out and "staff.zemgale@demo.lv" in text_out
    assert '"demo"' in text_out and f"{summary.activities:,}" in text_out


def test_ids_continue_after_the_demo_data(demo_db: tuple[Engine, demo.DemoSummary]) -> None:
    """On PostgreSQL the sequences must have moved past the ids the generator chose."""
    engine, summary = demo_db
    with engine.connect() as conn, conn.begin() as transaction:
        session = Session(bind=conn, join_transaction_mode="create_savepoint")
        org = Organization(reg_no="50008000028", name="Biedrība “Jauna”",
                           legal_form="association")
        user = User(email="new.user@demo.lv", role="manager")
        session.add_all([org, user])
        session.flush()
        incubator = session.scalars(select(Incubator).order_by(Incubator.id)).first()
        assert incubator is not None
        activity = Activity(incubator_id=incubator.id, type="consultation", title="Jauna",
                            activity_date=dt.date(2026, 6, 30), hours=Decimal(1),
                            format="online", total_participants=1,
                            participations=[Participation(organization_id=org.id, attendees=1)])
        session.add(activity)
        session.flush()
        assert org.id > summary.organizations and activity.id > summary.activities
        assert activity.participations[0].id > summary.participations
        session.close()
        transaction.rollback()


# Determinism ---------------------------------------------------------------------------------

def _fingerprint(engine: Engine) -> dict[str, Any]:
    """What must be identical for the same seed, whatever the backend."""
    with engine.connect() as conn:
        return {
            "counts": _counts(engine),
            "organizations": [tuple(r) for r in conn.execute(select(
                Organization.id, Organization.reg_no, Organization.name, Organization.legal_form,
                Organization.fields_of_activity, Organization.founded_on, Organization.members,
                Organization.contact_name, Organization.contact_email).order_by(Organization.id))],
            "activities": [tuple(r) for r in conn.execute(select(
                Activity.id, Activity.type, Activity.title, Activity.activity_date,
                Activity.hours, Activity.total_participants, Activity.status,
                Activity.cohort_id).order_by(Activity.id))],
            "participations": conn.execute(select(func.sum(
                Participation.activity_id * Participation.organization_id
                * Participation.attendees))).scalar(),
            "areas": Counter(conn.scalars(select(ActivityArea.area))),
            "index": [str(v) for v in conn.scalars(select(Assessment.capacity_index)
                                                   .order_by(Assessment.id))],
            "people": [tuple(r) for r in conn.execute(select(
                Person.id, Person.incubator_id, Person.ref, Person.first_name, Person.last_name,
                Person.birth_date, Person.birth_year, Person.gender, Person.municipality_id,
                Person.email, Person.phone, Person.consent_date, Person.consent_withdrawn,
                Person.employment_status, Person.education, Person.minority, Person.rural)
                .order_by(Person.id))],
            "memberships": [tuple(r) for r in conn.execute(select(
                Membership.person_id, Membership.organization_id, Membership.role)
                .order_by(Membership.person_id, Membership.organization_id))],
            "attendances": [tuple(r) for r in conn.execute(select(
                Attendance.id, Attendance.activity_id, Attendance.person_id,
                Attendance.organization_id, Attendance.hours).order_by(Attendance.id))],
            "documents": [tuple(r) for r in conn.execute(select(
                Document.id, Document.ref, Document.title, Document.institution, Document.kind,
                Document.published_on, Document.deadline, Document.adopted_on, Document.url,
                Document.search).order_by(Document.id))],
            "opinions": [tuple(r) for r in conn.execute(select(
                Opinion.id, Opinion.incubator_id, Opinion.document_id, Opinion.submitted_on,
                Opinion.channel, Opinion.summary, Opinion.outcome, Opinion.answered_on,
                Opinion.status).order_by(Opinion.id))],
            "authors": [tuple(r) for r in conn.execute(select(
                OpinionAuthor.opinion_id, OpinionAuthor.organization_id)
                .order_by(OpinionAuthor.opinion_id, OpinionAuthor.organization_id))],
        }


@pytest.mark.postgres
def test_same_seed_gives_the_same_data_on_sqlite_and_postgresql(
        tmp_path: Any, postgres_server: PostgresServer) -> None:
    engines = [_engine(f"sqlite:///{tmp_path / 'a.db'}"),
               _engine(postgres_server.new_database())]
    try:
        results = [demo.generate(e, seed=11, progress=False, today=TODAY) for e in engines]
        assert results[0] == results[1]
        prints = [_fingerprint(e) for e in engines]
        assert prints[0] == prints[1]
        plan = _small_national_plan()
        small = [_engine(f"sqlite:///{tmp_path / 'b.db'}"),
                 _engine(postgres_server.new_database())]
        engines += small
        for e in small:
            demo._generate(e, seed=11, plan=plan, progress=False, today=TODAY)
        assert _fingerprint(small[0]) == _fingerprint(small[1])
    finally:
        for e in engines:
            e.dispose()


def test_same_seed_and_date_same_data_other_seed_or_date_other_data(tmp_path: Any) -> None:
    later = dt.date(2026, 12, 7)
    runs = ((5, TODAY), (5, TODAY), (6, TODAY), (5, later))
    engines = [_engine(f"sqlite:///{tmp_path / f'{n}.db'}") for n in range(len(runs))]
    try:
        for engine, (seed, today) in zip(engines, runs, strict=True):
            demo.generate(engine, seed=seed, progress=False, today=today)
        first, again, other, longer = (_fingerprint(e) for e in engines)
        assert first == again
        assert first["organizations"] != other["organizations"]
        assert first["activities"] != other["activities"]
        assert max(_dates(engines[0]).values()) == END
        assert max(_dates(engines[3]).values()) == later - dt.timedelta(days=1)
        assert longer["counts"]["activities"] > first["counts"]["activities"]
    finally:
        for e in engines:
            e.dispose()


# Up to the day before "today" ----------------------------------------------------------------

DATED = {
    "activities": ("activity_date", "created_at", "updated_at", "submitted_at"),
    "enrollments": ("applied_on", "admitted_on", "graduated_on", "closed_on", "created_at",
                    "updated_at"),
    "assessments": ("assessed_on", "created_at", "updated_at"),
    "milestones": ("achieved_on", "created_at", "updated_at"),
    "indicator_entries": ("entry_date", "created_at", "updated_at"),
    "cohorts": ("created_at", "updated_at"),
    "organizations": ("created_at", "updated_at"),
    "users": ("created_at", "updated_at"),
    "people": ("consent_date", "consent_withdrawn", "created_at", "updated_at", "erased_at"),
    # a document's consultation deadline may still be ahead: the only date after the data
    "documents": ("published_on", "adopted_on", "created_at", "updated_at"),
    "document_monitoring": ("monitored_from",),
    "opinions": ("submitted_on", "answered_on", "submitted_at", "created_at", "updated_at"),
}


def _dates(engine: Engine) -> dict[str, dt.date]:
    """The latest value of every date and moment the demo writes, as a day."""
    latest: dict[str, dt.date] = {}
    with engine.connect() as conn:
        for table, columns in DATED.items():
            for column in columns:
                value = conn.scalar(text(f"SELECT max({column}) FROM {table}"))
                if isinstance(value, str):  # SQLite hands back text from a raw max()
                    value = dt.datetime.fromisoformat(value)
                if isinstance(value, dt.datetime):
                    value = value.date()
                if value is not None:
                    latest[f"{table}.{column}"] = value
    return latest


def _weekly(engine: Engine, last: dt.date, weeks: int) -> list[int]:
    """Activities in each of the `weeks` weeks that end on `last`, oldest first."""
    with engine.connect() as conn:
        days = list(conn.scalars(select(Activity.activity_date).where(
            Activity.activity_date > last - dt.timedelta(weeks=weeks))))
    counts = [0] * weeks
    for day in days:
        counts[weeks - 1 - (last - day).days // 7] += 1
    return counts


def test_fixture_data_ends_the_day_before_today(demo_db: tuple[Engine, demo.DemoSummary]
                                                ) -> None:
    engine, _ = demo_db
    latest = _dates(engine)
    assert max(latest.values()) == END
    assert latest["activities.activity_date"] >= END - dt.timedelta(days=3)


@pytest.mark.parametrize(("today", "last"), [
    (dt.date(2026, 12, 7), dt.date(2026, 12, 6)),  # the programme's last month
    (dt.date(2027, 3, 1), PROGRAMME_END),  # after the end: the whole programme
])
def test_the_demo_runs_up_to_the_day_before_today(tmp_path: Any, today: dt.date,
                                                  last: dt.date) -> None:
    engine = _engine(f"sqlite:///{tmp_path / 'late.db'}")
    try:
        summary = demo.generate(engine, seed=SEED, progress=False, today=today)
        latest = _dates(engine)
        assert max(latest.values()) <= last, {k: v for k, v in latest.items() if v > last}
        assert latest["activities.activity_date"] >= last - dt.timedelta(days=7)
        # The forecast's weekly chart: every one of the last eight weeks has activities.
        assert all(n > 0 for n in _weekly(engine, last, 8)), _weekly(engine, last, 8)
        with engine.connect() as conn:
            rows = conn.execute(select(Enrollment.status, Cohort.number).join(
                Cohort, Cohort.id == Enrollment.cohort_id)).all()
            recent = Counter(conn.scalars(select(Activity.status).where(
                Activity.activity_date > last - dt.timedelta(days=14))))
            old = Counter(conn.scalars(select(Activity.status).where(
                Activity.activity_date < last - dt.timedelta(days=90))))
        by_cycle = Counter((number, status) for status, number in rows)
        assert by_cycle[(2, "graduated")] == 58 and by_cycle[(2, "admitted")] == 0
        assert by_cycle[(2, "applied")] == 0  # a finished cycle has nobody waiting
        # Recent work still waits for review; old work is approved.
        waiting = recent["submitted"] + recent["draft"]
        if today <= PROGRAMME_END:
            assert waiting > recent["approved"]
        assert old["approved"] > 0.95 * sum(old.values())
        assert summary.indicator_entries == 0  # nothing is typed in by hand
        assert summary.documents > 2_300 and summary.opinions > 100  # near their targets
        assert summary.cohorts == 8
        # Towards the programme's target of 40 people trained (12 hours of trainings each)
        assert 25 <= _trained(engine) <= 70
    finally:
        engine.dispose()


def test_the_date_defaults_to_today(tmp_path: Any) -> None:
    engine = _engine(f"sqlite:///{tmp_path / 'today.db'}")
    try:
        demo.generate(engine, seed=SEED, progress=False)
        today = dt.date.today()  # noqa: DTZ011 - the calendar day, as the generator takes it
        last = min(today - dt.timedelta(days=1), PROGRAMME_END)
        latest = _dates(engine)
        assert max(latest.values()) <= last
        assert latest["activities.activity_date"] >= last - dt.timedelta(days=7)
    finally:
        engine.dispose()


def test_early_dates_give_a_young_programme(tmp_path: Any) -> None:
    engine = _engine(f"sqlite:///{tmp_path / 'early.db'}")
    try:
        today = dt.date(2025, 3, 20)
        summary = demo.generate(engine, seed=SEED, progress=False, today=today)
        assert max(_dates(engine).values()) < today
        assert 0 < summary.activities < 500 and summary.enrollments > 0
        with engine.connect() as conn:
            statuses = set(conn.scalars(select(Enrollment.status)))
        assert "graduated" not in statuses
    finally:
        engine.dispose()


def test_a_date_before_the_programme_is_refused(empty_engine: Engine) -> None:
    with pytest.raises(demo.DemoDataRefused, match="2025"):
        demo.generate(empty_engine, seed=1, progress=False, today=dt.date(2024, 12, 1))
    assert set(_counts(empty_engine).values()) == {0}


# Refusals and atomicity ----------------------------------------------------------------------

def test_refuses_a_database_that_already_has_data(empty_engine: Engine) -> None:
    plan = dataclasses.replace(_small_national_plan(), organizations=300, activities=200,
                               participations=800, milestones=20)
    demo._generate(empty_engine, seed=1, plan=plan, progress=False)
    before = _counts(empty_engine)
    with pytest.raises(demo.DemoDataRefused) as refused:
        demo.generate(empty_engine, seed=2, progress=False)
    assert "organizations" in refused.value.message("en")
    assert "tukšā datubāzē" in refused.value.message("lv")
    assert _counts(empty_engine) == before


def test_refuses_when_a_demo_account_exists(empty_engine: Engine) -> None:
    with Session(empty_engine) as session, session.begin():
        session.add(User(email="manager@demo.lv", role="manager"))
        session.add(User(email="someone@else.lv", role="admin"))
    with pytest.raises(demo.DemoDataRefused, match=r"manager@demo\.lv"):
        demo.generate(empty_engine, seed=1, progress=False)
    assert _counts(empty_engine)["organizations"] == 0


def test_other_accounts_may_exist(empty_engine: Engine) -> None:
    with Session(empty_engine) as session, session.begin():
        session.add(User(email="someone@else.lv", role="admin"))
    plan = dataclasses.replace(_small_national_plan(), organizations=300, activities=100,
                               participations=400, milestones=10)
    summary = demo._generate(empty_engine, seed=1, plan=plan, progress=False)
    assert summary.users == 7 and _counts(empty_engine)["users"] == 8


def test_refuses_a_database_without_reference_data(new_database_url: str) -> None:
    engine = make_engine(new_database_url)
    try:
        migrate.upgrade(engine)
        with pytest.raises(demo.DemoDataRefused, match="tracker init"):
            demo.generate(engine, progress=False)
    finally:
        engine.dispose()


def test_a_failure_leaves_nothing_behind(empty_engine: Engine,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Generator, "activities", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        demo.generate(empty_engine, seed=1, progress=False)
    assert set(_counts(empty_engine).values()) == {0}


def test_unknown_scale_is_refused(empty_engine: Engine) -> None:
    with pytest.raises(ValueError, match="unknown scale"):
        demo.generate(empty_engine, scale="galactic", progress=False)


# National code path --------------------------------------------------------------------------

def test_national_code_path_gives_exact_counts(empty_engine: Engine) -> None:
    plan = _small_national_plan()
    summary = demo._generate(empty_engine, seed=3, plan=plan, progress=False, today=TODAY)
    assert _counts(empty_engine) == _summary_counts(summary)
    assert (summary.organizations, summary.activities, summary.participations,
            summary.milestones, summary.people, summary.attendances, summary.documents,
            summary.opinions) == (500, 3_000, 14_000, 321, 1_500, 8_000, 900, 400)
    assert summary.cohorts == 4 * len(plan.cycles)
    assert summary.scale == "national" and "admin@demo.lv" not in summary.describe()
    with empty_engine.connect() as conn:
        too_many = conn.scalar(text(
            "SELECT count(*) FROM activities a JOIN (SELECT activity_id, sum(attendees) AS n "
            "FROM participations GROUP BY activity_id) p ON p.activity_id = a.id "
            "WHERE p.n > a.total_participants"))
        graduated = conn.scalar(select(func.count()).where(Enrollment.status == "graduated"))
        ended = sum(1 for c in plan.cycles if c.end <= END)
    assert too_many == 0
    assert graduated == ended * (8 + 9 + 8 + 9)
    assert _broken_sheet_rules(empty_engine) == {}


def test_participant_counts_add_up_exactly() -> None:
    rng = random.Random(1)
    types = rng.choices(range(len(TYPES)), TYPE_WEIGHTS, k=5_000)
    caps = [rng.choice((20, 60)) for _ in types]
    for target in (12_000, 25_000, 40_000):
        counts = participant_counts(random.Random(2), types, caps, target)
        assert sum(counts) == target
        assert all(1 <= c <= cap for c, cap in zip(counts, caps, strict=True))
        assert all(c == 1 for c, t in zip(counts, types, strict=True)
                   if TYPES[t] is ActivityType.CONSULTATION)
    with pytest.raises(ValueError, match="cannot spread"):
        participant_counts(random.Random(2), types, caps, 10_000_000)
    with pytest.raises(ValueError, match="cannot spread"):
        participant_counts(random.Random(2), types, caps, 10)


# The command line ----------------------------------------------------------------------------

def test_cli_today_pins_the_date(empty_engine: Engine, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL",
                       empty_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("TRACKER_LANGUAGE", "en")
    dispose_engines()
    try:
        code, out, err = run(capsys, "demo", "--quiet", "--today", "2026-09-15")
        assert code == 0, err
        assert "Demo data loaded" in out
        assert max(_dates(empty_engine).values()) == dt.date(2026, 9, 14)
        before = _counts(empty_engine)  # a bad --today is refused before anything is written
        code, _, err = run(capsys, "demo", "--quiet", "--today", "15.09.2026")
        assert code == 2 and "--today" in err and "YYYY-MM-DD" in err
        assert _counts(empty_engine) == before
    finally:
        dispose_engines()


def test_progress_without_a_terminal_is_plain_lines(tmp_path: Any) -> None:
    """With stderr in a pipe (a CI log, `make run > log`) the progress is one line a step,
    never carriage-return redraws that a log shows as one garbled line."""
    url = f"sqlite:///{tmp_path / 'piped.db'}"
    _engine(url).dispose()
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "demo", "--today", "2026-03-01"],
        cwd=ROOT, capture_output=True, timeout=300, check=False,
        env={**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_LANGUAGE": "en"})
    err = result.stderr.decode()  # bytes: text mode would turn "\r" into "\n"
    assert result.returncode == 0, err
    assert "\r" not in err and "\x1b" not in err, err
    lines = err.splitlines()
    assert len(lines) >= 3, result.stderr
    assert any("activities" in line for line in lines)
    assert lines[-1].startswith("demo data: done")
