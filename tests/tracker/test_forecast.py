"""Forecast and early warnings on a small hand-built data set, expected values by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from db.enums import EnrollmentStatus, Role
from db.models import Activity, Cohort, Indicator, Organization, Target
from tests import factories as f
from tests.dialogue_factories import document, opinion
from tracker.analytics import Filters
from tracker.analytics.forecast import (
    ForecastStatus,
    IndicatorForecast,
    forecast_status,
    inactive_organizations,
    incubator_forecasts,
    indicator_forecasts,
    logging_status,
)
from tracker.schemas import EnrollmentCreate, EnrollmentStatusChange
from tracker.services import enrollments, organizations

AS_OF = dt.date(2025, 4, 30)
# 2025-01-01 .. 2025-04-30 both included: 31 + 28 + 31 + 30 = 120 days elapsed;
# 2025-05-01 .. 2026-12-31: 245 + 365 = 610 days left.
ELAPSED, REMAINING = 120, 610
D = dt.date.fromisoformat


def _admit(session: Session, org: int, cohort: int, on: str) -> int:
    enrollment = enrollments.enroll(session, actor=f.ADMIN, data=EnrollmentCreate(
        organization_id=org, cohort_id=cohort, applied_on=D("2025-02-01")))
    return enrollments.change_enrollment_status(
        session, actor=f.ADMIN, enrollment_id=enrollment.id, data=EnrollmentStatusChange(
            status=EnrollmentStatus.ADMITTED, on_date=D(on), version=1)).id


def _build(session: Session) -> dict[str, int]:
    """Vidzeme, all approved unless said otherwise:

    2025-01-10 training      a: 3 attendees
    2025-02-14 consultation  b: 1
    2025-03-04 consultation  d: 1      (57 days before 30.04.2025)
    2025-03-05 training      a: 2, b: 4 (56 days before)
    2025-04-20 training      c: 3      SUBMITTED (funders do not count it)
    2025-05-10 training      a: 5      after the as-of date
    Opinions (Vidzeme, on one document): a 2025-01-20, a 2025-03-10, a and b jointly
    2025-03-15 (one opinion), c 2025-04-10 SUBMITTED (funders do not count it), d 2025-04-12
    a draft (counted for nobody). The document: monitored by Vidzeme from 2025-01-06.
    Cohort (Vidzeme, 01.02.-31.12.2025): a, b, c, d, e admitted 05.02; f admitted 05.03;
    h admitted 05.02 and withdrawn 01.04. Cohort ended 29.04.2025: g admitted 05.02.
    """
    names = ("Alfa", "Beta", "Cē", "Delta", "Epsilons", "Fī", "Gamma", "Hī")
    orgs = {n[0].lower(): f.organization(session, name=f"Biedrība {n}").id for n in names}
    vidzeme = f.incubator_id(session, "VIDZEME")

    def log(kind: str, day: str, who: dict[str, int], status: str = "approved") -> int:
        return f.activity(session, type=kind, activity_date=day, status=status,
                          total_participants=sum(who.values()),
                          participations=[{"organization_id": orgs[o], "attendees": n}
                                          for o, n in who.items()]).id

    log("training", "2025-01-10", {"a": 3})
    log("consultation", "2025-02-14", {"b": 1})
    log("consultation", "2025-03-04", {"d": 1})
    log("training", "2025-03-05", {"a": 2, "b": 4})
    submitted = log("training", "2025-04-20", {"c": 3}, status="submitted")
    log("training", "2025-05-10", {"a": 5})
    # Typed in two days after it happened (the factory stamps "now" otherwise).
    row = session.get(Activity, submitted)
    assert row is not None
    row.created_at = dt.datetime(2025, 4, 22, 10, 0, tzinfo=dt.UTC)
    consulted = document(session, incubators=[vidzeme], monitored_from=D("2025-01-06"))
    for authors, day, state in (("a", "2025-01-20", "approved"), ("a", "2025-03-10", "approved"),
                                ("ab", "2025-03-15", "approved"),
                                ("c", "2025-04-10", "submitted"), ("d", "2025-04-12", "draft")):
        opinion(session, consulted, authors=[orgs[o] for o in authors], incubator_id=vidzeme,
                status=state, submitted_on=D(day))
    cohort = f.cohort(session, "VIDZEME")  # 2025-02-01 .. 2025-12-31
    for org in "abcdeh":
        _admit(session, orgs[org], cohort, "2025-02-05")
    _admit(session, orgs["f"], cohort, "2025-03-05")
    ended = Cohort(incubator_id=vidzeme, number=99, name="Īsais cikls",
                   start_date=D("2025-02-01"), end_date=D("2025-04-29"), seats=5)
    session.add(ended)
    session.flush()
    _admit(session, orgs["g"], ended.id, "2025-02-05")
    h = enrollments.list_enrollments(session, actor=f.ADMIN, organization_id=orgs["h"])[0]
    enrollments.change_enrollment_status(
        session, actor=f.ADMIN, enrollment_id=h.id, data=EnrollmentStatusChange(
            status=EnrollmentStatus.WITHDRAWN, on_date=D("2025-04-01"), version=h.version))
    # Vidzeme's own targets: training attendances 80 (at risk), organisations supported 4
    # (reached); and the programme's 40 training attendances (none by default).
    for code, value, scope in (("TRAINING_ATTENDANCES", 80, vidzeme),
                               ("ORGS_SUPPORTED", 4, vidzeme),
                               ("TRAINING_ATTENDANCES", 40, None)):
        indicator = session.query(Indicator).filter_by(code=code).one()
        session.add(Target(indicator_id=indicator.id, incubator_id=scope, year=None,
                           target_value=Decimal(value), incubator_key=scope or 0, year_key=0))
    session.flush()
    return orgs | {"vidzeme": vidzeme, "latgale": f.incubator_id(session, "LATGALE")}


def _by_code(rows: list[IndicatorForecast]) -> dict[str, IndicatorForecast]:
    return {r.code: r for r in rows}


def _months(row: IndicatorForecast) -> list[float]:
    return [float(m.value) for m in row.months]


def test_programme_forecast_by_hand(session: Session) -> None:
    _build(session)
    rows = _by_code(indicator_forecasts(session, actor=f.actor(session, Role.MANAGER),
                                        filters=Filters(), as_of=AS_OF))
    trained = rows["TRAINING_ATTENDANCES"]  # target 40
    assert (trained.elapsed_days, trained.remaining_days) == (ELAPSED, REMAINING)
    assert trained.start == D("2025-01-01") and trained.end == D("2026-12-31")
    assert [m.month for m in trained.months] == [D("2025-01-01"), D("2025-02-01"),
                                                 D("2025-03-01"), D("2025-04-01")]
    assert _months(trained) == [3, 0, 6, 3]  # the May training is after as-of
    assert trained.value == 12
    assert trained.pace == pytest.approx(12 / 120)  # 0.1 a day
    assert trained.pace_per_month == pytest.approx(0.1 * 365.25 / 12)
    assert trained.needed_pace == pytest.approx((40 - 12) / 610)
    assert trained.projection == pytest.approx(12 + 0.1 * 610)  # 73
    # Monthly rates sorted: 0/28, 3/31, 3/30, 6/31. Percentile positions (n - 1) p:
    # p20 at 0.6 -> 0.6 * 3/31; p80 at 2.4 -> 3/30 + 0.4 (6/31 - 3/30).
    assert trained.low == pytest.approx(12 + 610 * 0.6 * 3 / 31)  # 47.42
    assert trained.high == pytest.approx(12 + 610 * (3 / 30 + 0.4 * (6 / 31 - 3 / 30)))  # 95.83
    assert trained.status is ForecastStatus.ON_TRACK  # even 47.42 >= 40
    assert not trained.flagged

    orgs = rows["ORGS_SUPPORTED"]  # target 250; new distinct organisations by first date
    assert _months(orgs) == [1, 1, 1, 1]  # a Jan, b Feb, d Mar, c Apr (a's March: not new)
    assert orgs.value == 4
    assert orgs.pace == pytest.approx(4 / 120)
    assert orgs.projection == pytest.approx(4 + 610 / 30)  # 24.33
    # Rates 1/31, 1/31, 1/30, 1/28: p20 = 1/31; p80 = 1/30 + 0.4 (1/28 - 1/30).
    assert orgs.low == pytest.approx(4 + 610 / 31)  # min(pace 1/30, p20 1/31)
    assert orgs.high == pytest.approx(4 + 610 * (1 / 30 + 0.4 * (1 / 28 - 1 / 30)))  # 24.91
    assert orgs.needed_pace == pytest.approx(246 / 610)
    assert orgs.status is ForecastStatus.OFF_TRACK and orgs.flagged

    opinions, with_opinions = rows["OPINIONS_SUBMITTED"], rows["ORGS_WITH_OPINIONS"]
    assert _months(opinions) == [1, 0, 2, 1] and opinions.value == 4  # the joint one once
    assert _months(with_opinions) == [1, 0, 1, 1] and with_opinions.value == 3  # a, b, c
    consultations = rows["CONSULTATIONS"]
    assert consultations.value == 2 and consultations.target is None
    assert consultations.needed_pace is None
    assert consultations.status is ForecastStatus.NO_TARGET
    docs = rows["DOCS_MONITORED"]  # one document of 2500, from its first day
    assert _months(docs) == [1, 0, 0, 0] and docs.value == 1
    assert docs.projection == pytest.approx(1 + 610 / 120)
    assert docs.status is ForecastStatus.OFF_TRACK


def test_funders_and_filters(session: Session) -> None:
    ids = _build(session)
    funder = _by_code(indicator_forecasts(session, actor=f.actor(session, Role.FUNDER),
                                          filters=Filters(), as_of=AS_OF))
    assert funder["TRAINING_ATTENDANCES"].value == 9  # the submitted April training is out
    assert _months(funder["ORGS_SUPPORTED"]) == [1, 1, 1, 0]
    assert _months(funder["OPINIONS_SUBMITTED"]) == [1, 0, 2, 0]  # c's is only submitted
    assert _months(funder["ORGS_WITH_OPINIONS"]) == [1, 0, 1, 0]  # a, then b
    manager = f.actor(session, Role.MANAGER)
    consult = _by_code(indicator_forecasts(session, actor=manager, filters=Filters(
        activity_type="consultation"), as_of=AS_OF))
    assert consult["TRAINING_ATTENDANCES"].value == 0  # trainings only: another type chosen
    assert _months(consult["ORGS_SUPPORTED"]) == [0, 1, 1, 0]  # b, d
    latgale = _by_code(indicator_forecasts(session, actor=manager, filters=Filters(
        region_code="LATGALE"), as_of=AS_OF))
    assert latgale["TRAINING_ATTENDANCES"].value == 0
    assert latgale["OPINIONS_SUBMITTED"].value == 0  # all opinions are Vidzeme's
    docs = latgale["DOCS_MONITORED"]  # Latgale monitors nothing: 0, no spread
    assert (docs.value, docs.projection, docs.low, docs.high) == (Decimal(0), 0.0, 0.0, 0.0)
    # targets are not split by region
    assert latgale["TRAINING_ATTENDANCES"].status is ForecastStatus.NO_TARGET
    vidzeme = _by_code(indicator_forecasts(session, actor=manager, filters=Filters(
        incubator_id=ids["vidzeme"]), as_of=AS_OF))
    assert vidzeme["ORGS_SUPPORTED"].target == 4
    assert vidzeme["ORGS_SUPPORTED"].status is ForecastStatus.REACHED


@pytest.mark.parametrize(("as_of", "months"), [
    ("2025-04-19", [1, 1, 1, 0]),  # c's first activity (20 April) is after it
    ("2025-04-20", [1, 1, 1, 1]),  # on the day it counts
    ("2025-03-04", [1, 1, 1]),  # d's first, on the last day counted
    ("2025-03-03", [1, 1, 0]),
])
def test_new_organisations_by_month_when_the_as_of_date_is_inside_a_month(
        session: Session, as_of: str, months: list[int]) -> None:
    """The first participation's month comes from the organisation rollup for whole months
    and from the participations themselves for the days of the as-of month."""
    _build(session)
    rows = _by_code(indicator_forecasts(session, actor=f.actor(session, Role.MANAGER),
                                        filters=Filters(), as_of=D(as_of)))
    assert _months(rows["ORGS_SUPPORTED"]) == months
    assert rows["ORGS_SUPPORTED"].value == sum(months)


def test_band_needs_two_complete_months(session: Session) -> None:
    _build(session)
    rows = _by_code(indicator_forecasts(session, actor=f.actor(session, Role.MANAGER),
                                        filters=Filters(), as_of=D("2025-02-10")))
    trained = rows["TRAINING_ATTENDANCES"]  # January complete, February not
    assert (trained.elapsed_days, trained.remaining_days) == (41, 689)
    assert trained.projection == pytest.approx(3 + 3 / 41 * 689)
    assert trained.low == trained.high == pytest.approx(trained.projection)
    # A date outside the programme is taken as its first or last day.
    late = _by_code(indicator_forecasts(session, actor=f.actor(session, Role.MANAGER),
                                        filters=Filters(), as_of=D("2030-01-01")))
    assert late["TRAINING_ATTENDANCES"].as_of == D("2026-12-31")
    assert late["TRAINING_ATTENDANCES"].remaining_days == 0
    assert late["TRAINING_ATTENDANCES"].value == 17  # the May training counts too
    assert late["TRAINING_ATTENDANCES"].needed_pace is None  # no day left to reach 40
    assert late["TRAINING_ATTENDANCES"].status is ForecastStatus.OFF_TRACK


def test_incubator_forecasts_use_their_own_targets(session: Session) -> None:
    ids = _build(session)
    rows = incubator_forecasts(session, actor=f.actor(session, Role.MANAGER),
                               filters=Filters(), as_of=AS_OF)
    assert len(rows) == 8 * 4  # every indicator for each of the 4 incubators
    found = {(r.incubator_code, r.code): r for r in rows}
    trained = found["VIDZEME", "TRAINING_ATTENDANCES"]  # target 80: projection 73 < 80 <= 95.83
    assert trained.incubator_id == ids["vidzeme"]
    assert trained.projection == pytest.approx(73)
    assert trained.needed_pace == pytest.approx(68 / 610)
    assert trained.status is ForecastStatus.AT_RISK and trained.flagged
    assert found["VIDZEME", "ORGS_SUPPORTED"].status is ForecastStatus.REACHED
    assert found["VIDZEME", "ORGS_SUPPORTED"].needed_pace == 0
    other = found["LATGALE", "TRAINING_ATTENDANCES"]  # no own target: pace only
    assert (other.value, other.pace, other.target) == (Decimal(0), 0.0, None)
    assert other.status is ForecastStatus.NO_TARGET
    only = incubator_forecasts(session, actor=f.actor(session, Role.MANAGER),
                               filters=Filters(region_code="LATGALE"), as_of=AS_OF)
    assert {r.incubator_code for r in only} == {"LATGALE"}


@pytest.mark.parametrize(("value", "low", "high", "status"), [
    (50, 40, 90, ForecastStatus.REACHED),
    (10, 50, 90, ForecastStatus.ON_TRACK),
    (10, 30, 50, ForecastStatus.AT_RISK),  # the target lies inside the band
    (10, 30, 49.9, ForecastStatus.OFF_TRACK),
])
def test_status_rule(value: float, low: float, high: float, status: ForecastStatus) -> None:
    assert forecast_status(value, 50, low, high) is status
    assert forecast_status(value, None, low, high) is ForecastStatus.NO_TARGET


def test_inactive_organisations_at_the_boundary(session: Session) -> None:
    ids = _build(session)
    manager = f.actor(session, Role.MANAGER)
    rows = inactive_organizations(session, actor=manager, filters=Filters(), as_of=AS_OF)
    # a and b: last 05.03 = exactly 56 days ago -> still active; d: 04.03 = 57 days -> listed.
    # e: never took part. f: admitted 05.03 (56 days in the cohort) -> not yet. c: 20.04.
    # g: its cohort ended 29.04. h: withdrawn 01.04.
    assert [(r.organization_name, r.last_activity, r.days_since) for r in rows] == [
        ("Biedrība Epsilons", None, None),
        ("Biedrība Delta", D("2025-03-04"), 57),
    ]
    assert rows[0].organization_id == ids["e"] and rows[0].cohort_name == "Test cycle"
    assert rows[0].incubator_code == "VIDZEME" and rows[0].in_cohort_since == D("2025-02-05")
    # A day earlier d's activity is exactly 56 days old, and g's short cohort still runs.
    earlier = inactive_organizations(session, actor=manager, filters=Filters(),
                                     as_of=D("2025-04-29"))
    assert [r.organization_name for r in earlier] == ["Biedrība Epsilons", "Biedrība Gamma"]
    # A longer threshold, and the funder's view (c's only activity is not approved).
    assert inactive_organizations(session, actor=manager, filters=Filters(), as_of=AS_OF,
                                  days=57) == [rows[0]]
    funder = inactive_organizations(session, actor=f.actor(session, Role.FUNDER),
                                    filters=Filters(), as_of=AS_OF)
    assert [r.organization_name for r in funder] == ["Biedrība Cē", "Biedrība Epsilons",
                                                     "Biedrība Delta"]
    assert inactive_organizations(session, actor=manager, filters=Filters(
        region_code="LATGALE"), as_of=AS_OF) == []


def test_logging_stopped_at_the_boundary(session: Session) -> None:
    ids = _build(session)
    manager = f.actor(session, Role.MANAGER)
    vidzeme = Filters(incubator_id=ids["vidzeme"])
    (row,) = logging_status(session, actor=manager, filters=vidzeme, as_of=AS_OF)
    assert (row.incubator_code, row.last_activity, row.days_since, row.stopped) == (
        "VIDZEME", D("2025-04-20"), 10, False)
    assert row.last_entered == D("2025-04-22")  # the others were typed in after as-of
    # Weeks back from 30.04: (23.04, 30.04], (16.04, 23.04] holds 20.04, ...,
    # the 8th (05.03, 12.03] just misses 05.03.
    assert row.weekly == (0, 0, 0, 0, 0, 0, 1, 0)
    assert row.weekly_average == pytest.approx(5 / (120 / 7))  # 5 activities in 120 days
    # 20.04 + 14 days = 04.05: still logging; 05.05 (15 days): stopped.
    assert not logging_status(session, actor=manager, filters=vidzeme,
                              as_of=D("2025-05-04"))[0].stopped
    later = logging_status(session, actor=manager, filters=vidzeme, as_of=D("2025-05-05"))[0]
    assert (later.days_since, later.stopped) == (15, True)
    assert logging_status(session, actor=manager, filters=vidzeme, as_of=D("2025-05-05"),
                          days=15)[0].stopped is False
    # The funder's latest counted activity is 05.03 (the 20.04 one is only submitted).
    funder = logging_status(session, actor=f.actor(session, Role.FUNDER), filters=vidzeme,
                            as_of=AS_OF)[0]
    assert (funder.last_activity, funder.days_since, funder.stopped) == (
        D("2025-03-05"), 56, True)
    (latgale,) = logging_status(session, actor=manager, filters=Filters(region_code="LATGALE"),
                                as_of=AS_OF)
    assert (latgale.last_activity, latgale.days_since, latgale.stopped) == (None, None, True)
    assert latgale.weekly == (0,) * 8 and latgale.weekly_average == 0


@pytest.mark.parametrize("role", [Role.FUNDER, Role.MANAGER])
def test_inactive_list_shows_no_deleted_organisation_and_counts_no_draft(
        session: Session, role: Role) -> None:
    """A deleted organisation is never listed (whoever asks); a draft, a returned and (for
    funders) a submitted activity do not make an organisation active, nor give its date."""
    ids = _build(session)
    actor = f.actor(session, role)
    listed = {r.organization_id for r in inactive_organizations(
        session, actor=actor, filters=Filters(), as_of=AS_OF)}
    assert ids["e"] in listed and ids["d"] in listed
    for status in ("draft", "returned", "submitted"):
        f.activity(session, type="consultation", activity_date="2025-04-28", status=status,
                   total_participants=1, participations=[{"organization_id": ids["e"],
                                                          "attendees": 1}])
    row = next((r for r in inactive_organizations(session, actor=actor, filters=Filters(),
                                                  as_of=AS_OF)
                if r.organization_id == ids["e"]), None)
    if role is Role.FUNDER:  # the submitted one is not approved: still never active
        assert row is not None and row.last_activity is None
    else:  # the submitted one counts for a manager; the draft and the returned one never
        assert row is None
    gone = session.get(Organization, ids["d"])
    assert gone is not None
    organizations.delete_organization(session, actor=f.ADMIN, organization_id=ids["d"],
                                      version=gone.version)
    names = [r.organization_id for r in inactive_organizations(
        session, actor=actor, filters=Filters(), as_of=AS_OF)]
    assert ids["d"] not in names
