"""Migration 0012 moves what was recorded before the civic-dialogue register into it (opinion
milestones, typed-in documents monitored) and no reported figure changes: on a copy of the
demo data (SQLite), and on hand-made rows with every odd case (both databases)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.migrate import alembic_config
from db.models import Document, Incubator, Indicator, Opinion
from tracker import demo
from tracker.analytics.progress import indicator_value
from tracker.analytics.scope import Filters
from tracker.auth import Actor
from tracker.refdata import init_database
from tracker.schemas.common import parse
from tracker.schemas.dialogue import DocumentCreate
from tracker.services import documents

CODES = ("DOCS_MONITORED", "OPINIONS_SUBMITTED", "ORGS_WITH_OPINIONS")
PERIODS = ((None, None), (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
           (dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
Figures = dict[tuple[str, int | None, dt.date | None], int]


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _old_figures(engine: Engine) -> Figures:
    """The three figures as schema 0011 counted them, for the programme and each incubator,
    over the whole programme and each year."""
    figures: Figures = {}
    with engine.connect() as conn:
        incubators = [None, *conn.execute(text("SELECT id FROM incubators")).scalars()]
        for incubator in incubators:
            for start, end in PERIODS:
                where = " AND incubator_id = :inc" if incubator else ""
                dates = " AND {day} >= :start AND {day} <= :end" if start else ""
                params = {"inc": incubator, "start": start, "end": end}
                docs = conn.execute(text(
                    "SELECT coalesce(sum(value), 0) FROM indicator_entries WHERE indicator_id = "
                    "(SELECT id FROM indicators WHERE code = 'DOCS_MONITORED')"
                    + where + dates.format(day="entry_date")), params).scalar()
                live = ("FROM milestones WHERE kind = 'opinion_submitted' "
                        "AND deleted_at IS NULL" + where + dates.format(day="achieved_on"))
                opinions = conn.execute(text("SELECT count(*) " + live), params).scalar()
                orgs = conn.execute(text("SELECT count(DISTINCT organization_id) " + live),
                                    params).scalar()
                for code, value in zip(CODES, (docs, opinions, orgs), strict=True):
                    figures[(code, incubator, start)] = int(Decimal(str(value)))
    return figures


def _new_figures(engine: Engine) -> Figures:
    figures: Figures = {}
    actor = Actor(user_id=None, email="funder@test.lv", role=Actor.system().role.FUNDER)
    with Session(engine) as session:
        indicators = {i.code: i for i in session.scalars(select(Indicator))}
        incubators = [None, *session.scalars(select(Incubator.id))]
        for incubator in incubators:
            for start, end in PERIODS:
                for code in CODES:
                    figures[(code, incubator, start)] = int(indicator_value(
                        session, actor, indicators[code], Filters(incubator_id=incubator),
                        start, end))
    return figures


@pytest.fixture
def engine(new_database_url: str) -> Iterator[Engine]:
    engine = make_engine(new_database_url)
    yield engine
    engine.dispose()


def test_the_demo_datas_figures_stay_through_the_migration(tmp_path: Path) -> None:
    """The demo at the newest schema, taken down to 0011 (its register back to milestones and
    typed-in figures) and up again: every figure, for the programme and each incubator, over
    the programme and each year, is what 0011 counted."""
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    init_database(engine)
    demo.generate(engine, progress=False)
    command.downgrade(alembic_config(_url(engine)), "0011")
    before = _old_figures(engine)
    assert before[("OPINIONS_SUBMITTED", None, None)] > 0
    assert before[("DOCS_MONITORED", None, None)] > 0

    command.upgrade(alembic_config(_url(engine)), "head")

    assert _new_figures(engine) == before
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM milestones WHERE kind = "
                                 "'opinion_submitted' AND deleted_at IS NULL")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM indicator_entries WHERE indicator_id = "
                                 "(SELECT id FROM indicators WHERE code = 'DOCS_MONITORED')")
                            ).scalar() == 0
    engine.dispose()


def _insert_old_rows(engine: Engine) -> None:
    """At 0011: opinion milestones (TAP numbers shared and not, a bare reference, none, one
    without an incubator, a deleted one, another kind) and typed-in documents monitored
    (an incubator's, the programme's, a fractional one)."""
    with engine.begin() as conn:
        vidzeme, kurzeme = (conn.execute(text("SELECT id FROM incubators WHERE code = :c"),
                                         {"c": c}).scalar() for c in ("VIDZEME", "KURZEME"))
        for n in (1, 2, 3):
            conn.execute(text(
                "INSERT INTO organizations (reg_no, name, name_search, legal_form, "
                "fields_of_activity, version, created_at, updated_at) VALUES (:reg, :name, "
                ":key, 'association', '[]', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                {"reg": f"4000800000{n}", "name": f"Biedrība {n}", "key": f"biedriba {n}"})
        orgs = list(conn.execute(text("SELECT id FROM organizations ORDER BY id")).scalars())
        milestones = [
            (orgs[0], vidzeme, "2025-03-04", "25-ta-1427", "Par NVO fondu", None),
            (orgs[1], vidzeme, "2025-03-05", "25-TA-1427", "Kopā ar biedrību 1", None),
            (orgs[2], kurzeme, "2025-09-10", "Vēstule domei Nr. 5", None, None),
            (orgs[0], kurzeme, "2026-02-01", None, None, None),
            (orgs[1], None, "2026-03-01", "26-TA-77", "Programmas viedoklis", None),
            (orgs[2], vidzeme, "2025-04-01", "25-TA-9", "Dzēsts", "2025-05-01 10:00:00"),
        ]
        for org, inc, day, ref, text_, deleted in milestones:
            conn.execute(text(
                "INSERT INTO milestones (organization_id, incubator_id, kind, achieved_on, "
                "reference, description, deleted_at, version, created_at, updated_at) VALUES "
                "(:org, :inc, 'opinion_submitted', :day, :ref, :txt, :deleted, 1, "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                {"org": org, "inc": inc, "day": day, "ref": ref, "txt": text_,
                 "deleted": deleted})
        conn.execute(text(
            "INSERT INTO milestones (organization_id, incubator_id, kind, achieved_on, version, "
            "created_at, updated_at) VALUES (:org, :inc, 'grant_awarded', '2025-06-01', 1, "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"), {"org": orgs[0], "inc": vidzeme})
        for inc, day, value in ((vidzeme, "2025-03-31", "35"), (kurzeme, "2025-06-30", "12"),
                                (None, "2026-03-31", "4"), (vidzeme, "2026-06-30", "0")):
            conn.execute(text(
                "INSERT INTO indicator_entries (indicator_id, incubator_id, entry_date, value, "
                "version, created_at, updated_at) SELECT id, :inc, :day, :value, 1, "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM indicators "
                "WHERE code = 'DOCS_MONITORED'"), {"inc": inc, "day": day, "value": value})


def test_old_records_move_into_the_register_and_keep_every_figure(engine: Engine) -> None:
    init_database(engine)
    command.downgrade(alembic_config(_url(engine)), "0011")
    _insert_old_rows(engine)
    before = _old_figures(engine)
    assert before[("OPINIONS_SUBMITTED", None, None)] == 5
    assert before[("ORGS_WITH_OPINIONS", None, None)] == 3
    assert before[("DOCS_MONITORED", None, None)] == 51

    command.upgrade(alembic_config(_url(engine)), "head")

    assert _new_figures(engine) == before
    with Session(engine) as session:
        refs = sorted(session.scalars(select(Document.ref).where(
            Document.ref.not_like("DM-%"))))
        # the shared TAP number is one document (upper-case); the others each their own
        assert refs[:2] == ["25-TA-1427", "26-TA-77"]
        assert len(refs) == 4 and all(r.startswith("MS-") for r in refs[2:])
        assert session.scalar(select(Document.title).where(
            Document.ref.like("MS-%"), Document.title == "Vēstule domei Nr. 5")) is not None
        opinions = list(session.scalars(select(Opinion).order_by(Opinion.submitted_on)))
        assert [o.status for o in opinions] == ["approved"] * 5
        assert [o.channel for o in opinions] == [None] * 5
        assert opinions[0].summary == "Par NVO fondu"
        assert session.scalar(select(Opinion.incubator_id).where(
            Opinion.summary == "Programmas viedoklis")) is None
        # new rows are numbered after the moved ones (PostgreSQL's sequences too)
        made = documents.create_document(session, actor=Actor.system(), data=parse(
            DocumentCreate, {"ref": "26-TA-1", "title": "Jauns likumprojekts",
                             "institution": "Saeima", "kind": "law", "level": "national",
                             "monitored_from": "2026-04-01"}))
        assert made.id > max(d for d in session.scalars(select(Document.id))
                             if d != made.id)
        session.commit()
    with engine.connect() as conn:
        kinds = conn.execute(text("SELECT kind FROM milestones WHERE deleted_at IS NULL")
                             ).scalars().all()
        assert kinds == ["grant_awarded"]  # the other kinds stay milestones

    command.downgrade(alembic_config(_url(engine)), "0011")  # and back, counted as before
    after_down = _old_figures(engine)
    assert after_down[("OPINIONS_SUBMITTED", None, None)] == 5
    assert after_down[("DOCS_MONITORED", None, None)] == 52  # and the one added above
