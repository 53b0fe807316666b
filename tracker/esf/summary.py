"""The ESF+ common output indicators on participants (Regulation (EU) 2021/1057, Annex I), by
incubator and in total, with small numbers suppressed where the viewer is a funder.

Who is counted: the participants of the period (tracker.esf.records). As the regulation
defines it, the total (EECO01) is the sum of the employment groups: unemployed including
long-term unemployed, inactive including those in education, employed including
self-employed. So a participant without an employment status is not in the total, and
every indicator row counts the participants in the total; beside the age groups of the
regulation, the ages between (30–54), and a "not given" row for gender, age and education,
make each group add up to the total. Refused answers to a sensitive question are counted in a
row of their own under it ("refused to answer"): they are valid answers, not missing ones,
and are neither a yes nor a no. Three rows at the end count everyone who attended: how many,
how many have incomplete data (tracker.schemas.missing_characteristics, the one rule), and
how many of them have no employment status (which is why they are not in the total).

Suppression (tracker.esf.suppression): forced for funders, on request for others. The
lines it keeps safe: every row across the incubators and its total; in every column the
employment groups, the genders, the age groups and the education levels each adding up to
the total, and the total with those without an employment status adding up to everyone who
attended.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from db.enums import Role
from db.models import SENSITIVE_CHARACTERISTICS
from tracker.analytics.scope import Filters, counted_note_key
from tracker.auth import Actor, Area, can_open
from tracker.errors import PermissionDenied
from tracker.esf import records, suppression
from tracker.exports import Cell, Table
from tracker.i18n import t
from tracker.schemas import missing_characteristics

TOTAL = "total"
GENDERS = ("female", "male", "non_binary", "gender_missing")
EMPLOYMENT = ("unemployed", "inactive", "employed")
AGES = (*records.AGE_GROUPS, "age_missing")
EDUCATION = ("isced_0_2", "isced_3_4", "isced_5_8", "education_missing")
COMPLETENESS = ("attended", "incomplete", "no_employment_status")
# Each row: its key and, for the regulation's own indicators, the common indicator's code.
ROWS: tuple[tuple[str, str | None], ...] = (
    ("participants", "EECO01"),
    *((gender, None) for gender in GENDERS),
    ("unemployed", "EECO02"), ("long_term_unemployed", "EECO03"), ("inactive", "EECO04"),
    ("employed", "EECO05"),
    ("below_18", "EECO06"), ("aged_18_29", "EECO07"), ("aged_30_54", None),
    ("aged_55_plus", "EECO08"), ("age_missing", None),
    ("isced_0_2", "EECO09"), ("isced_3_4", "EECO10"), ("isced_5_8", "EECO11"),
    ("education_missing", None),
    *((row, code) for name, number in zip(SENSITIVE_CHARACTERISTICS, range(12, 18),
                                          strict=True)
      for row, code in ((name, f"EECO{number}"), (f"{name}_refused", None))),
    *((row, None) for row in COMPLETENESS),
)
ROW_KEYS = tuple(key for key, _ in ROWS)
EMPLOYMENT_GROUP = {"unemployed": "unemployed", "long_term_unemployed": "unemployed",
                    "inactive": "inactive", "in_education": "inactive",
                    "employed": "employed", "self_employed": "employed"}
GROUPS = ((EMPLOYMENT, "participants"), (GENDERS, "participants"), (AGES, "participants"),
          (EDUCATION, "participants"), (("participants", "no_employment_status"), "attended"))


@dataclass(frozen=True)
class EsfSummary:
    """The indicators by incubator (code) and in total: each cell a count, or the marker
    that hides it (`<5`, `x`) when `suppressed`. Holds no person, only counts."""

    incubators: tuple[tuple[str, str, str], ...]  # code, Latvian name, English name
    cells: dict[str, dict[str, int | str]]  # row key -> column (incubator code, TOTAL) -> cell
    suppressed: bool
    counted_key: str  # the catalogue key of the line saying which statuses count

    @property
    def columns(self) -> tuple[str, ...]:
        return (*(code for code, _, _ in self.incubators), TOTAL)

    def value(self, row: str, column: str = TOTAL) -> int | str:
        return self.cells[row][column]

    def incubator_name(self, code: str, lang: str) -> str:
        names = next((lv, en) for c, lv, en in self.incubators if c == code)
        return names[1] if lang == "en" else names[0]


def person_rows(row: Any) -> list[str]:
    """The rows one participant counts in (besides `attended`)."""
    found = []
    if missing_characteristics(row):
        found.append("incomplete")
    status = getattr(row, "employment_status", None)
    if status not in EMPLOYMENT_GROUP:
        return [*found, "no_employment_status"]
    found += ["participants", EMPLOYMENT_GROUP[status]]
    if status == "long_term_unemployed":
        found.append("long_term_unemployed")
    gender = getattr(row, "gender", None)
    found.append(gender if gender in GENDERS else "gender_missing")
    age = records.age_at(row.entry, getattr(row, "birth_date", None),
                         getattr(row, "birth_year", None))
    found.append(records.age_group(age) or "age_missing")
    education = getattr(row, "education", None)
    found.append(education if education in EDUCATION else "education_missing")
    for name in SENSITIVE_CHARACTERISTICS:
        answer = getattr(row, name, None)
        if answer == "yes":
            found.append(name)
        elif answer == "refused":
            found.append(f"{name}_refused")
    return found


def count(rows: Sequence[Any], codes: Sequence[str]) -> dict[tuple[str, str], int]:
    """Every cell (row key, column) of the indicators, from the participants' rows."""
    tally: Counter[tuple[str, str]] = Counter()
    for row in rows:
        code = str(row.incubator_code)
        for key in ("attended", *person_rows(row)):
            tally[(key, code)] += 1
            tally[(key, TOTAL)] += 1
    return {(key, column): tally[(key, column)] for key in ROW_KEYS
            for column in (*codes, TOTAL)}


def lines(codes: Sequence[str]) -> list[suppression.Line]:
    """The sums a reader could take apart (see the module)."""
    found = suppression.grid_lines(ROW_KEYS, list(codes), TOTAL)
    for column in (*codes, TOTAL):
        found += [suppression.group_line(members, total, column) for members, total in GROUPS]
    return found


def _check(actor: Actor) -> None:
    if not can_open(actor, Area.REPORTS):
        raise PermissionDenied()


def summary_grid(session: Session, *, actor: Actor, filters: Filters,
                 suppress: bool | None = None) -> EsfSummary:
    """The indicators under the filters, for the reports page's readers (managers,
    administrators, funders). `suppress`: None is the viewer's default (funders: always;
    others: not); a funder's numbers are suppressed whatever is asked."""
    _check(actor)
    hide = True if actor.role is Role.FUNDER else bool(suppress)
    incubators = records.incubators(session, filters)
    codes = [code for _, code, _, _ in incubators]
    with records.bulk():
        values = count(records.participants(session, actor, filters, identity=False), codes)
    hidden = suppression.suppress(values, lines(codes)) if hide else suppression.NONE
    cells: dict[str, dict[str, int | str]] = {key: {} for key in ROW_KEYS}
    for (key, column), value in values.items():
        cells[key][column] = hidden.shown((key, column), value)
    return EsfSummary(incubators=tuple((code, lv, en) for _, code, lv, en in incubators),
                      cells=cells, suppressed=hide,
                      counted_key=counted_note_key(actor, filters))


def row_label(key: str, lang: str) -> str:
    return t(f"esf.row.{key}", lang)


def build_summary_table(grid: EsfSummary, lang: str) -> Table:
    """The indicators as a table: code, indicator, one column per incubator, the total."""
    columns = [t("esf.col.code", lang), t("esf.col.indicator", lang),
               *(grid.incubator_name(code, lang) for code, _, _ in grid.incubators),
               t("esf.col.total", lang)]
    rows: list[list[Cell]] = [
        [code or "", row_label(key, lang), *(grid.value(key, column) for column in grid.columns)]
        for key, code in ROWS]
    notes = [t(grid.counted_key, lang), t("esf.note.total", lang), t("esf.note.entry", lang),
             t("esf.note.refused", lang)]
    if grid.suppressed:
        notes.append(t("esf.note.suppressed", lang))
    return Table(t("esf.summary.title", lang), columns, rows, notes)


def summary_table(session: Session, *, actor: Actor, filters: Filters, lang: str,
                  suppress: bool | None = None) -> Table:
    """The ESF+ summary as a table (`tracker export esf-summary`, the reports page, the
    funder report): counts only, never a person; suppressed as `summary_grid` says."""
    return build_summary_table(summary_grid(session, actor=actor, filters=filters,
                                            suppress=suppress), lang)
