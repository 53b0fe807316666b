"""Factories for test data: real rows through the real services where a service exists."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import Role
from db.models import Cohort, Incubator, User
from tracker.auth import Actor
from tracker.schemas import (
    ActivityCreate,
    ActivityRead,
    EnrollmentCreate,
    OrganizationCreate,
    OrganizationRead,
    legal_entity_reg_nos,
)
from tracker.services import activities, enrollments, organizations

_reg_nos = legal_entity_reg_nos("50008")  # tests use another prefix than the demo data
_serial = itertools.count(1)

ADMIN = Actor.system()


def reg_no() -> str:
    return next(_reg_nos)


def incubator_id(session: Session, code: str = "VIDZEME") -> int:
    value = session.scalar(select(Incubator.id).where(Incubator.code == code))
    assert value is not None
    return value


def actor(session: Session, role: Role, incubator: str | None = "VIDZEME") -> Actor:
    """A real user row of `role` (staff belong to `incubator`) and its Actor."""
    inc = incubator_id(session, incubator) if role is Role.STAFF and incubator else None
    user = User(email=f"{role.value}{next(_serial)}@test.lv", role=role.value, incubator_id=inc)
    session.add(user)
    session.flush()
    return Actor(user_id=user.id, email=user.email, role=role, incubator_id=inc)


def cohort(session: Session, incubator: str = "VIDZEME", number: int | None = None) -> int:
    row = Cohort(incubator_id=incubator_id(session, incubator),
                 number=number or 10 + next(_serial), name="Test cycle",
                 start_date=dt.date(2025, 2, 1), end_date=dt.date(2025, 12, 31), seats=20)
    session.add(row)
    session.flush()
    return row.id


def organization(session: Session, by: Actor = ADMIN, **fields: Any) -> OrganizationRead:
    data = {"reg_no": reg_no(), "name": f"Biedrība Nr. {next(_serial)}",
            "municipality_atvk": "0054000"} | fields
    return organizations.create_organization(session, actor=by,
                                             data=OrganizationCreate.model_validate(data))


def enrolled_organization(session: Session, incubator: str = "VIDZEME") -> tuple[int, int, int]:
    """An organisation admitted to a new cohort of `incubator`: (org id, cohort id, enrolment)."""
    org = organization(session)
    cohort_id = cohort(session, incubator)
    enrollment = enrollments.enroll(session, actor=ADMIN, data=EnrollmentCreate(
        organization_id=org.id, cohort_id=cohort_id, applied_on=dt.date(2025, 2, 1)))
    return org.id, cohort_id, enrollment.id


def activity_data(session: Session, incubator: str = "VIDZEME", **fields: Any) -> ActivityCreate:
    data: dict[str, Any] = {
        "incubator_id": incubator_id(session, incubator), "type": "consultation",
        "title": "Finanšu vadības konsultācija", "activity_date": "2025-05-14", "hours": "2",
        "format": "in_person", "municipality_atvk": "0054000", "capacity_areas": ["finance"],
        "total_participants": 3, "participations": [],
    } | fields
    return ActivityCreate.model_validate(data)


def activity(session: Session, by: Actor = ADMIN, incubator: str = "VIDZEME", **fields: Any
             ) -> ActivityRead:
    return activities.log_activity(session, actor=by,
                                   data=activity_data(session, incubator, **fields))
