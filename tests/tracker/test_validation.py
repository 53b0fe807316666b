"""Every validation rule: a table of bad inputs, the field each names, and the message in LV/EN."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import BaseModel

from tracker.errors import ValidationFailed
from tracker.schemas import (
    ActivityCreate,
    AssessmentCreate,
    CohortCreate,
    EnrollmentStatusChange,
    MilestoneCreate,
    OrganizationCreate,
    UserCreate,
    parse,
    validate_reg_no,
)

GOOD_ORG: dict[str, Any] = {"reg_no": "40008000009", "name": "Biedrība “Ābeles”"}
GOOD_ACTIVITY: dict[str, Any] = {
    "incubator_id": 1, "type": "training", "title": "Projektu rakstīšana",
    "activity_date": "2025-03-14", "hours": "3", "total_participants": 10,
    "participations": [{"organization_id": 1, "attendees": 2}],
}
SCORES = {a: 2 for a in ("governance", "strategy", "finance", "people", "delivery",
                         "communication", "advocacy")}
GOOD_ASSESSMENT: dict[str, Any] = {"organization_id": 1, "kind": "intake",
                                   "assessed_on": "2025-02-01", "scores": SCORES}
GOOD_MILESTONE: dict[str, Any] = {"organization_id": 1, "kind": "grant_awarded",
                                  "achieved_on": "2025-05-05"}
GOOD_USER: dict[str, Any] = {"email": "a@b.lv", "role": "manager"}
GOOD_COHORT: dict[str, Any] = {"incubator_id": 1, "number": 1, "name": "1. cikls",
                               "start_date": "2025-02-01", "end_date": "2025-12-15"}

# (schema, good data, changes, field, code, Latvian fragment, English fragment)
CASES: list[tuple[type[BaseModel], dict[str, Any], dict[str, Any], str, str, str, str]] = [
    (OrganizationCreate, GOOD_ORG, {"reg_no": "4000800000"}, "reg_no", "reg_no_format",
     "11 cipariem", "11 digits"),
    (OrganizationCreate, GOOD_ORG, {"reg_no": "4000800000X"}, "reg_no", "reg_no_format",
     "11 cipariem", "11 digits"),
    (OrganizationCreate, GOOD_ORG, {"reg_no": "40008000008"}, "reg_no", "reg_no_checksum",
     "kontrolcipars", "check digit"),
    (OrganizationCreate, GOOD_ORG, {"reg_no": "32867300679"}, "reg_no",
     "reg_no_not_legal_entity", "juridiskas personas", "legal entity"),
    (OrganizationCreate, GOOD_ORG, {"reg_no": None}, "reg_no", "not_text", "tekstam", "text"),
    (OrganizationCreate, GOOD_ORG, {"name": "A"}, "name", "too_short", "vismaz 2",
     "at least 2"),
    (OrganizationCreate, GOOD_ORG, {"name": "x" * 301}, "name", "too_long", "300", "300"),
    (OrganizationCreate, GOOD_ORG, {"name": "Biedrība\x00"}, "name", "control_characters",
     "vadības", "control"),
    (OrganizationCreate, GOOD_ORG, {"legal_form": "company"}, "legal_form", "not_allowed",
     "nav atļauta", "not an allowed"),
    (OrganizationCreate, GOOD_ORG, {"members": -1}, "members", "min_value", "vismaz 0",
     "at least 0"),
    (OrganizationCreate, GOOD_ORG, {"volunteers": 10_000_001}, "volunteers", "max_value",
     "ne vairāk kā", "at most"),
    (OrganizationCreate, GOOD_ORG, {"employees": "daudz"}, "employees", "not_integer",
     "veselam skaitlim", "whole number"),
    (OrganizationCreate, GOOD_ORG, {"founded_on": "2099-01-01"}, "founded_on",
     "date_in_future", "nākotnē", "future"),
    (OrganizationCreate, GOOD_ORG, {"founded_on": "1850-01-01"}, "founded_on",
     "date_too_early", "01.01.1900", "1900"),
    (OrganizationCreate, GOOD_ORG, {"founded_on": "31.02.2020"}, "founded_on", "not_date",
     "datumam", "a date"),
    (OrganizationCreate, GOOD_ORG, {"contact_email": "anna(at)example.lv"}, "contact_email",
     "email_invalid", "e-pasta", "e-mail"),
    (OrganizationCreate, GOOD_ORG, {"contact_phone": "zvaniet"}, "contact_phone",
     "phone_invalid", "tālruņa", "phone"),
    (OrganizationCreate, GOOD_ORG, {"municipality_atvk": "12"}, "municipality_atvk",
     "invalid", "nederīga", "not valid"),
    (OrganizationCreate, GOOD_ORG, {"colour": "zaļš"}, "colour", "unknown_field",
     "nezināms lauks", "not a known field"),
    (ActivityCreate, GOOD_ACTIVITY, {"type": "party"}, "type", "not_allowed", "nav atļauta",
     "not an allowed"),
    (ActivityCreate, GOOD_ACTIVITY, {"format": "telepathy"}, "format", "not_allowed",
     "nav atļauta", "not an allowed"),
    (ActivityCreate, GOOD_ACTIVITY, {"title": "ab"}, "title", "too_short", "vismaz 3",
     "at least 3"),
    (ActivityCreate, GOOD_ACTIVITY, {"hours": "0"}, "hours", "gt_value", "lielākam par 0",
     "greater than 0"),
    (ActivityCreate, GOOD_ACTIVITY, {"hours": "250"}, "hours", "max_value", "200", "200"),
    (ActivityCreate, GOOD_ACTIVITY, {"hours": "1,234"}, "hours", "too_many_decimals",
     "aiz komata", "decimal places"),
    (ActivityCreate, GOOD_ACTIVITY, {"activity_date": "vakar"}, "activity_date", "not_date",
     "datumam", "a date"),
    (ActivityCreate, GOOD_ACTIVITY, {"total_participants": -5}, "total_participants",
     "min_value", "vismaz 0", "at least 0"),
    (ActivityCreate, GOOD_ACTIVITY, {"total_participants": 1}, "total_participants",
     "attendees_exceed_total", "(2)", "add up to 2"),
    (ActivityCreate, GOOD_ACTIVITY, {"participations": [
        {"organization_id": 1, "attendees": 1}, {"organization_id": 1, "attendees": 1}]},
     "participations", "duplicate_organization", "vairāk nekā vienu reizi", "more than once"),
    (ActivityCreate, GOOD_ACTIVITY, {"participations": [{"organization_id": 1, "attendees": 0}]},
     "participations.0.attendees", "min_value", "vismaz 1", "at least 1"),
    (ActivityCreate, GOOD_ACTIVITY, {"capacity_areas": ["finance", "finance"]},
     "capacity_areas", "duplicate_area", "vairāk nekā vienu reizi", "more than once"),
    (ActivityCreate, GOOD_ACTIVITY, {"capacity_areas": ["cooking"]}, "capacity_areas.0",
     "not_allowed", "nav atļauta", "not an allowed"),
    (ActivityCreate, GOOD_ACTIVITY, {"incubator_id": None}, "incubator_id", "not_integer",
     "veselam", "whole number"),
    (AssessmentCreate, GOOD_ASSESSMENT, {"scores": SCORES | {"finance": 5}}, "scores.finance",
     "max_value", "ne vairāk kā 4", "at most 4"),
    (AssessmentCreate, GOOD_ASSESSMENT, {"scores": SCORES | {"finance": 0}}, "scores.finance",
     "min_value", "vismaz 1", "at least 1"),
    (AssessmentCreate, GOOD_ASSESSMENT,
     {"scores": {k: v for k, v in SCORES.items() if k != "advocacy"}}, "scores",
     "scores_incomplete", "advocacy", "advocacy"),
    (AssessmentCreate, GOOD_ASSESSMENT, {"kind": "yearly"}, "kind", "not_allowed",
     "nav atļauta", "not an allowed"),
    (MilestoneCreate, GOOD_MILESTONE, {"amount_eur": "-10"}, "amount_eur", "min_value",
     "vismaz 0", "at least 0"),
    (MilestoneCreate, GOOD_MILESTONE, {"kind": "party"}, "kind", "not_allowed", "nav atļauta",
     "not an allowed"),
    (MilestoneCreate, GOOD_MILESTONE, {"reference": "x" * 201}, "reference", "too_long", "200",
     "200"),
    (UserCreate, GOOD_USER, {"email": "nav-epasts"}, "email", "email_invalid", "e-pasta",
     "e-mail"),
    (UserCreate, GOOD_USER, {"role": "king"}, "role", "not_allowed", "nav atļauta",
     "not an allowed"),
    (UserCreate, GOOD_USER, {"role": "staff"}, "incubator_code", "staff_needs_incubator",
     "inkubators",
     "incubator"),
    (UserCreate, GOOD_USER, {"password": "abc"}, "password", "password_too_short", "vismaz 4",
     "at least 4"),
    # control characters (PostgreSQL refuses NUL in any text; they are never part of one)
    (UserCreate, GOOD_USER, {"email": "anna\x00@test.lv"}, "email", "control_characters",
     "vadības rakstzīmes", "control characters"),
    (UserCreate, GOOD_USER, {"role": "staff", "incubator_code": "VIDZEME\x00"},
     "incubator_code", "control_characters", "vadības rakstzīmes", "control characters"),
    (OrganizationCreate, GOOD_ORG, {"contact_email": "anna\x1b@test.lv"}, "contact_email",
     "control_characters", "vadības rakstzīmes", "control characters"),
    (CohortCreate, GOOD_COHORT, {"end_date": "2025-01-01"}, "end_date", "date_order",
     "pirms sākuma", "before the start"),
    (CohortCreate, GOOD_COHORT, {"seats": -1}, "seats", "min_value", "vismaz 0", "at least 0"),
    (EnrollmentStatusChange, {"status": "admitted", "on_date": "2025-03-01", "version": 1},
     {"status": "promoted"}, "status", "not_allowed", "nav atļauta", "not an allowed"),
]


GOOD_INPUTS = list({(c[0].__name__, id(c[1])): (c[0], c[1]) for c in CASES}.values())


@pytest.mark.parametrize(("schema", "good"), GOOD_INPUTS, ids=[s.__name__ for s, _ in GOOD_INPUTS])
def test_good_inputs_pass(schema: type[BaseModel], good: dict[str, Any]) -> None:
    parse(schema, good)


@pytest.mark.parametrize(("schema", "good", "changes", "field", "code", "lv", "en"), CASES,
                         ids=[f"{c[0].__name__}-{c[4]}-{c[3]}" for c in CASES])
def test_bad_input_names_field_in_both_languages(
        schema: type[BaseModel], good: dict[str, Any], changes: dict[str, Any], field: str,
        code: str, lv: str, en: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse(schema, good | changes)
    found = [(e.field, e.code) for e in exc.value.errors]
    assert (field, code) in found, found
    error = next(e for e in exc.value.errors if (e.field, e.code) == (field, code))
    assert lv in error.message("lv"), error.message("lv")
    assert en in error.message("en"), error.message("en")
    # The whole message starts with the field's name, in each language.
    assert exc.value.message("lv").startswith(error.label("lv"))
    assert exc.value.message("en").startswith(error.label("en"))


def test_many_errors_are_reported_together() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse(OrganizationCreate, {"reg_no": "1", "name": "", "members": -3})
    assert {e.field for e in exc.value.errors} == {"reg_no", "name", "members"}


def test_row_numbers_are_one_based_in_messages() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse(ActivityCreate, GOOD_ACTIVITY | {"participations": [
            {"organization_id": 1, "attendees": 1}, {"organization_id": 2, "attendees": -1}]})
    assert exc.value.errors[0].describe("lv").startswith("Apmeklētāji (#2)")
    assert exc.value.errors[0].describe("en").startswith("Attendees (#2)")


@pytest.mark.parametrize("raw", ["40008000009", "LV40008000009", " 4000 8000 009 ",
                                 "40008-000009"])
def test_registration_number_forms(raw: str) -> None:
    assert validate_reg_no(raw) == "40008000009"


def test_latvian_forms_of_dates_and_decimals() -> None:
    activity = parse(ActivityCreate, GOOD_ACTIVITY | {"activity_date": "14.03.2025",
                                                      "hours": "1,5", "title": "  Seminārs  "})
    assert activity.activity_date == dt.date(2025, 3, 14)
    assert str(activity.hours) == "1.5"
    assert activity.title == "Seminārs"
