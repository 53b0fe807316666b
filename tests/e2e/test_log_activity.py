"""A staff member logs an activity in a real browser; a manager then sees it."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import StreamlitServer, sign_in, wait_idle


def test_staff_logs_an_activity_and_a_manager_sees_it(server: StreamlitServer,
                                                      browser: Any) -> None:
    staff = browser.new_context(viewport={"width": 1280, "height": 1400})
    page = staff.new_page()
    page.set_default_timeout(30_000)
    sign_in(page, server, "staff@e2e.lv")
    page.get_by_role("link", name="Aktivitātes").click()
    page.get_by_role("heading", name="Reģistrēt aktivitāti").wait_for()
    wait_idle(page)
    page.get_by_role("textbox", name="Nosaukums").fill("Pārlūkā reģistrēta konsultācija")
    page.get_by_role("spinbutton", name="Dalībnieku skaits kopā").fill("2")
    page.get_by_role("spinbutton", name="Dalībnieku skaits kopā").press("Tab")
    wait_idle(page)
    page.get_by_role("button", name="Saglabāt").click()
    page.get_by_text("Saglabāts: Pārlūkā reģistrēta konsultācija").wait_for()
    staff.close()

    manager = browser.new_context(viewport={"width": 1280, "height": 1400})
    page = manager.new_page()
    page.set_default_timeout(30_000)
    sign_in(page, server, "manager@e2e.lv")
    # On the start page's table (a data grid: its cells are in the page, drawn on a canvas).
    page.locator("td", has_text="Pārlūkā reģistrēta konsultācija").first.wait_for(
        state="attached")
    page.get_by_role("link", name="Aktivitātes").click()
    page.get_by_role("heading", name="Reģistrēt aktivitāti").wait_for()
    wait_idle(page)
    # Managers choose the incubator; the staff member's is Vidzeme.
    page.locator(".st-key-activity_incubator input").click()
    page.get_by_role("option", name="Vidzemes NVO reģionālais inkubators").click()
    page.get_by_text("Pārlūkā reģistrēta konsultācija").first.wait_for()
    manager.close()


def test_a_rejected_value_stays_on_the_screen_with_the_reason(server: StreamlitServer,
                                                              browser: Any) -> None:
    """In the browser itself: negative hours stay as typed, with the reason next to them, and
    Save stores nothing (the page's tests check dates outside the programme the same way)."""
    context = browser.new_context(viewport={"width": 1280, "height": 1400})
    page = context.new_page()
    page.set_default_timeout(30_000)
    sign_in(page, server, "staff@e2e.lv")
    page.get_by_role("link", name="Aktivitātes").click()
    page.get_by_role("heading", name="Reģistrēt aktivitāti").wait_for()
    wait_idle(page)
    page.get_by_role("textbox", name="Nosaukums").fill("Noraidītu vērtību pārbaude")
    hours = page.get_by_role("spinbutton", name="Stundas")
    hours.fill("-2")
    hours.press("Tab")
    wait_idle(page)
    page.get_by_text("Stundas: jābūt lielākam par 0").wait_for()
    assert float(hours.input_value()) == -2
    page.get_by_role("button", name="Saglabāt").click()
    page.get_by_text("Nav saglabāts: vispirms izlabojiet atzīmētos laukus.").wait_for()
    # what was typed is kept: after a reload it is back, and thrown away it is gone (so the
    # next test of this account starts from an empty form)
    page.reload()
    page.get_by_text("Atjaunots nesaglabātais ievads no").wait_for()
    wait_idle(page)
    page.wait_for_function("() => [...document.querySelectorAll('input')].some("
                           "i => i.value === 'Noraidītu vērtību pārbaude')")
    page.get_by_role("button", name="Atmest to").click()
    wait_idle(page)
    page.get_by_text("Atjaunots nesaglabātais ievads no").wait_for(state="detached")
    page.wait_for_function("() => ![...document.querySelectorAll('input')].some("
                           "i => i.value === 'Noraidītu vērtību pārbaude')")
    context.close()
