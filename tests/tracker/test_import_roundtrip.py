"""Export -> import into an empty database -> export again gives the same file, for every kind,
in CSV and Excel, with English and Latvian headings; importing an export into the database it
came from changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.engine import make_engine
from db.enums import Role
from db.models import Cohort, Indicator, IndicatorEntry
from tests import factories as f
from tests.conftest import BACKENDS
from tests.tracker.test_imports import manual_indicator
from tracker.auth import Actor
from tracker.errors import PermissionDenied
from tracker.imports import service
from tracker.imports.files import read_upload
from tracker.refdata import init_database
from tracker.schemas import (
    AssessmentCreate,
    EnrollmentCreate,
    EnrollmentStatusChange,
    MilestoneCreate,
    PersonCreate,
    parse,
)
from tracker.schemas.dialogue import DocumentCreate, MonitoringIn, OpinionCreate
from tracker.services import (
    activities,
    assessments,
    documents,
    enrollments,
    milestones,
    opinions,
    organizations,
    people,
)

ADMIN = Actor.system()


@pytest.fixture(params=BACKENDS)
def engines(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[list[Engine]]:
    """Three new databases with reference data: the source and two empty targets."""
    made = []
    for n in range(3):
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('roundtrip') / f'db{n}.db'}"
        else:
            url = request.getfixturevalue("postgres_server").new_database()
        engine = make_engine(url)
        init_database(engine)
        with Session(engine) as session:
            manual_indicator(session)  # an indicator counted by hand, in every database
            f.cohort(session, "VIDZEME", number=1)
            f.cohort(session, "LATGALE", number=2)
            session.commit()
        made.append(engine)
    yield made
    for engine in made:
        engine.dispose()


def _fill(session: Session) -> None:
    """Every kind, with the values that are easy to get wrong."""
    ziedi = f.organization(session, name="Biedrība „Ūdensrozes”", legal_form="foundation",
                           fields_of_activity=["vide", "kultūra"], founded_on="2010-02-03",
                           members=12, volunteers=0, contact_name="Ēriks Ķuzis",
                           contact_email="eriks@ziedi.lv", contact_phone="+371 2000 1111")
    bare = f.organization(session, name="=Formulas biedrība", municipality_atvk=None)
    gone = f.organization(session, name="Dzēstā")
    organizations.delete_organization(session, actor=ADMIN, organization_id=gone.id,
                                      version=gone.version)
    vidzeme = session.scalars(select(Cohort).where(Cohort.number == 1)).one()
    ilze = people.create_person(session, actor=ADMIN, data=parse(PersonCreate, {
        "incubator_id": f.incubator_id(session), "ref": "=P-1", "first_name": "Ilze",
        "last_name": "Ērgle", "consent_date": "2025-03-01", "gender": "female",
        "memberships": [{"organization_id": ziedi.id, "role": "leader"}]}))
    people.create_person(session, actor=ADMIN, data=parse(PersonCreate, {
        "incubator_id": f.incubator_id(session, "LATGALE"), "ref": "P-2", "first_name": "Jānis",
        "last_name": "Ozols", "birth_date": "1961-04-05", "consent_date": "2025-03-01",
        "consent_withdrawn": "2025-04-01", "rural": "yes"}))
    joined = enrollments.enroll(session, actor=ADMIN, data=EnrollmentCreate(
        organization_id=ziedi.id, cohort_id=vidzeme.id, applied_on=dt.date(2025, 2, 3),
        note="=pieteikums"))
    enrollments.change_enrollment_status(
        session, actor=ADMIN, enrollment_id=joined.id, data=EnrollmentStatusChange(
            status="admitted", on_date=dt.date(2025, 2, 20), version=joined.version))
    f.activity(session, external_ref="-5 % atlaide", title="-5 % atlaide", hours="1.25",
               capacity_areas=["finance", "advocacy"], cohort_id=vidzeme.id,
               total_participants=7, next_steps="@kopā; nākamreiz",
               participations=[{"organization_id": ziedi.id, "attendees": 2},
                               {"organization_id": bare.id, "attendees": 5}],
               attendees=[{"person_id": ilze.id, "hours": "0,5"}])
    f.activity(session, incubator="LATGALE", title="'Pēdiņās'", format="online",
               municipality_atvk=None, activity_date="14.03.2026", status="approved",
               capacity_areas=[], total_participants=1,
               participations=[{"organization_id": bare.id, "attendees": 1}])
    deleted = f.activity(session, external_ref="X", total_participants=0)
    activities.delete_activity(session, actor=ADMIN, activity_id=deleted.id,
                               version=deleted.version)
    scores = {a: 1 + i % 4 for i, a in enumerate(assessments.AREAS)}
    assessments.record_assessment(session, actor=ADMIN, data=AssessmentCreate(
        organization_id=ziedi.id, cohort_id=vidzeme.id, kind="intake",
        assessed_on=dt.date(2025, 3, 1), scores=scores, notes="Sākums\notrā rinda"))
    assessments.record_assessment(session, actor=ADMIN, data=AssessmentCreate(
        organization_id=bare.id, kind="follow_up", assessed_on=dt.date(2026, 5, 1),
        scores=dict.fromkeys(assessments.AREAS, 4)))
    milestones.record_milestone(session, actor=ADMIN, data=MilestoneCreate(
        organization_id=ziedi.id, incubator_id=f.incubator_id(session), kind="grant_awarded",
        achieved_on=dt.date(2025, 6, 30), amount_eur="1234.5", reference="LAD 17",
        description="+ jauns projekts"))
    milestones.record_milestone(session, actor=ADMIN, data=MilestoneCreate(
        organization_id=bare.id, kind="new_members", achieved_on=dt.date(2025, 7, 1)))
    mentions = session.scalars(select(Indicator.id).where(
        Indicator.code == "MEDIA_MENTIONS")).one()
    session.add_all([IndicatorEntry(indicator_id=mentions, incubator_id=None,
                                    entry_date=dt.date(2025, 3, 31), value=Decimal("12"),
                                    note="=ceturksnis"),
                     IndicatorEntry(indicator_id=mentions,
                                    incubator_id=f.incubator_id(session, "LATGALE"),
                                    entry_date=dt.date(2025, 3, 31), value=Decimal("3.5"))])
    session.flush()
    doc = documents.create_document(session, actor=ADMIN, data=parse(DocumentCreate, {
        "ref": "24-ta-1427", "title": "=Grozījumi", "institution": "-Ministrija",
        "kind": "law", "level": "national", "topics": "NVO; @jaunatne", "note": "iekšēja",
        "incubator_id": f.incubator_id(session), "monitored_from": "2025-03-03"}))
    documents.monitor_document(session, actor=ADMIN, document_id=doc.id, data=MonitoringIn(
        incubator_id=f.incubator_id(session, "LATGALE"), monitored_from=dt.date(2025, 4, 1)))
    opinions.create_opinion(session, actor=ADMIN, data=parse(OpinionCreate, {
        "document_id": doc.id, "organization_ids": [ziedi.id, bare.id],
        "incubator_id": f.incubator_id(session), "submitted_on": "2025-03-10",
        "channel": "letter", "summary": "+ kopīgs viedoklis", "outcome": "taken_into_account",
        "answered_on": "2025-04-01"}))


def _export(engine: Engine, fmt: str, lang: str) -> dict[str, bytes]:
    with Session(engine) as session:
        return {kind: service.export_file(session, actor=ADMIN, kind=kind, fmt=fmt,
                                          lang=lang)[0] for kind in service.KINDS}


def _import(engine: Engine, files: dict[str, bytes], fmt: str) -> dict[str, tuple[int, ...]]:
    outcome: dict[str, tuple[int, ...]] = {}
    with Session(engine) as session:
        for kind in service.KINDS:
            report = service.run_import(session, actor=ADMIN, kind=kind, data=files[kind],
                                        filename=f"{kind}.{fmt}", dry_run=False)
            assert report.problems == (), [p.message("en") for p in report.problems]
            outcome[kind] = (report.created, report.updated, report.unchanged)
        session.commit()
    return outcome


def test_export_import_export_gives_the_same_files(engines: list[Engine]) -> None:
    source, target_csv, target_xlsx = engines
    with Session(source) as session:
        _fill(session)
        session.commit()

    first = _export(source, "csv", "en")
    created = _import(target_csv, first, "csv")
    second = _export(target_csv, "csv", "en")

    assert created == {"organizations": (2, 0, 0), "cohorts": (0, 0, 2),
                       "enrollments": (1, 0, 0), "people": (2, 0, 0), "attendance": (1, 0, 0),
                       "activities": (2, 0, 0),
                       "participations": (3, 0, 0), "assessments": (2, 0, 0),
                       "milestones": (2, 0, 0), "indicator_entries": (2, 0, 0),
                       "documents": (2, 0, 0), "opinions": (1, 0, 0)}
    assert second == first
    text = first["activities"].decode("utf-8-sig")
    assert "'-5 % atlaide" in text and "'@kopā; nākamreiz" in text and "#" in text
    assert "Ēriks Ķuzis" in first["organizations"].decode("utf-8-sig")

    workbooks = _export(source, "xlsx", "lv")
    _import(target_xlsx, workbooks, "xlsx")
    again = _export(target_xlsx, "xlsx", "lv")
    for kind in service.KINDS:
        assert read_upload(again[kind], "x.xlsx") == read_upload(workbooks[kind], "x.xlsx")
    assert _export(target_xlsx, "csv", "en") == first

    # the source's own export, imported back into it, changes nothing
    assert set(_import(source, first, "csv").values()) == {(0, 0, 1), (0, 0, 2), (0, 0, 3)}


def test_staff_export_their_incubator_and_funders_none(engines: list[Engine]) -> None:
    source = engines[0]
    with Session(source) as session:
        _fill(session)
        staff = f.actor(session, Role.STAFF, "LATGALE")
        table = service.export_records(session, actor=staff, kind="activities", lang="lv")
        parts = service.export_records(session, actor=staff, kind="participations")
        assert [r[1] for r in table.rows] == ["LATGALE"]
        assert table.columns[0] == "Atsauce" and table.rows[0][11] == "apstiprināta"
        assert [r[1] for r in parts.rows] == ["LATGALE"]
        with pytest.raises(PermissionDenied):
            service.export_records(session, actor=Actor(None, "f@x.lv", Role.FUNDER),
                                   kind="organizations")
