"""Chart builders are pure functions: the right traces, values and titles in both languages."""

from __future__ import annotations

from tracker import charts


def test_quarterly_chart_stacks_incubators() -> None:
    from tracker.analytics import QuarterRow

    rows = [QuarterRow(year=2025, quarter=1, incubator_code="VIDZEME", activities=3,
                       organizations=2, attendees=9),
            QuarterRow(year=2025, quarter=2, incubator_code="LATGALE", activities=1,
                       organizations=1, attendees=4)]
    figure = charts.quarterly_by_incubator(rows, "attendees",
                                           {"VIDZEME": "Vidzeme", "LATGALE": "Latgale"}, "lv")
    assert figure.layout.barmode == "stack"
    assert figure.layout.title.text == "Dalībnieki pa ceturkšņiem"
    assert [t.name for t in figure.data] == ["Latgale", "Vidzeme"]
    assert list(figure.data[0].x) == ["2025 Q1", "2025 Q2"]
    assert list(figure.data[0].y) == [0, 4] and list(figure.data[1].y) == [9, 0]
    english = charts.quarterly_by_incubator(rows, "activities", {}, "en")
    assert english.layout.title.text == "Activities by quarter"


def test_mix_chart_largest_on_top() -> None:
    figure = charts.mix({"training": 3, "consultation": 7}, {"training": "apmācība"},
                        "overview.types", "lv")
    assert list(figure.data[0].y) == ["apmācība", "consultation"]
    assert list(figure.data[0].x) == [3, 7]
    assert figure.layout.title.text == "Aktivitāšu veidi"
