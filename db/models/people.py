"""People: the participants the European Social Fund Plus counts one by one, the organisations
they belong to and the activities they attended.

A person's identity (names, personal code, birth date, e-mail, phone) is personal data; the
personal code is kept only encrypted (`personal_code_secret`) and matched through a keyed hash
(`personal_code_match`), both made by tracker.personal_codes. Erasing a person (consent
withdrawn, or a GDPR request) empties the identity and keeps the rest: the ESF+
characteristics, the birth year and the attendances still count.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.enums import Answer, Education, EmploymentStatus, Gender, PersonRole, values
from db.models.base import Base, Versioned, in_list
from db.models.organizations import Organization
from db.search import name_key


def person_name_key(first_name: str | None, last_name: str | None) -> str:
    """The stored search and sort key of a person: `last first`, folded (db.search), so that
    `abele`, `ĀBELE` and `Ābele` all match and Ā sorts with A; empty when erased."""
    return name_key(" ".join(p for p in (last_name, first_name) if p))


def _name_search_default(context: Any) -> str:
    values = context.get_current_parameters()
    return person_name_key(values.get("first_name"), values.get("last_name"))

# The sensitive ESF+ characteristics, each answered yes, no or refused.
SENSITIVE_CHARACTERISTICS = ("disability", "third_country_national", "foreign_background",
                             "minority", "homeless", "rural")


def _optional(column: str, options: list[str]) -> str:
    return f"{column} IS NULL OR " + in_list(column, options)


class Person(Base, Versioned):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    incubator_id: Mapped[int] = mapped_column(ForeignKey("incubators.id"))
    ref: Mapped[str] = mapped_column(String(100))  # the incubator's own reference
    first_name: Mapped[str | None] = mapped_column(String(100))  # personal data
    last_name: Mapped[str | None] = mapped_column(String(100))  # personal data
    # person_name_key(first_name, last_name): set by the people service, and by default on
    # bulk inserts (the demo, the benchmark).
    name_search: Mapped[str] = mapped_column(String(300), default=_name_search_default)
    # Fernet token of the personal code (never the code itself), and its keyed hash.
    personal_code_secret: Mapped[str | None] = mapped_column(String(200))
    personal_code_match: Mapped[str | None] = mapped_column(String(64), unique=True)
    birth_date: Mapped[dt.date | None] = mapped_column(Date)  # personal data
    birth_year: Mapped[int | None] = mapped_column(Integer)  # kept after erasure (age groups)
    gender: Mapped[str | None] = mapped_column(String(20))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id"))
    email: Mapped[str | None] = mapped_column(String(254))  # personal data
    phone: Mapped[str | None] = mapped_column(String(40))  # personal data
    consent_date: Mapped[dt.date] = mapped_column(Date)
    consent_withdrawn: Mapped[dt.date | None] = mapped_column(Date)
    employment_status: Mapped[str | None] = mapped_column(String(30))
    education: Mapped[str | None] = mapped_column(String(20))
    disability: Mapped[str | None] = mapped_column(String(10))
    third_country_national: Mapped[str | None] = mapped_column(String(10))
    foreign_background: Mapped[str | None] = mapped_column(String(10))
    minority: Mapped[str | None] = mapped_column(String(10))
    homeless: Mapped[str | None] = mapped_column(String(10))
    rural: Mapped[str | None] = mapped_column(String(10))
    erased_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    memberships: Mapped[list[Membership]] = relationship(
        cascade="all, delete-orphan", order_by="Membership.organization_id")

    __table_args__ = (
        UniqueConstraint("incubator_id", "ref"),
        CheckConstraint(_optional("gender", values(Gender)), name="gender"),
        CheckConstraint(_optional("employment_status", values(EmploymentStatus)),
                        name="employment_status"),
        CheckConstraint(_optional("education", values(Education)), name="education"),
        *(CheckConstraint(_optional(name, values(Answer)), name=name)
          for name in SENSITIVE_CHARACTERISTICS),
        CheckConstraint("consent_withdrawn IS NULL OR consent_withdrawn >= consent_date",
                        name="consent_order"),
        CheckConstraint("birth_year IS NULL OR (birth_year >= 1900 AND birth_year <= 2100)",
                        name="birth_year"),
        Index("ix_people_incubator_id_name_search", "incubator_id", "name_search"),
    )


class Membership(Base):
    """A person's organisation and their role in it (a person may have several)."""

    __tablename__ = "person_organizations"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"),
                                           primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"),
                                                 primary_key=True)
    role: Mapped[str] = mapped_column(String(20))

    organization: Mapped[Organization] = relationship()

    __table_args__ = (
        CheckConstraint(in_list("role", values(PersonRole)), name="role"),
        Index("ix_person_organizations_organization_id", "organization_id"),
    )


class Attendance(Base):
    """A named person at an activity: the signed attendance sheet's line. `organization_id` is
    the participating organisation the person came for (NULL: none of theirs took part), so
    that a participation's attendee number is never below its named list; `hours` NULL means
    the whole activity."""

    __tablename__ = "attendances"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    hours: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))

    __table_args__ = (
        UniqueConstraint("activity_id", "person_id"),
        CheckConstraint("hours IS NULL OR (hours > 0 AND hours <= 200)", name="hours"),
        Index("ix_attendances_person_id_activity_id", "person_id", "activity_id"),
    )
