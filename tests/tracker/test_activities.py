"""Activity services: logging with participations, permissions, references, conflicts, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.enums import Role
from db.models import Activity, ActivityArea, AuditLog, Participation
from tests import factories as f
from tracker.errors import (
    Deleted,
    DuplicateExternalRef,
    NotFound,
    PermissionDenied,
    StaleVersion,
    ValidationFailed,
)
from tracker.schemas import ActivityRead, ActivityUpdate
from tracker.services import activities as svc


def _update(read: ActivityRead, **fields: Any) -> ActivityUpdate:
    data: dict[str, Any] = {
        "type": read.type, "title": read.title, "activity_date": read.activity_date,
        "hours": read.hours, "format": read.format, "capacity_areas": read.capacity_areas,
        "total_participants": read.total_participants, "version": read.version,
        "participations": [{"organization_id": p.organization_id, "attendees": p.attendees}
                           for p in read.participations],
    } | fields
    return ActivityUpdate.model_validate(data)


@pytest.mark.parametrize(("role", "staff_of", "allowed"), [
    (Role.ADMIN, None, True), (Role.MANAGER, None, True), (Role.STAFF, "VIDZEME", True),
    (Role.STAFF, "ZEMGALE", False), (Role.FUNDER, None, False)])
def test_log_by_role_and_incubator(session: Session, role: Role, staff_of: str | None,
                                   allowed: bool) -> None:
    actor = f.actor(session, role, staff_of)
    org = f.organization(session)
    data = f.activity_data(session, "VIDZEME", total_participants=4,
                           participations=[{"organization_id": org.id, "attendees": 3}])
    if not allowed:
        with pytest.raises(PermissionDenied):
            svc.log_activity(session, actor=actor, data=data)
        assert session.scalar(select(func.count()).select_from(Activity)) == 0
        return
    saved = svc.log_activity(session, actor=actor, data=data)
    assert saved.author_id == actor.user_id
    assert [(p.organization_id, p.attendees) for p in saved.participations] == [(org.id, 3)]
    assert saved.capacity_areas == ["finance"]
    entry = session.scalars(select(AuditLog).where(AuditLog.entity == "activity")).one()
    assert entry.after is not None and entry.after["participations"] == {str(org.id): 3}


def test_staff_cannot_approve_their_own_activity(session: Session) -> None:
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    with pytest.raises(PermissionDenied):
        svc.log_activity(session, actor=staff,
                         data=f.activity_data(session, status="approved"))
    assert f.activity(session, by=staff, status="draft").status.value == "draft"


@pytest.mark.parametrize(("fields", "field", "code"), [
    ({"activity_date": "2024-12-31"}, "activity_date", "date_outside_programme"),
    ({"activity_date": "2027-01-01"}, "activity_date", "date_outside_programme"),
    ({"municipality_atvk": "0000000"}, "municipality_atvk", "unknown_municipality"),
    # Varakļānu novads ended on 2025-06-30.
    ({"municipality_atvk": "0055000", "activity_date": "2025-08-01"}, "municipality_atvk",
     "municipality_not_valid"),
    # The merged Madonas novads starts on 2025-07-01.
    ({"municipality_atvk": "0038001", "activity_date": "2025-06-30"}, "municipality_atvk",
     "municipality_not_valid"),
    ({"participations": [{"organization_id": 999999, "attendees": 1}]},
     "participations.0.organization_id", "unknown_organization"),
    ({"cohort_id": 999999}, "cohort_id", "unknown_cohort"),
])
def test_references_are_checked(session: Session, fields: dict[str, Any], field: str,
                                code: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        f.activity(session, **fields)
    assert [(e.field, e.code) for e in exc.value.errors] == [(field, code)]
    assert session.scalar(select(func.count()).select_from(Activity)) == 0


def test_municipality_valid_on_the_day(session: Session) -> None:
    before_merger = f.activity(session, municipality_atvk="0055000", activity_date="2025-06-30")
    after_merger = f.activity(session, municipality_atvk="0038001", activity_date="2025-07-01")
    assert before_merger.municipality_id != after_merger.municipality_id


def test_cohort_of_another_incubator(session: Session) -> None:
    with pytest.raises(ValidationFailed) as exc:
        f.activity(session, cohort_id=f.cohort(session, "LATGALE"))
    assert exc.value.errors[0].code == "cohort_other_incubator"


def test_update_replaces_participations_and_areas(session: Session) -> None:
    a, b, c = (f.organization(session) for _ in range(3))
    saved = f.activity(session, total_participants=5, participations=[
        {"organization_id": a.id, "attendees": 1}, {"organization_id": b.id, "attendees": 2}])
    updated = svc.update_activity(session, actor=f.ADMIN, activity_id=saved.id, data=_update(
        saved, capacity_areas=["strategy", "governance"], participations=[
            {"organization_id": b.id, "attendees": 3}, {"organization_id": c.id, "attendees": 1}]))
    assert updated.version == saved.version + 1
    assert sorted((p.organization_id, p.attendees) for p in updated.participations) == \
        [(b.id, 3), (c.id, 1)]
    assert updated.capacity_areas == ["governance", "strategy"]
    rows = session.execute(select(Participation.organization_id).where(
        Participation.activity_id == saved.id)).scalars().all()
    assert sorted(rows) == [b.id, c.id]
    areas = session.scalars(select(ActivityArea.area).where(
        ActivityArea.activity_id == saved.id)).all()
    assert sorted(areas) == ["governance", "strategy"]


def test_participation_only_edit_still_bumps_the_version(session: Session) -> None:
    org = f.organization(session)
    saved = f.activity(session, total_participants=5)
    updated = svc.update_activity(session, actor=f.ADMIN, activity_id=saved.id, data=_update(
        saved, participations=[{"organization_id": org.id, "attendees": 2}]))
    assert updated.version == saved.version + 1


def test_two_people_editing_one_activity(session: Session) -> None:
    saved = f.activity(session)
    first = svc.update_activity(session, actor=f.ADMIN, activity_id=saved.id,
                                data=_update(saved, title="Pirmā labošana"))
    with pytest.raises(StaleVersion):
        svc.update_activity(session, actor=f.ADMIN, activity_id=saved.id,
                            data=_update(saved, title="Otrā labošana"))
    assert svc.get_activity(session, actor=f.ADMIN, activity_id=saved.id).title == first.title


@pytest.mark.parametrize(("role", "staff_of", "allowed"), [
    (Role.MANAGER, None, True), (Role.STAFF, "VIDZEME", True), (Role.STAFF, "KURZEME", False),
    (Role.FUNDER, None, False)])
def test_update_and_delete_by_role(session: Session, role: Role, staff_of: str | None,
                                   allowed: bool) -> None:
    actor = f.actor(session, role, staff_of)
    # staff work on drafts (here one loaded without an author: the incubator's), managers on
    # submitted activities (tests/tracker/test_review.py has every status)
    saved = f.activity(session, status="draft" if role is Role.STAFF else "submitted")
    if not allowed:
        with pytest.raises(PermissionDenied):
            svc.update_activity(session, actor=actor, activity_id=saved.id,
                                data=_update(saved, title="Mainīts"))
        with pytest.raises(PermissionDenied):
            svc.delete_activity(session, actor=actor, activity_id=saved.id,
                                version=saved.version)
        return
    updated = svc.update_activity(session, actor=actor, activity_id=saved.id,
                                  data=_update(saved, title="Mainīts"))
    svc.delete_activity(session, actor=actor, activity_id=saved.id, version=updated.version)
    with pytest.raises(Deleted):
        svc.get_activity(session, actor=actor, activity_id=saved.id)
    assert saved.id not in [a.id for a in svc.list_activities(session, actor=actor)]
    # Soft: the row and its participations are still there for the history.
    assert session.get(Activity, saved.id) is not None
    actions = session.scalars(select(AuditLog.action).where(
        AuditLog.entity == "activity", AuditLog.entity_id == saved.id).order_by(AuditLog.id))
    assert list(actions) == ["create", "update", "delete"]


def test_staff_list_only_their_incubator(session: Session) -> None:
    mine = f.activity(session, incubator="VIDZEME")
    theirs = f.activity(session, incubator="LATGALE")
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    listed = [a.id for a in svc.list_activities(session, actor=staff)]
    assert mine.id in listed and theirs.id not in listed
    with pytest.raises(PermissionDenied):
        svc.get_activity(session, actor=staff, activity_id=theirs.id)


def test_similar_activities_on_the_same_day(session: Session) -> None:
    first = f.activity(session, title="Finanšu vadības konsultācija", activity_date="2025-05-14")
    f.activity(session, title="Komunikācijas darbnīca", activity_date="2025-05-14")
    f.activity(session, title="Finanšu vadības konsultācija", activity_date="2025-05-15")
    f.activity(session, title="Finanšu vadības konsultācija", incubator="LATGALE",
               activity_date="2025-05-14")
    found = svc.find_similar_activities(
        session, actor=f.ADMIN, incubator_id=f.incubator_id(session, "VIDZEME"),
        activity_date=first.activity_date, title="finanšu vadības KONSULTĀCIJA ")
    assert [a.id for a in found] == [first.id]
    assert svc.find_similar_activities(
        session, actor=f.ADMIN, incubator_id=f.incubator_id(session, "VIDZEME"),
        activity_date=first.activity_date, title="Finanšu vadības konsultācija",
        exclude_id=first.id) == []
    with pytest.raises(PermissionDenied):
        svc.find_similar_activities(
            session, actor=f.actor(session, Role.STAFF, "LATGALE"),
            incubator_id=f.incubator_id(session, "VIDZEME"),
            activity_date=first.activity_date, title="x")


def test_a_reference_already_taken_in_the_incubator_is_a_clear_refusal(
        session: Session) -> None:
    f.activity(session, external_ref="REF-1")
    before = session.scalar(select(func.count()).select_from(Activity))
    with pytest.raises(DuplicateExternalRef) as refused, session.begin_nested():
        f.activity(session, external_ref="REF-1")  # the caller's unit of work rolls back
    assert "REF-1" in refused.value.message("lv") and "REF-1" in refused.value.message("en")
    assert session.scalar(select(func.count()).select_from(Activity)) == before
    f.activity(session, incubator="LATGALE", external_ref="REF-1")  # another incubator's own


def test_a_taken_reference_leaves_the_unit_of_work_usable(session: Session) -> None:
    f.activity(session, external_ref="REF-1")
    before = session.scalar(select(func.count()).select_from(Activity)) or 0
    with pytest.raises(DuplicateExternalRef):  # no savepoint of the caller's around it
        f.activity(session, external_ref="REF-1")
    assert session.scalar(select(func.count()).select_from(Activity)) == before
    f.activity(session, external_ref="REF-2")  # the same unit of work goes on writing
    assert session.scalar(select(func.count()).select_from(Activity)) == before + 1


# Beyond a 32-bit integer (PostgreSQL's INTEGER) and a 64-bit one (SQLite's): no row has it.
HUGE_IDS = [2**31, 2**63, 2**70]


@pytest.mark.parametrize("huge", [*HUGE_IDS, -(2**70)])
def test_an_id_beyond_the_integer_range_is_not_found(session: Session, huge: int) -> None:
    read = f.activity(session)
    with pytest.raises(NotFound):
        svc.get_activity(session, actor=f.ADMIN, activity_id=huge)
    with pytest.raises(NotFound):
        svc.update_activity(session, actor=f.ADMIN, activity_id=huge, data=_update(read))
    with pytest.raises(NotFound):
        svc.delete_activity(session, actor=f.ADMIN, activity_id=huge, version=1)
    assert svc.list_activities(session, actor=f.ADMIN, incubator_id=huge) == []
    assert svc.find_similar_activities(
        session, actor=f.ADMIN, incubator_id=huge, activity_date=read.activity_date,
        title=read.title) == []
    assert [a.id for a in svc.find_similar_activities(
        session, actor=f.ADMIN, incubator_id=read.incubator_id,
        activity_date=read.activity_date, title=read.title, exclude_id=huge)] == [read.id]


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_a_form_naming_an_id_beyond_the_integer_range_is_refused_at_the_field(
        session: Session, huge: int) -> None:
    with pytest.raises(NotFound):
        svc.log_activity(session, actor=f.ADMIN, data=f.activity_data(session).model_copy(
            update={"incubator_id": huge}))
    with pytest.raises(ValidationFailed) as refused:
        svc.log_activity(session, actor=f.ADMIN, data=f.activity_data(session, cohort_id=huge))
    assert [(e.field, e.code) for e in refused.value.errors] == [("cohort_id", "unknown_cohort")]
    with pytest.raises(ValidationFailed) as refused:
        svc.log_activity(session, actor=f.ADMIN, data=f.activity_data(
            session, total_participants=5,
            participations=[{"organization_id": huge, "attendees": 1}]))
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("participations.0.organization_id", "unknown_organization")]


@pytest.mark.parametrize(("limit", "listed"), [(-1, 0), (0, 0), (2**31, 1), (2**70, 1)])
def test_any_page_size_lists(session: Session, limit: int, listed: int) -> None:
    f.activity(session)  # (PostgreSQL refuses a negative LIMIT, both a huge one)
    assert len(svc.list_activities(session, actor=f.ADMIN, limit=limit)) == listed


def test_a_far_date_is_refused_at_the_field(session: Session) -> None:
    with pytest.raises(ValidationFailed) as refused:
        f.activity(session, activity_date=dt.date(9999, 12, 31).isoformat())
    assert [e.field for e in refused.value.errors] == ["activity_date"]
