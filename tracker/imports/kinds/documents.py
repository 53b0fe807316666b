"""Documents of the civic-dialogue register: matched by `ref` (the TAP number, or the
programme's own reference), one row per monitoring incubator.

A document monitored by two incubators is two rows with the same `ref` (and the same facts);
a row names its monitoring incubator and since when. The rules are the document service's
(tracker.services.documents):

- `incubator` blank: staff monitor for their own incubator, managers for the programme
  itself; staff name only their own.
- `monitored_from` blank: a monitoring the document already has keeps its day, a new one
  starts today (the form's default). A manager's row with neither `incubator` nor
  `monitored_from` is about the document's facts alone and leaves its monitoring as it is
  (the export writes a document nobody monitors any more so).
- staff change the facts of a document their incubator monitors or that they added (any
  staff member adds one); a monitoring day in a closed quarter of its incubator is neither
  added nor moved (documents monitored count for that quarter).
- `institution` is empty only for a document moved in by migration 0012 without one: kept
  empty, or given so by an administrator loading an export.

The internal note is no column: an import never changes it, an export never shows it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import DocumentKind, DocumentLevel, Role
from db.models import Document, DocumentMonitoring, Incubator, document_search_key
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
from tracker.imports.cells import chunks, enum_text, enum_value, export_text
from tracker.schemas.dialogue import DocumentCreate, join_topics
from tracker.services import documents, quarters

COLUMNS: Columns = table("""
    ref *            Atsauce                24-TA-1427
    title *          Nosaukums              Grozījumi Biedrību un nodibinājumu likumā
    institution *    Iestāde                Tieslietu ministrija
    kind *           Veids                  law
    level *          Līmenis                national
    published_on     Publicēšanas datums    2025-02-20
    deadline         Atzinumu termiņš       2025-03-14
    adopted_on       Pieņemšanas datums
    url              Saite                  https://tapportals.mk.gov.lv/
    topics           Tēmas                  nevalstiskās organizācijas; brīvprātīgais darbs
    incubator        Inkubators             VIDZEME
    monitored_from   Uzraudzības sākums     2025-03-03
""")
# the document's facts: the same on every row of one ref
FACTS = ("ref", "title", "institution", "kind", "level", "published_on", "deadline",
         "adopted_on", "url", "topics")
SCHEMA_COLUMNS = {name: name for name in (*FACTS, "monitored_from")}
NO_INSTITUTION = "--"  # stands in for an empty institution while the schema reads the row
_FACTS_ONLY = "-"  # the key of a row about the document alone


class Documents(Handler):
    kind = "documents"
    columns = COLUMNS
    updatable: ClassVar[dict[str, str]] = {name: name for name in FACTS if name != "ref"}

    def parse(self, row: Row) -> None:
        ctx, cells = self.ctx, row.cells
        ctx.required(row, [c for c in self.required_columns if c != "institution"])
        ctx.plain(row, ("ref",))
        incubator_id = ctx.incubator(row, "incubator", own_if_blank=True)
        payload: dict[str, Any] = {
            name: cells[name] for name in (*FACTS, "monitored_from") if cells.get(name)}
        for name, enum in (("kind", DocumentKind), ("level", DocumentLevel)):
            if name in payload:
                payload[name] = enum_value(enum, payload[name])
        blank_institution = "institution" in ctx.present and not cells.get("institution")
        if blank_institution:
            payload["institution"] = NO_INSTITUTION
        data = ctx.validate(row, DocumentCreate, payload, SCHEMA_COLUMNS)
        if data is None or row.problems:
            return
        # a manager's row naming neither incubator nor day is about the document alone
        watched = not (ctx.is_manager and not cells.get("incubator")
                       and not cells.get("monitored_from"))
        if data.monitored_from is not None:
            ctx.in_programme(row, "monitored_from", data.monitored_from, incubator_id)
            if row.problems:
                return
        row.key = (data.ref, incubator_id if watched else _FACTS_ONLY)
        row.item = {
            "ref": data.ref, "title": data.title,
            "institution": None if blank_institution else data.institution,
            "kind": data.kind.value, "level": data.level.value,
            "published_on": data.published_on, "deadline": data.deadline,
            "adopted_on": data.adopted_on, "url": data.url, "topics": join_topics(data.topics),
            "incubator_id": incubator_id, "watched": watched,
            "monitored_from": data.monitored_from}

    def resolve(self, rows: list[Row]) -> None:
        ctx = self.ctx
        found = self._existing({r.item["ref"] for r in rows if r.item})
        watches = self._monitoring([d["id"] for d in found.values()])
        groups: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            assert row.item is not None
            groups[row.item["ref"]].append(row)
        for ref, group in groups.items():
            existing = found.get(ref)
            if existing is not None and existing["deleted_at"] is not None:
                for row in group:
                    ctx.problem(row, "ref", "import_deleted")
                continue
            stored = watches.get(existing["id"], {}) if existing is not None else {}
            first = group[0]
            for row in group:
                self._check_facts(row, first, existing, stored)
                if not row.problems:
                    self._check_monitoring(row, stored)
            carrier = next((r for r in group if not r.problems), None)
            for row in group:
                if row.problems:
                    continue
                assert row.item is not None
                if existing is None:
                    row.item["document"] = "create" if row is carrier else None
                else:
                    row.existing_id = existing["id"]
                    row.changes = self._changes(row, existing) if row is carrier else {}
                    row.item["document"] = "update" if row.changes else None
                watch = row.item.get("watch")
                row.action = "create" if "create" in (row.item["document"], watch) else \
                    "update" if "update" in (row.item["document"], watch) else "unchanged"

    def _changes(self, row: Row, existing: dict[str, Any]) -> dict[str, Any]:
        assert row.item is not None
        return {f: row.item[f] for f in self.fields_present() if row.item[f] != existing[f]}

    def _check_facts(self, row: Row, first: Row, existing: dict[str, Any] | None,
                     stored: dict[int, dict[str, Any]]) -> None:
        """Every row of one document gives the same facts; a blank institution only as
        stored, or from an administrator loading an export; staff change the facts of a
        document their incubator monitors or that they added."""
        ctx, item = self.ctx, row.item
        assert item is not None and first.item is not None
        if row is not first:
            differs = next((f for f in FACTS if f in ctx.present and item[f] != first.item[f]),
                           None)
            if differs is not None:
                ctx.problem(row, differs, "import_document_differs", first=first.number)
                return
        if item["institution"] is None and not (
                (existing is None and ctx.actor.role is Role.ADMIN)
                or (existing is not None and existing["institution"] is None)):
            ctx.problem(row, "institution", "required")
            return
        if existing is None or ctx.is_manager:
            return
        changed = next((f for f in self.fields_present() if item[f] != existing[f]), None)
        mine = existing["created_by_id"] is not None \
            and existing["created_by_id"] == ctx.actor.user_id
        if changed is not None and not mine and ctx.actor.incubator_id not in stored:
            ctx.problem(row, changed, "import_document_not_yours")

    def _check_monitoring(self, row: Row, stored: dict[int, dict[str, Any]]) -> None:
        """What the row does to the monitoring incubator's row: a new one (from the day
        given, or today), a new day, or nothing; never in a closed quarter."""
        ctx, item = self.ctx, row.item
        assert item is not None
        item["watch"] = None
        if not item["watched"]:
            return
        incubator_id = item["incubator_id"]
        current = stored.get(incubator_id or 0)
        day = item["monitored_from"] or (
            current["monitored_from"] if current is not None else documents.today())
        item["day"] = day
        if current is None:
            if item["monitored_from"] is None:  # today: still inside the programme?
                ctx.in_programme(row, "monitored_from", day, incubator_id)
                if row.problems:
                    return
            days = [day]
            item["watch"] = "create"
        elif current["monitored_from"] != day:
            days = [current["monitored_from"], day]
            item["watch"], item["watch_id"] = "update", current["id"]
        else:
            return
        closed = [d for d in days if incubator_id is not None and ctx.closed(incubator_id, d)]
        if closed:
            ctx.problem(row, "monitored_from", "not_allowed.quarter_closed",
                        quarter=quarters.quarter_label(*quarters.quarter_of(closed[0])))
            item["watch"] = None

    def _existing(self, refs: set[str]) -> dict[str, dict[str, Any]]:
        """The documents with these references, deleted ones included."""
        ctx, table = self.ctx, table_of(Document)
        cols = [table.c.id, table.c.deleted_at, table.c.created_by_id,
                *(table.c[f] for f in FACTS)]
        found: dict[str, dict[str, Any]] = {}
        for part in chunks(sorted(refs)):
            for rec in ctx.session.execute(select(*cols).where(
                    ctx.one_of(table.c.ref, part))).mappings():
                found[rec["ref"]] = dict(rec)
        return found

    def _monitoring(self, document_ids: list[int]) -> dict[int, dict[int, dict[str, Any]]]:
        """document id -> incubator key (0: the programme) -> its monitoring row."""
        ctx, table = self.ctx, table_of(DocumentMonitoring)
        watches: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
        for part in chunks(document_ids):
            for rec in ctx.session.execute(
                    select(table.c.id, table.c.document_id, table.c.incubator_key,
                           table.c.monitored_from)
                    .where(ctx.one_of(table.c.document_id, part))).mappings():
                watches[rec["document_id"]][rec["incubator_key"]] = dict(rec)
        return watches

    def write(self, rows: list[Row]) -> None:
        ctx = self.ctx
        table, watch_table = table_of(Document), table_of(DocumentMonitoring)
        creates = [r for r in rows if r.item and r.item["document"] == "create"]
        ids = dict(zip((r.item["ref"] for r in creates if r.item),
                       ctx.new_ids(table, len(creates)), strict=True))
        ctx.insert(table, [
            {"id": ids[r.item["ref"]], **{f: r.item[f] for f in FACTS}, "note": None,
             "search": document_search_key(r.item["ref"], r.item["title"],
                                           r.item["institution"]),
             "created_by_id": ctx.actor.user_id, "deleted_at": None, "version": 1,
             "created_at": ctx.now, "updated_at": ctx.now}
            for r in creates if r.item])
        # a changed monitoring bumps its document's version, as the service does
        bumped: dict[int, dict[str, Any]] = {}
        for r in rows:
            if r.item and r.item["document"] == "update" and r.existing_id is not None:
                change = dict(r.changes)
                if {"title", "institution"} & change.keys():
                    change["search"] = document_search_key(
                        r.item["ref"], r.item["title"], r.item["institution"])
                bumped[r.existing_id] = {"_id": r.existing_id, **change}
        new_watches: list[dict[str, Any]] = []
        for r in rows:
            if not r.item or r.item.get("watch") is None:
                continue
            if r.item["watch"] == "create":
                document_id = r.existing_id if r.existing_id is not None \
                    else ids[r.item["ref"]]
                new_watches.append({
                    "document_id": document_id, "incubator_id": r.item["incubator_id"],
                    "incubator_key": r.item["incubator_id"] or 0,
                    "monitored_from": r.item["day"]})
            if r.existing_id is not None:
                bumped.setdefault(r.existing_id, {"_id": r.existing_id})
        ctx.insert(watch_table, new_watches)
        ctx.update(watch_table, [{"_id": r.item["watch_id"], "monitored_from": r.item["day"]}
                                 for r in rows if r.item and r.item.get("watch") == "update"],
                   versioned=False)
        ctx.update(table, list(bumped.values()), versioned=True)


def _export(session: Session, actor: Actor, lang: str) -> list[list[Cell]]:
    """A row per document and monitoring incubator (staff: their incubator's monitoring);
    a document nobody monitors, one row without incubator and day. Never the note."""
    doc, watch = Document.__table__, DocumentMonitoring.__table__
    query = (select(*(doc.c[f] for f in FACTS), Incubator.code, watch.c.monitored_from)
             .outerjoin(watch, watch.c.document_id == doc.c.id)
             .outerjoin(Incubator, Incubator.id == watch.c.incubator_id)
             .where(doc.c.deleted_at.is_(None))
             .order_by(doc.c.ref, Incubator.code.nulls_first(), watch.c.id))
    own = staff_incubator(actor)
    if own is not None:
        query = query.where(watch.c.incubator_id == own)
    rows: list[list[Cell]] = []
    for r in session.execute(query).mappings():
        day: dt.date | None = r["monitored_from"]
        rows.append([
            export_text(r["ref"]), export_text(r["title"]), export_text(r["institution"]),
            enum_text(DocumentKind, r["kind"], lang), enum_text(DocumentLevel, r["level"], lang),
            r["published_on"], r["deadline"], r["adopted_on"], export_text(r["url"]),
            export_text(r["topics"]), r["code"], day])
    return rows


KIND = Kind(handler=Documents, export=_export)
