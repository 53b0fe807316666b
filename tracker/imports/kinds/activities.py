"""Activities: matched by incubator and the importer's own reference (`ref`); the review and
closed-quarter rules of the forms hold."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from db.enums import ActivityFormat, ActivityStatus, ActivityType, CapacityArea, Role
from db.models import Activity, ActivityArea, Incubator, Municipality, Participation
from tracker.auth import Actor
from tracker.exports import Cell
from tracker.imports.base import (
    Columns,
    Context,
    Handler,
    Kind,
    Row,
    cohort_names,
    staff_incubator,
    table,
    table_of,
)
from tracker.imports.cells import (
    LIST_SEPARATOR,
    FieldCache,
    atvk,
    chunks,
    enum_text,
    enum_value,
    export_text,
    split_list,
)
from tracker.schemas import ActivityCreate
from tracker.services import quarters

_AUTHOR_STATUSES = frozenset({ActivityStatus.DRAFT.value, ActivityStatus.SUBMITTED.value})
_ID_REF = re.compile(r"^#(\d{1,12})$")  # exported for activities that have no ref of their own

COLUMNS: Columns = table("""
    ref *                 Atsauce                 VID-2025-001
    incubator *           Inkubators              VIDZEME
    type *                Veids                   training
    title *               Nosaukums               Finanšu vadības apmācība
    date *                Datums                  2025-03-14
    hours *               Stundas                 2,5
    format                Formāts                 in_person
    municipality_atvk     Pašvaldības ATVK kods   0054000
    capacity_areas        Kapacitātes jomas       finance; strategy
    total_participants *  Dalībnieku skaits kopā  12
    next_steps            Nākamie soļi            Individuālas konsultācijas
    status                Statuss                 submitted
    cohort                Cikls                   VIDZEME-1
""")


class Activities(Handler):
    kind = "activities"
    columns = COLUMNS
    updatable: ClassVar[dict[str, str]] = {
        "type": "type", "title": "title", "date": "activity_date", "hours": "hours",
        "format": "format", "municipality_atvk": "municipality_id",
        "capacity_areas": "areas", "total_participants": "total_participants",
        "next_steps": "next_steps", "status": "status", "cohort": "cohort_id"}
    schema_fields: ClassVar[dict[str, str]] = {
        "type": "type", "title": "title", "activity_date": "date", "hours": "hours",
        "format": "format", "municipality_atvk": "municipality_atvk",
        "capacity_areas": "capacity_areas", "total_participants": "total_participants",
        "next_steps": "next_steps", "status": "status", "cohort_id": "cohort",
        "external_ref": "ref", "incubator_id": "incubator"}

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.cache = FieldCache(ActivityCreate, {
            "incubator_id": 1, "type": ActivityType.TRAINING.value, "title": "Title",
            "activity_date": "2025-01-01", "hours": "1", "total_participants": 0},
            free=("title", "external_ref", "next_steps"))

    def parse(self, row: Row) -> None:
        ctx, cells = self.ctx, row.cells
        ctx.required(row, self.required_columns)
        incubator_id = ctx.incubator(row, "incubator")
        cohort_id = ctx.cohort(row, "cohort", incubator_id)
        payload: dict[str, Any] = {"incubator_id": incubator_id or 1,
                                   "external_ref": cells.get("ref", "")}
        for column, name in (("title", "title"), ("date", "activity_date"), ("hours", "hours"),
                             ("total_participants", "total_participants"),
                             ("next_steps", "next_steps")):
            if cells.get(column):
                payload[name] = cells[column]
        if cells.get("municipality_atvk"):
            payload["municipality_atvk"] = atvk(cells["municipality_atvk"])
        for column, enum in (("type", ActivityType), ("format", ActivityFormat),
                             ("status", ActivityStatus)):
            if cells.get(column):
                payload[column] = enum_value(enum, cells[column])
        if "status" not in payload:  # submitted, or drafts when the importer chose so
            payload["status"] = ActivityStatus.DRAFT.value if ctx.as_drafts \
                else ActivityStatus.SUBMITTED.value
        if cells.get("capacity_areas"):
            payload["capacity_areas"] = [enum_value(CapacityArea, a)
                                         for a in split_list(cells["capacity_areas"])]
        if cohort_id is not None:
            payload["cohort_id"] = cohort_id
        data = ctx.validate(row, ActivityCreate, payload, self.schema_fields, self.cache)
        if data is None or row.problems or incubator_id is None:
            return
        ctx.in_programme(row, "date", data.activity_date, incubator_id)
        place = ctx.municipality(row, "municipality_atvk", data.municipality_atvk,
                                 data.activity_date)
        if row.problems:
            return
        ref = data.external_ref or ""
        row.key = (incubator_id, ref)
        row.item = {
            "incubator_id": incubator_id, "external_ref": ref, "type": data.type.value,
            "title": data.title, "activity_date": data.activity_date, "hours": data.hours,
            "format": data.format.value, "municipality_id": place, "cohort_id": data.cohort_id,
            "total_participants": data.total_participants, "next_steps": data.next_steps,
            "status": data.status.value, "areas": tuple(a.value for a in data.capacity_areas)}

    def resolve(self, rows: list[Row]) -> None:
        ctx = self.ctx
        found = find_activities(ctx, {(r.item["incubator_id"], r.item["external_ref"])
                                      for r in rows if r.item}, details=True)
        attendees = attendee_sums(ctx, [a["id"] for a in found.values()
                                        if a["deleted_at"] is None])
        for row in rows:
            assert row.item is not None
            existing = found.get((row.item["incubator_id"], row.item["external_ref"]))
            if existing is not None and existing["deleted_at"] is not None:
                ctx.problem(row, "ref", "import_deleted")
                continue
            if existing is not None and "total_participants" in row.cells:
                booked = attendees.get(existing["id"], 0)
                if row.item["total_participants"] < booked:
                    ctx.problem(row, "total_participants", "attendees_exceed_total",
                                attendees=booked, total=row.item["total_participants"])
                    continue
            status = row.item["status"]
            if ctx.actor.role is not Role.ADMIN and status not in _AUTHOR_STATUSES and (
                    existing is None or existing["status"] != status):
                ctx.problem(row, "status", "import_status_not_allowed")
                continue
            if ctx.closed(row.item["incubator_id"], row.item["activity_date"]) and (
                    existing is None or existing["activity_date"] != row.item["activity_date"]):
                year, quarter = quarters.quarter_of(row.item["activity_date"])
                ctx.problem(row, "date", "not_allowed.quarter_closed",
                            quarter=quarters.quarter_label(year, quarter))
                continue
            self.classify(row, existing)
            if row.action == "update" and existing is not None and ctx.refused(
                    row, "ref", existing):
                row.action = None

    def write(self, rows: list[Row]) -> None:
        ctx, table = self.ctx, table_of(Activity)
        creates = [r for r in rows if r.action == "create" and r.item]
        ids = ctx.new_ids(table, len(creates))
        common = {"author_id": ctx.actor.user_id, "review_comment": None, "deleted_at": None,
                  "version": 1, "created_at": ctx.now, "updated_at": ctx.now}
        ctx.insert(table, [
            {"id": new_id, **{k: v for k, v in r.item.items() if k != "areas"}, **common}
            for r, new_id in zip(creates, ids, strict=True) if r.item])
        areas = [{"activity_id": new_id, "area": a}
                 for r, new_id in zip(creates, ids, strict=True) if r.item
                 for a in r.item["areas"]]
        updates = [r for r in rows if r.action == "update"]
        changed_areas = [r for r in updates if "areas" in r.changes]
        if changed_areas:
            ctx.session.execute(delete(table_of(ActivityArea)).where(ctx.one_of(
                table_of(ActivityArea).c.activity_id, [r.existing_id for r in changed_areas])))
        areas += [{"activity_id": r.existing_id, "area": a}
                  for r in changed_areas for a in r.changes["areas"]]
        ctx.insert(table_of(ActivityArea), areas)
        ctx.update(table, [{"_id": r.existing_id, **{k: v for k, v in r.changes.items()
                                                    if k != "areas"}} for r in updates],
                   versioned=True)


def find_activities(ctx: Context, keys: Iterable[tuple[Any, ...]], *, details: bool = False
                    ) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Activities by (incubator id, ref), deleted ones included. A ref #123 that no activity
    carries is activity 123 of that incubator when it has no ref (exports write it so)."""
    table = table_of(Activity)
    by_incubator: dict[int, list[str]] = defaultdict(list)
    for inc_id, ref in keys:
        by_incubator[inc_id].append(ref)
    cols = [table.c.id, table.c.incubator_id, table.c.external_ref, table.c.deleted_at,
            table.c.total_participants, table.c.status, table.c.author_id,
            table.c.activity_date]
    if details:
        cols += [table.c.type, table.c.title, table.c.hours,
                 table.c.format, table.c.municipality_id, table.c.cohort_id,
                 table.c.next_steps]
    names = [c.name for c in cols]
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    for inc_id, refs in by_incubator.items():
        for rec in ctx.session.execute(select(*cols).where(
                table.c.incubator_id == inc_id,
                ctx.one_of(table.c.external_ref, set(refs)))).all():
            found[(inc_id, rec[2])] = dict(zip(names, rec, strict=True))
        by_id = {int(m.group(1)): ref for ref in refs
                 if ref[:1] == "#" and (inc_id, ref) not in found
                 for m in [_ID_REF.match(ref)] if m}
        if by_id:
            for rec in ctx.session.execute(select(*cols).where(
                    table.c.incubator_id == inc_id, ctx.one_of(table.c.id, by_id),
                    table.c.external_ref.is_(None))).all():
                found[(inc_id, by_id[rec[0]])] = dict(zip(names, rec, strict=True))
    if details and found:
        areas: dict[int, list[str]] = defaultdict(list)
        for activity_id, area in ctx.session.execute(
                select(ActivityArea.activity_id, ActivityArea.area).where(ctx.one_of(
                    ActivityArea.activity_id, [a["id"] for a in found.values()]))).all():
            areas[activity_id].append(area)
        for activity in found.values():
            activity["areas"] = tuple(sorted(areas.get(activity["id"], [])))
    return found


def attendee_sums(ctx: Context, activity_ids: Sequence[int]) -> dict[int, int]:
    if not activity_ids:
        return {}
    return {k: int(v) for k, v in ctx.session.execute(
        select(Participation.activity_id, func.sum(Participation.attendees))
        .where(ctx.one_of(Participation.activity_id, activity_ids))
        .group_by(Participation.activity_id)).all()}


def activity_ref(activity_id: int, ref: str | None) -> str:
    return ref if ref is not None else f"#{activity_id}"


def _export(session: Session, actor: Actor, lang: str) -> list[list[Cell]]:
    table = Activity.__table__
    query = (select(table, Incubator.code, Municipality.atvk)
             .join(Incubator, Incubator.id == table.c.incubator_id)
             .outerjoin(Municipality, Municipality.id == table.c.municipality_id)
             .where(table.c.deleted_at.is_(None))
             .order_by(Incubator.code, table.c.activity_date, table.c.id))
    own = staff_incubator(actor)
    if own is not None:
        query = query.where(table.c.incubator_id == own)
    records = session.execute(query).mappings().all()
    areas: dict[int, list[str]] = defaultdict(list)
    for part in chunks([r["id"] for r in records]):
        for activity_id, area in session.execute(
                select(ActivityArea.activity_id, ActivityArea.area)
                .where(ActivityArea.activity_id.in_(part)).order_by(ActivityArea.area)):
            areas[activity_id].append(enum_text(CapacityArea, area, lang))
    cohorts = cohort_names(session)
    return [[export_text(activity_ref(r["id"], r["external_ref"])), r["code"],
             enum_text(ActivityType, r["type"], lang), export_text(r["title"]), r["activity_date"],
             r["hours"], enum_text(ActivityFormat, r["format"], lang), r["atvk"],
             export_text(LIST_SEPARATOR.join(areas.get(r["id"], []))) or None,
             r["total_participants"], export_text(r["next_steps"]),
             enum_text(ActivityStatus, r["status"], lang),
             cohorts.get(r["cohort_id"]) if r["cohort_id"] else None]
            for r in records]


KIND = Kind(handler=Activities, export=_export)
