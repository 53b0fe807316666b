"""Organisations (associations and foundations): create, edit, soft-delete, read, search."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from db.enums import AuditAction, EnrollmentStatus, LegalForm, Role
from db.models import (
    Activity,
    Cohort,
    Enrollment,
    Municipality,
    Organization,
    Participation,
    Region,
)
from db.search import search_key
from tracker import audit
from tracker.auth import Actor, can_see_personal_data, require_manager, require_writer
from tracker.errors import DuplicateRegNo, PermissionDenied, ValidationFailed
from tracker.i18n import latvian_sort_key
from tracker.schemas import (
    Attendance,
    AttendedActivity,
    OrganizationCreate,
    OrganizationListItem,
    OrganizationPage,
    OrganizationRead,
    OrganizationUpdate,
)
from tracker.services import review
from tracker.services._common import (
    bounded,
    check_version,
    flush,
    flush_unique,
    id_is,
    load,
    municipality_id,
    now,
)

ENTITY = "organization"
LEGAL_FORMS: tuple[LegalForm, ...] = tuple(LegalForm)  # in the order forms offer them


def _to_read(session: Session, org: Organization, actor: Actor) -> OrganizationRead:
    place = None
    if org.municipality_id is not None:
        place = session.execute(
            select(Municipality.name, Region.code).join(Region)
            .where(Municipality.id == org.municipality_id)).first()
    personal = can_see_personal_data(actor)
    return OrganizationRead(
        id=org.id, reg_no=org.reg_no, name=org.name, legal_form=org.legal_form,
        municipality_id=org.municipality_id,
        municipality_name=place[0] if place else None, region_code=place[1] if place else None,
        fields_of_activity=list(org.fields_of_activity or []), founded_on=org.founded_on,
        members=org.members, volunteers=org.volunteers, employees=org.employees,
        contact_name=org.contact_name if personal else None,
        contact_email=org.contact_email if personal else None,
        contact_phone=org.contact_phone if personal else None,
        version=org.version, deleted=org.deleted_at is not None,
        registered_on=org.registered_on, terminated_on=org.terminated_on,
        register_status=org.register_status,
    )


_IDS_PER_QUERY = 5_000


def editable_by_staff(session: Session, *, incubator_id: int | None,
                      organization_ids: Iterable[int]) -> set[int]:
    """Of these organisations, the ones the staff of `incubator_id` may change: those their
    incubator works with (an enrolment in one of its cycles, or a participation in one of its
    activities) and those nobody works with yet. The one rule for the form and the import."""
    wanted = sorted(set(organization_ids))
    ours: set[int] = set()
    anyone: set[int] = set()
    for start in range(0, len(wanted), _IDS_PER_QUERY):
        part = wanted[start:start + _IDS_PER_QUERY]
        for org_id, inc_id in session.execute(
                select(Enrollment.organization_id, Cohort.incubator_id)
                .join(Cohort, Cohort.id == Enrollment.cohort_id)
                .where(Enrollment.organization_id.in_(part)).distinct()
                .union(select(Participation.organization_id, Activity.incubator_id)
                       .join(Activity, Activity.id == Participation.activity_id)
                       .where(Participation.organization_id.in_(part)))):
            anyone.add(org_id)
            if inc_id == incubator_id:
                ours.add(org_id)
    return {org_id for org_id in wanted if org_id in ours or org_id not in anyone}


def _staff_may_edit(session: Session, actor: Actor, organization_id: int) -> bool:
    return organization_id in editable_by_staff(session, incubator_id=actor.incubator_id,
                                                organization_ids=(organization_id,))


def _apply(session: Session, org: Organization, data: OrganizationCreate | OrganizationUpdate
           ) -> None:
    # Looked up before any change: the query would autoflush a half-applied edit (and bump the
    # version twice).
    place = municipality_id(session, "municipality_atvk", data.municipality_atvk)
    org.name = data.name
    org.legal_form = data.legal_form.value
    org.municipality_id = place
    org.fields_of_activity = list(data.fields_of_activity)
    org.founded_on = data.founded_on
    org.members, org.volunteers, org.employees = data.members, data.volunteers, data.employees
    org.contact_name = data.contact_name
    org.contact_email = data.contact_email
    org.contact_phone = data.contact_phone


def create_organization(session: Session, *, actor: Actor, data: OrganizationCreate
                        ) -> OrganizationRead:
    """Register an organisation; its registration number must be new."""
    require_writer(actor)
    if session.scalar(select(Organization.id).where(Organization.reg_no == data.reg_no)):
        raise DuplicateRegNo(reg_no=data.reg_no)
    org = Organization(reg_no=data.reg_no)
    _apply(session, org, data)
    session.add(org)
    flush_unique(session, DuplicateRegNo(reg_no=data.reg_no))
    audit.record(session, actor, entity=ENTITY, entity_id=org.id, action=AuditAction.CREATE,
                 after=audit.snapshot(org))
    return _to_read(session, org, actor)


def update_organization(session: Session, *, actor: Actor, organization_id: int,
                        data: OrganizationUpdate) -> OrganizationRead:
    """Change an organisation's details; an edit of an outdated copy is refused."""
    require_writer(actor)
    org = load(session, Organization, ENTITY, organization_id)
    if not actor.is_manager and not _staff_may_edit(session, actor, organization_id):
        raise PermissionDenied()
    check_version(org, data.version)
    before = audit.snapshot(org)
    _apply(session, org, data)
    flush(session)
    audit.record(session, actor, entity=ENTITY, entity_id=org.id, action=AuditAction.UPDATE,
                 before=before, after=audit.snapshot(org))
    return _to_read(session, org, actor)


def delete_organization(session: Session, *, actor: Actor, organization_id: int,
                        version: int) -> None:
    """Soft-delete: the organisation disappears from lists, its history stays."""
    require_manager(actor)
    org = load(session, Organization, ENTITY, organization_id)
    check_version(org, version)
    before = audit.snapshot(org)
    org.deleted_at = now()
    flush(session)
    audit.record(session, actor, entity=ENTITY, entity_id=org.id, action=AuditAction.DELETE,
                 before=before, after=audit.snapshot(org))


def get_organization(session: Session, *, actor: Actor, organization_id: int
                     ) -> OrganizationRead:
    """One organisation (contact details only for roles that work with them)."""
    return _to_read(session, load(session, Organization, ENTITY, organization_id), actor)


MAX_SEARCH = 200  # characters of search text: a longer paste is refused before any query


def _search_key(search: str | None) -> str:
    text = (search or "").strip()
    if len(text) > MAX_SEARCH:
        raise ValidationFailed.single("search", "too_long", max_length=MAX_SEARCH)
    return search_key(text)


def list_organizations(session: Session, *, actor: Actor, search: str | None = None,
                       limit: int = 50, offset: int = 0) -> list[OrganizationRead]:
    """Organisations whose name or registration number contains `search`, by name."""
    query = select(Organization).where(Organization.deleted_at.is_(None))
    key = _search_key(search)
    if key:
        digits = "".join(key.split())
        query = query.where(or_(Organization.name_search.contains(key, autoescape=True),
                                Organization.reg_no.contains(digits, autoescape=True)))
    query = query.order_by(Organization.name, Organization.id).limit(bounded(limit)).offset(
        bounded(offset))
    return [_to_read(session, org, actor) for org in session.scalars(query)]


def count_organizations(session: Session) -> int:
    """Organisations not deleted."""
    return int(session.scalar(select(func.count()).select_from(Organization).where(
        and_(Organization.deleted_at.is_(None)))) or 0)


MAX_PAGE = 200  # rows one search may return

# Each Latvian letter with a diacritic becomes its base letter followed by "{" (the byte after
# "z"), q/w/x/y (not Latvian letters) move after "ž", and spaces and the punctuation common in
# names drop out. A plain byte-order comparison of the result then follows `latvian_sort_key`,
# so pages cut in SQL keep Latvian order on SQLite and PostgreSQL alike. (Every step costs time
# on each matching row: rarer punctuation is left to the sort of the page in Python.)
_LV_DIACRITICS = "āčēģīķļņšūž"
_FOREIGN = "qwxy"
_IGNORED = " \"'“”„«»’.,-(){|"
_Step = Callable[[ColumnElement[Any]], ColumnElement[Any]]


def _replace(old: str, new: str) -> _Step:
    return lambda expr: func.replace(expr, old, new)


_ORDER_STEPS: list[_Step] = (
    [_replace(char, "") for char in _IGNORED]
    + [_replace(variant, unicodedata.normalize("NFD", letter)[0] + "{")
       for letter in _LV_DIACRITICS for variant in (letter, letter.upper())]
    + [func.lower]
    + [_replace(letter, "|" + letter) for letter in _FOREIGN])
_STEPS_PER_QUERY = 20  # SQLite's parser refuses more than about 30 nested calls


def _name_order(dialect: str) -> Subquery:
    """(id, key): each organisation's name as a key that sorts in Latvian order byte by byte.

    The steps are spread over nested subqueries (which the database flattens again) to keep
    each expression shallow enough for SQLite's parser.
    """
    stage = select(Organization.id.label("id"), Organization.name.label("key")).subquery()
    for start in range(0, len(_ORDER_STEPS), _STEPS_PER_QUERY):
        key: ColumnElement[Any] = stage.c.key
        for step in _ORDER_STEPS[start:start + _STEPS_PER_QUERY]:
            key = step(key)
        stage = select(stage.c.id, key.label("key")).subquery()
    if dialect == "postgresql":  # compare bytes, not by the database's locale
        stage = select(stage.c.id, stage.c.key.collate("C").label("key")).subquery()
    return stage


def _enrolled_where(incubator_id: int | None, cohort_id: int | None,
                    status: EnrollmentStatus | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if incubator_id is not None:
        conditions.append(id_is(Cohort.incubator_id, incubator_id))
    if cohort_id is not None:
        conditions.append(id_is(Enrollment.cohort_id, cohort_id))
    if status is not None:
        conditions.append(Enrollment.status == status.value)
    return conditions


def search_organizations(session: Session, *, actor: Actor, search: str | None = None,
                         region_id: int | None = None, legal_form: LegalForm | None = None,
                         incubator_id: int | None = None, cohort_id: int | None = None,
                         status: EnrollmentStatus | None = None, limit: int = 25,
                         offset: int = 0) -> OrganizationPage:
    """A page of organisations matching the search and filters, in Latvian order, and the total."""
    require_writer(actor)  # organisation files are for the people who work with them
    limit = max(1, min(limit, MAX_PAGE))
    offset = bounded(offset)
    conditions: list[ColumnElement[bool]] = [Organization.deleted_at.is_(None)]
    key = _search_key(search)
    if key:
        digits = "".join(key.split())
        conditions.append(or_(Organization.name_search.contains(key, autoescape=True),
                              Organization.reg_no.contains(digits, autoescape=True)))
    if region_id is not None:
        conditions.append(id_is(Municipality.region_id, region_id))
    if legal_form is not None:
        conditions.append(Organization.legal_form == legal_form.value)
    enrolled = _enrolled_where(incubator_id, cohort_id, status)
    if enrolled:
        conditions.append(exists(
            select(Enrollment.id).join(Cohort, Cohort.id == Enrollment.cohort_id)
            .where(Enrollment.organization_id == Organization.id, *enrolled)))

    total = int(session.scalar(
        select(func.count()).select_from(Organization)
        .outerjoin(Municipality, Municipality.id == Organization.municipality_id)
        .where(*conditions)) or 0)
    order = _name_order(session.get_bind().dialect.name)
    rows = session.execute(
        select(Organization.id, Organization.reg_no, Organization.name, Organization.legal_form,
               Municipality.name, Region.code)
        .join(order, order.c.id == Organization.id)
        .outerjoin(Municipality, Municipality.id == Organization.municipality_id)
        .outerjoin(Region, Region.id == Municipality.region_id)
        .where(*conditions)
        .order_by(order.c.key, Organization.id)
        .limit(limit).offset(offset)).all()

    latest = _latest_enrollments(session, [r[0] for r in rows], incubator_id, cohort_id, status)
    items = [OrganizationListItem(
        id=r[0], reg_no=r[1], name=r[2], legal_form=LegalForm(r[3]), municipality_name=r[4],
        region_code=r[5], **latest.get(r[0], {})) for r in rows]
    items.sort(key=lambda o: (latvian_sort_key(o.name), o.id))
    return OrganizationPage(items=items, total=total, limit=limit, offset=offset)


def _latest_enrollments(session: Session, organization_ids: list[int], incubator_id: int | None,
                        cohort_id: int | None, status: EnrollmentStatus | None
                        ) -> dict[int, dict[str, Any]]:
    """The latest enrolment of each listed organisation (among those the filters ask for)."""
    if not organization_ids:
        return {}
    rows = session.execute(
        select(Enrollment.organization_id, Enrollment.status, Cohort.name)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Enrollment.organization_id.in_(organization_ids),
               *_enrolled_where(incubator_id, cohort_id, status))
        .order_by(Enrollment.applied_on, Enrollment.id)).all()
    return {r[0]: {"latest_status": EnrollmentStatus(r[1]), "latest_cohort": r[2]}
            for r in rows}  # later rows win


def may_edit_organization(session: Session, *, actor: Actor, organization_id: int) -> bool:
    """Whether `update_organization` would let the actor change this organisation."""
    load(session, Organization, ENTITY, organization_id)
    if actor.role is Role.FUNDER:
        return False
    return actor.is_manager or _staff_may_edit(session, actor, organization_id)


def list_attended_activities(session: Session, *, actor: Actor, organization_id: int,
                             limit: int = 50) -> Attendance:
    """The activities an organisation took part in that the actor may see listed
    (review.visible: for staff, other incubators' only once approved), newest first, with
    totals over all of those."""
    require_writer(actor)
    load(session, Organization, ENTITY, organization_id)
    attended = (Participation.organization_id == organization_id,
                Activity.deleted_at.is_(None), review.visible(actor))
    count, attendees = session.execute(
        select(func.count(), func.coalesce(func.sum(Participation.attendees), 0))
        .select_from(Participation).join(Activity, Activity.id == Participation.activity_id)
        .where(*attended)).one()
    rows = session.execute(
        select(Activity.id, Activity.incubator_id, Activity.activity_date, Activity.title,
               Activity.type, Activity.status, Participation.attendees)
        .join(Participation, Participation.activity_id == Activity.id)
        .where(*attended)
        .order_by(Activity.activity_date.desc(), Activity.id.desc())
        .limit(max(1, min(limit, MAX_PAGE)))).all()
    items = [AttendedActivity(activity_id=r[0], incubator_id=r[1], activity_date=r[2],
                              title=r[3], type=r[4], status=r[5], attendees=r[6]) for r in rows]
    return Attendance(items=items, activities=int(count), attendees=int(attendees))
