"""Reading an uploaded CSV or Excel file into rows of text, or refusing it with a reason.

What Latvian offices produce is accepted: comma, semicolon or tab separators; UTF-8 with or
without a byte-order mark, and Windows-1257; the first sheet of an .xlsx workbook; cells
with spaces around them; empty rows at the end. What is refused, before any row is looked
at, with a message naming the problem: files over the size limit, empty files, binary files
and broken workbooks, the old .xls format, and cells holding formulas.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from operator import methodcaller
from typing import Any

from tracker.errors import TrackerError

MAX_BYTES = 20 * 1024 * 1024  # 20 MiB: about 200,000 activity or 650,000 participation rows
MAX_ROWS = 1_000_000
# An .xlsx file is a zip archive: what it unpacks to is checked from its directory before a
# byte is unpacked (a reader stops at the sizes the directory declares). A real workbook of
# 20 MB unpacks to about 150 MB and compresses its XML at most about 30 to 1.
MAX_UNPACKED = 300 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 2_000
ENCODINGS = ("utf-8-sig", "cp1257")  # UTF-8 (with or without BOM), then Windows Baltic
SEPARATORS = (";", ",", "\t")
_FORMULA_START = ("=", "@")  # "+" and "-" start numbers and phone numbers as well
_formula = methodcaller("startswith", _FORMULA_START)


class FileRefused(TrackerError):
    """The file as a whole cannot be read; `code` says why (catalogue key error.file_*)."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        super().__init__(**params)


@dataclass(frozen=True)
class Sheet:
    """The header and the data rows of a file, as text; `rows` keep their line numbers as a
    spreadsheet shows them (the header is row 1, the first data row is row 2)."""

    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]

    def records(self) -> list[tuple[int, dict[str, str]]]:
        """Each row as {header: value}; missing cells are empty strings."""
        width = len(self.header)
        return [(number, dict(zip(self.header, (*cells, *("",) * (width - len(cells))),
                                  strict=False)))
                for number, cells in self.rows]


def read_upload(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES) -> Sheet:
    """The file's header and rows, or FileRefused."""
    if len(data) > max_bytes:
        raise FileRefused("file_too_big", size_mb=round(len(data) / 1_048_576, 1),
                          limit_mb=round(max_bytes / 1_048_576, 1))
    if not data.strip():
        raise FileRefused("file_empty")
    name = filename.lower()
    if data[:4] == b"PK\x03\x04" or name.endswith((".xlsx", ".xlsm")):
        first = _read_xlsx(data)
        return _sheet(first[0][1] if first else [])
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or name.endswith(".xls"):
        raise FileRefused("file_old_excel")
    return _sheet(_read_csv(data))


def decode_text(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), else Windows-1257; a binary file
    is refused."""
    if b"\x00" in data[:4096]:
        raise FileRefused("file_binary")
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(ord(c) < 32 and c not in "\t\r\n" for c in text[:4096]):
            raise FileRefused("file_binary")
        return text
    raise FileRefused("file_encoding")  # pragma: no cover - cp1257 decodes almost anything


def _read_csv(data: bytes) -> list[list[str]]:
    text = decode_text(data)
    first = text.lstrip("\r\n").splitlines()[0] if text.strip() else ""
    separator = max(SEPARATORS, key=first.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator,
                               strict=True))
    except csv.Error as error:
        raise FileRefused("file_broken_csv", detail=str(error)) from error


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(Decimal(repr(value)).normalize()) if value != int(value) else str(int(value))
    return str(value)


def check_zip(data: bytes) -> None:
    """Refuse an archive that would unpack to too much (a zip bomb) or to too many files,
    from its directory alone."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise FileRefused("file_broken_xlsx") from error
    unpacked = sum(m.file_size for m in members)
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED or any(
            m.file_size > 1_048_576 and m.file_size > MAX_RATIO * max(1, m.compress_size)
            for m in members):
        raise FileRefused("file_zip_bomb", size_mb=round(unpacked / 1_048_576),
                          limit_mb=MAX_UNPACKED // 1_048_576)


def read_workbook(data: bytes, *, max_bytes: int = MAX_BYTES) -> list[tuple[str, Sheet | None]]:
    """Every worksheet of an .xlsx workbook by name (None for an empty one), or FileRefused."""
    if len(data) > max_bytes:
        raise FileRefused("file_too_big", size_mb=round(len(data) / 1_048_576, 1),
                          limit_mb=round(max_bytes / 1_048_576, 1))
    if data[:4] != b"PK\x03\x04":
        raise FileRefused("import_all_xlsx")
    sheets: list[tuple[str, Sheet | None]] = []
    for name, rows in _read_xlsx(data, every_sheet=True):
        try:
            sheets.append((name, _sheet(rows)))
        except FileRefused as refused:
            if refused.code not in ("file_empty", "file_no_header"):
                raise
            sheets.append((name, None))
    return sheets


def _read_xlsx(data: bytes, *, every_sheet: bool = False) -> list[tuple[str, list[list[str]]]]:
    """The rows of the first worksheet (or of every one), as text, by worksheet name."""
    from openpyxl import load_workbook

    check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileRefused("file_broken_xlsx") from error
    try:
        found: list[tuple[str, list[list[str]]]] = []
        total = 0
        for sheet in workbook.worksheets if every_sheet else workbook.worksheets[:1]:
            rows: list[list[str]] = []
            for index, row in enumerate(sheet.iter_rows(), start=1):
                cells = []
                for column, cell in enumerate(row, start=1):
                    if getattr(cell, "data_type", None) == "f":
                        raise FileRefused("file_formula", row=index, column=column)
                    cells.append(_cell_text(cell.value))
                rows.append(cells)
                total += 1
                if total > MAX_ROWS + len(found) + 1:
                    raise FileRefused("file_too_many_rows", limit=MAX_ROWS)
            found.append((sheet.title, rows))
        return found
    finally:
        workbook.close()


def _sheet(rows: list[list[str]]) -> Sheet:
    cleaned = [list(map(str.strip, row)) for row in rows]
    while cleaned and not any(cleaned[-1]):
        cleaned.pop()  # empty trailing rows
    if not cleaned:
        raise FileRefused("file_empty")
    header = cleaned[0]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise FileRefused("file_no_header")
    if len(cleaned) - 1 > MAX_ROWS:
        raise FileRefused("file_too_many_rows", limit=MAX_ROWS)
    body = []
    for number, cells in enumerate(cleaned[1:], start=2):
        if not any(cells):
            continue  # a blank line in the middle is no row
        if any(map(_formula, cells)):
            column = next(i for i, value in enumerate(cells, start=1) if _formula(value))
            raise FileRefused("file_formula", row=number, column=column)
        body.append((number, tuple(cells)))
    return Sheet(header=tuple(header), rows=tuple(body))
