"""Whose ESF+ data are complete, per incubator: how many participants of the period have
every characteristic, how many lack some, and which characteristics are missing most (the one
rule: tracker.schemas.missing_characteristics). Counts only, no person.

For the people who work with the participants (managers and administrators: every incubator;
staff: their own); funders see completeness only as the suppressed summary's last rows,
`grid_completeness_table`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy.orm import Session

from tracker.analytics.scope import Filters
from tracker.auth import Actor
from tracker.esf import records
from tracker.esf.summary import TOTAL, EsfSummary
from tracker.exports import Cell, Table
from tracker.i18n import field_label, t
from tracker.schemas import ESF_FIELDS, missing_characteristics

MOST_MISSING = 3  # fields named per incubator


@dataclass(frozen=True)
class Completeness:
    """One incubator's participants (or, with code TOTAL, everyone's)."""

    code: str
    name_lv: str
    name_en: str
    people: int
    complete: int
    missing: tuple[tuple[str, int], ...]  # field -> how many lack it, in ESF_FIELDS order

    @property
    def incomplete(self) -> int:
        return self.people - self.complete

    @property
    def share_complete(self) -> float | None:
        return self.complete / self.people if self.people else None

    def most_missing(self, limit: int = MOST_MISSING) -> list[tuple[str, int]]:
        """The fields lacking most often, most first (ties in the report's order)."""
        ranked = sorted((item for item in self.missing if item[1]), key=lambda i: -i[1])
        return ranked[:limit]

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_lv


def completeness(session: Session, *, actor: Actor, filters: Filters) -> list[Completeness]:
    """Per incubator in the filters (staff: theirs), and in total at the end."""
    scoped = records.people_filters(actor, filters)
    incubators = records.incubators(session, scoped)
    people: Counter[str] = Counter()
    complete: Counter[str] = Counter()
    missing: Counter[tuple[str, str]] = Counter()
    with records.bulk():
        for row in records.participants(session, actor, scoped, identity=False):
            lacking = missing_characteristics(row)
            for column in (row.incubator_code, TOTAL):
                people[column] += 1
                complete[column] += not lacking
                for name in lacking:
                    missing[(column, name)] += 1
    return [Completeness(code=code, name_lv=lv, name_en=en, people=people[code],
                         complete=complete[code],
                         missing=tuple((name, missing[(code, name)]) for name in ESF_FIELDS))
            for code, lv, en in [*((c, lv, en) for _, c, lv, en in incubators),
                                 (TOTAL, t("esf.col.total", "lv"), t("esf.col.total", "en"))]]


def completeness_table(items: list[Completeness], lang: str) -> Table:
    """Per incubator: people, complete, incomplete, the share complete, what lacks most."""
    columns = [t("esf.col.incubator", lang), t("esf.col.people", lang),
               t("esf.col.complete_people", lang), t("esf.col.incomplete_people", lang),
               t("esf.col.share_complete", lang), t("esf.col.most_missing", lang)]
    rows: list[list[Cell]] = [[
        item.name(lang), item.people, item.complete, item.incomplete,
        None if item.share_complete is None else round(item.share_complete * 100, 1),
        ", ".join(f"{field_label(name, lang)} ({n})" for name, n in item.most_missing())]
        for item in items]
    return Table(t("esf.completeness.title", lang), columns, rows,
                 [t("esf.note.completeness", lang)])


def grid_completeness_table(grid: EsfSummary, lang: str) -> Table:
    """Completeness as the summary has it (suppressed where the summary is): per incubator,
    who attended, how many are incomplete, how many lack the employment status."""
    columns = [t("esf.col.incubator", lang), t("esf.col.people", lang),
               t("esf.col.incomplete_people", lang), t("esf.col.share_complete", lang),
               t("esf.row.no_employment_status", lang)]
    rows: list[list[Cell]] = []
    for column in grid.columns:
        people, incomplete = grid.value("attended", column), grid.value("incomplete", column)
        share = round((people - incomplete) / people * 100, 1) \
            if isinstance(people, int) and isinstance(incomplete, int) and people else None
        rows.append([t("esf.col.total", lang) if column == TOTAL
                     else grid.incubator_name(column, lang), people, incomplete, share,
                     grid.value("no_employment_status", column)])
    notes = [t("esf.note.completeness", lang)]
    if grid.suppressed:
        notes.append(t("esf.note.suppressed", lang))
    return Table(t("esf.completeness.title", lang), columns, rows, notes)
