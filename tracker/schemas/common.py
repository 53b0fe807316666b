"""What every schema shares: the base classes, the field types (dates as Latvian offices write
them, decimal commas, registration numbers, e-mails, phones) and their checks."""

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
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.lv import pvn

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


def no_control(value: str) -> str:
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


def decimal_comma(value: Any) -> Any:
    """Accept 1,5 (decimal comma) besides 1.5."""
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+,\d+\s*", value):
        return value.replace(",", ".")
    return value


def empty_to_none(value: Any) -> Any:
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


def not_future(value: dt.date) -> dt.date:
    if value > dt.date.today():  # noqa: DTZ011 - a calendar date, as the user sees it
        raise PydanticCustomError("date_in_future", "the date cannot be in the future")
    if value < EARLIEST_FOUNDING:
        raise PydanticCustomError("date_too_early", "too early", {"min_date": EARLIEST_FOUNDING})
    return value


def Text(max_length: int, min_length: int = 0) -> Any:
    """Bounded single-line or multi-line text without control characters."""
    return Annotated[str, Field(min_length=min_length, max_length=max_length),
                     AfterValidator(no_control)]


Name = Annotated[str, Field(min_length=2, max_length=300), AfterValidator(no_control)]
ShortText = Annotated[str, Field(max_length=200), AfterValidator(no_control)]
LongText = Annotated[str, Field(max_length=5000), AfterValidator(no_control)]
Count = Annotated[int, BeforeValidator(empty_to_none), Field(ge=0, le=MAX_COUNT)]
Day = Annotated[dt.date, BeforeValidator(_latvian_date)]
RegNo = Annotated[str, AfterValidator(validate_reg_no)]
Email = Annotated[str, Field(max_length=254), AfterValidator(no_control),
                  AfterValidator(_email)]
Phone = Annotated[str, Field(max_length=40), AfterValidator(_phone)]
Atvk = Annotated[str, Field(pattern=r"^\d{7}$")]
Money = Annotated[Decimal, BeforeValidator(decimal_comma),
                  Field(ge=0, max_digits=14, decimal_places=2)]
Hours = Annotated[Decimal, BeforeValidator(decimal_comma),
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


class Period(Schema):
    """A first and a last day, the last never before the first (incubators, cycles)."""

    start_date: Day
    end_date: Day

    @model_validator(mode="after")
    def _order(self) -> Self:
        if self.end_date < self.start_date:
            raise PydanticCustomError("date_order", "end before start")
        return self
