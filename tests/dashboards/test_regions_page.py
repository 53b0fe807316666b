"""The regions page: map, region and incubator tables under manager and funder; staff refused."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from db.enums import Role
from tests import factories as f
from tests.dashboards.conftest import page, sign_in
from tracker.database import session_scope


def _log(status: str) -> None:
    """One Vidzeme training with an organisation from Valmiera (3 people) in it."""
    with session_scope() as session:
        org = f.organization(session, municipality_atvk="0054000")
        f.activity(session, incubator="VIDZEME", type="training", activity_date="2025-05-05",
                   status=status, total_participants=3,
                   participations=[{"organization_id": org.id, "attendees": 3}])


def _tables(at: AppTest) -> list[Any]:
    return [d.value for d in at.dataframe]


def test_manager_sees_the_map_tables_and_filters_in_the_url(app_db: str) -> None:
    _log("submitted")
    at = sign_in(Role.MANAGER)
    at.switch_page(page("regions.py")).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Reģioni un inkubatori"
    charts = at.get("plotly_chart")
    assert len(charts) == 2  # the map and the incubator comparison
    assert '"choroplethmap"' in charts[0].proto.spec and '"white-bg"' in charts[0].proto.spec
    regions, municipalities, incubators = _tables(at)
    assert list(regions["Plānošanas reģions"])[:2] == ["Rīgas plānošanas reģions",
                                                       "Vidzemes plānošanas reģions"]
    assert list(regions["Atbalstītās organizācijas"])[:2] == [0, 1]
    assert len(municipalities) == 42
    assert list(incubators["Aktivitātes"]) == [0, 0, 1, 0]  # Kurzeme, Latgale, Vidzeme...
    captions = " ".join(c.value for c in at.caption)
    assert "CC BY 4.0" in captions and "Varakļānu novads" in captions
    assert "melnraksti un atgrieztās netiek skaitītas" in captions
    # The map's switches and the filters are kept in the URL.
    at.segmented_control(key="rg_level").set_value("region").run()
    at.segmented_control(key="rg_metric").set_value("attendees").run()
    at.selectbox(key="rg_region").set_value("LATGALE").run()
    assert not at.exception, at.exception
    assert at.query_params["map"] in ("region", ["region"])
    assert at.query_params["metric"] in ("attendees", ["attendees"])
    assert at.query_params["region"] in ("LATGALE", ["LATGALE"])
    assert "nav nevienas atbalstītas" in at.info[0].value  # Latgale did nothing
    assert list(_tables(at)[0]["Inkubators"]) == ["Latgales NVO reģionālais inkubators"]


def test_funder_counts_approved_work_only(app_db: str) -> None:
    _log("submitted")
    at = sign_in(Role.FUNDER, lang="en")
    at.switch_page(page("regions.py")).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Regions and incubators"
    assert "No organisation was supported" in at.info[0].value  # the one activity: submitted
    assert len(at.get("plotly_chart")) == 0  # nothing to compare yet
    (incubators,) = _tables(at)
    assert list(incubators["Activities"]) == [0, 0, 0, 0]
    assert "Only approved activities are counted." in [c.value for c in at.caption]
    _log("approved")
    at.run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 2
    regions = _tables(at)[0]
    assert list(regions["Organisations supported"])[:2] == [0, 1]
    text = " ".join(str(t) for t in _tables(at))
    assert "@" not in text  # no e-mail addresses anywhere


def test_staff_cannot_open_the_regions_page(app_db: str) -> None:
    at = sign_in(Role.STAFF)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page("regions.py"))
