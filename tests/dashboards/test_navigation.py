"""Signing in, the pages each role sees, pages refused, language, and database trouble."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from db.enums import Role
from tests.dashboards.conftest import new_app, page, sign_in
from tracker.database import dispose_engines

PROGRAMME_PAGES = {"overview.py", "forecast.py", "regions.py", "journeys.py", "reports.py"}
WORK_PAGES = {"home.py", "activities.py", "organizations.py", "people.py", "dialogue.py",
              "capacity.py", "imports.py"}
ADMIN_PAGES = {"admin_users.py", "admin_incubators.py", "admin_cohorts.py",
               "admin_targets.py", "admin_audit.py"}
REVIEW_PAGES = {"review.py", "quarters.py"}  # managers and admins
EVERY_PAGE = sorted(WORK_PAGES | PROGRAMME_PAGES | ADMIN_PAGES | REVIEW_PAGES)
VISIBLE = {
    Role.ADMIN: set(EVERY_PAGE),
    Role.MANAGER: WORK_PAGES | PROGRAMME_PAGES | REVIEW_PAGES,
    Role.STAFF: WORK_PAGES,
    Role.FUNDER: {"home.py", "dialogue.py"} | PROGRAMME_PAGES,  # dialogue: public facts
}


def test_signed_out_sees_only_the_sign_in_form(app_db: str) -> None:
    at = new_app().run()
    assert not at.exception
    assert [s.value for s in at.subheader] == ["Pieteikties"]
    assert len(at.text_input) == 2
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page("activities.py"))


def test_wrong_password_is_refused_with_a_message(app_db: str) -> None:
    at = new_app().run()
    at.text_input[0].input("staff@test.lv")
    at.text_input[1].input("nepareiza")
    at.button[0].click().run()
    assert "Nepareizs e-pasts vai parole" in at.error[0].value
    assert len(at.text_input) == 2  # still on the sign-in form


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_pages_and_no_others(app_db: str, role: Role) -> None:
    at = sign_in(role)
    for name in EVERY_PAGE:
        if name in VISIBLE[role]:
            at.switch_page(page(name)).run()
            assert not at.exception, (name, at.exception)
            assert not [e for e in at.error if "nav pieejama" in e.value], name
        else:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(page(name))


def test_staff_start_page_is_their_incubator(app_db: str) -> None:
    at = sign_in(Role.STAFF)
    assert at.title[0].value == "Vidzemes NVO reģionālais inkubators"
    assert [m.label for m in at.metric][:2] == ["Aktivitātes", "Atbalstītās organizācijas"]


def test_sign_out_returns_to_the_form(app_db: str) -> None:
    at = sign_in(Role.MANAGER)
    at.sidebar.button(key="sign_out").click().run()
    assert not at.exception
    assert [s.value for s in at.subheader] == ["Pieteikties"]


def test_english_from_the_url(app_db: str) -> None:
    at = sign_in(Role.FUNDER, lang="en")
    assert at.title[0].value == "Regional NGO incubators 2025–2026"
    assert "Your role: funder" in at.caption[0].value


def test_sidebar_switch_changes_language(app_db: str) -> None:
    at = sign_in(Role.MANAGER)
    at.sidebar.radio[0].set_value("en").run()
    assert at.title[0].value == "Regional NGO incubators 2025–2026"


def test_empty_database_tells_to_run_init(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    dispose_engines()
    at = new_app().run()
    assert not at.exception
    assert "tracker init" in at.error[0].value
    dispose_engines()


def test_unreachable_database_is_a_message_not_a_traceback(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    dispose_engines()
    at: AppTest = new_app().run()
    assert not at.exception
    assert "sasniedzama" in at.error[0].value
    dispose_engines()
