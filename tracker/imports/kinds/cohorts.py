"""Cycles (cohorts): an incubator's cycle written INCUBATOR-NUMBER, matched by it; an
administrator's to create and change, as on the Cycles page."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import Role
from db.models import Cohort, Incubator
from tracker.auth import Actor
from tracker.exports import Cell
from tracker.imports.base import (
    COHORT_TEXT,
    Columns,
    Handler,
    Kind,
    Row,
    staff_incubator,
    table,
    table_of,
)
from tracker.imports.cells import export_text
from tracker.schemas import COHORT_DATES, CohortCreate

_COHORT_FIELDS = ("name", "call_opens_on", "call_closes_on", "start_date", "end_date", "seats")

COLUMNS: Columns = table("""
    cohort *        Cikls                VIDZEME-2
    name *          Nosaukums            2. cikls
    call_opens_on   Pieteikšanās sākums  2025-10-01
    call_closes_on  Pieteikšanās beigas  2025-11-15
    start_date *    Sākuma datums        2026-01-05
    end_date *      Beigu datums         2026-12-18
    seats           Vietas               15
""")


class Cohorts(Handler):
    kind = "cohorts"
    columns = COLUMNS
    updatable: ClassVar[dict[str, str]] = {name: name for name in _COHORT_FIELDS}

    def parse(self, row: Row) -> None:
        ctx, cells = self.ctx, row.cells
        ctx.required(row, self.required_columns)
        if ctx.actor.role is not Role.ADMIN:
            ctx.problem(row, None, "import_cohorts_admin")
            return
        text = cells.get("cohort", "")
        match = COHORT_TEXT.match(text) if text else None
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
        for name in COHORT_DATES:
            value = getattr(data, name)
            if value is not None:
                ctx.in_programme(row, name, value, incubator.id)
        if row.problems:
            return
        row.key = (incubator.id, data.number)
        row.item = {"incubator_id": incubator.id, "number": data.number} | {
            name: getattr(data, name) for name in _COHORT_FIELDS}

    def resolve(self, rows: list[Row]) -> None:
        table = table_of(Cohort)
        existing = {(r["incubator_id"], r["number"]): dict(r) for r in self.ctx.session.execute(
            select(table.c.id, table.c.incubator_id, table.c.number,
                   *(table.c[f] for f in _COHORT_FIELDS))).mappings()}
        for row in rows:
            assert row.key is not None
            self.classify(row, existing.get(row.key))

    def write(self, rows: list[Row]) -> None:
        ctx, table = self.ctx, table_of(Cohort)
        ctx.insert(table, [r.item | {"version": 1, "created_at": ctx.now,
                                     "updated_at": ctx.now}
                           for r in rows if r.action == "create" and r.item])
        ctx.update(table, [{"_id": r.existing_id, **r.changes}
                           for r in rows if r.action == "update"], versioned=True)


def _export(session: Session, actor: Actor, lang: str) -> list[list[Cell]]:
    query = (select(Cohort, Incubator.code).join(Incubator, Incubator.id == Cohort.incubator_id)
             .order_by(Incubator.code, Cohort.number))
    own = staff_incubator(actor)
    if own is not None:
        query = query.where(Cohort.incubator_id == own)
    return [[f"{code}-{c.number}", export_text(c.name), c.call_opens_on, c.call_closes_on,
             c.start_date, c.end_date, c.seats] for c, code in session.execute(query).all()]


KIND = Kind(handler=Cohorts, export=_export)
