"""Signing in in a real browser: the session survives a reload and ends on sign-out."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import StreamlitServer, sign_in


def test_sign_in_survives_reload_and_sign_out_ends_it(server: StreamlitServer,
                                                      page: Any) -> None:
    sign_in(page, server, "staff@e2e.lv")
    page.get_by_text("Vidzemes NVO reģionālais inkubators").wait_for()
    # The cookie is HttpOnly: page scripts cannot read the session token.
    assert "tracker_session" not in page.evaluate("document.cookie")
    assert any(c["name"] == "tracker_session" and c["httpOnly"]
               for c in page.context.cookies())
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
