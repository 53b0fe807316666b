"""Organisations: the form's fields, what is read back, and the search and profile pages' read
models."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, Field, field_validator

from db.enums import ActivityStatus, ActivityType, EnrollmentStatus, LegalForm
from tracker.schemas.common import (
    Atvk,
    Count,
    Day,
    Email,
    Name,
    Phone,
    ReadModel,
    RegNo,
    Schema,
    ShortText,
    empty_to_none,
    no_control,
    not_future,
)

# Organisations --------------------------------------------------------------------------------

class OrganizationFields(Schema):
    name: Name
    legal_form: LegalForm = LegalForm.ASSOCIATION
    municipality_atvk: Atvk | None = None
    fields_of_activity: list[Annotated[str, Field(min_length=1, max_length=60),
                                       AfterValidator(no_control)]] = Field(
        default_factory=list, max_length=20)
    founded_on: Annotated[Day, AfterValidator(not_future)] | None = None
    members: Count | None = None
    volunteers: Count | None = None
    employees: Count | None = None
    contact_name: ShortText | None = None
    contact_email: Email | None = None
    contact_phone: Phone | None = None

    @field_validator("municipality_atvk", "contact_name", "contact_email", "contact_phone",
                     "founded_on", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return empty_to_none(value)


class OrganizationCreate(OrganizationFields):
    reg_no: RegNo


class OrganizationUpdate(OrganizationFields):
    version: int = Field(ge=1)


class OrganizationRead(ReadModel):
    id: int
    reg_no: str
    name: str
    legal_form: LegalForm
    municipality_id: int | None
    municipality_name: str | None = None
    region_code: str | None = None
    fields_of_activity: list[str]
    founded_on: dt.date | None
    members: int | None
    volunteers: int | None
    employees: int | None
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    version: int
    deleted: bool = False
    # From the Register of Enterprises (tracker import-register), when imported from it.
    registered_on: dt.date | None = None
    terminated_on: dt.date | None = None
    register_status: str | None = None


# Organisation search and profile --------------------------------------------------------------

class OrganizationListItem(ReadModel):
    """One row of the organisation search, with its latest enrolment."""

    id: int
    reg_no: str
    name: str
    legal_form: LegalForm
    municipality_name: str | None
    region_code: str | None
    latest_status: EnrollmentStatus | None = None
    latest_cohort: str | None = None


class OrganizationPage(ReadModel):
    """A page of search results and how many match in all."""

    items: list[OrganizationListItem]
    total: int
    limit: int
    offset: int


class AttendedActivity(ReadModel):
    activity_id: int
    incubator_id: int
    activity_date: dt.date
    title: str
    type: ActivityType
    status: ActivityStatus
    attendees: int


class Attendance(ReadModel):
    """The latest activities an organisation took part in, and totals over all of them."""

    items: list[AttendedActivity]
    activities: int
    attendees: int
