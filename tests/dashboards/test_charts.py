"""Chart builders are pure functions: the right traces, values and titles in both languages."""

from __future__ import annotations

from dashboards import charts
from tracker.services.overview import IncubatorTotals

ROWS = [IncubatorTotals(incubator_id=1, code="KURZEME", name_lv="Kurzemes inkubators",
                        name_en="Kurzeme incubator", activities=10, hours=12.5,
                        organizations_supported=4, attendees=30),
        IncubatorTotals(incubator_id=2, code="LATGALE", name_lv="Latgales inkubators",
                        name_en="Latgale incubator", activities=3, hours=4.0,
                        organizations_supported=2, attendees=7)]


def test_incubator_comparison_in_latvian() -> None:
    figure = charts.incubator_comparison(ROWS, "lv")
    assert [trace.name for trace in figure.data] == ["Aktivitātes", "Atbalstītās organizācijas",
                                                     "Dalībnieki"]
    assert list(figure.data[0].x) == ["Kurzemes inkubators", "Latgales inkubators"]
    assert list(figure.data[2].y) == [30, 7]
    assert figure.layout.title.text == "Inkubatoru salīdzinājums"


def test_incubator_comparison_in_english() -> None:
    figure = charts.incubator_comparison(ROWS, "en")
    assert figure.layout.title.text == "Incubators compared"
    assert list(figure.data[1].x) == ["Kurzeme incubator", "Latgale incubator"]
    assert list(figure.data[1].y) == [4, 2]
