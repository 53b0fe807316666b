"""Organisation services: who may create, edit and delete; conflicts; audit; personal data."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import Role
from db.models import AuditLog
from tests import factories as f
from tracker.errors import (
    Deleted,
    DuplicateRegNo,
    NotFound,
    PermissionDenied,
    StaleVersion,
    ValidationFailed,
)
from tracker.schemas import OrganizationCreate, OrganizationUpdate
from tracker.services import organizations as svc


def _update(org_version: int, **fields: object) -> OrganizationUpdate:
    return OrganizationUpdate.model_validate(
        {"name": "Biedrība “Jaunais nosaukums”", "version": org_version} | fields)


@pytest.mark.parametrize(("role", "allowed"), [
    (Role.ADMIN, True), (Role.MANAGER, True), (Role.STAFF, True), (Role.FUNDER, False)])
def test_create_by_role(session: Session, role: Role, allowed: bool) -> None:
    actor = f.actor(session, role)
    data = OrganizationCreate(reg_no=f.reg_no(), name="Biedrība “Cēsu jaunieši”",
                              municipality_atvk="0026000")
    if not allowed:
        with pytest.raises(PermissionDenied):
            svc.create_organization(session, actor=actor, data=data)
        return
    org = svc.create_organization(session, actor=actor, data=data)
    assert org.municipality_name == "Cēsu novads"
    assert org.region_code == "VIDZEME"
    entry = session.scalars(select(AuditLog).where(AuditLog.entity == "organization",
                                                   AuditLog.entity_id == org.id)).one()
    assert entry.action == "create" and entry.user_id == actor.user_id
    assert entry.after is not None and entry.after["reg_no"] == data.reg_no


def test_duplicate_registration_number_is_refused(session: Session) -> None:
    org = f.organization(session)
    with pytest.raises(DuplicateRegNo) as exc:
        f.organization(session, reg_no=org.reg_no)
    assert org.reg_no in exc.value.message("lv")


def test_unknown_municipality_names_the_field(session: Session) -> None:
    with pytest.raises(ValidationFailed) as exc:
        f.organization(session, municipality_atvk="0099999")
    assert exc.value.errors[0].field == "municipality_atvk"


@pytest.mark.parametrize(("role", "where", "allowed"), [
    (Role.ADMIN, "VIDZEME", True),
    (Role.MANAGER, "VIDZEME", True),
    (Role.STAFF, "VIDZEME", True),  # enrolled in the staff member's incubator
    (Role.STAFF, "LATGALE", False),  # enrolled only elsewhere
    (Role.FUNDER, "VIDZEME", False),
])
def test_update_by_role_and_incubator(session: Session, role: Role, where: str,
                                      allowed: bool) -> None:
    org_id, _, _ = f.enrolled_organization(session, incubator=where)
    actor = f.actor(session, role, "VIDZEME")
    version = svc.get_organization(session, actor=f.ADMIN, organization_id=org_id).version
    if not allowed:
        with pytest.raises(PermissionDenied):
            svc.update_organization(session, actor=actor, organization_id=org_id,
                                    data=_update(version))
        return
    updated = svc.update_organization(session, actor=actor, organization_id=org_id,
                                      data=_update(version, members=12))
    assert updated.name == "Biedrība “Jaunais nosaukums”"
    assert updated.version == version + 1
    entry = session.scalars(select(AuditLog).where(
        AuditLog.entity == "organization", AuditLog.entity_id == org_id,
        AuditLog.action == "update")).one()
    assert entry.before is not None and entry.after is not None
    assert entry.before["name"] != entry.after["name"]
    assert entry.after["members"] == 12


def test_staff_may_edit_an_organisation_nobody_works_with_yet(session: Session) -> None:
    org = f.organization(session)
    staff = f.actor(session, Role.STAFF, "KURZEME")
    svc.update_organization(session, actor=staff, organization_id=org.id,
                            data=_update(1, members=7))
    session.expire_all()  # read back from the database, not from the session's objects
    saved = svc.get_organization(session, actor=staff, organization_id=org.id)
    assert (saved.name, saved.members, saved.version) == ("Biedrība “Jaunais nosaukums”", 7, 2)


def test_stale_update_is_a_conflict_not_an_overwrite(session: Session) -> None:
    org = f.organization(session)
    svc.update_organization(session, actor=f.ADMIN, organization_id=org.id,
                            data=_update(org.version, members=5))
    with pytest.raises(StaleVersion) as exc:
        svc.update_organization(session, actor=f.ADMIN, organization_id=org.id,
                                data=_update(org.version, members=99))
    assert "mainījis" in exc.value.message("lv")
    assert svc.get_organization(session, actor=f.ADMIN, organization_id=org.id).members == 5


@pytest.mark.parametrize(("role", "allowed"), [
    (Role.ADMIN, True), (Role.MANAGER, True), (Role.STAFF, False), (Role.FUNDER, False)])
def test_soft_delete_by_role(session: Session, role: Role, allowed: bool) -> None:
    org = f.organization(session)
    actor = f.actor(session, role)
    if not allowed:
        with pytest.raises(PermissionDenied):
            svc.delete_organization(session, actor=actor, organization_id=org.id, version=1)
        return
    svc.delete_organization(session, actor=actor, organization_id=org.id, version=1)
    assert org.id not in [o.id for o in svc.list_organizations(session, actor=actor,
                                                               search=org.reg_no)]
    with pytest.raises(Deleted):
        svc.get_organization(session, actor=actor, organization_id=org.id)


def test_funders_do_not_see_contact_persons(session: Session) -> None:
    org = f.organization(session, contact_name="Anna Bērziņa", contact_email="anna@example.lv",
                         contact_phone="+371 29123456")
    staff_view = svc.get_organization(session, actor=f.ADMIN, organization_id=org.id)
    funder_view = svc.get_organization(session, actor=f.actor(session, Role.FUNDER),
                                       organization_id=org.id)
    assert staff_view.contact_name == "Anna Bērziņa"
    assert (funder_view.contact_name, funder_view.contact_email,
            funder_view.contact_phone) == (None, None, None)


def test_search_by_name_or_registration_number(session: Session) -> None:
    org = f.organization(session, name="Biedrība “Ūdensrožu draugi”",
                         founded_on=dt.date(2010, 5, 1))
    assert [o.id for o in svc.list_organizations(session, actor=f.ADMIN,
                                                 search="ūdensrožu")] == [org.id]
    assert [o.id for o in svc.list_organizations(session, actor=f.ADMIN,
                                                 search=org.reg_no[:9])][:1] == [org.id]


@pytest.mark.parametrize("huge", [2**31, 2**63, 2**70, -(2**70)])
def test_an_id_beyond_the_integer_range_is_not_found(session: Session, huge: int) -> None:
    f.organization(session)
    for read in (svc.get_organization, svc.may_edit_organization, svc.list_attended_activities):
        with pytest.raises(NotFound):
            read(session, actor=f.ADMIN, organization_id=huge)
    with pytest.raises(NotFound):
        svc.update_organization(session, actor=f.ADMIN, organization_id=huge, data=_update(1))
    with pytest.raises(NotFound):
        svc.delete_organization(session, actor=f.ADMIN, organization_id=huge, version=1)
    for page in (svc.search_organizations(session, actor=f.ADMIN, region_id=huge),
                 svc.search_organizations(session, actor=f.ADMIN, incubator_id=huge),
                 svc.search_organizations(session, actor=f.ADMIN, cohort_id=huge)):
        assert (page.items, page.total) == ([], 0)
    page = svc.search_organizations(session, actor=f.ADMIN, limit=huge, offset=huge)
    assert page.total == 1 and len(page.items) == (1 if huge < 0 else 0)
    assert svc.list_organizations(session, actor=f.ADMIN, limit=huge, offset=huge) == []


@pytest.mark.parametrize(("search", "found"), [
    ("Cēsu\x00jaunieši", True), ("\x00", True), ("a\x00@test.lv", False)])
def test_control_characters_in_a_search_separate_words(session: Session, search: str,
                                                       found: bool) -> None:
    org = f.organization(session, name="Biedrība “Cēsu jaunieši”")  # (PostgreSQL refuses NUL)
    expected = [org.id] if found else []
    assert [o.id for o in svc.list_organizations(session, actor=f.ADMIN, search=search)] \
        == expected
    assert [o.id for o in svc.search_organizations(session, actor=f.ADMIN,
                                                   search=search).items] == expected


def test_a_name_that_grows_when_folded_for_search_is_kept_and_found(session: Session) -> None:
    name = "ﷺ¼ß" * 100  # 300 characters, the most a name has; 2300 once folded
    org = f.organization(session, name=name)
    assert svc.get_organization(session, actor=f.ADMIN, organization_id=org.id).name == name
    assert [o.id for o in svc.list_organizations(session, actor=f.ADMIN,
                                                 search=name[:30])] == [org.id]
    updated = svc.update_organization(session, actor=f.ADMIN, organization_id=org.id,
                                      data=_update(org.version, name=name[::-1]))
    assert updated.name == name[::-1]
