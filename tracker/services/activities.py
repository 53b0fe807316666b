"""Activities (consultations, trainings, events) and the organisations that took part."""

from __future__ import annotations

import datetime as dt
from difflib import SequenceMatcher

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.enums import ActivityStatus, AuditAction, Role
from db.models import Activity, ActivityArea, Cohort, Incubator, Organization, Participation
from db.search import search_key
from tracker import audit
from tracker.auth import Actor, require_incubator, require_writer
from tracker.errors import (
    Deleted,
    DuplicateExternalRef,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from tracker.schemas import (
    ActivityCreate,
    ActivityFields,
    ActivityRead,
    ActivityUpdate,
    AttendeeIn,
    AttendeeRead,
    ParticipationRead,
)
from tracker.services import attendance, quarters, review
from tracker.services._common import (
    bounded,
    check_in_programme,
    check_version,
    flush,
    flush_unique,
    get,
    id_is,
    ids_in,
    is_id,
    load,
    municipality_id,
    now,
)

ENTITY = "activity"
Attendees = tuple[list[AttendeeIn], dict[int, int | None]]
# Statuses a new activity may have: approving and returning are reviewers' steps
# (tracker.services.review). Only an admin loading existing records may give any status.
AUTHOR_STATUSES = frozenset({ActivityStatus.DRAFT, ActivityStatus.SUBMITTED})


def _to_read(session: Session, activity: Activity) -> ActivityRead:
    rows = session.execute(
        select(Participation.organization_id, Organization.name, Organization.reg_no,
               Participation.attendees)
        .join(Organization, Organization.id == Participation.organization_id)
        .where(Participation.activity_id == activity.id)
        .order_by(Organization.name)
    ).all()
    return ActivityRead(
        id=activity.id, incubator_id=activity.incubator_id, cohort_id=activity.cohort_id,
        type=activity.type, title=activity.title, activity_date=activity.activity_date,
        hours=activity.hours, format=activity.format, municipality_id=activity.municipality_id,
        capacity_areas=[a.area for a in activity.areas],
        total_participants=activity.total_participants, next_steps=activity.next_steps,
        status=activity.status, author_id=activity.author_id,
        review_comment=activity.review_comment, submitted_at=activity.submitted_at,
        external_ref=activity.external_ref,
        participations=[ParticipationRead(organization_id=r[0], organization_name=r[1],
                                          reg_no=r[2], attendees=r[3]) for r in rows],
        attendees=[AttendeeRead(person_id=a.person_id, organization_id=a.organization_id,
                                hours=a.hours) for a in activity.attendances],
        version=activity.version, deleted=activity.deleted_at is not None,
    )


def _snapshot(activity: Activity) -> dict[str, object]:
    return audit.snapshot(
        activity, capacity_areas=[a.area for a in activity.areas],
        participations={str(p.organization_id): p.attendees for p in activity.participations},
        attendees=attendance.snapshot(activity))


def _check_references(session: Session, incubator_id: int, data: ActivityFields,
                      activity: Activity | None = None) -> tuple[int | None, Attendees]:
    """Dates, municipality, cohort, organisations and the named attendees must exist and fit;
    returns the municipality and the attendees with the organisation each counts for."""
    check_in_programme(session, "activity_date", data.activity_date, incubator_id)
    place = municipality_id(session, "municipality_atvk", data.municipality_atvk,
                            data.activity_date)
    if data.cohort_id is not None:
        cohort = get(session, Cohort, data.cohort_id)
        if cohort is None:
            raise ValidationFailed.single("cohort_id", "unknown_cohort")
        if cohort.incubator_id != incubator_id:
            raise ValidationFailed.single("cohort_id", "cohort_other_incubator")
    wanted = [p.organization_id for p in data.participations]
    if wanted:
        found = set(session.scalars(select(Organization.id).where(
            ids_in(Organization.id, wanted), Organization.deleted_at.is_(None))))
        for index, org_id in enumerate(wanted):
            if org_id not in found:
                raise ValidationFailed.single(f"participations.{index}.organization_id",
                                              "unknown_organization")
    attendees = attendance.effective(activity, data.attendees) if activity is not None \
        else list(data.attendees or [])
    assigned = attendance.assign(
        session, incubator_id=incubator_id,
        participations={p.organization_id: p.attendees for p in data.participations},
        attendees=attendees, total=data.total_participants, hours=data.hours,
        kept=frozenset(a.person_id for a in activity.attendances) if activity else frozenset())
    return place, (attendees, assigned)


def _apply(activity: Activity, data: ActivityFields, place: int | None,
           named: Attendees) -> None:
    activity.type = data.type.value
    activity.title = data.title
    activity.activity_date = data.activity_date
    activity.hours = data.hours
    activity.format = data.format.value
    activity.municipality_id = place
    activity.cohort_id = data.cohort_id
    activity.total_participants = data.total_participants
    activity.next_steps = data.next_steps
    # Replace the child rows in place: unchanged ones keep their ids, removed ones go.
    wanted_areas = {a.value for a in data.capacity_areas}
    activity.areas = [a for a in activity.areas if a.area in wanted_areas] + [
        ActivityArea(area=a) for a in sorted(wanted_areas - {x.area for x in activity.areas})]
    attendees = {p.organization_id: p.attendees for p in data.participations}
    kept = []
    for p in activity.participations:
        if p.organization_id in attendees:
            p.attendees = attendees.pop(p.organization_id)
            kept.append(p)
    activity.participations = kept + [Participation(organization_id=o, attendees=n)
                                      for o, n in attendees.items()]
    attendance.apply(activity, *named)


def log_activity(session: Session, *, actor: Actor, data: ActivityCreate) -> ActivityRead:
    """Save a new activity with its participating organisations."""
    load(session, Incubator, "incubator", data.incubator_id)
    require_incubator(actor, data.incubator_id)
    if data.status not in AUTHOR_STATUSES and actor.role is not Role.ADMIN:
        raise PermissionDenied()
    quarters.check_open(session, data.incubator_id, data.activity_date)
    place, named = _check_references(session, data.incubator_id, data)
    activity = Activity(incubator_id=data.incubator_id, status=data.status.value,
                        author_id=actor.user_id, external_ref=data.external_ref,
                        submitted_at=now() if data.status is ActivityStatus.SUBMITTED else None)
    _apply(activity, data, place, named)
    session.add(activity)
    if data.external_ref:  # a reference already taken in the incubator is a clear refusal
        flush_unique(session, DuplicateExternalRef(external_ref=data.external_ref))
    else:
        flush(session)
    audit.record(session, actor, entity=ENTITY, entity_id=activity.id, action=AuditAction.CREATE,
                 after=_snapshot(activity))
    return _to_read(session, activity)


def _load_activity(session: Session, activity_id: int) -> Activity:
    activity = session.scalar(
        select(Activity).where(id_is(Activity.id, activity_id))
        .options(selectinload(Activity.areas), selectinload(Activity.participations),
                 selectinload(Activity.attendances)))
    if activity is None:
        raise NotFound(ENTITY, activity_id)
    if activity.deleted_at is not None:
        raise Deleted()
    return activity


def update_activity(session: Session, *, actor: Actor, activity_id: int,
                    data: ActivityUpdate) -> ActivityRead:
    """Change an activity and its participations; an outdated copy is refused."""
    activity = _load_activity(session, activity_id)
    require_incubator(actor, activity.incubator_id)
    review.check_step(session, actor, activity, review.Step.EDIT)
    check_version(activity, data.version)
    if data.activity_date != activity.activity_date:
        quarters.check_open(session, activity.incubator_id, data.activity_date)
    place, named = _check_references(session, activity.incubator_id, data, activity)
    before = _snapshot(activity)
    _apply(activity, data, place, named)
    activity.updated_at = now()  # child-only edits must still bump the version
    flush(session)
    audit.record(session, actor, entity=ENTITY, entity_id=activity.id, action=AuditAction.UPDATE,
                 before=before, after=_snapshot(activity))
    return _to_read(session, activity)


def delete_activity(session: Session, *, actor: Actor, activity_id: int, version: int) -> None:
    """Soft-delete an activity: it leaves every total, its history stays."""
    activity = _load_activity(session, activity_id)
    require_incubator(actor, activity.incubator_id)
    review.check_step(session, actor, activity, review.Step.DELETE)
    check_version(activity, version)
    before = _snapshot(activity)
    activity.deleted_at = now()
    flush(session)
    audit.record(session, actor, entity=ENTITY, entity_id=activity.id, action=AuditAction.DELETE,
                 before=before, after=_snapshot(activity))


def get_activity(session: Session, *, actor: Actor, activity_id: int) -> ActivityRead:
    """One activity with its participations (funders read numbers, never the records)."""
    require_writer(actor)
    activity = _load_activity(session, activity_id)
    if actor.role is Role.STAFF and activity.incubator_id != actor.incubator_id:
        raise PermissionDenied()
    return _to_read(session, activity)


SIMILAR_TITLE_RATIO = 0.8


def find_similar_activities(session: Session, *, actor: Actor, incubator_id: int,
                            activity_date: dt.date, title: str,
                            exclude_id: int | None = None) -> list[ActivityRead]:
    """Activities of the same incubator and day with a similar title: likely duplicates."""
    require_incubator(actor, incubator_id)
    query = select(Activity).where(
        id_is(Activity.incubator_id, incubator_id), Activity.activity_date == activity_date,
        Activity.deleted_at.is_(None)).options(selectinload(Activity.areas)).limit(200)
    if exclude_id is not None and is_id(exclude_id):
        query = query.where(Activity.id != exclude_id)
    wanted = search_key(title)
    return [_to_read(session, a) for a in session.scalars(query)
            if SequenceMatcher(None, wanted, search_key(a.title)).ratio() >= SIMILAR_TITLE_RATIO]


def list_activities(session: Session, *, actor: Actor, incubator_id: int | None = None,
                    limit: int = 50) -> list[ActivityRead]:
    """The most recent activities (staff: their incubator's only), newest first."""
    require_writer(actor)
    if actor.role is Role.STAFF:
        incubator_id = actor.incubator_id
    query = select(Activity).where(Activity.deleted_at.is_(None)).options(
        selectinload(Activity.areas))
    if incubator_id is not None:
        query = query.where(id_is(Activity.incubator_id, incubator_id))
    query = query.order_by(Activity.activity_date.desc(), Activity.id.desc()).limit(
        bounded(limit))
    return [_to_read(session, a) for a in session.scalars(query)]
