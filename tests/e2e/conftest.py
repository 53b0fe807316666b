"""A real Streamlit server and a real headless Chromium for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from db.engine import make_engine, make_session_factory, unit_of_work
from db.enums import Role
from tests.conftest import chromium, need
from tracker import demo
from tracker.auth import Actor
from tracker.refdata import init_database
from tracker.schemas import UserCreate
from tracker.services.users import create_user

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = chromium()
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update",
                  "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class StreamlitServer:
    """`streamlit run dashboards/app.py` on a free port, against a given database."""

    def __init__(self, database_url: str, log: Path, extra_args: list[str] | None = None,
                 port: int | None = None) -> None:
        self.port = port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = os.environ | {"TRACKER_DATABASE_URL": database_url}
        self.log = log
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboards" / "app.py"),
             "--server.headless", "true", "--server.address", "127.0.0.1",
             "--server.port", str(self.port), "--browser.gatherUsageStats", "false",
             *(extra_args or [])],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_healthy(log)

    def _wait_healthy(self, log: Path, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit did not become healthy: {log.read_text()[-2000:]}")

    def terminate(self) -> None:
        """Ask the server to stop (several can be asked at once, then `stop`ped)."""
        if self.process.poll() is None:
            self.process.terminate()

    def stop(self) -> None:
        self.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()

    def uncaught(self) -> str:
        """The log from the first error a page script did not handle ("" when none)."""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        at = text.find("Uncaught app execution")
        return text[at:at + 3000] if at >= 0 else ""


E2E_PASSWORD = "parole-123"
E2E_ACCOUNTS = {"staff@e2e.lv": (Role.STAFF, "VIDZEME"), "manager@e2e.lv": (Role.MANAGER, None)}


@pytest.fixture(scope="session")
def e2e_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database with the reference data and a staff and a manager account."""
    return with_accounts(f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'tracker.db'}")


def with_accounts(url: str) -> str:
    """Initialise the database at `url` with the reference data and the E2E accounts."""
    engine = make_engine(url)
    init_database(engine)
    with unit_of_work(make_session_factory(engine)) as session:
        for email, (role, incubator) in E2E_ACCOUNTS.items():
            create_user(session, actor=Actor.system(), data=UserCreate(
                email=email, role=role, incubator_code=incubator, password=E2E_PASSWORD))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def server(e2e_database: str, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[StreamlitServer]:
    srv = StreamlitServer(e2e_database, tmp_path_factory.mktemp("logs") / "streamlit.log")
    yield srv
    srv.stop()
    assert not srv.uncaught(), srv.uncaught()  # no page failed behind the tests' backs


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database with the demo data set (`tracker demo`, seed 2025)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'tracker.db'}"
    engine = make_engine(url)
    init_database(engine)
    demo.generate(engine, seed=2025, progress=False)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def demo_server(demo_database: str, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[StreamlitServer]:
    srv = StreamlitServer(demo_database, tmp_path_factory.mktemp("logs") / "demo.log")
    yield srv
    srv.stop()
    assert not srv.uncaught(), srv.uncaught()  # no page failed behind the tests' backs


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    need(CHROMIUM is not None, "browser tests need Chromium (apt-get install chromium, or "
         "point BROWSER_PATH at it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "browser tests need the playwright package (requirements-dev.txt)")
        raise
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="lv-LV")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def sign_in(page: Any, server: StreamlitServer, email: str, lang: str = "lv",
            password: str = E2E_PASSWORD) -> None:
    """Fill the password form like a person would, and wait for the start page."""
    page.goto(f"{server.url}/?lang={lang}")
    page.get_by_role("textbox", name="E-pasts" if lang == "lv" else "E-mail").fill(email)
    page.get_by_role("textbox", name="Parole" if lang == "lv" else "Password").fill(password)
    page.get_by_role("button", name="Pieteikties" if lang == "lv" else "Sign in").click()
    sign_out = page.get_by_role("button", name="Iziet" if lang == "lv" else "Sign out")
    sign_out.wait_for()
    # The browser then fetches /auth/session for the session cookie and comes back to the
    # start page: a click made before that trip ends would be undone by it (seen on a busy
    # machine), so wait for the cookie and the page it returns to.
    deadline = time.monotonic() + 30
    while not any(c["name"] == "tracker_session" for c in page.context.cookies()):
        assert time.monotonic() < deadline, "the session cookie never came"
        page.wait_for_timeout(100)
    page.wait_for_url(lambda url: "/auth/session" not in url)
    sign_out.wait_for()
    wait_idle(page)


def wait_idle(page: Any) -> None:
    """Wait until the app has finished its reruns: typing into a page still drawing its first
    run can lose a field's value, and a click made while a rerun runs can be lost when a
    field's change (sent as the field loses focus) starts another."""
    page.wait_for_timeout(300)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden")
