"""Attendance: a person named at an activity (the signed attendance sheet's line), matched by
incubator, the activity's reference and the person's reference.

The rules are the activity form's: the review and closed-quarter rules of participations
(Context.refused, and an administrator loading records exported elsewhere gives an approved
activity its first attendees: Context.first_load), and the attendee rules of
tracker.services.attendance (`assign`: people of the activity's incubator whose identity is
kept, named attendees no more than the activity's total nor than a participation's attendee
number, hours no more than the activity's), whose problems are shown on the row they come
from. A file adds attendees and changes their hours; it never removes one. An administrator
loading an export may name people whose identity is erased (restoring their attendance).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.enums import Role
from db.models import Activity, Attendance, Incubator, Participation, Person
from tracker.auth import Actor
from tracker.errors import ValidationFailed
from tracker.exports import Cell
from tracker.imports.base import Columns, Context, Handler, Kind, Row, staff_incubator, table
from tracker.imports.cells import FieldCache, chunks, export_text
from tracker.imports.kinds.activities import activity_ref, find_activities
from tracker.schemas import AttendeeIn
from tracker.services import attendance
from tracker.services._common import now

COLUMNS: Columns = table("""
    incubator *     Inkubators            VIDZEME
    activity_ref *  Aktivitātes atsauce   VID-2025-001
    person_ref *    Personas atsauce      P-0001
    hours           Stundas               2,5
""")


class Attendances(Handler):
    kind = "attendance"
    columns = COLUMNS
    updatable: ClassVar[dict[str, str]] = {"hours": "hours"}

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.cache = FieldCache(AttendeeIn, {"person_id": 1})
        # activity id -> its attendees as the import leaves them, each with the organisation
        # it counts for (attendance.assign's answer)
        self.plans: dict[int, tuple[list[AttendeeIn], dict[int, int | None]]] = {}

    def parse(self, row: Row) -> None:
        ctx = self.ctx
        ctx.required(row, self.required_columns)
        ctx.plain(row, ("activity_ref", "person_ref"))
        incubator_id = ctx.incubator(row, "incubator")
        hours = row.cells.get("hours")
        data = ctx.validate(row, AttendeeIn, {"person_id": 1, "hours": hours} if hours
                            else {"person_id": 1}, {"hours": "hours"}, self.cache)
        if data is None or row.problems or incubator_id is None:
            return
        ref, person_ref = row.cells["activity_ref"], row.cells["person_ref"]
        row.key = (incubator_id, ref, person_ref)
        row.item = {"incubator_id": incubator_id, "ref": ref, "person_ref": person_ref,
                    "hours": data.hours}

    def resolve(self, rows: list[Row]) -> None:
        ctx = self.ctx
        activities = find_activities(ctx, {(r.item["incubator_id"], r.item["ref"])
                                           for r in rows if r.item})
        people = self._people({(r.item["incubator_id"], r.item["person_ref"])
                               for r in rows if r.item})
        live = [a["id"] for a in activities.values() if a["deleted_at"] is None]
        # each activity's attendees in their order: person id -> hours
        existing: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
        if live:
            for activity_id, person_id, hours in ctx.session.execute(
                    select(Attendance.activity_id, Attendance.person_id, Attendance.hours)
                    .where(ctx.one_of(Attendance.activity_id, live))
                    .order_by(Attendance.activity_id, Attendance.id)).all():
                existing[activity_id][person_id] = hours
        pending: dict[int, list[Row]] = defaultdict(list)
        for row in rows:
            item = row.item
            assert item is not None
            activity = activities.get((item["incubator_id"], item["ref"]))
            if activity is None or activity["deleted_at"] is not None:
                ctx.problem(row, "activity_ref", "import_unknown_activity")
            who = people.get((item["incubator_id"], item["person_ref"]))
            if who is None:
                ctx.problem(row, "person_ref", "unknown_person")
            if row.problems or activity is None or who is None:
                continue
            person_id = item["person_id"] = who
            item["activity_id"] = activity["id"]
            had = existing.get(activity["id"], {})
            if person_id in had:
                self.classify(row, {"id": None, "hours": had[person_id]})
            else:
                row.action = "create"
            first_load = row.action == "create" and ctx.first_load(
                activity, filled=bool(existing.get(activity["id"])))
            if row.action != "unchanged" and not first_load \
                    and ctx.refused(row, "activity_ref", activity):
                row.action = None
                continue
            if row.action != "unchanged":
                pending[activity["id"]].append(row)
        if pending:
            wanted = list(pending)
            booked: dict[int, dict[int, int]] = defaultdict(dict)
            for activity_id, org_id, attendees in ctx.session.execute(
                    select(Participation.activity_id, Participation.organization_id,
                           Participation.attendees)
                    .where(ctx.one_of(Participation.activity_id, wanted))).all():
                booked[activity_id][org_id] = attendees
            sizes = {activity_id: (int(total), _plain(Decimal(hours)))
                     for activity_id, total, hours in ctx.session.execute(
                         select(Activity.id, Activity.total_participants, Activity.hours)
                         .where(ctx.one_of(Activity.id, wanted))).all()}
            for activity_id, group in pending.items():
                self._assign(activity_id, existing.get(activity_id, {}), group,
                             booked.get(activity_id, {}), *sizes[activity_id])

    def _people(self, keys: set[tuple[Any, ...]]) -> dict[tuple[Any, ...], int]:
        """The people's ids by (incubator id, ref)."""
        refs: dict[int, list[str]] = defaultdict(list)
        for incubator_id, ref in keys:
            refs[incubator_id].append(ref)
        found: dict[tuple[Any, ...], int] = {}
        for incubator_id, wanted in refs.items():
            for person_id, ref in self.ctx.session.execute(select(Person.id, Person.ref).where(
                    Person.incubator_id == incubator_id, self.ctx.one_of(Person.ref, wanted))):
                found[(incubator_id, ref)] = person_id
        return found

    def _assign(self, activity_id: int, old: dict[int, Decimal | None], group: list[Row],
                participations: dict[int, int], total: int, hours: Decimal) -> None:
        """The activity's attendees with the file's through attendance.assign; a problem it
        finds goes to the row it comes from (the row leaves, the rest are checked again), or
        to every row of the activity when it is about them all (more than its total)."""
        ctx = self.ctx
        incubator_id = group[0].item["incubator_id"] if group[0].item else 0
        while group:
            attendees, rows = _merged(old, group)
            # an administrator restoring records may name people whose identity is erased
            kept = frozenset(a.person_id for a in attendees) \
                if ctx.actor.role is Role.ADMIN else frozenset(old)
            try:
                assigned = attendance.assign(
                    ctx.session, incubator_id=incubator_id, participations=participations,
                    attendees=attendees, total=total, hours=hours, kept=kept)
            except ValidationFailed as error:
                problem = error.errors[0]
                parts = problem.field.split(".")
                row = rows[int(parts[1])] if len(parts) > 2 and parts[1].isdigit() else None
                column = "hours" if parts[-1] == "hours" else "person_ref"
                for each in [row] if row is not None else list(group):
                    ctx.problem(each, column, problem.code, **problem.params)
                    each.action = None
                group = [r for r in group if r.action is not None]
                continue
            self.plans[activity_id] = (attendees, assigned)
            return

    def write(self, rows: list[Row]) -> None:
        """The attendees as resolve checked and assigned them (nothing has changed since,
        in this transaction), written by attendance.apply, activity by activity."""
        ctx = self.ctx
        touched = sorted({r.item["activity_id"] for r in rows
                          if r.action in ("create", "update") and r.item})
        stamp = now()
        with ctx.session.no_autoflush:
            for part in chunks(touched, 500):
                for activity in ctx.session.scalars(
                        select(Activity).where(ctx.one_of(Activity.id, part))
                        .options(selectinload(Activity.attendances))):
                    attendance.apply(activity, *self.plans[activity.id])
                    # a changed activity: a form open on an older copy must not save over it
                    activity.updated_at = stamp
                ctx.session.flush()
                ctx.tick()


def _plain(hours: Decimal) -> Decimal:
    """Hours as the form has them (2, not 2.00): the messages show them."""
    return hours.quantize(Decimal(1)) if hours == hours.to_integral() else hours.normalize()


def _merged(old: dict[int, Decimal | None], group: list[Row]
            ) -> tuple[list[AttendeeIn], list[Row | None]]:
    """The activity's attendees as they will be (its own first, in their order, then the new
    ones), and the row each comes from (None: an attendee the file does not touch)."""
    wanted = {r.item["person_id"]: r for r in group if r.item}
    attendees: list[AttendeeIn] = []
    rows: list[Row | None] = []
    for person_id, hours in old.items():
        row = wanted.pop(person_id, None)
        if row is not None and row.item is not None and row.action == "update":
            hours = row.item["hours"]
        attendees.append(AttendeeIn(person_id=person_id, hours=hours))
        rows.append(row)
    for person_id, row in wanted.items():
        attendees.append(AttendeeIn(person_id=person_id,
                                    hours=row.item["hours"] if row.item else None))
        rows.append(row)
    return attendees, rows


def _export(session: Session, actor: Actor, lang: str) -> list[list[Cell]]:
    query = (select(Incubator.code, Activity.id, Activity.external_ref, Person.ref,
                    Attendance.hours)
             .join(Activity, Activity.id == Attendance.activity_id)
             .join(Incubator, Incubator.id == Activity.incubator_id)
             .join(Person, Person.id == Attendance.person_id)
             .where(Activity.deleted_at.is_(None))
             .order_by(Incubator.code, Activity.activity_date, Activity.id, Person.ref))
    own = staff_incubator(actor)
    if own is not None:
        query = query.where(Activity.incubator_id == own)
    return [[code, export_text(activity_ref(activity_id, ref)), export_text(person_ref), hours]
            for code, activity_id, ref, person_ref, hours in session.execute(query).all()]


KIND = Kind(handler=Attendances, export=_export)
