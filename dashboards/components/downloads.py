"""Every table with CSV and Excel buttons, every chart with a PNG button.

The files are made only when the button is pressed (Streamlit's deferred download data),
so a page with many tables and charts costs nothing extra to render. The builders run
outside the script, so they get plain values, never Streamlit state. Text cells are
neutralised in both formats (tracker/exports.py), so a name such as "=HYPERLINK(...)" is
shown, never run, by the spreadsheet that opens the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from dashboards.components.text import tr
from tracker import exports
from tracker.exports import Cell, Table


def _file(name: str, extension: str) -> str:
    return f"{exports.slug(name)}-{dt.date.today().isoformat()}.{extension}"  # noqa: DTZ011


def table_buttons(table: Table, *, key: str) -> None:
    """CSV and Excel download buttons for `table`, side by side."""
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(tr("export.csv"), data=lambda: exports.to_csv(table),
                         file_name=_file(table.title, "csv"), mime="text/csv",
                         icon=":material/download:", key=f"{key}_csv", on_click="ignore")
    right.download_button(
        tr("export.xlsx"), data=lambda: exports.to_xlsx([table]),
        file_name=_file(table.title, "xlsx"), icon=":material/table_view:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx", on_click="ignore")


def show_table(title: str, records: Sequence[dict[str, Cell]], *, key: str,
               column_config: dict[str, Any] | None = None,
               notes: Sequence[str] = ()) -> None:
    """`records` (column heading -> value) as a table, then its download buttons.

    The headings are the user's language, so the files carry the same headings as the page.
    """
    table = Table.from_records(title, list(records), notes)
    st.dataframe(list(records), column_config=column_config, hide_index=True,
                 placeholder="–", key=f"{key}_table")
    table_buttons(table, key=key)


def show_chart(figure: go.Figure, *, name: str, key: str, is_map: bool = False) -> None:
    """The chart, with a PNG download drawn on the server.

    The button shows only where the server has Chromium to draw with; the chart's own camera
    icon (drawn by the user's browser) works everywhere. A map does not zoom on the mouse
    wheel, so scrolling the page over it still scrolls the page.
    """
    config: dict[str, Any] = {"toImageButtonOptions": {
        "format": "png", "filename": exports.slug(name), "scale": 2}}
    if is_map:
        config["scrollZoom"] = False
    st.plotly_chart(figure, key=key, config=config)
    if exports.png_available():
        st.download_button(tr("export.png"), data=lambda: exports.figure_png(figure),
                           file_name=_file(name, "png"), mime="image/png",
                           icon=":material/image:", key=f"{key}_png", on_click="ignore")
