"""The demo's civic-dialogue register (tracker.demo.dialogue): documents monitored and
opinions instead of opinion milestones and typed-in figures, believable and keeping every
rule of the register, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.enums import ANSWERED_OUTCOMES, IndicatorMethod, Role
from db.models import (
    Cohort,
    Document,
    DocumentMonitoring,
    Enrollment,
    Indicator,
    IndicatorEntry,
    Milestone,
    Opinion,
    OpinionAuthor,
)
from tests.conftest import BACKENDS, PostgresServer
from tracker import demo
from tracker.analytics.progress import indicator_value
from tracker.analytics.scope import Filters
from tracker.auth import Actor
from tracker.demo.plan import DATA_START, DemoDataRefused
from tracker.refdata import init_database
from tracker.schemas.common import parse
from tracker.schemas.dialogue import DocumentCreate, document_ref, is_tap_number

TODAY = dt.date(2026, 7, 1)  # mid-programme, as tests/tracker/test_demo.py
AS_OF = TODAY - dt.timedelta(days=1)
FUNDER = Actor(user_id=None, email="funder@test.lv", role=Role.FUNDER)


@pytest.fixture(scope="module", params=BACKENDS)
def demo_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[tuple[Engine, demo.DemoSummary]]:
    """The demo data set, once per backend, only read by the tests."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('demo_dialogue') / 'tracker.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        url = server.new_database()
    engine = make_engine(url)
    init_database(engine)
    summary = demo.generate(engine, seed=3, progress=False, today=TODAY)
    yield engine, summary
    engine.dispose()


def _rows(engine: Engine, model: type[Any]) -> list[Any]:
    with Session(engine) as session:
        return list(session.scalars(select(model)))


def _monitoring(engine: Engine) -> dict[int, list[DocumentMonitoring]]:
    found: dict[int, list[DocumentMonitoring]] = {}
    for row in _rows(engine, DocumentMonitoring):
        found.setdefault(row.document_id, []).append(row)
    return found


def _authors(engine: Engine) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for row in _rows(engine, OpinionAuthor):
        found.setdefault(row.opinion_id, []).append(row.organization_id)
    return found


def test_the_register_replaces_opinion_milestones_and_typed_in_documents(
        demo_db: tuple[Engine, demo.DemoSummary]) -> None:
    engine, summary = demo_db
    with Session(engine) as session:
        kinds = set(session.scalars(select(Milestone.kind)))
        entries = session.scalar(select(func.count()).select_from(IndicatorEntry).join(
            Indicator, Indicator.id == IndicatorEntry.indicator_id).where(
                Indicator.code == "DOCS_MONITORED"))
        documents = session.scalar(select(func.count()).select_from(Document))
        opinions = session.scalar(select(func.count()).select_from(Opinion))
    assert "opinion_submitted" not in kinds and "grant_applied" in kinds
    assert entries == 0 and summary.indicator_entries == 0
    assert documents == summary.documents and 1_850 <= documents <= 1_950
    assert opinions == summary.opinions and 80 <= opinions <= 140
    assert "documents monitored" in summary.describe()


def test_documents_look_real_and_their_references_are_valid(
        demo_db: tuple[Engine, demo.DemoSummary]) -> None:
    engine, _ = demo_db
    documents = _rows(engine, Document)
    refs = [d.ref for d in documents]
    assert len(set(refs)) == len(refs)
    taps = [d for d in documents if is_tap_number(d.ref)]
    for d in documents:
        assert document_ref(d.ref) == d.ref  # as the schema keeps it: nothing to correct
        assert d.url is not None and d.url.startswith("https://")
        assert d.topics and all(t.strip() for t in d.topics.split(";"))
        # the schema takes every document as it is (title, institution, dates, link, topics)
        parse(DocumentCreate, {"ref": d.ref, "title": d.title, "institution": d.institution,
                               "kind": d.kind, "level": d.level,
                               "published_on": d.published_on.isoformat(),
                               "deadline": d.deadline.isoformat() if d.deadline else "",
                               "adopted_on": d.adopted_on.isoformat() if d.adopted_on else "",
                               "url": d.url, "topics": d.topics, "note": d.note or ""})
    for d in taps:  # `25-TA-1427`: the year published, the portal's link
        year, _, number = d.ref.split("-")
        assert year in ("24", "25", "26") and int(year) == d.published_on.year % 100
        assert 1 <= int(number) <= 9_999 and d.level == "national"
        assert d.url.startswith("https://tapportals.mk.gov.lv/legal_acts/")
    others = [d for d in documents if not is_tap_number(d.ref)]
    assert all(re.match(r"^(\d+/Lp1[45]|COM\(20\d\d\) \d+|[A-Z]+-(SN|PL|NOL)-20\d\d-\d+)$",
                        d.ref) for d in others), [d.ref for d in others][:5]
    levels = Counter(d.level for d in documents)
    kinds = Counter(d.kind for d in documents)
    assert 0.5 < len(taps) / len(documents) < 0.7
    assert levels["national"] > levels["municipal"] > levels["eu"] > 0
    assert set(kinds) == {"law", "cabinet_regulation", "policy_document",
                          "municipal_binding_regulation", "eu_act", "other"}
    assert all(d.institution.endswith("pašvaldība") for d in documents
               if d.level == "municipal")
    assert any(d.title.startswith("Grozījumi Biedrību un nodibinājumu likumā")
               for d in documents)
    assert 0 < sum(1 for d in documents if d.note) < 0.1 * len(documents)


def test_document_dates_and_monitoring_are_consistent(
        demo_db: tuple[Engine, demo.DemoSummary]) -> None:
    engine, _ = demo_db
    documents = _rows(engine, Document)
    monitoring = _monitoring(engine)
    for d in documents:
        assert d.published_on <= AS_OF and d.published_on.weekday() < 5
        assert d.deadline is None or d.deadline >= d.published_on
        assert d.adopted_on is None or d.published_on <= d.adopted_on <= AS_OF
        assert d.adopted_on is None or d.deadline is None or d.adopted_on >= d.deadline
        rows = monitoring[d.id]  # every document is monitored, by one incubator or two
        assert 1 <= len(rows) <= 2 and all(r.incubator_id is not None for r in rows)
        assert all(d.published_on <= r.monitored_from <= AS_OF
                   and r.monitored_from >= DATA_START for r in rows)
        assert d.created_by_id is not None
    shared = sum(1 for rows in monitoring.values() if len(rows) == 2)
    assert 0.08 * len(documents) < shared < 0.3 * len(documents)
    # the page has deadlines ahead in the next weeks, and some passed without adoption
    ahead = [d for d in documents if d.deadline and d.deadline >= TODAY]
    assert len(ahead) >= 20 and all(d.deadline <= TODAY + dt.timedelta(weeks=9) for d in ahead)
    assert any(d.deadline and d.deadline < TODAY and d.adopted_on is None for d in documents)
    assert sum(1 for d in documents if d.adopted_on) > 0.5 * len(documents)
    with Session(engine) as session:  # every incubator follows documents
        assert session.scalar(select(func.count(func.distinct(
            DocumentMonitoring.incubator_id)))) == 4


def test_opinions_are_on_documents_their_incubator_monitors_by_its_organisations(
        demo_db: tuple[Engine, demo.DemoSummary]) -> None:
    engine, _ = demo_db
    opinions = _rows(engine, Opinion)
    monitoring = _monitoring(engine)
    authors = _authors(engine)
    with Session(engine) as session:
        enrolled = {(org, inc) for org, inc in session.execute(
            select(Enrollment.organization_id, Cohort.incubator_id)
            .join(Cohort, Cohort.id == Enrollment.cohort_id)
            .where(Enrollment.admitted_on.is_not(None)))}
    refs = Counter((o.incubator_id, o.external_ref) for o in opinions)
    assert max(refs.values()) == 1  # unique within the incubator
    for o in opinions:
        since = {r.incubator_id: r.monitored_from for r in monitoring[o.document_id]}
        assert o.incubator_id in since and since[o.incubator_id] <= o.submitted_on <= AS_OF
        orgs = authors[o.id]
        assert 1 <= len(orgs) <= 3 and len(set(orgs)) == len(orgs)
        assert any((org, o.incubator_id) in enrolled for org in orgs)
        assert o.summary and len(o.summary) > 20 and o.author_id is not None
    joint = sum(1 for o in opinions if len(authors[o.id]) > 1)
    assert 0.07 * len(opinions) <= joint <= 0.25 * len(opinions)
    assert {len(orgs) for orgs in authors.values()} == {1, 2, 3}
    assert len({o.document_id for o in opinions}) > 0.6 * len(opinions)
    assert set(Counter(o.channel for o in opinions)) == {
        "tap_portal", "letter", "consultation_meeting", "working_group"}
    assert 0 < sum(1 for o in opinions if o.note) < 0.25 * len(opinions)


def test_outcomes_answers_and_review_statuses(demo_db: tuple[Engine, demo.DemoSummary]
                                             ) -> None:
    engine, _ = demo_db
    opinions = _rows(engine, Opinion)
    answered = {o.value for o in ANSWERED_OUTCOMES}
    for o in opinions:
        if o.outcome in answered:  # an answer carries its date: after the opinion, not ahead
            assert o.answered_on is not None and o.submitted_on <= o.answered_on <= AS_OF
        else:
            assert o.answered_on is None
        if o.outcome == "no_answer":  # given up on after months
            assert o.submitted_on <= AS_OF - dt.timedelta(days=100)
        assert (o.submitted_at is None) == (o.status == "draft")
        assert (o.review_comment is not None) == (o.status == "returned")
        assert o.created_at <= o.updated_at
        assert o.updated_at.date() <= AS_OF
    outcomes = Counter(o.outcome for o in opinions)
    statuses = Counter(o.status for o in opinions)
    assert set(outcomes) == {"pending", "taken_into_account", "partly_taken_into_account",
                             "not_taken_into_account", "no_answer"}
    assert statuses["approved"] > 0.8 * len(opinions)
    assert statuses["submitted"] + statuses["draft"] + statuses["returned"] > 0
    old = [o for o in opinions if o.submitted_on < AS_OF - dt.timedelta(days=90)]
    assert all(o.status in ("approved", "returned") for o in old)
    recent = [o for o in opinions if o.submitted_on > AS_OF - dt.timedelta(days=21)]
    assert all(o.outcome == "pending" for o in recent)


def test_the_indicators_count_the_register(demo_db: tuple[Engine, demo.DemoSummary]) -> None:
    """What the funder sees: every document once, approved opinions, their authors."""
    engine, summary = demo_db
    authors = _authors(engine)
    approved = [o for o in _rows(engine, Opinion) if o.status == "approved"]
    with Session(engine) as session:
        indicators = {i.code: i for i in session.scalars(select(Indicator))}
        values = {code: int(indicator_value(session, FUNDER, indicators[code], Filters(),
                                            None, None))
                  for code in ("DOCS_MONITORED", "OPINIONS_SUBMITTED", "ORGS_WITH_OPINIONS")}
    assert indicators["DOCS_MONITORED"].method == IndicatorMethod.DOCUMENTS_MONITORED.value
    assert values == {
        "DOCS_MONITORED": summary.documents, "OPINIONS_SUBMITTED": len(approved),
        "ORGS_WITH_OPINIONS": len({org for o in approved for org in authors[o.id]})}
    assert values["OPINIONS_SUBMITTED"] >= 50 and values["ORGS_WITH_OPINIONS"] >= 40


def test_ids_continue_after_the_register(demo_db: tuple[Engine, demo.DemoSummary]) -> None:
    """PostgreSQL's sequences moved past the ids the generator chose."""
    engine, summary = demo_db
    with engine.connect() as conn, conn.begin() as transaction:
        session = Session(bind=conn, join_transaction_mode="create_savepoint")
        document = Document(ref="26-TA-99999", title="Jauns likumprojekts", kind="law",
                            level="national", institution="Saeima")
        session.add(document)
        session.flush()
        session.add(DocumentMonitoring(document_id=document.id, incubator_id=None,
                                       incubator_key=0, monitored_from=AS_OF))
        opinion = Opinion(document_id=document.id, submitted_on=AS_OF, channel="letter",
                          summary="Viedoklis")
        session.add(opinion)
        session.flush()
        assert document.id > summary.documents and opinion.id > summary.opinions
        session.close()
        transaction.rollback()


def test_a_database_with_register_rows_is_refused(new_database_url: str) -> None:
    engine = make_engine(new_database_url)
    try:
        init_database(engine)
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO documents (ref, title, kind, level, search, version, created_at, "
                "updated_at) VALUES ('25-TA-1', 'Likumprojekts', 'law', 'national', '25-ta-1', "
                "1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        with pytest.raises(DemoDataRefused, match="documents"):
            demo.generate(engine, progress=False, today=TODAY)
        with Session(engine) as session:  # nothing else was written
            assert session.scalar(select(func.count()).select_from(Opinion)) == 0
            assert session.scalar(select(func.count()).select_from(Document)) == 1
    finally:
        engine.dispose()
