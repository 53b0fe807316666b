"""Journeys chart builders are pure functions: the right traces, values and titles in lv and en."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tracker.analytics.journeys import (
    AreaLink,
    AssessmentSnapshot,
    CohortFunnel,
    FunnelRow,
    IndexChange,
    IndexPoint,
    OrganizationRadar,
    SupportPoint,
    SupportVsGain,
    Trend,
)
from tracker.charts import journeys as charts
from tracker.enums import AssessmentKind, CapacityArea

D = Decimal
NAMES = {"VIDZEME": "Vidzemes inkubators", "LATGALE": "Latgales inkubators"}


def _snapshot(kind: AssessmentKind, day: dt.date, base: int) -> AssessmentSnapshot:
    return AssessmentSnapshot(assessment_id=1, kind=kind, assessed_on=day,
                              capacity_index=D(base * 25),
                              scores=dict.fromkeys(CapacityArea, base)
                              | {CapacityArea.FINANCE: 4})


RADAR = OrganizationRadar(
    organization_id=1, name="Biedrība",
    intake=_snapshot(AssessmentKind.INTAKE, dt.date(2025, 2, 10), 2),
    latest=_snapshot(AssessmentKind.GRADUATION, dt.date(2025, 12, 10), 3))


def test_radar_two_closed_traces_with_translated_areas() -> None:
    figure = charts.capacity_radar(RADAR, "lv")
    assert [t.type for t in figure.data] == ["scatterpolar", "scatterpolar"]
    assert [t.name for t in figure.data] == ["Sākuma novērtējums, 10.02.2025",
                                             "Noslēguma novērtējums, 10.12.2025"]
    intake = figure.data[0]
    assert list(intake.r) == [2, 2, 4, 2, 2, 2, 2, 2]  # the loop is closed
    assert intake.theta[0] == intake.theta[-1] == "pārvaldība"
    assert figure.layout.title.text == "Kapacitāte pa jomām: sākumā un pēdējā novērtējumā"
    english = charts.capacity_radar(RADAR, "en")
    assert english.data[1].name == "Graduation assessment, 10 Dec 2025"
    assert english.data[0].theta[1] == "strategy"
    assert english.layout.title.text == "Capacity by area: at intake and latest"
    only = charts.capacity_radar(RADAR.model_copy(update={"latest": None}), "en")
    assert len(only.data) == 1


def test_index_over_time_line() -> None:
    points = [IndexPoint(assessed_on=dt.date(2025, 2, 10), kind=AssessmentKind.INTAKE,
                         capacity_index=D("50.00")),
              IndexPoint(assessed_on=dt.date(2025, 12, 10), kind=AssessmentKind.GRADUATION,
                         capacity_index=D("60.71"))]
    figure = charts.index_over_time(points, "lv")
    assert list(figure.data[0].y) == [50.0, 60.71]
    assert list(figure.data[0].text) == ["sākuma", "noslēguma"]
    assert figure.layout.title.text == "Kapacitātes indekss laika gaitā"
    assert charts.index_over_time(points, "en").layout.title.text == "Capacity index over time"


def _change(org: int, code: str, cohort: int, change: str) -> IndexChange:
    return IndexChange(organization_id=org, organization_name=f"Org {org}", cohort_id=cohort,
                       cohort_name="1. cikls", incubator_id=1, incubator_code=code,
                       intake_on=dt.date(2025, 2, 1), intake_index=D(50),
                       graduation_on=dt.date(2025, 12, 1), graduation_index=D(50) + D(change),
                       change=D(change))


def test_change_distribution_a_box_per_group() -> None:
    rows = [_change(1, "LATGALE", 3, "10.71"), _change(2, "VIDZEME", 5, "0"),
            _change(3, "VIDZEME", 5, "25")]
    by_incubator = charts.change_distribution(rows, "incubator", NAMES, "lv")
    assert [t.type for t in by_incubator.data] == ["box", "box"]
    assert [t.name for t in by_incubator.data] == ["Latgales inkubators", "Vidzemes inkubators"]
    assert list(by_incubator.data[1].y) == [0.0, 25.0]
    assert list(by_incubator.data[1].text) == ["Org 2", "Org 3"]
    assert by_incubator.layout.title.text == "Kapacitātes indeksa izmaiņa no sākuma līdz noslēgumam"
    by_cohort = charts.change_distribution(rows, "cohort", NAMES, "en")
    assert by_cohort.data[0].name == "Latgales inkubators<br><b>1. cikls</b>"
    assert by_cohort.layout.title.text == "Capacity index change from intake to graduation"


def _funnel_row(cohort: int | None, code: str | None, applied: int, admitted: int,
                graduated: int) -> FunnelRow:
    return FunnelRow(cohort_id=cohort, cohort_name=None, incubator_code=code, start_date=None,
                     applied=applied, admitted=admitted, graduated=graduated, rejected=0,
                     withdrawn=0)


def test_funnel_one_band_per_incubator() -> None:
    funnel = CohortFunnel(rows=(_funnel_row(1, "VIDZEME", 6, 3, 2),
                                _funnel_row(2, "LATGALE", 1, 1, 1),
                                _funnel_row(3, "VIDZEME", 4, 2, 0)),
                          total=_funnel_row(None, None, 11, 6, 3))
    figure = charts.cohort_funnel(funnel, NAMES, "lv")
    assert [t.type for t in figure.data] == ["funnel", "funnel"]
    assert [t.name for t in figure.data] == ["Vidzemes inkubators", "Latgales inkubators"]
    assert list(figure.data[0].x) == [10, 5, 2]
    assert list(figure.data[0].y) == ["Pieteikušās", "Uzņemtas", "Absolvējušas"]
    english = charts.cohort_funnel(funnel, NAMES, "en")
    assert list(english.data[1].y) == ["Applied", "Admitted", "Graduated"]
    assert english.layout.title.text == "Cycle funnel: applied → admitted → graduated"


def _point(org: int, code: str | None, hours: str, gain: str) -> SupportPoint:
    return SupportPoint(organization_id=org, name=f"Org {org}", incubator_code=code,
                        intake_on=dt.date(2025, 2, 1), latest_on=dt.date(2025, 12, 1),
                        latest_kind=AssessmentKind.GRADUATION, intake_index=D(50),
                        latest_index=D(50) + D(gain), gain=D(gain), hours=D(hours),
                        hours_by_area={}, score_gain_by_area={})


SUPPORT = SupportVsGain(
    points=(_point(1, "VIDZEME", "6", "10.71"), _point(2, "VIDZEME", "4", "0"),
            _point(3, "LATGALE", "6", "28.57")),
    trend=Trend(slope=9.82, intercept=-39.28), correlation=0.79,
    areas=tuple(AreaLink(area=a, organizations=3, hours=D(1), mean_gain=D(0),
                         correlation=None if a is CapacityArea.PEOPLE else -0.5)
                for a in CapacityArea))


def test_support_scatter_with_trend_line() -> None:
    figure = charts.support_vs_gain(SUPPORT, NAMES, "lv")
    assert [t.name for t in figure.data] == ["Latgales inkubators", "Vidzemes inkubators",
                                             "Tendence (mazāko kvadrātu metode)"]
    assert list(figure.data[1].x) == [6.0, 4.0] and list(figure.data[1].y) == [10.71, 0.0]
    trend = figure.data[2]
    assert trend.mode == "lines" and list(trend.x) == [4.0, 6.0]
    assert list(trend.y) == [-39.28 + 9.82 * 4, -39.28 + 9.82 * 6]
    assert figure.layout.title.text == "Saņemtais atbalsts un kapacitātes pieaugums"
    english = charts.support_vs_gain(SUPPORT.model_copy(update={"trend": None}), NAMES, "en")
    assert len(english.data) == 2  # no trend line without a trend
    assert english.layout.xaxis.title.text == "Support hours from intake to the latest assessment"


def test_area_correlation_bars() -> None:
    figure = charts.area_correlation(SUPPORT, "lv")
    bar = figure.data[0]
    assert bar.type == "bar" and len(bar.x) == 7
    assert bar.x[0] == "pārvaldība" and bar.y[3] is None
    assert bar.text[0] == "-0,50" and bar.text[3] == "nav nosakāms"
    english = charts.area_correlation(SUPPORT, "en")
    assert english.data[0].text[0] == "-0.50"
    assert english.layout.title.text == "Hours in an area and the gain of its score: correlation"
