"""Indicator values against targets, on a small hand-built data set (both databases)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from db.enums import AssessmentKind, CapacityArea, Role
from tests import factories as f
from tests.dialogue_factories import document, opinion
from tracker import analytics
from tracker.analytics import Filters, indicator_progress
from tracker.schemas import AssessmentCreate
from tracker.services import assessments


def _scores(value: int) -> dict[CapacityArea, int]:
    return dict.fromkeys(CapacityArea, value)


def _build(session: Session) -> dict[str, int]:
    """Vidzeme: 2 trainings 2025 (3+2 attendees), 1 consultation 2026 (submitted).
    Latgale: 1 training 2026 (4 attendees). Organisations a, b, c.
    Civic-dialogue register: document 1 monitored by Vidzeme from 2025-04-01 and by Latgale
    from 2026-01-10 (one document, of 2025), document 2 by Latgale from 2026-03-02.
    Opinions: a (Vidzeme, 2025-05-05, approved), a (Vidzeme, 2026-05-05, submitted: not for
    funders), c and a jointly (Latgale, 2026-06-06, approved: one opinion), b (Vidzeme,
    2025-07-07, a draft: counted for nobody)."""
    a, b, c = (f.organization(session) for _ in range(3))
    f.activity(session, incubator="VIDZEME", type="training", activity_date="2025-03-01",
               status="approved", total_participants=5,
               participations=[{"organization_id": a.id, "attendees": 3}])
    f.activity(session, incubator="VIDZEME", type="training", activity_date="2025-09-01",
               status="approved", total_participants=2,
               participations=[{"organization_id": b.id, "attendees": 2}])
    f.activity(session, incubator="VIDZEME", type="consultation", activity_date="2026-02-01",
               status="submitted", total_participants=1,
               participations=[{"organization_id": a.id, "attendees": 1}])
    f.activity(session, incubator="LATGALE", type="training", activity_date="2026-04-01",
               status="approved", total_participants=4,
               participations=[{"organization_id": c.id, "attendees": 4}])
    vidzeme, latgale = f.incubator_id(session, "VIDZEME"), f.incubator_id(session, "LATGALE")
    first = document(session, incubators={vidzeme: dt.date(2025, 4, 1),
                                          latgale: dt.date(2026, 1, 10)})
    second = document(session, incubators=[latgale], monitored_from=dt.date(2026, 3, 2))
    for doc, authors, inc, day, status in (
            (first, [a], vidzeme, "2025-05-05", "approved"),
            (first, [a], vidzeme, "2026-05-05", "submitted"),
            (second, [c, a], latgale, "2026-06-06", "approved"),
            (first, [b], vidzeme, "2025-07-07", "draft")):
        opinion(session, doc, authors=authors, incubator_id=inc, status=status,
                submitted_on=dt.date.fromisoformat(day))
    cohort = f.cohort(session, "VIDZEME")
    for org, intake, final in ((a, 2, 3), (b, 3, 3)):
        for kind, value, day in ((AssessmentKind.INTAKE, intake, "2025-02-10"),
                                 (AssessmentKind.GRADUATION, final, "2025-12-10")):
            assessments.record_assessment(session, actor=f.ADMIN, data=AssessmentCreate(
                organization_id=org.id, cohort_id=cohort, kind=kind,
                assessed_on=dt.date.fromisoformat(day), scores=_scores(value)))
    return {"vidzeme": vidzeme, "latgale": latgale}


def _by_code(session: Session, role: Role, filters: Filters, year: int = 2025
             ) -> dict[str, tuple[object, ...]]:
    rows = indicator_progress(session, actor=f.actor(session, role), filters=filters,
                              year=year)
    return {r.code: (r.actual, r.target, r.actual_year, r.target_year) for r in rows}


def test_programme_values_and_targets(session: Session) -> None:
    _build(session)
    rows = _by_code(session, Role.MANAGER, Filters(), year=2025)
    assert rows["ORGS_SUPPORTED"] == (3, Decimal(250), 2, None)
    assert rows["TRAINING_ATTENDANCES"] == (9, None, 5, None)  # trainings: 3 + 2 + 4
    assert rows["PEOPLE_TRAINED"] == (0, Decimal(40), 0, None)  # nobody is named
    assert rows["OPINIONS_SUBMITTED"] == (3, Decimal(100), 1, Decimal(50))  # the joint one once
    assert rows["ORGS_WITH_OPINIONS"] == (2, Decimal(50), 1, None)  # a and c; b's is a draft
    assert rows["CONSULTATIONS"] == (1, None, 0, None)
    assert rows["CAPACITY_GAIN"] == (1, None, 1, None)  # a rose 2 -> 3, b stayed at 3
    assert rows["DOCS_MONITORED"] == (2, Decimal(2500), 1, None)  # the first one once, in 2025


def test_funders_count_approved_activities_only(session: Session) -> None:
    _build(session)
    rows = _by_code(session, Role.FUNDER, Filters(), year=2026)
    assert rows["CONSULTATIONS"][0] == 0  # the one consultation is only submitted
    assert rows["ORGS_SUPPORTED"][0] == 3
    # Opinions too: the submitted one of 2026 is out, the joint approved one is in.
    assert rows["OPINIONS_SUBMITTED"][0::2] == (2, 1)
    assert rows["ORGS_WITH_OPINIONS"][0::2] == (2, 2)  # a (2025 and jointly) and c
    assert rows["DOCS_MONITORED"][0::2] == (2, 1)  # documents have no review status


@pytest.mark.parametrize(("filters", "orgs", "trained"), [
    (Filters(region_code="LATGALE"), 1, 4),
    (Filters(region_code="RIGA"), 0, 0),
    (Filters(date_from=dt.date(2025, 6, 1), date_to=dt.date(2025, 12, 31)), 1, 2),
    (Filters(activity_type="consultation"), 1, 0),
])
def test_filters_apply_to_every_number(session: Session, filters: Filters, orgs: int,
                                       trained: int) -> None:
    ids = _build(session)
    rows = _by_code(session, Role.MANAGER, filters)
    assert rows["ORGS_SUPPORTED"][0] == orgs
    assert rows["TRAINING_ATTENDANCES"][0] == trained
    by_incubator = _by_code(session, Role.MANAGER, Filters(incubator_id=ids["vidzeme"]))
    assert by_incubator["OPINIONS_SUBMITTED"][0] == 2
    assert by_incubator["ORGS_WITH_OPINIONS"][0] == 1  # a; the joint one is Latgale's
    assert by_incubator["DOCS_MONITORED"][0] == 1
    latgale = _by_code(session, Role.MANAGER, Filters(region_code="LATGALE"), year=2026)
    # both documents, each from Latgale's own first day, so both in 2026
    assert latgale["DOCS_MONITORED"][0::2] == (2, 2)
    assert latgale["OPINIONS_SUBMITTED"][0] == 1 and latgale["ORGS_WITH_OPINIONS"][0] == 2
    assert by_incubator["ORGS_SUPPORTED"][1] is None  # no incubator target was set


def test_quarterly_series_by_incubator(session: Session) -> None:
    _build(session)
    rows = analytics.quarterly_series(session, actor=f.actor(session, Role.MANAGER),
                                      filters=Filters())
    assert [(r.label, r.incubator_code, r.activities, r.organizations, r.attendees)
            for r in rows] == [
        ("2025 Q1", "VIDZEME", 1, 1, 3),
        ("2025 Q3", "VIDZEME", 1, 1, 2),
        ("2026 Q1", "VIDZEME", 1, 1, 1),
        ("2026 Q2", "LATGALE", 1, 1, 4),
    ]
    funder = analytics.quarterly_series(session, actor=f.actor(session, Role.FUNDER),
                                        filters=Filters(region_code="VIDZEME"))
    assert [r.label for r in funder] == ["2025 Q1", "2025 Q3"]  # the submitted one is out
    counts_only = analytics.quarterly_series(session, actor=f.actor(session, Role.MANAGER),
                                             filters=Filters(), people=False)
    assert [(r.label, r.activities, r.organizations, r.attendees) for r in counts_only] == [
        ("2025 Q1", 1, None, None), ("2025 Q3", 1, None, None), ("2026 Q1", 1, None, None),
        ("2026 Q2", 1, None, None)]


def test_type_and_area_mix(session: Session) -> None:
    _build(session)
    manager = f.actor(session, Role.MANAGER)
    assert analytics.activity_type_mix(session, actor=manager, filters=Filters()) == \
        {"training": 3, "consultation": 1}
    # The factory gives every activity the area "finance".
    assert analytics.capacity_area_mix(session, actor=manager, filters=Filters(
        date_to=dt.date(2025, 12, 31))) == {"finance": 2}


def _assess(session: Session, org: int, cohort: int, kind: AssessmentKind, day: str,
            value: int) -> None:
    assessments.record_assessment(session, actor=f.ADMIN, data=AssessmentCreate(
        organization_id=org, cohort_id=cohort, kind=kind,
        assessed_on=dt.date.fromisoformat(day), scores=_scores(value)))


def _gain(session: Session, filters: Filters) -> object:
    return _by_code(session, Role.MANAGER, filters)["CAPACITY_GAIN"][0]


def test_capacity_gain_is_measured_within_one_incubators_cycle(session: Session) -> None:
    """Two incubators assess one organisation on the same days: Vidzeme saw it rise 50 -> 75,
    Latgale saw it fall 100 -> 25. Neither incubator's assessment counts for the other's."""
    org = f.organization(session).id
    vidzeme, latgale = f.cohort(session, "VIDZEME"), f.cohort(session, "LATGALE")
    K = AssessmentKind
    _assess(session, org, vidzeme, K.INTAKE, "2025-03-03", 2)
    _assess(session, org, latgale, K.INTAKE, "2025-03-03", 4)
    _assess(session, org, vidzeme, K.GRADUATION, "2025-06-02", 3)
    _assess(session, org, latgale, K.MIDPOINT, "2025-06-02", 1)
    assert _gain(session, Filters()) == 1  # it gained in Vidzeme's cycle
    assert _gain(session, Filters(region_code="VIDZEME")) == 1
    assert _gain(session, Filters(region_code="LATGALE")) == 0
    # counted once however many of its cycles show a gain
    kurzeme = f.cohort(session, "KURZEME")
    _assess(session, org, kurzeme, K.INTAKE, "2025-03-03", 1)
    _assess(session, org, kurzeme, K.FOLLOW_UP, "2025-06-02", 2)
    assert _gain(session, Filters()) == 1


def test_no_capacity_gain_from_another_incubators_later_assessment(session: Session) -> None:
    """Vidzeme's intake (25) and Latgale's fall 100 -> 75: no cycle shows a gain, however
    low the earliest intake of all and however high the latest assessment of all."""
    org = f.organization(session).id
    vidzeme, latgale = f.cohort(session, "VIDZEME"), f.cohort(session, "LATGALE")
    K = AssessmentKind
    _assess(session, org, vidzeme, K.INTAKE, "2025-02-03", 1)
    _assess(session, org, latgale, K.INTAKE, "2025-04-01", 4)
    _assess(session, org, latgale, K.GRADUATION, "2025-06-02", 3)
    assert _gain(session, Filters()) == 0
    forecast = analytics.indicator_forecasts(session, actor=f.actor(session, Role.MANAGER),
                                             filters=Filters(), as_of=dt.date(2025, 7, 1))
    assert next(r for r in forecast if r.code == "CAPACITY_GAIN").value == 0
