"""The civic-dialogue register (migration 0012): the draft policy documents and legal acts the
incubators follow, who monitors each since when, and the opinions organisations submitted on
them with their outcome.

A document is the programme's, not an incubator's: several incubators may monitor one
(`document_monitoring`, incubator NULL: the programme itself, as the figures typed in by hand
before the register were). An opinion belongs to an incubator (NULL: the programme's own,
managers' only), goes through the same review as activities, and may have several authors (a
joint opinion counts once as an opinion and once for each organisation).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.enums import (
    ANSWERED_OUTCOMES,
    ActivityStatus,
    DocumentKind,
    DocumentLevel,
    OpinionChannel,
    OpinionOutcome,
    values,
)
from db.models.activities import ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES
from db.models.base import Base, Versioned, in_list, utcnow
from db.search import search_key

DOCUMENT_REF_MAX = 60
DOCUMENT_SEARCH_MAX = 900


def document_search_key(ref: str | None, title: str | None, institution: str | None) -> str:
    """The stored search key of a document: its reference, title and institution folded
    (db.search), so that `likums`, `LIKUMS` and `Likums` all find it, on both databases."""
    return search_key(" ".join(p for p in (ref, title, institution) if p))[:DOCUMENT_SEARCH_MAX]


def _search_default(context: Any) -> str:
    values = context.get_current_parameters()
    return document_search_key(values.get("ref"), values.get("title"), values.get("institution"))
# A TAP portal number: two-digit year, TA, a serial number (`24-TA-1427`).
TAP_NUMBER_PATTERN = r"^\d{2}-TA-\d{1,6}$"


def _optional(column: str, options: list[str]) -> str:
    return f"{column} IS NULL OR " + in_list(column, options)


class Document(Base, Versioned):
    """A draft policy document or legal act being followed."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The TAP number (`24-TA-1427`, kept upper-case) or the programme's own reference.
    ref: Mapped[str] = mapped_column(String(DOCUMENT_REF_MAX), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    institution: Mapped[str | None] = mapped_column(String(300))  # public: who drafted it
    kind: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(20))
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    deadline: Mapped[dt.date | None] = mapped_column(Date)  # of the public consultation
    adopted_on: Mapped[dt.date | None] = mapped_column(Date)
    url: Mapped[str | None] = mapped_column(String(1000))
    topics: Mapped[str | None] = mapped_column(String(500))  # separated by `;`
    note: Mapped[str | None] = mapped_column(Text)  # internal: never shown to funders
    # document_search_key(ref, title, institution): set by the service, by default on bulk
    # inserts (the demo, the benchmark)
    search: Mapped[str] = mapped_column(String(DOCUMENT_SEARCH_MAX), default=_search_default)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    monitoring: Mapped[list[DocumentMonitoring]] = relationship(
        cascade="all, delete-orphan", order_by="DocumentMonitoring.incubator_key")

    __table_args__ = (
        CheckConstraint(in_list("kind", values(DocumentKind)), name="kind"),
        CheckConstraint(in_list("level", values(DocumentLevel)), name="level"),
        CheckConstraint("url IS NULL OR url LIKE 'http://%' OR url LIKE 'https://%'",
                        name="url"),
        CheckConstraint("deadline IS NULL OR published_on IS NULL OR deadline >= published_on",
                        name="deadline_order"),
        CheckConstraint("adopted_on IS NULL OR published_on IS NULL OR "
                        "adopted_on >= published_on", name="adopted_order"),
        Index("ix_documents_deadline", "deadline"),
        Index("ix_documents_institution", "institution"),
    )


class DocumentMonitoring(Base):
    """An incubator (NULL: the programme) following a document since a day."""

    __tablename__ = "document_monitoring"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    incubator_id: Mapped[int | None] = mapped_column(ForeignKey("incubators.id"))
    incubator_key: Mapped[int] = mapped_column(Integer, default=0)  # 0 stands for NULL
    monitored_from: Mapped[dt.date] = mapped_column(Date)

    __table_args__ = (
        UniqueConstraint("document_id", "incubator_key"),
        CheckConstraint("incubator_key = COALESCE(incubator_id, 0)", name="incubator_key"),
        Index("ix_document_monitoring_incubator_key_monitored_from", "incubator_key",
              "monitored_from"),
        Index("ix_document_monitoring_monitored_from", "monitored_from"),
    )


class Opinion(Base, Versioned):
    """A formal opinion submitted on a document, with its outcome."""

    __tablename__ = "opinions"

    id: Mapped[int] = mapped_column(primary_key=True)
    incubator_id: Mapped[int | None] = mapped_column(ForeignKey("incubators.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    external_ref: Mapped[str | None] = mapped_column(String(100))  # the importer's own `ref`
    submitted_on: Mapped[dt.date] = mapped_column(Date)
    # NULL only for opinions recorded before the register (milestones without a channel)
    channel: Mapped[str | None] = mapped_column(String(30))
    summary: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(30), default=OpinionOutcome.PENDING.value)
    answered_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)  # internal: never shown to funders
    status: Mapped[str] = mapped_column(String(20), default=ActivityStatus.SUBMITTED.value)
    review_comment: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    authors: Mapped[list[OpinionAuthor]] = relationship(
        cascade="all, delete-orphan", order_by="OpinionAuthor.organization_id")

    __table_args__ = (
        CheckConstraint(_optional("channel", values(OpinionChannel)), name="channel"),
        CheckConstraint(in_list("outcome", values(OpinionOutcome)), name="outcome"),
        CheckConstraint(in_list("status", values(ActivityStatus)), name="status"),
        CheckConstraint("answered_on IS NULL OR answered_on >= submitted_on",
                        name="answer_order"),
        # an answer carries its date; pending and no answer have none
        CheckConstraint("(answered_on IS NOT NULL) = (" + in_list(
            "outcome", [o.value for o in ANSWERED_OUTCOMES]) + ")", name="answer_date"),
        UniqueConstraint("incubator_id", "external_ref"),
        Index("ix_opinions_incubator_id_submitted_on", "incubator_id", "submitted_on"),
        Index("ix_opinions_submitted_on", "submitted_on"),
    )


class OpinionAuthor(Base):
    """An organisation that submitted (or co-signed) an opinion."""

    __tablename__ = "opinion_authors"

    opinion_id: Mapped[int] = mapped_column(ForeignKey("opinions.id", ondelete="CASCADE"),
                                            primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"),
                                                 primary_key=True)

    __table_args__ = (Index("ix_opinion_authors_organization_id", "organization_id"),)


class OpinionEvidence(Base):
    """An opinion's evidence file (at most one): the letter sent, the portal's receipt. The
    same rules as an activity's attachments (tracker.services.attachments): PDF, JPEG or PNG
    recognised by content, the bytes here or in TRACKER_ATTACHMENTS_DIR under their SHA-256."""

    __tablename__ = "opinion_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    opinion_id: Mapped[int] = mapped_column(ForeignKey("opinions.id", ondelete="CASCADE"),
                                            unique=True)
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        CheckConstraint(in_list("content_type", list(ATTACHMENT_TYPES)), name="content_type"),
        CheckConstraint(f"size_bytes > 0 AND size_bytes <= {ATTACHMENT_MAX_BYTES}",
                        name="size"),
        CheckConstraint("length(sha256) = 64", name="sha256"),
    )
