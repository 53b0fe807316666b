"""Export of the record kinds in exactly the import's columns (each kind's rows come from its
module), so that export -> import into an empty database -> export gives the same file.

An export of a kind that holds people's names writes one audit row (who, which kind, how many
rows, whether the personal codes were in full); the personal codes are masked unless an
administrator asks for them in full (`with_codes`), to move a programme between instances."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from db.enums import AuditAction, Role
from tracker import audit
from tracker.auth import Actor
from tracker.errors import PermissionDenied
from tracker.exports import Table, to_csv, to_xlsx
from tracker.imports.columns import check_kind, columns, title
from tracker.imports.kinds import KINDS, REGISTRY


def writes_audit(kind: str) -> bool:
    """Whether exporting `kind` (or "all") writes an audit row, so needs a writing session."""
    return any(REGISTRY[k].audit_entity for k in (KINDS if kind == "all" else (kind,)))


def export_records(session: Session, *, actor: Actor, kind: str, lang: str = "en",
                   with_codes: bool = False) -> Table:
    """Every live record of `kind` in the import's columns (English headings, or Latvian with
    lang="lv"). Funders are refused; staff get their incubator's activities, participations,
    people, attendance, assessments and milestones (and every organisation, as the
    organisation search shows). `with_codes` (administrators only) writes personal codes in
    full instead of masked."""
    check_kind(kind)
    if actor.role is Role.FUNDER or (with_codes and actor.role is not Role.ADMIN):
        raise PermissionDenied()
    definition = REGISTRY[kind]
    headings: Sequence[str] = [c.heading(lang) for c in columns(kind)]
    make = definition.export_codes if with_codes and definition.export_codes else \
        definition.export
    rows: Any = make(session, actor, lang)
    if definition.audit_entity:
        audit.record(session, actor, entity=definition.audit_entity, entity_id=None,
                     action=AuditAction.EXPORT,
                     after={"kind": kind, "rows": len(rows),
                            "with_codes": with_codes and definition.export_codes is not None})
        session.flush()
    return Table(title(kind, lang), headings, rows)


def export_file(session: Session, *, actor: Actor, kind: str, fmt: str, lang: str = "en",
                with_codes: bool = False) -> tuple[bytes, int]:
    """The export as CSV (UTF-8 with BOM) or Excel bytes, and its number of rows."""
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown format {fmt!r} (csv or xlsx)")
    table = export_records(session, actor=actor, kind=kind, lang=lang, with_codes=with_codes)
    return (to_csv(table) if fmt == "csv" else to_xlsx([table])), len(table.rows)
