"""Named domain errors; each knows how to say what went wrong in Latvian and English."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from pydantic import ValidationError

from tracker.i18n import DEFAULT_LANGUAGE, field_label, format_date, t


def _display(params: dict[str, Any], lang: str) -> dict[str, Any]:
    return {k: format_date(v, lang) if isinstance(v, dt.date) else v for k, v in params.items()}


class TrackerError(Exception):
    """Base of the errors a user can be shown; `message(lang)` is the text for them."""

    code = "invalid"

    def __init__(self, **params: Any) -> None:
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return t(f"error.{self.code}", lang, **_display(self.params, lang))


class PermissionDenied(TrackerError):
    code = "permission_denied"


class NotFound(TrackerError):
    code = "not_found"

    def __init__(self, entity: str, id: object) -> None:
        self.entity = entity
        super().__init__(entity=entity, id=id)

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return t("error.not_found", lang, entity=t(f"entity.{self.entity}", lang),
                 id=self.params["id"])


class StaleVersion(TrackerError):
    code = "stale_version"


class Deleted(TrackerError):
    code = "deleted"


class DuplicateRegNo(TrackerError):
    code = "duplicate_reg_no"


class DuplicateExternalRef(TrackerError):
    code = "duplicate_external_ref"


class DuplicateEnrollment(TrackerError):
    code = "duplicate_enrollment"


class DuplicateEmail(TrackerError):
    code = "duplicate_email"


class NotAllowed(TrackerError):
    """A step the activity's status, its author or a closed quarter does not allow now
    (tracker.services.review); `reason` names which, e.g. `approved` or `quarter_closed`."""

    def __init__(self, reason: str, **params: Any) -> None:
        self.reason = reason
        self.code = f"not_allowed.{reason}"
        super().__init__(**params)


class InvalidTransition(TrackerError):
    code = "invalid_transition"

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        from db.enums import EnrollmentStatus
        from tracker.i18n import label

        return t("error.invalid_transition", lang,
                 current=label(EnrollmentStatus(self.params["current"]), lang),
                 target=label(EnrollmentStatus(self.params["target"]), lang))


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: `field` is a dotted path such as `participations.2.attendees`."""

    field: str
    code: str
    params: dict[str, Any] = dataclass_field(default_factory=dict)

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return t(f"error.{self.code}", lang, **_display(self.params, lang))

    def label(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The field's display name, with the row number for list items (1-based)."""
        parts = self.field.split(".")
        names = [p for p in parts if not p.isdigit()]
        rows = [str(int(p) + 1) for p in parts if p.isdigit()]
        text = field_label(names[-1] if names else self.field, lang)
        if rows:
            text += f" (#{', #'.join(rows)})"
        return text

    def describe(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """`Field: what is wrong`, ready for a form or a report."""
        return f"{self.label(lang)}: {self.message(lang)}"


class ValidationFailed(TrackerError):
    """One or more fields are wrong; nothing was written."""

    code = "validation"

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__()

    def __str__(self) -> str:
        return "; ".join(e.describe("en") for e in self.errors)

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return "; ".join(e.describe(lang) for e in self.errors) if self.errors else \
            t("error.validation", lang)

    def for_field(self, name: str) -> list[FieldError]:
        return [e for e in self.errors if e.field == name or e.field.endswith("." + name)]

    @classmethod
    def single(cls, field_name: str, code: str, **params: Any) -> ValidationFailed:
        return cls([FieldError(field_name, code, params)])

    @classmethod
    def from_pydantic(cls, exc: ValidationError) -> ValidationFailed:
        return cls([_from_pydantic_error(e) for e in exc.errors()])


# pydantic's error types -> catalogue codes (and which context values the message uses)
_PYDANTIC_CODES: dict[str, str] = {
    "missing": "required",
    "string_too_short": "too_short",
    "too_short": "too_short",
    "string_too_long": "too_long",
    "too_long": "too_long",
    "greater_than_equal": "min_value",
    "less_than_equal": "max_value",
    "greater_than": "gt_value",
    "less_than": "lt_value",
    "int_parsing": "not_integer",
    "int_from_float": "not_integer",
    "int_type": "not_integer",
    "float_parsing": "not_number",
    "float_type": "not_number",
    "decimal_parsing": "not_number",
    "decimal_type": "not_number",
    "finite_number": "not_number",
    "decimal_max_digits": "too_many_decimals",
    "decimal_max_places": "too_many_decimals",
    "decimal_whole_digits": "max_value",
    "date_parsing": "not_date",
    "date_from_datetime_parsing": "not_date",
    "date_from_datetime_inexact": "not_date",
    "date_type": "not_date",
    "bool_parsing": "not_boolean",
    "bool_type": "not_boolean",
    "string_type": "not_text",
    "list_type": "not_list",
    "enum": "not_allowed",
    "literal_error": "not_allowed",
    "extra_forbidden": "unknown_field",
}


# Checks across fields are reported next to the field a user would correct.
_MODEL_LEVEL_FIELDS = {
    "attendees_exceed_total": "total_participants",
    "duplicate_organization": "participations",
    "staff_needs_incubator": "incubator_code",
    "password_too_short": "password",
    "date_order": "end_date",
    "answer_date_required": "answered_on",
    "answer_date_not_expected": "answered_on",
}


# Shown next to the number the user would change rather than the list it was found in.
_MOVED_TO_FIELD = {"attendees_exceed_total": "total_participants"}


def _from_pydantic_error(error: Any) -> FieldError:
    loc = ".".join(str(p) for p in error.get("loc", ()) if not str(p).startswith("function-"))
    kind = str(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})
    code = _PYDANTIC_CODES.get(kind, kind)
    if code not in _known_codes():
        code = "invalid"
    params: dict[str, Any] = {}
    if code == "too_short":
        params["min_length"] = ctx.get("min_length", "")
    elif code == "too_long":
        params["max_length"] = ctx.get("max_length", "")
    elif code in ("min_value", "max_value", "gt_value", "lt_value"):
        key = {"min_value": "ge", "max_value": "le", "gt_value": "gt", "lt_value": "lt"}[code]
        params[key] = ctx.get(key, "")
        if kind == "decimal_whole_digits":
            params["le"] = "9" * int(ctx.get("whole_digits", 1))
    elif code == "not_allowed":
        params["expected"] = str(ctx.get("expected", "")).replace("'", "")
    else:
        params = {k: v for k, v in ctx.items() if k != "error"}
    if code in _MOVED_TO_FIELD:
        loc = _MOVED_TO_FIELD[code]
    return FieldError(loc or _MODEL_LEVEL_FIELDS.get(code, "value"), code, params)


def _known_codes() -> set[str]:
    from tracker.i18n import CATALOGUE

    return {k.removeprefix("error.") for k in CATALOGUE if k.startswith("error.")}


class DuplicatePerson(TrackerError):
    """The personal code is already someone else's; `where` says whose, when the actor may
    know (their own incubator), else the message says only that another incubator has it."""

    code = "duplicate_person"

    def __init__(self, where: str | None = None) -> None:
        if where is None:
            self.code = "duplicate_person_elsewhere"
        super().__init__(where=where or "")


class DuplicatePersonRef(TrackerError):
    code = "duplicate_person_ref"


class PersonHasAttendance(TrackerError):
    code = "person_has_attendance"


class DocumentRefTaken(TrackerError):
    code = "document_ref_taken"


class DocumentHasOpinions(TrackerError):
    code = "document_has_opinions"


class OpinionRefTaken(TrackerError):
    code = "opinion_ref_taken"
