"""Milestones: matched by registration number, kind, date and reference; they count for their
incubator's quarter."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import MilestoneKind
from db.models import Incubator, Milestone, Organization
from tracker.auth import Actor
from tracker.exports import Cell
from tracker.imports.base import Columns, Handler, Kind, Row, staff_incubator, table, table_of
from tracker.imports.cells import chunks, enum_text, enum_value, export_text
from tracker.schemas import MilestoneCreate
from tracker.services import quarters

COLUMNS: Columns = table("""
    reg_no *       Reģistrācijas numurs  40008000009
    incubator      Inkubators            VIDZEME
    kind *         Veids                 grant_awarded
    achieved_on *  Sasniegšanas datums   2025-06-30
    amount_eur     Summa, EUR            5000,00
    reference      Atsauce               LAD 2025/17
    description    Apraksts              Projekts jauniešu brīvprātīgajam darbam
""")


class Milestones(Handler):
    kind = "milestones"
    columns = COLUMNS
    updatable: ClassVar[dict[str, str]] = {
        "incubator": "incubator_id", "amount_eur": "amount_eur", "description": "description"}

    def fields_present(self) -> list[str]:
        present = super().fields_present()
        if not self.ctx.actor.is_manager and "incubator_id" not in present:
            present.append("incubator_id")  # staff: a blank incubator means their own
        return present

    def parse(self, row: Row) -> None:
        ctx, cells = self.ctx, row.cells
        ctx.required(row, self.required_columns)
        reg_no = ctx.reg_no(row, "reg_no")
        incubator_id = ctx.incubator(row, "incubator", own_if_blank=True)
        payload: dict[str, Any] = {"organization_id": 1}
        if incubator_id is not None:
            payload["incubator_id"] = incubator_id
        if cells.get("kind"):
            payload["kind"] = enum_value(MilestoneKind, cells["kind"])
        for name in ("achieved_on", "amount_eur", "reference", "description"):
            if cells.get(name):
                payload[name] = cells[name]
        data = ctx.validate(row, MilestoneCreate, payload, {
            "incubator_id": "incubator", "kind": "kind", "achieved_on": "achieved_on",
            "amount_eur": "amount_eur", "reference": "reference",
            "description": "description"})
        if data is None or row.problems or reg_no is None:
            return
        ctx.in_programme(row, "achieved_on", data.achieved_on, incubator_id)
        if row.problems:
            return
        row.key = (reg_no, data.kind.value, data.achieved_on, data.reference)
        row.item = {"reg_no": reg_no, "incubator_id": incubator_id, "kind": data.kind.value,
                    "achieved_on": data.achieved_on, "amount_eur": data.amount_eur,
                    "reference": data.reference, "description": data.description}

    def resolve(self, rows: list[Row]) -> None:
        ctx, table = self.ctx, table_of(Milestone)
        orgs = ctx.organizations(r.item["reg_no"] for r in rows if r.item)
        existing: dict[tuple[Any, ...], dict[str, Any]] = {}
        for part in chunks(sorted(set(orgs.values()))):
            for rec in ctx.session.execute(
                    select(table.c.id, table.c.organization_id, table.c.kind,
                           table.c.achieved_on, table.c.reference, table.c.incubator_id,
                           table.c.amount_eur, table.c.description)
                    .where(table.c.organization_id.in_(part), table.c.deleted_at.is_(None))
                    .order_by(table.c.id)).mappings():
                key = (rec["organization_id"], rec["kind"], rec["achieved_on"],
                       rec["reference"])
                existing.setdefault(key, dict(rec))
        for row in rows:
            assert row.item is not None and row.key is not None
            org_id = ctx.organization(row, orgs)
            if org_id is None:
                continue
            row.item["organization_id"] = org_id
            found = existing.get((org_id, *row.key[1:]))
            if found is not None and not ctx.is_manager \
                    and found["incubator_id"] != ctx.actor.incubator_id:
                ctx.problem(row, "incubator", "import_other_incubator",
                            own=ctx.incubator_by_id[ctx.actor.incubator_id or 0].code
                            if ctx.actor.incubator_id in ctx.incubator_by_id else "")
                continue
            self.classify(row, found)
            # a milestone counts for its incubator's quarter: a closed one takes no change
            frozen = [(i, row.item["achieved_on"]) for i in {
                row.item.get("incubator_id"), found["incubator_id"] if found else None}
                if i is not None and ctx.closed(i, row.item["achieved_on"])]
            if row.action in ("create", "update") and frozen:
                year, quarter = quarters.quarter_of(frozen[0][1])
                ctx.problem(row, "achieved_on", "not_allowed.quarter_closed",
                            quarter=quarters.quarter_label(year, quarter))
                row.action = None

    def write(self, rows: list[Row]) -> None:
        ctx = self.ctx
        ctx.insert(table_of(Milestone), [
            {k: v for k, v in r.item.items() if k != "reg_no"}
            | {"recorded_by_id": ctx.actor.user_id, "deleted_at": None, "version": 1,
               "created_at": ctx.now, "updated_at": ctx.now}
            for r in rows if r.action == "create" and r.item])
        ctx.update(table_of(Milestone), [{"_id": r.existing_id, **r.changes}
                                         for r in rows if r.action == "update"],
                   versioned=True)


def _export(session: Session, actor: Actor, lang: str) -> list[list[Cell]]:
    table = Milestone.__table__
    query = (select(table, Organization.reg_no, Incubator.code)
             .join(Organization, Organization.id == table.c.organization_id)
             .outerjoin(Incubator, Incubator.id == table.c.incubator_id)
             .where(table.c.deleted_at.is_(None), Organization.deleted_at.is_(None))
             .order_by(Organization.reg_no, table.c.achieved_on, table.c.kind,
                       table.c.reference, table.c.id))
    own = staff_incubator(actor)
    if own is not None:
        query = query.where(table.c.incubator_id == own)
    return [[r["reg_no"], r["code"], enum_text(MilestoneKind, r["kind"], lang), r["achieved_on"],
             r["amount_eur"], export_text(r["reference"]), export_text(r["description"])]
            for r in session.execute(query).mappings()]


KIND = Kind(handler=Milestones, export=_export)
