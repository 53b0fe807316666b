"""CSV and Excel files are safe to open (no cell runs as a formula) and keep their values;
charts draw as PNG with the system's Chromium, or fail with a clear message without it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import plotly.graph_objects as go
import pytest

from tracker import exports
from tracker.exports import Table

DANGEROUS = ["=1+2", "+41 22", "-3+4", "@SUM(A1:A2)", "\t=cmd", "\r=cmd",
             '=HYPERLINK("http://evil.example","klik")']
SAFE = ["Biedrība „Ābele”", "1+2", "a=b", " =leading space"]


def _table() -> Table:
    return Table("Pārbaude: formulas", ["Teksts", "Skaitlis", "Datums", "Daļa", "Tukšs"],
                 [[text, 42, dt.date(2025, 3, 1), Decimal("12.50"), None]
                  for text in DANGEROUS + SAFE])


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_puts_an_apostrophe_before_every_formula_start() -> None:
    rows = _csv_rows(exports.to_csv(_table()))

    assert rows[0] == ["Teksts", "Skaitlis", "Datums", "Daļa", "Tukšs"]
    texts = [r[0] for r in rows[1:]]
    assert texts == ["'" + d for d in DANGEROUS] + SAFE
    for start in ("=", "+", "-", "@", "\t", "\r"):  # each one, named in the issue
        assert any(t.startswith("'" + start) for t in texts), start
    assert all(r[1:] == ["42", "2025-03-01", "12.50", ""] for r in rows[1:])


def test_csv_neutralises_headings_and_keeps_latvian_letters() -> None:
    table = Table("x", ["=Kolonna", "Ģirts Ķēniņš"], [["Ūdensrožu iela", -5]])
    raw = exports.to_csv(table)
    rows = _csv_rows(raw)

    assert rows == [["'=Kolonna", "Ģirts Ķēniņš"], ["Ūdensrožu iela", "-5"]]
    assert "Ģirts Ķēniņš".encode() in raw  # UTF-8, not a legacy code page


def test_xlsx_writes_dangerous_text_as_text_cells_and_keeps_types() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx([_table()])))
    sheet = workbook.worksheets[0]
    header_row = next(r for r in range(1, 6) if sheet.cell(r, 1).value == "Teksts")

    cells = [sheet.cell(header_row + 1 + i, 1) for i in range(len(DANGEROUS + SAFE))]
    # The text itself, no apostrophe. (A carriage return is stored as OOXML's _x000D_ escape,
    # which Excel reads back as the character and openpyxl leaves as it is.)
    assert [str(c.value).replace("_x000D_", "\r") for c in cells] == DANGEROUS + SAFE
    assert {c.data_type for c in cells} == {"s"}  # strings, never "f" (formula)
    number, day, share, empty = (sheet.cell(header_row + 1, col) for col in (2, 3, 4, 5))
    assert (number.value, number.data_type) == (42, "n")
    assert (share.value, share.data_type) == (12.5, "n")
    assert day.is_date and day.value.date() == dt.date(2025, 3, 1)
    assert empty.value is None
    # nothing in the file is a formula, whatever openpyxl makes of it
    with zipfile.ZipFile(io.BytesIO(exports.to_xlsx([_table()]))) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and all(b"<f>" not in archive.read(n) for n in sheets)


def test_sheet_names_are_valid_unique_and_short() -> None:
    long = "Organizācijas, kas saņēmušas atbalstu: pa pašvaldībām un reģioniem"
    tables = [Table(title, ["a"], [[1]]) for title in
              (long, long, long.upper(), "a/b[c]*?:\\d", "'Pēdiņas'", "History", "")]

    names = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(tables))).sheetnames

    assert len(names) == len(tables)
    assert len({n.lower() for n in names}) == len(names)
    assert all(0 < len(n) <= 31 for n in names)
    assert not any(ch in n for n in names for ch in "[]:*?/\\")
    assert names[0] == long[:31].strip()
    assert names[3] == "a b c d"
    assert names[4] == "Pēdiņas"
    assert names[5] != "History"


def test_slug_makes_ascii_file_names() -> None:
    assert exports.slug("Aktivitāšu veidi pa ceturkšņiem 2025") == \
        "aktivitasu-veidi-pa-ceturksniem-2025"
    assert exports.slug("„”") == "export"


def test_without_chromium_png_gives_the_catalogue_message(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")

    assert not exports.png_available()
    with pytest.raises(exports.ChartExportUnavailable) as caught:
        exports.figure_png(go.Figure(go.Bar(x=[1], y=[1])))
    assert "Chromium" in caught.value.message("en")
    assert "pārlūka" in caught.value.message("lv")


# Drawing itself (PNG bytes from Chromium, one browser for several charts) is checked once,
# with the report's map and charts, in test_reports.py: starting Chromium takes seconds.
