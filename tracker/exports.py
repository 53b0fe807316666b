"""Tables and charts as files: CSV, Excel and PNG, safe to open in a spreadsheet.

A cell that starts with =, +, -, @ (or a tab or carriage return) could run as a formula
when a spreadsheet opens the file. In CSV such text gets a leading apostrophe, the usual
neutralisation; in Excel every text is written as a text cell, which never runs, and the
workbook is told not to turn strings into formulas, numbers or links.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
import xlsxwriter

Cell = str | int | float | Decimal | dt.date | dt.datetime | bool | None
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Table:
    """A titled table: column headings and rows of plain values."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    notes: Sequence[str] = field(default_factory=tuple)

    @classmethod
    def from_records(cls, title: str, records: Sequence[dict[str, Cell]],
                     notes: Sequence[str] = ()) -> Table:
        columns = list(records[0]) if records else []
        return cls(title, columns, [[r.get(c) for c in columns] for r in records], notes)


def neutralise(text: str) -> str:
    """Text that a spreadsheet shows as it is instead of evaluating it."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_value(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    return neutralise(str(value))


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark (Excel then reads Latvian letters right), comma-separated,
    ISO dates and dot decimals, so that other programs read it back exactly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(str(c)) for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique worksheet name (at most 31 characters, none of []:*?/\\)."""
    base = _SHEET_FORBIDDEN.sub(" ", title).strip().strip("'")[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def new_workbook(buffer: io.BytesIO) -> xlsxwriter.Workbook:
    """A workbook that never turns a string into a formula, a number or a link."""
    return xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False,
                                        "strings_to_urls": False,
                                        "remove_timezone": True})


def write_table(workbook: xlsxwriter.Workbook, worksheet: Any, table: Table,
                first_row: int = 0) -> int:
    """Write `table` at `first_row` (title, notes, headings, rows); returns the next free row."""
    bold = workbook.add_format({"bold": True})
    heading = workbook.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
    date_format = workbook.add_format({"num_format": "dd.mm.yyyy"})
    row_index = first_row
    worksheet.write_string(row_index, 0, table.title, bold)
    row_index += 1
    for note in table.notes:
        worksheet.write_string(row_index, 0, note)
        row_index += 1
    widths = [len(str(c)) for c in table.columns]
    for col, name in enumerate(table.columns):
        worksheet.write_string(row_index, col, str(name), heading)
    row_index += 1
    for row in table.rows:
        for col, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                worksheet.write_boolean(row_index, col, value)
            elif isinstance(value, dt.datetime | dt.date):
                worksheet.write_datetime(row_index, col, value if isinstance(
                    value, dt.datetime) else dt.datetime.combine(value, dt.time()),
                    date_format)
            elif isinstance(value, int | float | Decimal):
                worksheet.write_number(row_index, col, float(value))
            else:
                worksheet.write_string(row_index, col, str(value))
            if col < len(widths):
                widths[col] = max(widths[col], min(len(str(value)), 60))
        row_index += 1
    for col, width in enumerate(widths):
        worksheet.set_column(col, col, max(width + 2, 8))
    return row_index + 1


def to_xlsx(tables: Sequence[Table]) -> bytes:
    """One worksheet per table."""
    buffer = io.BytesIO()
    workbook = new_workbook(buffer)
    taken: set[str] = set()
    for table in tables:
        write_table(workbook, workbook.add_worksheet(sheet_name(table.title, taken)), table)
    workbook.close()
    return buffer.getvalue()


def figure_png(figure: go.Figure, *, width: int = 1100, height: int = 600) -> bytes:
    """The chart as a PNG, drawn by kaleido with the system's Chromium (no network)."""
    return bytes(figure.to_image(format="png", width=width, height=height, scale=1))


def slug(text: str) -> str:
    """A file-name-safe form of a title: ASCII letters, digits and dashes."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower() or "export"
