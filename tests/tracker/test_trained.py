"""People trained: distinct people whose attended hours of the rule's activity types reached
the rule (default 12 hours of trainings), counted on the day they reached it. Expected
values by hand, on SQLite and PostgreSQL; the kept table (`trained_people`) is compared
with a recount after every kind of write."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from db.engine import make_engine, make_session_factory, unit_of_work
from db.enums import AuditAction, IndicatorMethod, Role
from db.models import Activity, Attendance, AuditLog, Indicator, Program, Target
from tests import factories as f
from tracker.analytics import Filters, indicator_progress, rollups
from tracker.analytics.forecast import ForecastStatus, indicator_forecasts
from tracker.analytics.scope import counted_statuses, incubators_in_scope
from tracker.analytics.trained import dates, people_trained, way
from tracker.auth import Actor
from tracker.errors import PermissionDenied, ValidationFailed
from tracker.refdata import init_database
from tracker.schemas import PersonCreate
from tracker.services import activities, people, review, trained

D = dt.date.fromisoformat
_refs = itertools.count(1)


def _person(session: Session, incubator: str = "VIDZEME") -> int:
    return people.create_person(session, actor=f.ADMIN, data=PersonCreate(
        incubator_id=f.incubator_id(session, incubator), ref=f"T-{next(_refs)}",
        first_name="Anna", last_name="Bērziņa", consent_date=D("2025-01-02"))).id


def _log(session: Session, day: str, hours: str, attendees: list[tuple[int, str | None]],
         kind: str = "training", status: str = "approved", incubator: str = "VIDZEME",
         by: Actor = f.ADMIN) -> int:
    return f.activity(session, by=by, incubator=incubator, type=kind, activity_date=day,
                      hours=hours, status=status, total_participants=max(len(attendees), 1),
                      attendees=[{"person_id": p, "hours": h} for p, h in attendees]).id


def _value(session: Session, actor: Actor = f.ADMIN, filters: Filters | None = None,
           date_from: str | None = None, date_to: str | None = None) -> int:
    return people_trained(session, actor, filters or Filters(),
                          D(date_from) if date_from else None,
                          D(date_to) if date_to else None,
                          (filters or Filters()).activity_type)[0]


def _exact(session: Session) -> None:
    """The kept days equal a recount from the attendances."""
    session.flush()
    assert rollups.differences(session)["trained_people"] == 0


def _progress(session: Session, actor: Actor = f.ADMIN, **filters: Any) -> Any:
    rows = indicator_progress(session, actor=actor, filters=Filters(**filters), year=2025)
    return next(r for r in rows if r.code == "PEOPLE_TRAINED")


# --- the rule -------------------------------------------------------------------------


def test_twelve_hours_make_a_person_trained_and_eleven_and_a_half_do_not(session: Session
                                                                         ) -> None:
    short, enough = _person(session), _person(session)
    _log(session, "2025-03-03", "8", [(short, None), (enough, None)])
    _log(session, "2025-03-10", "4", [(short, "3.5"), (enough, None)])
    _exact(session)

    assert _value(session) == 1
    row = _progress(session)
    assert (row.actual, row.target, row.actual_year) == (1, 40, 1)
    assert row.method is IndicatorMethod.PEOPLE_TRAINED
    assert (row.name_en, row.unit_en, row.unit_lv) == (
        "NGO leaders and members trained", "people", "personas")
    # the person's card says the same
    cards = {p: people.get_person(session, actor=f.ADMIN, person_id=p) for p in (short, enough)}
    assert (cards[short].trained_hours, cards[short].trained) == (Decimal("11.5"), False)
    assert (cards[enough].trained_hours, cards[enough].trained) == (Decimal(12), True)


def test_hundredths_add_up_exactly(session: Session) -> None:
    """Twelve attendances of 1.01 h and one of 0.88 h: exactly 13 h, and 12 h at the 12th
    row would not be reached (12.12 h is): the sum is exact on SQLite's floats too."""
    person = _person(session)
    for day in range(1, 12):
        _log(session, f"2025-04-{day:02d}", "2", [(person, "1.01")])
    assert _value(session) == 0  # 11.11 h
    _log(session, "2025-04-20", "2", [(person, "0.89")])
    _exact(session)
    assert _value(session) == 1  # 12.00 h exactly
    assert people.get_person(session, actor=f.ADMIN, person_id=person).trained_hours == 12


def test_no_hours_of_their_own_means_the_whole_activity(session: Session) -> None:
    whole, part = _person(session), _person(session)
    _log(session, "2025-05-05", "12", [(whole, None), (part, "6")])
    assert _value(session) == 1
    assert people.get_person(session, actor=f.ADMIN, person_id=part).trained_hours == 6


def test_only_the_rules_activity_types_count(session: Session) -> None:
    person = _person(session)
    for kind in ("workshop", "consultation", "study_visit"):
        _log(session, "2025-05-06", "12", [(person, None)], kind=kind)
    _exact(session)
    assert _value(session) == 0
    _log(session, "2025-05-07", "12", [(person, None)])
    assert _value(session) == 1


def test_drafts_returned_and_deleted_activities_never_count(session: Session) -> None:
    manager = f.actor(session, Role.MANAGER)
    staff = f.actor(session, Role.STAFF)
    person = _person(session)
    _log(session, "2025-06-02", "12", [(person, None)], status="draft", by=staff)
    returned = _log(session, "2025-06-03", "12", [(person, None)], status="submitted",
                    by=staff)
    review.return_activity(session, actor=manager, activity_id=returned,
                           version=session.get(Activity, returned).version,  # type: ignore
                           comment="Trūkst saraksta")
    counted = _log(session, "2025-06-04", "12", [(person, None)], status="submitted")
    _exact(session)
    assert _value(session) == 1
    assert _value(session, manager) == 1
    row = session.get(Activity, counted)
    assert row is not None
    activities.delete_activity(session, actor=manager, activity_id=counted,
                               version=row.version)
    _exact(session)
    assert _value(session) == _value(session, manager) == 0
    assert not people.get_person(session, actor=f.ADMIN, person_id=person).trained


def test_funders_count_approved_activities_only(session: Session) -> None:
    funder, manager = f.actor(session, Role.FUNDER), f.actor(session, Role.MANAGER)
    person = _person(session)
    _log(session, "2025-02-03", "8", [(person, None)])
    submitted = _log(session, "2025-02-10", "4", [(person, None)], status="submitted")
    _exact(session)
    assert _value(session, manager) == 1
    assert _value(session, funder) == 0
    assert _value(session, manager, Filters(include_submitted=False)) == 0
    assert _progress(session, funder).actual == 0
    version = session.get(Activity, submitted).version  # type: ignore[union-attr]
    review.approve_activity(session, actor=manager, activity_id=submitted, version=version)
    _exact(session)
    assert _value(session, funder) == 1


def test_a_person_counts_once_however_many_trainings(session: Session) -> None:
    person = _person(session)
    for day in ("2025-01-13", "2025-04-14", "2025-08-11", "2026-02-02"):
        _log(session, day, "12", [(person, None)])
    assert _value(session) == 1
    assert _value(session, date_from="2025-02-01") == 0  # trained in January


def test_the_day_a_person_became_trained_decides_the_period(session: Session) -> None:
    """a: 8 h in Q1 and 4 h in Q2 (trained in Q2); b: 12 h in Q1; c: 6 h in Q1, 3 h in Q2,
    3 h in Q4 2025 (trained in Q4); d: 6 h only."""
    a, b, c, d = (_person(session) for _ in range(4))
    _log(session, "2025-02-03", "8", [(a, None), (c, "6")])
    _log(session, "2025-03-31", "12", [(b, None), (d, "6")])
    _log(session, "2025-04-01", "4", [(a, None), (c, "3")])
    _log(session, "2025-11-20", "3", [(c, None)])
    _exact(session)
    quarters = {q: _value(session, date_from=start, date_to=end) for q, (start, end) in {
        "Q1": ("2025-01-01", "2025-03-31"), "Q2": ("2025-04-01", "2025-06-30"),
        "Q3": ("2025-07-01", "2025-09-30"), "Q4": ("2025-10-01", "2025-12-31"),
        "2026": ("2026-01-01", "2026-12-31")}.items()}
    assert quarters == {"Q1": 1, "Q2": 1, "Q3": 0, "Q4": 1, "2026": 0}
    assert sum(quarters.values()) == _value(session) == 3
    row = _progress(session, date_from=D("2025-04-01"))
    assert (row.actual, row.actual_year) == (2, 2)


def test_region_incubator_and_type_filters(session: Session) -> None:
    vidzeme, latgale = _person(session), _person(session, "LATGALE")
    _log(session, "2025-03-03", "12", [(vidzeme, None)])
    _log(session, "2025-03-04", "12", [(latgale, None)], incubator="LATGALE")
    _exact(session)
    assert _value(session) == 2
    assert _value(session, filters=Filters(region_code="VIDZEME")) == 1
    assert _value(session, filters=Filters(region_code="RIGA")) == 0  # no incubator there
    assert _value(session, filters=Filters(
        incubator_id=f.incubator_id(session, "LATGALE"))) == 1
    assert _value(session, filters=Filters(activity_type="training")) == 2
    assert _value(session, filters=Filters(activity_type="workshop")) == 0
    # a region's targets are not split: its value is shown without one
    assert _progress(session, region_code="VIDZEME").target is None


def test_a_view_the_table_does_not_hold_is_worked_out_from_the_attendances(session: Session
                                                                           ) -> None:
    """A rule of two types narrowed by a type filter: hours of that type alone count."""
    person, other = _person(session), _person(session)
    _log(session, "2025-03-03", "8", [(person, None), (other, None)])
    _log(session, "2025-03-04", "4", [(person, None), (other, None)], kind="workshop")
    _log(session, "2025-03-05", "4", [(other, None)])
    trained.set_training_rule(session, actor=f.ADMIN, min_hours=Decimal(12),
                              activity_types=["training", "workshop"])
    _exact(session)
    assert _value(session) == 2
    narrowed = Filters(activity_type="training")
    assert way(session, f.ADMIN, narrowed, "training").key is None  # the attendances
    assert _value(session, filters=narrowed) == 1  # other: 12 h of trainings
    assert _value(session, filters=Filters(activity_type="workshop")) == 0


def test_the_kept_days_equal_the_attendances_under_every_view(session: Session) -> None:
    """Submitted and approved trainings in two incubators, and a person whose activities lie
    in both (moved by hand): every viewer, scope and period counts the same from the kept
    table as from the attendances themselves."""
    manager, funder = f.actor(session, Role.MANAGER), f.actor(session, Role.FUNDER)
    v1, v2, v3, both = (_person(session) for _ in range(4))
    l1 = _person(session, "LATGALE")
    _log(session, "2025-02-03", "8", [(v1, None), (v2, None), (both, None)])
    _log(session, "2025-05-05", "4", [(v1, None), (v2, "3"), (both, None)],
         status="submitted")
    _log(session, "2025-09-09", "6", [(v2, None), (v3, None)])
    _log(session, "2026-01-12", "6", [(v3, None)])
    _log(session, "2025-03-03", "12", [(l1, None)], incubator="LATGALE")
    moved = _log(session, "2025-07-07", "4", [(both, None)])
    session.execute(update(Activity).where(Activity.id == moved).values(
        incubator_id=f.incubator_id(session, "LATGALE")))
    _exact(session)
    rule = trained.training_rule(session)
    scopes = [Filters(), Filters(region_code="VIDZEME"), Filters(region_code="LATGALE"),
              Filters(incubator_id=f.incubator_id(session, "LATGALE"))]
    periods = [(None, None), ("2025-01-01", "2025-06-30"), ("2025-07-01", "2026-12-31")]
    seen = set()
    for actor, submitted in ((manager, True), (manager, False), (funder, True)):
        for scope in scopes:
            filters = Filters(region_code=scope.region_code, incubator_id=scope.incubator_id,
                              include_submitted=submitted)
            assert way(session, actor, filters, None).key is not None  # from the table
            worked_out = dates(statuses=counted_statuses(actor, filters),
                               activity_types=rule.activity_types, min_hours=rule.min_hours,
                               incubators=incubators_in_scope(filters)
                               if filters.region_code or filters.incubator_id else None)
            for start, end in periods:
                where = [worked_out.c.trained_on >= D(start)] if start else []
                where += [worked_out.c.trained_on <= D(end)] if end else []
                direct = session.scalar(select(func.count()).select_from(worked_out)
                                        .where(*where))
                kept = _value(session, actor, filters, start, end)
                assert kept == direct, (actor.role, filters, start, end)
                seen.add(kept)
    assert len(seen) > 2  # the views really differ
    # by hand: with submitted ones v1 (May), v2 (Sept), v3 (Jan 2026), l1 (March) and both
    # (May: 8 + 4 at Vidzeme); approved only v2 (8 + 6), v3, l1 and both (8 at Vidzeme and 4
    # at Latgale in July), not v1 (8); at Vidzeme alone, both has 12 with the submitted 4
    assert _value(session, manager) == 5
    assert _value(session, funder) == 4
    assert _value(session, funder, Filters(region_code="VIDZEME")) == 2  # v2, v3
    assert _value(session, manager, Filters(region_code="VIDZEME")) == 4
    assert _value(session, funder, Filters(region_code="LATGALE")) == 1


# --- changing the rule -------------------------------------------------------------------


def test_changing_the_rule_changes_the_value_and_is_audited(session: Session) -> None:
    person, other = _person(session), _person(session)
    _log(session, "2025-03-03", "8", [(person, None), (other, "5")])
    _log(session, "2025-03-10", "6", [(person, None)], kind="workshop")
    assert _value(session) == 0

    rule = trained.set_training_rule(session, actor=f.ADMIN, min_hours=Decimal(8),
                                     activity_types=["training"])
    assert (rule.min_hours, rule.activity_types) == (Decimal(8), ("training",))
    _exact(session)
    assert _value(session) == 1
    assert "8" in _progress(session).help_text("en")

    trained.set_training_rule(session, actor=f.ADMIN, min_hours=Decimal("12.5"),
                              activity_types=["workshop", "training"])
    _exact(session)
    assert _value(session) == 1  # 8 + 6 = 14 h of the two types
    row = _progress(session)
    assert row.rule_types == ("training", "workshop")
    assert "12.5" in row.help_text("en") and "workshop" in row.help_text("en")
    assert "12,5" in row.help_text("lv")

    entries = session.scalars(select(AuditLog).where(AuditLog.entity == "training_rule")
                              .order_by(AuditLog.id)).all()
    assert [e.action for e in entries] == [AuditAction.UPDATE.value] * 2
    assert entries[-1].after == {"min_hours": "12.50", "activity_types": ["training",
                                                                          "workshop"]}
    assert entries[-1].before == {"min_hours": "8.00", "activity_types": ["training"]}


@pytest.mark.parametrize("role", [Role.MANAGER, Role.STAFF, Role.FUNDER])
def test_only_an_administrator_changes_the_rule(session: Session, role: Role) -> None:
    with pytest.raises(PermissionDenied):
        trained.set_training_rule(session, actor=f.actor(session, role), min_hours=Decimal(8),
                                  activity_types=["training"])
    assert trained.training_rule(session).min_hours == 12


@pytest.mark.parametrize(("hours", "types", "field"), [
    (Decimal(0), ["training"], "min_hours"),
    (Decimal(-3), ["training"], "min_hours"),
    (Decimal(1001), ["training"], "min_hours"),
    (Decimal("NaN"), ["training"], "min_hours"),
    (Decimal(12), [], "activity_types"),
    (Decimal(12), ["training", "party"], "activity_types")])
def test_a_wrong_rule_is_refused_naming_the_field(session: Session, hours: Decimal,
                                                  types: list[str], field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        trained.set_training_rule(session, actor=f.ADMIN, min_hours=hours,
                                  activity_types=types)
    assert [e.field for e in refused.value.errors] == [field]
    rule = trained.training_rule(session)
    assert (rule.min_hours, rule.activity_types) == (Decimal(12), ("training",))


# --- the forecast ------------------------------------------------------------------------


def test_forecast_of_people_trained(session: Session) -> None:
    """As of 30.04.2025 (120 days elapsed, 610 left): 2 trained in January, 1 in March, 1 in
    April; one more in May, after the as-of date."""
    who = [_person(session) for _ in range(5)]
    _log(session, "2025-01-15", "12", [(who[0], None), (who[1], None)])
    _log(session, "2025-03-20", "6", [(who[2], None), (who[3], None)])
    _log(session, "2025-03-27", "6", [(who[2], None)])
    _log(session, "2025-04-10", "6", [(who[3], None)])
    _log(session, "2025-05-05", "12", [(who[4], None)])
    rows = indicator_forecasts(session, actor=f.ADMIN, filters=Filters(),
                               as_of=D("2025-04-30"))
    row = next(r for r in rows if r.code == "PEOPLE_TRAINED")
    assert (row.value, row.target, row.elapsed_days, row.remaining_days) == (
        Decimal(4), Decimal(40), 120, 610)
    assert [float(m.value) for m in row.months] == [2, 0, 1, 1]
    assert row.pace == pytest.approx(4 / 120)
    assert row.projection == pytest.approx(4 + 4 / 120 * 610)
    assert row.needed_pace == pytest.approx(36 / 610)
    assert row.status is ForecastStatus.OFF_TRACK  # even the high end (about 29) is short
    assert row.help_text("en") and "12" in row.help_text("en")  # type: ignore[operator]
    late = next(r for r in indicator_forecasts(session, actor=f.ADMIN, filters=Filters(),
                                               as_of=D("2026-12-31"))
                if r.code == "PEOPLE_TRAINED")
    assert late.value == 5 and sum(m.value for m in late.months) == 5


# --- the kept table under every write path ------------------------------------------------


def test_the_kept_days_follow_every_kind_of_write(session: Session) -> None:
    """Attendance added, changed and removed, an activity's hours, date, type, status and
    incubator changed by hand-typed SQL, an activity deleted outright, and a bulk write with
    the triggers off: after each the table equals a recount."""
    a, b, c = _person(session), _person(session), _person(session)
    first = _log(session, "2025-03-03", "8", [(a, None), (b, "4")])
    second = _log(session, "2025-03-10", "4", [(a, None)])
    _exact(session)
    assert _value(session) == 1
    steps = [
        "UPDATE attendances SET hours = 3.5 WHERE activity_id = {second}",
        "UPDATE attendances SET hours = NULL WHERE activity_id = {second}",
        "UPDATE activities SET hours = 3 WHERE id = {second}",
        "UPDATE activities SET hours = 4, activity_date = '2025-02-01' WHERE id = {second}",
        "UPDATE activities SET type = 'workshop' WHERE id = {second}",
        "UPDATE activities SET type = 'training', status = 'draft' WHERE id = {second}",
        "UPDATE activities SET status = 'approved' WHERE id = {second}",
        "INSERT INTO attendances (activity_id, person_id, hours) VALUES ({second}, {b}, 4)",
        "UPDATE attendances SET hours = 8 WHERE activity_id = {first} AND person_id = {b}",
        "UPDATE attendances SET person_id = {c} WHERE activity_id = {second} "
        "AND person_id = {b}",
        "UPDATE activities SET incubator_id = {latgale} WHERE id = {first}",
        "DELETE FROM attendances WHERE activity_id = {first} AND person_id = {a}",
        "DELETE FROM activities WHERE id = {second}",
    ]
    vidzeme = Filters(region_code="VIDZEME")
    values = []
    for step in steps:
        session.execute(text(step.format(first=first, second=second, a=a, b=b, c=c,
                                         latgale=f.incubator_id(session, "LATGALE"))))
        _exact(session)
        values.append((_value(session), _value(session, filters=vidzeme)))
    # a (12 h at first) goes 11.5, 12, 11, 12 (in February now), 8, 8 (a draft), 12; b 8,
    # then 12; b's second attendance is c's (b 8 again); the first moves to Latgale (a's
    # 8 h there); a leaves the first (4 h); the second is deleted outright
    assert values == [(0, 0), (1, 1), (0, 0), (1, 1), (0, 0), (0, 0), (1, 1), (1, 1),
                      (2, 2), (1, 1), (1, 0), (0, 0), (0, 0)]
    assert session.scalar(select(func.count()).select_from(Attendance).where(
        Attendance.activity_id == second)) == 0
    # a bulk write switches the triggers off and recounts at the end
    with rollups.bulk(session, rollups.BULK_MIN_ROWS) as switched_off:
        assert switched_off and not rollups.triggers_on(session)
        session.execute(update(Activity).where(Activity.id == first).values(hours=12))
        session.execute(update(Attendance).where(Attendance.activity_id == first)
                        .values(hours=None))  # b: 12 h
    assert rollups.triggers_on(session)
    _exact(session)
    assert _value(session) == 1


# --- tracker init --------------------------------------------------------------------------


def test_init_turns_the_attendance_sum_into_people_trained_keeping_targets(
        new_database_url: str) -> None:
    engine = make_engine(new_database_url)
    try:
        init_database(engine)
        factory = make_session_factory(engine)
        with unit_of_work(factory) as session:  # as an older version left it
            session.execute(text("DELETE FROM indicators WHERE code = 'TRAINING_ATTENDANCES'"))
            old = session.scalars(select(Indicator).where(
                Indicator.code == "PEOPLE_TRAINED")).one()
            old.method, old.parameter = "attendees", "training"
            old.name_lv, old.name_en = "Apmācību apmeklējumi", "Training attendances"
            old.unit_lv, old.unit_en = "apmeklējumi", "attendances"
            vidzeme = f.incubator_id(session, "VIDZEME")
            session.add(Target(indicator_id=old.id, incubator_id=vidzeme, year=2026,
                               target_value=Decimal(15), incubator_key=vidzeme,
                               year_key=2026))
            session.flush()
            targets = [(t.id, t.incubator_id, t.year, t.target_value) for t in
                       session.scalars(select(Target).where(Target.indicator_id == old.id))]
            assert len(targets) == 2
            indicator_id = old.id
        for _ in range(2):  # and again: nothing more changes
            init_database(engine)
            with unit_of_work(factory) as session:
                row = session.get(Indicator, indicator_id)
                assert row is not None
                assert (row.code, row.method, row.parameter) == (
                    "PEOPLE_TRAINED", "people_trained", None)
                assert (row.name_en, row.unit_lv) == ("NGO leaders and members trained",
                                                      "personas")
                assert [(t.id, t.incubator_id, t.year, t.target_value) for t in
                        session.scalars(select(Target).where(
                            Target.indicator_id == indicator_id))] == targets
                attendances = session.scalars(select(Indicator).where(
                    Indicator.code == "TRAINING_ATTENDANCES")).one()
                assert (attendances.method, attendances.parameter, attendances.name_en) == (
                    "attendees", "training", "Training attendances")
                assert session.scalar(select(func.count()).select_from(Target).where(
                    Target.indicator_id == attendances.id)) == 0
    finally:
        engine.dispose()


def test_a_new_programme_starts_with_the_default_rule(session: Session) -> None:
    program = session.scalars(select(Program)).first()
    assert program is not None
    assert (program.trained_min_hours, program.trained_activity_types) == (
        Decimal(12), ["training"])
