"""Accounts: creating, changing and reading users."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from db.enums import Role
from tracker.schemas.common import Email, ReadModel, Schema, ShortText, empty_to_none, no_control

# Users, cohorts, targets ----------------------------------------------------------------------

MIN_PASSWORD_LENGTH = 4


class UserCreate(Schema):
    email: Email
    full_name: ShortText = ""
    role: Role
    incubator_code: Annotated[str, Field(max_length=40), AfterValidator(no_control)] \
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


# Administration: accounts, incubators, cohorts, indicator targets -----------------------------



def _long_enough(value: str) -> str:
    if len(value) < MIN_PASSWORD_LENGTH:
        raise PydanticCustomError("password_too_short", "the password is too short",
                                  {"min_length": MIN_PASSWORD_LENGTH})
    return value


class UserUpdate(Schema):
    full_name: ShortText = ""
    role: Role
    incubator_code: Annotated[str, Field(max_length=40), AfterValidator(no_control)] \
        | None = None
    version: int = Field(ge=1)

    @field_validator("incubator_code", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return empty_to_none(value)

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
