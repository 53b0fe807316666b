"""Factories for people and their attendance: real rows through the real services and rules.

`person` records a person through tracker.services.people.create_person (complete ESF+ data
unless a field is given as None); `attend` ticks people on an existing activity with the
attendance rules every way of ticking shares (tracker.services.attendance), whatever the
activity's status, so a test can put people on an approved activity too. To log a new
activity with its attendees, pass `attendees=` to tests.factories.activity.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.models import Activity
from tests.factories import ADMIN, incubator_id
from tracker.auth import Actor
from tracker.schemas import ActivityRead, AttendeeIn, PersonCreate, PersonRead
from tracker.services import attendance
from tracker.services.people import create_person

_serial = itertools.count(1)

# A complete person: every ESF+ characteristic answered (a field given as None leaves it out).
COMPLETE: dict[str, Any] = {
    "birth_date": dt.date(1980, 6, 15), "gender": "female", "consent_date": dt.date(2025, 1, 10),
    "employment_status": "employed", "education": "isced_5_8", "disability": "no",
    "third_country_national": "no", "foreign_background": "no", "minority": "no",
    "homeless": "no", "rural": "no",
}


def person(session: Session, incubator: str | int = "VIDZEME", by: Actor = ADMIN,
           **fields: Any) -> PersonRead:
    """A person of `incubator` (its code or id) with a fresh reference and name."""
    number = next(_serial)
    data = {"incubator_id": incubator if isinstance(incubator, int)
            else incubator_id(session, incubator),
            "ref": f"P-{number:05d}", "first_name": "Dalībniece",
            "last_name": f"Nr{number}"} | COMPLETE | fields
    return create_person(session, actor=by, data=PersonCreate.model_validate(data))


def _id(item: Any) -> int:
    return item if isinstance(item, int) else int(item.id)


def attend(session: Session, activity: ActivityRead | int,
           people: Sequence[PersonRead | int], hours: Decimal | str | float | None = None
           ) -> None:
    """Tick `people` on `activity` (besides those already ticked), each for `hours` (None:
    the whole activity). The attendance rules apply: people of the activity's incubator, no
    more named than took part."""
    row = session.scalar(select(Activity).where(Activity.id == _id(activity))
                         .options(selectinload(Activity.attendances),
                                  selectinload(Activity.participations)))
    assert row is not None, f"no activity {_id(activity)}"
    wanted = [AttendeeIn(person_id=a.person_id, hours=a.hours) for a in row.attendances]
    known = {a.person_id for a in wanted}
    wanted += [AttendeeIn(person_id=_id(p), hours=None if hours is None else Decimal(str(hours)))
               for p in people if _id(p) not in known]
    assigned = attendance.assign(
        session, incubator_id=row.incubator_id,
        participations={p.organization_id: p.attendees for p in row.participations},
        attendees=wanted, total=row.total_participants, hours=row.hours,
        kept=frozenset(known))
    attendance.apply(row, wanted, assigned)
    session.flush()
