"""Organisation search (filters, paging, Latvian order) and profile services; what the page
hides is refused by the services too."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import AssessmentKind, CapacityArea, EnrollmentStatus, LegalForm, Role
from db.models import Enrollment
from db.models import Region as RegionRow
from tests import factories as f
from tracker.auth import Actor
from tracker.errors import Deleted, PermissionDenied
from tracker.i18n import latvian_sort_key
from tracker.schemas import (
    AssessmentCreate,
    EnrollmentCreate,
    EnrollmentStatusChange,
    OrganizationPage,
    OrganizationUpdate,
)
from tracker.services import activities, assessments, enrollments, organizations

S = EnrollmentStatus
TOKEN = "Zvirgzdu"  # in every name made here, so searches see only this test's organisations


def _region_id(session: Session, code: str) -> int:
    value = session.scalar(select(RegionRow.id).where(RegionRow.code == code))
    assert value is not None
    return value


def _names(page: OrganizationPage) -> list[str]:
    return [o.name for o in page.items]


def _search(session: Session, actor: Actor = f.ADMIN, **filters: Any) -> OrganizationPage:
    return organizations.search_organizations(session, actor=actor, **filters)


def _enrol(session: Session, org_id: int, cohort_id: int, *moves: S):
    enrollment = enrollments.enroll(session, actor=f.ADMIN, data=EnrollmentCreate(
        organization_id=org_id, cohort_id=cohort_id, applied_on=dt.date(2025, 2, 3)))
    for day, status in enumerate(moves, start=10):
        version = session.get(Enrollment, enrollment.id).version  # type: ignore[union-attr]
        enrollments.change_enrollment_status(
            session, actor=f.ADMIN, enrollment_id=enrollment.id,
            data=EnrollmentStatusChange(status=status, on_date=dt.date(2025, 3, day),
                                        version=version))
    return enrollment.id


# --- search ------------------------------------------------------------------------------------

def test_search_by_name_without_diacritics_or_by_registration_number(session: Session) -> None:
    org = f.organization(session, name=f"Biedrība “{TOKEN} Ūdensrozes”")
    f.organization(session, name=f"Biedrība “{TOKEN} Ozoli”")
    assert _names(_search(session, search="zvirgzdu udensrozes")) == [org.name]
    assert _names(_search(session, search="ZVIRGZDU ŪDENSROZES")) == [org.name]
    assert _names(_search(session, search=org.reg_no)) == [org.name]
    assert _search(session, search=TOKEN).total == 2
    assert _search(session, search="100%_").total == 0  # LIKE wildcards are plain characters


def test_latvian_order_holds_across_pages(session: Session) -> None:
    stems = ["Ābeles", "Azote", "ābolu", "Cēsis", "Čiekuri", "cukurs", "Ērgļi", "Ezers", "Ģimene",
             "Gaujas", "Īve", "Ieva", "Ķekava", "Kalns", "Ļaudis", "Lapas", "Ņiras", "Nams",
             "Šķēde", "Sala", "Ūdri", "Uguns", "Žīguri", "Zaķi", "„Ozols”", "Ozolaine", "Yoga",
             "Vītoli", "1. maija", "Xenon", "Wald", "Quercus"]
    random.Random(7).shuffle(stems)
    for stem in stems:
        f.organization(session, name=f"{TOKEN} {stem}")
    pages = [_search(session, search=TOKEN, limit=5, offset=offset) for offset in range(0, 35, 5)]
    listed = [name for page in pages for name in _names(page)]
    assert listed == sorted(listed, key=latvian_sort_key)
    assert len(listed) == len(stems) == pages[0].total
    assert listed[:4] == [f"{TOKEN} 1. maija", f"{TOKEN} Azote", f"{TOKEN} Ābeles",
                          f"{TOKEN} ābolu"]
    assert listed[-5:] == [f"{TOKEN} Žīguri", f"{TOKEN} Quercus", f"{TOKEN} Wald",
                           f"{TOKEN} Xenon", f"{TOKEN} Yoga"]


def test_filters_by_region_legal_form_incubator_cohort_and_status(session: Session) -> None:
    vidzeme = f.organization(session, name=f"{TOKEN} Valmiera", municipality_atvk="0054000")
    latgale = f.organization(session, name=f"{TOKEN} Rēzekne", municipality_atvk="0006000",
                             legal_form=LegalForm.FOUNDATION)
    nowhere = f.organization(session, name=f"{TOKEN} Bez vietas", municipality_atvk=None)
    ours, theirs = f.cohort(session, "VIDZEME"), f.cohort(session, "LATGALE")
    _enrol(session, vidzeme.id, ours, S.ADMITTED)
    _enrol(session, latgale.id, theirs)

    def names(**filters: Any) -> set[str]:
        return set(_names(_search(session, search=TOKEN, **filters)))

    assert names(region_id=_region_id(session, "VIDZEME")) == {vidzeme.name}
    assert names(region_id=_region_id(session, "LATGALE")) == {latgale.name}
    assert names(legal_form=LegalForm.FOUNDATION) == {latgale.name}
    assert names(legal_form=LegalForm.ASSOCIATION) == {vidzeme.name, nowhere.name}
    assert names(incubator_id=f.incubator_id(session, "VIDZEME")) == {vidzeme.name}
    assert names(cohort_id=theirs) == {latgale.name}
    assert names(status=S.ADMITTED) == {vidzeme.name}
    assert names(status=S.APPLIED) == {latgale.name}
    # The conditions hold for one and the same enrolment.
    assert names(incubator_id=f.incubator_id(session, "LATGALE"), status=S.ADMITTED) == set()
    assert _search(session, search=TOKEN, status=S.APPLIED).total == 1


def test_rows_carry_place_and_latest_enrolment(session: Session) -> None:
    org = f.organization(session, name=f"{TOKEN} Cēsis", municipality_atvk="0026000")
    first, second = f.cohort(session, "VIDZEME"), f.cohort(session, "VIDZEME")
    _enrol(session, org.id, first, S.ADMITTED, S.GRADUATED)
    enrollments.enroll(session, actor=f.ADMIN, data=EnrollmentCreate(
        organization_id=org.id, cohort_id=second, applied_on=dt.date(2025, 9, 1)))
    row = _search(session, search=TOKEN).items[0]
    assert (row.municipality_name, row.region_code, row.latest_status, row.latest_cohort) == \
        ("Cēsu novads", "VIDZEME", S.APPLIED, "Test cycle")
    graduated = _search(session, search=TOKEN, status=S.GRADUATED).items[0]
    assert graduated.latest_status is S.GRADUATED  # the latest among those the filter asks for


def test_paging_bounds_and_deleted_organisations(session: Session) -> None:
    orgs = [f.organization(session, name=f"{TOKEN} {n:02d}") for n in range(7)]
    organizations.delete_organization(session, actor=f.ADMIN, organization_id=orgs[0].id,
                                      version=1)
    page = _search(session, search=TOKEN, limit=4, offset=4)
    assert (page.total, page.limit, page.offset, _names(page)) == \
        (6, 4, 4, [f"{TOKEN} 05", f"{TOKEN} 06"])
    assert _search(session, search=TOKEN, limit=10_000).limit == organizations.MAX_PAGE
    assert _search(session, search=TOKEN, limit=0, offset=-3).items[0].name == f"{TOKEN} 01"


# --- profile -----------------------------------------------------------------------------------

def test_activities_attended_newest_first_with_totals(session: Session) -> None:
    org = f.organization(session, name=f"{TOKEN} Dalībnieki")
    other = f.organization(session, name=f"{TOKEN} Citi")
    for day, people in ((3, 2), (20, 4), (11, 1)):
        f.activity(session, title=f"Apmācība {day}", activity_date=f"2025-05-{day:02d}",
                   total_participants=10, participations=[
                       {"organization_id": org.id, "attendees": people},
                       {"organization_id": other.id, "attendees": 5}])
    gone = f.activity(session, title="Dzēsta", activity_date="2025-05-25", total_participants=3,
                      participations=[{"organization_id": org.id, "attendees": 3}])
    activities.delete_activity(session, actor=f.ADMIN, activity_id=gone.id, version=gone.version)

    attended = organizations.list_attended_activities(session, actor=f.ADMIN,
                                                      organization_id=org.id, limit=2)
    assert [(a.title, a.attendees) for a in attended.items] == [("Apmācība 20", 4),
                                                                ("Apmācība 11", 1)]
    assert (attended.activities, attended.attendees) == (3, 7)
    assert attended.items[0].activity_date == dt.date(2025, 5, 20)
    nothing = organizations.list_attended_activities(
        session, actor=f.ADMIN, organization_id=f.organization(session).id)
    assert (nothing.items, nothing.activities, nothing.attendees) == ([], 0, 0)


def test_staff_see_other_incubators_activities_only_once_approved(session: Session) -> None:
    """An organisation's history across incubators: staff see every activity of their own
    incubator and other incubators' approved ones, never the titles of their drafts,
    submitted or returned ones (nor count them); managers see all."""
    from sqlalchemy import update

    from db.models import Activity

    org = f.organization(session, name=f"{TOKEN} Vēsture")
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    made: dict[str, int] = {}
    for n, (code, status) in enumerate((("VIDZEME", "draft"), ("VIDZEME", "approved"),
                                        ("LATGALE", "draft"), ("LATGALE", "submitted"),
                                        ("LATGALE", "returned"), ("LATGALE", "approved")),
                                       start=1):
        saved = f.activity(session, incubator=code, status="draft",
                           title=f"{code} {status}", activity_date=f"2025-05-{n:02d}",
                           total_participants=10,
                           participations=[{"organization_id": org.id, "attendees": n}])
        session.execute(update(Activity).where(Activity.id == saved.id).values(status=status))
        made[f"{code} {status}"] = n
    session.expire_all()

    seen = organizations.list_attended_activities(session, actor=staff, organization_id=org.id)
    assert [a.title for a in seen.items] == ["LATGALE approved", "VIDZEME approved",
                                             "VIDZEME draft"]
    assert (seen.activities, seen.attendees) == (3, 6 + 2 + 1)
    everything = organizations.list_attended_activities(session, actor=f.actor(
        session, Role.MANAGER), organization_id=org.id)
    assert {a.title for a in everything.items} == set(made)
    assert (everything.activities, everything.attendees) == (6, sum(made.values()))


def test_enrolments_with_cohort_and_the_moves_allowed(session: Session) -> None:
    org = f.organization(session)
    ours, theirs = f.cohort(session, "VIDZEME"), f.cohort(session, "LATGALE")
    _enrol(session, org.id, ours, S.ADMITTED)
    _enrol(session, org.id, theirs)
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    mine, other = enrollments.list_organization_enrollments(session, actor=staff,
                                                           organization_id=org.id)
    assert (mine.cohort_id, mine.status, mine.may_change, mine.next_statuses) == \
        (ours, S.ADMITTED, True, [S.GRADUATED, S.WITHDRAWN])
    assert mine.cohort_name == "Test cycle" and mine.admitted_on == dt.date(2025, 3, 10)
    assert (other.cohort_id, other.may_change, other.next_statuses) == (theirs, False, [])
    manager = f.actor(session, Role.MANAGER)
    as_manager = enrollments.list_organization_enrollments(session, actor=manager,
                                                          organization_id=org.id)
    assert as_manager[1].next_statuses == [S.ADMITTED, S.REJECTED, S.WITHDRAWN]
    # What the page hides is refused underneath.
    with pytest.raises(PermissionDenied):
        enrollments.change_enrollment_status(
            session, actor=staff, enrollment_id=other.id, data=EnrollmentStatusChange(
                status=S.ADMITTED, on_date=dt.date(2025, 4, 1), version=other.version))


@pytest.mark.parametrize("status", list(S))
def test_next_statuses_are_exactly_the_moves_the_service_accepts(session: Session,
                                                                 status: S) -> None:
    path = {S.APPLIED: [], S.ADMITTED: [S.ADMITTED], S.GRADUATED: [S.ADMITTED, S.GRADUATED],
            S.REJECTED: [S.REJECTED], S.WITHDRAWN: [S.WITHDRAWN]}[status]
    org = f.organization(session)
    enrollment_id = _enrol(session, org.id, f.cohort(session), *path)
    offered = enrollments.list_organization_enrollments(session, actor=f.ADMIN,
                                                        organization_id=org.id)[0].next_statuses
    for target in S:
        version = session.get(Enrollment, enrollment_id).version  # type: ignore[union-attr]
        change = EnrollmentStatusChange(status=target, on_date=dt.date(2025, 6, 1),
                                        version=version)
        with session.begin_nested() as savepoint:
            try:
                enrollments.change_enrollment_status(session, actor=f.ADMIN,
                                                     enrollment_id=enrollment_id, data=change)
                accepted = True
            except Exception:
                accepted = False
            savepoint.rollback()
        assert accepted == (target in offered), target


def test_cohorts_offered_for_enrolment(session: Session) -> None:
    org = f.organization(session)
    ours, already, theirs = (f.cohort(session, "VIDZEME"), f.cohort(session, "VIDZEME"),
                             f.cohort(session, "LATGALE"))
    _enrol(session, org.id, already)
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    offered = {c.id for c in enrollments.list_enrollable_cohorts(session, actor=staff,
                                                                 organization_id=org.id)}
    assert ours in offered and already not in offered and theirs not in offered
    manager = f.actor(session, Role.MANAGER)
    offered = {c.id for c in enrollments.list_enrollable_cohorts(session, actor=manager,
                                                                 organization_id=org.id)}
    assert {ours, theirs} <= offered and already not in offered
    with pytest.raises(PermissionDenied):  # not offered, and refused when tried anyway
        enrollments.enroll(session, actor=staff, data=EnrollmentCreate(
            organization_id=org.id, cohort_id=theirs, applied_on=dt.date(2025, 3, 1)))


@pytest.mark.parametrize(("role", "staff_of", "enrolled_in"), [
    (Role.ADMIN, None, "LATGALE"), (Role.MANAGER, None, "LATGALE"),
    (Role.STAFF, "VIDZEME", "VIDZEME"), (Role.STAFF, "VIDZEME", "LATGALE"),
    (Role.STAFF, "VIDZEME", None), (Role.FUNDER, None, "VIDZEME")])
def test_may_edit_says_what_update_does(session: Session, role: Role, staff_of: str | None,
                                        enrolled_in: str | None) -> None:
    org = f.organization(session)
    if enrolled_in:
        _enrol(session, org.id, f.cohort(session, enrolled_in))
    actor = f.actor(session, role, staff_of)
    allowed = organizations.may_edit_organization(session, actor=actor, organization_id=org.id)
    try:
        organizations.update_organization(session, actor=actor, organization_id=org.id,
                                          data=OrganizationUpdate(name="Jauns", version=1))
        updated = True
    except PermissionDenied:
        updated = False
    assert allowed == updated


@pytest.mark.parametrize(("role", "staff_of", "enrolled_in"), [
    (Role.MANAGER, None, None), (Role.STAFF, "VIDZEME", "VIDZEME"),
    (Role.STAFF, "VIDZEME", "LATGALE"), (Role.STAFF, "VIDZEME", None),
    (Role.FUNDER, None, "VIDZEME")])
def test_may_assess_says_what_record_assessment_does(session: Session, role: Role,
                                                     staff_of: str | None,
                                                     enrolled_in: str | None) -> None:
    org = f.organization(session)
    if enrolled_in:
        _enrol(session, org.id, f.cohort(session, enrolled_in))
    actor = f.actor(session, role, staff_of)
    allowed = assessments.may_assess(session, actor=actor, organization_id=org.id)
    try:
        assessments.record_assessment(session, actor=actor, data=AssessmentCreate(
            organization_id=org.id, kind=AssessmentKind.INTAKE,
            assessed_on=dt.date(2025, 3, 1), scores=dict.fromkeys(CapacityArea, 2)))
        recorded = True
    except PermissionDenied:
        recorded = False
    assert allowed == recorded


@pytest.mark.parametrize("call", ["search", "attended", "enrolments", "cohorts"])
def test_funders_do_not_get_organisation_files(session: Session, call: str) -> None:
    org = f.organization(session)
    funder = f.actor(session, Role.FUNDER)
    calls: dict[str, Callable[[], object]] = {
        "search": lambda: organizations.search_organizations(session, actor=funder),
        "attended": lambda: organizations.list_attended_activities(
            session, actor=funder, organization_id=org.id),
        "enrolments": lambda: enrollments.list_organization_enrollments(
            session, actor=funder, organization_id=org.id),
        "cohorts": lambda: enrollments.list_enrollable_cohorts(
            session, actor=funder, organization_id=org.id),
    }
    with pytest.raises(PermissionDenied):
        calls[call]()


def test_a_deleted_organisation_has_no_profile(session: Session) -> None:
    org = f.organization(session)
    organizations.delete_organization(session, actor=f.ADMIN, organization_id=org.id, version=1)
    calls: list[Callable[..., object]] = [
        organizations.list_attended_activities, organizations.may_edit_organization,
        enrollments.list_organization_enrollments, enrollments.list_enrollable_cohorts,
        assessments.may_assess]
    for call in calls:
        with pytest.raises(Deleted):
            call(session, actor=f.ADMIN, organization_id=org.id)


def test_an_edit_that_sets_the_municipality_moves_the_version_by_one(session: Session) -> None:
    org = f.organization(session, municipality_atvk=None)
    updated = organizations.update_organization(
        session, actor=f.ADMIN, organization_id=org.id, data=OrganizationUpdate(
            name="Biedrība “Jauna vieta”", municipality_atvk="0026000", members=3, version=1))
    assert updated.version == 2
