"""HTTP routes beside the Streamlit app: set and clear the HttpOnly session cookie."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dashboards.components.auth import COOKIE
from tracker.database import session_scope
from tracker.i18n import normalise_language
from tracker.services import sessions

COOKIE_MAX_AGE = int(sessions.ABSOLUTE_TIMEOUT.total_seconds())


def _home(request: Request) -> str:
    return f"/?lang={normalise_language(request.query_params.get('lang'))}"


def session_from_ticket(request: Request) -> Response:
    """The browser brings the one-time ticket from the sign-in form and leaves with a cookie."""
    response = RedirectResponse(_home(request), status_code=303)
    ticket = request.query_params.get("ticket", "")
    if not ticket or len(ticket) > 200:
        return response
    with session_scope() as session:
        token = sessions.redeem_ticket(session, ticket=ticket)
    if token:
        response.set_cookie(COOKIE, token, max_age=COOKIE_MAX_AGE, path="/", httponly=True,
                            samesite="lax", secure=request.url.scheme == "https")
    return response


def sign_out(request: Request) -> Response:
    """Forget the cookie (the session itself is already ended, or is ended here)."""
    token = request.cookies.get(COOKIE)
    if token:
        with session_scope() as session:
            sessions.end_session(session, token=token)
    response = RedirectResponse(_home(request), status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


ROUTES = [
    Route("/auth/session", session_from_ticket, methods=["GET"]),
    Route("/auth/signout", sign_out, methods=["GET"]),
]
