"""Activities and who took part in them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from db.enums import ActivityFormat, ActivityStatus, ActivityType, CapacityArea
from db.models import MAX_COUNT
from tracker.schemas.common import (
    Atvk,
    Day,
    Hours,
    LongText,
    ReadModel,
    Schema,
    Text,
    empty_to_none,
)
from tracker.schemas.people import MAX_ATTENDEES, AttendeeIn, AttendeeRead

# Activities -----------------------------------------------------------------------------------

class ParticipationIn(Schema):
    organization_id: int = Field(ge=1)
    attendees: int = Field(ge=1, le=MAX_COUNT)


class ActivityFields(Schema):
    type: ActivityType
    title: Text(200, min_length=3)  # type: ignore[valid-type]
    activity_date: Day
    hours: Hours
    format: ActivityFormat = ActivityFormat.IN_PERSON
    municipality_atvk: Atvk | None = None
    cohort_id: int | None = Field(default=None, ge=1)
    capacity_areas: list[CapacityArea] = Field(default_factory=list, max_length=7)
    total_participants: int = Field(ge=0, le=MAX_COUNT)
    next_steps: LongText | None = None
    participations: list[ParticipationIn] = Field(default_factory=list, max_length=500)
    # The named attendees (people ticked); None leaves those saved before as they are.
    attendees: list[AttendeeIn] | None = Field(default=None, max_length=MAX_ATTENDEES)

    @field_validator("municipality_atvk", "next_steps", "cohort_id", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return empty_to_none(value)

    @field_validator("capacity_areas")
    @classmethod
    def _unique_areas(cls, value: list[CapacityArea]) -> list[CapacityArea]:
        if len(set(value)) != len(value):
            raise PydanticCustomError("duplicate_area", "an area is listed twice")
        return sorted(value)

    @field_validator("participations")
    @classmethod
    def _attendees_within_total(cls, value: list[ParticipationIn], info: ValidationInfo
                                ) -> list[ParticipationIn]:
        # A field validator (not a model one) so that it runs even when other fields are
        # wrong: the user sees every problem at once.
        seen: set[int] = set()
        for p in value:
            if p.organization_id in seen:
                raise PydanticCustomError("duplicate_organization", "listed twice")
            seen.add(p.organization_id)
        total = info.data.get("total_participants")
        attendees = sum(p.attendees for p in value)
        if isinstance(total, int) and attendees > total:
            raise PydanticCustomError(
                "attendees_exceed_total", "attendees exceed the total",
                {"attendees": attendees, "total": total})
        return value

    @field_validator("attendees")
    @classmethod
    def _attendees_fit(cls, value: list[AttendeeIn] | None, info: ValidationInfo
                       ) -> list[AttendeeIn] | None:
        """Each person once, no longer than the activity, and never more named people than
        took part: the attendee number may exceed the named list, never the other way."""
        if value is None:
            return None
        if len({a.person_id for a in value}) != len(value):
            raise PydanticCustomError("duplicate_person_id", "a person is ticked twice")
        hours = info.data.get("hours")
        if isinstance(hours, Decimal) and any(a.hours is not None and a.hours > hours
                                              for a in value):
            raise PydanticCustomError("attendee_hours_exceed", "more hours than the activity",
                                      {"hours": hours})
        total = info.data.get("total_participants")
        if isinstance(total, int) and len(value) > total:
            raise PydanticCustomError("named_exceed_total", "more named than took part",
                                      {"named": len(value), "total": total})
        return value


class ActivityCreate(ActivityFields):
    incubator_id: int = Field(ge=1)
    status: ActivityStatus = ActivityStatus.SUBMITTED
    external_ref: Text(100) | None = None  # type: ignore[valid-type]


class ActivityUpdate(ActivityFields):
    version: int = Field(ge=1)


class ParticipationRead(ReadModel):
    organization_id: int
    organization_name: str
    reg_no: str
    attendees: int


class ActivityRead(ReadModel):
    id: int
    incubator_id: int
    cohort_id: int | None
    type: ActivityType
    title: str
    activity_date: dt.date
    hours: Decimal
    format: ActivityFormat
    municipality_id: int | None
    capacity_areas: list[CapacityArea]
    total_participants: int
    next_steps: str | None
    status: ActivityStatus
    review_comment: str | None = None
    submitted_at: dt.datetime | None = None
    author_id: int | None
    external_ref: str | None
    participations: list[ParticipationRead]
    attendees: list[AttendeeRead] = Field(default_factory=list)
    version: int
    deleted: bool = False
