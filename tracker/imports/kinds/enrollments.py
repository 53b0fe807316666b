"""Enrolments: an organisation in a cycle with its status and dates, matched by cycle and
registration number; their incubator's staff's and the managers', as on an organisation's
profile."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import EnrollmentStatus
from db.models import Cohort, Enrollment, Incubator, Organization
from tracker.auth import Actor
from tracker.exports import Cell
from tracker.imports.base import Columns, Handler, Kind, Row, staff_incubator, table, table_of
from tracker.imports.cells import chunks, enum_text, enum_value, export_text
from tracker.schemas import EnrollmentRecord
from tracker.services.enrollments import DATE_FIELDS, date_problems, reachable

COLUMNS: Columns = table("""
    cohort *      Cikls                            VIDZEME-2
    reg_no *      Reģistrācijas numurs             40008000009
    status        Statuss                          admitted
    applied_on *  Pieteikšanās datums              2025-11-10
    admitted_on   Uzņemšanas datums                2025-12-15
    graduated_on  Absolvēšanas datums
    closed_on     Atteikuma vai izstāšanās datums
    note          Piezīme                          Uzņemta konkursā
""")


class Enrollments(Handler):
    kind = "enrollments"
    columns = COLUMNS
    updatable: ClassVar[dict[str, str]] = {
        "status": "status", **{name: name for name in DATE_FIELDS}, "note": "note"}

    def parse(self, row: Row) -> None:
        ctx, cells = self.ctx, row.cells
        ctx.required(row, self.required_columns)
        cohort_id = ctx.cohort(row, "cohort", None)
        reg_no = ctx.reg_no(row, "reg_no")
        payload: dict[str, Any] = {name: cells[name] for name in (*DATE_FIELDS, "note")
                                   if cells.get(name)}
        if cells.get("status"):
            payload["status"] = enum_value(EnrollmentStatus, cells["status"])
        data = ctx.validate(row, EnrollmentRecord, payload,
                            {name: name for name in (*DATE_FIELDS, "note", "status")})
        if data is None or row.problems or cohort_id is None or reg_no is None:
            return
        incubator_id = ctx.cohort_incubator[cohort_id]
        if not ctx.is_manager and incubator_id != ctx.actor.incubator_id:
            own = ctx.incubator_by_id.get(ctx.actor.incubator_id or 0)
            ctx.problem(row, "cohort", "import_other_incubator", own=own.code if own else "")
            return
        for column, code, params in date_problems(data):
            ctx.problem(row, column, code, **params)
        for name in DATE_FIELDS:
            value = getattr(data, name)
            if value is not None and not row.problems:
                ctx.in_programme(row, name, value, incubator_id)
        if row.problems:
            return
        row.key = (cohort_id, reg_no)
        row.item = {"cohort_id": cohort_id, "reg_no": reg_no, "status": data.status.value,
                    "note": data.note} | {name: getattr(data, name) for name in DATE_FIELDS}

    def resolve(self, rows: list[Row]) -> None:
        ctx, table = self.ctx, table_of(Enrollment)
        orgs = ctx.organizations(r.item["reg_no"] for r in rows if r.item)
        existing: dict[tuple[int, int], dict[str, Any]] = {}
        for part in chunks(sorted(set(orgs.values()))):
            for rec in ctx.session.execute(
                    select(table.c.id, table.c.organization_id, table.c.cohort_id,
                           *(table.c[f] for f in self.updatable.values()))
                    .where(table.c.organization_id.in_(part))).mappings():
                existing[(rec["cohort_id"], rec["organization_id"])] = dict(rec)
        for row in rows:
            assert row.item is not None
            org_id = ctx.organization(row, orgs)
            if org_id is None:
                continue
            row.item["organization_id"] = org_id
            found = existing.get((row.item["cohort_id"], org_id))
            current, target = (EnrollmentStatus(found["status"]) if found else None,
                               EnrollmentStatus(row.item["status"]))
            if current is not None and "status" in ctx.present \
                    and not reachable(current, target):
                ctx.problem(row, "status", "invalid_transition", current=current,
                            target=target)
                continue
            self.classify(row, found)

    def write(self, rows: list[Row]) -> None:
        ctx, table = self.ctx, table_of(Enrollment)
        ctx.insert(table, [
            {k: v for k, v in r.item.items() if k != "reg_no"}
            | {"version": 1, "created_at": ctx.now, "updated_at": ctx.now}
            for r in rows if r.action == "create" and r.item])
        ctx.update(table, [{"_id": r.existing_id, **r.changes}
                           for r in rows if r.action == "update"], versioned=True)


def _export(session: Session, actor: Actor, lang: str) -> list[list[Cell]]:
    query = (select(Enrollment, Incubator.code, Cohort.number, Organization.reg_no)
             .join(Cohort, Cohort.id == Enrollment.cohort_id)
             .join(Incubator, Incubator.id == Cohort.incubator_id)
             .join(Organization, Organization.id == Enrollment.organization_id)
             .where(Organization.deleted_at.is_(None))
             .order_by(Incubator.code, Cohort.number, Organization.reg_no))
    own = staff_incubator(actor)
    if own is not None:
        query = query.where(Cohort.incubator_id == own)
    return [[f"{code}-{number}", reg_no, enum_text(EnrollmentStatus, e.status, lang), e.applied_on,
             e.admitted_on, e.graduated_on, e.closed_on, export_text(e.note)]
            for e, code, number, reg_no in session.execute(query).all()]


KIND = Kind(handler=Enrollments, export=_export)
