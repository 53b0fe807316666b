"""Participations: an organisation at an activity, matched by the activity's reference (within
its incubator) and registration number."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, ClassVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.models import Activity, Incubator, Organization, Participation
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
from tracker.imports.cells import FieldCache, export_text
from tracker.imports.kinds.activities import activity_ref, find_activities
from tracker.schemas import ParticipationIn

COLUMNS: Columns = table("""
    activity_ref *  Aktivitātes atsauce   VID-2025-001
    incubator *     Inkubators            VIDZEME
    reg_no *        Reģistrācijas numurs  40008000009
    attendees *     Apmeklētāji           3
""")


class Participations(Handler):
    kind = "participations"
    columns = COLUMNS
    updatable: ClassVar[dict[str, str]] = {"attendees": "attendees"}

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.cache = FieldCache(ParticipationIn, {"organization_id": 1, "attendees": 1})

    def parse(self, row: Row) -> None:
        ctx = self.ctx
        ctx.required(row, self.required_columns)
        ctx.plain(row, ("activity_ref",))
        incubator_id = ctx.incubator(row, "incubator")
        reg_no = ctx.reg_no(row, "reg_no")
        attendees = row.cells.get("attendees")
        data = ctx.validate(row, ParticipationIn, {"organization_id": 1, "attendees": attendees}
                            if attendees else {"organization_id": 1}, {"attendees": "attendees"},
                            self.cache)
        if data is None or row.problems or incubator_id is None or reg_no is None:
            return
        ref = row.cells["activity_ref"]
        row.key = (incubator_id, ref, reg_no)
        row.item = {"incubator_id": incubator_id, "ref": ref, "reg_no": reg_no,
                    "attendees": data.attendees}

    def resolve(self, rows: list[Row]) -> None:
        ctx = self.ctx
        orgs = ctx.organizations(r.item["reg_no"] for r in rows if r.item)
        activities = find_activities(ctx, {(r.item["incubator_id"], r.item["ref"])
                                           for r in rows if r.item})
        live = [a["id"] for a in activities.values() if a["deleted_at"] is None]
        existing: dict[tuple[int, int], dict[str, Any]] = {}
        if live:
            for rec in ctx.session.execute(
                    select(Participation.id, Participation.activity_id,
                           Participation.organization_id, Participation.attendees)
                    .where(ctx.one_of(Participation.activity_id, live))).mappings().all():
                existing[(rec["activity_id"], rec["organization_id"])] = dict(rec)
        pending: list[Row] = []
        with_people = {activity_id for activity_id, _org in existing}
        for row in rows:
            item = row.item
            assert item is not None
            activity = activities.get((item["incubator_id"], item["ref"]))
            if activity is None or activity["deleted_at"] is not None:
                ctx.problem(row, "activity_ref", "import_unknown_activity")
            org_id = orgs.get(item["reg_no"])
            if org_id is None:
                ctx.problem(row, "reg_no", "unknown_organization")
            if row.problems or activity is None or org_id is None:
                continue
            activity_id = activity["id"]
            item["activity_id"], item["organization_id"] = activity_id, org_id
            item["total"] = activity["total_participants"]
            old = existing.get((activity_id, org_id)) if existing else None
            if old is None:
                row.action = "create"
            else:
                self.classify(row, old)
            first_load = row.action == "create" and ctx.first_load(
                activity, filled=activity_id in with_people)
            if row.action != "unchanged" and not first_load \
                    and ctx.refused(row, "activity_ref", activity):
                row.action = None
                continue
            pending.append(row)
        # the attendees of an activity, its old ones and the file's, within its total
        totals: dict[int, int] = defaultdict(int)
        for (activity_id, _org), booked in existing.items():
            totals[activity_id] += booked["attendees"]
        by_activity: dict[int, list[Row]] = defaultdict(list)
        for row in pending:
            item = row.item
            assert item is not None
            activity_id = item["activity_id"]
            old = existing.get((activity_id, item["organization_id"])) if existing else None
            totals[activity_id] += item["attendees"] - (old["attendees"] if old else 0)
            by_activity[activity_id].append(row)
        for activity_id, group in by_activity.items():
            total = group[0].item["total"] if group[0].item else 0
            if totals[activity_id] > total:
                for row in group:
                    ctx.problem(row, "attendees", "attendees_exceed_total",
                                attendees=totals[activity_id], total=total)
                    row.action = None

    def write(self, rows: list[Row]) -> None:
        ctx = self.ctx
        ctx.insert(table_of(Participation), [
            {"activity_id": r.item["activity_id"], "organization_id": r.item["organization_id"],
             "attendees": r.item["attendees"]} for r in rows if r.action == "create" and r.item])
        ctx.update(table_of(Participation), [{"_id": r.existing_id, **r.changes}
                                             for r in rows if r.action == "update"],
                   versioned=False)
        # an activity whose participants changed is a changed activity: a form open on an
        # older copy must not save over the import
        touched = sorted({r.item["activity_id"] for r in rows
                          if r.action in ("create", "update") and r.item})
        table = table_of(Activity)
        if touched:
            ctx.session.execute(update(table).where(ctx.one_of(table.c.id, touched)).values(
                version=table.c.version + 1, updated_at=ctx.now))


def _export(session: Session, actor: Actor, lang: str) -> list[list[Cell]]:
    query = (select(Activity.id, Activity.external_ref, Incubator.code, Organization.reg_no,
                    Participation.attendees)
             .join(Activity, Activity.id == Participation.activity_id)
             .join(Incubator, Incubator.id == Activity.incubator_id)
             .join(Organization, Organization.id == Participation.organization_id)
             .where(Activity.deleted_at.is_(None), Organization.deleted_at.is_(None))
             .order_by(Incubator.code, Activity.activity_date, Activity.id, Organization.reg_no))
    own = staff_incubator(actor)
    if own is not None:
        query = query.where(Activity.incubator_id == own)
    return [[export_text(activity_ref(activity_id, ref)), code, reg_no, attendees]
            for activity_id, ref, code, reg_no, attendees in session.execute(query).all()]


KIND = Kind(handler=Participations, export=_export)
