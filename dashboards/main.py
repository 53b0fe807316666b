"""The Streamlit script: language, database check, who is signed in, and their pages."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import streamlit as st

from dashboards.components import auth
from dashboards.components.cache import cached
from dashboards.components.text import language_switch, tr
from tracker.auth import Actor, Area, can_open
from tracker.enums import Role
from tracker.health import check_database
from tracker.i18n import label
from tracker.services import review

VIEWS = Path(__file__).resolve().parent / "views"

# (area, file, url path, icon); the order is the order in the sidebar.
PAGES: list[tuple[Area, str, str, str]] = [
    (Area.HOME, "home.py", "home", ":material/home:"),
    (Area.ACTIVITIES, "activities.py", "activities", ":material/event_note:"),
    (Area.REVIEW, "review.py", "review", ":material/fact_check:"),
    (Area.QUARTERS, "quarters.py", "quarters", ":material/lock_clock:"),
    (Area.ORGANIZATIONS, "organizations.py", "organizations", ":material/groups:"),
    (Area.PEOPLE, "people.py", "people", ":material/person:"),
    (Area.DIALOGUE, "dialogue.py", "dialogue", ":material/forum:"),
    (Area.CAPACITY, "capacity.py", "capacity", ":material/trending_up:"),
    (Area.IMPORTS, "imports.py", "imports", ":material/upload_file:"),
    (Area.OVERVIEW, "overview.py", "overview", ":material/monitoring:"),
    (Area.FORECAST, "forecast.py", "forecast", ":material/crisis_alert:"),
    (Area.REGIONS, "regions.py", "regions", ":material/map:"),
    (Area.JOURNEYS, "journeys.py", "journeys", ":material/timeline:"),
    (Area.REPORTS, "reports.py", "reports", ":material/download:"),
    (Area.ADMIN_USERS, "admin_users.py", "admin-users", ":material/manage_accounts:"),
    (Area.ADMIN_INCUBATORS, "admin_incubators.py", "admin-incubators", ":material/domain:"),
    (Area.ADMIN_COHORTS, "admin_cohorts.py", "admin-cohorts", ":material/date_range:"),
    (Area.ADMIN_TARGETS, "admin_targets.py", "admin-targets", ":material/flag:"),
    (Area.ADMIN_AUDIT, "admin_audit.py", "admin-audit", ":material/history:"),
]

# Programme-wide numbers, grouped apart from the daily work in the sidebar.
PROGRAMME = frozenset({Area.OVERVIEW, Area.FORECAST, Area.REGIONS, Area.JOURNEYS,
                       Area.REPORTS})


_log = logging.getLogger(__name__)


def _waiting(actor: Actor) -> int:
    """How many submitted activities wait for review (0 when that cannot be told now).

    One COUNT, kept in the dashboard cache keyed on the data version: while nothing is
    written, a rerun costs one primary-key lookup.
    """
    try:
        return cached(review.waiting_count, actor=actor)
    except Exception:  # a count in the sidebar must never stop the app from opening
        _log.exception("the review count could not be read")
        return 0


def _to_fix(actor: Actor) -> int:
    """Staff: their returned activities and week-old drafts (0 when that cannot be told)."""
    today = dt.date.today()  # noqa: DTZ011
    try:
        box = cached(review.inbox, actor=actor, today=today)
    except Exception:  # a count in the sidebar must never stop the app from opening
        _log.exception("the inbox count could not be read")
        return 0
    return len(box.returned) + len(box.stale_drafts)


def _title(actor: Actor, area: Area) -> str:
    if area is Area.REVIEW and (waiting := _waiting(actor)):
        return tr("nav.review_waiting", count=waiting)
    if area is Area.ACTIVITIES and actor.role is Role.STAFF and (fix := _to_fix(actor)):
        return tr("nav.activities_to_fix", count=fix)
    return tr(f"nav.{area.value}")


def _pages_for(actor: Actor) -> dict[str, list[st.Page]]:
    sections: dict[str, list[st.Page]] = {}
    for area, file, url, icon in PAGES:
        if not can_open(actor, area):
            continue
        section = tr("nav.section.admin") if area.value.startswith("admin_") else \
            tr("nav.section.programme") if area in PROGRAMME else tr("nav.section.work")
        sections.setdefault(section, []).append(st.Page(
            str(VIEWS / file), title=_title(actor, area), url_path=url, icon=icon,
            default=area is Area.HOME))
    return sections


def _sidebar_user(actor: Actor) -> None:
    with st.sidebar:
        st.caption(tr("auth.signed_in_as"))
        st.text(f"{actor.email}\n{label(actor.role, st.session_state.get('lang', 'lv'))}")
        if st.button(tr("auth.sign_out"), icon=":material/logout:", key="sign_out"):
            auth.sign_out()
            st.rerun()


def main() -> None:
    st.set_page_config(page_title=tr("app.short_title"), page_icon=":material/hub:",
                       layout="wide")
    language_switch()
    status = check_database()
    if not status.ok:
        st.title(tr("app.title"))
        st.error(status.message(st.session_state.get("lang", "lv")))
        st.button(tr("app.retry"))
        return
    auth.clear_cookie_after_sign_out()
    actor = auth.current_actor()
    auth.remember(actor)
    if actor is None:
        page = st.navigation([st.Page(str(VIEWS / "sign_in.py"), title=tr("auth.sign_in"),
                                      url_path="sign-in", icon=":material/login:")],
                             position="hidden")
        page.run()
        return
    auth.hand_over_cookie()
    _sidebar_user(actor)
    st.navigation(_pages_for(actor)).run()


main()
