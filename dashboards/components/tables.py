"""Table pieces several pages show: numbers, date columns, an organisation's milestones."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import streamlit as st

from dashboards.components.text import enum_label, lang, tr
from tracker.i18n import format_number
from tracker.schemas import MilestoneRead


def number(value: Decimal | None, signed: bool = False) -> str:
    """Two decimals in the user's language; `signed` puts a + before gains."""
    if value is None:
        return "–"
    text = format_number(float(value), lang(), 2)
    return f"+{text}" if signed and value > 0 else text


def date_column(label: str) -> Any:
    """A dataframe date column shown as dd.mm.yyyy in Latvian."""
    return st.column_config.DateColumn(label, format="DD.MM.YYYY" if lang() == "lv"
                                       else "D MMM YYYY")


def milestones_table(achieved: list[MilestoneRead]) -> None:
    """An organisation's milestones (or a line saying there are none)."""
    if not achieved:
        st.caption(tr("org.no_milestones"))
        return
    st.dataframe(
        [{"date": m.achieved_on, "kind": enum_label(m.kind),
          "amount": None if m.amount_eur is None else number(m.amount_eur),
          "reference": m.reference, "description": m.description}
         for m in achieved],
        column_config={"date": date_column(tr("field.achieved_on")),
                       "kind": tr("field.kind"), "amount": tr("field.amount_eur"),
                       "reference": tr("field.reference"),
                       "description": tr("field.description")},
        hide_index=True, placeholder="–")
