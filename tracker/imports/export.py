"""Export of the record kinds in exactly the import's columns (each kind's rows come from its
module), so that export -> import into an empty database -> export gives the same file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from db.enums import Role
from tracker.auth import Actor
from tracker.errors import PermissionDenied
from tracker.exports import Table, to_csv, to_xlsx
from tracker.imports.columns import check_kind, columns, title
from tracker.imports.kinds import REGISTRY


def export_records(session: Session, *, actor: Actor, kind: str, lang: str = "en") -> Table:
    """Every live record of `kind` in the import's columns (English headings, or Latvian with
    lang="lv"). Funders are refused; staff get their incubator's activities, participations,
    assessments and milestones (and every organisation, as the organisation search shows)."""
    check_kind(kind)
    if actor.role is Role.FUNDER:
        raise PermissionDenied()
    headings: Sequence[str] = [c.heading(lang) for c in columns(kind)]
    rows: Any = REGISTRY[kind].export(session, actor, lang)
    return Table(title(kind, lang), headings, rows)


def export_file(session: Session, *, actor: Actor, kind: str, fmt: str, lang: str = "en"
                ) -> tuple[bytes, int]:
    """The export as CSV (UTF-8 with BOM) or Excel bytes, and its number of rows."""
    table = export_records(session, actor=actor, kind=kind, lang=lang)
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown format {fmt!r} (csv or xlsx)")
    return (to_csv(table) if fmt == "csv" else to_xlsx([table])), len(table.rows)
