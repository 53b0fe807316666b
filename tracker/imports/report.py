"""What an import found and did: one RowProblem per problem, one ImportReport per file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from tracker.i18n import field_label, format_date, t


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

    def message(self, lang: str) -> str:
        """What is wrong, in `lang` (dates in the language's style)."""
        params = {k: format_date(v, lang) if isinstance(v, dt.date) else
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
