"""The programme's structure: incubators, cycles and their enrolments, municipalities,
indicators, their targets and hand-entered values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from db.enums import EnrollmentStatus, IndicatorMethod
from tracker.schemas.common import (
    Count,
    Day,
    Money,
    Period,
    ReadModel,
    Schema,
    ShortText,
    Text,
    decimal_comma,
    empty_to_none,
)

# Enrolments -----------------------------------------------------------------------------------

class EnrollmentCreate(Schema):
    organization_id: int = Field(ge=1)
    cohort_id: int = Field(ge=1)
    applied_on: Day
    note: Text(1000) | None = None  # type: ignore[valid-type]


class EnrollmentStatusChange(Schema):
    status: EnrollmentStatus
    on_date: Day
    version: int = Field(ge=1)
    note: Text(1000) | None = None  # type: ignore[valid-type]


class EnrollmentRecord(Schema):
    """An enrolment as a spreadsheet row gives it whole: its status and the dates it has
    (which dates a status needs is `services.enrollments.date_problems`)."""

    status: EnrollmentStatus = EnrollmentStatus.APPLIED
    applied_on: Day
    admitted_on: Day | None = None
    graduated_on: Day | None = None
    closed_on: Day | None = None
    note: Text(1000) | None = None  # type: ignore[valid-type]


class EnrollmentRead(ReadModel):
    id: int
    organization_id: int
    cohort_id: int
    status: EnrollmentStatus
    applied_on: dt.date
    admitted_on: dt.date | None
    graduated_on: dt.date | None
    closed_on: dt.date | None
    note: str | None
    version: int


# Administration: the programme's parts ---------------------------------------------------

MAX_SEATS = 10_000  # the cohorts.seats check constraint


# A cycle's dates: each must fall inside its incubator's programme (the services know the period).
COHORT_DATES = ("start_date", "end_date", "call_opens_on", "call_closes_on")
OptionalDay = Annotated[Day | None, BeforeValidator(empty_to_none)]


def _call_date(value: dt.date | None, info: ValidationInfo) -> dt.date | None:
    """The call for applications ends by the cycle's end date and closes on or after it opens
    (a wrong closing date is reported there, where it would be corrected)."""
    if value is None:
        return value
    end = info.data.get("end_date")
    if end is not None and value > end:
        raise PydanticCustomError("call_after_cycle_end", "after the cycle's end", {"end": end})
    opens = info.data.get("call_opens_on")
    if info.field_name == "call_closes_on" and opens is not None and value < opens:
        raise PydanticCustomError("call_closes_before_opens", "the call closes before it opens")
    return value


class CohortCreate(Period):
    incubator_id: int = Field(ge=1)
    number: int = Field(ge=1, le=100)
    name: Text(100, min_length=1)  # type: ignore[valid-type]
    seats: Count | None = None
    call_opens_on: OptionalDay = None
    call_closes_on: OptionalDay = None

    _call_dates = field_validator("call_opens_on", "call_closes_on")(_call_date)


class CohortRead(ReadModel):
    id: int
    incubator_id: int
    number: int
    name: str
    start_date: dt.date
    end_date: dt.date
    seats: int | None
    call_opens_on: dt.date | None = None
    call_closes_on: dt.date | None = None
    version: int


class IncubatorRead(ReadModel):
    id: int
    program_id: int
    code: str
    name_lv: str
    name_en: str
    region_id: int
    operator: str | None
    budget_eur: Decimal | None
    start_date: dt.date
    end_date: dt.date
    version: int


class MunicipalityRead(ReadModel):
    id: int
    atvk: str
    iso: str
    name: str
    region_id: int
    valid_from: dt.date
    valid_to: dt.date | None


class IndicatorEntryCreate(Schema):
    indicator_id: int = Field(ge=1)
    incubator_id: int | None = Field(default=None, ge=1)
    entry_date: Day
    value: Annotated[Decimal, BeforeValidator(decimal_comma),
                     Field(ge=0, max_digits=14, decimal_places=2)]
    note: Text(1000) | None = None  # type: ignore[valid-type]


class IncubatorUpdate(Period):
    name_lv: Text(200, min_length=2)  # type: ignore[valid-type]
    name_en: Text(200, min_length=2)  # type: ignore[valid-type]
    operator: ShortText | None = None
    budget_eur: Money | None = None
    version: int = Field(ge=1)

    @field_validator("operator", "budget_eur", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return empty_to_none(value)


class IncubatorDetail(IncubatorRead):
    """An incubator with its region and the period of its programme."""

    region_code: str
    region_name_lv: str
    region_name_en: str
    program_start: dt.date
    program_end: dt.date

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_lv

    def region_name(self, lang: str) -> str:
        return self.region_name_en if lang == "en" else self.region_name_lv


class CohortUpdate(Period):
    number: int = Field(ge=1, le=100)
    name: Text(100, min_length=1)  # type: ignore[valid-type]
    seats: Annotated[int, BeforeValidator(empty_to_none), Field(ge=0, le=MAX_SEATS)] | None \
        = None
    call_opens_on: OptionalDay = None
    call_closes_on: OptionalDay = None
    version: int = Field(ge=1)

    _call_dates = field_validator("call_opens_on", "call_closes_on")(_call_date)


class CohortDetail(CohortRead):
    """A cohort with how many organisations are enrolled in it."""

    enrollments: int = 0


class IndicatorRead(ReadModel):
    id: int
    program_id: int
    code: str
    name_lv: str
    name_en: str
    method: IndicatorMethod
    parameter: str | None
    unit_lv: str
    unit_en: str
    sort_order: int

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_lv

    def unit(self, lang: str) -> str:
        return self.unit_en if lang == "en" else self.unit_lv


class TargetSet(Schema):
    """A target for one scope: the whole programme or one incubator, the whole period or a year.

    `version` is that of the target being changed; None sets a target for a scope that has none.
    """

    indicator_id: int = Field(ge=1)
    incubator_id: int | None = Field(default=None, ge=1)
    year: int | None = Field(default=None, ge=2000, le=2100)
    target_value: Annotated[Decimal, BeforeValidator(decimal_comma),
                            Field(ge=0, max_digits=14, decimal_places=2)]
    version: int | None = Field(default=None, ge=1)

    @field_validator("incubator_id", "year", "version", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return empty_to_none(value)


class TargetRead(ReadModel):
    id: int
    indicator_id: int
    incubator_id: int | None
    year: int | None
    target_value: Decimal
    version: int


class EnrollmentDetail(ReadModel):
    """An enrolment with its cohort, and what the actor may do with it."""

    id: int
    organization_id: int
    cohort_id: int
    cohort_name: str
    incubator_id: int
    status: EnrollmentStatus
    applied_on: dt.date
    admitted_on: dt.date | None
    graduated_on: dt.date | None
    closed_on: dt.date | None
    note: str | None
    version: int
    next_statuses: list[EnrollmentStatus]
    may_change: bool
