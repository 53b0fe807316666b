"""Two Streamlit server processes on one PostgreSQL database serve the same users: a write
through one shows on the other at its next rerun (the dashboards' caches are keyed on the
data version kept in the database, and sign-in sessions live there too)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PostgresServer
from tests.e2e.conftest import StreamlitServer, sign_in, wait_idle, with_accounts

TITLE = "Otrā serverī redzama konsultācija"


@pytest.fixture(scope="module")
def shared_database(postgres_server: PostgresServer) -> str:
    return with_accounts(postgres_server.new_database())


@pytest.fixture(scope="module")
def two_servers(shared_database: str, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[tuple[StreamlitServer, StreamlitServer]]:
    logs = tmp_path_factory.mktemp("scale_out")
    first = StreamlitServer(shared_database, Path(logs / "first.log"))
    try:
        second = StreamlitServer(shared_database, Path(logs / "second.log"))
    except BaseException:
        first.stop()
        raise
    yield first, second
    first.terminate()  # both shut down at once
    second.terminate()
    first.stop()
    second.stop()
    for server in (first, second):
        assert not server.uncaught(), server.uncaught()


def _window(browser: Any) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 1400})
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page


def test_a_write_through_one_server_shows_on_the_other(
        two_servers: tuple[StreamlitServer, StreamlitServer], browser: Any) -> None:
    first, second = two_servers
    assert first.port != second.port and first.process.pid != second.process.pid
    manager_context, manager = _window(browser)
    sign_in(manager, second, "manager@e2e.lv")
    wait_idle(manager)
    assert manager.get_by_text(TITLE).count() == 0

    staff_context, staff = _window(browser)
    sign_in(staff, first, "staff@e2e.lv")
    staff.get_by_role("link", name="Aktivitātes").click()
    staff.get_by_role("heading", name="Reģistrēt aktivitāti").wait_for()
    wait_idle(staff)
    staff.get_by_role("textbox", name="Nosaukums").fill(TITLE)
    staff.get_by_role("spinbutton", name="Dalībnieku skaits kopā").fill("2")
    staff.get_by_role("spinbutton", name="Dalībnieku skaits kopā").press("Tab")
    wait_idle(staff)
    staff.get_by_role("button", name="Saglabāt").click()
    staff.get_by_text(f"Saglabāts: {TITLE}").wait_for()
    staff_context.close()

    # The manager's session on the other process reruns its start page (no reload): the
    # new activity is there, read anew because the data version in the database moved.
    manager.get_by_role("link", name="Sākums").click()
    manager.locator("td", has_text=TITLE).first.wait_for(state="attached")
    # And the manager, signed in through the second process, is known to the first too.
    manager.goto(first.url)
    manager.get_by_role("button", name="Iziet").wait_for()
    manager_context.close()
