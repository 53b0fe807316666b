"""Verification in a real browser, as the two people do it: a draft survives a reload; staff
submit; a manager returns it with a comment; staff fix and resubmit; the manager approves and
closes the quarter; the activity then offers no edit."""

from __future__ import annotations

import io
import re
from typing import Any

from PIL import Image
from sqlalchemy import create_engine, text

from tests.e2e.conftest import StreamlitServer, sign_in
from tests.e2e.conftest import wait_idle as _idle

TITLE = "Pārlūkā pārbaudīta darbnīca"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(buffer, "PNG")
    return buffer.getvalue()


def _status(database: str, title: str) -> tuple[int, str, str | None] | None:
    engine = create_engine(database)
    try:
        with engine.connect() as conn:
            row = conn.execute(text("SELECT id, status, review_comment FROM activities "
                                    "WHERE title LIKE :t ORDER BY id DESC"),
                               {"t": title + "%"}).first()
        return (int(row[0]), str(row[1]), row[2]) if row else None
    finally:
        engine.dispose()


def _wait_for(database: str, title: str, status: str, page: Any) -> int:
    for _ in range(100):
        found = _status(database, title)
        if found and found[1] == status:
            return found[0]
        page.wait_for_timeout(200)
    raise AssertionError(f"{title!r} never became {status}: {_status(database, title)}")


def _new_page(browser: Any, server: StreamlitServer, email: str) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 1600}, locale="lv-LV")
    page = context.new_page()
    page.set_default_timeout(30_000)
    sign_in(page, server, email)
    return context, page


def _activities(page: Any) -> None:
    page.get_by_role("link", name=re.compile(r"^Aktivitātes")).click()
    page.get_by_role("heading", name=re.compile("aktivitāti")).wait_for()
    _idle(page)


def _newest_first(page: Any) -> None:
    """The review table newest first, so that the activity opened is this test's own even when
    other tests of the session left older ones waiting (the first row is the one shown)."""
    _idle(page)
    page.locator(".st-key-review_desc label").click()
    _idle(page)


def test_the_review_round_in_a_browser(server: StreamlitServer, browser: Any,
                                       e2e_database: str) -> None:
    staff_context, staff = _new_page(browser, server, "staff@e2e.lv")
    _activities(staff)
    title_box = staff.get_by_role("textbox", name="Nosaukums")
    title_box.fill(TITLE)
    title_box.press("Tab")  # the field is sent, and the form is kept
    staff.get_by_role("spinbutton", name="Dalībnieku skaits kopā").fill("5")
    staff.get_by_role("spinbutton", name="Dalībnieku skaits kopā").press("Tab")
    _idle(staff)
    staff.reload()  # a draft is never lost
    staff.get_by_text("Atjaunots nesaglabātais ievads").wait_for()
    _idle(staff)
    restored = staff.get_by_role("textbox", name="Nosaukums")
    for _ in range(50):  # the widget gets its value as the page finishes drawing
        if restored.input_value() == TITLE:
            break
        staff.wait_for_timeout(200)
    assert restored.input_value() == TITLE

    staff.locator(".st-key-act_date input[type=date]").fill("2025-08-14")
    staff.keyboard.press("Escape")  # close the calendar; the day is sent
    _idle(staff)
    staff.get_by_text("melnraksts", exact=True).click()
    _idle(staff)
    staff.get_by_role("button", name="Saglabāt").click()
    staff.get_by_text(f"Saglabāts: {TITLE}").wait_for()
    activity_id = _wait_for(e2e_database, TITLE, "draft", staff)
    _idle(staff)
    staff.locator(f".st-key-submit_{activity_id} button").click()
    _wait_for(e2e_database, TITLE, "submitted", staff)

    manager_context, manager = _new_page(browser, server, "manager@e2e.lv")
    _idle(manager)
    manager.get_by_role("link", name=re.compile(r"^Pārbaude")).click()
    _newest_first(manager)
    manager.locator(f".st-key-review_return_{activity_id} button").click()
    manager.locator(f".st-key-review_comment_{activity_id} textarea").fill(
        "Pievienojiet dalībnieku sarakstu")
    manager.locator(f".st-key-review_comment_{activity_id} textarea").press("Tab")
    _idle(manager)
    manager.locator(f".st-key-review_send_{activity_id} button").click()
    _wait_for(e2e_database, TITLE, "returned", manager)

    staff.reload()
    staff.get_by_text("Pievienojiet dalībnieku sarakstu").first.wait_for()
    _idle(staff)
    staff.locator(f".st-key-edit_{activity_id} button").click()
    staff.get_by_role("heading", name="Labot aktivitāti").wait_for()
    _idle(staff)
    # evidence: a web page named .pdf is refused by its content; a real PNG is attached
    upload = staff.locator(f".st-key-evidence_upload_{activity_id}_0 input[type=file]")
    upload.set_input_files({"name": "saraksts.pdf", "mimeType": "application/pdf",
                            "buffer": b"<html><body>not a pdf</body></html>"})
    staff.get_by_text("tas nav PDF, JPEG vai PNG fails").first.wait_for()
    _idle(staff)
    upload.set_input_files({"name": "saraksts.png", "mimeType": "image/png",
                            "buffer": _png()})
    staff.get_by_text("Fails “saraksts.png” pievienots.").wait_for()
    _idle(staff)
    edit_box = staff.get_by_role("textbox", name="Nosaukums")
    edit_box.fill(TITLE + " (ar sarakstu)")
    edit_box.press("Tab")
    _idle(staff)
    staff.get_by_role("button", name="Saglabāt").click()
    staff.get_by_text(f"Saglabāts: {TITLE} (ar sarakstu)").wait_for()
    _idle(staff)
    staff.locator(f".st-key-submit_{activity_id} button").click()
    _wait_for(e2e_database, TITLE, "submitted", staff)

    manager.reload()
    _newest_first(manager)
    manager.get_by_text("saraksts.png").first.wait_for()  # the evidence, for the reviewer
    manager.locator(f".st-key-review_approve_{activity_id} button").click()
    _wait_for(e2e_database, TITLE, "approved", manager)

    _idle(manager)
    manager.get_by_role("link", name="Ceturkšņu slēgšana").click()
    manager.locator(".st-key-quarters_incubator input").click()
    manager.get_by_role("option", name="Vidzemes NVO reģionālais inkubators").click()
    _idle(manager)
    manager.locator(".st-key-quarters_quarter input").click()
    manager.get_by_role("option", name="2025 Q3").click()
    _idle(manager)
    manager.locator(".st-key-quarters_close button").click()
    _idle(manager)
    manager.locator(".st-key-quarters_close_yes button").click()
    engine = create_engine(e2e_database)
    try:
        for _ in range(100):
            with engine.connect() as conn:
                closed = conn.execute(text(
                    "SELECT count(*) FROM period_closures WHERE year = 2025 AND quarter = 3 "
                    "AND reopened_at IS NULL")).scalar()
            if closed:
                break
            manager.wait_for_timeout(200)
        assert closed == 1
    finally:
        engine.dispose()

    staff.reload()
    staff.get_by_text(TITLE + " (ar sarakstu)").first.wait_for()
    assert staff.locator(f".st-key-edit_{activity_id}").count() == 0
    assert staff.locator(f".st-key-delete_{activity_id}").count() == 0
    manager_context.close()
    staff_context.close()
