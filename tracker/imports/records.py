"""Export of the record kinds in exactly the import's columns, so that export -> import
into an empty database -> export gives the same file."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from db.enums import (
    ActivityFormat,
    ActivityStatus,
    ActivityType,
    AssessmentKind,
    CapacityArea,
    EnrollmentStatus,
    LegalForm,
    MilestoneKind,
    Role,
)
from db.models import (
    Activity,
    ActivityArea,
    Assessment,
    AssessmentScore,
    Cohort,
    Enrollment,
    Incubator,
    Indicator,
    IndicatorEntry,
    Milestone,
    Municipality,
    Organization,
    Participation,
)
from tracker.auth import Actor
from tracker.errors import PermissionDenied
from tracker.exports import Cell, Table, to_csv, to_xlsx
from tracker.i18n import label
from tracker.imports.handlers import chunks, escape
from tracker.imports.kinds import AREA_COLUMNS, LIST_SEPARATOR, check_kind, columns, title


def _text(value: str | None) -> str | None:
    return None if value is None else escape(value)


def _enum(enum: type[StrEnum], value: str, lang: str) -> str:
    """The code in English files, the Latvian label in Latvian ones (the import takes both)."""
    return label(enum(value), "lv") if lang == "lv" else value


def _cohorts(session: Session) -> dict[int, str]:
    return {cohort_id: f"{code}-{number}" for cohort_id, code, number in session.execute(
        select(Cohort.id, Incubator.code, Cohort.number)
        .join(Incubator, Incubator.id == Cohort.incubator_id))}


def _staff_incubator(actor: Actor) -> int | None:
    return actor.incubator_id if actor.role is Role.STAFF else None


def _organizations(session: Session, actor: Actor, lang: str) -> list[list[Cell]]:
    query = (select(Organization, Municipality.atvk)
             .outerjoin(Municipality, Municipality.id == Organization.municipality_id)
             .where(Organization.deleted_at.is_(None)).order_by(Organization.reg_no))
    return [[org.reg_no, _text(org.name), _enum(LegalForm, org.legal_form, lang), atvk,
             _text(LIST_SEPARATOR.join(org.fields_of_activity or [])) or None, org.founded_on,
             org.members, org.volunteers, org.employees, _text(org.contact_name),
             _text(org.contact_email), _text(org.contact_phone)]
            for org, atvk in session.execute(query).all()]


def _cohort_rows(session: Session, actor: Actor, lang: str) -> list[list[Cell]]:
    query = (select(Cohort, Incubator.code).join(Incubator, Incubator.id == Cohort.incubator_id)
             .order_by(Incubator.code, Cohort.number))
    own = _staff_incubator(actor)
    if own is not None:
        query = query.where(Cohort.incubator_id == own)
    return [[f"{code}-{c.number}", _text(c.name),
             c.start_date, c.end_date, c.seats] for c, code in session.execute(query).all()]


def _enrollments(session: Session, actor: Actor, lang: str) -> list[list[Cell]]:
    query = (select(Enrollment, Incubator.code, Cohort.number, Organization.reg_no)
             .join(Cohort, Cohort.id == Enrollment.cohort_id)
             .join(Incubator, Incubator.id == Cohort.incubator_id)
             .join(Organization, Organization.id == Enrollment.organization_id)
             .where(Organization.deleted_at.is_(None))
             .order_by(Incubator.code, Cohort.number, Organization.reg_no))
    own = _staff_incubator(actor)
    if own is not None:
        query = query.where(Cohort.incubator_id == own)
    return [[f"{code}-{number}", reg_no, _enum(EnrollmentStatus, e.status, lang), e.applied_on,
             e.admitted_on, e.graduated_on, e.closed_on, _text(e.note)]
            for e, code, number, reg_no in session.execute(query).all()]


def _activity_ref(activity_id: int, ref: str | None) -> str:
    return ref if ref is not None else f"#{activity_id}"


def _activities(session: Session, actor: Actor, lang: str) -> list[list[Cell]]:
    table = Activity.__table__
    query = (select(table, Incubator.code, Municipality.atvk)
             .join(Incubator, Incubator.id == table.c.incubator_id)
             .outerjoin(Municipality, Municipality.id == table.c.municipality_id)
             .where(table.c.deleted_at.is_(None))
             .order_by(Incubator.code, table.c.activity_date, table.c.id))
    own = _staff_incubator(actor)
    if own is not None:
        query = query.where(table.c.incubator_id == own)
    records = session.execute(query).mappings().all()
    areas: dict[int, list[str]] = defaultdict(list)
    for part in chunks([r["id"] for r in records]):
        for activity_id, area in session.execute(
                select(ActivityArea.activity_id, ActivityArea.area)
                .where(ActivityArea.activity_id.in_(part)).order_by(ActivityArea.area)):
            areas[activity_id].append(_enum(CapacityArea, area, lang))
    cohorts = _cohorts(session)
    return [[_text(_activity_ref(r["id"], r["external_ref"])), r["code"],
             _enum(ActivityType, r["type"], lang), _text(r["title"]), r["activity_date"],
             r["hours"], _enum(ActivityFormat, r["format"], lang), r["atvk"],
             _text(LIST_SEPARATOR.join(areas.get(r["id"], []))) or None,
             r["total_participants"], _text(r["next_steps"]),
             _enum(ActivityStatus, r["status"], lang),
             cohorts.get(r["cohort_id"]) if r["cohort_id"] else None]
            for r in records]


def _participations(session: Session, actor: Actor, lang: str) -> list[list[Cell]]:
    query = (select(Activity.id, Activity.external_ref, Incubator.code, Organization.reg_no,
                    Participation.attendees)
             .join(Activity, Activity.id == Participation.activity_id)
             .join(Incubator, Incubator.id == Activity.incubator_id)
             .join(Organization, Organization.id == Participation.organization_id)
             .where(Activity.deleted_at.is_(None), Organization.deleted_at.is_(None))
             .order_by(Incubator.code, Activity.activity_date, Activity.id, Organization.reg_no))
    own = _staff_incubator(actor)
    if own is not None:
        query = query.where(Activity.incubator_id == own)
    return [[_text(_activity_ref(activity_id, ref)), code, reg_no, attendees]
            for activity_id, ref, code, reg_no, attendees in session.execute(query).all()]


def _assessments(session: Session, actor: Actor, lang: str) -> list[list[Cell]]:
    table = Assessment.__table__
    query = (select(table, Organization.reg_no)
             .join(Organization, Organization.id == table.c.organization_id)
             .where(table.c.deleted_at.is_(None), Organization.deleted_at.is_(None))
             .order_by(Organization.reg_no, table.c.assessed_on, table.c.kind, table.c.id))
    own = _staff_incubator(actor)
    if own is not None:
        ours = select(Cohort.id).where(Cohort.incubator_id == own)
        enrolled = exists(select(Enrollment.id).join(Cohort, Cohort.id == Enrollment.cohort_id)
                          .where(Enrollment.organization_id == table.c.organization_id,
                                 Cohort.incubator_id == own))
        query = query.where(or_(table.c.cohort_id.in_(ours),
                                and_(table.c.cohort_id.is_(None), enrolled)))
    records = session.execute(query).mappings().all()
    scores: dict[int, dict[str, int]] = defaultdict(dict)
    for part in chunks([r["id"] for r in records]):
        for assessment_id, area, score in session.execute(
                select(AssessmentScore.assessment_id, AssessmentScore.area,
                       AssessmentScore.score).where(AssessmentScore.assessment_id.in_(part))):
            scores[assessment_id][area] = score
    cohorts = _cohorts(session)
    return [[r["reg_no"], cohorts.get(r["cohort_id"]) if r["cohort_id"] else None,
             _enum(AssessmentKind, r["kind"], lang), r["assessed_on"],
             *(scores[r["id"]].get(a) for a in AREA_COLUMNS), _text(r["notes"])]
            for r in records]


def _milestones(session: Session, actor: Actor, lang: str) -> list[list[Cell]]:
    table = Milestone.__table__
    query = (select(table, Organization.reg_no, Incubator.code)
             .join(Organization, Organization.id == table.c.organization_id)
             .outerjoin(Incubator, Incubator.id == table.c.incubator_id)
             .where(table.c.deleted_at.is_(None), Organization.deleted_at.is_(None))
             .order_by(Organization.reg_no, table.c.achieved_on, table.c.kind,
                       table.c.reference, table.c.id))
    own = _staff_incubator(actor)
    if own is not None:
        query = query.where(table.c.incubator_id == own)
    return [[r["reg_no"], r["code"], _enum(MilestoneKind, r["kind"], lang), r["achieved_on"],
             r["amount_eur"], _text(r["reference"]), _text(r["description"])]
            for r in session.execute(query).mappings()]


def _indicator_entries(session: Session, actor: Actor, lang: str) -> list[list[Cell]]:
    table = IndicatorEntry.__table__
    query = (select(Indicator.code, Incubator.code.label("incubator"), table.c.entry_date,
                    table.c.value, table.c.note)
             .join(Indicator, Indicator.id == table.c.indicator_id)
             .outerjoin(Incubator, Incubator.id == table.c.incubator_id)
             .order_by(Indicator.sort_order, Indicator.code, table.c.entry_date,
                       Incubator.code.nulls_first(), table.c.id))
    own = _staff_incubator(actor)
    if own is not None:
        query = query.where(table.c.incubator_id == own)
    return [[code, incubator, day, value, _text(note)]
            for code, incubator, day, value, note in session.execute(query).all()]


_EXPORTERS: dict[str, Callable[[Session, Actor, str], list[list[Cell]]]] = {
    "organizations": _organizations, "cohorts": _cohort_rows, "enrollments": _enrollments,
    "activities": _activities,
    "participations": _participations, "assessments": _assessments,
    "milestones": _milestones, "indicator_entries": _indicator_entries}


def export_records(session: Session, *, actor: Actor, kind: str, lang: str = "en") -> Table:
    """Every live record of `kind` in the import's columns (English headings, or Latvian with
    lang="lv"). Funders are refused; staff get their incubator's activities, participations,
    assessments and milestones (and every organisation, as the organisation search shows)."""
    check_kind(kind)
    if actor.role is Role.FUNDER:
        raise PermissionDenied()
    headings: Sequence[str] = [c.heading(lang) for c in columns(kind)]
    rows: Any = _EXPORTERS[kind](session, actor, lang)
    return Table(title(kind, lang), headings, rows)


def export_file(session: Session, *, actor: Actor, kind: str, fmt: str, lang: str = "en"
                ) -> tuple[bytes, int]:
    """The export as CSV (UTF-8 with BOM) or Excel bytes, and its number of rows."""
    table = export_records(session, actor=actor, kind=kind, lang=lang)
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown format {fmt!r} (csv or xlsx)")
    return (to_csv(table) if fmt == "csv" else to_xlsx([table])), len(table.rows)
