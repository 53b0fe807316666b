"""Each page run directly (a typed address, a slip in the navigation) by a signed-in role that
may not open it: it says so and shows nothing; the role it is for gets the page."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from db.enums import Role
from tests.dashboards.conftest import ACCOUNTS, page
from tracker.auth import Actor
from tracker.database import session_scope
from tracker.services import sessions

REFUSED = {"lv": "Šī lapa jums nav pieejama.", "en": "This page is not available to you."}
# (page, a role that may not open it, a role that may); the README's "Who sees what"
WRONG_ROLE = [
    ("overview.py", Role.STAFF, Role.FUNDER),
    ("forecast.py", Role.STAFF, Role.MANAGER),
    ("regions.py", Role.STAFF, Role.FUNDER),
    ("journeys.py", Role.STAFF, Role.MANAGER),
    ("reports.py", Role.STAFF, Role.FUNDER),
    ("imports.py", Role.FUNDER, Role.STAFF),
    ("organizations.py", Role.FUNDER, Role.STAFF),
    ("people.py", Role.FUNDER, Role.STAFF),  # personal data: never funders
    ("capacity.py", Role.FUNDER, Role.STAFF),
]  # dialogue.py: every role may open it (funders without the forms: test_dialogue_page.py)


def _run_as(name: str, role: Role, lang: str) -> AppTest:
    """The page script alone, with the account of `role` signed in (as main.py leaves it)."""
    with session_scope(readonly=True) as session:
        actor = sessions.actor_for_email(session, email=ACCOUNTS[role][0])
    assert isinstance(actor, Actor) and actor.role is role
    at = AppTest.from_file(page(name), default_timeout=60)
    at.session_state["actor"] = actor
    at.query_params["lang"] = lang
    return at.run()


@pytest.mark.parametrize(("name", "wrong", "right"), WRONG_ROLE,
                         ids=[f"{n.removesuffix('.py')}-{w.value}" for n, w, _r in WRONG_ROLE])
def test_the_wrong_role_opening_the_page_directly_is_refused(
        app_db: str, name: str, wrong: Role, right: Role) -> None:
    for lang in ("lv", "en"):
        at = _run_as(name, wrong, lang)
        assert not at.exception, at.exception
        assert [e.value for e in at.error] == [REFUSED[lang]]
        # nothing of the page: no title, no numbers, no tables, charts, fields or buttons
        assert not at.title and not at.subheader and not at.metric and not at.dataframe
        assert not at.get("plotly_chart") and not at.button and not at.text_input
        assert not at.selectbox and not at.info and not at.markdown
    # the same page, run the same way, is there for the role it is for
    at = _run_as(name, right, "lv")
    assert not at.exception, at.exception
    assert REFUSED["lv"] not in [e.value for e in at.error]
    assert at.title
