"""Signing in in a real browser: the session survives a reload and ends on sign-out."""

from __future__ import annotations

import time
from typing import Any

from tests.e2e.conftest import StreamlitServer, sign_in


def _session_cookie(page: Any, wait_s: float = 15.0) -> dict[str, Any] | None:
    """The session cookie once the browser has it: the start page may draw before the
    browser's trip to /auth/session has come back with the cookie."""
    deadline = time.monotonic() + wait_s
    while True:
        found = [c for c in page.context.cookies() if c["name"] == "tracker_session"]
        if found or time.monotonic() > deadline:
            return found[0] if found else None
        page.wait_for_timeout(100)


def test_sign_in_survives_reload_and_sign_out_ends_it(server: StreamlitServer,
                                                      page: Any) -> None:
    sign_in(page, server, "staff@e2e.lv")
    page.get_by_text("Vidzemes NVO reģionālais inkubators").wait_for()
    # The cookie is HttpOnly: page scripts cannot read the session token.
    cookie = _session_cookie(page)
    assert cookie is not None and cookie["httpOnly"]
    assert "tracker_session" not in page.evaluate("document.cookie")
    page.reload()
    page.get_by_text("Vidzemes NVO reģionālais inkubators").wait_for()
    page.get_by_role("button", name="Iziet").click()
    page.get_by_role("button", name="Pieteikties").wait_for()
    page.reload()
    page.get_by_role("button", name="Pieteikties").wait_for()
    assert not any(c["name"] == "tracker_session" for c in page.context.cookies())


def test_english_and_the_manager_start_page(server: StreamlitServer, page: Any) -> None:
    sign_in(page, server, "manager@e2e.lv", lang="en")
    page.get_by_text("Regional NGO incubators 2025–2026").wait_for()
    page.get_by_text("Your role: programme manager").wait_for()
