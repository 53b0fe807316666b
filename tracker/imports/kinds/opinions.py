"""Opinions of the civic-dialogue register: matched by incubator and the importer's own
reference (`ref`, unique within the incubator; the export writes `#<id>` for an opinion that
has none, as for activities).

The rules are the opinion service's (tracker.services.opinions), as for activities:

- `incubator` blank: staff's own incubator, the programme's own opinion for managers; staff
  name only their own.
- `document_ref` names a document in the register (or one loaded by the same `import all`),
  `reg_nos` the authors: live organisations, separated by `;` (a joint opinion lists each).
- the review: opinions come in as submitted (or drafts, `as_drafts`); approved and returned
  only from an administrator loading existing records; a row that would change an approved
  opinion, or (for staff) one in review, is refused with the reason, except the answer
  (`outcome`, `answered_on`), which the incubator's staff and managers record in any status;
  nothing is added or changed in a closed quarter of the incubator (by the day submitted and
  the day answered).
- `channel` is empty only for an opinion moved in from a milestone by migration 0012: kept
  empty, or given so by an administrator loading an export.

Notes, review comments and evidence files are no columns: an import never changes them, an
export never shows them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, ClassVar

from pydantic_core import PydanticCustomError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.enums import ActivityStatus, OpinionChannel, OpinionOutcome, Role
from db.models import Document, Incubator, Opinion, OpinionAuthor, Organization
from tracker.auth import Actor
from tracker.exports import Cell
from tracker.imports.base import (
    Columns,
    Handler,
    Kind,
    Row,
    staff_incubator,
    table,
    table_of,
)
from tracker.imports.cells import (
    LIST_SEPARATOR,
    chunks,
    enum_text,
    enum_value,
    export_text,
    split_list,
)
from tracker.schemas import validate_reg_no
from tracker.schemas.dialogue import OpinionCreate, document_ref
from tracker.services import quarters, review

_AUTHOR_STATUSES = frozenset({ActivityStatus.DRAFT.value, ActivityStatus.SUBMITTED.value})
_ANSWER = frozenset({"outcome", "answered_on"})  # recorded in any status (record_answer)
_ID_REF = re.compile(r"^#(\d{1,12})$")  # exported for opinions that have no ref of their own
NO_CHANNEL = OpinionChannel.LETTER.value  # stands in for an empty channel while validating

COLUMNS: Columns = table("""
    ref *           Atsauce                       VID-V-2025-001
    incubator       Inkubators                    VIDZEME
    document_ref *  Dokumenta atsauce             24-TA-1427
    reg_nos *       Autoru reģistrācijas numuri   40008000009
    submitted_on *  Iesniegšanas datums           2025-03-10
    channel *       Kanāls                        tap_portal
    summary *       Kopsavilkums                  Iesakām paredzēt pārejas periodu mazām biedrībām
    outcome         Iznākums                      partly_taken_into_account
    answered_on     Atbildes datums               2025-04-22
    status          Statuss                       submitted
""")
SCHEMA_COLUMNS = {
    "external_ref": "ref", "incubator_id": "incubator", "document_id": "document_ref",
    "organization_ids": "reg_nos", "submitted_on": "submitted_on", "channel": "channel",
    "summary": "summary", "outcome": "outcome", "answered_on": "answered_on",
    "status": "status"}


class Opinions(Handler):
    kind = "opinions"
    columns = COLUMNS
    updatable: ClassVar[dict[str, str]] = {
        "document_ref": "document_id", "reg_nos": "authors", "submitted_on": "submitted_on",
        "channel": "channel", "summary": "summary", "outcome": "outcome",
        "answered_on": "answered_on", "status": "status"}

    def parse(self, row: Row) -> None:
        ctx, cells = self.ctx, row.cells
        ctx.required(row, [c for c in self.required_columns if c != "channel"])
        ctx.plain(row, ("ref", "document_ref"))
        incubator_id = ctx.incubator(row, "incubator", own_if_blank=True)
        reg_nos = self._reg_nos(row)
        ref = self._document(row)
        payload: dict[str, Any] = {
            "external_ref": cells.get("ref", ""), "document_id": 1,
            "organization_ids": list(range(1, len(reg_nos) + 1))}
        if incubator_id is not None:
            payload["incubator_id"] = incubator_id
        for name in ("submitted_on", "summary", "answered_on"):
            if cells.get(name):
                payload[name] = cells[name]
        for name, enum in (("channel", OpinionChannel), ("outcome", OpinionOutcome),
                           ("status", ActivityStatus)):
            if cells.get(name):
                payload[name] = enum_value(enum, cells[name])
        blank_channel = not cells.get("channel")
        if blank_channel:
            payload["channel"] = NO_CHANNEL
        if "status" not in payload:  # submitted, or drafts when the importer chose so
            payload["status"] = ActivityStatus.DRAFT.value if ctx.as_drafts \
                else ActivityStatus.SUBMITTED.value
        data = ctx.validate(row, OpinionCreate, payload, SCHEMA_COLUMNS)
        if data is None or row.problems or ref is None:
            return
        ctx.in_programme(row, "submitted_on", data.submitted_on, incubator_id)
        if row.problems:
            return
        external_ref = data.external_ref or ""
        row.key = (incubator_id, external_ref)
        row.item = {
            "incubator_id": incubator_id, "external_ref": external_ref, "document_ref": ref,
            "reg_nos": reg_nos, "submitted_on": data.submitted_on,
            "channel": None if blank_channel else data.channel.value, "summary": data.summary,
            "outcome": data.outcome.value, "answered_on": data.answered_on,
            "status": data.status.value}

    def _reg_nos(self, row: Row) -> list[str]:
        """The authors' registration numbers, each checked, none twice."""
        found: list[str] = []
        for text in split_list(row.cells.get("reg_nos", "")):
            try:
                number = validate_reg_no(text)
            except PydanticCustomError as error:
                self.ctx.problem(row, "reg_nos", error.type)
                return []
            if number in found:
                self.ctx.problem(row, "reg_nos", "duplicate_organization")
                return []
            found.append(number)
        return found

    def _document(self, row: Row) -> str | None:
        text = row.cells.get("document_ref", "")
        if not text or self.ctx.has_problem(row, "document_ref"):
            return None
        try:
            return document_ref(text)
        except PydanticCustomError as error:
            self.ctx.problem(row, "document_ref", error.type, **(error.context or {}))
            return None

    def resolve(self, rows: list[Row]) -> None:
        ctx = self.ctx
        orgs = ctx.organizations(n for r in rows if r.item for n in r.item["reg_nos"])
        documents = self._documents({r.item["document_ref"] for r in rows if r.item})
        found = find_opinions(self, {r.key for r in rows if r.key is not None})
        for row in rows:
            item = row.item
            assert item is not None
            unknown = [n for n in item["reg_nos"] if n not in orgs]
            if unknown:
                ctx.problem(row, "reg_nos", "import_unknown_authors",
                            reg_nos=", ".join(unknown))
            item["authors"] = tuple(sorted(orgs[n] for n in item["reg_nos"] if n in orgs))
            item["document_id"] = documents.get(item["document_ref"])
            if item["document_id"] is None:
                ctx.problem(row, "document_ref", "unknown_document")
            existing = found.get((item["incubator_id"], item["external_ref"]))
            if existing is not None and existing["deleted_at"] is not None:
                ctx.problem(row, "ref", "import_deleted")
            if row.problems:
                continue
            if item["channel"] is None and not (
                    (existing is None and ctx.actor.role is Role.ADMIN)
                    or (existing is not None and existing["channel"] is None)):
                ctx.problem(row, "channel", "required")
                continue
            status = item["status"]
            if ctx.actor.role is not Role.ADMIN and status not in _AUTHOR_STATUSES and (
                    existing is None or existing["status"] != status):
                ctx.problem(row, "status", "import_opinion_status_not_allowed")
                continue
            self.classify(row, existing)
            if row.action in ("create", "update") and not self._allowed(row, existing):
                row.action = None

    def _allowed(self, row: Row, existing: dict[str, Any] | None) -> bool:
        """The review and closed-quarter rules of the opinion form, noted as the row's
        problems when they refuse it."""
        ctx, item = self.ctx, row.item
        assert item is not None
        incubator_id = item["incubator_id"]
        if incubator_id is not None:
            for column in ("submitted_on", "answered_on"):
                day = item[column]
                moved = existing is None or existing[column] != day
                if day is not None and ctx.closed(incubator_id, day) and (
                        moved or column == "answered_on"):
                    ctx.problem(row, column, "not_allowed.quarter_closed",
                                quarter=quarters.quarter_label(*quarters.quarter_of(day)))
                    return False
        if existing is None or row.changes.keys() <= _ANSWER:
            return True  # the answer: its incubator's staff (only theirs import) and managers
        problem = review.refusal(
            ctx.actor, incubator_id=existing["incubator_id"] or 0, status=existing["status"],
            author_id=existing["author_id"], step=review.Step.EDIT,
            closed=existing["incubator_id"] is not None and ctx.closed(
                existing["incubator_id"], existing["submitted_on"]),
            day=existing["submitted_on"])
        if problem is not None:
            ctx.problem(row, "ref", problem.code, **problem.params)
            return False
        return True

    def _documents(self, refs: set[str]) -> dict[str, int]:
        """Live documents' ids by reference (those written by the same `import all` too)."""
        ctx = self.ctx
        found: dict[str, int] = {}
        for part in chunks(sorted(refs)):
            found.update(ctx.session.execute(select(Document.ref, Document.id).where(
                ctx.one_of(Document.ref, part), Document.deleted_at.is_(None))).all())
        return found

    def write(self, rows: list[Row]) -> None:
        ctx, table = self.ctx, table_of(Opinion)
        creates = [r for r in rows if r.action == "create" and r.item]
        ids = ctx.new_ids(table, len(creates))
        common = {"note": None, "review_comment": None, "author_id": ctx.actor.user_id,
                  "deleted_at": None, "version": 1, "created_at": ctx.now,
                  "updated_at": ctx.now}
        ctx.insert(table, [
            {"id": new_id, **{k: r.item[k] for k in _STORED}, **common,
             "submitted_at": None if r.item["status"] == ActivityStatus.DRAFT.value
             else ctx.now}
            for r, new_id in zip(creates, ids, strict=True) if r.item])
        authors = [{"opinion_id": new_id, "organization_id": org_id}
                   for r, new_id in zip(creates, ids, strict=True) if r.item
                   for org_id in r.item["authors"]]
        updates = [r for r in rows if r.action == "update"]
        changed_authors = [r for r in updates if "authors" in r.changes]
        if changed_authors:
            ctx.session.execute(delete(table_of(OpinionAuthor)).where(ctx.one_of(
                table_of(OpinionAuthor).c.opinion_id,
                [r.existing_id for r in changed_authors])))
        authors += [{"opinion_id": r.existing_id, "organization_id": org_id}
                    for r in changed_authors for org_id in r.changes["authors"]]
        ctx.insert(table_of(OpinionAuthor), authors)
        changes: list[dict[str, Any]] = []
        for r in updates:
            change = {k: v for k, v in r.changes.items() if k != "authors"}
            if change.get("status") == ActivityStatus.SUBMITTED.value:
                change["submitted_at"] = ctx.now
            changes.append({"_id": r.existing_id, **change})
        ctx.update(table, changes, versioned=True)


_STORED = ("incubator_id", "external_ref", "document_id", "submitted_on", "channel",
           "summary", "outcome", "answered_on", "status")


def find_opinions(handler: Opinions, keys: Iterable[tuple[Any, ...]]
                  ) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Opinions by (incubator id or None, ref), deleted ones included, with their authors. A
    ref #123 that no opinion carries is opinion 123 of that incubator when it has no ref."""
    ctx, table = handler.ctx, table_of(Opinion)
    by_incubator: dict[int | None, list[str]] = defaultdict(list)
    for inc_id, ref in keys:
        by_incubator[inc_id].append(ref)
    cols = [table.c.id, table.c.incubator_id, table.c.external_ref, table.c.deleted_at,
            table.c.author_id, *(table.c[n] for n in _STORED[2:])]
    names = [c.name for c in cols]
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    for inc_id, refs in by_incubator.items():
        mine = table.c.incubator_id.is_(None) if inc_id is None \
            else table.c.incubator_id == inc_id
        for part in chunks(sorted(set(refs))):
            for rec in ctx.session.execute(select(*cols).where(
                    mine, ctx.one_of(table.c.external_ref, part))).all():
                found[(inc_id, rec[2])] = dict(zip(names, rec, strict=True))
        by_id = {int(m.group(1)): ref for ref in refs
                 if ref[:1] == "#" and (inc_id, ref) not in found
                 for m in [_ID_REF.match(ref)] if m}
        for part in chunks(sorted(by_id)):
            for rec in ctx.session.execute(select(*cols).where(
                    mine, ctx.one_of(table.c.id, part), table.c.external_ref.is_(None))).all():
                found[(inc_id, by_id[rec[0]])] = dict(zip(names, rec, strict=True))
    if found:
        authors: dict[int, list[int]] = defaultdict(list)
        for part in chunks([o["id"] for o in found.values()]):
            for opinion_id, org_id in ctx.session.execute(
                    select(OpinionAuthor.opinion_id, OpinionAuthor.organization_id)
                    .join(Organization, Organization.id == OpinionAuthor.organization_id)
                    .where(ctx.one_of(OpinionAuthor.opinion_id, part),
                           Organization.deleted_at.is_(None))).all():
                authors[opinion_id].append(org_id)
        for opinion in found.values():
            opinion["authors"] = tuple(sorted(authors.get(opinion["id"], [])))
    return found


def opinion_ref(opinion_id: int, ref: str | None) -> str:
    return ref if ref is not None else f"#{opinion_id}"


def _export(session: Session, actor: Actor, lang: str) -> list[list[Cell]]:
    """Every live opinion (staff: their incubator's) with its authors' registration numbers;
    never its note, review comment or evidence."""
    table = Opinion.__table__
    query = (select(table, Incubator.code, Document.ref.label("document_ref"))
             .join(Document, Document.id == table.c.document_id)
             .outerjoin(Incubator, Incubator.id == table.c.incubator_id)
             .where(table.c.deleted_at.is_(None))
             .order_by(Incubator.code.nulls_first(), table.c.submitted_on, table.c.id))
    own = staff_incubator(actor)
    if own is not None:
        query = query.where(table.c.incubator_id == own)
    records = session.execute(query).mappings().all()
    authors: dict[int, list[str]] = defaultdict(list)
    for part in chunks([r["id"] for r in records]):
        for opinion_id, reg_no in session.execute(
                select(OpinionAuthor.opinion_id, Organization.reg_no)
                .join(Organization, Organization.id == OpinionAuthor.organization_id)
                .where(OpinionAuthor.opinion_id.in_(part), Organization.deleted_at.is_(None))
                .order_by(Organization.reg_no)):
            authors[opinion_id].append(reg_no)
    return [[export_text(opinion_ref(r["id"], r["external_ref"])), r["code"],
             export_text(r["document_ref"]), LIST_SEPARATOR.join(authors.get(r["id"], []))
             or None, r["submitted_on"],
             enum_text(OpinionChannel, r["channel"], lang) if r["channel"] else None,
             export_text(r["summary"]), enum_text(OpinionOutcome, r["outcome"], lang),
             r["answered_on"], enum_text(ActivityStatus, r["status"], lang)]
            for r in records]


KIND = Kind(handler=Opinions, export=_export)
