"""People: the person form's fields (also an import row's), the attendees ticked on an
activity, what is read back, and the one rule of which ESF+ data a person still lacks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from db.enums import Answer, Education, EmploymentStatus, Gender, PersonRole
from db.models import SENSITIVE_CHARACTERISTICS
from tracker import personal_codes
from tracker.schemas.common import (
    Atvk,
    Day,
    Email,
    Hours,
    Phone,
    ReadModel,
    Schema,
    Text,
    empty_to_none,
    not_future,
)

# What the ESF+ participants' report needs of every participant, in the order of the common
# indicators (Regulation (EU) 2021/1057, Annex I): a person lacking any is incomplete.
ESF_FIELDS = ("gender", "birth_date", "employment_status", "education",
              *SENSITIVE_CHARACTERISTICS)
PAST_DAY = Annotated[Day, AfterValidator(not_future)]
MAX_ATTENDEES = 1000


def missing_characteristics(person: Any) -> list[str]:
    """The ESF+ fields `person` (a row or a read model) has no answer for, in report order.
    An erased person's birth year stands for the birth date."""
    missing = []
    for name in ESF_FIELDS:
        value = getattr(person, name, None)
        if name == "birth_date" and value is None:
            value = getattr(person, "birth_year", None)
        if value is None or value == "":
            missing.append(name)
    return missing


class MembershipIn(Schema):
    organization_id: int = Field(ge=1)
    role: PersonRole = PersonRole.MEMBER


class PersonFields(Schema):
    first_name: Text(100, min_length=1)  # type: ignore[valid-type]
    last_name: Text(100, min_length=1)  # type: ignore[valid-type]
    birth_date: PAST_DAY | None = None
    gender: Gender | None = None
    memberships: list[MembershipIn] = Field(default_factory=list, max_length=20)
    municipality_atvk: Atvk | None = None
    email: Email | None = None
    phone: Phone | None = None
    consent_date: PAST_DAY
    consent_withdrawn: PAST_DAY | None = None
    employment_status: EmploymentStatus | None = None
    education: Education | None = None
    disability: Answer | None = None
    third_country_national: Answer | None = None
    foreign_background: Answer | None = None
    minority: Answer | None = None
    homeless: Answer | None = None
    rural: Answer | None = None
    # The code as typed (either format); checked and made compact here, encrypted by the
    # service. On an update None keeps the stored code (`clear_personal_code` removes it).
    personal_code: Text(20) | None = None  # type: ignore[valid-type]

    @field_validator("birth_date", "gender", "municipality_atvk", "email", "phone",
                     "consent_withdrawn", "employment_status", "education", "disability",
                     "third_country_national", "foreign_background", "minority", "homeless",
                     "rural", "personal_code", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return empty_to_none(value)

    @field_validator("consent_date", mode="before")
    @classmethod
    def _consent_required(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            raise PydanticCustomError("required", "the consent date is required")
        return value

    @field_validator("memberships")
    @classmethod
    def _one_role_per_organization(cls, value: list[MembershipIn]) -> list[MembershipIn]:
        if len({m.organization_id for m in value}) != len(value):
            raise PydanticCustomError("duplicate_organization", "listed twice")
        return value

    @field_validator("personal_code")
    @classmethod
    def _valid_code(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Either format, compact; an old-format code's birth date agrees with the birth
        date given (checked here, so the error names this field)."""
        if value is None:
            return None
        try:
            return personal_codes.validate(value, info.data.get("birth_date"))
        except personal_codes.CodeProblem as problem:
            raise PydanticCustomError(problem.code, "not a valid personal code") from None

    @field_validator("consent_withdrawn")
    @classmethod
    def _withdrawn_after_given(cls, value: dt.date | None, info: ValidationInfo
                               ) -> dt.date | None:
        given = info.data.get("consent_date")
        if value is not None and isinstance(given, dt.date) and value < given:
            raise PydanticCustomError("consent_withdrawn_before_given",
                                      "withdrawn before it was given")
        return value

    @model_validator(mode="after")
    def _birth_date_from_code(self) -> Self:
        """An old-format code holds the birth date: it fills an empty one."""
        if self.personal_code is not None and self.birth_date is None:
            self.__dict__["birth_date"] = personal_codes.code_birth_date(self.personal_code)
        return self


class PersonCreate(PersonFields):
    incubator_id: int = Field(ge=1)
    ref: Text(100, min_length=1)  # type: ignore[valid-type]


class PersonUpdate(PersonFields):
    version: int = Field(ge=1)
    clear_personal_code: bool = False


class AttendeeIn(Schema):
    """A person ticked on an activity; no hours: the whole activity."""

    person_id: int = Field(ge=1)
    hours: Hours | None = None

    @field_validator("hours", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return empty_to_none(value)


class AttendeeRead(ReadModel):
    person_id: int
    organization_id: int | None
    hours: Decimal | None


class MembershipRead(ReadModel):
    organization_id: int
    organization_name: str
    reg_no: str
    role: PersonRole


class PersonRead(ReadModel):
    """A person as lists and forms show them: the personal code masked, never whole."""

    id: int
    incubator_id: int
    ref: str
    first_name: str | None
    last_name: str | None
    personal_code: str  # masked: 161175-*****; empty: none
    birth_date: dt.date | None
    birth_year: int | None
    gender: Gender | None
    municipality_id: int | None
    municipality_atvk: str | None = None
    email: str | None
    phone: str | None
    consent_date: dt.date
    consent_withdrawn: dt.date | None
    employment_status: EmploymentStatus | None
    education: Education | None
    disability: Answer | None
    third_country_national: Answer | None
    foreign_background: Answer | None
    minority: Answer | None
    homeless: Answer | None
    rural: Answer | None
    memberships: list[MembershipRead]
    missing: list[str]
    erased: bool
    version: int

    @property
    def name(self) -> str:
        """`First Last`, or the reference for an erased person."""
        full = " ".join(p for p in (self.first_name, self.last_name) if p)
        return full or self.ref


class AttendedRead(ReadModel):
    """One activity a person attended, on their card."""

    activity_id: int
    activity_date: dt.date
    type: str
    title: str
    status: str
    hours: Decimal
    organization_id: int | None


class PersonCard(PersonRead):
    """A person's full record (its showing is audited) with what they attended."""

    attended: list[AttendedRead]
    trained_hours: Decimal
    trained: bool


class PersonOption(ReadModel):
    """A person offered for ticking on an activity: enough to recognise them."""

    id: int
    ref: str
    name: str
    organization_ids: list[int]
