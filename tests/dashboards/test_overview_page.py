"""The programme overview under manager and funder: targets as progress, filters in the URL."""

from __future__ import annotations

import pytest

from db.enums import Role
from tests.dashboards.conftest import page, sign_in


@pytest.mark.parametrize("role", [Role.MANAGER, Role.FUNDER, Role.ADMIN])
def test_overview_shows_every_indicator_against_its_target(app_db: str, role: Role) -> None:
    at = sign_in(role)
    at.switch_page(page("overview.py")).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Programmas pārskats"
    bars = [str(p.proto.text) for p in at.get("progress")]
    assert len(bars) == 16  # 8 indicators: whole programme and this year
    assert "0 no 250" in " ".join(bars)
    assert bars[2].startswith("0 no 40")  # people trained, against the programme's 40


def test_filters_go_into_the_url_and_come_back(app_db: str) -> None:
    at = sign_in(Role.MANAGER)
    at.switch_page(page("overview.py")).run()
    at.selectbox(key="ov_region").set_value("LATGALE").run()
    at.selectbox(key="ov_type").set_value("training").run()
    assert not at.exception
    assert at.query_params["region"] in ("LATGALE", ["LATGALE"])
    assert at.query_params["type"] in ("training", ["training"])
    assert "mērķi nav sadalīti" in at.info[0].value
    # the address, opened in a new session, brings the same filters back
    shared = sign_in(Role.MANAGER)
    shared.query_params["region"], shared.query_params["type"] = "LATGALE", "training"
    shared.switch_page(page("overview.py")).run()
    assert not shared.exception, shared.exception
    assert shared.selectbox(key="ov_region").value == "LATGALE"
    assert shared.selectbox(key="ov_type").value == "training"
    assert "mērķi nav sadalīti" in shared.info[0].value


def test_staff_cannot_open_the_overview(app_db: str) -> None:
    at = sign_in(Role.STAFF)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page("overview.py"))


def test_charts_follow_the_data(app_db: str) -> None:
    from tracker.auth import Actor
    from tracker.database import session_scope
    from tracker.schemas import ActivityCreate
    from tracker.services import activities, reference

    at = sign_in(Role.MANAGER)
    at.switch_page(page("overview.py")).run()
    assert "aktivitāšu nav" in at.info[-1].value  # nothing logged yet
    with session_scope() as session:
        incubator = reference.list_incubators(session, actor=Actor.system())[0]
        activities.log_activity(session, actor=Actor.system(), data=ActivityCreate(
            incubator_id=incubator.id, type="training", title="Apmācība par projektiem",
            activity_date="2025-05-05", hours="2", total_participants=3,
            capacity_areas=["finance"]))
    at.run()  # the next rerun shows the write
    assert not at.exception
    assert len(at.get("plotly_chart")) == 4  # quarters, map, types, areas


@pytest.mark.parametrize(("lang", "names", "of_40", "rule", "counted"), [
    ("lv", ("Apmācīti NVO vadītāji un biedri", "Apmācību apmeklējumi"), "1 no 40",
     ("sasniedz 12", "(apmācība)"), ("apmeklējumi, nevis personas", "divreiz")),
    ("en", ("NGO leaders and members trained", "Training attendances"), "1 of 40",
     ("reach 12", "of training"), ("attendances, not people", "counts twice"))])
@pytest.mark.parametrize("role", [Role.MANAGER, Role.FUNDER])
def test_people_trained_against_40_and_attendances_say_how_they_count(
        app_db: str, role: Role, lang: str, names: tuple[str, str], of_40: str,
        rule: tuple[str, str], counted: tuple[str, str]) -> None:
    """A 12-hour training with 3 attendees, one of them named: one person trained of 40,
    three attendances without a target; each line says how it counts."""
    from tests import factories as f
    from tracker.database import session_scope
    from tracker.schemas import PersonCreate
    from tracker.services import people

    with session_scope() as session:
        person = people.create_person(session, actor=f.ADMIN, data=PersonCreate(
            incubator_id=f.incubator_id(session, "VIDZEME"), ref="P-1", first_name="Anna",
            last_name="Bērziņa", consent_date="2025-01-02"))
        org = f.organization(session).id
        f.activity(session, type="training", activity_date="2025-03-03", hours="12",
                   status="approved", total_participants=3,
                   participations=[{"organization_id": org, "attendees": 3}],
                   attendees=[{"person_id": person.id}])
    at = sign_in(role, lang=lang)
    at.switch_page(page("overview.py")).run()
    assert not at.exception, at.exception
    bars = [str(p.proto.text) for p in at.get("progress")]
    assert bars[2].startswith(of_40)  # the second indicator, for the whole programme
    assert any(b.startswith("3 (") for b in bars)  # the attendances, without a target
    note = " ".join(c.value for c in at.caption)
    for name, parts in zip(names, (rule, counted), strict=True):
        line = next(m for m in at.markdown if m.value == f"**{name}**")
        for text in (line.proto.help, note):
            assert all(part in text for part in parts), (name, text)
    assert "Anna" not in " ".join(m.value for m in at.markdown) + note  # never a name
