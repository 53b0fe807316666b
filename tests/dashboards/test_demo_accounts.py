"""`make run`'s demo: every demo account signs in with `demo` and lands on its own start page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from db.engine import make_engine
from tests.dashboards.conftest import new_app
from tracker import demo
from tracker.database import dispose_engines
from tracker.refdata import init_database

START_PAGES = {
    "admin@demo.lv": ("NVO reģionālie inkubatori 2025–2026", "administrators"),
    "manager@demo.lv": ("NVO reģionālie inkubatori 2025–2026", "programmas vadītājs"),
    "funder@demo.lv": ("NVO reģionālie inkubatori 2025–2026", "finansētājs"),
    "staff.kurzeme@demo.lv": ("Kurzemes NVO reģionālais inkubators", "inkubatora darbinieks"),
    "staff.latgale@demo.lv": ("Latgales NVO reģionālais inkubators", "inkubatora darbinieks"),
    "staff.vidzeme@demo.lv": ("Vidzemes NVO reģionālais inkubators", "inkubatora darbinieks"),
    "staff.zemgale@demo.lv": ("Zemgales NVO reģionālais inkubators", "inkubatora darbinieks"),
}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'tracker.db'}"
    engine = make_engine(url)
    init_database(engine)
    demo.generate(engine, progress=False)
    engine.dispose()
    yield url


@pytest.mark.parametrize("email", sorted(START_PAGES))
def test_demo_account_lands_on_its_start_page(demo_db: str, email: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL", demo_db)
    dispose_engines()
    at = new_app().run()
    at.text_input[0].input(email)
    at.text_input[1].input("demo")
    at.button[0].click().run()
    assert not at.exception, at.exception
    title, role = START_PAGES[email]
    assert at.title[0].value == title
    assert role in at.caption[0].value
    activities = next(m for m in at.metric if m.label == "Aktivitātes")
    assert int(str(activities.value).replace("\xa0", "").replace(" ", "")) > 0
    dispose_engines()


def _everything_shown(node: object) -> str:
    """All the text an AppTest page holds: element protos and table contents."""
    parts: list[str] = []

    def walk(item: object) -> None:
        proto = getattr(item, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        to_string = getattr(getattr(item, "value", None), "to_string", None)
        if callable(to_string):
            parts.append(str(to_string()))
        children = getattr(item, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(node)
    return "\n".join(parts)


def test_funder_pages_show_no_personal_data(demo_db: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import select

    from db.models import Document, Opinion, Organization, Person, User
    from tests.dashboards.conftest import page
    from tracker.database import session_scope

    monkeypatch.setenv("TRACKER_DATABASE_URL", demo_db)
    dispose_engines()
    with session_scope() as session:
        contacts = session.execute(select(Organization.contact_name, Organization.contact_email,
                                          Organization.contact_phone)).all()
        others = session.scalars(select(User.email).where(User.email != "funder@demo.lv")).all()
        people = session.execute(select(Person.first_name, Person.last_name, Person.email,
                                        Person.phone, Person.ref)).all()
        # the register's internal notes and opinions' summaries: never a funder's
        internal = {v for v in [*session.scalars(select(Document.note)),
                                *session.scalars(select(Opinion.summary)),
                                *session.scalars(select(Opinion.note))] if v}
    participants = ({f"{first} {last}" for first, last, *_ in people if first and last}
                    | {v for row in people for v in row[2:] if v})
    assert len(participants) > 300  # the demo really has participants to leak
    secrets = {v for row in contacts for v in row if v} | set(others) | participants \
        | internal
    assert len(secrets) > 600  # and contact persons
    at = new_app().run()
    at.text_input[0].input("funder@demo.lv")
    at.text_input[1].input("demo")
    at.button[0].click().run()
    for name in ("home.py", "overview.py", "forecast.py", "regions.py", "journeys.py",
                 "reports.py", "dialogue.py"):
        at.switch_page(page(name)).run()
        assert not at.exception, at.exception
        shown = _everything_shown(at._tree)
        assert "funder@demo.lv" in shown  # the scan sees the page (the funder's own e-mail)
        leaked = sorted(s for s in secrets if s in shown)
        assert leaked == [], (name, leaked[:5])
    dispose_engines()
