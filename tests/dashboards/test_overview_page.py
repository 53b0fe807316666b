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
    assert len(bars) == 14  # 7 indicators: whole programme and this year
    assert "0 no 250" in " ".join(bars)


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


@pytest.mark.parametrize(("lang", "name", "counted", "twice", "later"), [
    ("lv", "Apmācību apmeklējumi", "apmeklējumi, nevis personas", "divreiz",
     "dalībnieki tiks reģistrēti"),
    ("en", "Training attendances", "attendances, not people", "counts twice",
     "once participants are recorded")])
def test_training_indicator_says_it_counts_attendances(app_db: str, lang: str, name: str,
                                                        counted: str, twice: str,
                                                        later: str) -> None:
    at = sign_in(Role.MANAGER, lang=lang)
    at.switch_page(page("overview.py")).run()
    assert not at.exception, at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert f"**{name}**" in shown and "trained" not in shown and "Apmācīti" not in shown
    line = next(m for m in at.markdown if m.value == f"**{name}**")
    note = " ".join(c.value for c in at.caption)
    for text in (line.proto.help, note):
        assert counted in text and twice in text and later in text
