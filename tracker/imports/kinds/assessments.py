"""Capacity assessments: matched by registration number, cycle, kind and date, with the seven
area scores."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, ClassVar

from sqlalchemy import and_, delete, exists, insert, or_, select
from sqlalchemy.orm import Session

from db.enums import AssessmentKind
from db.models import Assessment, AssessmentScore, Cohort, Enrollment, Organization
from tracker.auth import Actor
from tracker.exports import Cell
from tracker.imports.base import (
    Columns,
    Handler,
    Kind,
    Row,
    cohort_names,
    staff_incubator,
    table,
    table_of,
)
from tracker.imports.cells import chunks, enum_text, enum_value, export_text
from tracker.schemas import AssessmentCreate
from tracker.services import quarters
from tracker.services.assessments import capacity_index

AREA_COLUMNS: tuple[str, ...] = ("governance", "strategy", "finance", "people", "delivery",
                                 "communication", "advocacy")

COLUMNS: Columns = table("""
    reg_no *         Reģistrācijas numurs  40008000009
    cohort           Cikls                 VIDZEME-1
    kind *           Veids                 intake
    assessed_on *    Novērtējuma datums    14.03.2025
    governance *     Pārvaldība            2
    strategy *       Stratēģija            1
    finance *        Finanses              2
    people *         Cilvēkresursi         3
    delivery *       Programmu īstenošana  2
    communication *  Komunikācija          2
    advocacy *       Interešu aizstāvība   1
    notes            Piezīmes              Sākuma novērtējums
""")


class Assessments(Handler):
    kind = "assessments"
    columns = COLUMNS
    updatable: ClassVar[dict[str, str]] = {**{a: "scores" for a in AREA_COLUMNS},
                                           "notes": "notes"}

    def parse(self, row: Row) -> None:
        ctx, cells = self.ctx, row.cells
        ctx.required(row, self.required_columns)
        reg_no = ctx.reg_no(row, "reg_no")
        cohort_id = ctx.cohort(row, "cohort", None)
        payload: dict[str, Any] = {
            "organization_id": 1,
            "scores": {a: cells[a] for a in AREA_COLUMNS if cells.get(a)}}
        if cohort_id is not None:
            payload["cohort_id"] = cohort_id
        if cells.get("kind"):
            payload["kind"] = enum_value(AssessmentKind, cells["kind"])
        for name in ("assessed_on", "notes"):
            if cells.get(name):
                payload[name] = cells[name]
        data = ctx.validate(row, AssessmentCreate, payload, {
            "kind": "kind", "assessed_on": "assessed_on", "notes": "notes",
            "cohort_id": "cohort", **{a: a for a in AREA_COLUMNS}})
        if data is None or row.problems or reg_no is None:
            return
        incubator_id = ctx.cohort_incubator.get(cohort_id) if cohort_id else None
        ctx.in_programme(row, "assessed_on", data.assessed_on, incubator_id)
        if row.problems:
            return
        scores = {a.value: s for a, s in data.scores.items()}
        row.key = (reg_no, cohort_id, data.kind.value, data.assessed_on)
        row.item = {"reg_no": reg_no, "cohort_id": cohort_id, "kind": data.kind.value,
                    "assessed_on": data.assessed_on, "notes": data.notes, "scores": scores,
                    "capacity_index": capacity_index(scores), "incubator_id": incubator_id}

    def resolve(self, rows: list[Row]) -> None:
        ctx, table = self.ctx, table_of(Assessment)
        orgs = ctx.organizations(r.item["reg_no"] for r in rows if r.item)
        ids = sorted(set(orgs.values()))
        existing: dict[tuple[Any, ...], dict[str, Any]] = {}
        for part in chunks(ids):
            for rec in ctx.session.execute(
                    select(table.c.id, table.c.organization_id, table.c.cohort_id, table.c.kind,
                           table.c.assessed_on, table.c.notes)
                    .where(table.c.organization_id.in_(part), table.c.deleted_at.is_(None))
                    .order_by(table.c.id)).mappings():
                key = (rec["organization_id"], rec["cohort_id"], rec["kind"], rec["assessed_on"])
                existing.setdefault(key, dict(rec) | {"scores": {}})
        by_id = {rec["id"]: rec for rec in existing.values()}
        for part in chunks(sorted(by_id)):
            for assessment_id, area, score in ctx.session.execute(
                    select(AssessmentScore.assessment_id, AssessmentScore.area,
                           AssessmentScore.score)
                    .where(AssessmentScore.assessment_id.in_(part))):
                by_id[assessment_id]["scores"][area] = score
        enrolled = self._enrolled_with_actor(ids)
        for row in rows:
            assert row.item is not None
            org_id = ctx.organization(row, orgs)
            if org_id is None:
                continue
            if not ctx.is_manager and row.item["cohort_id"] is None \
                    and org_id not in enrolled:
                ctx.problem(row, "reg_no", "import_not_your_organization")
                continue
            row.item["organization_id"] = org_id
            key = (org_id, *(row.key[1:] if row.key else ()))
            self.classify(row, existing.get(key))
            # an assessment in a cycle counts for its incubator's quarter
            incubator_id = ctx.cohort_incubator.get(row.item["cohort_id"] or 0)
            if row.action in ("create", "update") and incubator_id is not None \
                    and ctx.closed(incubator_id, row.item["assessed_on"]):
                year, quarter = quarters.quarter_of(row.item["assessed_on"])
                ctx.problem(row, "assessed_on", "not_allowed.quarter_closed",
                            quarter=quarters.quarter_label(year, quarter))
                row.action = None

    def _enrolled_with_actor(self, org_ids: list[int]) -> set[int]:
        ctx = self.ctx
        if ctx.actor.is_manager:
            return set()
        found: set[int] = set()
        for part in chunks(org_ids):
            found.update(ctx.session.scalars(
                select(Enrollment.organization_id).join(Cohort, Cohort.id == Enrollment.cohort_id)
                .where(Enrollment.organization_id.in_(part),
                       Cohort.incubator_id == ctx.actor.incubator_id)))
        return found

    def write(self, rows: list[Row]) -> None:
        ctx, table = self.ctx, table_of(Assessment)
        creates = [r for r in rows if r.action == "create" and r.item]
        scores: list[dict[str, Any]] = []
        for part in chunks(creates):
            result = ctx.session.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True),
                [{"organization_id": r.item["organization_id"],
                  "cohort_id": r.item["cohort_id"], "kind": r.item["kind"],
                  "assessed_on": r.item["assessed_on"],
                  "capacity_index": r.item["capacity_index"], "notes": r.item["notes"],
                  "assessor_id": ctx.actor.user_id, "deleted_at": None, "version": 1,
                  "created_at": ctx.now, "updated_at": ctx.now} for r in part if r.item])
            for r, new_id in zip(part, result.scalars(), strict=True):
                scores += [{"assessment_id": new_id, "area": a, "score": s}
                           for a, s in sorted((r.item or {})["scores"].items())]
            ctx.tick()
        updates = [r for r in rows if r.action == "update" and r.item]
        rescored = [r for r in updates if "scores" in r.changes]
        for part in chunks([r.existing_id for r in rescored]):
            ctx.session.execute(delete(table_of(AssessmentScore)).where(
                table_of(AssessmentScore).c.assessment_id.in_(part)))
        scores += [{"assessment_id": r.existing_id, "area": a, "score": s}
                   for r in rescored for a, s in sorted(r.changes["scores"].items())]
        ctx.insert(table_of(AssessmentScore), scores)
        ctx.update(table, [
            {"_id": r.existing_id, **{k: v for k, v in r.changes.items() if k != "scores"},
             **({"capacity_index": r.item["capacity_index"]} if "scores" in r.changes
                else {})}
            for r in updates if r.item], versioned=True)


def _export(session: Session, actor: Actor, lang: str) -> list[list[Cell]]:
    table = Assessment.__table__
    query = (select(table, Organization.reg_no)
             .join(Organization, Organization.id == table.c.organization_id)
             .where(table.c.deleted_at.is_(None), Organization.deleted_at.is_(None))
             .order_by(Organization.reg_no, table.c.assessed_on, table.c.kind, table.c.id))
    own = staff_incubator(actor)
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
    cohorts = cohort_names(session)
    return [[r["reg_no"], cohorts.get(r["cohort_id"]) if r["cohort_id"] else None,
             enum_text(AssessmentKind, r["kind"], lang), r["assessed_on"],
             *(scores[r["id"]].get(a) for a in AREA_COLUMNS), export_text(r["notes"])]
            for r in records]


KIND = Kind(handler=Assessments, export=_export)
