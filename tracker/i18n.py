"""The one catalogue of user-facing text, in Latvian (default) and English."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from babel.dates import format_date as _babel_format_date
from babel.numbers import format_decimal as _babel_format_decimal

from tracker.catalogue import merged_catalogue

Language = Literal["lv", "en"]
LANGUAGES: tuple[Language, ...] = ("lv", "en")
DEFAULT_LANGUAGE: Language = "lv"

CATALOGUE = merged_catalogue()

ENUM_KEYS: dict[str, str] = {
    "Role": "role",
    "LegalForm": "legal_form",
    "EnrollmentStatus": "enrollment_status",
    "ActivityType": "activity_type",
    "ActivityFormat": "activity_format",
    "ActivityStatus": "activity_status",
    "CapacityArea": "capacity_area",
    "AssessmentKind": "assessment_kind",
    "MilestoneKind": "milestone_kind",
    "IndicatorMethod": "indicator_method",
    "Gender": "gender",
    "PersonRole": "person_role",
    "EmploymentStatus": "employment_status",
    "Education": "education",
    "Answer": "answer",
    "DocumentKind": "document_kind",
    "DocumentLevel": "document_level",
    "OpinionChannel": "opinion_channel",
    "OpinionOutcome": "opinion_outcome",
}


def normalise_language(value: str | None) -> Language:
    """`lv` or `en`; anything else falls back to Latvian."""
    return "en" if (value or "").strip().lower().startswith("en") else "lv"


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: Any) -> str:
    """The text for `key` in `lang`, with `params` filled in; a missing key raises KeyError."""
    text = CATALOGUE[key][0 if normalise_language(lang) == "lv" else 1]
    return text.format(**params) if params else text


def label(member: StrEnum, lang: str = DEFAULT_LANGUAGE) -> str:
    """The display name of an enum value, e.g. ActivityType.TRAINING -> 'apmācība'."""
    return t(f"enum.{ENUM_KEYS[type(member).__name__]}.{member.value}", lang)


# Latvian alphabetical order: each letter with a diacritic right after its base letter.
_LV_ALPHABET = "aābcčdeēfgģhiījkķlļmnņoprsštuūvzž"
_LV_RANK = {c: i for i, c in enumerate(_LV_ALPHABET)}


def latvian_sort_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key for Latvian: ā after a, č after c, ... ž after z; case and quotes ignored."""
    key: list[tuple[int, int | str]] = []
    for char in text.casefold():
        if char in _LV_RANK:
            key.append((1, _LV_RANK[char]))
        elif char.isdigit():
            key.append((0, char))
        elif char.isalpha():
            key.append((2, char))
        # punctuation and quotes („“”) do not decide the order
    return tuple(key)


def field_label(field: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The display name of a schema field; unknown fields show as they are."""
    key = f"field.{field}"
    return t(key, lang) if key in CATALOGUE else field


def format_date(value: dt.date | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """dd.mm.yyyy in Latvian, ISO-like d MMM yyyy in English."""
    if value is None:
        return ""
    if normalise_language(lang) == "lv":
        return value.strftime("%d.%m.%Y")
    return _babel_format_date(value, format="medium", locale="en_GB")


def format_number(value: float | int, lang: str = DEFAULT_LANGUAGE, digits: int = 0) -> str:
    """A number with the language's separators (1 234,5 in Latvian)."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    locale = "lv_LV" if normalise_language(lang) == "lv" else "en_GB"
    return str(_babel_format_decimal(value, format=pattern, locale=locale))
