"""The civic-dialogue register: documents monitored and opinions submitted on them. The form,
the import and the services validate through these, so a rule is written once."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Self
from urllib.parse import urlsplit

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from db.enums import (
    ANSWERED_OUTCOMES,
    ActivityStatus,
    DocumentKind,
    DocumentLevel,
    OpinionChannel,
    OpinionOutcome,
)
from db.models import DOCUMENT_REF_MAX, TAP_NUMBER_PATTERN
from tracker.schemas.common import (
    Day,
    LongText,
    ReadModel,
    Schema,
    Text,
    empty_to_none,
    not_future,
)

TAP_NUMBER = re.compile(TAP_NUMBER_PATTERN)
# What a user means as a TAP number: digits, TA, and a dash around it (`24-TA-1427`,
# `2024-TA-1427`, `24-ta-`, `24TA-5`); such a reference must then be a well-formed one.
_LOOKS_LIKE_TAP = re.compile(r"^\d*\s*-?\s*TA\s*-", re.IGNORECASE)
TOPIC_MAX = 60
TOPICS_MAX = 20
MAX_AUTHORS = 200
TAP_EXAMPLE = "24-TA-1427"


def document_ref(value: str) -> str:
    """A document's reference: a TAP number (kept upper-case) or the programme's own."""
    ref = " ".join(value.split())
    if _LOOKS_LIKE_TAP.match(ref):
        ref = ref.upper()
        if not TAP_NUMBER.match(ref):
            raise PydanticCustomError("tap_number_format", "not a well-formed TAP number",
                                      {"example": TAP_EXAMPLE})
    return ref


def is_tap_number(ref: str) -> bool:
    return TAP_NUMBER.match(ref) is not None


def web_link(value: str) -> str:
    """An http or https address with a host; nothing else is ever a link on a page."""
    link = value.strip()
    parts = urlsplit(link)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or \
            any(c.isspace() for c in link):
        raise PydanticCustomError("url_scheme", "not an http or https address")
    return parts.scheme.lower() + link[len(parts.scheme):]


def split_topics(value: Any) -> Any:
    """Topics as typed (`environment; youth`) or as a list: trimmed, each once, in order."""
    if value is None:
        return []
    items = value.split(";") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        return value
    seen: list[str] = []
    for item in items:
        topic = " ".join(str(item).split())
        if topic and topic.casefold() not in {s.casefold() for s in seen}:
            seen.append(topic)
    return seen


def join_topics(topics: list[str]) -> str | None:
    return "; ".join(topics) or None


def topics_of(stored: str | None) -> list[str]:
    return [t.strip() for t in (stored or "").split(";") if t.strip()]


class DocumentFields(Schema):
    ref: Text(DOCUMENT_REF_MAX, min_length=2)  # type: ignore[valid-type]
    title: Text(500, min_length=3)  # type: ignore[valid-type]
    institution: Text(300, min_length=2)  # type: ignore[valid-type]
    kind: DocumentKind
    level: DocumentLevel
    published_on: Day | None = None
    deadline: Day | None = None
    adopted_on: Day | None = None
    url: Text(1000) | None = None  # type: ignore[valid-type]
    topics: list[Text(TOPIC_MAX)] = Field(  # type: ignore[valid-type]
        default_factory=list, max_length=TOPICS_MAX)
    note: LongText | None = None  # internal: never shown to funders

    @field_validator("published_on", "deadline", "adopted_on", "url", "note", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return empty_to_none(value)

    @field_validator("ref")
    @classmethod
    def _ref(cls, value: str) -> str:
        return document_ref(value)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return None if value is None else web_link(value)

    @field_validator("topics", mode="before")
    @classmethod
    def _topics(cls, value: Any) -> Any:
        return split_topics(value)

    @field_validator("topics")
    @classmethod
    def _topics_fit(cls, value: list[str]) -> list[str]:
        if len(join_topics(value) or "") > 500:
            raise PydanticCustomError("too_long", "too long", {"max_length": 500})
        return value

    @field_validator("deadline", "adopted_on")
    @classmethod
    def _after_publication(cls, value: dt.date | None, info: ValidationInfo
                           ) -> dt.date | None:
        published = info.data.get("published_on")
        if value is not None and isinstance(published, dt.date) and value < published:
            raise PydanticCustomError("before_published", "before the document was published",
                                      {"published_on": published.isoformat()})
        return value


class DocumentCreate(DocumentFields):
    # Who monitors it from when: staff their own incubator (None: theirs), managers any
    # incubator or the programme itself (None). Not given: from today.
    incubator_id: int | None = Field(default=None, ge=1)
    monitored_from: Day | None = None

    @field_validator("incubator_id", "monitored_from", mode="before")
    @classmethod
    def _blank_monitoring(cls, value: Any) -> Any:
        return empty_to_none(value)


class DocumentUpdate(DocumentFields):
    version: int = Field(ge=1)


class MonitoringIn(Schema):
    incubator_id: int | None = Field(default=None, ge=1)
    monitored_from: Day


class AnswerFields(Schema):
    """When an opinion went in and what became of it: an answer carries its date, never
    before the opinion nor in the future; pending and no answer carry none."""

    submitted_on: Day
    outcome: OpinionOutcome = OpinionOutcome.PENDING
    answered_on: Day | None = None

    @field_validator("answered_on", mode="before")
    @classmethod
    def _blank_answer(cls, value: Any) -> Any:
        return empty_to_none(value)

    @field_validator("submitted_on")
    @classmethod
    def _submitted(cls, value: dt.date) -> dt.date:
        return not_future(value)

    @field_validator("answered_on")
    @classmethod
    def _answered(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        if value is None:
            return None
        not_future(value)
        submitted = info.data.get("submitted_on")
        if isinstance(submitted, dt.date) and value < submitted:
            raise PydanticCustomError("answer_before_opinion", "before the opinion",
                                      {"submitted_on": submitted.isoformat()})
        return value

    @model_validator(mode="after")
    def _answer_date(self) -> Self:
        answered = self.outcome in ANSWERED_OUTCOMES
        if answered and self.answered_on is None:
            raise PydanticCustomError("answer_date_required", "the answer's date is needed")
        if not answered and self.answered_on is not None:
            raise PydanticCustomError("answer_date_not_expected", "no answer, no date")
        return self


class OpinionFields(AnswerFields):
    document_id: int = Field(ge=1)
    organization_ids: list[int] = Field(min_length=1, max_length=MAX_AUTHORS)
    channel: OpinionChannel
    summary: Text(5000, min_length=3)  # type: ignore[valid-type]
    note: LongText | None = None  # internal: never shown to funders

    @field_validator("note", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return empty_to_none(value)

    @field_validator("organization_ids")
    @classmethod
    def _authors(cls, value: list[int]) -> list[int]:
        if any(i < 1 for i in value):
            raise PydanticCustomError("invalid", "not an organisation")
        if len(set(value)) != len(value):
            raise PydanticCustomError("duplicate_organization", "listed twice")
        return sorted(value)


class OpinionCreate(OpinionFields):
    # staff: their own incubator (None: theirs); managers: any, or None for the programme's own
    incubator_id: int | None = Field(default=None, ge=1)
    status: ActivityStatus = ActivityStatus.SUBMITTED
    external_ref: Text(100) | None = None  # type: ignore[valid-type]

    @field_validator("incubator_id", "external_ref", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return empty_to_none(value)


class OpinionUpdate(OpinionFields):
    version: int = Field(ge=1)


class MonitoringRead(ReadModel):
    incubator_id: int | None
    incubator_code: str | None  # None: the programme itself
    monitored_from: dt.date


class DocumentRead(ReadModel):
    id: int
    ref: str
    is_tap: bool
    title: str
    institution: str | None
    kind: DocumentKind
    level: DocumentLevel
    published_on: dt.date | None
    deadline: dt.date | None
    adopted_on: dt.date | None
    url: str | None
    topics: list[str]
    note: str | None  # None for funders, whatever is stored
    monitoring: list[MonitoringRead]
    opinions: int  # counted opinions on it the reader may see
    version: int
    deleted: bool = False


class AuthorRead(ReadModel):
    organization_id: int
    name: str
    reg_no: str


class OpinionRead(ReadModel):
    id: int
    incubator_id: int | None
    document_id: int
    document_ref: str
    document_title: str
    external_ref: str | None
    submitted_on: dt.date
    channel: OpinionChannel | None
    summary: str
    outcome: OpinionOutcome
    answered_on: dt.date | None
    note: str | None
    status: ActivityStatus
    review_comment: str | None
    submitted_at: dt.datetime | None
    author_id: int | None
    authors: list[AuthorRead]
    evidence: str | None  # the evidence file's name, None: none
    version: int
    deleted: bool = False

