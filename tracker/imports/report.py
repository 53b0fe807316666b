"""What an import found and did: one RowProblem per problem, one ImportReport per file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from tracker.i18n import field_label, format_date, label, t


@dataclass(frozen=True)
class RowProblem:
    """One problem: the row number as a spreadsheet shows it (None: the whole file), the
    column heading as in the file (None: the row as a whole), the offending value, and the
    catalogue code (`error.<code>`) with its parameters."""

    row: int | None
    column: str | None
    value: str | None
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    sheet: str | None = None  # the worksheet, in a workbook of every kind (workbook.py)

    def message(self, lang: str) -> str:
        """What is wrong, in `lang` (dates in the language's style, coded values by their
        label)."""
        params = {k: format_date(v, lang) if isinstance(v, dt.date) else
                  label(v, lang) if isinstance(v, StrEnum) else
                  field_label(v.removeprefix("field:"), lang)
                  if isinstance(v, str) and v.startswith("field:") else v
                  for k, v in self.params.items()}
        return t(f"error.{self.code}", lang, **params)


@dataclass(frozen=True)
class ImportReport:
    """The outcome of one file: rows read, rows without problems, every problem, and what was
    (or, for a dry run, would be) created, updated and left unchanged."""

    kind: str
    rows: int
    valid: int
    problems: tuple[RowProblem, ...]
    created: int
    updated: int
    unchanged: int
    written: bool

    @property
    def rejected(self) -> int:
        """Rows with at least one problem."""
        return self.rows - self.valid


@dataclass(frozen=True)
class WorkbookReport:
    """The outcome of a workbook of every kind: one report per sheet, in the order they were
    loaded, and the problems of the workbook as a whole (a sheet of no known kind). Its
    totals read like one ImportReport's."""

    reports: tuple[ImportReport, ...]
    sheet_problems: tuple[RowProblem, ...]
    written: bool
    kind: str = "all"

    @property
    def rows(self) -> int:
        return sum(r.rows for r in self.reports)

    @property
    def valid(self) -> int:
        return sum(r.valid for r in self.reports)

    @property
    def created(self) -> int:
        return sum(r.created for r in self.reports)

    @property
    def updated(self) -> int:
        return sum(r.updated for r in self.reports)

    @property
    def unchanged(self) -> int:
        return sum(r.unchanged for r in self.reports)

    @property
    def rejected(self) -> int:
        return self.rows - self.valid

    @property
    def problems(self) -> tuple[RowProblem, ...]:
        return self.sheet_problems + tuple(p for r in self.reports for p in r.problems)
