"""Start page: what the signed-in person works on, what waits for their action, shortcuts."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboards.components.auth import require
from dashboards.components.cache import cached
from dashboards.components.text import enum_label, fmt_date, lang, plain, tr
from tracker.auth import Actor, Area, can_open
from tracker.database import session_scope
from tracker.enums import Role
from tracker.services import reference, review, start_page
from tracker.services.review import InboxItem

INBOX_SHOWN = 5  # items listed per kind; the rest are counted

actor = require(Area.HOME)
with session_scope(readonly=True) as session:
    summary = start_page.summary(session, actor=actor)
    incubator_names = {i.id: (i.name_en if lang() == "en" else i.name_lv)
                       for i in reference.list_incubators(session, actor=actor)}


def _day(moment: dt.datetime | None) -> str:
    return fmt_date(moment.date()) if moment else ""


def _items(items: list[InboxItem], comments: bool = False) -> None:
    lines = []
    for item in items[:INBOX_SHOWN]:
        line = "- " + tr("inbox.item", date=fmt_date(item.activity_date), title=plain(item.title))
        if comments and item.review_comment:
            line += "  \n  " + tr("inbox.comment", comment=plain(item.review_comment))
        lines.append(line)
    if len(items) > INBOX_SHOWN:
        lines.append("- " + tr("inbox.more", count=len(items) - INBOX_SHOWN))
    st.markdown("\n".join(lines))


def _inbox(actor: Actor) -> None:
    """What needs the actor's action: reviews (managers), returned work and old drafts."""
    inbox = cached(review.inbox, actor=actor, today=dt.date.today())  # noqa: DTZ011
    with st.container(border=True):
        st.subheader(tr("inbox.title"))
        if inbox.count == 0:
            st.caption(tr("inbox.nothing"))
            return
        if inbox.to_review:
            st.markdown(f"**{tr('inbox.to_review', count=len(inbox.to_review))}**")
            waiting: dict[int, list[InboxItem]] = {}
            for item in inbox.to_review:  # oldest first
                waiting.setdefault(item.incubator_id, []).append(item)
            st.markdown("\n".join(
                "- " + tr("inbox.by_incubator",
                          incubator=plain(incubator_names.get(i, items[0].incubator_code)),
                          count=len(items), date=_day(items[0].waiting_since))
                for i, items in waiting.items()))  # the longest waiting incubator first
            if can_open(actor, Area.REVIEW):
                st.page_link("views/review.py", label=tr("inbox.open_review"),
                             icon=":material/fact_check:")
        if inbox.returned:
            st.markdown(f"**{tr('inbox.returned', count=len(inbox.returned))}**")
            _items(inbox.returned, comments=True)
        if inbox.stale_drafts:
            st.markdown(f"**{tr('inbox.drafts', count=len(inbox.stale_drafts))}**")
            _items(inbox.stale_drafts)
        if (inbox.returned or inbox.stale_drafts) and can_open(actor, Area.ACTIVITIES):
            st.page_link("views/activities.py", label=tr("inbox.open_activities"),
                         icon=":material/event_note:")


st.title(summary.incubator_name(lang()) or tr("home.title_programme"))
st.caption(tr("home.role", role=enum_label(actor.role)))
if actor.role is not Role.FUNDER:
    _inbox(actor)

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
