"""SQLAlchemy models: the tables analysts query directly (names are a contract, DESIGN.md §3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    declared_attr,
    mapped_column,
    relationship,
    validates,
)

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
    values,
)
from db.search import name_key

# Stable constraint names, so that migrations generated on SQLite and PostgreSQL agree.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# An organisation's state in the Register of Enterprises: `closed` L (liquidated), R
# (reorganised), or a termination date without either (terminated).
REGISTER_STATUSES = ["active", "liquidated", "reorganized", "terminated"]

MAX_COUNT = 1_000_000  # upper bound for people counts; protects aggregates from typos like 1e9


def utcnow() -> dt.datetime:
    """Timezone-aware now, for timestamps written by the application."""
    return dt.datetime.now(dt.UTC)


def _in(column: str, options: list[str]) -> str:
    """`column` is one of `options`, written as ORs: SQLite builds a temporary b-tree for an
    IN list each time an INSERT or UPDATE runs, which made these checks cost more than all of
    a table's indexes (migration 0005)."""
    return " OR ".join(f"{column} = '{o}'" for o in options)


def _count_between(column: str, low: int = 0, high: int = MAX_COUNT) -> str:
    return f"{column} IS NULL OR ({column} >= {low} AND {column} <= {high})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}  # noqa: RUF012


class Versioned:
    """Optimistic locking: every UPDATE checks and bumps `version` (a stale edit fails)."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow
    )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Region(Base):
    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name_lv: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))

    __table_args__ = (CheckConstraint(_in("code", ["RIGA", "VIDZEME", "KURZEME", "ZEMGALE",
                                                  "LATGALE"]), name="code"),)


class Municipality(Base):
    __tablename__ = "municipalities"

    id: Mapped[int] = mapped_column(primary_key=True)
    atvk: Mapped[str] = mapped_column(String(7), unique=True)
    iso: Mapped[str] = mapped_column(String(6))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id"))
    note: Mapped[str | None] = mapped_column(String(300))

    region: Mapped[Region] = relationship()

    __table_args__ = (
        UniqueConstraint("iso", "valid_from"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_period"),
        CheckConstraint(_in("kind", ["valstspilsēta", "novads"]), name="kind"),
    )


class Program(Base, Versioned):
    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_lv: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    budget_eur: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))

    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="period"),
        CheckConstraint("budget_eur IS NULL OR budget_eur >= 0", name="budget"),
    )


class Incubator(Base, Versioned):
    __tablename__ = "incubators"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_lv: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    operator: Mapped[str | None] = mapped_column(String(200))
    budget_eur: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)

    program: Mapped[Program] = relationship()
    region: Mapped[Region] = relationship()

    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="period"),
        CheckConstraint("budget_eur IS NULL OR budget_eur >= 0", name="budget"),
    )


class Cohort(Base, Versioned):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    incubator_id: Mapped[int] = mapped_column(ForeignKey("incubators.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    seats: Mapped[int | None] = mapped_column(Integer)
    # The call for applications ("pieteikšanās konkurss") that opens the cycle; either may be
    # unknown (the other rules, e.g. closing by end_date, are tracker.schemas.CohortCreate's).
    call_opens_on: Mapped[dt.date | None] = mapped_column(Date)
    call_closes_on: Mapped[dt.date | None] = mapped_column(Date)

    incubator: Mapped[Incubator] = relationship()

    __table_args__ = (
        UniqueConstraint("incubator_id", "number"),
        CheckConstraint("end_date >= start_date", name="period"),
        CheckConstraint(_count_between("seats", 0, 10_000), name="seats"),
        CheckConstraint("number >= 1", name="number"),
        CheckConstraint("call_closes_on IS NULL OR call_opens_on IS NULL OR "
                        "call_closes_on >= call_opens_on", name="call_period"),
    )


def _name_search_default(context: Any) -> str | None:
    name = context.get_current_parameters().get("name")
    return name_key(name) if isinstance(name, str) else None


class Organization(Base, Versioned):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    reg_no: Mapped[str] = mapped_column(String(11), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    # name_key(name): written with every ORM change of `name`, and by default on bulk inserts.
    name_search: Mapped[str] = mapped_column(String(300), default=_name_search_default)
    legal_form: Mapped[str] = mapped_column(String(20))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id"),
                                                        index=True)
    fields_of_activity: Mapped[list[str]] = mapped_column(default=list)
    founded_on: Mapped[dt.date | None] = mapped_column(Date)
    members: Mapped[int | None] = mapped_column(Integer)
    volunteers: Mapped[int | None] = mapped_column(Integer)
    employees: Mapped[int | None] = mapped_column(Integer)
    contact_name: Mapped[str | None] = mapped_column(String(200))  # personal data
    contact_email: Mapped[str | None] = mapped_column(String(254))  # personal data
    contact_phone: Mapped[str | None] = mapped_column(String(40))  # personal data
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # From the Register of Enterprises (tracker/imports/register.py); NULL when never imported.
    registered_on: Mapped[dt.date | None] = mapped_column(Date)
    terminated_on: Mapped[dt.date | None] = mapped_column(Date)
    register_status: Mapped[str | None] = mapped_column(String(20))
    register_synced_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    municipality: Mapped[Municipality | None] = relationship()

    @validates("name")
    def _keep_search_key(self, _key: str, value: str) -> str:
        self.name_search = name_key(value)
        return value

    __table_args__ = (
        CheckConstraint(_in("legal_form", values(LegalForm)), name="legal_form"),
        CheckConstraint("length(reg_no) = 11", name="reg_no_length"),
        CheckConstraint(_count_between("members"), name="members"),
        CheckConstraint(_count_between("volunteers"), name="volunteers"),
        CheckConstraint(_count_between("employees"), name="employees"),
        CheckConstraint("register_status IS NULL OR "
                        + _in("register_status", REGISTER_STATUSES), name="register_status"),
        CheckConstraint("register_status IS NULL OR register_status <> 'active' OR "
                        "terminated_on IS NULL", name="register_active"),
    )


class Enrollment(Base, Versioned):
    __tablename__ = "enrollments"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    applied_on: Mapped[dt.date] = mapped_column(Date)
    admitted_on: Mapped[dt.date | None] = mapped_column(Date)
    graduated_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)  # rejected or withdrawn
    note: Mapped[str | None] = mapped_column(String(1000))

    organization: Mapped[Organization] = relationship()
    cohort: Mapped[Cohort] = relationship()

    __table_args__ = (
        UniqueConstraint("organization_id", "cohort_id"),
        CheckConstraint(_in("status", values(EnrollmentStatus)), name="status"),
        CheckConstraint("admitted_on IS NULL OR admitted_on >= applied_on", name="admitted_after"),
        CheckConstraint("graduated_on IS NULL OR (admitted_on IS NOT NULL AND "
                        "graduated_on >= admitted_on)", name="graduated_after"),
    )


class User(Base, Versioned):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    incubator_id: Mapped[int | None] = mapped_column(ForeignKey("incubators.id"), index=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    external_subject: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    language: Mapped[str] = mapped_column(String(2), default="lv")

    incubator: Mapped[Incubator | None] = relationship()

    __table_args__ = (
        CheckConstraint(_in("role", values(Role)), name="role"),
        CheckConstraint("role <> 'staff' OR incubator_id IS NOT NULL", name="staff_incubator"),
        CheckConstraint("failed_logins >= 0", name="failed_logins"),
        CheckConstraint(_in("language", ["lv", "en"]), name="language"),
    )


class Activity(Base, Versioned):
    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    incubator_id: Mapped[int] = mapped_column(ForeignKey("incubators.id"))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"), index=True)
    type: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    activity_date: Mapped[dt.date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    format: Mapped[str] = mapped_column(String(20))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id"),
                                                        index=True)
    total_participants: Mapped[int] = mapped_column(Integer)
    next_steps: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=ActivityStatus.SUBMITTED.value)
    review_comment: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    external_ref: Mapped[str | None] = mapped_column(String(100))  # the importer's own `ref`
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    incubator: Mapped[Incubator] = relationship()
    areas: Mapped[list[ActivityArea]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityArea.area"
    )
    participations: Mapped[list[Participation]] = relationship(
        cascade="all, delete-orphan", order_by="Participation.organization_id"
    )

    __table_args__ = (
        CheckConstraint(_in("type", values(ActivityType)), name="type"),
        CheckConstraint(_in("format", values(ActivityFormat)), name="format"),
        CheckConstraint(_in("status", values(ActivityStatus)), name="status"),
        CheckConstraint("hours > 0 AND hours <= 200", name="hours"),
        CheckConstraint(f"total_participants >= 0 AND total_participants <= {MAX_COUNT}",
                        name="total_participants"),
        UniqueConstraint("incubator_id", "external_ref"),
        Index("ix_activities_incubator_id_activity_date", "incubator_id", "activity_date"),
        Index("ix_activities_activity_date_type", "activity_date", "type"),
    )


ATTACHMENT_TYPES = ("application/pdf", "image/jpeg", "image/png")
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


class Attachment(Base):
    """Evidence for an activity: an attendance list, an agenda, a photo (PDF, JPEG or PNG,
    recognised by content). The bytes are in `content`, or, when TRACKER_ATTACHMENTS_DIR is
    set, in that folder under their SHA-256 (then `content` is NULL)."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        CheckConstraint(_in("content_type", list(ATTACHMENT_TYPES)), name="content_type"),
        CheckConstraint(f"size_bytes > 0 AND size_bytes <= {ATTACHMENT_MAX_BYTES}",
                        name="size"),
        CheckConstraint("length(sha256) = 64", name="sha256"),
        UniqueConstraint("activity_id", "sha256"),
    )


class PeriodClosure(Base):
    """A quarter of an incubator closed after reporting: its activities can no longer change.
    Reopening (admins only, with a reason) keeps the row and fills `reopened_*`; closing again
    adds a new row, so the history stays."""

    __tablename__ = "period_closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    incubator_id: Mapped[int] = mapped_column(ForeignKey("incubators.id"))
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reopened_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    reopen_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("quarter >= 1 AND quarter <= 4", name="quarter"),
        CheckConstraint("year >= 2000 AND year <= 2100", name="year"),
        CheckConstraint("reopened_at IS NULL OR (reopen_reason IS NOT NULL AND "
                        "length(reopen_reason) > 0)", name="reopen_reason"),
        # one closure in force per incubator and quarter
        Index("ix_period_closures_open", "incubator_id", "year", "quarter", unique=True,
              sqlite_where=text("reopened_at IS NULL"),
              postgresql_where=text("reopened_at IS NULL")),
    )


class FormDraft(Base):
    """What a user has typed into a form and not saved yet, kept as they type so that a
    reload or a lost connection loses nothing (one per user and form)."""

    __tablename__ = "form_drafts"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    form: Mapped[str] = mapped_column(String(40), primary_key=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ActivityArea(Base):
    """A capacity area an activity addressed (many per activity); lets SQL group by area."""

    __tablename__ = "activity_areas"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True
    )
    area: Mapped[str] = mapped_column(String(20), primary_key=True)

    __table_args__ = (
        CheckConstraint(_in("area", values(CapacityArea)), name="area"),
        Index("ix_activity_areas_area", "area"),
    )


class Participation(Base):
    __tablename__ = "participations"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    attendees: Mapped[int] = mapped_column(Integer)

    organization: Mapped[Organization] = relationship()

    __table_args__ = (
        UniqueConstraint("activity_id", "organization_id"),
        CheckConstraint(f"attendees >= 1 AND attendees <= {MAX_COUNT}", name="attendees"),
        Index("ix_participations_organization_id_activity_id", "organization_id", "activity_id"),
    )


class Assessment(Base, Versioned):
    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    # Mean of the seven scores / 4 × 100, written with the scores so dashboards need no join.
    capacity_index: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    notes: Mapped[str | None] = mapped_column(Text)
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    scores: Mapped[list[AssessmentScore]] = relationship(
        cascade="all, delete-orphan", order_by="AssessmentScore.area"
    )

    __table_args__ = (
        CheckConstraint(_in("kind", values(AssessmentKind)), name="kind"),
        CheckConstraint("capacity_index >= 25 AND capacity_index <= 100", name="capacity_index"),
        Index("ix_assessments_organization_id_assessed_on", "organization_id", "assessed_on"),
    )


class AssessmentScore(Base):
    __tablename__ = "assessment_scores"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    area: Mapped[str] = mapped_column(String(20), primary_key=True)
    score: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint(_in("area", values(CapacityArea)), name="area"),
        CheckConstraint("score >= 1 AND score <= 4", name="score"),
    )


class Milestone(Base, Versioned):
    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    incubator_id: Mapped[int | None] = mapped_column(ForeignKey("incubators.id"))
    kind: Mapped[str] = mapped_column(String(30))
    achieved_on: Mapped[dt.date] = mapped_column(Date)
    amount_eur: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    reference: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint(_in("kind", values(MilestoneKind)), name="kind"),
        CheckConstraint("amount_eur IS NULL OR amount_eur >= 0", name="amount"),
        Index("ix_milestones_incubator_id_achieved_on", "incubator_id", "achieved_on"),
    )


class Indicator(Base, Versioned):
    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    code: Mapped[str] = mapped_column(String(40))
    name_lv: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    method: Mapped[str] = mapped_column(String(30))
    # Narrows the method: an activity type for activities/attendees, a milestone kind for
    # milestones; empty means all.
    parameter: Mapped[str | None] = mapped_column(String(40))
    unit_lv: Mapped[str] = mapped_column(String(40), default="")
    unit_en: Mapped[str] = mapped_column(String(40), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        UniqueConstraint("program_id", "code"),
        CheckConstraint(_in("method", values(IndicatorMethod)), name="method"),
    )


class Target(Base, Versioned):
    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    # Scope: NULL incubator = the whole programme; NULL year = the whole programme period.
    incubator_id: Mapped[int | None] = mapped_column(ForeignKey("incubators.id"))
    year: Mapped[int | None] = mapped_column(Integer)
    target_value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    # 0 stands for NULL in the two key columns below, so one scope has one target.
    incubator_key: Mapped[int] = mapped_column(Integer, default=0)
    year_key: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        UniqueConstraint("indicator_id", "incubator_key", "year_key"),
        CheckConstraint("target_value >= 0", name="target_value"),
        CheckConstraint("year IS NULL OR (year >= 2000 AND year <= 2100)", name="year"),
        CheckConstraint("incubator_key = COALESCE(incubator_id, 0)", name="incubator_key"),
        CheckConstraint("year_key = COALESCE(year, 0)", name="year_key"),
    )


class IndicatorEntry(Base, Versioned):
    """A value entered by hand for a `manual` indicator (e.g. documents monitored)."""

    __tablename__ = "indicator_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), index=True)
    incubator_id: Mapped[int | None] = mapped_column(ForeignKey("incubators.id"))
    entry_date: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    note: Mapped[str | None] = mapped_column(String(1000))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (CheckConstraint("value >= 0", name="value"),)


class UserSession(Base):
    """A signed-in browser: the cookie holds a random token, the database only its hash."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # One-time code the app hands to the browser, exchanged for the cookie within minutes.
    ticket_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    ticket_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    method: Mapped[str] = mapped_column(String(10), default="password")

    __table_args__ = (CheckConstraint(_in("method", ["password", "oidc"]), name="method"),)


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.current_timestamp()
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_email: Mapped[str | None] = mapped_column(String(254))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    before: Mapped[dict[str, Any] | None] = mapped_column()
    after: Mapped[dict[str, Any] | None] = mapped_column()

    __table_args__ = (
        Index("ix_audit_log_entity_entity_id", "entity", "entity_id"),
        Index("ix_audit_log_at", "at"),
    )


class DataState(Base):
    """One row whose `version` grows with every committed change to programme data.

    Dashboards key their caches on it: reading it costs one primary-key lookup, and because
    it is updated inside the writing transaction, a reader never sees the new version before
    the data it stands for (see db/data_version.py).
    """

    __tablename__ = "data_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


# --- Rollups (migration 0007) ------------------------------------------------------------
# Totals the dashboards read instead of walking every activity and participation. Database
# triggers keep them equal to the live rows on every write, whatever writes (the services,
# the importer, the demo loader, a hand-typed SQL statement); `tracker rollups --check`
# compares them with a recount and `--rebuild` recounts them. Deleted activities and their
# participations are not in them. No foreign keys: they are derived data, and a key check
# per trigger row would cost more than the total it keeps.


class ActivityRollup(Base):
    """Live activities per day, incubator, type and status, with their participations and
    attendees: activity counts, attendees and the quarterly series, for any range of days."""

    __tablename__ = "activity_rollup"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    incubator_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    activities: Mapped[int] = mapped_column(Integer)
    participations: Mapped[int] = mapped_column(Integer)
    attendees: Mapped[int] = mapped_column(Integer)

    __table_args__ = ({"sqlite_with_rowid": False},)


class AreaRollup(Base):
    """Live activities per day, incubator, type, status and capacity area addressed."""

    __tablename__ = "area_rollup"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    incubator_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    area: Mapped[str] = mapped_column(String(32), primary_key=True)
    activities: Mapped[int] = mapped_column(Integer)

    __table_args__ = ({"sqlite_with_rowid": False},)


class OrganizationRollup(Base):
    """Participations per organisation, status, month, incubator and type of live activities:
    distinct organisations supported, by probing a few rows per organisation. A range that
    starts or ends inside a month takes that month's days from the participations."""

    __tablename__ = "organization_rollup"

    organization_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    incubator_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(32), primary_key=True)
    participations: Mapped[int] = mapped_column(Integer)

    __table_args__ = ({"sqlite_with_rowid": False},)

