"""Chart builders are pure functions: the right traces, values and titles in both languages."""

from __future__ import annotations

import plotly.graph_objects as go

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


# Every chart follows the page's language: month names on date axes, decimal comma and a
# space between thousands in Latvian (Plotly's own locale files are not there offline).

def _date_figures(lang: str) -> dict[str, go.Figure]:
    import datetime as dt
    from decimal import Decimal

    from tests.tracker.test_forecast_charts import _row
    from tracker.analytics.journeys import IndexPoint
    from tracker.charts.forecast import cumulative_forecast
    from tracker.charts.journeys import index_over_time
    from tracker.enums import AssessmentKind

    points = [IndexPoint(assessed_on=dt.date(2025, 2, 10), kind=AssessmentKind.INTAKE,
                         capacity_index=Decimal("50.00")),
              IndexPoint(assessed_on=dt.date(2025, 12, 10), kind=AssessmentKind.GRADUATION,
                         capacity_index=Decimal("60.71"))]
    return {"cumulative_forecast": cumulative_forecast(_row(), lang),
            "index_over_time": index_over_time(points, lang)}


def test_date_axes_have_latvian_month_names_and_separators() -> None:
    import datetime as dt

    for name, figure in _date_figures("lv").items():
        layout = figure.layout
        assert layout.separators == ", ", name
        ticks, labels = list(layout.xaxis.tickvals), list(layout.xaxis.ticktext)
        assert ticks and len(ticks) == len(labels), name
        assert all(isinstance(t, dt.date) and t.day == 1 for t in ticks), name
        assert all(label.endswith(str(t.year)) for t, label in zip(ticks, labels, strict=True))
        months = " ".join(labels)
        assert any(m in months for m in ("janv.", "febr.", "marts", "apr.", "maijs", "jūn.",
                                         "jūl.", "aug.", "sept.", "okt.", "nov.", "dec.")), name
        assert not any(m in months for m in ("Jan", "Feb", "Mar", "Jun", "Jul", "Oct")), name
    figure = _date_figures("lv")["index_over_time"]
    assert "febr. 2025" in list(figure.layout.xaxis.ticktext)
    english = _date_figures("en")
    assert [f.layout.separators for f in english.values()] == [".,", ".,"]
    assert "Feb 2025" in list(english["index_over_time"].layout.xaxis.ticktext)


def test_date_hover_text_is_in_the_page_language() -> None:
    figure = _date_figures("lv")["index_over_time"]
    line = figure.data[0]
    assert list(line.customdata) == ["10.02.2025", "10.12.2025"]
    assert "%{customdata}" in line.hovertemplate


def test_every_chart_has_the_languages_separators() -> None:
    import datetime as dt

    from tests.tracker.test_forecast_charts import _row
    from tracker.analytics import QuarterRow
    from tracker.charts.forecast import pace_by_incubator, weekly_logging
    from tracker.charts.regions import supported_map

    rows = [QuarterRow(year=2025, quarter=1, incubator_code="VIDZEME", activities=3,
                       organizations=2, attendees=9)]
    for lang, separators in (("lv", ", "), ("en", ".,")):
        figures = [charts.quarterly_by_incubator(rows, "attendees", {}, lang),
                   charts.mix({"training": 3}, {}, "overview.types", lang),
                   pace_by_incubator([_row()], lang),
                   weekly_logging([], dt.date(2025, 3, 1), lang),
                   supported_map({"LV-059": 1200}, lang),
                   *_date_figures(lang).values()]
        assert [f.layout.separators for f in figures] == [separators] * len(figures)
