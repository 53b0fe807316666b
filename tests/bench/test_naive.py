"""The benchmark's naive baseline (pandas over whole tables) gives the overview's numbers
exactly, on a small varied data set, under every kind of filter (both databases)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.naive import overview_numbers_naive
from db.enums import AssessmentKind, CapacityArea, IndicatorMethod, MilestoneKind, Role
from db.models import Indicator, IndicatorEntry, Milestone
from tests import factories as f
from tests.dialogue_factories import document, opinion
from tracker.analytics import Filters
from tracker.analytics.overview import comparable, overview_numbers
from tracker.errors import PermissionDenied
from tracker.schemas import AssessmentCreate, MilestoneCreate
from tracker.services import activities, assessments, milestones

VALMIERA, DAUGAVPILS, RIGA, LIEPAJA = "0054000", "0002000", "0001000", "0005000"
VARAKLANI, MADONA = "0055000", "0038001"  # Varakļāni ended 2025-06-30, merged into Madona

WHOLE = Filters(date_from=dt.date(2025, 1, 1), date_to=dt.date(2026, 12, 31))


def _people(*pairs: tuple[int, int]) -> list[dict[str, int]]:
    return [{"organization_id": org, "attendees": n} for org, n in pairs]


def _build(session: Session) -> None:
    """Four incubators' activities of every status, one deleted; milestones, assessments,
    the civic-dialogue register (documents monitored by several incubators and the programme,
    opinions of every status, a joint one, deleted ones), and extra indicators for the methods
    the programme's own lack (a manual one with entries among them)."""
    a = f.organization(session, municipality_atvk=VALMIERA).id
    b = f.organization(session, municipality_atvk=DAUGAVPILS).id
    v = f.organization(session, municipality_atvk=VARAKLANI).id
    m = f.organization(session, municipality_atvk=MADONA).id
    r = f.organization(session, municipality_atvk=RIGA).id
    k = f.organization(session, municipality_atvk=LIEPAJA).id
    n = f.organization(session, municipality_atvk=None).id
    # (incubator, type, date, status, areas, participations)
    plan: list[tuple[str, str, str, str, list[str], list[dict[str, int]]]] = [
        ("VIDZEME", "training", "2025-01-15", "approved", ["finance", "governance"],
         _people((a, 3), (v, 2))),
        ("VIDZEME", "consultation", "2025-03-05", "submitted", ["strategy"],
         _people((m, 1), (v, 1))),
        ("VIDZEME", "consultation", "2025-03-12", "approved", ["finance"], _people((a, 1))),
        ("VIDZEME", "workshop", "2025-03-20", "draft", ["people"], _people((a, 4))),
        ("VIDZEME", "training", "2025-06-30", "returned", ["finance"], _people((b, 2))),
        ("VIDZEME", "mentoring", "2025-11-21", "approved", ["strategy"], _people((v, 1))),
        ("LATGALE", "training", "2025-11-20", "approved", ["finance", "people"],
         _people((b, 4), (a, 2), (n, 1))),
        ("LATGALE", "consultation", "2025-10-01", "approved", ["finance"], _people((b, 1))),
        ("LATGALE", "mentoring", "2026-04-01", "submitted", ["delivery"],
         _people((b, 1), (r, 2))),
        ("KURZEME", "workshop", "2025-08-15", "approved", ["communication", "advocacy"],
         _people((k, 5), (a, 1))),
        ("KURZEME", "training", "2026-02-10", "approved", ["finance"], []),
        ("ZEMGALE", "training", "2025-03-09", "submitted", ["governance"], _people((r, 6))),
    ]
    for incubator, kind, day, status, areas, people in plan:
        f.activity(session, incubator=incubator, type=kind, activity_date=day, status=status,
                   capacity_areas=areas, participations=people,
                   total_participants=sum(p["attendees"] for p in people))
    for status in ("submitted", "draft"):  # deleted: they count for nobody
        gone = f.activity(session, incubator="VIDZEME", type="training",
                          activity_date="2025-05-05", status=status, capacity_areas=["finance"],
                          participations=_people((r, 9), (k, 1)), total_participants=10)
        activities.delete_activity(session, actor=f.ADMIN, activity_id=gone.id,
                                   version=gone.version)

    vidzeme, latgale, kurzeme = (f.incubator_id(session, code)
                                 for code in ("VIDZEME", "LATGALE", "KURZEME"))
    zemgale = f.incubator_id(session, "ZEMGALE")
    K = MilestoneKind
    recorded = []
    for org, inc, kind, day in ((a, vidzeme, K.GRANT_APPLIED, "2025-05-05"),
                                (a, vidzeme, K.GRANT_AWARDED, "2026-05-05"),
                                (b, latgale, K.NEW_PARTNERSHIP, "2025-11-15"),
                                (k, kurzeme, K.GRANT_AWARDED, "2025-09-09"),
                                (m, None, K.STRATEGY_ADOPTED, "2025-04-01"),
                                (v, vidzeme, K.NEW_MEMBERS, "2025-03-15")):
        recorded.append(milestones.record_milestone(session, actor=f.ADMIN, data=MilestoneCreate(
            organization_id=org, incubator_id=inc, kind=kind,
            achieved_on=dt.date.fromisoformat(day))))
    gone_milestone = session.get(Milestone, recorded[-1].id)
    assert gone_milestone is not None
    gone_milestone.deleted_at = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)

    # Documents: each counts once, on its first monitoring day in scope (the programme's own
    # monitoring counts when no region or incubator is chosen); the deleted one never.
    D = dt.date.fromisoformat
    first = document(session, incubators={None: D("2025-01-20"), vidzeme: D("2025-02-01"),
                                          latgale: D("2025-10-05")})
    second = document(session, incubators={kurzeme: D("2025-12-01"),
                                           latgale: D("2026-01-05")})
    third = document(session, incubators=[zemgale], monitored_from=D("2025-03-08"))
    document(session, incubators=[kurzeme], monitored_from=D("2026-03-03"))
    document(session, incubators=[vidzeme], monitored_from=D("2025-02-02"),
             deleted_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC))
    # Opinions: (document, authors, incubator, day, status, deleted)
    for doc, authors, inc, day, status, deleted in (
            (first, [a], vidzeme, "2025-05-05", "approved", False),
            (first, [a], vidzeme, "2026-05-05", "approved", False),
            (second, [b, a], latgale, "2025-11-15", "approved", False),  # joint: once
            (first, [m], None, "2025-04-01", "submitted", False),  # the programme's own
            (first, [v], vidzeme, "2025-03-15", "approved", True),
            (third, [r], zemgale, "2025-03-10", "draft", False),
            (second, [n, r], kurzeme, "2026-02-20", "returned", False)):
        opinion(session, doc, authors=authors, incubator_id=inc, status=status,
                submitted_on=D(day),
                deleted_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC) if deleted else None)

    vidzeme_cycle, latgale_cycle = f.cohort(session, "VIDZEME"), f.cohort(session, "LATGALE")
    # (organisation, cohort, kind, day, score): a gains; b gains by the midpoint, not by the
    # end; v has two intakes on one day (the higher counts) and never rises above it; m's
    # assessments belong to no cycle, so a region filter leaves them out.
    intake, mid = AssessmentKind.INTAKE, AssessmentKind.MIDPOINT
    graduation, follow_up = AssessmentKind.GRADUATION, AssessmentKind.FOLLOW_UP
    for org, cohort, kind, day, score in (
            (a, vidzeme_cycle, intake, "2025-02-10", 2),
            (a, vidzeme_cycle, graduation, "2025-12-10", 3),
            (b, vidzeme_cycle, intake, "2025-02-10", 3),
            (b, vidzeme_cycle, mid, "2025-06-15", 4),
            (b, vidzeme_cycle, graduation, "2025-12-10", 3),
            (v, latgale_cycle, intake, "2025-03-01", 2),
            (v, latgale_cycle, intake, "2025-03-01", 3),
            (v, latgale_cycle, mid, "2025-09-01", 3),
            (v, latgale_cycle, follow_up, "2026-03-01", 3),
            (m, None, intake, "2025-04-01", 1),
            (m, None, graduation, "2025-10-01", 2)):
        assessments.record_assessment(session, actor=f.ADMIN, data=AssessmentCreate(
            organization_id=org, cohort_id=cohort, kind=kind,
            assessed_on=dt.date.fromisoformat(day), scores=dict.fromkeys(CapacityArea, score)))

    docs = session.scalar(select(Indicator).where(Indicator.code == "DOCS_MONITORED"))
    assert docs is not None
    extra = {}
    for code, method, parameter in (
            ("ALL_ACTIVITIES", IndicatorMethod.ACTIVITIES, None),
            ("ALL_ATTENDEES", IndicatorMethod.ATTENDEES, None),
            ("TRAININGS", IndicatorMethod.ACTIVITIES, "training"),
            ("ALL_MILESTONES", IndicatorMethod.MILESTONES, None),
            ("MILESTONE_ORGS", IndicatorMethod.MILESTONE_ORGANIZATIONS, None),
            ("MEDIA_MENTIONS", IndicatorMethod.MANUAL, None)):
        extra[code] = Indicator(program_id=docs.program_id, code=code, name_lv=code,
                                name_en=code, method=method.value, parameter=parameter,
                                sort_order=100)
        session.add(extra[code])
    session.flush()
    mentions = extra["MEDIA_MENTIONS"].id  # counted by hand: entries typed in
    session.add_all([
        IndicatorEntry(indicator_id=mentions, incubator_id=vidzeme,
                       entry_date=dt.date(2025, 4, 4), value=Decimal("2.5")),
        IndicatorEntry(indicator_id=mentions, incubator_id=latgale,
                       entry_date=dt.date(2025, 12, 1), value=Decimal("3")),
        IndicatorEntry(indicator_id=mentions, incubator_id=None,
                       entry_date=dt.date(2026, 1, 15), value=Decimal("1.25"))])
    session.flush()


CASES: dict[str, tuple[Role, Filters, int, bool]] = {
    "default": (Role.MANAGER, WHOLE, 2025, False),
    "default_2026": (Role.MANAGER, WHOLE, 2026, False),
    "region_quarter": (Role.MANAGER, Filters(region_code="LATGALE",
                                             date_from=dt.date(2025, 10, 1),
                                             date_to=dt.date(2025, 12, 31)), 2025, False),
    "incubator": (Role.ADMIN, Filters(incubator_id=-1, date_from=dt.date(2025, 1, 1),
                                      date_to=dt.date(2026, 12, 31)), 2025, True),
    "mid_month": (Role.MANAGER, Filters(date_from=dt.date(2025, 3, 10),
                                        date_to=dt.date(2025, 11, 20)), 2025, True),
    "within_one_month": (Role.MANAGER, Filters(date_from=dt.date(2025, 3, 6),
                                               date_to=dt.date(2025, 3, 25)), 2025, True),
    "training": (Role.MANAGER, Filters(date_from=WHOLE.date_from, date_to=WHOLE.date_to,
                                       activity_type="training"), 2025, False),
    "consultation": (Role.MANAGER, Filters(date_from=WHOLE.date_from, date_to=WHOLE.date_to,
                                           activity_type="consultation"), 2025, True),
    "approved_only": (Role.MANAGER, Filters(date_from=WHOLE.date_from, date_to=WHOLE.date_to,
                                            include_submitted=False), 2025, False),
    "funder": (Role.FUNDER, WHOLE, 2025, False),
    "funder_people": (Role.FUNDER, Filters(region_code="VIDZEME",
                                           date_from=dt.date(2025, 2, 15),
                                           date_to=dt.date(2026, 6, 30)), 2026, True),
    "people": (Role.MANAGER, WHOLE, 2025, True),
    "year_outside": (Role.MANAGER, Filters(date_from=dt.date(2025, 1, 1),
                                           date_to=dt.date(2025, 6, 30)), 2026, True),
}


def _differences(session: Session, role: Role, filters: Filters, year: int, people: bool
                 ) -> dict[str, tuple[Any, Any]]:
    """{part: (naive, fast)} of the parts of the overview where the two disagree."""
    actor = f.actor(session, role)
    fast = comparable(overview_numbers(session, actor=actor, filters=filters, year=year,
                                       people=people))
    naive = overview_numbers_naive(session.connection(), actor=actor, filters=filters,
                                   year=year, people=people)
    assert naive.keys() == fast.keys()
    assert naive["quarters"]  # every case has some activity to show
    assert all((row[1] is not None) is people and (row[2] is not None) is people
               for row in naive["quarters"].values())
    return {part: (naive[part], fast[part]) for part in fast if naive[part] != fast[part]}


def test_naive_numbers_equal_the_overview(session: Session) -> None:
    """Every case on one data set (built once: the cases only read it)."""
    _build(session)
    vidzeme = f.incubator_id(session, "VIDZEME")
    differences = {}
    for case, (role, filters, year, people) in CASES.items():
        if filters.incubator_id == -1:  # the id is known only now
            filters = Filters(incubator_id=vidzeme, date_from=filters.date_from,
                              date_to=filters.date_to)
        found = _differences(session, role, filters, year, people)
        if found:
            differences[case] = found
    assert differences == {}


def test_naive_numbers_by_hand(session: Session) -> None:
    """A few numbers checked against the data set by hand, not only against the fast path."""
    _build(session)
    numbers: dict[str, Any] = overview_numbers_naive(
        session.connection(), actor=f.actor(session, Role.MANAGER), filters=WHOLE, year=2025,
        people=True)
    # Counted: all but the draft, the returned one and the two deleted ones.
    assert numbers["types"] == {"training": 4, "consultation": 3, "mentoring": 2,
                                "workshop": 1}
    assert numbers["indicators"]["ALL_ACTIVITIES"] == (10.0, 8.0)
    assert numbers["indicators"]["TRAINING_ATTENDANCES"] == (18.0, 18.0)  # 5 + 7 + 6
    assert numbers["indicators"]["MEDIA_MENTIONS"] == (6.75, 5.5)
    # The first, second and third documents in 2025, the fourth in 2026; the deleted one out.
    assert numbers["indicators"]["DOCS_MONITORED"] == (4.0, 3.0)
    # a's two, the joint one once, the programme's submitted one; not the deleted, the draft
    # or the returned one.
    assert numbers["indicators"]["OPINIONS_SUBMITTED"] == (4.0, 3.0)
    assert numbers["indicators"]["ORGS_WITH_OPINIONS"] == (3.0, 3.0)  # a, b, m
    funder: dict[str, Any] = overview_numbers_naive(
        session.connection(), actor=f.actor(session, Role.FUNDER), filters=WHOLE, year=2025)
    assert funder["indicators"]["OPINIONS_SUBMITTED"] == (3.0, 2.0)  # m's is only submitted
    assert funder["indicators"]["ORGS_WITH_OPINIONS"] == (2.0, 2.0)  # a, b
    latgale: dict[str, Any] = overview_numbers_naive(
        session.connection(), actor=f.actor(session, Role.MANAGER),
        filters=Filters(region_code="LATGALE", date_from=WHOLE.date_from,
                        date_to=WHOLE.date_to), year=2026)
    # the first from Latgale's own day (2025), the second from 2026-01-05 (Kurzeme's
    # earlier day is not Latgale's)
    assert latgale["indicators"]["DOCS_MONITORED"] == (2.0, 1.0)
    assert numbers["indicators"]["CAPACITY_GAIN"] == (2.0, 2.0)  # a and m; b fell back to 3
    # v (Varakļāni) is folded into Madona with m; n has no municipality.
    assert numbers["places"] == {"LV-113": 1, "LV-059": 2, "LV-DGV": 1, "LV-RIX": 1,
                                 "LV-LPX": 1}
    assert numbers["quarters"][(2025, 1, "VIDZEME")] == (3, 3, 8)  # a, v, m; 5 + 2 + 1


def test_viewers_without_the_regions_page_are_refused(session: Session) -> None:
    with pytest.raises(PermissionDenied):
        overview_numbers_naive(session.connection(), actor=f.actor(session, Role.STAFF),
                               filters=WHOLE, year=2025)
