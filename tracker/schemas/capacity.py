"""Capacity assessments and milestones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from db.enums import AssessmentKind, CapacityArea, MilestoneKind
from tracker.schemas.common import Day, LongText, Money, ReadModel, Schema, ShortText, empty_to_none

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
        return empty_to_none(value)

    @field_validator("kind")
    @classmethod
    def _not_an_opinion(cls, value: MilestoneKind) -> MilestoneKind:
        # Opinions are recorded in the civic-dialogue register, with their document.
        if value is MilestoneKind.OPINION_SUBMITTED:
            raise PydanticCustomError("opinion_in_register", "record it as an opinion")
        return value


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
