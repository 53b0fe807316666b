"""Reference data: `tracker init` loads it, and loading it again brings an existing database's
indicator names up to date without touching its targets."""

from __future__ import annotations

from sqlalchemy import select, update

from db.engine import make_engine, make_session_factory, unit_of_work
from db.enums import IndicatorMethod
from db.models import Indicator, Target
from tracker.refdata import INDICATORS, init_database

ATTENDANCES = ("Apmācību apmeklējumi", "Training attendances", "apmeklējumi", "attendances")
TRAINED = ("Apmācīti NVO vadītāji un biedri", "NGO leaders and members trained", "personas",
           "people")


def test_each_training_indicator_is_named_as_what_it_counts() -> None:
    specs = {s.code: s for s in INDICATORS}
    trained, attendances = specs["PEOPLE_TRAINED"], specs["TRAINING_ATTENDANCES"]
    assert (trained.name_lv, trained.name_en, trained.unit_lv, trained.unit_en) == TRAINED
    assert (trained.method, trained.parameter, trained.targets) == (
        IndicatorMethod.PEOPLE_TRAINED, None, {None: 40})
    assert (attendances.name_lv, attendances.name_en, attendances.unit_lv,
            attendances.unit_en) == ATTENDANCES
    assert (attendances.method, attendances.parameter, attendances.targets) == (
        IndicatorMethod.ATTENDEES, "training", {})


def test_init_renames_existing_indicators_and_keeps_their_targets(new_database_url: str
                                                                 ) -> None:
    engine = make_engine(new_database_url)
    try:
        init_database(engine)
        factory = make_session_factory(engine)
        with unit_of_work(factory) as session:  # a database made by an older version
            session.execute(update(Indicator).where(Indicator.code == "PEOPLE_TRAINED").values(
                name_lv="Apmācību apmeklējumi", name_en="Training attendances",
                unit_lv="apmeklējumi", unit_en="attendances"))
            targets_before = session.scalars(select(Target.target_value).order_by(
                Target.id)).all()
        versions = []
        for _ in range(2):  # and running it again changes nothing
            init_database(engine)
            with unit_of_work(factory) as session:
                row = session.scalars(select(Indicator).where(
                    Indicator.code == "PEOPLE_TRAINED")).one()
                assert (row.name_lv, row.name_en, row.unit_lv, row.unit_en) == TRAINED
                assert session.scalars(select(Target.target_value).order_by(
                    Target.id)).all() == targets_before
                versions.append(row.version)
        assert versions[0] == versions[1]
    finally:
        engine.dispose()
