"""The rule of who counts as trained, on the Targets page: an administrator changes the hours
and the activity types after confirming; a wrong value is refused beside its field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from db.enums import Role
from db.models import AuditLog
from tests.dashboards.conftest import page, sign_in
from tracker.database import session_scope
from tracker.services.trained import TrainingRule, training_rule


def _rule() -> TrainingRule:
    with session_scope() as session:
        return training_rule(session)


def _audited() -> list[dict[str, object] | None]:
    with session_scope() as session:
        return [e.after for e in session.scalars(select(AuditLog).where(
            AuditLog.entity == "training_rule").order_by(AuditLog.id))]


def _targets(lang: str) -> AppTest:
    at = sign_in(Role.ADMIN, lang=lang)
    at.switch_page(page("admin_targets.py")).run()
    assert not at.exception, at.exception
    return at


def test_change_the_rule_after_confirming(app_db: str) -> None:
    at = _targets("lv")
    assert "Kas ir apmācīta persona" in [h.value for h in at.subheader]
    assert any("vismaz 12 stundas (apmācība)" in c.value for c in at.caption)
    at.number_input(key="admin_trained_hours").set_value(8.0)
    at.multiselect(key="admin_trained_types").set_value(["training", "workshop"])
    at.button(key="admin_trained_save").click().run()
    assert not at.exception, at.exception
    question = at.warning[-1].value
    assert "vismaz 8 stundām (apmācība, darbnīca)" in question and "arī par pagātni" in question
    assert _rule().min_hours == 12 and _audited() == []  # nothing saved before the yes

    at.button(key="admin_trained_yes").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    rule = _rule()
    assert (rule.min_hours, rule.activity_types) == (Decimal(8), ("training", "workshop"))
    assert _audited() == [{"min_hours": "8.00", "activity_types": ["training", "workshop"]}]
    assert any("Noteikums saglabāts: vismaz 8 stundas" in s.value for s in at.success)
    assert any("vismaz 8 stundas (apmācība, darbnīca)" in c.value for c in at.caption)


def test_no_leaves_the_rule_as_it_was(app_db: str) -> None:
    at = _targets("en")
    at.number_input(key="admin_trained_hours").set_value(20.0)
    at.button(key="admin_trained_save").click().run()
    assert "Change the rule to at least 20 hours (training)?" in at.warning[-1].value
    at.button(key="admin_trained_no").click().run()
    assert not at.exception and not at.warning
    assert _rule().min_hours == 12 and _audited() == []


def test_the_same_rule_is_not_saved_again(app_db: str) -> None:
    at = _targets("en")
    at.button(key="admin_trained_save").click().run()
    assert not at.warning
    assert "The rule is already exactly so; nothing was changed." in [i.value for i in at.info]
    assert _audited() == []


@pytest.mark.parametrize(("hours", "kinds", "field", "message"), [
    (0.0, ["training"], "admin_trained_hours", "greater than 0"),
    (1500.0, ["training"], "admin_trained_hours", "1000"),
    (12.5, [], "admin_trained_types", "allowed")])
def test_a_wrong_rule_is_refused_beside_its_field(app_db: str, hours: float, kinds: list[str],
                                                  field: str, message: str) -> None:
    at = _targets("en")
    at.number_input(key="admin_trained_hours").set_value(hours)
    at.multiselect(key="admin_trained_types").set_value(kinds)
    at.button(key="admin_trained_save").click().run()
    at.button(key="admin_trained_yes").click().run()
    assert not at.exception, at.exception
    rule = _rule()
    assert (rule.min_hours, rule.activity_types) == (Decimal(12), ("training",))
    assert _audited() == []
    # the message stands right under the field it is about, and only there
    shown = [(getattr(e, "key", None), e.type, getattr(e, "value", None))
             for e in at.get("form")[-1].children.values()]
    errors = [i for i, (_, kind, _) in enumerate(shown) if kind == "alert" or
              kind == "error"]
    assert len(errors) == 1, shown
    assert shown[errors[0] - 1][0] == field
    assert message in str(shown[errors[0]][2])


def test_other_roles_cannot_open_the_page(app_db: str) -> None:
    at = sign_in(Role.MANAGER)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page("admin_targets.py"))
