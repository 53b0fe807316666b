"""The cycles' kinds: `cohorts` (an incubator's cycle, written INCUBATOR-NUMBER) and
`enrollments` (an organisation in a cycle, with its status and dates).

They go the way every kind goes (tracker/imports/handlers.py): parse each row with the form's
schema, resolve all rows with a few queries, write in batches. Cycles are an administrator's
to create and change, as on the Cycles page; enrolments are their incubator's staff's and the
managers', as on an organisation's profile.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import select

from db.enums import EnrollmentStatus, Role
from db.models import Cohort, Enrollment
from tracker.imports.handlers import _COHORT, Handler, Row, _table, chunks, enum_value
from tracker.schemas import CohortCreate, EnrollmentRecord
from tracker.services.enrollments import DATE_FIELDS, date_problems, reachable

_COHORT_FIELDS = ("name", "start_date", "end_date", "seats")


class Cohorts(Handler):
    kind = "cohorts"
    updatable: ClassVar[dict[str, str]] = {name: name for name in _COHORT_FIELDS}

    def parse(self, row: Row) -> None:
        ctx, cells = self.ctx, row.cells
        ctx.required(row, self.required_columns)
        if ctx.actor.role is not Role.ADMIN:
            ctx.problem(row, None, "import_cohorts_admin")
            return
        text = cells.get("cohort", "")
        match = _COHORT.match(text) if text else None
        incubator = ctx.incubators.get(match.group(1).upper()) if match else None
        if text and match is None:
            ctx.problem(row, "cohort", "import_cohort_form")
        elif text and incubator is None:
            ctx.problem(row, "cohort", "unknown_incubator")
        payload: dict[str, Any] = {name: cells[name] for name in _COHORT_FIELDS
                                   if cells.get(name)}
        payload |= {"incubator_id": incubator.id if incubator else 1,
                    "number": int(match.group(2)) if match else 1}
        data = ctx.validate(row, CohortCreate, payload,
                            {name: name for name in _COHORT_FIELDS} | {"number": "cohort"})
        if data is None or row.problems or incubator is None:
            return
        for name in ("start_date", "end_date"):
            value = getattr(data, name)
            if value is not None:
                ctx.in_programme(row, name, value, incubator.id)
        if row.problems:
            return
        row.key = (incubator.id, data.number)
        row.item = {"incubator_id": incubator.id, "number": data.number} | {
            name: getattr(data, name) for name in _COHORT_FIELDS}

    def resolve(self, rows: list[Row]) -> None:
        table = _table(Cohort)
        existing = {(r["incubator_id"], r["number"]): dict(r) for r in self.ctx.session.execute(
            select(table.c.id, table.c.incubator_id, table.c.number,
                   *(table.c[f] for f in _COHORT_FIELDS))).mappings()}
        for row in rows:
            assert row.key is not None
            self.classify(row, existing.get(row.key))

    def write(self, rows: list[Row]) -> None:
        ctx, table = self.ctx, _table(Cohort)
        ctx.insert(table, [r.item | {"version": 1, "created_at": ctx.now,
                                     "updated_at": ctx.now}
                           for r in rows if r.action == "create" and r.item])
        ctx.update(table, [{"_id": r.existing_id, **r.changes}
                           for r in rows if r.action == "update"], versioned=True)


class Enrollments(Handler):
    kind = "enrollments"
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
        ctx, table = self.ctx, _table(Enrollment)
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
            org_id = orgs.get(row.item["reg_no"])
            if org_id is None:
                ctx.problem(row, "reg_no", "unknown_organization")
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
        ctx, table = self.ctx, _table(Enrollment)
        ctx.insert(table, [
            {k: v for k, v in r.item.items() if k != "reg_no"}
            | {"version": 1, "created_at": ctx.now, "updated_at": ctx.now}
            for r in rows if r.action == "create" and r.item])
        ctx.update(table, [{"_id": r.existing_id, **r.changes}
                           for r in rows if r.action == "update"], versioned=True)


HANDLERS: dict[str, type[Handler]] = {h.kind: h for h in (Cohorts, Enrollments)}
