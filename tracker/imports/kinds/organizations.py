"""Organisations: matched by registration number; staff change those their incubator works with,
or nobody does yet."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import LegalForm
from db.models import Municipality, Organization
from db.search import name_key
from tracker.auth import Actor
from tracker.exports import Cell
from tracker.imports.base import Columns, Handler, Kind, Row, table, table_of
from tracker.imports.cells import (
    LIST_SEPARATOR,
    atvk,
    chunks,
    enum_text,
    enum_value,
    export_text,
    split_list,
)
from tracker.schemas import OrganizationCreate
from tracker.services.organizations import editable_by_staff

COLUMNS: Columns = table("""
    reg_no *            Reģistrācijas numurs      40008000009
    name *              Nosaukums                 Biedrība „Zaļā Vidzeme”
    legal_form          Juridiskā forma           association
    municipality_atvk   Pašvaldības ATVK kods     0054000
    fields_of_activity  Darbības jomas            vide; izglītība
    founded_on          Dibināšanas datums        2012-05-14
    members             Biedri                    25
    volunteers          Brīvprātīgie              10
    employees           Darbinieki                2
    contact_name        Kontaktpersona            Anna Bērziņa
    contact_email       Kontaktpersonas e-pasts   anna@example.lv
    contact_phone       Kontaktpersonas tālrunis  +371 20000000
""")


class Organizations(Handler):
    kind = "organizations"
    columns = COLUMNS
    updatable: ClassVar[dict[str, str]] = {
        "name": "name", "legal_form": "legal_form", "municipality_atvk": "municipality_id",
        "fields_of_activity": "fields_of_activity", "founded_on": "founded_on",
        "members": "members", "volunteers": "volunteers", "employees": "employees",
        "contact_name": "contact_name", "contact_email": "contact_email",
        "contact_phone": "contact_phone"}

    def parse(self, row: Row) -> None:
        ctx = self.ctx
        ctx.required(row, self.required_columns)
        payload: dict[str, Any] = {}
        for name in ("reg_no", "name", "founded_on", "members", "volunteers", "employees",
                     "contact_name", "contact_email", "contact_phone"):
            if row.cells.get(name):
                payload[name] = row.cells[name]
        if row.cells.get("legal_form"):
            payload["legal_form"] = enum_value(LegalForm, row.cells["legal_form"])
        if row.cells.get("municipality_atvk"):
            payload["municipality_atvk"] = atvk(row.cells["municipality_atvk"])
        if row.cells.get("fields_of_activity"):
            payload["fields_of_activity"] = split_list(row.cells["fields_of_activity"])
        data = ctx.validate(row, OrganizationCreate, payload, {"reg_no": "reg_no"} | {
            f: c for c, f in {**self.updatable, "municipality_atvk": "municipality_atvk"}
            .items()})
        if data is None or row.problems:
            return
        place = ctx.municipality(row, "municipality_atvk", data.municipality_atvk)
        if row.problems:
            return
        row.key = (data.reg_no,)
        row.item = {
            "reg_no": data.reg_no, "name": data.name, "legal_form": data.legal_form.value,
            "municipality_id": place, "fields_of_activity": list(data.fields_of_activity),
            "founded_on": data.founded_on, "members": data.members,
            "volunteers": data.volunteers, "employees": data.employees,
            "contact_name": data.contact_name, "contact_email": data.contact_email,
            "contact_phone": data.contact_phone}

    def resolve(self, rows: list[Row]) -> None:
        ctx, table = self.ctx, table_of(Organization)
        fields = list(self.updatable.values())
        existing: dict[str, dict[str, Any]] = {}
        for part in chunks(sorted({r.item["reg_no"] for r in rows if r.item})):
            for rec in ctx.session.execute(
                    select(table.c.id, table.c.reg_no, table.c.deleted_at,
                           *(table.c[f] for f in fields))
                    .where(table.c.reg_no.in_(part))).mappings():
                existing[rec["reg_no"]] = dict(rec)
        for row in rows:
            assert row.item is not None
            found = existing.get(row.item["reg_no"])
            if found is not None and found["deleted_at"] is not None:
                ctx.problem(row, "reg_no", "import_deleted")
                continue
            if found is not None:
                found = found | {"fields_of_activity": list(found["fields_of_activity"] or [])}
            self.classify(row, found)
        if not ctx.is_manager:
            self._staff_may_edit([r for r in rows if r.action == "update"])

    def _staff_may_edit(self, rows: list[Row]) -> None:
        """Staff change organisations as the organisation form lets them."""
        allowed = editable_by_staff(self.ctx.session, incubator_id=self.ctx.actor.incubator_id,
                                    organization_ids=(r.existing_id for r in rows
                                                      if r.existing_id is not None))
        for row in rows:
            if row.existing_id not in allowed:
                self.ctx.problem(row, "reg_no", "import_not_your_organization")

    def write(self, rows: list[Row]) -> None:
        ctx, table = self.ctx, table_of(Organization)
        creates = [r.item | {"name_search": name_key(r.item["name"]), "version": 1,
                             "created_at": ctx.now, "updated_at": ctx.now}
                   for r in rows if r.action == "create" and r.item]
        ctx.insert(table, creates)
        updates = []
        for r in rows:
            if r.action == "update":
                change = dict(r.changes)
                if "name" in change:
                    change["name_search"] = name_key(change["name"])
                updates.append({"_id": r.existing_id, **change})
        ctx.update(table, updates, versioned=True)


def _export(session: Session, actor: Actor, lang: str) -> list[list[Cell]]:
    query = (select(Organization, Municipality.atvk)
             .outerjoin(Municipality, Municipality.id == Organization.municipality_id)
             .where(Organization.deleted_at.is_(None)).order_by(Organization.reg_no))
    return [[org.reg_no, export_text(org.name), enum_text(LegalForm, org.legal_form, lang), atvk,
             export_text(LIST_SEPARATOR.join(org.fields_of_activity or [])) or None, org.founded_on,
             org.members, org.volunteers, org.employees, export_text(org.contact_name),
             export_text(org.contact_email), export_text(org.contact_phone)]
            for org, atvk in session.execute(query).all()]


KIND = Kind(handler=Organizations, export=_export)
