"""Forecast chart builders are pure functions: the right traces, values and titles."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tracker.analytics.forecast import (
    MONTH_DAYS,
    ForecastStatus,
    IndicatorForecast,
    LoggingStatus,
    MonthValue,
)
from tracker.charts.forecast import (
    cumulative_forecast,
    pace_by_incubator,
    week_ends,
    weekly_logging,
)
from tracker.enums import IndicatorMethod

D = dt.date.fromisoformat


def _row(**changes: Any) -> IndicatorForecast:
    fields: dict[str, Any] = dict(
        indicator_id=8, code="TRAINING_ATTENDANCES", name_lv="Apmācību apmeklējumi",
        name_en="Training attendances", unit_lv="apmeklējumi", unit_en="attendances",
        method=IndicatorMethod.ATTENDEES, start=D("2025-01-01"), as_of=D("2025-03-20"),
        end=D("2026-12-31"), elapsed_days=79, remaining_days=651, value=Decimal(9),
        target=Decimal(40), pace=0.1, needed_pace=0.05, projection=74.1, low=40.0, high=90.0,
        status=ForecastStatus.AT_RISK,
        months=(MonthValue(month=D("2025-01-01"), value=Decimal(3)),
                MonthValue(month=D("2025-02-01"), value=Decimal(0)),
                MonthValue(month=D("2025-03-01"), value=Decimal(6))))
    return IndicatorForecast(**(fields | changes))


def test_cumulative_chart_actual_projection_band_and_target() -> None:
    figure = cumulative_forecast(_row(), "lv")
    assert [trace.name for trace in figure.data] == [
        "Faktiski", "Prognozes diapazons", "Prognozes diapazons", "Prognoze", "Mērķis"]
    actual, low, high, projection, target = figure.data
    # Month ends, the as-of date for the month under way; starting from 0 on the first day.
    assert list(actual.x) == [D("2025-01-01"), D("2025-01-31"), D("2025-02-28"),
                              D("2025-03-20")]
    assert list(actual.y) == [0, 3, 3, 9]
    assert list(low.y) == [9, 40.0] and list(high.y) == [9, 90.0]
    assert high.fill == "tonexty" and low.showlegend is False
    assert list(projection.x) == [D("2025-03-20"), D("2026-12-31")]
    assert list(projection.y) == [9, 74.1]
    assert list(target.y) == [40, 40] and list(target.x) == [D("2025-01-01"), D("2026-12-31")]
    assert figure.layout.title.text == "Apmācību apmeklējumi: uzkrātā vērtība un " \
        "prognoze"
    assert figure.layout.yaxis.title.text == "apmeklējumi"


def test_cumulative_chart_in_english_without_a_target() -> None:
    figure = cumulative_forecast(_row(target=None, status=ForecastStatus.NO_TARGET), "en")
    assert [trace.name for trace in figure.data] == [
        "Actual", "Forecast band", "Forecast band", "Projection"]
    assert figure.layout.title.text == "Training attendances: running total and " \
        "forecast"


def test_pace_by_incubator_per_month() -> None:
    rows = [_row(incubator_id=1, incubator_code="KURZEME", incubator_name_lv="Kurzemes",
                 incubator_name_en="Kurzeme"),
            _row(incubator_id=2, incubator_code="LATGALE", incubator_name_lv="Latgales",
                 incubator_name_en="Latgale", pace=0.2, needed_pace=None)]
    figure = pace_by_incubator(rows, "lv")
    assert [trace.name for trace in figure.data] == ["Temps līdz šim", "Vajadzīgais temps"]
    assert list(figure.data[0].x) == ["Kurzemes", "Latgales"]
    assert list(figure.data[0].y) == pytest.approx([0.1 * MONTH_DAYS, 0.2 * MONTH_DAYS])
    assert list(figure.data[1].y) == [pytest.approx(0.05 * MONTH_DAYS), None]
    assert figure.layout.barmode == "group"
    assert figure.layout.title.text == "Apmācību apmeklējumi: temps mēnesī pa " \
        "inkubatoriem"
    english = pace_by_incubator(rows, "en")
    assert list(english.data[0].x) == ["Kurzeme", "Latgale"]
    assert english.layout.title.text == "Training attendances: pace per month by " \
        "incubator"
    assert english.layout.yaxis.title.text == "attendances per month"


def test_weekly_logging_bars_per_incubator() -> None:
    rows = [LoggingStatus(incubator_id=1, incubator_code="KURZEME", name_lv="Kurzemes",
                          name_en="Kurzeme", last_activity=D("2025-04-20"), days_since=10,
                          last_entered=None, weekly=(0, 2, 1), weekly_average=1.5,
                          stopped=False)]
    assert week_ends(D("2025-04-30"), 3) == [D("2025-04-16"), D("2025-04-23"),
                                             D("2025-04-30")]
    figure = weekly_logging(rows, D("2025-04-30"), "lv")
    assert [trace.name for trace in figure.data] == ["Kurzemes"]
    assert list(figure.data[0].x) == ["16.04.2025", "23.04.2025", "30.04.2025"]
    assert list(figure.data[0].y) == [0, 2, 1]
    assert figure.layout.title.text == "Reģistrētās aktivitātes pa nedēļām"
    english = weekly_logging(rows, D("2025-04-30"), "en")
    assert english.layout.title.text == "Activities logged per week"
    assert english.data[0].name == "Kurzeme"
    assert weekly_logging([], D("2025-04-30"), "en").data == ()
