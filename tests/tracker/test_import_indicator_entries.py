"""Values of the indicators counted by hand (an indicator an administrator added with method
`manual`; none is by default) from spreadsheets: created, recognised again, updated; computed
indicators (documents monitored among them: the register counts those), other incubators and
closed quarters refused by row and column, nothing written; the overview counts what was
loaded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import Role
from db.models import IndicatorEntry, PeriodClosure
from tests import factories as f
from tests.dialogue_factories import document
from tests.tracker.test_imports import csv_file, manual_indicator, messages, run
from tracker.analytics.progress import indicator_progress
from tracker.analytics.scope import Filters
from tracker.auth import Actor

HEADER = ["indicator", "incubator", "date", "value", "note"]


def _entries(session: Session) -> list[tuple[object, ...]]:
    return [tuple(r) for r in session.execute(
        select(IndicatorEntry.incubator_id, IndicatorEntry.entry_date, IndicatorEntry.value,
               IndicatorEntry.note).order_by(IndicatorEntry.id))]


def _counted(session: Session, code: str = "MEDIA_MENTIONS") -> Decimal:
    progress = indicator_progress(session, actor=Actor.system(), filters=Filters(), year=2025)
    return next(p.actual for p in progress if p.code == code)


def test_values_are_created_recognised_updated_and_counted(session: Session) -> None:
    manual_indicator(session)
    assert _counted(session) == 0
    vidzeme = f.incubator_id(session, "VIDZEME")
    data = csv_file([HEADER, ["media_mentions", "VIDZEME", "31.03.2025", "12", "1. ceturksnis"],
                     ["MEDIA_MENTIONS", "", "2025-06-30", "7,5", ""]])
    report = run(session, "indicator_entries", data)
    assert messages(report) == [] and report.created == 2
    assert _entries(session)[-2:] == [
        (vidzeme, dt.date(2025, 3, 31), Decimal("12.00"), "1. ceturksnis"),
        (None, dt.date(2025, 6, 30), Decimal("7.50"), None)]
    assert _counted(session) == Decimal("19.5")
    assert run(session, "indicator_entries", data).unchanged == 2
    changed = run(session, "indicator_entries", csv_file(
        [["indicator", "incubator", "date", "value"],
         ["MEDIA_MENTIONS", "VIDZEME", "2025-03-31", "14"]]))
    assert (changed.updated, changed.created) == (1, 0)
    assert _counted(session) == Decimal("21.5")


def test_bad_values_are_named_and_nothing_is_written(session: Session) -> None:
    manual_indicator(session)
    count = len(_entries(session))
    report = run(session, "indicator_entries", csv_file([
        HEADER, ["ORGS_SUPPORTED", "", "2025-03-31", "12", ""],
        ["NOPE", "", "2025-03-31", "12", ""],
        ["MEDIA_MENTIONS", "", "2024-03-31", "12", ""],
        ["MEDIA_MENTIONS", "", "2025-03-31", "-1", ""],
        ["MEDIA_MENTIONS", "RIGA", "2025-03-31", "1", ""]]))
    assert not report.written
    assert [(p.row, p.column) for p in report.problems] == [
        (2, "indicator"), (3, "indicator"), (4, "date"), (5, "value"), (6, "incubator")]
    assert messages(report)[0].startswith("this indicator is computed from the data")
    assert len(_entries(session)) == count


def test_staff_give_their_own_incubators_values_in_open_quarters(session: Session) -> None:
    manual_indicator(session)
    staff = f.actor(session, Role.STAFF, "LATGALE")
    latgale = f.incubator_id(session, "LATGALE")
    session.add(PeriodClosure(incubator_id=latgale, year=2025, quarter=1))
    session.flush()
    report = run(session, "indicator_entries", csv_file([
        HEADER, ["MEDIA_MENTIONS", "", "2025-06-30", "4", ""],
        ["MEDIA_MENTIONS", "VIDZEME", "2025-06-30", "4", ""],
        ["MEDIA_MENTIONS", "LATGALE", "2025-03-31", "4", ""]]), actor=staff, valid_only=True)
    assert [(p.row, p.column) for p in report.problems] == [(3, "incubator"), (4, "date")]
    assert messages(report)[1].startswith("Quarter 2025 Q1 is closed")
    assert report.created == 1
    assert _entries(session)[-1][:3] == (latgale, dt.date(2025, 6, 30), Decimal("4.00"))


def test_documents_monitored_are_not_typed_in(session: Session) -> None:
    """DOCS_MONITORED is counted from the civic-dialogue register now: a row for it is refused,
    named by row and column, whoever imports it and however it is spelt, and nothing is
    written, not even the good row beside it; the figure stays what the register says."""
    manual_indicator(session)
    document(session, incubators=["VIDZEME", None])  # one document, counted once
    count = len(_entries(session))
    assert _counted(session, "DOCS_MONITORED") == 1
    for actor in (Actor.system(), f.actor(session, Role.MANAGER),
                  f.actor(session, Role.STAFF, "VIDZEME")):
        report = run(session, "indicator_entries", csv_file([
            HEADER, ["MEDIA_MENTIONS", "", "2025-06-30", "3", ""],
            ["DOCS_MONITORED", "", "2025-03-31", "12", ""],
            ["docs_monitored", "VIDZEME", "2025-06-30", "5", ""]]), actor=actor)
        assert not report.written
        assert [(p.row, p.column, p.value, p.code) for p in report.problems] == [
            (3, "indicator", "DOCS_MONITORED", "import_indicator_not_manual"),
            (4, "indicator", "docs_monitored", "import_indicator_not_manual")]
        assert "civic-dialogue register" in messages(report)[0]
        assert "whoever runs the database" in messages(report)[0]
    assert len(_entries(session)) == count
    assert _counted(session, "DOCS_MONITORED") == 1
