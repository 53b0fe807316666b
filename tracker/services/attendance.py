"""Who attended an activity by name: the rules every way of ticking people shares (the
activity form, the attendance import).

A named attendee is a person of the activity's incubator whose identity is not erased. Each
is counted for the participating organisation they came for: the first of their own
organisations (by id) among the activity's participations that still has room, so a
participation's attendee number is never below its named list; a person none of whose
organisations took part counts only against the activity's total. Review steps and closed
quarters are the activity's own (tracker.services.activities checks them first).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Activity, Attendance, Membership, Person
from tracker.errors import ValidationFailed
from tracker.schemas import AttendeeIn
from tracker.services._common import ids_in

FIELD = "attendees"


def effective(activity: Activity, wanted: Sequence[AttendeeIn] | None) -> list[AttendeeIn]:
    """The attendees an activity will have: the ones sent, or (None) the ones it has."""
    if wanted is not None:
        return list(wanted)
    return [AttendeeIn(person_id=a.person_id, hours=a.hours) for a in activity.attendances]


def assign(session: Session, *, incubator_id: int, participations: dict[int, int],
           attendees: Sequence[AttendeeIn], total: int, hours: Decimal,
           kept: frozenset[int] = frozenset()) -> dict[int, int | None]:
    """Check the attendees and give each the organisation they count for: person id ->
    organisation id (None: none of theirs took part). `participations` is organisation ->
    attendee number; `kept` are people already on the activity (an erased one may stay).
    ValidationFailed names the attendee (attendees.N.person_id) or the organisation."""
    if len(attendees) > total:
        raise ValidationFailed.single(FIELD, "named_exceed_total", named=len(attendees),
                                      total=total)
    ids = [a.person_id for a in attendees]
    people = {p.id: p for p in session.scalars(select(Person).where(ids_in(Person.id, ids)))}
    member_of: dict[int, list[int]] = {}
    for person_id, organization_id in session.execute(
            select(Membership.person_id, Membership.organization_id)
            .where(ids_in(Membership.person_id, ids))
            .order_by(Membership.person_id, Membership.organization_id)):
        member_of.setdefault(person_id, []).append(organization_id)
    room = Counter(participations)
    assigned: dict[int, int | None] = {}
    for index, attendee in enumerate(attendees):
        field = f"{FIELD}.{index}.person_id"
        person = people.get(attendee.person_id)
        if person is None or person.incubator_id != incubator_id:
            raise ValidationFailed.single(field, "unknown_person")
        if person.erased_at is not None and person.id not in kept:
            raise ValidationFailed.single(field, "person_erased")
        if attendee.hours is not None and attendee.hours > hours:
            raise ValidationFailed.single(f"{FIELD}.{index}.hours", "attendee_hours_exceed",
                                          hours=hours)
        theirs = [o for o in member_of.get(person.id, []) if o in participations]
        free = [o for o in theirs if room[o] > 0]
        if theirs and not free:
            raise ValidationFailed.single(field, "named_exceed_participation",
                                          attendees=participations[theirs[0]])
        assigned[person.id] = free[0] if free else None
        if free:
            room[free[0]] -= 1
    return assigned


def apply(activity: Activity, attendees: Sequence[AttendeeIn],
          assigned: dict[int, int | None]) -> None:
    """Replace the activity's attendances in place: unchanged rows keep their ids."""
    wanted = {a.person_id: a for a in attendees}
    kept = []
    for row in activity.attendances:
        attendee = wanted.pop(row.person_id, None)
        if attendee is not None:
            row.hours = attendee.hours
            row.organization_id = assigned[row.person_id]
            kept.append(row)
    activity.attendances = kept + [
        Attendance(person_id=a.person_id, hours=a.hours, organization_id=assigned[a.person_id])
        for a in wanted.values()]


def snapshot(activity: Activity) -> dict[str, str | None]:
    """The attendees as the audit trail keeps them: person id -> hours (None: all)."""
    return {str(a.person_id): None if a.hours is None else str(a.hours)
            for a in activity.attendances}
