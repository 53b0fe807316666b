"""The three civic-dialogue indicators on the overview and in the forecast: the same numbers
under every filter and role, the forecast's months adding up to its value, targets and
status as for every indicator (both databases)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from db.enums import Role
from tests import dialogue_factories as d
from tests import factories as f
from tracker.analytics.forecast import indicator_forecasts
from tracker.analytics.progress import indicator_progress
from tracker.analytics.scope import Filters
from tracker.auth import Actor

CODES = ("DOCS_MONITORED", "OPINIONS_SUBMITTED", "ORGS_WITH_OPINIONS")
AS_OF = dt.date(2026, 3, 31)


def _world(session: Session) -> None:
    """Documents monitored by one incubator, by two (from different days), by the programme,
    a deleted one; opinions joint and single, in every status, one after as-of."""
    a, b, c = (f.organization(session) for _ in range(3))
    shared = d.document(session, incubators={"VIDZEME": dt.date(2025, 3, 3),
                                             "KURZEME": dt.date(2025, 9, 1)})
    d.document(session, incubators=["KURZEME"], monitored_from=dt.date(2025, 5, 5))
    d.document(session, incubators=[None], monitored_from=dt.date(2026, 1, 7))
    d.document(session, incubators=["LATGALE"], monitored_from=dt.date(2026, 2, 2),
               deleted_at=dt.datetime(2026, 2, 3, tzinfo=dt.UTC))
    d.opinion(session, shared, authors=[a, b], incubator_id="VIDZEME",
              submitted_on=dt.date(2025, 4, 1))
    d.opinion(session, shared, authors=[b], incubator_id="KURZEME",
              submitted_on=dt.date(2025, 10, 1), outcome="taken_into_account")
    d.opinion(session, shared, authors=[c], incubator_id="KURZEME", status="submitted",
              submitted_on=dt.date(2026, 1, 10))
    d.opinion(session, shared, authors=[c], incubator_id="VIDZEME", status="draft",
              submitted_on=dt.date(2026, 1, 11))
    d.opinion(session, shared, authors=[c], incubator_id="VIDZEME",
              submitted_on=dt.date(2026, 6, 1))  # after as-of


@pytest.mark.parametrize("role", [Role.MANAGER, Role.FUNDER])
def test_forecast_months_add_up_to_the_overviews_value(session: Session, role: Role) -> None:
    _world(session)
    actor = Actor(user_id=None, email="x@test.lv", role=role)
    vidzeme = f.incubator_id(session, "VIDZEME")
    for filters in (Filters(), Filters(incubator_id=vidzeme), Filters(region_code="KURZEME")):
        scoped = Filters(region_code=filters.region_code, incubator_id=filters.incubator_id,
                         date_to=AS_OF)
        overview = {p.code: p.actual for p in indicator_progress(
            session, actor=actor, filters=scoped, year=2026) if p.code in CODES}
        forecasts = {p.code: p for p in indicator_forecasts(
            session, actor=actor, filters=filters, as_of=AS_OF) if p.code in CODES}
        for code in CODES:
            forecast = forecasts[code]
            assert forecast.value == overview[code], (code, filters)
            assert sum(m.value for m in forecast.months) == forecast.value, (code, filters)


def test_the_numbers_of_a_hand_made_register(session: Session) -> None:
    _world(session)
    manager = Actor(user_id=None, email="m@test.lv", role=Role.MANAGER)
    funder = Actor(user_id=None, email="f@test.lv", role=Role.FUNDER)

    def values(actor: Actor, **filters: object) -> tuple[int, ...]:
        rows = {p.code: int(p.actual) for p in indicator_progress(
            session, actor=actor, filters=Filters(date_to=AS_OF, **filters),  # type: ignore[arg-type]
            year=2026)}
        return tuple(rows[c] for c in CODES)

    # documents: shared once, Kurzeme's, the programme's (not the deleted one)
    # opinions: the joint one once, Kurzeme's approved, and for managers the submitted one
    assert values(funder) == (3, 2, 2)
    assert values(manager) == (3, 3, 3)
    assert values(funder, incubator_id=f.incubator_id(session, "KURZEME")) == (2, 1, 1)
    assert values(funder, region_code="VIDZEME") == (1, 1, 2)
    # a year: documents on the first day of monitoring, opinions on their day
    assert values(funder, date_from=dt.date(2026, 1, 1)) == (1, 0, 0)


def test_staff_count_other_incubators_opinions_once_approved(session: Session) -> None:
    """The figures staff see on the Civic dialogue page match what they may read."""
    from tracker.analytics.dialogue_stats import outcome_funnel

    _world(session)
    vidzeme = Actor(user_id=None, email="s@test.lv", role=Role.STAFF,
                    incubator_id=f.incubator_id(session, "VIDZEME"))
    kurzeme = Actor(user_id=None, email="k@test.lv", role=Role.STAFF,
                    incubator_id=f.incubator_id(session, "KURZEME"))
    filters = Filters(date_to=AS_OF)
    # Kurzeme's submitted opinion counts for Kurzeme's staff, not for Vidzeme's
    assert outcome_funnel(session, actor=kurzeme, filters=filters).total.submitted == 3
    assert outcome_funnel(session, actor=vidzeme, filters=filters).total.submitted == 2
