"""The Civic dialogue page in a real browser: a staff member adds a document (a TAP number typed
in lower case), then an opinion on it by one of their incubator's organisations, and sees both
listed: the document in the register's table, the opinion under the document."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select

from db.engine import make_engine, make_session_factory, unit_of_work
from db.models import Document, Opinion
from tests import factories as f
from tests.e2e.conftest import StreamlitServer, sign_in, wait_idle
from tracker.schemas import EnrollmentCreate
from tracker.services import documents, enrollments, opinions

STAFF = "staff@e2e.lv"
REF = "26-TA-9001"
TITLE = "Pārlūkā pievienots likumprojekts"
SUMMARY = "Ierosinām pagarināt sabiedriskās apspriešanas termiņu"
CLUB = "Biedrība “Pārlūka dialoga klubs”"


@pytest.fixture
def club(server: StreamlitServer, e2e_database: str) -> Iterator[str]:
    """An organisation of the staff member's incubator (enrolled in a Vidzeme cycle); after
    the test its opinion and the document are gone again, so other tests see no trace of them
    (no opinion waiting for review)."""
    engine = make_engine(e2e_database)
    factory = make_session_factory(engine)
    with unit_of_work(factory) as session:
        org = f.organization(session, name=CLUB)
        cohort_id = f.cohort(session, "VIDZEME")
        enrollments.enroll(session, actor=f.ADMIN, data=EnrollmentCreate(
            organization_id=org.id, cohort_id=cohort_id, applied_on=dt.date(2025, 2, 1)))
        reg_no = org.reg_no
    yield reg_no
    with unit_of_work(factory) as session:
        for row in session.scalars(select(Opinion).where(Opinion.deleted_at.is_(None),
                                                         Opinion.summary == SUMMARY)):
            opinions.delete_opinion(session, actor=f.ADMIN, opinion_id=row.id,
                                    version=row.version)
        for document in session.scalars(select(Document).where(Document.ref == REF,
                                                               Document.deleted_at.is_(None))):
            documents.delete_document(session, actor=f.ADMIN, document_id=document.id,
                                      version=document.version)
    engine.dispose()


def _choose(page: Any, key: str, option: str, *, many: bool = False) -> None:
    """Pick `option` in the select box (or, `many`, the multiselect) with the key `key`."""
    box, wanted = page.locator(f".st-key-{key} input"), page.get_by_role("option", name=option)
    for _ in range(5):  # a list opened while the page still moves can close at once: again
        box.click()
        try:
            wanted.click(timeout=3000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            wait_idle(page)
    else:
        raise AssertionError(f"{option!r} could not be chosen in {key}")
    if many:  # a multiselect's list stays open over what follows
        page.keyboard.press("Escape")
    wait_idle(page)


def test_staff_add_a_document_and_an_opinion_and_see_them_listed(
        server: StreamlitServer, browser: Any, club: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 1400})
    page = context.new_page()
    page.set_default_timeout(30_000)
    sign_in(page, server, STAFF)
    page.get_by_role("link", name="Pilsoniskais dialogs").click()
    page.get_by_role("heading", name="Pilsoniskais dialogs").wait_for()
    wait_idle(page)

    page.get_by_role("tab", name="Pievienot dokumentu").click()
    page.get_by_role("textbox", name="TAP numurs vai atsauce").fill(REF.lower())
    page.get_by_role("textbox", name="Nosaukums").fill(TITLE)
    page.get_by_role("textbox", name="Iestāde").fill("Tieslietu ministrija")
    _choose(page, "document_new_kind", "likums")
    _choose(page, "document_new_level", "valsts")
    page.get_by_role("button", name="Pievienot dokumentu").click()
    page.get_by_text(f"Dokuments pievienots: {REF}").wait_for()
    wait_idle(page)

    # The document just added is open, and the opinion form offers it.
    page.get_by_role("tab", name="Pievienot viedokli").click()
    picked = page.locator(".st-key-opinion_new_document input")
    picked.wait_for()
    assert picked.input_value() == f"{REF} · {TITLE}"
    _choose(page, "opinion_new_authors", f"{CLUB} ({club})", many=True)
    page.get_by_role("textbox", name="Kopsavilkums").fill(SUMMARY)
    page.get_by_role("button", name="Pievienot viedokli").click()
    page.get_by_text(f"Viedoklis pievienots: {REF}").wait_for()
    wait_idle(page)

    page.get_by_role("tab", name="Dokumenti un termiņi").click()
    panel = page.get_by_role("tabpanel", name="Dokumenti un termiņi")
    panel.locator("p", has_text=SUMMARY).wait_for()  # under its document, in the open card
    panel.get_by_text(f"Autori: {CLUB} ({club})").wait_for()
    # in the register's table (a data grid: its cells are in the page, drawn on a canvas)
    page.locator("td", has_text=TITLE).first.wait_for(state="attached")
    context.close()
    assert not server.uncaught(), server.uncaught()
