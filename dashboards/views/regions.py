"""Read-only statistics per incubator (funders see approved activities only, no personal data)."""

from __future__ import annotations

import streamlit as st

from dashboards.components.auth import require
from dashboards.components.text import lang, tr
from tracker import charts
from tracker.auth import Area
from tracker.database import session_scope
from tracker.services import overview

actor = require(Area.REGIONS)
st.title(tr("nav.regions"))
with session_scope(readonly=True) as session:
    rows = overview.incubator_totals(session, actor=actor)

st.plotly_chart(charts.incubator_comparison(rows, lang()), key="incubator_chart")
st.dataframe(
    [{tr("statistics.incubator"): r.name_en if lang() == "en" else r.name_lv,
      tr("home.activities"): r.activities, tr("statistics.hours"): round(r.hours, 1),
      tr("home.organizations_supported"): r.organizations_supported,
      tr("home.attendees"): r.attendees} for r in rows],
    hide_index=True)
st.caption(tr("statistics.counted_funder") if actor.role.value == "funder"
           else tr("statistics.counted_all"))
