"""Admin pages through the real app: each renders for the admin and no one else; forms work."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from db.enums import Role
from db.models import Cohort, Incubator, Indicator, Target, User
from tests.dashboards.conftest import new_app, page, sign_in
from tracker.auth import Actor
from tracker.database import session_scope

ADMIN_PAGES = {"admin_users.py": ("Lietotāji", "Users"),
               "admin_incubators.py": ("Inkubatori", "Incubators"),
               "admin_cohorts.py": ("Cikli", "Cycles"),
               "admin_targets.py": ("Mērķi", "Targets")}


def _scalar(query: Any) -> Any:
    with session_scope() as session:
        return session.scalar(query)


def _user_id(email: str) -> int:
    value = _scalar(select(User.id).where(User.email == email))
    assert value is not None
    return int(value)


def _count(model: Any) -> int:
    return int(_scalar(select(func.count()).select_from(model)))


def _sign_in_with(email: str, password: str) -> AppTest:
    """A fresh app, signed in through the form with any account and password."""
    at = new_app().run()
    at.text_input[0].input(email)
    at.text_input[1].input(password)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def _signed_in(at: AppTest) -> bool:
    return any(b.key == "sign_out" for b in at.sidebar.button)


def _admin_on(name: str, lang: str | None = None) -> AppTest:
    at = sign_in(Role.ADMIN, lang=lang)
    at.switch_page(page(name)).run()
    assert not at.exception, at.exception
    return at


def _errors_beside(at: AppTest, widget_key: str) -> list[str]:
    """The error messages in the form column that holds the widget `widget_key`."""
    for column in at.columns:
        if any(w.key == widget_key for kind in ("text_input", "date_input", "number_input",
                                               "selectbox") for w in getattr(column, kind)):
            return [e.value for e in column.error]
    raise AssertionError(f"no column holds {widget_key}")


# --- who sees the pages -------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["lv", "en"])
def test_every_admin_page_renders_for_the_admin(app_db: str, lang: str) -> None:
    at = sign_in(Role.ADMIN, lang=lang)
    for name, titles in ADMIN_PAGES.items():
        at.switch_page(page(name)).run()
        assert not at.exception, (name, at.exception)
        assert at.title[0].value == titles[0 if lang == "lv" else 1]
        assert not at.error, (name, [e.value for e in at.error])
        assert at.dataframe or at.info, name


def test_other_roles_cannot_reach_the_admin_pages(app_db: str) -> None:
    for role in (Role.MANAGER, Role.STAFF, Role.FUNDER):
        at = sign_in(role)
        for name in ADMIN_PAGES:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(page(name))


def test_an_admin_page_run_directly_refuses_other_roles() -> None:
    """Even run on its own (a typed URL, a slip in the navigation), the page says no."""
    for role in (Role.MANAGER, Role.STAFF, Role.FUNDER, None):
        for name in ADMIN_PAGES:
            at = AppTest.from_file(page(name), default_timeout=30)
            at.session_state["actor"] = None if role is None else Actor(
                user_id=1, email="x@test.lv", role=role, incubator_id=1)
            at.run()
            assert not at.exception, (name, at.exception)
            assert [e.value for e in at.error] == ["Šī lapa jums nav pieejama."], (name, role)
            assert not at.dataframe and not at.text_input, name


# --- users --------------------------------------------------------------------------------------

def test_add_a_user(app_db: str) -> None:
    at = _admin_on("admin_users.py")
    at.text_input(key="admin_user_email").input("Jauna.Darbiniece@Inkubators.lv")
    at.text_input(key="admin_user_full_name").input("Anna Ērgle <b>")
    at.selectbox(key="admin_user_role").set_value(Role.STAFF)
    at.selectbox(key="admin_user_incubator").set_value("LATGALE")
    at.text_input(key="admin_user_password").input("sākuma-parole")
    at.button(key="admin_user_add_submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "pievienots" in at.success[0].value
    with session_scope() as session:
        user = session.scalars(select(User).where(
            User.email == "jauna.darbiniece@inkubators.lv")).one()
        assert user.role == "staff" and user.full_name == "Anna Ērgle <b>"
        assert user.incubator_id == session.scalar(select(Incubator.id).where(
            Incubator.code == "LATGALE"))
        assert user.password_hash is not None and user.password_hash.startswith("$argon2id$")
    table = at.dataframe[0].value
    assert "Anna Ērgle <b>" in set(table["Vārds, uzvārds"])  # shown as typed, as text
    assert at.text_input(key="admin_user_email").value == ""  # the form is empty again


def test_a_bad_email_shows_the_field_error_and_writes_nothing(app_db: str) -> None:
    at = _admin_on("admin_users.py")
    before = _count(User)
    at.text_input(key="admin_user_email").input("nav-e-pasts")
    at.text_input(key="admin_user_password").input("parole-123")
    at.button(key="admin_user_add_submit").click().run()
    assert not at.exception
    assert _count(User) == before
    assert _errors_beside(at, "admin_user_email") == ["E-pasts: nav derīga e-pasta adrese"]
    assert _errors_beside(at, "admin_user_full_name") == []
    assert at.text_input(key="admin_user_email").value == "nav-e-pasts"  # kept to correct

    # Corrected, but a staff member without an incubator: the next field error.
    at.text_input(key="admin_user_email").input("darbinieks@inkubators.lv")
    at.selectbox(key="admin_user_role").set_value(Role.STAFF)
    at.button(key="admin_user_add_submit").click().run()
    assert _count(User) == before
    assert _errors_beside(at, "admin_user_email") == []
    assert _errors_beside(at, "admin_user_incubator") == [
        "Inkubators: darbiniekam jānorāda inkubators"]


def test_change_a_role(app_db: str) -> None:
    at = _admin_on("admin_users.py")
    staff = _user_id("staff@test.lv")
    at.selectbox(key="admin_user_pick").set_value(staff).run()
    assert at.selectbox(key="admin_user_edit_role").value == Role.STAFF
    at.selectbox(key="admin_user_edit_role").set_value(Role.MANAGER)
    at.button(key="admin_user_edit_submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with session_scope() as session:
        user = session.get(User, staff)
        assert user is not None and user.role == "manager" and user.incubator_id is None

    # An administrator cannot take away their own role (the service refuses, the page says so).
    at.selectbox(key="admin_user_pick").set_value(_user_id("admin@test.lv")).run()
    at.selectbox(key="admin_user_edit_role").set_value(Role.FUNDER)
    at.button(key="admin_user_edit_submit").click().run()
    assert not at.exception
    assert "Savu kontu nevar deaktivizēt" in at.error[0].value
    assert _scalar(select(User.role).where(User.email == "admin@test.lv")) == "admin"


def test_deactivate_after_confirmation_signs_the_user_out(app_db: str) -> None:
    staff_app = sign_in(Role.STAFF)
    at = _admin_on("admin_users.py")
    staff = _user_id("staff@test.lv")
    at.selectbox(key="admin_user_pick").set_value(staff).run()
    at.button(key="admin_user_deactivate").click().run()
    assert "Deaktivizēt staff@test\\.lv" in at.warning[0].value.replace("\u2060", "")
    assert _scalar(select(User.is_active).where(User.id == staff))  # nothing yet
    at.button(key="admin_user_deactivate_no").click().run()
    assert not at.warning
    at.button(key="admin_user_deactivate").click().run()
    at.button(key="admin_user_deactivate_yes").click().run()
    assert not at.exception and not at.error
    assert "deaktivizēts" in at.success[0].value
    assert not _scalar(select(User.is_active).where(User.id == staff))
    assert at.button(key="admin_user_reactivate")  # offered instead now

    staff_app.run()  # the staff member's next click
    assert not _signed_in(staff_app)


def test_reset_a_password_then_sign_in_with_it(app_db: str) -> None:
    at = _admin_on("admin_users.py")
    at.selectbox(key="admin_user_pick").set_value(_user_id("funder@test.lv")).run()
    at.text_input(key="admin_user_new_password").input("abc")
    at.button(key="admin_user_reset_submit").click().run()
    assert [e.value for e in at.error] == ["Parole: parolei jābūt vismaz 4 rakstzīmēm"]
    at.text_input(key="admin_user_new_password").input("Jauna parole 2026")
    at.button(key="admin_user_reset_submit").click().run()
    assert not at.exception and not at.error
    assert "Parole nomainīta" in at.success[0].value

    assert not _signed_in(_sign_in_with("funder@test.lv", "parole-123"))
    assert _signed_in(_sign_in_with("funder@test.lv", "Jauna parole 2026"))


# --- incubators ---------------------------------------------------------------------------------

def test_edit_an_incubator(app_db: str) -> None:
    at = _admin_on("admin_incubators.py")
    assert list(at.dataframe[0].value["Nosaukums"]) == [
        "Kurzemes NVO reģionālais inkubators", "Latgales NVO reģionālais inkubators",
        "Vidzemes NVO reģionālais inkubators", "Zemgales NVO reģionālais inkubators"]
    vidzeme = _scalar(select(Incubator.id).where(Incubator.code == "VIDZEME"))
    at.selectbox(key="admin_incubator_pick").set_value(vidzeme).run()
    at.text_input(key="admin_incubator_operator").input("Biedrība **Vidzeme**")
    at.number_input(key="admin_incubator_budget").set_value(90000.0)
    at.button(key="admin_incubator_submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with session_scope() as session:
        row = session.get(Incubator, vidzeme)
        assert row is not None and row.operator == "Biedrība **Vidzeme**"
        assert row.budget_eur == Decimal("90000.00")
    assert "Biedrība **Vidzeme**" in set(at.dataframe[0].value["Īstenotājs"])


# --- cohorts ------------------------------------------------------------------------------------

def _fill_cohort(at: AppTest, start: dt.date, end: dt.date, call_opens: dt.date | None = None,
                 call_closes: dt.date | None = None) -> None:
    at.selectbox(key="admin_cohort_incubator").set_value(
        _scalar(select(Incubator.id).where(Incubator.code == "ZEMGALE")))
    at.text_input(key="admin_cohort_name").input("1. cikls")
    at.number_input(key="admin_cohort_seats").set_value(20)
    at.date_input(key="admin_cohort_start").set_value(start)
    at.date_input(key="admin_cohort_end").set_value(end)
    at.date_input(key="admin_cohort_call_opens").set_value(call_opens)
    at.date_input(key="admin_cohort_call_closes").set_value(call_closes)
    at.button(key="admin_cohort_add_submit").click().run()
    assert not at.exception, at.exception


def test_create_a_cohort(app_db: str) -> None:
    at = _admin_on("admin_cohorts.py")
    _fill_cohort(at, dt.date(2025, 3, 1), dt.date(2025, 11, 30))
    assert not at.error, [e.value for e in at.error]
    assert "izveidots" in at.success[0].value
    with session_scope() as session:
        cohort = session.scalars(select(Cohort)).one()
        assert (cohort.number, cohort.name, cohort.seats) == (1, "1. cikls", 20)
    table = at.dataframe[0].value
    assert list(table["Sākuma datums"]) == ["01.03.2025"]
    assert list(table["Beigu datums"]) == ["30.11.2025"]


def test_a_cohort_ending_before_it_starts_is_refused_at_the_end_date(app_db: str) -> None:
    at = _admin_on("admin_cohorts.py")
    _fill_cohort(at, dt.date(2025, 6, 1), dt.date(2025, 3, 1))
    assert _count(Cohort) == 0
    assert _errors_beside(at, "admin_cohort_end") == [
        "Beigu datums: beigu datums nevar būt pirms sākuma datuma"]
    assert not at.success


def test_create_a_cohort_with_its_call_for_applications_and_change_it(app_db: str) -> None:
    at = _admin_on("admin_cohorts.py")
    _fill_cohort(at, dt.date(2025, 3, 1), dt.date(2025, 11, 30),
                 call_opens=dt.date(2025, 1, 15), call_closes=dt.date(2025, 2, 14))
    assert not at.error, [e.value for e in at.error]
    with session_scope() as session:
        cohort = session.scalars(select(Cohort)).one()
        assert (cohort.call_opens_on, cohort.call_closes_on) == (dt.date(2025, 1, 15),
                                                                 dt.date(2025, 2, 14))
    table = at.dataframe[0].value
    assert list(table["Pieteikšanās sākums"]) == ["15.01.2025"]
    assert list(table["Pieteikšanās beigas"]) == ["14.02.2025"]

    assert at.date_input(key="admin_cohort_edit_call_opens").value == dt.date(2025, 1, 15)
    at.date_input(key="admin_cohort_edit_call_closes").set_value(None)
    at.button(key="admin_cohort_edit_submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert _scalar(select(Cohort.call_closes_on)) is None
    assert _scalar(select(Cohort.call_opens_on)) == dt.date(2025, 1, 15)


def test_a_call_closing_before_it_opens_is_refused_at_its_closing_date(app_db: str) -> None:
    at = _admin_on("admin_cohorts.py", lang="en")
    _fill_cohort(at, dt.date(2025, 3, 1), dt.date(2025, 11, 30),
                 call_opens=dt.date(2025, 2, 14), call_closes=dt.date(2025, 2, 1))
    assert _count(Cohort) == 0
    assert _errors_beside(at, "admin_cohort_call_closes") == [
        "Call for applications closes: the call cannot close before it opens"]
    assert not at.success


# --- targets ------------------------------------------------------------------------------------

def test_set_a_target_and_see_it_in_the_table(app_db: str) -> None:
    at = _admin_on("admin_targets.py")
    indicators = at.dataframe[0].value
    assert "dalībnieku skaits aktivitātēs: apmācība" in set(indicators["Kā aprēķina"])
    docs = _scalar(select(Indicator.id).where(Indicator.code == "DOCS_MONITORED"))
    kurzeme = _scalar(select(Incubator.id).where(Incubator.code == "KURZEME"))
    at.selectbox(key="admin_target_indicator").set_value(docs).run()
    at.selectbox(key="admin_target_incubator").set_value(kurzeme).run()
    at.selectbox(key="admin_target_year").set_value(2025).run()
    assert "vēl nav noteikts" in at.caption[1].value
    at.number_input(key="admin_target_value").set_value(320.0)
    at.button(key="admin_target_save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with session_scope() as session:
        row = session.scalars(select(Target).where(Target.indicator_id == docs,
                                                   Target.incubator_id == kurzeme)).one()
        assert (row.year, row.incubator_key, row.year_key) == (2025, kurzeme, 2025)
        assert row.target_value == Decimal("320.00")
    table = at.dataframe[1].value
    mine = table[(table["Inkubators"] == "Kurzemes NVO reģionālais inkubators")
                 & (table["Gads"] == "2025")]
    assert list(mine["Mērķis"]) == ["320"]

    # The same scope now shows its target; change it, then remove it after confirming.
    assert "320" in at.caption[1].value
    at.number_input(key="admin_target_value").set_value(350.0)
    at.button(key="admin_target_save").click().run()
    assert _scalar(select(Target.target_value).where(Target.id == row.id)) == Decimal("350.00")
    at.button(key="admin_target_remove").click().run()
    assert at.warning and _scalar(select(Target.id).where(Target.id == row.id))
    at.button(key="admin_target_remove_yes").click().run()
    assert not at.exception and not at.error
    assert _scalar(select(Target.id).where(Target.id == row.id)) is None
