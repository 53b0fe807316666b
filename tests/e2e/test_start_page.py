"""The start page in a real browser: served by Streamlit, counts from the database, language."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import StreamlitServer


def test_start_page_shows_counts_and_switches_language(server: StreamlitServer,
                                                       page: Any) -> None:
    page.goto(server.url)
    page.get_by_text("NVO inkubatoru programmas uzskaite").wait_for()
    page.get_by_text("Ieraksti datubāzē").wait_for()
    page.goto(f"{server.url}/?lang=en")
    page.get_by_text("NGO incubator programme tracker").wait_for()
    page.get_by_text("Records in the database").wait_for()
    page.get_by_text("Latviešu").click()
    page.get_by_text("NVO inkubatoru programmas uzskaite").wait_for()
    assert "lang=lv" in page.url
