"""Who may do what: every role × every service × a record of the actor's own incubator and of
another one, on both databases.

The pages hide what a role may not open, but every service checks again, so a crafted request
(or a page that forgets) cannot get round the rule. Each service below is called by an
administrator, a programme manager, a staff member of incubator A and a funder, on records of
incubator A ("own") and of incubator B ("other"), each call in a transaction of its own that
is rolled back. The expected answer comes from the rule written next to the service:

- ``deny``: the service raises PermissionDenied and writes nothing;
- ``allow``: it answers, without any error;
- for reads that narrow instead of refusing, a check that the answer holds nothing the role
  may not see (a staff member sees only their own incubator's activities, a funder no
  contact person's details);
- for questions (``may_assess``, ``may_edit_organization``, ``steps_for``,
  ``waiting_count``), the answer itself.

A service added later without a row here fails ``test_every_service_is_in_the_matrix``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import inspect
import io
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest
from pydantic import BaseModel
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

import tracker
from db.engine import make_engine
from db.enums import CapacityArea, OpinionOutcome, Role
from db.models import (
    SENSITIVE_CHARACTERISTICS,
    Activity,
    Attachment,
    Attendance,
    AuditLog,
    Cohort,
    Document,
    Enrollment,
    Incubator,
    Indicator,
    Opinion,
    Organization,
    Person,
    Target,
    User,
)
from tests import factories as f
from tests.conftest import BACKENDS, PostgresServer
from tests.tracker.test_attachments import pdf
from tests.tracker.test_register_import import row as register_row
from tracker.analytics import dialogue_stats, forecast, journeys, progress, regions
from tracker.analytics.overview import overview_numbers
from tracker.analytics.scope import Filters
from tracker.auth import Actor
from tracker.errors import NotAllowed, PermissionDenied
from tracker.esf import completeness, participants_table, summary_grid, summary_table
from tracker.exports import Table, to_xlsx
from tracker.imports import export, register, workbook
from tracker.imports import service as imports
from tracker.imports.files import read_upload, read_workbook
from tracker.refdata import init_database
from tracker.reports import dialogue_figures, fetch_table, funder_report
from tracker.schemas import (
    ActivityUpdate,
    AssessmentCreate,
    CohortCreate,
    CohortUpdate,
    EnrollmentCreate,
    EnrollmentStatusChange,
    IncubatorUpdate,
    MilestoneCreate,
    OrganizationCreate,
    OrganizationUpdate,
    PasswordReset,
    PersonCreate,
    PersonUpdate,
    TargetSet,
    UserCreate,
    UserUpdate,
)
from tracker.schemas.dialogue import (
    DocumentCreate,
    DocumentUpdate,
    MonitoringIn,
    OpinionCreate,
    OpinionUpdate,
)
from tracker.services import (
    activities,
    assessments,
    attachments,
    audit_log,
    cohorts,
    documents,
    enrollments,
    form_drafts,
    incubators,
    milestones,
    opinions,
    organizations,
    people,
    personal_data,
    quarters,
    reference,
    review,
    review_queue,
    sessions,
    start_page,
    targets,
    trained,
    users,
)

ROLES = (Role.ADMIN, Role.MANAGER, Role.STAFF, Role.FUNDER)
SCOPES = ("own", "other")  # of the staff member's incubator (A) or another (B)
CODES = {"own": "VIDZEME", "other": "LATGALE"}
AS_OF = dt.date(2026, 11, 27)
# inside the cycles: the submitted activity (14.05.2025) is recent, the approved one that
# test_funders_get_approved_numbers_only adds (10.04.2025) ten weeks old
QUIET_AS_OF = dt.date(2025, 6, 20)

# Who may, by rule -------------------------------------------------------------------------------

EVERYONE = "everyone"  # every role, any incubator
WORKERS = "workers"  # administrators, managers and staff (any incubator); never funders
SCOPED = "scoped"  # administrators and managers; staff in their own incubator; never funders
READERS = "readers"  # programme-wide numbers: administrators, managers and funders
MANAGERS = "managers"  # administrators and managers
ADMIN = "admin"  # administrators only
# The review workflow on top of the incubator rule: a draft is its author's until it is
# submitted (a manager is refused it with a reason, NotAllowed); a submitted activity is the
# manager's until it is approved or returned (its author is refused with a reason).
AUTHOR = "author"
REVIEWER = "reviewer"


def expected(rule: str, role: Role, scope: str) -> str:
    """'allowed', 'denied' (PermissionDenied) or 'refused' (NotAllowed: the workflow's no)."""
    if rule == AUTHOR:
        return "refused" if allowed(MANAGERS, role, scope) else \
            "allowed" if allowed(SCOPED, role, scope) else "denied"
    if rule == REVIEWER:
        return "allowed" if allowed(MANAGERS, role, scope) else \
            "refused" if allowed(SCOPED, role, scope) else "denied"
    return "allowed" if allowed(rule, role, scope) else "denied"


def allowed(rule: str, role: Role, scope: str) -> bool:
    if rule == EVERYONE:
        return True
    if rule == WORKERS:
        return role is not Role.FUNDER
    if rule == SCOPED:
        return role in (Role.ADMIN, Role.MANAGER) or (role is Role.STAFF and scope == "own")
    if rule == READERS:
        return role is not Role.STAFF
    if rule == MANAGERS:
        return role in (Role.ADMIN, Role.MANAGER)
    if rule == ADMIN:
        return role is Role.ADMIN
    raise AssertionError(rule)


# The world --------------------------------------------------------------------------------------

@dataclass
class Side:
    """One incubator's records."""

    incubator: int
    cohort: int
    organization: int
    enrollment: int
    draft: int  # an activity its staff member wrote and has not submitted
    submitted: int  # one waiting for a manager
    attachment: int  # on the draft
    evidence: int  # an attachment on the submitted activity
    user: int  # its staff member's account
    target: int
    contact: str  # the contact person's address of its organisation
    person: int  # a participant of the incubator, member of its organisation
    document: int  # a document the incubator monitors (added by an administrator)
    bare_document: int  # another, nobody submitted an opinion on it
    opinion_draft: int  # an opinion its staff member is writing (with evidence)
    opinion_submitted: int  # one waiting for a manager


@dataclass
class World:
    actors: dict[Role, Actor]
    sides: dict[str, Side]
    free_organization: int  # enrolled nowhere
    indicator: int
    versions: dict[tuple[str, int], int] = field(default_factory=dict)

    def version(self, model: type[Any], row_id: int) -> int:
        return self.versions[(model.__tablename__, row_id)]


def _build(session: Session) -> World:
    admin = Actor.system()
    indicator = session.scalar(select(Indicator.id).where(Indicator.code == "ORGS_SUPPORTED"))
    assert indicator is not None
    actors = {role: f.actor(session, role) for role in (Role.ADMIN, Role.MANAGER, Role.FUNDER)}
    sides: dict[str, Side] = {}
    for scope, code in CODES.items():
        staff = f.actor(session, Role.STAFF, code)
        if scope == "own":
            actors[Role.STAFF] = staff
        contact = f"kontakts.{code.lower()}@biedriba.lv"
        org = f.organization(session, contact_name="Anna Kalniņa", contact_email=contact)
        cohort = f.cohort(session, code)
        enrollment = enrollments.enroll(session, actor=admin, data=EnrollmentCreate(
            organization_id=org.id, cohort_id=cohort, applied_on=dt.date(2025, 2, 1)))
        participation = [{"organization_id": org.id, "attendees": 2}]
        draft = f.activity(session, by=staff, incubator=code, status="draft",
                           cohort_id=cohort, participations=participation)
        submitted = f.activity(session, by=staff, incubator=code, title="Projektu rakstīšana",
                               participations=participation)
        evidence = attachments.add_attachment(
            session, actor=admin, activity_id=submitted.id, file_name="foto.pdf",
            data=pdf("Foto"))
        attachment = attachments.add_attachment(
            session, actor=staff, activity_id=draft.id, file_name="saraksts.pdf", data=pdf())
        assessments.record_assessment(session, actor=admin, data=AssessmentCreate(
            organization_id=org.id, cohort_id=cohort, kind="intake",
            assessed_on=dt.date(2025, 3, 1), scores=dict.fromkeys(CapacityArea, 2)))
        incubator = f.incubator_id(session, code)
        milestones.record_milestone(session, actor=admin, data=MilestoneCreate(
            organization_id=org.id, incubator_id=incubator, kind="grant_awarded",
            achieved_on=dt.date(2025, 6, 1), amount_eur=Decimal(5000)))
        quarters.close_quarter(session, actor=admin, incubator_id=incubator, year=2025, quarter=1,
                             today=AS_OF)
        target = targets.set_target(session, actor=admin, data=TargetSet(
            indicator_id=indicator, incubator_id=incubator, target_value=Decimal(40)))
        person = people.create_person(session, actor=staff, data=PersonCreate.model_validate({
            "incubator_id": incubator, "ref": f"{code}-P-1", "first_name": "Inese",
            "last_name": "Ozola", "consent_date": "2025-03-01", "email": f"inese@{code}.lv",
            "memberships": [{"organization_id": org.id, "role": "leader"}]}))
        document = documents.create_document(session, actor=admin, data=DocumentCreate(
            ref=f"25-TA-{incubator}0", title="Grozījumi Biedrību likumā", institution="TM",
            kind="law", level="national", incubator_id=incubator, note="Iekšēja piezīme",
            monitored_from=dt.date(2025, 4, 2)))
        bare = documents.create_document(session, actor=admin, data=DocumentCreate(
            ref=f"25-TA-{incubator}1", title="Pašvaldības noteikumi", institution="Dome",
            kind="municipal_binding_regulation", level="municipal", incubator_id=incubator,
            monitored_from=dt.date(2025, 4, 2)))
        said = {"document_id": document.id, "organization_ids": [org.id],
                "submitted_on": "2025-04-20", "channel": "tap_portal",
                "summary": "Iebilstam pret 5. pantu", "incubator_id": incubator}
        opinion_draft = opinions.create_opinion(session, actor=staff, data=OpinionCreate(
            **said, status="draft"))
        opinions.add_evidence(session, actor=staff, opinion_id=opinion_draft.id,
                              file_name="vestule.pdf", data=pdf("Vestule"))
        opinion_submitted = opinions.create_opinion(session, actor=staff,
                                                    data=OpinionCreate(**said))
        assert staff.user_id is not None
        sides[scope] = Side(person=person.id, incubator=incubator, cohort=cohort,
                            document=document.id, bare_document=bare.id,
                            opinion_draft=opinion_draft.id,
                            opinion_submitted=opinion_submitted.id,
                            organization=org.id,
                            enrollment=enrollment.id, draft=draft.id, submitted=submitted.id,
                            attachment=attachment.id, evidence=evidence.id,
                            user=staff.user_id, target=target.id, contact=contact)
    free = f.organization(session)
    world = World(actors=actors, sides=sides, free_organization=free.id, indicator=indicator)
    for model in (Activity, Cohort, Document, Enrollment, Incubator, Opinion, Organization,
                  Person, Target, User):
        for row_id, version in session.execute(select(model.id, model.version)):
            world.versions[(model.__tablename__, row_id)] = version
    return world


@pytest.fixture(scope="module", params=BACKENDS)
def world_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[tuple[Engine, World]]:
    """A database of its own with two incubators' records, committed once per backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'tracker.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url = server.new_database()
    engine = make_engine(url)
    init_database(engine)
    with Session(engine, expire_on_commit=False) as session:
        world = _build(session)
        session.commit()
    yield engine, world
    engine.dispose()


# What each answer must hold ---------------------------------------------------------------------

Check = Callable[[Any, Role, str, World], None]


def _ids_of(rows: Any) -> set[int]:
    return {int(r.incubator_id) for r in rows}


def _staff_sees_own_activities(result: Any, role: Role, scope: str, world: World) -> None:
    if role is Role.STAFF:
        assert _ids_of(result) <= {world.sides["own"].incubator}


def _other_incubators_approved_only(result: Any, role: Role, scope: str, world: World) -> None:
    """An organisation's history: staff see another incubator's activities once approved
    (the other incubator's draft and submitted one are not)."""
    assert bool(result.items) is (role is not Role.STAFF or scope == "own")
    if role is Role.STAFF:
        assert all(a.incubator_id == world.sides["own"].incubator or a.status == "approved"
                   for a in result.items)
        assert result.activities == len(result.items)


def _staff_sees_own_people(result: Any, role: Role, scope: str, world: World) -> None:
    """Staff list their own incubator's people; asking for another's gives nobody."""
    assert _ids_of(result) <= {world.sides[scope].incubator}
    assert bool(result) is (role is not Role.STAFF or scope == "own")


def _funders_see_no_contacts(result: Any, role: Role, scope: str, world: World) -> None:
    rows = result if isinstance(result, list) else [result]
    contacts = {r.contact_email for r in rows} - {None}
    if role is Role.FUNDER:
        assert not contacts and all(r.contact_name is None and r.contact_phone is None
                                    for r in rows)
    else:
        assert contacts


def _funders_see_no_notes(result: Any, role: Role, scope: str, world: World) -> None:
    rows = result if isinstance(result, list) else [result]
    assert rows and all(r is not None for r in rows)
    notes = {r.note for r in rows} - {None}
    assert bool(notes) is (role is not Role.FUNDER)


def _staff_sees_own_or_approved_opinions(result: Any, role: Role, scope: str, world: World
                                         ) -> None:
    """Staff read another incubator's opinions once approved (none here are)."""
    assert bool(result) is (role is not Role.STAFF or scope == "own")


def _only_reviewers_have_steps(result: Any, role: Role, scope: str, world: World) -> None:
    """A submitted opinion: the managers' turn; its author and the rest have no step."""
    assert bool(result) is (role in (Role.ADMIN, Role.MANAGER))


def _funders_get_no_list(result: Any, role: Role, scope: str, world: World) -> None:
    """Which organisations submitted is for the programme's staff; funders get how many."""
    # its opinions are submitted: counted for managers, and for staff in their own incubator
    counted = role in (Role.ADMIN, Role.MANAGER) or (role is Role.STAFF and scope == "own")
    assert result.listed is (role is not Role.FUNDER)
    assert bool(result.rows) is counted
    assert result.total == (1 if counted else 0)


def _staff_sees_own_cohorts(result: Any, role: Role, scope: str, world: World) -> None:
    if role is Role.STAFF:
        assert _ids_of(result) <= {world.sides["own"].incubator}
    else:
        assert _ids_of(result) >= {world.sides["own"].incubator, world.sides["other"].incubator}


def _start_page(result: Any, role: Role, scope: str, world: World) -> None:
    _staff_sees_own_activities(result.recent, role, scope, world)
    if role is Role.FUNDER:
        assert result.recent == []


def _inbox(result: Any, role: Role, scope: str, world: World) -> None:
    items = [item for group in (result.waiting, result.returned, result.drafts)
             for item in group] if hasattr(result, "waiting") else []
    if role is Role.FUNDER:
        assert not items
    if role is Role.STAFF:
        assert _ids_of(items) <= {world.sides["own"].incubator}


def _export(result: Any, role: Role, scope: str, world: World) -> None:
    text = repr(result.rows)  # each activity's row names its incubator by code
    assert CODES["own"] in text
    assert (CODES["other"] in text) is (role is not Role.STAFF)


def _answer(rule: str) -> Check:
    """A yes-or-no question answered by the rule (may_assess, may_edit_organization)."""
    def check(result: Any, role: Role, scope: str, world: World) -> None:
        assert result is allowed(rule, role, scope)
    return check


def _steps(result: Any, role: Role, scope: str, world: World) -> None:
    if allowed(MANAGERS, role, scope):
        assert review.Step.APPROVE in result
    else:
        assert not result


def _counts(result: Any, role: Role, scope: str, world: World) -> None:
    mine = role is not Role.STAFF or scope == "own"
    assert set(result.values()) == ({1} if mine else {0})


def _waiting(result: Any, role: Role, scope: str, world: World) -> None:
    assert (result >= 2) if allowed(MANAGERS, role, scope) else result == 0


def _closures(result: Any, role: Role, scope: str, world: World) -> None:
    if role is Role.STAFF:
        assert _ids_of(result) == {world.sides["own"].incubator}


def _import_report(result: Any, role: Role, scope: str, world: World) -> None:
    if allowed(SCOPED, role, scope):
        assert not result.problems and result.created == 1, result.problems
    else:  # the row names an incubator that is not theirs: refused, nothing written
        assert result.problems and result.created == 0


# The services -----------------------------------------------------------------------------------

Call = Callable[[Session, Actor, World, Side], Any]


@dataclass(frozen=True)
class Case:
    rule: str
    call: Call
    check: Check | None = None  # for answers that narrow instead of refusing
    refuses: bool = True  # False: the service answers every role, the check says what
    numbers: Numbers | None = None  # programme-wide numbers: a funder's are approved-only


NumbersCall = Callable[[Session, Actor, Side, Filters], Any]


@dataclass(frozen=True)
class Numbers:
    """A reader's service asked under given filters, so that a funder's answer can be set
    beside a manager's answer counting approved activities only (include_submitted=False)."""

    call: NumbersCall
    by_incubator: bool = False  # filtered to the side's incubator
    # False: built from assessments or enrolments, never from activities, so a funder gets
    # the manager's answer; True: a submitted activity changes what the manager gets
    counts_activities: bool = True

    def filters(self, side: Side, include_submitted: bool = True) -> Filters:
        return Filters(incubator_id=side.incubator if self.by_incubator else None,
                       include_submitted=include_submitted)


def _numbers(call: NumbersCall, by_incubator: bool = False,
             counts_activities: bool = True) -> Case:
    """A READERS row whose funder answer `test_funders_get_approved_numbers_only` checks."""
    numbers = Numbers(call, by_incubator, counts_activities)
    return Case(READERS, lambda s, a, w, x: call(s, a, x, numbers.filters(x)), numbers=numbers)


def _activity_update(s: Session, w: World, activity_id: int, **fields: Any) -> ActivityUpdate:
    data = activities.get_activity(s, actor=Actor.system(), activity_id=activity_id)
    return ActivityUpdate.model_validate(
        data.model_dump(include=set(ActivityUpdate.model_fields)) | {
            "participations": [{"organization_id": p.organization_id, "attendees": p.attendees}
                               for p in data.participations],
            "municipality_atvk": "0054000", "version": w.version(Activity, activity_id)} | fields)


def _opinion_update(w: World, x: Side, opinion_id: int) -> OpinionUpdate:
    return OpinionUpdate(document_id=x.document, organization_ids=[x.organization],
                         submitted_on=dt.date(2025, 4, 21), channel="letter",
                         summary="Iebilstam pret 5. un 6. pantu",
                         version=w.version(Opinion, opinion_id))


def _import_workbook(side: Side, code: str) -> bytes:
    """The activity of _import_file as the activities sheet of a workbook of every kind."""
    sheet = read_upload(_import_file(side, code), "m.csv")
    return to_xlsx([Table("activities", list(sheet.header), [list(r) for _n, r in sheet.rows])])


def _export_workbook(result: Any, role: Role, scope: str, world: World) -> None:
    data, _rows = result
    activities = dict(read_workbook(data))["Activities"]
    assert activities is not None
    _export(SimpleNamespace(rows=activities.rows), role, scope, world)


def _import_file(side: Side, code: str) -> bytes:
    rows = [["ref", "incubator", "type", "title", "date", "hours", "format",
             "municipality_atvk", "capacity_areas", "total_participants", "status"],
            [f"M-{code}", code, "consultation", "Konsultācija par grāmatvedību", "2025-05-20",
             "1", "in_person", "0054000", "finance", "2", "submitted"]]
    return ("\r\n".join(",".join(r) for r in rows) + "\r\n").encode()


def _register_file() -> bytes:
    lines = [";".join(register.COLUMNS), register_row(f.reg_no(), "Biedrība „Jaunā”")]
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def _code(s: Session, side: Side) -> str:
    code = s.scalar(select(Incubator.code).where(Incubator.id == side.incubator))
    assert code is not None
    return code


def _participants(s: Session, side: Side) -> Filters:
    """People at the side's submitted and approved activities (once per transaction), for the
    ESF+ rows; the filters of the side's incubator. Written as rows: a service would add
    audit entries, which count as a write of a call that is then refused."""
    waiting = s.execute(select(Activity.id, Activity.total_participants).where(
        Activity.incubator_id == side.incubator, Activity.deleted_at.is_(None),
        Activity.status.in_(("submitted", "approved")), ~Activity.attendances.any())).all()
    for activity_id, total in waiting:
        for number in range(min(total, 5)):
            person = Person(incubator_id=side.incubator, ref=f"ESF-{activity_id}-{number}",
                            first_name="Matīss", last_name=f"Dalībnieks{number}",
                            consent_date=dt.date(2025, 1, 2), birth_date=dt.date(1980, 1, 1),
                            birth_year=1980, gender="male", employment_status="employed",
                            education="isced_5_8",
                            **dict.fromkeys(SENSITIVE_CHARACTERISTICS, "no"))
            s.add(person)
            s.flush()
            s.add(Attendance(activity_id=activity_id, person_id=person.id))
    s.flush()
    return Filters(incubator_id=side.incubator)


def _participants_of(result: Any, role: Role, scope: str, world: World) -> None:
    """The participants' report names the side's people, never another incubator's."""
    assert result.rows and {row[0] for row in result.rows} == {CODES[scope]}
    assert "Matīss" in {row[2] for row in result.rows}


def _completeness_of(result: Any, role: Role, scope: str, world: World) -> None:
    assert [item.code for item in result] == [CODES[scope], "total"]
    assert result[0].people == result[-1].people > 0


F = Filters()
CASES: dict[str, Case] = {
    # activities
    "activities.log_activity": Case(SCOPED, lambda s, a, w, x: activities.log_activity(
        s, actor=a, data=f.activity_data(s, _code(s, x), title="Jauna konsultācija"))),
    "activities.update_activity[draft]": Case(
        AUTHOR, lambda s, a, w, x: activities.update_activity(
            s, actor=a, activity_id=x.draft, data=_activity_update(s, w, x.draft, hours="3"))),
    "activities.update_activity[submitted]": Case(
        REVIEWER, lambda s, a, w, x: activities.update_activity(
            s, actor=a, activity_id=x.submitted,
            data=_activity_update(s, w, x.submitted, hours="3"))),
    "activities.delete_activity[draft]": Case(
        AUTHOR, lambda s, a, w, x: activities.delete_activity(
            s, actor=a, activity_id=x.draft, version=w.version(Activity, x.draft))),
    "activities.delete_activity[submitted]": Case(
        REVIEWER, lambda s, a, w, x: activities.delete_activity(
            s, actor=a, activity_id=x.submitted, version=w.version(Activity, x.submitted))),
    "activities.get_activity": Case(SCOPED, lambda s, a, w, x: activities.get_activity(
        s, actor=a, activity_id=x.submitted)),
    "activities.find_similar_activities": Case(
        SCOPED, lambda s, a, w, x: activities.find_similar_activities(
            s, actor=a, incubator_id=x.incubator, activity_date=dt.date(2025, 5, 14),
            title="Finanšu vadības konsultācija")),
    "activities.list_activities": Case(WORKERS, lambda s, a, w, x: activities.list_activities(
        s, actor=a, incubator_id=x.incubator), _staff_sees_own_activities),
    # assessments
    "assessments.record_assessment": Case(
        SCOPED, lambda s, a, w, x: assessments.record_assessment(s, actor=a, data=AssessmentCreate(
            organization_id=x.organization, cohort_id=x.cohort, kind="graduation",
            assessed_on=dt.date(2025, 11, 1), scores=dict.fromkeys(CapacityArea, 3)))),
    "assessments.list_assessments": Case(WORKERS, lambda s, a, w, x: assessments.list_assessments(
        s, actor=a, organization_id=x.organization)),
    "assessments.capacity_change": Case(WORKERS, lambda s, a, w, x: assessments.capacity_change(
        s, actor=a, organization_id=x.organization)),
    "assessments.may_assess": Case(SCOPED, lambda s, a, w, x: assessments.may_assess(
        s, actor=a, organization_id=x.organization), _answer(SCOPED), refuses=False),
    # attachments
    "attachments.list_attachments": Case(SCOPED, lambda s, a, w, x: attachments.list_attachments(
        s, actor=a, activity_id=x.draft)),
    "attachments.attachment_content": Case(
        SCOPED, lambda s, a, w, x: attachments.attachment_content(
            s, actor=a, attachment_id=x.attachment)),
    # the audit trail (administrators only: every account's sign-ins, personal data copies)
    "audit_log.list_audit": Case(ADMIN, lambda s, a, w, x: audit_log.list_audit(s, actor=a)),
    "attachments.attachment_counts": Case(
        WORKERS, lambda s, a, w, x: attachments.attachment_counts(s, [x.draft], actor=a),
        _counts),
    "attachments.add_attachment[draft]": Case(
        AUTHOR, lambda s, a, w, x: attachments.add_attachment(
            s, actor=a, activity_id=x.draft, file_name="cits.pdf", data=pdf("Cits saraksts"))),
    "attachments.add_attachment[submitted]": Case(
        REVIEWER, lambda s, a, w, x: attachments.add_attachment(
            s, actor=a, activity_id=x.submitted, file_name="cits.pdf",
            data=pdf("Cits saraksts"))),
    "attachments.delete_attachment[draft]": Case(
        AUTHOR, lambda s, a, w, x: attachments.delete_attachment(
            s, actor=a, attachment_id=x.attachment)),
    "attachments.delete_attachment[submitted]": Case(
        REVIEWER, lambda s, a, w, x: attachments.delete_attachment(
            s, actor=a, attachment_id=x.evidence)),
    # cohorts (administration)
    "cohorts.list_cohorts": Case(ADMIN, lambda s, a, w, x: cohorts.list_cohorts(
        s, actor=a, incubator_id=x.incubator)),
    "cohorts.create_cohort": Case(ADMIN, lambda s, a, w, x: cohorts.create_cohort(
        s, actor=a, data=CohortCreate(incubator_id=x.incubator, number=90, name="Papildu cikls",
                                      start_date=dt.date(2025, 9, 1),
                                      end_date=dt.date(2025, 12, 1), seats=10))),
    "cohorts.update_cohort": Case(ADMIN, lambda s, a, w, x: cohorts.update_cohort(
        s, actor=a, cohort_id=x.cohort, data=CohortUpdate(
            number=91, name="Pārdēvēts cikls", start_date=dt.date(2025, 2, 1),
            end_date=dt.date(2025, 12, 31), seats=25, version=w.version(Cohort, x.cohort)))),
    # enrolments
    "enrollments.enroll": Case(SCOPED, lambda s, a, w, x: enrollments.enroll(
        s, actor=a, data=EnrollmentCreate(organization_id=w.free_organization, cohort_id=x.cohort,
                                          applied_on=dt.date(2025, 3, 1)))),
    "enrollments.change_enrollment_status": Case(
        SCOPED, lambda s, a, w, x: enrollments.change_enrollment_status(
            s, actor=a, enrollment_id=x.enrollment, data=EnrollmentStatusChange(
                status="withdrawn", on_date=dt.date(2025, 6, 1),
                version=w.version(Enrollment, x.enrollment)))),
    "enrollments.list_enrollments": Case(WORKERS, lambda s, a, w, x: enrollments.list_enrollments(
        s, actor=a, organization_id=x.organization)),
    "enrollments.list_organization_enrollments": Case(
        WORKERS, lambda s, a, w, x: enrollments.list_organization_enrollments(
            s, actor=a, organization_id=x.organization)),
    "enrollments.list_enrollable_cohorts": Case(
        WORKERS, lambda s, a, w, x: enrollments.list_enrollable_cohorts(
            s, actor=a, organization_id=w.free_organization), _staff_sees_own_cohorts),
    # a person's own unsaved forms: nobody reaches another's (the key is the actor's own id)
    "form_drafts.keep": Case(EVERYONE, lambda s, a, w, x: form_drafts.keep(
        s, actor=a, form="activity", payload={"title": "Puse"})),
    "form_drafts.recall": Case(EVERYONE, lambda s, a, w, x: form_drafts.recall(
        s, actor=a, form="activity")),
    "form_drafts.discard": Case(EVERYONE, lambda s, a, w, x: form_drafts.discard(
        s, actor=a, form="activity")),
    # incubators (administration)
    "incubators.list_incubators": Case(ADMIN, lambda s, a, w, x: incubators.list_incubators(
        s, actor=a)),
    "incubators.get_incubator": Case(ADMIN, lambda s, a, w, x: incubators.get_incubator(
        s, actor=a, incubator_id=x.incubator)),
    "incubators.update_incubator": Case(ADMIN, lambda s, a, w, x: incubators.update_incubator(
        s, actor=a, incubator_id=x.incubator, data=_incubator_update(s, w, x))),
    # milestones
    "milestones.record_milestone": Case(SCOPED, lambda s, a, w, x: milestones.record_milestone(
        s, actor=a, data=MilestoneCreate(organization_id=x.organization,
                                         incubator_id=x.incubator, kind="new_partnership",
                                         achieved_on=dt.date(2025, 7, 1)))),
    "milestones.list_milestones": Case(WORKERS, lambda s, a, w, x: milestones.list_milestones(
        s, actor=a, organization_id=x.organization)),
    # organisations
    "organizations.create_organization": Case(
        WORKERS, lambda s, a, w, x: organizations.create_organization(
            s, actor=a, data=OrganizationCreate(reg_no=f.reg_no(), name="Jauna biedrība"))),
    "organizations.update_organization": Case(
        SCOPED, lambda s, a, w, x: organizations.update_organization(
            s, actor=a, organization_id=x.organization, data=OrganizationUpdate(
                name="Pārdēvēta biedrība", municipality_atvk="0054000",
                version=w.version(Organization, x.organization)))),
    "organizations.delete_organization": Case(
        MANAGERS, lambda s, a, w, x: organizations.delete_organization(
            s, actor=a, organization_id=x.organization,
            version=w.version(Organization, x.organization))),
    "organizations.get_organization": Case(
        EVERYONE, lambda s, a, w, x: organizations.get_organization(
            s, actor=a, organization_id=x.organization), _funders_see_no_contacts),
    "organizations.list_organizations": Case(
        EVERYONE, lambda s, a, w, x: organizations.list_organizations(
            s, actor=a, search="Biedrība"), _funders_see_no_contacts),
    "organizations.search_organizations": Case(
        WORKERS, lambda s, a, w, x: organizations.search_organizations(
            s, actor=a, incubator_id=x.incubator)),
    "organizations.may_edit_organization": Case(
        SCOPED, lambda s, a, w, x: organizations.may_edit_organization(
            s, actor=a, organization_id=x.organization), _answer(SCOPED), refuses=False),
    # an organisation's history across incubators: what it already had elsewhere matters
    "organizations.list_attended_activities": Case(
        WORKERS, lambda s, a, w, x: organizations.list_attended_activities(
            s, actor=a, organization_id=x.organization), _other_incubators_approved_only),
    # everyone's start page holds only what their role may see
    "start_page.summary": Case(EVERYONE, lambda s, a, w, x: start_page.summary(
        s, actor=a, today=AS_OF), _start_page, refuses=False),
    # personal data (administrators only)
    "personal_data.export_contact": Case(ADMIN, lambda s, a, w, x: personal_data.export_contact(
        s, actor=a, email=x.contact)),
    "personal_data.erase_contact": Case(ADMIN, lambda s, a, w, x: personal_data.erase_contact(
        s, actor=a, email=x.contact)),
    "personal_data.export_person": Case(ADMIN, lambda s, a, w, x: personal_data.export_person(
        s, actor=a, who=f"{_code(s, x)}/{_code(s, x)}-P-1")),
    "personal_data.erase_person_data": Case(
        ADMIN, lambda s, a, w, x: personal_data.erase_person_data(
            s, actor=a, who=f"{_code(s, x)}/{_code(s, x)}-P-1")),
    # people (participants): their incubator's staff, managers and administrators; never funders
    "people.create_person": Case(SCOPED, lambda s, a, w, x: people.create_person(
        s, actor=a, data=PersonCreate.model_validate({
            "incubator_id": x.incubator, "ref": "JAUNS-1", "first_name": "Jānis",
            "last_name": "Liepa", "consent_date": "2025-04-01"}))),
    "people.update_person": Case(SCOPED, lambda s, a, w, x: people.update_person(
        s, actor=a, person_id=x.person, data=PersonUpdate.model_validate({
            "first_name": "Inese", "last_name": "Ozoliņa", "consent_date": "2025-03-01",
            "version": w.version(Person, x.person)}))),
    "people.delete_person": Case(SCOPED, lambda s, a, w, x: people.delete_person(
        s, actor=a, person_id=x.person, version=w.version(Person, x.person))),
    "people.withdraw_consent": Case(SCOPED, lambda s, a, w, x: people.withdraw_consent(
        s, actor=a, person_id=x.person, on=dt.date(2025, 9, 1),
        version=w.version(Person, x.person))),
    "people.erase_person": Case(ADMIN, lambda s, a, w, x: people.erase_person(
        s, actor=a, person_id=x.person)),
    "people.get_person": Case(SCOPED, lambda s, a, w, x: people.get_person(
        s, actor=a, person_id=x.person)),
    "people.find_person": Case(SCOPED, lambda s, a, w, x: people.find_person(
        s, actor=a, incubator_id=x.incubator, ref=f"{_code(s, x)}-P-1")),
    "people.people_to_tick": Case(SCOPED, lambda s, a, w, x: people.people_to_tick(
        s, actor=a, incubator_id=x.incubator)),
    "people.list_people": Case(WORKERS, lambda s, a, w, x: people.list_people(
        s, actor=a, incubator_id=x.incubator).people, _staff_sees_own_people),
    # the civic-dialogue register: documents are everyone's to read (funders without notes),
    # any worker adds one for their incubator; opinions are reviewed like activities
    "documents.create_document": Case(SCOPED, lambda s, a, w, x: documents.create_document(
        s, actor=a, data=DocumentCreate(
            ref="26-TA-5", title="Jauns likumprojekts", institution="Saeima", kind="law",
            level="national", incubator_id=x.incubator, monitored_from=dt.date(2025, 5, 2)))),
    "documents.update_document": Case(SCOPED, lambda s, a, w, x: documents.update_document(
        s, actor=a, document_id=x.document, data=DocumentUpdate(
            ref=f"25-TA-{x.incubator}0", title="Labots nosaukums", institution="TM",
            kind="law", level="national", version=w.version(Document, x.document)))),
    "documents.delete_document": Case(MANAGERS, lambda s, a, w, x: documents.delete_document(
        s, actor=a, document_id=x.bare_document, version=w.version(Document,
                                                                   x.bare_document))),
    "documents.monitor_document": Case(SCOPED, lambda s, a, w, x: documents.monitor_document(
        s, actor=a, document_id=w.sides["own" if x is w.sides["other"] else "other"].document,
        data=MonitoringIn(incubator_id=x.incubator, monitored_from=dt.date(2025, 5, 2)))),
    "documents.stop_monitoring": Case(SCOPED, lambda s, a, w, x: documents.stop_monitoring(
        s, actor=a, document_id=x.bare_document, incubator_id=x.incubator)),
    "documents.get_document": Case(EVERYONE, lambda s, a, w, x: documents.get_document(
        s, actor=a, document_id=x.document), _funders_see_no_notes),
    "documents.find_document": Case(EVERYONE, lambda s, a, w, x: documents.find_document(
        s, actor=a, ref=f"25-ta-{x.incubator}0"), _funders_see_no_notes),
    "documents.list_documents": Case(EVERYONE, lambda s, a, w, x: documents.list_documents(
        s, actor=a, incubator_id=x.incubator), _funders_see_no_notes),
    "documents.count_documents": Case(EVERYONE, lambda s, a, w, x: documents.count_documents(
        s, actor=a, incubator_id=x.incubator)),
    "opinions.create_opinion": Case(SCOPED, lambda s, a, w, x: opinions.create_opinion(
        s, actor=a, data=OpinionCreate(
            document_id=x.document, organization_ids=[x.organization],
            submitted_on=dt.date(2025, 5, 2), channel="letter", summary="Atbalstām",
            incubator_id=x.incubator))),
    "opinions.update_opinion[draft]": Case(AUTHOR, lambda s, a, w, x: opinions.update_opinion(
        s, actor=a, opinion_id=x.opinion_draft, data=_opinion_update(w, x, x.opinion_draft))),
    "opinions.update_opinion[submitted]": Case(
        REVIEWER, lambda s, a, w, x: opinions.update_opinion(
            s, actor=a, opinion_id=x.opinion_submitted,
            data=_opinion_update(w, x, x.opinion_submitted))),
    "opinions.delete_opinion[draft]": Case(AUTHOR, lambda s, a, w, x: opinions.delete_opinion(
        s, actor=a, opinion_id=x.opinion_draft, version=w.version(Opinion, x.opinion_draft))),
    "opinions.delete_opinion[submitted]": Case(
        REVIEWER, lambda s, a, w, x: opinions.delete_opinion(
            s, actor=a, opinion_id=x.opinion_submitted,
            version=w.version(Opinion, x.opinion_submitted))),
    "opinions.submit_opinion": Case(AUTHOR, lambda s, a, w, x: opinions.submit_opinion(
        s, actor=a, opinion_id=x.opinion_draft, version=w.version(Opinion, x.opinion_draft))),
    "opinions.approve_opinion": Case(REVIEWER, lambda s, a, w, x: opinions.approve_opinion(
        s, actor=a, opinion_id=x.opinion_submitted,
        version=w.version(Opinion, x.opinion_submitted))),
    "opinions.return_opinion": Case(REVIEWER, lambda s, a, w, x: opinions.return_opinion(
        s, actor=a, opinion_id=x.opinion_submitted,
        version=w.version(Opinion, x.opinion_submitted), comment="Pievienojiet vēstuli")),
    "opinions.record_answer": Case(SCOPED, lambda s, a, w, x: opinions.record_answer(
        s, actor=a, opinion_id=x.opinion_submitted,
        version=w.version(Opinion, x.opinion_submitted),
        outcome=OpinionOutcome.TAKEN_INTO_ACCOUNT,
        answered_on=dt.date(2025, 6, 2))),
    "opinions.get_opinion": Case(SCOPED, lambda s, a, w, x: opinions.get_opinion(
        s, actor=a, opinion_id=x.opinion_submitted)),
    "opinions.list_opinions": Case(WORKERS, lambda s, a, w, x: opinions.list_opinions(
        s, actor=a, incubator_id=x.incubator), _staff_sees_own_or_approved_opinions),
    "opinions.waiting_opinions": Case(MANAGERS, lambda s, a, w, x: opinions.waiting_opinions(
        s, actor=a)),
    "opinions.opinion_steps": Case(EVERYONE, lambda s, a, w, x: opinions.opinion_steps(
        s, actor=a, opinion_id=x.opinion_submitted), _only_reviewers_have_steps,
        refuses=False),
    "opinions.add_evidence": Case(AUTHOR, lambda s, a, w, x: opinions.add_evidence(
        s, actor=a, opinion_id=x.opinion_draft, file_name="atbilde.pdf",
        data=pdf("Atbilde"))),
    "opinions.delete_evidence": Case(AUTHOR, lambda s, a, w, x: opinions.delete_evidence(
        s, actor=a, opinion_id=x.opinion_draft)),
    "opinions.evidence_content": Case(SCOPED, lambda s, a, w, x: opinions.evidence_content(
        s, actor=a, opinion_id=x.opinion_draft)),
    # the civic-dialogue page's figures: every role, funders the aggregates only
    "dialogue_stats.deadlines": Case(EVERYONE, lambda s, a, w, x: dialogue_stats.deadlines(
        s, actor=a, filters=Filters(incubator_id=x.incubator))),
    "dialogue_stats.opinions_per_document": Case(
        EVERYONE, lambda s, a, w, x: dialogue_stats.opinions_per_document(
            s, actor=a, filters=Filters(incubator_id=x.incubator))),
    "dialogue_stats.outcome_funnel": Case(
        EVERYONE, lambda s, a, w, x: dialogue_stats.outcome_funnel(
            s, actor=a, filters=Filters(incubator_id=x.incubator))),
    "dialogue_stats.changed_share": Case(
        EVERYONE, lambda s, a, w, x: dialogue_stats.changed_share(
            s, actor=a, filters=Filters(incubator_id=x.incubator))),
    "dialogue_stats.institutions": Case(
        EVERYONE, lambda s, a, w, x: dialogue_stats.institutions(
            s, actor=a, filters=Filters(incubator_id=x.incubator))),
    "dialogue_stats.submitting_organizations": Case(
        EVERYONE, lambda s, a, w, x: dialogue_stats.submitting_organizations(
            s, actor=a, filters=Filters(incubator_id=x.incubator)), _funders_get_no_list),
    "trained.set_training_rule": Case(ADMIN, lambda s, a, w, x: trained.set_training_rule(
        s, actor=a, min_hours=Decimal(16), activity_types=["training", "workshop"])),
    # reference data every form needs
    "reference.list_incubators": Case(EVERYONE, lambda s, a, w, x: reference.list_incubators(
        s, actor=a)),
    "reference.list_cohorts": Case(EVERYONE, lambda s, a, w, x: reference.list_cohorts(
        s, actor=a, incubator_id=x.incubator)),
    # review and quarters
    "review.steps_for": Case(MANAGERS, lambda s, a, w, x: review.steps_for(
        s, a, x.submitted), _steps, refuses=False),
    "review.submit_activity[draft]": Case(AUTHOR, lambda s, a, w, x: review.submit_activity(
        s, actor=a, activity_id=x.draft, version=w.version(Activity, x.draft))),
    "review.approve_activity": Case(REVIEWER, lambda s, a, w, x: review.approve_activity(
        s, actor=a, activity_id=x.submitted, version=w.version(Activity, x.submitted))),
    "review.return_activity": Case(REVIEWER, lambda s, a, w, x: review.return_activity(
        s, actor=a, activity_id=x.submitted, version=w.version(Activity, x.submitted),
        comment="Trūkst dalībnieku saraksta")),
    "review.inbox": Case(EVERYONE, lambda s, a, w, x: review.inbox(s, actor=a, today=AS_OF),
                         _inbox, refuses=False),
    "quarters.quarter_state": Case(MANAGERS, lambda s, a, w, x: quarters.quarter_state(
        s, actor=a, incubator_id=x.incubator, year=2025, quarter=3, today=AS_OF)),
    "quarters.close_quarter": Case(MANAGERS, lambda s, a, w, x: quarters.close_quarter(
        s, actor=a, incubator_id=x.incubator, year=2025, quarter=3, today=AS_OF)),
    "quarters.reopen_quarter": Case(ADMIN, lambda s, a, w, x: quarters.reopen_quarter(
        s, actor=a, incubator_id=x.incubator, year=2025, quarter=1,
        reason="Labojums pēc revīzijas")),
    "quarters.list_closures": Case(EVERYONE, lambda s, a, w, x: quarters.list_closures(
        s, actor=a, incubator_id=x.incubator), _closures, refuses=False),
    "quarters.quarter_grid": Case(MANAGERS, lambda s, a, w, x: quarters.quarter_grid(
        s, actor=a, incubator_ids=(x.incubator,), first=dt.date(2025, 1, 1),
        last=dt.date(2025, 12, 31), today=AS_OF)),
    # the review table and approving a selection (managers and admins)
    "review_queue.review_queue": Case(MANAGERS, lambda s, a, w, x: review_queue.review_queue(
        s, actor=a, incubator_id=x.incubator)),
    "review_queue.approve_activities": Case(
        MANAGERS, lambda s, a, w, x: review_queue.approve_activities(
            s, actor=a, activity_ids=[x.submitted],
            versions={x.submitted: w.version(Activity, x.submitted)})),
    "review.waiting_count": Case(MANAGERS, lambda s, a, w, x: review.waiting_count(
        s, actor=a), _waiting, refuses=False),
    # a signed-in person's own session
    "sessions.start_session": Case(EVERYONE, lambda s, a, w, x: sessions.start_session(
        s, actor=a)),
    # targets (administration)
    "targets.list_indicators": Case(ADMIN, lambda s, a, w, x: targets.list_indicators(s, actor=a)),
    "targets.list_targets": Case(ADMIN, lambda s, a, w, x: targets.list_targets(
        s, actor=a, indicator_id=w.indicator)),
    "targets.target_years": Case(ADMIN, lambda s, a, w, x: targets.target_years(s, actor=a)),
    "targets.set_target": Case(ADMIN, lambda s, a, w, x: targets.set_target(
        s, actor=a, data=TargetSet(indicator_id=w.indicator, incubator_id=x.incubator,
                                   year=2025, target_value=Decimal(20)))),
    "targets.delete_target": Case(ADMIN, lambda s, a, w, x: targets.delete_target(
        s, actor=a, target_id=x.target, version=w.version(Target, x.target))),
    # accounts (administration)
    "users.create_user": Case(ADMIN, lambda s, a, w, x: users.create_user(
        s, actor=a, data=UserCreate(email=f"jauns.{x.incubator}@inkubators.lv", role=Role.STAFF,
                                    incubator_code=_code(s, x)))),
    "users.list_users": Case(ADMIN, lambda s, a, w, x: users.list_users(s, actor=a)),
    "users.get_user": Case(ADMIN, lambda s, a, w, x: users.get_user(s, actor=a, user_id=x.user)),
    "users.update_user": Case(ADMIN, lambda s, a, w, x: users.update_user(
        s, actor=a, user_id=x.user, data=UserUpdate(
            full_name="Jānis Bērziņš", role=Role.STAFF, incubator_code=_code(s, x),
            version=w.version(User, x.user)))),
    "users.deactivate_user": Case(ADMIN, lambda s, a, w, x: users.deactivate_user(
        s, actor=a, user_id=x.user, version=w.version(User, x.user))),
    "users.reactivate_user": Case(ADMIN, lambda s, a, w, x: users.reactivate_user(
        s, actor=a, user_id=x.user, version=w.version(User, x.user))),
    "users.reset_password": Case(ADMIN, lambda s, a, w, x: users.reset_password(
        s, actor=a, user_id=x.user, data=PasswordReset(password="jauna-parole-2026"))),
    # programme-wide numbers: the overview, regions, forecast, journeys and reports pages
    "overview.overview_numbers": _numbers(lambda s, a, x, f: overview_numbers(
        s, actor=a, filters=f, year=2025, people=True), by_incubator=True),
    "progress.indicator_progress": _numbers(lambda s, a, x, f: progress.indicator_progress(
        s, actor=a, filters=f, year=2025), by_incubator=True),
    "progress.quarterly_series": _numbers(lambda s, a, x, f: progress.quarterly_series(
        s, actor=a, filters=f)),
    "progress.activity_type_mix": _numbers(lambda s, a, x, f: progress.activity_type_mix(
        s, actor=a, filters=f)),
    "progress.capacity_area_mix": _numbers(lambda s, a, x, f: progress.capacity_area_mix(
        s, actor=a, filters=f)),
    "regions.municipality_totals": _numbers(lambda s, a, x, f: regions.municipality_totals(
        s, actor=a, filters=f)),
    "regions.supported_by_municipality": _numbers(
        lambda s, a, x, f: regions.supported_by_municipality(s, actor=a, filters=f)),
    "regions.region_totals": _numbers(lambda s, a, x, f: regions.region_totals(
        s, actor=a, filters=f)),
    "regions.incubator_totals": _numbers(lambda s, a, x, f: regions.incubator_totals(
        s, actor=a, filters=f)),
    "forecast.indicator_forecasts": _numbers(lambda s, a, x, f: forecast.indicator_forecasts(
        s, actor=a, filters=f, as_of=AS_OF)),
    "forecast.incubator_forecasts": _numbers(lambda s, a, x, f: forecast.incubator_forecasts(
        s, actor=a, filters=f, as_of=AS_OF)),
    "forecast.inactive_organizations": _numbers(
        lambda s, a, x, f: forecast.inactive_organizations(
            s, actor=a, filters=f, as_of=QUIET_AS_OF)),
    "forecast.logging_status": _numbers(lambda s, a, x, f: forecast.logging_status(
        s, actor=a, filters=f, as_of=QUIET_AS_OF)),
    "journeys.organization_radar": _numbers(lambda s, a, x, f: journeys.organization_radar(
        s, actor=a, organization_id=x.organization), counts_activities=False),
    "journeys.index_history": _numbers(lambda s, a, x, f: journeys.index_history(
        s, actor=a, organization_id=x.organization), counts_activities=False),
    "journeys.journey_organizations": _numbers(
        lambda s, a, x, f: journeys.journey_organizations(s, actor=a), counts_activities=False),
    "journeys.index_change_distribution": _numbers(
        lambda s, a, x, f: journeys.index_change_distribution(s, actor=a, filters=f),
        counts_activities=False),
    "journeys.cohort_funnel": _numbers(lambda s, a, x, f: journeys.cohort_funnel(
        s, actor=a, filters=f), counts_activities=False),
    "journeys.support_vs_gain": _numbers(lambda s, a, x, f: journeys.support_vs_gain(
        s, actor=a, filters=f)),
    "reports.fetch_table": _numbers(lambda s, a, x, f: fetch_table(
        s, "incubators", actor=a, filters=f, lang="lv", today=AS_OF)),
    "reports.dialogue_figures": _numbers(lambda s, a, x, f: dialogue_figures(
        s, actor=a, filters=f, year=2025), counts_activities=False),
    "reports.funder_report": _numbers(lambda s, a, x, f: funder_report(
        s, actor=a, filters=f, lang="en", today=AS_OF, with_charts=False), by_incubator=True),
    # files in and out
    "imports.service.run_import": Case(WORKERS, lambda s, a, w, x: imports.run_import(
        s, actor=a, kind="activities", data=_import_file(x, _code(s, x)), filename="m.csv",
        dry_run=False), _import_report),
    "imports.service.import_sheet": Case(WORKERS, lambda s, a, w, x: imports.import_sheet(
        s, actor=a, kind="activities", sheet=read_upload(_import_file(x, _code(s, x)), "m.csv"),
        filename="m.csv", dry_run=False), _import_report),
    "imports.workbook.run_import_all": Case(WORKERS, lambda s, a, w, x: workbook.run_import_all(
        s, actor=a, data=_import_workbook(x, _code(s, x)), filename="all.xlsx", dry_run=False),
        _import_report),
    "imports.workbook.export_workbook": Case(WORKERS, lambda s, a, w, x: workbook.export_workbook(
        s, actor=a), _export_workbook),
    "imports.register.import_register": Case(MANAGERS, lambda s, a, w, x: register.import_register(
        s, actor=a, data=_register_file(), filename="register.csv", dry_run=False)),
    "imports.export.export_records": Case(WORKERS, lambda s, a, w, x: export.export_records(
        s, actor=a, kind="activities"), _export),
    "imports.export.export_file": Case(WORKERS, lambda s, a, w, x: export.export_file(
        s, actor=a, kind="organizations", fmt="csv")),
    # the ESF+ participants: the report with names as people are read (their incubator's
    # staff, managers and administrators, never funders), the indicators as numbers are
    "esf.participants.participants_table": Case(
        SCOPED, lambda s, a, w, x: participants_table(s, actor=a, filters=_participants(s, x),
                                                      lang="lv"), _participants_of),
    "esf.completeness.completeness": Case(SCOPED, lambda s, a, w, x: completeness(
        s, actor=a, filters=_participants(s, x)), _completeness_of),
    "esf.summary.summary_grid": _numbers(lambda s, a, x, f: summary_grid(
        s, actor=a, filters=dataclasses.replace(_participants(s, x), include_submitted=(
            f.include_submitted)), suppress=True), by_incubator=True),
    "esf.summary.summary_table": _numbers(lambda s, a, x, f: summary_table(
        s, actor=a, filters=dataclasses.replace(_participants(s, x), include_submitted=(
            f.include_submitted)), lang="en", suppress=True), by_incubator=True),
    # people's personal codes in full: administrators only (moving a programme)
    "imports.export.export_records[people_with_codes]": Case(
        ADMIN, lambda s, a, w, x: export.export_records(s, actor=a, kind="people",
                                                        with_codes=True)),
}


def _incubator_update(s: Session, w: World, side: Side) -> IncubatorUpdate:
    row = s.get(Incubator, side.incubator)
    assert row is not None
    return IncubatorUpdate(name_lv=row.name_lv, name_en=row.name_en, operator="Biedrība",
                           budget_eur=Decimal(90000), start_date=row.start_date,
                           end_date=row.end_date, version=w.version(Incubator, side.incubator))


# Not services: the rules themselves and the parts the services above are built from; each is
# reached only through a service in the matrix.
BUILDING_BLOCKS = {
    "audit.record": "writes the audit entry of a service's own change",
    "auth.require_writer": "a rule", "auth.require_manager": "a rule",
    "auth.require_admin": "a rule", "auth.require_incubator": "a rule",
    "auth.can_open": "a rule", "auth.can_see_personal_data": "a rule",
    "auth.require_area": "a rule",
    "imports.base.staff_incubator": "a rule (whose records a record export narrows to)",
    "review.is_author": "a rule", "review.refusal": "a rule", "review.allowed_steps": "a rule",
    "review.visible": "a rule (SQL)",
    "review.check_step": "takes a loaded activity row; reached through the review steps",
    "review.record_step": "takes a loaded row whose step was checked; reached through the "
                          "review steps of activities and opinions",
    "review.steps_of": "takes rows already read by list_activities",
    "scope.counted_statuses": "a rule", "scope.counted_note_key": "a label",
    "scope.activity_conditions": "SQL conditions for the analytics above",
    "totals.rollup_conditions": "SQL conditions for the analytics above",
    "totals.day_conditions": "SQL conditions for the analytics above",
    "totals.supported": "SQL for the analytics above",
    "progress.indicator_value": "takes an Indicator row; reached through indicator_progress",
    "trained.people_trained": "SQL for the analytics above (people trained)",
    "trained.trained_by_month": "SQL for the forecasts above (people trained by month)",
    "trained.way": "a rule (where a count of people trained comes from)",
    "documents.visible_opinions": "a rule (SQL: whose opinions a document's row counts)",
    "dialogue.opinion_conditions": "SQL conditions for the analytics above (opinions)",
    "dialogue.counted_authors": "SQL for the analytics above (opinions' authors)",
    "dialogue.dialogue_value": "takes a method; reached through indicator_progress",
    "dialogue.dialogue_by_month": "SQL for the forecasts above (the register by month)",
    "esf.records.people_filters": "a rule (whose participants the ESF+ reports read)",
    "esf.records.attended": "SQL for the ESF+ reports above (who attended in the period)",
    "esf.records.participants": "SQL for the ESF+ reports above (the participants' rows)",
}


def _name(function: Any) -> str:
    module = function.__module__.removeprefix("tracker.")
    return f"{module.removeprefix('services.').removeprefix('analytics.')}.{function.__name__}"


def _services() -> set[str]:
    """Every public function of the domain that acts for someone (takes `actor`)."""
    found: set[str] = set()
    for module_info in pkgutil.walk_packages(tracker.__path__, "tracker."):
        if module_info.name.startswith(("tracker.__main__", "tracker.cli")):
            continue
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if (inspect.isfunction(value) and value.__module__ == module.__name__
                    and not name.startswith("_")
                    and "actor" in inspect.signature(value).parameters):
                found.add(_name(value))
    return found


def test_every_service_is_in_the_matrix() -> None:
    services = _services()
    rows = {name.split("[")[0] for name in CASES}
    assert services - rows - set(BUILDING_BLOCKS) == set(), \
        "a service with no row in the permission matrix"
    assert rows - services == set(), "a matrix row for a service that is gone"
    assert set(BUILDING_BLOCKS) <= services


# Running it -------------------------------------------------------------------------------------

def _written(session: Session) -> dict[str, int]:
    return {m.__tablename__: int(session.scalar(select(func.count()).select_from(m)) or 0)
            for m in (Activity, Attachment, AuditLog, Enrollment, Organization, Target, User)}


def _attempt(engine: Engine, case: Case, actor: Actor, world: World, side: Side) -> str:
    """What happened, in words: 'allowed', 'denied', or the failure."""
    with engine.connect() as connection:
        transaction = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint",
                          expire_on_commit=False)
        try:
            before = _written(session)
            try:
                result = case.call(session, actor, world, side)
                session.flush()
            except (PermissionDenied, NotAllowed) as refusal:
                assert refusal.message("lv") and refusal.message("en")
                outcome = "denied" if isinstance(refusal, PermissionDenied) else "refused"
                # counted before the rollback, which would undo (and hide) a flushed write
                after = _written(session)
                session.rollback()
                if after != before:
                    return f"{outcome}, but it wrote"
                return outcome
            except Exception as error:  # reported as the cell's outcome
                return f"failed: {type(error).__name__}: {error}"
            role = actor.role
            scope = "own" if side is world.sides["own"] else "other"
            if case.check is not None:
                try:
                    case.check(result, role, scope, world)
                except AssertionError as wrong:
                    return f"allowed, but the answer shows too much or too little: {wrong}"
            return "allowed"
        finally:
            session.close()
            transaction.rollback()


@pytest.mark.parametrize("service", sorted(CASES))
def test_permission_matrix(world_engine: tuple[Engine, World], service: str) -> None:
    engine, world = world_engine
    case = CASES[service]
    wrong = []
    for role in ROLES:
        for scope in SCOPES:
            outcome = _attempt(engine, case, world.actors[role], world, world.sides[scope])
            wanted = "allowed" if not case.refuses else expected(case.rule, role, scope)
            if outcome != wanted:
                wrong.append(f"{role.value:8} {scope:5}: {outcome} (expected {wanted})")
    assert not wrong, f"{service} ({case.rule}):\n" + "\n".join(wrong)


# A funder's numbers ------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    """An answer as plain data (a workbook as its cells), so two answers can be compared."""
    if isinstance(value, BaseModel):
        return _plain(value.model_dump())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    if hasattr(value, "to_dict") and hasattr(value, "columns"):  # a data frame
        return _plain(value.to_dict("split"))
    if isinstance(value, bytes) and value.startswith(b"PK"):
        book = openpyxl.load_workbook(io.BytesIO(value))
        return {sheet.title: [list(r) for r in sheet.iter_rows(values_only=True)]
                for sheet in book.worksheets}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _approved_activity(session: Session, world: World, side: Side) -> None:
    """Beside the side's draft and submitted activities, an approved one, earlier and of
    another type, area and organisation, so that approved-only numbers are not all zero;
    the side's organisation admitted and assessed at graduation, so that it is in the
    cycle (quiet or not) and has a capacity journey to set its support hours beside."""
    code, admin = _code(session, side), Actor.system()
    org = f.organization(session)
    enrollments.enroll(session, actor=admin, data=EnrollmentCreate(
        organization_id=org.id, cohort_id=side.cohort, applied_on=dt.date(2025, 2, 1)))
    enrollments.change_enrollment_status(
        session, actor=admin, enrollment_id=side.enrollment, data=EnrollmentStatusChange(
            status="admitted", on_date=dt.date(2025, 2, 15),
            version=world.version(Enrollment, side.enrollment)))
    assessments.record_assessment(session, actor=admin, data=AssessmentCreate(
        organization_id=side.organization, cohort_id=side.cohort, kind="graduation",
        assessed_on=dt.date(2025, 11, 1), scores=dict.fromkeys(CapacityArea, 3)))
    f.activity(session, incubator=code, status="approved", type="training",
               activity_date="2025-04-10", capacity_areas=["strategy"], cohort_id=side.cohort,
               total_participants=5, participations=[
                   {"organization_id": org.id, "attendees": 4},
                   {"organization_id": side.organization, "attendees": 1}])
    session.flush()


NUMBERS = sorted(name for name, case in CASES.items() if case.numbers is not None)


def test_every_readers_row_checks_the_funders_numbers() -> None:
    readers = sorted(name for name, case in CASES.items() if case.rule == READERS)
    assert readers == NUMBERS, "a READERS row not made with _numbers"


@pytest.mark.parametrize("service", NUMBERS)
def test_funders_get_approved_numbers_only(world_engine: tuple[Engine, World],
                                           service: str) -> None:
    """Each side has a draft, a submitted and (here) an approved activity: a funder's answer
    is the manager's approved-only answer, and differs from the manager's default answer
    (approved and submitted) wherever activities are counted."""
    engine, world = world_engine
    numbers = CASES[service].numbers
    assert numbers is not None
    funder, manager = world.actors[Role.FUNDER], world.actors[Role.MANAGER]
    for scope in SCOPES:
        side = world.sides[scope]
        with engine.connect() as connection, connection.begin() as transaction:
            session = Session(bind=connection, join_transaction_mode="create_savepoint",
                              expire_on_commit=False)
            try:
                _approved_activity(session, world, side)
                funders = _plain(numbers.call(session, funder, side, numbers.filters(side)))
                approved = _plain(numbers.call(session, manager, side, numbers.filters(
                    side, include_submitted=False)))
                both = _plain(numbers.call(session, manager, side, numbers.filters(side)))
            finally:
                session.close()
                transaction.rollback()
        assert funders == approved, f"{scope}: a funder's answer is not the approved-only one"
        if numbers.counts_activities:
            assert funders != both, f"{scope}: the submitted activity changes nothing"
        else:
            assert funders == both, f"{scope}: not built from activities, yet it differs"
