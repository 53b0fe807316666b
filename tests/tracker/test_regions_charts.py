"""The regions page's charts: offline maps of Latvia and the incubator comparison."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from tracker.analytics.regions import AreaTotals, IncubatorRow
from tracker.charts.regions import (
    boundaries,
    incubator_comparison,
    municipality_map,
    region_map,
    supported_map,
)


def _area(code: str, name: str, region: str, supported: int, attendees: int) -> AreaTotals:
    return AreaTotals(code=code, name_lv=name, name_en=name, region_code=region,
                      organizations_registered=supported + 1,
                      organizations_supported=supported, activities=supported * 2,
                      participations=supported * 2, attendees=attendees, hours=3.0,
                      support_hours=6.0)


MUNICIPALITIES = [_area("LV-059", "Madonas novads", "VIDZEME", 2, 1234),
                  _area("LV-DGV", "Daugavpils", "LATGALE", 5, 40),
                  _area("", "", "", 1, 1)]  # "not recorded": not on the map
REGIONS = [AreaTotals(code="VIDZEME", name_lv="Vidzemes plānošanas reģions",
                      name_en="Vidzeme planning region", region_code="VIDZEME",
                      organizations_registered=4, organizations_supported=3, activities=7,
                      participations=9, attendees=20, hours=10.0, support_hours=12.0)]


def _values(figure: go.Figure) -> dict[str, int]:
    trace = figure.data[0]
    return dict(zip(trace.locations, trace.z, strict=True))


def test_municipality_map_is_offline_and_colours_every_shape() -> None:
    figure = municipality_map(MUNICIPALITIES, "organizations_supported", "lv")
    assert len(figure.data) == 1 and isinstance(figure.data[0], go.Choroplethmap)
    assert figure.layout.map.style == "white-bg"
    assert (figure.layout.map.center.lat, figure.layout.map.center.lon) == (56.88, 24.6)
    trace = figure.data[0]
    assert trace.featureidkey == "properties.iso"
    values = _values(figure)
    assert len(values) == 43 and set(values) == {
        feature["properties"]["iso"] for feature in boundaries("municipalities")["features"]}
    assert values["LV-059"] == 2 and values["LV-DGV"] == 5
    assert values["LV-102"] == 2  # Varakļāni's area is Madona's now
    assert values["LV-RIX"] == 0  # no data: drawn as zero
    assert trace.zmin == 0
    assert figure.layout.title.text == "Atbalstītās organizācijas pa pašvaldībām"
    hover = dict(zip(trace.locations, trace.text, strict=True))
    assert "Varakļānu novads" in hover["LV-102"] and "Madonas novads" in hover["LV-102"]


def test_municipality_map_in_english_formats_numbers() -> None:
    figure = municipality_map(MUNICIPALITIES, "attendees", "en")
    assert figure.layout.title.text == "Attendees by municipality"
    hover = dict(zip(figure.data[0].locations, figure.data[0].text, strict=True))
    assert hover["LV-059"] == "<b>Madonas novads</b><br>Attendees: 1,234"
    assert "part of Madonas novads since 1 July 2025" in hover["LV-102"]
    lv = municipality_map(MUNICIPALITIES, "attendees", "lv")
    assert "1\xa0234" in dict(zip(lv.data[0].locations, lv.data[0].text,
                                  strict=True))["LV-059"]


def test_region_map() -> None:
    figure = region_map(REGIONS, "activities", "en")
    trace = figure.data[0]
    assert isinstance(trace, go.Choroplethmap) and figure.layout.map.style == "white-bg"
    assert trace.featureidkey == "properties.code"
    assert _values(figure) == {"RIGA": 0, "VIDZEME": 7, "KURZEME": 0, "ZEMGALE": 0,
                               "LATGALE": 0}
    assert figure.layout.title.text == "Activities by planning region"
    assert region_map(REGIONS, "activities", "lv").layout.title.text == \
        "Aktivitātes pa plānošanas reģioniem"


def test_empty_rows_draw_a_zero_map_and_unknown_metrics_fail() -> None:
    assert set(_values(municipality_map([], "activities", "lv")).values()) == {0}
    with pytest.raises(ValueError, match="unknown map metric"):
        municipality_map(MUNICIPALITIES, "hours", "lv")


def test_boundaries_are_read_once() -> None:
    assert boundaries("regions") is boundaries("regions")
    assert len(boundaries("regions")["features"]) == 5


def test_incubator_comparison_panels() -> None:
    rows = [IncubatorRow(incubator_id=i, code=code, name_lv=f"{code} inkubators",
                         name_en=f"{code} incubator", region_code=code, activities=acts,
                         hours=10.0, organizations_supported=orgs, participations=orgs * 3,
                         attendees=orgs * 5, support_hours=orgs * 7.5,
                         organizations_enrolled=orgs)
            for i, (code, acts, orgs) in enumerate((("KURZEME", 10, 4), ("LATGALE", 3, 0)),
                                                   start=1)]
    figure = incubator_comparison(rows, "lv")
    assert [type(trace) for trace in figure.data] == [go.Bar] * 4
    assert list(figure.data[0].y) == ["KURZEME inkubators", "LATGALE inkubators"]
    assert list(figure.data[0].x) == [10, 3]
    assert list(figure.data[3].x) == [7.5, 0.0]  # hours per organisation; none supported: 0
    assert figure.layout.title.text == "Inkubatoru salīdzinājums"
    titles = [a.text for a in figure.layout.annotations]
    assert titles == ["Aktivitātes", "Atbalstītās organizācijas", "Dalībnieki",
                      "Stundas uz organizāciju"]
    english = incubator_comparison(rows, "en")
    assert english.layout.title.text == "Incubators compared"
    assert list(english.data[1].y) == ["KURZEME incubator", "LATGALE incubator"]


def test_overview_map_from_counts() -> None:
    figure = supported_map({"LV-059": 3, "LV-DGV": 5}, "lv")
    values = _values(figure)
    assert len(values) == 43 and values["LV-059"] == 3 and values["LV-102"] == 3
    assert values["LV-113"] == 0  # no count: drawn at zero
    assert figure.layout.map.style == "white-bg"
    assert figure.layout.title.text == "Atbalstītās organizācijas pa pašvaldībām"
    hover = dict(zip(figure.data[0].locations, figure.data[0].text, strict=True))
    assert "Varakļānu novads" in hover["LV-102"] and "Madonas novads" in hover["LV-102"]
    assert supported_map({}, "en").layout.title.text == \
        "Organisations supported by municipality"
