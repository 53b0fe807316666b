"""Validation and read models (pydantic), shared by the forms, the importers and the CLI."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any, Self, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.lv import pvn

from db.enums import (
    ActivityFormat,
    ActivityStatus,
    ActivityType,
    AssessmentKind,
    CapacityArea,
    EnrollmentStatus,
    IndicatorMethod,
    LegalForm,
    MilestoneKind,
    Role,
)
from db.models import MAX_COUNT
from tracker.errors import ValidationFailed

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")
_DATE_DMY = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
EARLIEST_FOUNDING = dt.date(1900, 1, 1)


def has_control_characters(value: str) -> bool:
    """Control characters other than tab and line breaks: never part of a text (and
    PostgreSQL refuses NUL in any)."""
    return _CONTROL.search(value) is not None


def _no_control(value: str) -> str:
    if has_control_characters(value):
        raise PydanticCustomError("control_characters", "contains control characters")
    return value


def _latvian_date(value: Any) -> Any:
    """Accept 14.03.2025 (as Latvian offices write it) besides ISO 2025-03-14."""
    if isinstance(value, str):
        match = _DATE_DMY.match(value)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise PydanticCustomError("not_date", "not a date") from None
    return value


def _decimal_comma(value: Any) -> Any:
    """Accept 1,5 (decimal comma) besides 1.5."""
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+,\d+\s*", value):
        return value.replace(",", ".")
    return value


def _empty_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def validate_reg_no(value: str) -> str:
    """An organisation's registration number: 11 digits, a legal entity, checksum-valid."""
    number = pvn.compact(value)
    if not re.fullmatch(r"\d{11}", number):
        raise PydanticCustomError("reg_no_format", "a registration number must be 11 digits")
    if number[0] <= "3":
        raise PydanticCustomError("reg_no_not_legal_entity", "not a legal entity's number")
    if pvn.checksum(number) != 3:
        raise PydanticCustomError("reg_no_checksum", "the check digit is wrong")
    try:
        pvn.validate(number)
    except InvalidChecksum:
        raise PydanticCustomError("reg_no_checksum", "the check digit is wrong") from None
    except StdnumError:
        raise PydanticCustomError("reg_no_format", "not a registration number") from None
    return number


def legal_entity_reg_nos(prefix: str = "40008") -> Iterator[str]:
    """Checksum-valid legal-entity numbers starting with `prefix`, in order (demo, tests).

    For each 10-digit stem the one last digit that makes the weighted sum 3 mod 11 is taken;
    stems for which no digit works are skipped.
    """
    free = 10 - len(prefix)
    for body in range(10**free):
        stem = f"{prefix}{body:0{free}d}"
        for digit in "0123456789":
            if pvn.checksum(stem + digit) == 3:
                yield stem + digit
                break


def _email(value: str) -> str:
    value = value.strip().lower()
    if not _EMAIL.match(value):
        raise PydanticCustomError("email_invalid", "not a valid e-mail address")
    return value


def _phone(value: str) -> str:
    if not _PHONE.match(value):
        raise PydanticCustomError("phone_invalid", "not a valid phone number")
    return value


def _not_future(value: dt.date) -> dt.date:
    if value > dt.date.today():  # noqa: DTZ011 - a calendar date, as the user sees it
        raise PydanticCustomError("date_in_future", "the date cannot be in the future")
    if value < EARLIEST_FOUNDING:
        raise PydanticCustomError("date_too_early", "too early", {"min_date": EARLIEST_FOUNDING})
    return value


def Text(max_length: int, min_length: int = 0) -> Any:
    """Bounded single-line or multi-line text without control characters."""
    return Annotated[str, Field(min_length=min_length, max_length=max_length),
                     AfterValidator(_no_control)]


Name = Annotated[str, Field(min_length=2, max_length=300), AfterValidator(_no_control)]
ShortText = Annotated[str, Field(max_length=200), AfterValidator(_no_control)]
LongText = Annotated[str, Field(max_length=5000), AfterValidator(_no_control)]
Count = Annotated[int, BeforeValidator(_empty_to_none), Field(ge=0, le=MAX_COUNT)]
Day = Annotated[dt.date, BeforeValidator(_latvian_date)]
RegNo = Annotated[str, AfterValidator(validate_reg_no)]
Email = Annotated[str, Field(max_length=254), AfterValidator(_no_control),
                  AfterValidator(_email)]
Phone = Annotated[str, Field(max_length=40), AfterValidator(_phone)]
Atvk = Annotated[str, Field(pattern=r"^\d{7}$")]
Money = Annotated[Decimal, BeforeValidator(_decimal_comma),
                  Field(ge=0, max_digits=14, decimal_places=2)]
Hours = Annotated[Decimal, BeforeValidator(_decimal_comma),
                  Field(gt=0, le=200, max_digits=5, decimal_places=2)]


class Schema(BaseModel):
    """Input models: strip spaces, refuse unknown fields, validate on assignment."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid",
                              validate_assignment=True, use_enum_values=False)


class ReadModel(BaseModel):
    """Output models: built from ORM rows, immutable."""

    model_config = ConfigDict(from_attributes=True, frozen=True)


S = TypeVar("S", bound=BaseModel)


def parse(model: type[S], data: dict[str, Any]) -> S:
    """Validate `data` into `model`, turning pydantic's errors into a ValidationFailed."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed.from_pydantic(exc) from None


# Organisations --------------------------------------------------------------------------------

class OrganizationFields(Schema):
    name: Name
    legal_form: LegalForm = LegalForm.ASSOCIATION
    municipality_atvk: Atvk | None = None
    fields_of_activity: list[Annotated[str, Field(min_length=1, max_length=60),
                                       AfterValidator(_no_control)]] = Field(
        default_factory=list, max_length=20)
    founded_on: Annotated[Day, AfterValidator(_not_future)] | None = None
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
        return _empty_to_none(value)


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

    @field_validator("municipality_atvk", "next_steps", "cohort_id", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return _empty_to_none(value)

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
    version: int
    deleted: bool = False


# Assessments and milestones -------------------------------------------------------------------

class AssessmentCreate(Schema):
    organization_id: int = Field(ge=1)
    cohort_id: int | None = Field(default=None, ge=1)
    kind: AssessmentKind
    assessed_on: Day
    scores: dict[CapacityArea, Annotated[int, Field(ge=1, le=4)]]
    notes: LongText | None = None

    @field_validator("scores")
    @classmethod
    def _all_areas(cls, value: dict[CapacityArea, int]) -> dict[CapacityArea, int]:
        missing = [a.value for a in CapacityArea if a not in value]
        if missing:
            raise PydanticCustomError("scores_incomplete", "all areas must be scored",
                                      {"missing": ", ".join(missing)})
        return value


class AssessmentRead(ReadModel):
    id: int
    organization_id: int
    cohort_id: int | None
    kind: AssessmentKind
    assessed_on: dt.date
    scores: dict[CapacityArea, int]
    capacity_index: Decimal
    notes: str | None
    version: int


class CapacityChange(ReadModel):
    """An organisation's capacity index at intake, latest, and the difference in points."""

    organization_id: int
    intake_index: Decimal | None
    intake_on: dt.date | None
    latest_index: Decimal | None
    latest_on: dt.date | None
    change: Decimal | None


class MilestoneCreate(Schema):
    organization_id: int = Field(ge=1)
    incubator_id: int | None = Field(default=None, ge=1)
    kind: MilestoneKind
    achieved_on: Day
    amount_eur: Money | None = None
    reference: ShortText | None = None
    description: LongText | None = None

    @field_validator("amount_eur", "reference", "description", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return _empty_to_none(value)


class MilestoneRead(ReadModel):
    id: int
    organization_id: int
    incubator_id: int | None
    kind: MilestoneKind
    achieved_on: dt.date
    amount_eur: Decimal | None
    reference: str | None
    description: str | None
    version: int


# Users, cohorts, targets ----------------------------------------------------------------------

MIN_PASSWORD_LENGTH = 4


class UserCreate(Schema):
    email: Email
    full_name: ShortText = ""
    role: Role
    incubator_code: Annotated[str, Field(max_length=40), AfterValidator(_no_control)] \
        | None = None
    # Kept exactly as typed (sign-in compares it unstripped).
    password: Annotated[str, StringConstraints(strip_whitespace=False, max_length=200)] | None \
        = None

    @model_validator(mode="after")
    def _staff_has_incubator(self) -> Self:
        if self.role is Role.STAFF and not self.incubator_code:
            raise PydanticCustomError("staff_needs_incubator", "staff need an incubator")
        if self.password is not None and len(self.password) < MIN_PASSWORD_LENGTH:
            raise PydanticCustomError("password_too_short", "the password is too short",
                                      {"min_length": MIN_PASSWORD_LENGTH})
        return self


class UserRead(ReadModel):
    id: int
    email: str
    full_name: str
    role: Role
    incubator_id: int | None
    is_active: bool
    version: int


# A cycle's dates: each must fall inside its incubator's programme (the services know the period).
COHORT_DATES = ("start_date", "end_date", "call_opens_on", "call_closes_on")
OptionalDay = Annotated[Day | None, BeforeValidator(_empty_to_none)]


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


class CohortCreate(Schema):
    incubator_id: int = Field(ge=1)
    number: int = Field(ge=1, le=100)
    name: Text(100, min_length=1)  # type: ignore[valid-type]
    start_date: Day
    end_date: Day
    seats: Count | None = None
    call_opens_on: OptionalDay = None
    call_closes_on: OptionalDay = None

    _call_dates = field_validator("call_opens_on", "call_closes_on")(_call_date)

    @model_validator(mode="after")
    def _order(self) -> Self:
        if self.end_date < self.start_date:
            raise PydanticCustomError("date_order", "end before start")
        return self


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
    value: Annotated[Decimal, BeforeValidator(_decimal_comma),
                     Field(ge=0, max_digits=14, decimal_places=2)]
    note: Text(1000) | None = None  # type: ignore[valid-type]


# Administration: accounts, incubators, cohorts, indicator targets -----------------------------

MAX_SEATS = 10_000  # the cohorts.seats check constraint


def _long_enough(value: str) -> str:
    if len(value) < MIN_PASSWORD_LENGTH:
        raise PydanticCustomError("password_too_short", "the password is too short",
                                  {"min_length": MIN_PASSWORD_LENGTH})
    return value


class UserUpdate(Schema):
    full_name: ShortText = ""
    role: Role
    incubator_code: Annotated[str, Field(max_length=40), AfterValidator(_no_control)] \
        | None = None
    version: int = Field(ge=1)

    @field_validator("incubator_code", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return _empty_to_none(value)

    @model_validator(mode="after")
    def _staff_has_incubator(self) -> Self:
        if self.role is Role.STAFF and not self.incubator_code:
            raise PydanticCustomError("staff_needs_incubator", "staff need an incubator")
        return self


class PasswordReset(Schema):
    # Not stripped or otherwise changed: the password is used exactly as typed.
    model_config = ConfigDict(str_strip_whitespace=False)

    password: Annotated[str, Field(max_length=200), AfterValidator(_long_enough)]


class UserDetail(UserRead):
    """An account as the administrators' list shows it (never the password hash)."""

    incubator_code: str | None = None
    has_password: bool = False
    last_login_at: dt.datetime | None = None
    locked: bool = False  # too many failed sign-ins, for a while


class IncubatorUpdate(Schema):
    name_lv: Text(200, min_length=2)  # type: ignore[valid-type]
    name_en: Text(200, min_length=2)  # type: ignore[valid-type]
    operator: ShortText | None = None
    budget_eur: Money | None = None
    start_date: Day
    end_date: Day
    version: int = Field(ge=1)

    @field_validator("operator", "budget_eur", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return _empty_to_none(value)

    @model_validator(mode="after")
    def _order(self) -> Self:
        if self.end_date < self.start_date:
            raise PydanticCustomError("date_order", "end before start")
        return self


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


class CohortUpdate(Schema):
    number: int = Field(ge=1, le=100)
    name: Text(100, min_length=1)  # type: ignore[valid-type]
    start_date: Day
    end_date: Day
    seats: Annotated[int, BeforeValidator(_empty_to_none), Field(ge=0, le=MAX_SEATS)] | None \
        = None
    call_opens_on: OptionalDay = None
    call_closes_on: OptionalDay = None
    version: int = Field(ge=1)

    _call_dates = field_validator("call_opens_on", "call_closes_on")(_call_date)

    @model_validator(mode="after")
    def _order(self) -> Self:
        if self.end_date < self.start_date:
            raise PydanticCustomError("date_order", "end before start")
        return self


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
    target_value: Annotated[Decimal, BeforeValidator(_decimal_comma),
                            Field(ge=0, max_digits=14, decimal_places=2)]
    version: int | None = Field(default=None, ge=1)

    @field_validator("incubator_id", "year", "version", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return _empty_to_none(value)


class TargetRead(ReadModel):
    id: int
    indicator_id: int
    incubator_id: int | None
    year: int | None
    target_value: Decimal
    version: int


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
