"""The naive baseline's people trained (pandas over the attendances read whole) equals the
overview's, and a count by hand, under filters and a changed rule (both databases)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from bench.naive import overview_numbers_naive
from db.enums import Role
from tests import factories as f
from tracker.analytics import Filters
from tracker.analytics.overview import comparable, overview_numbers
from tracker.schemas import PersonCreate
from tracker.services import activities
from tracker.services.people import create_person
from tracker.services.trained import set_training_rule

WHOLE = Filters(date_from=dt.date(2025, 1, 1), date_to=dt.date(2026, 12, 31))
VALMIERA, DAUGAVPILS = "0054000", "0002000"


def _person(session: Session, incubator: str, ref: str, org: int) -> int:
    return create_person(session, actor=f.ADMIN, data=PersonCreate.model_validate({
        "incubator_id": f.incubator_id(session, incubator), "ref": ref, "first_name": "Anna",
        "last_name": ref, "consent_date": "2025-01-10",
        "memberships": [{"organization_id": org, "role": "member"}]})).id


def _build(session: Session) -> None:
    """Vidzeme: p1 reaches 12 hours only with a submitted training, p2 only with a later one
    (a workshop between does not count), p3 with part of a day and then a whole one, p4 in
    2026; Latgale: q1 at once, q2 half an hour short, and a deleted training of q2's."""
    a = f.organization(session, municipality_atvk=VALMIERA).id
    b = f.organization(session, municipality_atvk=DAUGAVPILS).id
    p1, p2, p3, p4 = (_person(session, "VIDZEME", f"P{n}", a) for n in range(1, 5))
    q1, q2 = (_person(session, "LATGALE", f"Q{n}", b) for n in range(1, 3))

    def held(incubator: str, kind: str, day: str, hours: str, status: str, org: int,
             named: list[tuple[int, str | None]]) -> Any:
        return f.activity(session, incubator=incubator, type=kind, activity_date=day,
                          hours=hours, status=status,
                          participations=[{"organization_id": org, "attendees": len(named)}],
                          total_participants=len(named),
                          attendees=[{"person_id": p, "hours": h} for p, h in named])

    held("VIDZEME", "training", "2025-03-10", "8", "approved", a,
         [(p1, None), (p2, None), (p3, "2"), (p4, None)])
    held("VIDZEME", "training", "2025-03-20", "12", "approved", a, [(p3, None)])
    held("VIDZEME", "training", "2025-06-10", "6", "submitted", a, [(p1, None), (p2, "3")])
    held("VIDZEME", "workshop", "2025-07-01", "4", "approved", a, [(p2, None)])
    held("VIDZEME", "training", "2025-11-05", "4", "approved", a, [(p2, None)])
    held("VIDZEME", "training", "2026-02-01", "16", "approved", a, [(p4, None)])
    held("LATGALE", "training", "2025-10-01", "12", "approved", b, [(q1, None), (q2, "11.5")])
    gone = held("LATGALE", "training", "2025-10-20", "3", "submitted", b, [(q2, None)])
    activities.delete_activity(session, actor=f.ADMIN, activity_id=gone.id,
                               version=gone.version)
    session.flush()


def _both(session: Session, role: Role, filters: Filters, year: int
          ) -> tuple[tuple[float, float], tuple[float, float]]:
    """People trained (whole, in `year`) the naive way and the overview's."""
    actor = f.actor(session, role)
    fast = comparable(overview_numbers(session, actor=actor, filters=filters, year=year))
    naive = overview_numbers_naive(session.connection(), actor=actor, filters=filters,
                                   year=year)
    assert naive == fast  # every other number of the overview agrees too
    return naive["indicators"]["PEOPLE_TRAINED"], fast["indicators"]["PEOPLE_TRAINED"]


def test_naive_people_trained_equals_the_overview_and_a_count_by_hand(session: Session
                                                                        ) -> None:
    _build(session)
    latgale_q4 = Filters(region_code="LATGALE", date_from=dt.date(2025, 10, 1),
                         date_to=dt.date(2025, 12, 31))
    types = {kind: Filters(date_from=WHOLE.date_from, date_to=WHOLE.date_to,
                           activity_type=kind) for kind in ("training", "workshop")}
    # (role, filters, year) -> (whole, in the year), counted by hand
    expected = {
        (Role.MANAGER, WHOLE, 2025): (5.0, 4.0),  # p1 p2 p3 q1 in 2025, p4 in 2026
        (Role.MANAGER, WHOLE, 2026): (5.0, 1.0),
        (Role.FUNDER, WHOLE, 2025): (4.0, 3.0),  # p1's submitted training is out
        (Role.MANAGER, latgale_q4, 2025): (1.0, 1.0),  # q1; q2 short, the deleted one out
        (Role.MANAGER, types["training"], 2025): (5.0, 4.0),
        (Role.MANAGER, types["workshop"], 2025): (0.0, 0.0),  # not a type of the rule
    }
    found = {case: _both(session, *case) for case in expected}
    assert {case: naive for case, (naive, _) in found.items()} == expected
    assert {case: fast for case, (_, fast) in found.items()} == expected


def test_naive_people_trained_follows_a_changed_rule(session: Session) -> None:
    _build(session)
    set_training_rule(session, actor=f.ADMIN, min_hours=Decimal("11.5"),
                      activity_types=["training", "workshop"])
    session.flush()
    # q2 now reaches it; p2 reaches it with the workshop on 1 July (8 + 3 + 4 >= 11.5)
    naive, fast = _both(session, Role.MANAGER, WHOLE, 2025)
    assert naive == fast == (6.0, 5.0)
    one_day = Filters(date_from=dt.date(2025, 7, 1), date_to=dt.date(2025, 7, 1))
    naive, fast = _both(session, Role.MANAGER, one_day, 2025)
    assert naive == fast == (1.0, 1.0)  # p2, on the workshop's day
