"""Who is signed in: password sessions (cookie, survives a reload) or the identity provider."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import streamlit as st

from dashboards.components.text import tr
from tracker.auth import Actor, Area, can_open
from tracker.database import session_scope
from tracker.services import sessions, users

COOKIE = "tracker_session"
_STATE = "auth"
_TICKET = "auth_ticket"


def oidc_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section for st.login."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False
    except Exception:  # a broken secrets file must not lock everyone out
        return False


def oidc_user_email() -> str | None:
    """The e-mail the identity provider vouched for, if someone signed in that way."""
    return _oidc_user_email()


def _oidc_user_email() -> str | None:
    if not oidc_configured():
        return None
    user: Any = st.user
    if not user.get("is_logged_in"):
        return None
    email = user.get("email")
    return str(email) if email else None


def _cookie() -> str | None:
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # no browser behind this session (AppTest, bare mode)
        return None
    return value if isinstance(value, str) and 0 < len(value) < 200 else None


def current_actor() -> Actor | None:
    """The signed-in actor, re-checked against the database on every rerun (reads only;
    the session's idle timer is pushed back at most once a minute)."""
    state = st.session_state.get(_STATE)
    session_id: int | None = None
    actor: Actor | None = None
    with session_scope(readonly=True) as session:
        if state and state.get("session_id"):
            session_id = int(state["session_id"])
            actor = sessions.check_session(session, session_id=session_id)
            if actor is None:
                st.session_state.pop(_STATE, None)
        elif (token := _cookie()) and (resumed := sessions.resume_session(session, token=token)):
            session_id, actor = resumed
            st.session_state[_STATE] = {"session_id": session_id}
        elif email := _oidc_user_email():
            return sessions.actor_for_email(session, email=email)
        touch = actor is not None and session_id is not None and \
            sessions.needs_touch(session, session_id=session_id)
    if touch and session_id is not None:
        with session_scope() as session:
            sessions.touch_session(session, session_id=session_id)
    return actor


def sign_in_with_password(email: str, password: str) -> bool:
    """Check the password; on success the session starts and the browser gets its cookie."""
    with session_scope() as session:
        actor = users.authenticate(session, email=email, password=password)
        if actor is None:
            return False
        started = sessions.start_session(session, actor=actor)
    st.session_state[_STATE] = {"session_id": started.session_id}
    st.session_state[_TICKET] = started.ticket
    return True


def hand_over_cookie() -> None:
    """Once after signing in: send the browser to exchange its ticket for the cookie.

    Runs in the browser only (AppTest keeps the session in session_state); the cookie is
    HttpOnly, set by the server route, so page scripts can never read it.
    """
    ticket = st.session_state.pop(_TICKET, None)
    if ticket:
        lang = quote(str(st.session_state.get("lang", "lv")))
        target = f"/auth/session?ticket={quote(ticket)}&lang={lang}"
        st.html(f"<script>window.location.replace({target!r});</script>",
                unsafe_allow_javascript=True)


def sign_out() -> None:
    """End the session in the database, then clear the cookie (or the provider's)."""
    state = st.session_state.pop(_STATE, None)
    if state and state.get("session_id"):
        with session_scope() as session:
            sessions.end_session(session, session_id=state["session_id"])
        st.session_state["auth_signed_out"] = True
        return
    if _oidc_user_email():
        st.logout()


def clear_cookie_after_sign_out() -> None:
    if st.session_state.pop("auth_signed_out", False):
        st.html("<script>window.location.replace('/auth/signout');</script>",
                unsafe_allow_javascript=True)


def remember(actor: Actor | None) -> None:
    """Called once per rerun by main.py, so pages do not ask the database again."""
    st.session_state["actor"] = actor


def actor_of_this_run() -> Actor | None:
    actor = st.session_state.get("actor")
    return actor if isinstance(actor, Actor) else None


def require(area: Area) -> Actor:
    """The actor, if their role may open `area`; otherwise the page says no and stops."""
    actor = actor_of_this_run()
    if actor is None or not can_open(actor, area):
        st.error(tr("auth.refused"))
        st.stop()
    return actor
