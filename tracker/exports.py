"""Tables and charts as files: CSV, Excel and PNG, safe to open in a spreadsheet.

A cell that starts with =, +, -, @ (or a tab or carriage return) could run as a formula
when a spreadsheet opens the file. In CSV such text gets a leading apostrophe, the usual
neutralisation; in Excel every text is written as a text cell, which never runs, and the
workbook is told not to turn strings into formulas, numbers or links.

Charts are drawn by kaleido in the system's Chromium (`BROWSER_PATH` points it at another);
one browser is kept open while charts are being drawn, so a report's charts cost one start.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import csv
import datetime as dt
import io
import os
import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
import xlsxwriter

from tracker.errors import TrackerError
from tracker.i18n import DEFAULT_LANGUAGE, t

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
    """A valid, unique worksheet name (at most 31 characters, none of []:*?/\\).

    Excel compares sheet names without regard to case and keeps "History" for itself.
    """
    cleaned = " ".join(_SHEET_FORBIDDEN.sub(" ", title).split()).strip("'").strip()
    base = cleaned[:31].strip() or "Sheet"
    name, n = base, 2
    while name.lower() in taken or name.lower() == "history":
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


class ChartExportUnavailable(TrackerError):
    """No Chromium to draw charts with: PNG downloads and report charts are left out."""

    code = "export.no_browser"

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return t("export.no_browser", lang)


class ChartExportFailed(TrackerError):
    """Chromium was there but did not draw the chart (crashed or timed out)."""

    code = "export.render_failed"

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return t("export.render_failed", lang, reason=self.params.get("reason", ""))


def chromium_path() -> str | None:
    """The Chromium (or Chrome) kaleido would drive: `BROWSER_PATH` if set, else the first on
    PATH (/usr/bin/chromium on Debian). None when there is none to run."""
    from choreographer.browsers.chromium import Chromium

    configured = os.environ.get("BROWSER_PATH", "").strip()
    if configured:
        found: str | None = configured
    else:
        try:  # only the system's browsers: nothing is ever downloaded
            found = Chromium.find_browser(skip_local=True)
        except Exception:  # a broken PATH entry must not break a page
            found = None
    return found if found and os.path.isfile(found) and os.access(found, os.X_OK) else None


def png_available() -> bool:
    """Whether charts can be drawn as PNG here (pages hide the PNG button when not)."""
    return chromium_path() is not None


class _Renderer:
    """One headless Chromium, kept open while charts are being drawn and closed when idle.

    Starting Chromium takes seconds and a chart then takes a fraction of one, so a report with
    several charts, or a second PNG download, reuses the running browser. Kaleido is asyncio
    code: it lives on an event loop in its own thread, and one lock lets one chart at a time
    through (the Streamlit server calls from many threads).
    """

    IDLE_SECONDS = 300.0
    RENDER_SECONDS = 90.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._browser: Any = None
        self._idle: threading.Timer | None = None
        atexit.register(self.close)

    def _start(self, path: str) -> None:
        import kaleido

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="kaleido", daemon=True)
        thread.start()

        async def open_browser() -> Any:
            # mathjax=False: the default would fetch MathJax from the internet, and charts
            # here have no formulas.
            browser = kaleido.Kaleido(n=1, timeout=self.RENDER_SECONDS, mathjax=False,
                                      path=path)
            await browser.open()
            return browser

        try:
            self._browser = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(
                timeout=self.RENDER_SECONDS)
        except BaseException:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=5)
            raise
        self._loop, self._thread = loop, thread

    def _stop(self) -> None:
        loop, browser, thread = self._loop, self._browser, self._thread
        self._loop = self._browser = self._thread = None
        if loop is None:
            return
        if browser is not None:
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(browser.close(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(timeout=5)

    def close(self) -> None:
        """Close the browser now (it opens again on the next chart)."""
        with self._lock:
            if self._idle is not None:
                self._idle.cancel()
                self._idle = None
            self._stop()

    def render(self, figures: Sequence[go.Figure], width: int, height: int) -> list[bytes]:
        path = chromium_path()
        if path is None:
            raise ChartExportUnavailable()
        with self._lock:
            if self._idle is not None:
                self._idle.cancel()
                self._idle = None
            try:
                if self._loop is None:
                    self._start(path)
                assert self._loop is not None
                images = []
                for figure in figures:
                    # a size the chart sets for itself wins (e.g. one bar row per incubator)
                    opts = {"format": "png", "width": int(figure.layout.width or width),
                            "height": int(figure.layout.height or height), "scale": 1}
                    image = asyncio.run_coroutine_threadsafe(
                        self._browser.calc_fig(figure.to_dict(), opts=opts),
                        self._loop).result(timeout=self.RENDER_SECONDS + 10)
                    images.append(bytes(image))
            except Exception as exc:
                self._stop()  # a browser in an unknown state is not reused
                reason = str(exc).strip().splitlines()[0] if str(exc).strip() else \
                    type(exc).__name__
                raise ChartExportFailed(reason=reason[:200]) from exc
            self._idle = threading.Timer(self.IDLE_SECONDS, self.close)
            self._idle.daemon = True
            self._idle.start()
            return images


_renderer = _Renderer()


def figures_png(figures: Sequence[go.Figure], *, width: int = 1100, height: int = 600
                ) -> list[bytes]:
    """Several charts as PNGs, drawn one after another by the same Chromium; `width` and
    `height` apply where the figure's layout sets none.

    Raises ChartExportUnavailable when there is no Chromium and ChartExportFailed when it
    does not draw; both carry a message for the user.
    """
    return _renderer.render(list(figures), width, height) if figures else []


def figure_png(figure: go.Figure, *, width: int = 1100, height: int = 600) -> bytes:
    """The chart as a PNG, drawn by kaleido with the system's Chromium (no network)."""
    return figures_png([figure], width=width, height=height)[0]


def close_renderer() -> None:
    """Close the chart browser now (tests; it also closes itself when idle and at exit)."""
    _renderer.close()


def slug(text: str) -> str:
    """A file-name-safe form of a title: ASCII letters, digits and dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower() or "export"
