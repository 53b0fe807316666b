"""Capacity journeys on a small hand-built data set, expected numbers by hand (both databases).

Organisations (index = mean score / 4 × 100):
  a "Ābeļu biedrība"   Vidzeme cycle: intake 10.02.2025 all 2 (50.00); midpoint 10.06.2025
                       finance 3 (53.57); graduation 10.12.2025 finance 4, governance 3 (60.71)
  b "Aveņu biedrība"   Vidzeme cycle: intake 12.02.2025 all 3 (75.00); graduation 11.12.2025
                       all 3 (75.00)
  c "Čiekuru biedrība" Latgale cycle: intake 01.03.2025 all 1 (25.00); graduation 05.12.2025
                       all 2 (50.00); follow-up 01.04.2026 all 2, strategy 3 (53.57)
  d "Cīruļu biedrība"  Vidzeme cycle: intake 15.02.2025 all 2 (50.00), then withdrew
  e                    never assessed
Activities (hours, areas, status, who):
  1 Vidzeme 01.03.2025 4 h finance+governance approved  a, b
  2 Vidzeme 01.06.2025 2 h finance            submitted a
  3 Vidzeme 15.01.2026 3 h finance            approved  a  (after a's latest assessment)
  4 Latgale 01.04.2025 6 h strategy           approved  c
  5 Latgale 01.05.2026 1 h strategy           approved  c  (after c's latest assessment)
  6 Vidzeme 05.02.2025 2 h governance         approved  b  (before b's intake)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from db.enums import AssessmentKind, CapacityArea, EnrollmentStatus, Role
from db.models import Cohort
from tests import factories as f
from tracker.analytics import Filters
from tracker.analytics.journeys import (
    cohort_funnel,
    index_change_distribution,
    index_history,
    journey_organizations,
    least_squares,
    organization_radar,
    pearson,
    support_vs_gain,
)
from tracker.errors import NotFound, PermissionDenied
from tracker.schemas import AssessmentCreate, EnrollmentCreate, EnrollmentStatusChange
from tracker.services import assessments, enrollments

A = CapacityArea
D = Decimal


def _scores(base: int, **other: int) -> dict[CapacityArea, int]:
    return dict.fromkeys(CapacityArea, base) | {CapacityArea(k): v for k, v in other.items()}


def _cohort(session: Session, incubator: str, start: str, end: str) -> int:
    row = Cohort(incubator_id=f.incubator_id(session, incubator), number=1, name="1. cikls",
                 start_date=dt.date.fromisoformat(start), end_date=dt.date.fromisoformat(end))
    session.add(row)
    session.flush()
    return row.id


def _enrol(session: Session, org: int, cohort: int, *moves: tuple[EnrollmentStatus, str]
           ) -> None:
    row = enrollments.enroll(session, actor=f.ADMIN, data=EnrollmentCreate(
        organization_id=org, cohort_id=cohort, applied_on=dt.date(2025, 1, 20)))
    for status, day in moves:
        row = enrollments.change_enrollment_status(
            session, actor=f.ADMIN, enrollment_id=row.id, data=EnrollmentStatusChange(
                status=status, on_date=dt.date.fromisoformat(day), version=row.version))


def _assess(session: Session, org: int, cohort: int, kind: AssessmentKind, day: str,
            scores: dict[CapacityArea, int]) -> None:
    assessments.record_assessment(session, actor=f.ADMIN, data=AssessmentCreate(
        organization_id=org, cohort_id=cohort, kind=kind, assessed_on=dt.date.fromisoformat(day),
        scores=scores))


def _build(session: Session) -> dict[str, int]:
    a, b, c, d, e = (f.organization(session, name=n).id for n in (
        "Ābeļu biedrība", "Aveņu biedrība", "Čiekuru biedrība", "Cīruļu biedrība",
        "Ezeru biedrība"))
    vid = _cohort(session, "VIDZEME", "2025-02-01", "2025-12-15")
    lat = _cohort(session, "LATGALE", "2025-03-01", "2026-02-28")
    S = EnrollmentStatus
    _enrol(session, a, vid, (S.ADMITTED, "2025-01-30"), (S.GRADUATED, "2025-12-12"))
    _enrol(session, b, vid, (S.ADMITTED, "2025-01-30"), (S.GRADUATED, "2025-12-12"))
    _enrol(session, d, vid, (S.ADMITTED, "2025-01-30"), (S.WITHDRAWN, "2025-05-01"))
    _enrol(session, e, vid, (S.REJECTED, "2025-01-30"))
    extra = [f.organization(session).id for _ in range(2)]
    _enrol(session, extra[0], vid)  # still waiting
    _enrol(session, extra[1], vid, (S.WITHDRAWN, "2025-01-25"))  # before any decision
    _enrol(session, c, lat, (S.ADMITTED, "2025-02-25"), (S.GRADUATED, "2025-12-06"))
    K = AssessmentKind
    _assess(session, a, vid, K.INTAKE, "2025-02-10", _scores(2))
    _assess(session, a, vid, K.MIDPOINT, "2025-06-10", _scores(2, finance=3))
    _assess(session, a, vid, K.GRADUATION, "2025-12-10", _scores(2, finance=4, governance=3))
    _assess(session, b, vid, K.INTAKE, "2025-02-12", _scores(3))
    _assess(session, b, vid, K.GRADUATION, "2025-12-11", _scores(3))
    _assess(session, c, lat, K.INTAKE, "2025-03-01", _scores(1))
    _assess(session, c, lat, K.GRADUATION, "2025-12-05", _scores(2))
    _assess(session, c, lat, K.FOLLOW_UP, "2026-04-01", _scores(2, strategy=3))
    _assess(session, d, vid, K.INTAKE, "2025-02-15", _scores(2))
    for incubator, day, hours, areas, status, orgs in (
            ("VIDZEME", "2025-03-01", "4", ["finance", "governance"], "approved", [a, b]),
            ("VIDZEME", "2025-06-01", "2", ["finance"], "submitted", [a]),
            ("VIDZEME", "2026-01-15", "3", ["finance"], "approved", [a]),
            ("LATGALE", "2025-04-01", "6", ["strategy"], "approved", [c]),
            ("LATGALE", "2026-05-01", "1", ["strategy"], "approved", [c]),
            ("VIDZEME", "2025-02-05", "2", ["governance"], "approved", [b])):
        f.activity(session, incubator=incubator, activity_date=day, hours=hours,
                   capacity_areas=areas, status=status, total_participants=len(orgs),
                   participations=[{"organization_id": o, "attendees": 1} for o in orgs])
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "vid": vid, "lat": lat,
            "latgale": f.incubator_id(session, "LATGALE")}


@pytest.fixture
def data(session: Session) -> dict[str, int]:
    return _build(session)


def test_radar_intake_against_latest(session: Session, data: dict[str, int]) -> None:
    manager = f.actor(session, Role.MANAGER)
    radar = organization_radar(session, actor=manager, organization_id=data["a"])
    assert radar.name == "Ābeļu biedrība"
    assert radar.intake is not None and radar.latest is not None
    assert (radar.intake.kind, radar.intake.assessed_on, radar.intake.capacity_index) == (
        AssessmentKind.INTAKE, dt.date(2025, 2, 10), D("50.00"))
    assert radar.intake.scores == _scores(2)
    assert (radar.latest.kind, radar.latest.assessed_on, radar.latest.capacity_index) == (
        AssessmentKind.GRADUATION, dt.date(2025, 12, 10), D("60.71"))
    assert radar.latest.scores == _scores(2, finance=4, governance=3)
    assert radar.change == D("10.71")
    # c's latest is the follow-up; d has the intake only
    funder = f.actor(session, Role.FUNDER)
    latest_c = organization_radar(session, actor=funder, organization_id=data["c"]).latest
    assert latest_c is not None and latest_c.kind is AssessmentKind.FOLLOW_UP
    only = organization_radar(session, actor=funder, organization_id=data["d"])
    assert only.intake is not None and only.latest is None and only.change is None
    never = organization_radar(session, actor=funder, organization_id=data["e"])
    assert never.intake is None and never.latest is None


def test_index_history_oldest_first(session: Session, data: dict[str, int]) -> None:
    rows = index_history(session, actor=f.actor(session, Role.ADMIN), organization_id=data["a"])
    assert [(r.assessed_on, r.kind, r.capacity_index) for r in rows] == [
        (dt.date(2025, 2, 10), AssessmentKind.INTAKE, D("50.00")),
        (dt.date(2025, 6, 10), AssessmentKind.MIDPOINT, D("53.57")),
        (dt.date(2025, 12, 10), AssessmentKind.GRADUATION, D("60.71"))]


def test_staff_and_unknown_organisations_are_refused(session: Session,
                                                     data: dict[str, int]) -> None:
    staff = f.actor(session, Role.STAFF)
    for call in (lambda: organization_radar(session, actor=staff, organization_id=data["a"]),
                 lambda: index_history(session, actor=staff, organization_id=data["a"]),
                 lambda: journey_organizations(session, actor=staff),
                 lambda: cohort_funnel(session, actor=staff, filters=Filters()),
                 lambda: index_change_distribution(session, actor=staff, filters=Filters()),
                 lambda: support_vs_gain(session, actor=staff, filters=Filters())):
        with pytest.raises(PermissionDenied):
            call()
    with pytest.raises(NotFound):
        organization_radar(session, actor=f.actor(session, Role.MANAGER),
                           organization_id=10**8)


def test_organisations_with_assessments_in_latvian_order(session: Session,
                                                         data: dict[str, int]) -> None:
    listed = journey_organizations(session, actor=f.actor(session, Role.FUNDER))
    mine = {data[k] for k in "abcde"}
    # a before ā, c before č
    assert [i for i in listed if i in mine] == [data["b"], data["a"], data["d"], data["c"]]
    assert listed[data["a"]] == "Ābeļu biedrība"


def test_organisations_offered_follow_the_filters(session: Session,
                                                 data: dict[str, int]) -> None:
    """Only organisations assessed in a cycle of an incubator the filters leave in."""
    manager = f.actor(session, Role.MANAGER)
    mine = {data[k] for k in "abcde"}

    def listed(filters: Filters) -> list[int]:
        found = journey_organizations(session, actor=manager, filters=filters)
        return [i for i in found if i in mine]

    assert listed(Filters(incubator_id=data["latgale"])) == [data["c"]]
    assert listed(Filters(region_code="LATGALE")) == [data["c"]]
    assert listed(Filters(region_code="VIDZEME")) == [data["b"], data["a"], data["d"]]
    assert listed(Filters(region_code="KURZEME")) == []
    assert listed(Filters()) == [data["b"], data["a"], data["d"], data["c"]]


def test_change_from_intake_to_graduation(session: Session, data: dict[str, int]) -> None:
    result = index_change_distribution(session, actor=f.actor(session, Role.MANAGER),
                                       filters=Filters())
    rows = {r.organization_id: r for r in result.rows}
    assert set(rows) == {data["a"], data["b"], data["c"]}  # d never graduated
    a = rows[data["a"]]
    assert (a.cohort_id, a.incubator_code, a.intake_on, a.intake_index, a.graduation_on,
            a.graduation_index, a.change) == (data["vid"], "VIDZEME", dt.date(2025, 2, 10),
                                              D("50.00"), dt.date(2025, 12, 10), D("60.71"),
                                              D("10.71"))
    assert rows[data["b"]].change == D("0.00")
    assert rows[data["c"]].change == D("25.00")  # graduation, not the later follow-up
    by_cohort = {s.cohort_id: (s.n, s.median, s.mean, s.minimum, s.maximum)
                 for s in result.by_cohort}
    assert by_cohort == {data["vid"]: (2, D("5.36"), D("5.36"), D("0.00"), D("10.71")),
                         data["lat"]: (1, D("25.00"), D("25.00"), D("25.00"), D("25.00"))}
    assert {s.incubator_code: s.n for s in result.by_incubator} == {"VIDZEME": 2, "LATGALE": 1}
    assert result.overall is not None
    assert (result.overall.n, result.overall.median, result.overall.mean) == (
        3, D("10.71"), D("11.90"))  # 35.71 / 3


def test_change_obeys_the_filters(session: Session, data: dict[str, int]) -> None:
    manager = f.actor(session, Role.MANAGER)
    latgale = index_change_distribution(session, actor=manager,
                                        filters=Filters(incubator_id=data["latgale"]))
    assert [r.organization_id for r in latgale.rows] == [data["c"]]
    region = index_change_distribution(session, actor=manager,
                                       filters=Filters(region_code="VIDZEME"))
    assert {r.organization_id for r in region.rows} == {data["a"], data["b"]}
    # the period holds the graduation date: b graduated on 11.12., a day too late
    early = index_change_distribution(session, actor=manager,
                                      filters=Filters(date_to=dt.date(2025, 12, 10)))
    assert {r.organization_id for r in early.rows} == {data["a"], data["c"]}
    none = index_change_distribution(session, actor=manager,
                                     filters=Filters(date_from=dt.date(2026, 1, 1)))
    assert none.rows == () and none.overall is None and none.by_cohort == ()


def test_cohort_funnel(session: Session, data: dict[str, int]) -> None:
    funnel = cohort_funnel(session, actor=f.actor(session, Role.FUNDER), filters=Filters())
    rows = {r.cohort_id: (r.applied, r.admitted, r.graduated, r.rejected, r.withdrawn)
            for r in funnel.rows}
    # Vidzeme: a, b graduated; d withdrew after admission; e rejected; one waiting; one
    # withdrew before a decision.
    assert rows[data["vid"]] == (6, 3, 2, 1, 2)
    assert rows[data["lat"]] == (1, 1, 1, 0, 0)
    t = funnel.total
    assert (t.applied, t.admitted, t.graduated, t.rejected, t.withdrawn) == (7, 4, 3, 1, 2)
    # the period keeps cycles that overlap it: only Latgale's runs into 2026
    later = cohort_funnel(session, actor=f.actor(session, Role.MANAGER),
                          filters=Filters(date_from=dt.date(2026, 1, 1)))
    assert [r.cohort_id for r in later.rows] == [data["lat"]]
    vidzeme = cohort_funnel(session, actor=f.actor(session, Role.MANAGER),
                            filters=Filters(region_code="VIDZEME"))
    assert [r.cohort_id for r in vidzeme.rows] == [data["vid"]]
    assert vidzeme.total.applied == 6


def test_support_against_gain(session: Session, data: dict[str, int]) -> None:
    result = support_vs_gain(session, actor=f.actor(session, Role.MANAGER), filters=Filters())
    points = {p.organization_id: p for p in result.points}
    assert set(points) == {data["a"], data["b"], data["c"]}  # d: the intake only
    a, b, c = points[data["a"]], points[data["b"]], points[data["c"]]
    # a: activities 1 (4 h) and 2 (2 h, submitted); 3 is after its graduation assessment
    assert (a.hours, a.gain, a.latest_kind) == (D(6), D("10.71"), AssessmentKind.GRADUATION)
    assert a.hours_by_area == {A.GOVERNANCE: D(4), A.FINANCE: D(6)}
    assert a.score_gain_by_area == _scores(0, finance=2, governance=1)
    # b: activity 6 came before its intake
    assert (b.hours, b.gain) == (D(4), D("0.00"))
    # c: up to the follow-up; activity 5 came after it
    assert (c.hours, c.gain, c.latest_on) == (D(6), D("28.57"), dt.date(2026, 4, 1))
    assert c.hours_by_area == {A.STRATEGY: D(6)} and c.incubator_code == "LATGALE"
    # trend over (6, 10.71), (4, 0), (6, 28.57): slope = 39.28 / 4, intercept = -39.28
    assert result.trend is not None
    assert result.trend.slope == pytest.approx(9.82)
    assert result.trend.intercept == pytest.approx(-39.28)
    assert result.correlation == pytest.approx(0.7856, abs=1e-4)
    areas = {x.area: x for x in result.areas}
    # finance (6, +2), (4, 0), (0, +1): r = 2 / sqrt(168/9 × 2)
    assert areas[A.FINANCE].hours == D(10) and areas[A.FINANCE].mean_gain == D("1.00")
    assert areas[A.FINANCE].correlation == pytest.approx(0.3273, abs=1e-4)
    # governance (4, +1), (4, 0), (0, +1): r = (-4/3) / (8/3)
    assert areas[A.GOVERNANCE].correlation == pytest.approx(-0.5)
    assert areas[A.GOVERNANCE].mean_gain == D("0.67")
    assert areas[A.STRATEGY].correlation == pytest.approx(1.0)
    assert areas[A.PEOPLE].correlation is None  # no hours in the area at all
    assert (areas[A.PEOPLE].organizations, areas[A.PEOPLE].hours) == (3, D(0))


def test_funders_count_approved_hours_only(session: Session, data: dict[str, int]) -> None:
    result = support_vs_gain(session, actor=f.actor(session, Role.FUNDER), filters=Filters())
    points = {p.organization_id: p for p in result.points}
    assert points[data["a"]].hours == D(4)  # activity 2 is only submitted
    assert points[data["a"]].hours_by_area == {A.GOVERNANCE: D(4), A.FINANCE: D(4)}
    finance = next(x for x in result.areas if x.area is A.FINANCE)
    assert finance.correlation == pytest.approx(0.0)  # (4, +2), (4, 0), (0, +1)


def test_support_obeys_the_filters(session: Session, data: dict[str, int]) -> None:
    manager = f.actor(session, Role.MANAGER)
    latgale = support_vs_gain(session, actor=manager,
                              filters=Filters(incubator_id=data["latgale"]))
    assert [(p.organization_id, p.hours) for p in latgale.points] == [(data["c"], D(6))]
    assert latgale.trend is None and latgale.correlation is None  # one point
    # as of the end of 2025, c's latest is its graduation assessment
    in_2025 = support_vs_gain(session, actor=manager,
                              filters=Filters(date_to=dt.date(2025, 12, 31)))
    c = next(p for p in in_2025.points if p.organization_id == data["c"])
    assert (c.gain, c.latest_kind) == (D("25.00"), AssessmentKind.GRADUATION)
    # only c was assessed in 2026
    in_2026 = support_vs_gain(session, actor=manager,
                              filters=Filters(date_from=dt.date(2026, 1, 1)))
    assert [p.organization_id for p in in_2026.points] == [data["c"]]


def test_least_squares_and_pearson_by_hand() -> None:
    trend = least_squares([(0, 1), (1, 3), (2, 5)])
    assert trend is not None and (trend.slope, trend.intercept) == (2.0, 1.0)
    assert least_squares([(1, 1), (1, 2)]) is None and least_squares([(1, 1)]) is None
    assert pearson([(0, 3), (1, 2), (2, 1)]) == pytest.approx(-1.0)
    assert pearson([(0, 1), (1, 1), (2, 1)]) is None and pearson([(0, 1), (1, 2)]) is None


def test_empty_database_gives_empty_results(session: Session) -> None:
    manager = f.actor(session, Role.MANAGER)
    filters = Filters(date_from=dt.date(2030, 1, 1))
    assert index_change_distribution(session, actor=manager, filters=filters).rows == ()
    assert cohort_funnel(session, actor=manager, filters=filters).total.applied == 0
    empty = support_vs_gain(session, actor=manager, filters=filters)
    assert empty.points == () and empty.trend is None
    assert all(x.organizations == 0 and x.mean_gain is None for x in empty.areas)


def test_gain_is_measured_within_one_cycle(session: Session) -> None:
    """Vidzeme and Latgale assess one organisation on the same days: each cycle is a journey
    of its own, and no assessment of one counts for the other."""
    org = f.organization(session, name="Divu inkubatoru biedrība").id
    vid = _cohort(session, "VIDZEME", "2025-02-01", "2025-12-15")
    lat = _cohort(session, "LATGALE", "2025-03-01", "2026-02-28")
    K = AssessmentKind
    _assess(session, org, vid, K.INTAKE, "2025-03-03", _scores(2))  # 50
    _assess(session, org, lat, K.INTAKE, "2025-04-01", _scores(4))  # 100
    _assess(session, org, vid, K.GRADUATION, "2025-06-02", _scores(3))  # 75
    _assess(session, org, lat, K.MIDPOINT, "2025-06-02", _scores(1))  # 25
    twin = f.organization(session, name="Vienas dienas biedrība").id
    _assess(session, twin, vid, K.INTAKE, "2025-06-02", _scores(2))  # two intakes, one day:
    _assess(session, twin, lat, K.INTAKE, "2025-06-02", _scores(3))  # no journey at all
    manager = f.actor(session, Role.MANAGER)
    points = support_vs_gain(session, actor=manager, filters=Filters()).points
    assert sorted((p.incubator_code, p.intake_index, p.latest_index, p.gain)
                  for p in points if p.organization_id == org) == [
        ("LATGALE", D("100.00"), D("25.00"), D("-75.00")),
        ("VIDZEME", D("50.00"), D("75.00"), D("25.00"))]
    assert not [p for p in points if p.organization_id == twin]
    vidzeme = support_vs_gain(session, actor=manager, filters=Filters(region_code="VIDZEME"))
    assert [(p.organization_id, p.gain) for p in vidzeme.points] == [(org, D("25.00"))]


def test_radar_compares_assessments_of_one_cycle(session: Session) -> None:
    """Vidzeme's cycle: 50 -> 75; Latgale's intake (100) the same day as Vidzeme's graduation:
    the radar shows Vidzeme's journey, not Latgale's intake against Vidzeme's."""
    org = f.organization(session, name="Divu inkubatoru biedrība").id
    vid = _cohort(session, "VIDZEME", "2025-02-01", "2025-12-15")
    lat = _cohort(session, "LATGALE", "2025-03-01", "2026-02-28")
    K = AssessmentKind
    _assess(session, org, vid, K.INTAKE, "2025-03-03", _scores(2))
    _assess(session, org, vid, K.GRADUATION, "2025-06-02", _scores(3))
    _assess(session, org, lat, K.INTAKE, "2025-06-02", _scores(4))
    radar = organization_radar(session, actor=f.actor(session, Role.MANAGER),
                               organization_id=org)
    assert radar.intake is not None and radar.latest is not None
    assert (radar.intake.capacity_index, radar.latest.capacity_index, radar.change) == (
        D("50.00"), D("75.00"), D("25.00"))
    assert radar.latest.kind is K.GRADUATION
