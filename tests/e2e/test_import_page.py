"""A staff member imports an organisations CSV through the real upload widget in Chromium."""

from __future__ import annotations

from typing import Any

from db.engine import make_engine, make_session_factory, unit_of_work
from tests.e2e.conftest import StreamlitServer, sign_in
from tests.factories import reg_no
from tracker.auth import Actor
from tracker.services.organizations import list_organizations

NAME = "Biedrība „Pārlūkā importēta”"


def _names(database_url: str) -> set[str]:
    engine = make_engine(database_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            return {o.name for o in list_organizations(session, actor=Actor.system(),
                                                       search="importēta")}
    finally:
        engine.dispose()


def test_staff_uploads_checks_and_imports_a_csv(server: StreamlitServer, e2e_database: str,
                                                browser: Any) -> None:
    from playwright.sync_api import expect  # here: without playwright the fixture skips

    context = browser.new_context(viewport={"width": 1280, "height": 1600})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        sign_in(page, server, "staff@e2e.lv")
        page.get_by_role("link", name="Imports un eksports").click()
        page.get_by_role("heading", name="Imports un eksports").wait_for()
        # Latvian headings, semicolons and a byte-order mark, as Excel saves a CSV here.
        data = f"Reģistrācijas numurs;Nosaukums\n{reg_no()};{NAME}\n".encode("utf-8-sig")
        page.locator("input[type=file]").set_input_files(files=[{
            "name": "organizacijas.csv", "mimeType": "text/csv", "buffer": data}])
        page.get_by_role("button", name="Pārbaudīt").click()
        page.get_by_text("Visas rindas ir derīgas (1)").wait_for()
        assert NAME not in _names(e2e_database)  # the check writes nothing
        page.get_by_role("button", name="Importēt rindas (1)").click()
        page.get_by_text("Importēts fails organizacijas.csv").wait_for()
        assert NAME in _names(e2e_database)
        # The file is gone: once the run ends, no import button is left to press twice.
        expect(page.get_by_role("button", name="Importēt rindas (1)")).to_have_count(0)
        expect(page.get_by_role("button", name="Pārbaudīt")).to_have_count(0)
    finally:
        context.close()
