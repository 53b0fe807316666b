"""The kind `indicator_entries`: values of the indicators counted by hand (method `manual`:
an indicator an administrator added, e.g. MEDIA_MENTIONS; none is manual by default, documents
monitored are counted from the civic-dialogue register), one row per indicator, incubator and
date.

Staff give their own incubator's values (a blank incubator is theirs); managers and
administrators any incubator's, or the programme's as a whole (blank). A value dated in an
incubator's closed quarter cannot change, as everything else counted there.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import IndicatorMethod
from db.models import Incubator, Indicator, IndicatorEntry
from tracker.auth import Actor
from tracker.exports import Cell
from tracker.imports.base import (
    Columns,
    Context,
    Handler,
    Kind,
    Row,
    staff_incubator,
    table,
    table_of,
)
from tracker.imports.cells import export_text
from tracker.schemas import IndicatorEntryCreate
from tracker.services import quarters

COLUMNS: Columns = table("""
    indicator *  Rādītājs    MEDIA_MENTIONS
    incubator    Inkubators  VIDZEME
    date *       Datums      2025-03-31
    value *      Vērtība     42
    note         Piezīme     1. ceturksnis
""")


class IndicatorEntries(Handler):
    kind = "indicator_entries"
    columns = COLUMNS
    updatable: ClassVar[dict[str, str]] = {"value": "value", "note": "note"}

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.indicators = {code.upper(): (indicator_id, method) for indicator_id, code, method
                           in ctx.session.execute(select(Indicator.id, Indicator.code,
                                                         Indicator.method))}

    def parse(self, row: Row) -> None:
        ctx, cells = self.ctx, row.cells
        ctx.required(row, self.required_columns)
        found = self.indicators.get(cells.get("indicator", "").strip().upper())
        if cells.get("indicator") and found is None:
            ctx.problem(row, "indicator", "import_unknown_indicator")
        elif found is not None and found[1] != IndicatorMethod.MANUAL.value:
            ctx.problem(row, "indicator", "import_indicator_not_manual")
        incubator_id = ctx.incubator(row, "incubator", own_if_blank=True)
        payload: dict[str, Any] = {"indicator_id": found[0] if found else 1,
                                   "incubator_id": incubator_id}
        for cell, name in (("date", "entry_date"), ("value", "value"), ("note", "note")):
            if cells.get(cell):
                payload[name] = cells[cell]
        data = ctx.validate(row, IndicatorEntryCreate, payload, {
            "entry_date": "date", "value": "value", "note": "note", "incubator_id": "incubator"})
        if data is None or row.problems or found is None:
            return
        ctx.in_programme(row, "date", data.entry_date, incubator_id)
        if row.problems:
            return
        row.key = (data.indicator_id, incubator_id, data.entry_date)
        row.item = {"indicator_id": data.indicator_id, "incubator_id": incubator_id,
                    "entry_date": data.entry_date, "value": data.value, "note": data.note}

    def resolve(self, rows: list[Row]) -> None:
        ctx, table = self.ctx, table_of(IndicatorEntry)
        existing: dict[tuple[Any, ...], dict[str, Any]] = {}
        for rec in ctx.session.execute(
                select(table.c.id, table.c.indicator_id, table.c.incubator_id,
                       table.c.entry_date, table.c.value, table.c.note)
                .order_by(table.c.id)).mappings():
            existing.setdefault((rec["indicator_id"], rec["incubator_id"], rec["entry_date"]),
                                dict(rec))
        for row in rows:
            assert row.item is not None and row.key is not None
            self.classify(row, existing.get(row.key))
            incubator_id, day = row.item["incubator_id"], row.item["entry_date"]
            if row.action in ("create", "update") and incubator_id is not None \
                    and ctx.closed(incubator_id, day):
                year, quarter = quarters.quarter_of(day)
                ctx.problem(row, "date", "not_allowed.quarter_closed",
                            quarter=quarters.quarter_label(year, quarter))
                row.action = None

    def write(self, rows: list[Row]) -> None:
        ctx, table = self.ctx, table_of(IndicatorEntry)
        ctx.insert(table, [r.item | {"recorded_by_id": ctx.actor.user_id, "version": 1,
                                     "created_at": ctx.now, "updated_at": ctx.now}
                           for r in rows if r.action == "create" and r.item])
        ctx.update(table, [{"_id": r.existing_id, **r.changes}
                           for r in rows if r.action == "update"], versioned=True)


def _export(session: Session, actor: Actor, lang: str) -> list[list[Cell]]:
    table = IndicatorEntry.__table__
    query = (select(Indicator.code, Incubator.code.label("incubator"), table.c.entry_date,
                    table.c.value, table.c.note)
             .join(Indicator, Indicator.id == table.c.indicator_id)
             .outerjoin(Incubator, Incubator.id == table.c.incubator_id)
             .order_by(Indicator.sort_order, Indicator.code, table.c.entry_date,
                       Incubator.code.nulls_first(), table.c.id))
    own = staff_incubator(actor)
    if own is not None:
        query = query.where(table.c.incubator_id == own)
    return [[code, incubator, day, value, export_text(note)]
            for code, incubator, day, value, note in session.execute(query).all()]


KIND = Kind(handler=IndicatorEntries, export=_export)
