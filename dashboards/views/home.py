"""Start page: what the signed-in person works on, with shortcuts to their pages."""

from __future__ import annotations

import streamlit as st

from dashboards.components.auth import require
from dashboards.components.text import enum_label, fmt_date, lang, tr
from tracker.auth import Area, can_open
from tracker.database import session_scope
from tracker.services import overview

actor = require(Area.HOME)
with session_scope(readonly=True) as session:
    summary = overview.start_page(session, actor=actor)

st.title(summary.incubator_name(lang()) or tr("home.title_programme"))
st.caption(tr("home.role", role=enum_label(actor.role)))

columns = st.columns(4)
columns[0].metric(tr("home.activities"), summary.activities)
columns[1].metric(tr("home.organizations_supported"), summary.organizations_supported)
columns[2].metric(tr("home.attendees"), summary.attendees)
columns[3].metric(tr("home.cohorts_active"), summary.cohorts_active)

links = [(Area.ACTIVITIES, "views/activities.py", "home.link_activities"),
         (Area.ORGANIZATIONS, "views/organizations.py", "home.link_organizations"),
         (Area.CAPACITY, "views/capacity.py", "home.link_capacity"),
         (Area.REGIONS, "views/regions.py", "home.link_regions")]
for area, path, key in links:
    if can_open(actor, area):
        st.page_link(path, label=tr(key))

if summary.recent:
    st.subheader(tr("home.recent"))
    st.dataframe(
        [{tr("field.activity_date"): fmt_date(a.activity_date), tr("field.title"): a.title,
          tr("field.type"): enum_label(a.type), tr("field.status"): enum_label(a.status)}
         for a in summary.recent],
        hide_index=True)
