"""The civic-dialogue register through its services: documents (TAP numbers, links, who may
change them, monitoring and closed quarters), opinions (joint authors, review, answers,
evidence) and the three indicators counted from them, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import ActivityStatus, OpinionOutcome, Role
from db.models import AuditLog, Indicator
from tests import factories as f
from tests.tracker.test_attachments import pdf
from tracker.analytics.progress import indicator_value
from tracker.analytics.scope import Filters
from tracker.auth import Actor
from tracker.errors import (
    DocumentHasOpinions,
    DocumentRefTaken,
    NotAllowed,
    OpinionRefTaken,
    PermissionDenied,
    ValidationFailed,
)
from tracker.schemas.common import parse
from tracker.schemas.dialogue import (
    DocumentCreate,
    DocumentUpdate,
    MonitoringIn,
    OpinionCreate,
    OpinionUpdate,
)
from tracker.services import documents as docs
from tracker.services import opinions as ops
from tracker.services import quarters

DAY = dt.date(2025, 5, 14)  # 2025 Q2


def _doc(session: Session, actor: Actor, **fields: object) -> int:
    data = {"ref": "25-TA-1427", "title": "Grozījumi Biedrību likumā",
            "institution": "Tieslietu ministrija", "kind": "law", "level": "national",
            "monitored_from": DAY.isoformat()} | fields
    return docs.create_document(session, actor=actor,
                                data=parse(DocumentCreate, dict(data))).id


def _opinion(session: Session, actor: Actor, document_id: int, authors: list[int],
             **fields: object) -> int:
    data = {"document_id": document_id, "organization_ids": authors,
            "submitted_on": DAY.isoformat(), "channel": "tap_portal",
            "summary": "Iebilstam pret 5. panta grozījumiem"} | fields
    return ops.create_opinion(session, actor=actor, data=parse(OpinionCreate, dict(data))).id


def _value(session: Session, code: str, actor: Actor | None = None, **filters: object) -> int:
    indicator = session.scalar(select(Indicator).where(Indicator.code == code))
    assert indicator is not None
    return int(indicator_value(session, actor or Actor.system(), indicator,
                               Filters(**filters), None, None))  # type: ignore[arg-type]


def test_a_document_keeps_its_tap_number_upper_case_and_once(session: Session) -> None:
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    saved = docs.get_document(session, actor=staff,
                              document_id=_doc(session, staff, ref=" 25-ta-1427 "))
    assert saved.ref == "25-TA-1427" and saved.is_tap
    assert [m.incubator_code for m in saved.monitoring] == ["VIDZEME"]
    with pytest.raises(DocumentRefTaken):
        _doc(session, f.actor(session, Role.MANAGER), ref="25-TA-1427", title="Cits")
    own = docs.get_document(session, actor=staff, document_id=_doc(
        session, staff, ref="VALMIERA-SN-2025/4", kind="municipal_binding_regulation",
        level="municipal"))
    assert own.ref == "VALMIERA-SN-2025/4" and not own.is_tap


@pytest.mark.parametrize(("field", "value"), [
    ("ref", "2025-TA-1427"), ("ref", "25-TA-"), ("ref", "25-ta-14a"),
    ("url", "javascript:alert(1)"), ("url", "ftp://tap.mk.gov.lv/x"), ("url", "https://"),
    ("deadline", "2025-01-01"),
])
def test_bad_document_fields_are_named(session: Session, field: str, value: str) -> None:
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    with pytest.raises(ValidationFailed) as caught:
        _doc(session, staff, published_on="2025-02-01", **{field: value})
    assert [e.field for e in caught.value.errors] == [field]


def test_who_may_change_a_document(session: Session) -> None:
    vidzeme = f.actor(session, Role.STAFF, "VIDZEME")
    kurzeme = f.actor(session, Role.STAFF, "KURZEME")
    funder = f.actor(session, Role.FUNDER)
    document_id = _doc(session, vidzeme, note="Iekšēja piezīme: zvanīt ministrijai")
    saved = docs.get_document(session, actor=vidzeme, document_id=document_id)
    update = parse(DocumentUpdate, {**saved.model_dump(include={
        "ref", "title", "institution", "kind", "level"}), "title": "Jauns nosaukums",
        "version": saved.version})
    with pytest.raises(PermissionDenied):
        docs.update_document(session, actor=kurzeme, document_id=document_id, data=update)
    with pytest.raises(PermissionDenied):
        _doc(session, funder, ref="25-TA-9")
    # a funder reads the public facts, never the note
    assert docs.get_document(session, actor=funder, document_id=document_id).note is None
    assert all(d.note is None for d in docs.list_documents(session, actor=funder))
    # once Kurzeme monitors it too, its staff may change it
    watched = docs.monitor_document(session, actor=kurzeme, document_id=document_id,
                                    data=MonitoringIn(monitored_from=DAY))
    changed = docs.update_document(session, actor=kurzeme, document_id=document_id,
                                   data=update.model_copy(update={"version": watched.version}))
    assert changed.title == "Jauns nosaukums"
    assert sorted(m.incubator_code or "" for m in changed.monitoring) == ["KURZEME", "VIDZEME"]


def test_documents_monitored_count_each_document_once_from_its_first_day(
        session: Session) -> None:
    vidzeme = f.actor(session, Role.STAFF, "VIDZEME")
    kurzeme = f.actor(session, Role.STAFF, "KURZEME")
    manager = f.actor(session, Role.MANAGER)
    before = _value(session, "DOCS_MONITORED")
    shared = _doc(session, vidzeme, ref="25-TA-2001")
    docs.monitor_document(session, actor=kurzeme, document_id=shared,
                          data=MonitoringIn(monitored_from=dt.date(2025, 8, 1)))
    _doc(session, kurzeme, ref="25-TA-2002")
    gone = _doc(session, manager, ref="25-TA-2003")  # the programme's own
    assert _value(session, "DOCS_MONITORED") == before + 3
    assert _value(session, "DOCS_MONITORED", incubator_id=f.incubator_id(session, "KURZEME")) \
        == 2
    assert _value(session, "DOCS_MONITORED", region_code="VIDZEME") == 1
    docs.delete_document(session, actor=manager, document_id=gone, version=1)
    assert _value(session, "DOCS_MONITORED") == before + 2


def test_a_joint_opinion_counts_once_and_once_for_each_organisation(session: Session) -> None:
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    manager = f.actor(session, Role.MANAGER)
    funder = f.actor(session, Role.FUNDER)
    a, b = f.organization(session).id, f.organization(session).id
    document_id = _doc(session, staff)
    opinions_before = _value(session, "OPINIONS_SUBMITTED", funder)
    orgs_before = _value(session, "ORGS_WITH_OPINIONS", funder)
    opinion_id = _opinion(session, staff, document_id, [a, b])
    # submitted: counted for the programme's staff on request, never for funders
    assert _value(session, "OPINIONS_SUBMITTED", manager) == opinions_before + 1
    assert _value(session, "OPINIONS_SUBMITTED", funder) == opinions_before
    ops.approve_opinion(session, actor=manager, opinion_id=opinion_id,
                        version=ops.get_opinion(session, actor=manager,
                                                opinion_id=opinion_id).version)
    assert _value(session, "OPINIONS_SUBMITTED", funder) == opinions_before + 1
    assert _value(session, "ORGS_WITH_OPINIONS", funder) == orgs_before + 2
    # a second opinion by one of them adds an opinion, not an organisation
    second = _opinion(session, staff, document_id, [a], status="submitted")
    ops.approve_opinion(session, actor=manager, opinion_id=second, version=1)
    assert _value(session, "OPINIONS_SUBMITTED", funder) == opinions_before + 2
    assert _value(session, "ORGS_WITH_OPINIONS", funder) == orgs_before + 2
    with pytest.raises(PermissionDenied):
        ops.get_opinion(session, actor=funder, opinion_id=opinion_id)
    with pytest.raises(PermissionDenied):
        ops.list_opinions(session, actor=funder)


def test_opinions_follow_the_review_of_activities(session: Session) -> None:
    author = f.actor(session, Role.STAFF, "VIDZEME")
    other = f.actor(session, Role.STAFF, "KURZEME")
    manager = f.actor(session, Role.MANAGER)
    document_id = _doc(session, author)
    org = f.organization(session).id
    opinion_id = _opinion(session, author, document_id, [org], status="draft")
    with pytest.raises(NotAllowed):
        ops.approve_opinion(session, actor=manager, opinion_id=opinion_id, version=1)
    with pytest.raises(PermissionDenied):
        ops.get_opinion(session, actor=other, opinion_id=opinion_id)  # a draft of another
    version = ops.submit_opinion(session, actor=author, opinion_id=opinion_id, version=1)
    with pytest.raises(NotAllowed):
        ops.approve_opinion(session, actor=author, opinion_id=opinion_id, version=version)
    version = ops.return_opinion(session, actor=manager, opinion_id=opinion_id,
                                 version=version, comment="Pievienojiet vēstuli")
    assert ops.get_opinion(session, actor=author, opinion_id=opinion_id).status \
        is ActivityStatus.RETURNED
    version = ops.submit_opinion(session, actor=author, opinion_id=opinion_id, version=version)
    version = ops.approve_opinion(session, actor=manager, opinion_id=opinion_id,
                                  version=version)
    assert ops.opinion_steps(session, actor=author, opinion_id=opinion_id) == frozenset()
    steps = [r.after["step"] for r in session.scalars(select(AuditLog).where(
        AuditLog.entity == "opinion", AuditLog.entity_id == opinion_id,
        AuditLog.action == "status").order_by(AuditLog.id)) if r.after]
    assert steps == ["submit", "return", "submit", "approve"]
    # an approved opinion is read by other incubators' staff too
    assert ops.get_opinion(session, actor=other, opinion_id=opinion_id).id == opinion_id


def test_answers_are_dated_after_the_opinion_and_recorded_later(session: Session) -> None:
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    manager = f.actor(session, Role.MANAGER)
    document_id = _doc(session, staff)
    org = f.organization(session).id
    with pytest.raises(ValidationFailed) as caught:
        _opinion(session, staff, document_id, [org], outcome="taken_into_account",
                 answered_on="2025-05-01")
    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("answered_on", "answer_before_opinion")]
    with pytest.raises(ValidationFailed) as caught:
        _opinion(session, staff, document_id, [org], outcome="taken_into_account")
    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("answered_on", "answer_date_required")]
    opinion_id = _opinion(session, staff, document_id, [org])
    version = ops.approve_opinion(session, actor=manager, opinion_id=opinion_id, version=1)
    answered = ops.record_answer(session, actor=staff, opinion_id=opinion_id, version=version,
                                 outcome=OpinionOutcome.PARTLY_TAKEN_INTO_ACCOUNT,
                                 answered_on=dt.date(2025, 9, 2))
    assert answered.outcome is OpinionOutcome.PARTLY_TAKEN_INTO_ACCOUNT
    assert answered.status is ActivityStatus.APPROVED
    with pytest.raises(ValidationFailed):
        ops.record_answer(session, actor=staff, opinion_id=opinion_id,
                          version=answered.version, outcome=OpinionOutcome.NO_ANSWER,
                          answered_on=dt.date(2025, 9, 2))


def test_closed_quarters_refuse_opinions_and_monitoring(session: Session) -> None:
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    manager = f.actor(session, Role.MANAGER)
    vidzeme = f.incubator_id(session, "VIDZEME")
    document_id = _doc(session, staff, monitored_from="2025-04-01")
    org = f.organization(session).id
    pending = _opinion(session, staff, document_id, [org])
    state = quarters.quarter_state(session, actor=manager, incubator_id=vidzeme, year=2025,
                                   quarter=2, today=dt.date(2025, 8, 1))
    assert [b.kind for b in state.blockers] == ["opinion"]  # not approved yet
    ops.approve_opinion(session, actor=manager, opinion_id=pending, version=1)
    quarters.close_quarter(session, actor=manager, incubator_id=vidzeme, year=2025, quarter=2,
                           today=dt.date(2025, 8, 1))
    with pytest.raises(NotAllowed):
        _opinion(session, staff, document_id, [org], submitted_on="2025-06-30")
    with pytest.raises(NotAllowed):
        _doc(session, staff, ref="25-TA-3001", monitored_from="2025-05-02")
    with pytest.raises(NotAllowed):
        ops.record_answer(session, actor=manager, opinion_id=pending, version=2,
                          outcome=OpinionOutcome.TAKEN_INTO_ACCOUNT,
                          answered_on=dt.date(2025, 6, 1))
    # the answer of a later, open quarter is welcome
    ops.record_answer(session, actor=manager, opinion_id=pending, version=2,
                      outcome=OpinionOutcome.TAKEN_INTO_ACCOUNT,
                      answered_on=dt.date(2025, 7, 15))


def test_a_document_with_opinions_stays(session: Session) -> None:
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    document_id = _doc(session, staff)
    _opinion(session, staff, document_id, [f.organization(session).id],
             external_ref="V-2025-1")
    with pytest.raises(DocumentHasOpinions):
        docs.delete_document(session, actor=staff, document_id=document_id, version=1)
    with pytest.raises(OpinionRefTaken):
        _opinion(session, staff, document_id, [f.organization(session).id],
                 external_ref="V-2025-1")


def test_unknown_authors_and_documents_are_named(session: Session) -> None:
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    document_id = _doc(session, staff)
    with pytest.raises(ValidationFailed) as caught:
        _opinion(session, staff, document_id, [f.organization(session).id, 2_000_000_000])
    assert caught.value.errors[0].code == "unknown_organization"
    with pytest.raises(ValidationFailed) as caught:
        _opinion(session, staff, 2_000_000_000, [f.organization(session).id])
    assert caught.value.errors[0].field == "document_id"


def test_editing_an_opinion_replaces_its_authors(session: Session) -> None:
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    document_id = _doc(session, staff)
    a, b, c = (f.organization(session).id for _ in range(3))
    opinion_id = _opinion(session, staff, document_id, [a, b], status="draft")
    saved = ops.get_opinion(session, actor=staff, opinion_id=opinion_id)
    changed = ops.update_opinion(session, actor=staff, opinion_id=opinion_id, data=parse(
        OpinionUpdate, {"document_id": document_id, "organization_ids": [c, b],
                        "submitted_on": DAY.isoformat(), "channel": "letter",
                        "summary": saved.summary, "version": saved.version}))
    assert sorted(x.organization_id for x in changed.authors) == sorted([b, c])


def test_evidence_is_one_file_with_the_attachments_rules(session: Session) -> None:
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    other = f.actor(session, Role.STAFF, "KURZEME")
    document_id = _doc(session, staff)
    opinion_id = _opinion(session, staff, document_id, [f.organization(session).id],
                          status="draft")
    with pytest.raises(ValidationFailed):
        ops.add_evidence(session, actor=staff, opinion_id=opinion_id, file_name="x.pdf",
                         data=b"not a pdf")
    ops.add_evidence(session, actor=staff, opinion_id=opinion_id, file_name="vestule.pdf",
                     data=pdf("Vestule"))
    saved = ops.add_evidence(session, actor=staff, opinion_id=opinion_id,
                             file_name="atbilde.pdf", data=pdf("Atbilde"))
    assert saved.evidence == "atbilde.pdf"
    with pytest.raises(PermissionDenied):
        ops.evidence_content(session, actor=other, opinion_id=opinion_id)
    name, kind, data = ops.evidence_content(session, actor=staff, opinion_id=opinion_id)
    assert (name, kind, data) == ("atbilde.pdf", "application/pdf", pdf("Atbilde"))
    assert session.scalar(select(AuditLog.id).where(
        AuditLog.entity == "opinion_evidence", AuditLog.action == "download")) is not None
    assert ops.delete_evidence(session, actor=staff, opinion_id=opinion_id).evidence is None


def test_a_milestone_is_no_longer_an_opinion(session: Session) -> None:
    from tracker.schemas import MilestoneCreate

    with pytest.raises(ValidationFailed) as caught:
        parse(MilestoneCreate, {"organization_id": 1, "kind": "opinion_submitted",
                                "achieved_on": "2025-03-01"})
    assert caught.value.errors[0].code == "opinion_in_register"
