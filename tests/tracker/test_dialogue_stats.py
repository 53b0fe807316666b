"""The civic-dialogue page's figures (tracker.analytics.dialogue_stats) on data made here:
the funnel, joint opinions, the filters, the deadlines' order, and what funders get."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session

from db.enums import IndicatorMethod, Role
from tests import dialogue_factories as f
from tests.factories import actor, incubator_id, organization
from tracker.analytics import Filters
from tracker.analytics.dialogue import dialogue_value
from tracker.analytics.dialogue_stats import (
    PROGRAMME,
    IncubatorOutcomes,
    InstitutionRow,
    OutcomeFunnel,
    Outcomes,
    QuarterOutcomes,
    changed_share,
    deadlines,
    institutions,
    opinions_per_document,
    outcome_funnel,
    submitting_organizations,
)
from tracker.auth import Actor
from tracker.charts import dialogue as dialogue_charts

ON = dt.date(2025, 6, 15)  # "today" of the deadlines
NOTE = "SECRET-NOTE-7f3a"  # planted in every note and summary: never in a result
ALL = Filters()
LJM, TM, DGV = "Labklājības ministrija", "Tieslietu ministrija", "Daugavpils pašvaldība"


@dataclasses.dataclass
class World:
    manager: Actor
    funder: Actor
    staff: Actor
    docs: dict[str, int]
    orgs: dict[str, int]


def _day(days: int) -> dt.date:
    return ON + dt.timedelta(days=days)


@pytest.fixture
def world(session: Session) -> World:
    """Seven documents, three organisations (A, B in Vidzeme, C in Latgale), eight opinions:
    counted for managers 6 (one submitted, not yet approved), for funders 5."""
    a, b = organization(session), organization(session)
    c = organization(session, municipality_atvk="0002000")
    secret: dict[str, Any] = {"note": NOTE}
    docs = {
        "D1": f.document(session, institution=TM, deadline=_day(10), **secret),
        "D2": f.document(session, incubators=["LATGALE", "VIDZEME"], institution=LJM,
                         deadline=_day(3)),
        "D3": f.document(session, incubators=["VIDZEME", None], institution=TM,
                         deadline=_day(-5)),
        "D4": f.document(session, institution=LJM, deadline=_day(-20), adopted_on=_day(-1)),
        "D5": f.document(session, incubators={"LATGALE": dt.date(2025, 5, 1)},
                         institution=DGV, deadline=_day(-2), ref="RIGA-2025-1", kind="other",
                         level="municipal"),
        "D6": f.document(session, institution=None),
        "D7": f.document(session, deadline=_day(1),
                         deleted_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC)),
    }
    text: dict[str, Any] = {"note": NOTE, "summary": f"{NOTE} summary"}
    f.opinion(session, docs["D1"], [a, b], "VIDZEME", outcome="taken_into_account",
              submitted_on=dt.date(2025, 2, 10), **text)
    f.opinion(session, docs["D1"], [a], "VIDZEME", outcome="partly_taken_into_account",
              submitted_on=dt.date(2025, 4, 5), **text)
    f.opinion(session, docs["D2"], [c], "VIDZEME", outcome="not_taken_into_account",
              submitted_on=dt.date(2025, 5, 1), **text)
    f.opinion(session, docs["D5"], [b], "LATGALE", outcome="no_answer",
              submitted_on=dt.date(2025, 5, 20), **text)
    f.opinion(session, docs["D2"], [c], "LATGALE", status="submitted",
              submitted_on=dt.date(2025, 6, 1), **text)
    f.opinion(session, docs["D1"], [a, c], "VIDZEME", status="draft",
              outcome="taken_into_account", submitted_on=dt.date(2025, 3, 1), **text)
    f.opinion(session, docs["D1"], [b], "VIDZEME", outcome="taken_into_account",
              submitted_on=dt.date(2025, 3, 1),
              deleted_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC), **text)
    f.opinion(session, docs["D3"], [a], None, submitted_on=dt.date(2025, 7, 1), **text)
    return World(manager=actor(session, Role.MANAGER), funder=actor(session, Role.FUNDER),
                 staff=actor(session, Role.STAFF, "VIDZEME"),
                 docs={k: d.id for k, d in docs.items()}, orgs={"A": a.id, "B": b.id, "C": c.id})


def _counts(row: Any) -> tuple[int, ...]:
    return (row.submitted, row.answered, row.changed, row.no_answer, row.pending)


def test_the_funnel_in_total_per_incubator_and_per_quarter(session: Session,
                                                          world: World) -> None:
    funnel = outcome_funnel(session, actor=world.manager, filters=ALL)
    assert _counts(funnel.total) == (6, 3, 2, 1, 2)
    assert (funnel.total.taken, funnel.total.partly, funnel.total.not_taken) == (1, 1, 1)
    rows = {r.code: _counts(r) for r in funnel.incubators}
    assert rows == {"KURZEME": (0, 0, 0, 0, 0), "LATGALE": (2, 0, 0, 1, 1),
                    "VIDZEME": (3, 3, 2, 0, 0), "ZEMGALE": (0, 0, 0, 0, 0),
                    "": (1, 0, 0, 0, 1)}  # the programme's own opinion, last
    assert funnel.incubators[-1].incubator_id is None
    assert [(q.year, q.quarter, _counts(q)) for q in funnel.quarters] == [
        (2025, 1, (1, 1, 1, 0, 0)), (2025, 2, (4, 2, 1, 1, 1)), (2025, 3, (1, 0, 0, 0, 1))]
    # the same numbers as the indicator counts
    assert funnel.total.submitted == dialogue_value(session, world.manager,
                                                    IndicatorMethod.OPINIONS, ALL, None, None)


def test_changed_share(session: Session, world: World) -> None:
    share = changed_share(session, actor=world.manager, filters=ALL)
    assert (share.submitted, share.answered, share.changed) == (6, 3, 2)
    assert share.changed_of_answered == pytest.approx(2 / 3, abs=1e-4)
    assert share.changed_of_submitted == pytest.approx(2 / 6, abs=1e-4)
    approved = changed_share(session, actor=world.funder, filters=ALL)  # approved only
    assert (approved.submitted, approved.answered, approved.pending) == (5, 3, 1)
    assert changed_share(session, actor=world.manager, filters=Filters(
        date_from=dt.date(2026, 1, 1))).changed_of_answered is None  # nothing answered


def test_filters_incubator_region_and_dates(session: Session, world: World) -> None:
    latgale = Filters(incubator_id=incubator_id(session, "LATGALE"))
    funnel = outcome_funnel(session, actor=world.manager, filters=latgale)
    assert [r.code for r in funnel.incubators] == ["LATGALE"]  # no programme row either
    assert _counts(funnel.total) == (2, 0, 0, 1, 1)
    vidzeme = outcome_funnel(session, actor=world.manager, filters=Filters(region_code="VIDZEME"))
    assert [r.code for r in vidzeme.incubators] == ["VIDZEME"]
    assert vidzeme.total.submitted == 3
    spring = Filters(date_from=dt.date(2025, 4, 1), date_to=dt.date(2025, 6, 30))
    funnel = outcome_funnel(session, actor=world.manager, filters=spring)
    assert _counts(funnel.total) == (4, 2, 1, 1, 1)
    assert [(q.year, q.quarter) for q in funnel.quarters] == [(2025, 2)]
    assert submitting_organizations(session, actor=world.manager, filters=latgale).total == 2
    assert [r.ref for r in deadlines(session, actor=world.manager, filters=latgale,
                                     on=ON).rows] == [_ref(session, world, "D2"),
                                                      "RIGA-2025-1"]
    places = institutions(session, actor=world.manager, filters=spring)
    # documents first monitored in the period: D5 only (the rest since March)
    assert {r.institution: (r.documents, r.opinions) for r in places} == {
        TM: (0, 1), LJM: (0, 2), DGV: (1, 1)}


def _ref(session: Session, world: World, key: str) -> str:
    from db.models import Document
    row = session.get(Document, world.docs[key])
    assert row is not None
    return row.ref


def test_joint_opinion_counts_once_as_opinion_and_once_per_organisation(
        session: Session, world: World) -> None:
    top = opinions_per_document(session, actor=world.manager, filters=ALL)
    assert [(r.document_id, r.opinions, r.organizations) for r in top] == [
        (world.docs["D1"], 2, 2), (world.docs["D2"], 2, 1), (world.docs["D3"], 1, 1),
        (world.docs["D5"], 1, 1)]
    assert (top[0].answered, top[0].changed) == (2, 2)
    found = submitting_organizations(session, actor=world.manager, filters=ALL)
    assert found.listed and found.total == 3
    assert [(r.organization_id, r.opinions, r.joint, r.last_submitted_on) for r in found.rows] \
        == [(world.orgs["A"], 3, 1, dt.date(2025, 7, 1)),
            (world.orgs["C"], 2, 0, dt.date(2025, 6, 1)),
            (world.orgs["B"], 2, 1, dt.date(2025, 5, 20))]
    assert found.total == dialogue_value(session, world.manager,
                                         IndicatorMethod.OPINION_ORGANIZATIONS, ALL, None, None)
    assert [(r.region_code, r.organizations) for r in found.by_region] == [
        ("LATGALE", 1), ("VIDZEME", 2)]
    page = submitting_organizations(session, actor=world.manager, filters=ALL, limit=1,
                                    offset=1)
    assert [r.organization_id for r in page.rows] == [world.orgs["C"]] and page.total == 3


def test_deadlines_upcoming_first_then_overdue(session: Session, world: World) -> None:
    result = deadlines(session, actor=world.manager, filters=ALL, on=ON)
    assert [(r.document_id, r.days_left, r.overdue) for r in result.rows] == [
        (world.docs["D2"], 3, False), (world.docs["D1"], 10, False),
        (world.docs["D5"], -2, True), (world.docs["D3"], -5, True)]
    assert (result.total, result.upcoming, result.overdue) == (4, 2, 2)
    d2, d1, d5, d3 = result.rows
    assert d2.incubator_codes == ["LATGALE", "VIDZEME"] and not d2.programme
    assert d3.incubator_codes == ["VIDZEME"] and d3.programme
    assert d5.is_tap is False and d2.is_tap is True
    assert (d2.opinions, d1.opinions) == (2, 2)  # D1's draft and deleted ones do not count
    funder = deadlines(session, actor=world.funder, filters=ALL, on=ON)
    assert funder.rows[0].opinions == 1  # D2's opinion awaiting review is not a funder's
    page = deadlines(session, actor=world.manager, filters=ALL, on=ON, limit=1, offset=1)
    assert [r.document_id for r in page.rows] == [world.docs["D1"]] and page.total == 4
    until = deadlines(session, actor=world.manager, on=ON,
                      filters=Filters(date_to=dt.date(2025, 6, 15)))
    assert [r.document_id for r in until.rows] == [world.docs["D5"], world.docs["D3"]]


def test_institutions_most_engaged(session: Session, world: World) -> None:
    rows = institutions(session, actor=world.manager, filters=ALL)
    assert [(r.institution, r.documents, r.opinions, r.answered, r.changed) for r in rows] == [
        (TM, 2, 3, 2, 2), (LJM, 2, 2, 1, 0), (DGV, 1, 1, 0, 0)]
    assert rows[0].answered_share == pytest.approx(2 / 3, abs=1e-4)
    assert [r.institution for r in institutions(session, actor=world.manager, filters=ALL,
                                                limit=1)] == [TM]


def test_funders_get_aggregates_and_never_a_note_or_summary(session: Session,
                                                            world: World) -> None:
    found = submitting_organizations(session, actor=world.funder, filters=ALL)
    assert not found.listed and found.rows == [] and found.total == 3
    for who in (world.funder, world.manager, world.staff):
        results: list[Any] = [
            deadlines(session, actor=who, filters=ALL, on=ON),
            opinions_per_document(session, actor=who, filters=ALL),
            outcome_funnel(session, actor=who, filters=ALL),
            changed_share(session, actor=who, filters=ALL),
            institutions(session, actor=who, filters=ALL),
            submitting_organizations(session, actor=who, filters=ALL)]
        for result in results:
            dumped = str([r.model_dump() for r in result]) if isinstance(result, list) \
                else result.model_dump_json()
            assert NOTE not in dumped
    funnel = outcome_funnel(session, actor=world.funder, filters=ALL)
    assert _counts(funnel.total) == (5, 3, 2, 1, 1)  # approved only, whatever is asked
    asked = Filters(include_submitted=True)
    assert outcome_funnel(session, actor=world.funder, filters=asked).total.submitted == 5


def test_empty_register(session: Session) -> None:
    manager = actor(session, Role.MANAGER)
    funnel = outcome_funnel(session, actor=manager, filters=ALL)
    assert funnel.total.submitted == 0 and funnel.quarters == []
    assert funnel.total.changed_of_submitted is None
    assert len(funnel.incubators) == 4  # every incubator, with zeros
    assert deadlines(session, actor=manager, filters=ALL).total == 0
    assert opinions_per_document(session, actor=manager, filters=ALL) == []
    assert institutions(session, actor=manager, filters=ALL) == []
    assert submitting_organizations(session, actor=manager, filters=ALL).total == 0


# The charts: pure builders over the read models --------------------------------------------

def _funnel() -> OutcomeFunnel:
    vidzeme = IncubatorOutcomes(incubator_id=3, code="VIDZEME", name_lv="V", name_en="V",
                                taken=2, partly=1, not_taken=1, pending=2)
    zemgale = IncubatorOutcomes(incubator_id=4, code="ZEMGALE", name_lv="Z", name_en="Z")
    own = IncubatorOutcomes(incubator_id=None, code=PROGRAMME, name_lv="", name_en="",
                            no_answer=1)
    return OutcomeFunnel(
        incubators=[vidzeme, zemgale, own],
        total=Outcomes(taken=2, partly=1, not_taken=1, pending=2, no_answer=1),
        quarters=[QuarterOutcomes(year=2025, quarter=1, taken=2, no_answer=1),
                  QuarterOutcomes(year=2025, quarter=3, partly=1, not_taken=1, pending=2)])


def test_funnel_chart_bands_per_incubator_with_opinions() -> None:
    figure = dialogue_charts.outcome_funnel(_funnel(), {"VIDZEME": "Vidzemes inkubators"}, "lv")
    assert [trace.name for trace in figure.data] == ["Vidzemes inkubators", "Programma"]
    assert list(figure.data[0].x) == [6, 4, 3] and list(figure.data[1].x) == [1, 0, 0]
    assert list(figure.data[0].y) == ["Iesniegti viedokļi", "Saņemta atbilde",
                                      "Ņemti vērā pilnībā vai daļēji"]
    english = dialogue_charts.outcome_funnel(_funnel(), {}, "en")
    assert english.layout.title.text.startswith("Opinions: submitted")
    assert english.layout.separators == ".,"


def test_outcomes_by_quarter_stacked_by_outcome() -> None:
    figure = dialogue_charts.outcomes_by_quarter(_funnel(), "en")
    assert figure.layout.barmode == "stack"
    assert [trace.name for trace in figure.data] == [
        "taken into account", "partly taken into account", "not taken into account",
        "no answer", "pending"]
    assert list(figure.data[0].x) == ["2025 Q1", "2025 Q3"]
    assert [list(trace.y) for trace in figure.data] == [[2, 0], [0, 1], [0, 1], [1, 0], [0, 2]]
    assert dialogue_charts.outcomes_by_quarter(_funnel(), "lv").data[0].name == "ņemts vērā"


def test_institutions_chart_most_engaged_on_top_and_which_charts() -> None:
    rows = [InstitutionRow(institution=TM, documents=2, opinions=3, answered=2, changed=2),
            InstitutionRow(institution=LJM, documents=4, opinions=1, answered=0, changed=0)]
    figure = dialogue_charts.institutions(rows, "lv")
    assert list(figure.data[0].y) == [LJM, TM]  # drawn from the bottom: the top one last
    assert list(figure.data[0].x) == [1, 3] and list(figure.data[1].x) == [4, 2]
    assert figure.data[0].name == "Iesniegtie viedokļi"
    assert list(dialogue_charts.dialogue_charts(_funnel(), rows, {}, "lv")) == [
        "funnel", "over_time", "institutions"]
    empty = OutcomeFunnel(incubators=[], total=Outcomes(), quarters=[])
    assert dialogue_charts.dialogue_charts(empty, [], {}, "en") == {}
