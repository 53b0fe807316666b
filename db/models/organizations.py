"""Organisations (NGOs) and their enrolments in cycles."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from db.enums import EnrollmentStatus, LegalForm, values
from db.models.base import REGISTER_STATUSES, Base, Versioned, count_between, in_list
from db.models.programme import Cohort
from db.models.reference import Municipality
from db.search import name_key


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
        CheckConstraint(in_list("legal_form", values(LegalForm)), name="legal_form"),
        CheckConstraint("length(reg_no) = 11", name="reg_no_length"),
        CheckConstraint(count_between("members"), name="members"),
        CheckConstraint(count_between("volunteers"), name="volunteers"),
        CheckConstraint(count_between("employees"), name="employees"),
        CheckConstraint("register_status IS NULL OR "
                        + in_list("register_status", REGISTER_STATUSES), name="register_status"),
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
        CheckConstraint(in_list("status", values(EnrollmentStatus)), name="status"),
        CheckConstraint("admitted_on IS NULL OR admitted_on >= applied_on", name="admitted_after"),
        CheckConstraint("graduated_on IS NULL OR (admitted_on IS NOT NULL AND "
                        "graduated_on >= admitted_on)", name="graduated_after"),
    )
