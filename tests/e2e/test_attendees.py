"""Ticking attendees in a real browser: staff open the activity form, add an organisation,
tick one of its people and add another on the spot, save, and the activity has both."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select

from db.engine import make_engine, make_session_factory, unit_of_work
from db.models import Activity, Attendance, Person
from tests.e2e.conftest import StreamlitServer, sign_in, wait_idle
from tests.factories import ADMIN, organization
from tests.people_factories import person
from tracker.services import activities, form_drafts, sessions

STAFF = "staff@e2e.lv"
TITLE = "Pārlūkā atzīmēti apmeklētāji"
CLUB = "Biedrība “Pārlūka apmeklētāju klubs”"


@pytest.fixture
def database(server: StreamlitServer, e2e_database: str) -> Iterator[Any]:
    """The server's database; afterwards the test's activity and kept form are gone, so the
    next test of this account starts from an empty form and an empty review queue."""
    engine = make_engine(e2e_database)
    factory = make_session_factory(engine)
    yield factory
    with unit_of_work(factory) as session:
        staff = sessions.actor_for_email(session, email=STAFF)
        assert staff is not None
        form_drafts.discard(session, actor=staff, form="activity")
        for row in session.scalars(select(Activity).where(Activity.title == TITLE,
                                                          Activity.deleted_at.is_(None))):
            activities.delete_activity(session, actor=ADMIN, activity_id=row.id,
                                       version=row.version)
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


def _says(page: Any, text: str) -> None:
    """Wait for `text`; if it never comes, fail with what the page says instead."""
    try:
        page.get_by_text(text).wait_for()
    except Exception as exc:
        alerts = page.locator("[data-testid='stAlert']").all_inner_texts()
        raise AssertionError(f"{text!r} never showed; the page says {alerts}") from exc


def test_staff_tick_two_people_one_added_on_the_spot(server: StreamlitServer, browser: Any,
                                                      database: Any) -> None:
    with unit_of_work(database) as session:
        club = organization(session, name=CLUB)
        member = person(session, first_name="Elza", last_name="Pārlūkiete",
                        memberships=[{"organization_id": club.id, "role": "member"}])
        ref, club_id, member_id = member.ref, club.id, member.id
    context = browser.new_context(viewport={"width": 1280, "height": 1800}, locale="lv-LV")
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        sign_in(page, server, STAFF)
        page.get_by_role("link", name="Aktivitātes").click()
        page.get_by_role("heading", name="Reģistrēt aktivitāti").wait_for()
        # The page's first run drawn to its end: a field changed while it still draws can
        # start a run that loses the defaults of the fields not drawn yet (date, hours).
        page.get_by_role("heading", name="Jaunākās aktivitātes").wait_for()
        page.locator(".st-key-act_hours input").wait_for()
        wait_idle(page)
        # The organisation that took part, with two attendees.
        search = page.locator(".st-key-participant_search input")
        search.fill("Pārlūka apmeklētāju")
        search.press("Enter")
        wait_idle(page)
        count = page.locator(".st-key-participant_attendees input")
        count.fill("2")
        count.press("Tab")
        wait_idle(page)
        page.get_by_role("button", name="Pievienot", exact=True).click()
        wait_idle(page)
        page.get_by_text("Apmeklētāji no organizācijām kopā: 2").wait_for()
        # One of its people, ticked from the list (the club's people come first).
        _choose(page, "act_attendees", f"Elza Pārlūkiete ({ref})", many=True)
        # Another, added on the spot for the same organisation, and ticked at once.
        page.get_by_text("Personas nav sarakstā? Pievienot uz vietas").click()
        page.locator(".st-key-quick_person_ref input").fill("E2E-UZ-VIETAS")
        page.locator(".st-key-quick_person_first input").fill("Oskars")
        page.locator(".st-key-quick_person_last input").fill("Uzvietnieks")
        _choose(page, "quick_person_org", CLUB)
        page.locator(".st-key-quick_person_consent input[type=date]").fill("2025-09-01")
        page.get_by_role("button", name="Pievienot un atzīmēt").click()
        wait_idle(page)
        page.get_by_text("Vārdā nosaukti 2 no 2 dalībniekiem kopā").wait_for()
        page.locator(".st-key-act_attendees", has_text="Oskars Uzvietnieks").wait_for()
        page.get_by_role("textbox", name="Nosaukums").fill(TITLE)
        page.get_by_role("textbox", name="Nosaukums").press("Tab")
        wait_idle(page)
        page.get_by_role("button", name="Saglabāt").click()
        _says(page, f"Saglabāts: {TITLE}")
    finally:
        context.close()

    with unit_of_work(database) as session:
        activity_id = session.scalar(select(Activity.id).where(Activity.title == TITLE))
        added = session.scalar(select(Person).where(Person.ref == "E2E-UZ-VIETAS"))
        assert activity_id is not None and added is not None
        assert added.consent_date == dt.date(2025, 9, 1)
        saved = session.execute(select(Attendance.person_id, Attendance.organization_id)
                                .where(Attendance.activity_id == activity_id)
                                .order_by(Attendance.person_id)).all()
    assert [tuple(r) for r in saved] == [(member_id, club_id), (added.id, club_id)]
