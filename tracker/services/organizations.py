"""Organisations (associations and foundations): create, edit, soft-delete, read, search."""

from __future__ import annotations

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from db.enums import AuditAction
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
from tracker.errors import DuplicateRegNo, PermissionDenied
from tracker.schemas import OrganizationCreate, OrganizationRead, OrganizationUpdate
from tracker.services._common import check_version, flush, flush_unique, load, municipality_id, now

ENTITY = "organization"


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
    )


def _staff_may_edit(session: Session, actor: Actor, organization_id: int) -> bool:
    """Staff edit organisations their incubator works with, or ones nobody works with yet."""
    enrolled = select(Enrollment.id).join(Cohort).where(Enrollment.organization_id ==
                                                        organization_id)
    attended = select(Participation.id).join(Activity).where(
        Participation.organization_id == organization_id)
    ours = session.scalar(select(or_(
        exists(enrolled.where(Cohort.incubator_id == actor.incubator_id)),
        exists(attended.where(Activity.incubator_id == actor.incubator_id)))))
    if ours:
        return True
    anyone = session.scalar(select(or_(exists(enrolled), exists(attended))))
    return not anyone


def _apply(session: Session, org: Organization, data: OrganizationCreate | OrganizationUpdate
           ) -> None:
    org.name = data.name
    org.legal_form = data.legal_form.value
    org.municipality_id = municipality_id(session, "municipality_atvk", data.municipality_atvk)
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


def list_organizations(session: Session, *, actor: Actor, search: str | None = None,
                       limit: int = 50, offset: int = 0) -> list[OrganizationRead]:
    """Organisations whose name or registration number contains `search`, by name."""
    query = select(Organization).where(Organization.deleted_at.is_(None))
    key = search_key(search or "")
    if key:
        digits = "".join(key.split())
        query = query.where(or_(Organization.name_search.contains(key, autoescape=True),
                                Organization.reg_no.contains(digits, autoescape=True)))
    query = query.order_by(Organization.name, Organization.id).limit(limit).offset(offset)
    return [_to_read(session, org, actor) for org in session.scalars(query)]


def count_organizations(session: Session) -> int:
    """Organisations not deleted."""
    return int(session.scalar(select(func.count()).select_from(Organization).where(
        and_(Organization.deleted_at.is_(None)))) or 0)
