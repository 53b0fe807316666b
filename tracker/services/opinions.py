"""Opinions of the civic-dialogue register: submitted on a document by one or more
organisations, with their outcome and an optional evidence file.

An opinion is its incubator's (NULL: the programme's own, managers' only) and goes through the
same review as an activity (tracker.services.review `refusal`: draft → submitted → approved,
returned with a comment; four eyes; nothing dated in a closed quarter of its incubator
changes), by its submission day. The answer comes months later: it may be recorded on an
approved opinion too (`record_answer`), unless its day is in a closed quarter. Funders never
read opinion records (their summaries and notes): they get the aggregates. Every write, and
every evidence download, is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from db.enums import ActivityStatus, AuditAction, OpinionOutcome, Role
from db.models import Document, Incubator, Opinion, OpinionAuthor, OpinionEvidence, Organization
from tracker import audit
from tracker.auth import Actor, require_writer
from tracker.config import get_settings
from tracker.errors import (
    Deleted,
    NotFound,
    OpinionRefTaken,
    PermissionDenied,
    ValidationFailed,
)
from tracker.schemas.common import parse
from tracker.schemas.dialogue import (
    AnswerFields,
    AuthorRead,
    OpinionCreate,
    OpinionFields,
    OpinionRead,
    OpinionUpdate,
)
from tracker.services import quarters
from tracker.services._common import (
    bounded,
    check_in_programme,
    check_version,
    flush,
    flush_unique,
    get,
    id_is,
    ids_in,
    load,
    now,
    required_text,
)
from tracker.services.activities import AUTHOR_STATUSES
from tracker.services.attachments import (
    DuplicateAttachment,
    clean_file_name,
    keep_bytes,
    release_bytes,
    sniff,
    stored_bytes,
)
from tracker.services.documents import visible_opinions
from tracker.services.review import COMMENT_MAX, Step, allowed_steps, record_step, refusal

ENTITY = "opinion"
EVIDENCE_ENTITY = "opinion_evidence"


# Reading -----------------------------------------------------------------------------------

def _to_read(session: Session, opinion: Opinion) -> OpinionRead:
    document = session.get(Document, opinion.document_id)
    assert document is not None
    ids = [a.organization_id for a in opinion.authors]
    organizations = {o.id: o for o in session.scalars(select(Organization).where(
        ids_in(Organization.id, ids)))}
    evidence = session.scalar(select(OpinionEvidence.file_name).where(
        OpinionEvidence.opinion_id == opinion.id))
    return OpinionRead(
        id=opinion.id, incubator_id=opinion.incubator_id, document_id=document.id,
        document_ref=document.ref, document_title=document.title,
        external_ref=opinion.external_ref, submitted_on=opinion.submitted_on,
        channel=opinion.channel, summary=opinion.summary, outcome=opinion.outcome,
        answered_on=opinion.answered_on, note=opinion.note, status=opinion.status,
        review_comment=opinion.review_comment, submitted_at=opinion.submitted_at,
        author_id=opinion.author_id,
        authors=[AuthorRead(organization_id=i, name=organizations[i].name,
                            reg_no=organizations[i].reg_no) for i in ids if i in organizations],
        evidence=evidence, version=opinion.version, deleted=opinion.deleted_at is not None)


def _load(session: Session, opinion_id: int) -> Opinion:
    opinion = session.scalar(select(Opinion).where(id_is(Opinion.id, opinion_id))
                             .options(selectinload(Opinion.authors)))
    if opinion is None:
        raise NotFound(ENTITY, opinion_id)
    if opinion.deleted_at is not None:
        raise Deleted()
    return opinion


def _check_read(actor: Actor, opinion: Opinion) -> None:
    """Funders never; staff their incubator's, and other incubators' once approved."""
    require_writer(actor)
    if actor.is_manager or opinion.incubator_id == actor.incubator_id:
        return
    if opinion.status != ActivityStatus.APPROVED.value:
        raise PermissionDenied()


def get_opinion(session: Session, *, actor: Actor, opinion_id: int) -> OpinionRead:
    opinion = _load(session, opinion_id)
    _check_read(actor, opinion)
    return _to_read(session, opinion)


def list_opinions(session: Session, *, actor: Actor, document_id: int | None = None,
                  incubator_id: int | None = None, organization_id: int | None = None,
                  limit: int = 200, offset: int = 0) -> list[OpinionRead]:
    """Opinions the actor may read (of a document, of an incubator, signed by an
    organisation), newest first."""
    require_writer(actor)
    conditions: list[ColumnElement[bool]] = [visible_opinions(actor)]
    if document_id is not None:
        conditions.append(id_is(Opinion.document_id, document_id))
    if incubator_id is not None:
        conditions.append(id_is(Opinion.incubator_id, incubator_id))
    if organization_id is not None:
        conditions.append(Opinion.id.in_(select(OpinionAuthor.opinion_id).where(
            id_is(OpinionAuthor.organization_id, organization_id))))
    rows = session.scalars(select(Opinion).where(*conditions)
                           .options(selectinload(Opinion.authors))
                           .order_by(Opinion.submitted_on.desc(), Opinion.id.desc())
                           .limit(bounded(limit, 1)).offset(bounded(offset)))
    return [_to_read(session, o) for o in rows]


def waiting_opinions(session: Session, *, actor: Actor, limit: int = 50) -> list[OpinionRead]:
    """Submitted opinions waiting for a manager, oldest submission first (managers only: the
    review page lists them beside the activities)."""
    if not actor.is_manager:
        raise PermissionDenied()
    rows = session.scalars(select(Opinion).where(
        Opinion.deleted_at.is_(None), Opinion.status == ActivityStatus.SUBMITTED.value)
        .options(selectinload(Opinion.authors))
        .order_by(Opinion.submitted_at, Opinion.id).limit(bounded(limit, 1)))
    return [_to_read(session, o) for o in rows]


# Who may do what ---------------------------------------------------------------------------

def _closed(session: Session, opinion: Opinion) -> bool:
    return opinion.incubator_id is not None and quarters.is_closed(
        session, opinion.incubator_id, opinion.submitted_on)


def _check_step(session: Session, actor: Actor, opinion: Opinion, step: Step) -> None:
    problem = refusal(actor, incubator_id=opinion.incubator_id or 0, status=opinion.status,
                      author_id=opinion.author_id, step=step, closed=_closed(session, opinion),
                      day=opinion.submitted_on)
    if problem is not None:
        raise problem


def opinion_steps(session: Session, *, actor: Actor, opinion_id: int) -> frozenset[Step]:
    """What the actor may do with the opinion now (the buttons a page offers)."""
    opinion = _load(session, opinion_id)
    return allowed_steps(actor, incubator_id=opinion.incubator_id or 0, status=opinion.status,
                         author_id=opinion.author_id, closed=_closed(session, opinion))


# Writing -----------------------------------------------------------------------------------

def _snapshot(opinion: Opinion) -> dict[str, Any]:
    return audit.snapshot(opinion, authors=[a.organization_id for a in opinion.authors])


def _incubator(session: Session, actor: Actor, incubator_id: int | None) -> int | None:
    """Staff record for their own incubator; managers for any, or the programme (None)."""
    require_writer(actor)
    if not actor.is_manager:
        if incubator_id is not None and incubator_id != actor.incubator_id:
            raise PermissionDenied()
        return actor.incubator_id
    if incubator_id is not None:
        load(session, Incubator, "incubator", incubator_id)
    return incubator_id


def _check_references(session: Session, incubator_id: int | None, data: OpinionFields
                      ) -> None:
    document = get(session, Document, data.document_id)
    if document is None or document.deleted_at is not None:
        raise ValidationFailed.single("document_id", "unknown_document")
    found = set(session.scalars(select(Organization.id).where(
        ids_in(Organization.id, data.organization_ids), Organization.deleted_at.is_(None))))
    for index, org_id in enumerate(data.organization_ids):
        if org_id not in found:
            raise ValidationFailed.single(f"organization_ids.{index}", "unknown_organization")
    check_in_programme(session, "submitted_on", data.submitted_on, incubator_id)
    if incubator_id is not None:
        quarters.check_open(session, incubator_id, data.submitted_on)
        if data.answered_on is not None:
            quarters.check_open(session, incubator_id, data.answered_on)


def _apply(opinion: Opinion, data: OpinionFields) -> None:
    opinion.document_id, opinion.submitted_on = data.document_id, data.submitted_on
    opinion.channel, opinion.summary = data.channel.value, data.summary
    opinion.outcome, opinion.answered_on = data.outcome.value, data.answered_on
    opinion.note = data.note
    wanted = set(data.organization_ids)
    opinion.authors = [a for a in opinion.authors if a.organization_id in wanted] + [
        OpinionAuthor(organization_id=i) for i in data.organization_ids
        if i not in {a.organization_id for a in opinion.authors}]


def create_opinion(session: Session, *, actor: Actor, data: OpinionCreate) -> OpinionRead:
    """Record an opinion (a draft or submitted; approved only by an administrator's import,
    as for activities)."""
    incubator_id = _incubator(session, actor, data.incubator_id)
    if data.status not in AUTHOR_STATUSES and actor.role is not Role.ADMIN:
        raise PermissionDenied()
    _check_references(session, incubator_id, data)
    opinion = Opinion(incubator_id=incubator_id, status=data.status.value,
                      author_id=actor.user_id, external_ref=data.external_ref,
                      submitted_at=now() if data.status is ActivityStatus.SUBMITTED else None)
    _apply(opinion, data)
    session.add(opinion)
    if data.external_ref:
        flush_unique(session, OpinionRefTaken(ref=data.external_ref))
    else:
        flush(session)
    audit.record(session, actor, entity=ENTITY, entity_id=opinion.id,
                 action=AuditAction.CREATE, after=_snapshot(opinion))
    return _to_read(session, opinion)


def update_opinion(session: Session, *, actor: Actor, opinion_id: int, data: OpinionUpdate
                   ) -> OpinionRead:
    """Change an opinion and its authors; an outdated copy is refused."""
    opinion = _load(session, opinion_id)
    _check_step(session, actor, opinion, Step.EDIT)
    check_version(opinion, data.version)
    _check_references(session, opinion.incubator_id, data)
    before = _snapshot(opinion)
    _apply(opinion, data)
    opinion.updated_at = now()  # author-only edits must still bump the version
    flush(session)
    audit.record(session, actor, entity=ENTITY, entity_id=opinion.id,
                 action=AuditAction.UPDATE, before=before, after=_snapshot(opinion))
    return _to_read(session, opinion)


def delete_opinion(session: Session, *, actor: Actor, opinion_id: int, version: int) -> None:
    """Soft-delete an opinion: it leaves every figure, its history stays."""
    opinion = _load(session, opinion_id)
    _check_step(session, actor, opinion, Step.DELETE)
    check_version(opinion, version)
    before = _snapshot(opinion)
    opinion.deleted_at = now()
    flush(session)
    audit.record(session, actor, entity=ENTITY, entity_id=opinion.id,
                 action=AuditAction.DELETE, before=before, after=_snapshot(opinion))


def _transition(session: Session, actor: Actor, opinion_id: int, version: int, step: Step,
                target: ActivityStatus, comment: str | None = None) -> int:
    opinion = _load(session, opinion_id)
    _check_step(session, actor, opinion, step)
    record_step(session, actor, opinion, entity=ENTITY, version=version, step=step,
                target=target, comment=comment)
    return opinion.version


def submit_opinion(session: Session, *, actor: Actor, opinion_id: int, version: int) -> int:
    return _transition(session, actor, opinion_id, version, Step.SUBMIT,
                       ActivityStatus.SUBMITTED)


def approve_opinion(session: Session, *, actor: Actor, opinion_id: int, version: int) -> int:
    return _transition(session, actor, opinion_id, version, Step.APPROVE,
                       ActivityStatus.APPROVED)


def return_opinion(session: Session, *, actor: Actor, opinion_id: int, version: int,
                   comment: str) -> int:
    """Send an opinion back to its author with a comment (required)."""
    text = required_text("comment", comment, COMMENT_MAX)
    return _transition(session, actor, opinion_id, version, Step.RETURN,
                       ActivityStatus.RETURNED, text)


def record_answer(session: Session, *, actor: Actor, opinion_id: int, version: int,
                  outcome: OpinionOutcome, answered_on: dt.date | None) -> OpinionRead:
    """The institution's answer (or its absence), in any status: the staff of the opinion's
    incubator or managers; refused when the answer's day is in a closed quarter."""
    opinion = _load(session, opinion_id)
    require_writer(actor)
    if not actor.is_manager and (opinion.incubator_id is None
                                 or opinion.incubator_id != actor.incubator_id):
        raise PermissionDenied()
    check_version(opinion, version)
    data = parse(AnswerFields, {"submitted_on": opinion.submitted_on, "outcome": outcome,
                                "answered_on": answered_on})
    if opinion.incubator_id is not None and data.answered_on is not None:
        quarters.check_open(session, opinion.incubator_id, data.answered_on)
    before = _snapshot(opinion)
    opinion.outcome, opinion.answered_on = data.outcome.value, data.answered_on
    flush(session)
    audit.record(session, actor, entity=ENTITY, entity_id=opinion.id,
                 action=AuditAction.UPDATE, before=before, after=_snapshot(opinion))
    return _to_read(session, opinion)


# Evidence ----------------------------------------------------------------------------------

def _evidence_view(row: OpinionEvidence) -> dict[str, Any]:
    return {"id": row.id, "opinion_id": row.opinion_id, "file_name": row.file_name,
            "content_type": row.content_type, "size_bytes": row.size_bytes,
            "sha256": row.sha256}


def _remove_evidence(session: Session, actor: Actor, opinion: Opinion) -> None:
    row = session.scalar(select(OpinionEvidence).where(
        OpinionEvidence.opinion_id == opinion.id))
    if row is None:
        return
    in_folder = session.scalar(select(OpinionEvidence.content.is_(None)).where(
        OpinionEvidence.id == row.id))
    before, sha256 = _evidence_view(row), row.sha256
    session.delete(row)
    flush(session)
    audit.record(session, actor, entity=EVIDENCE_ENTITY, entity_id=before["id"],
                 action=AuditAction.DELETE, before=before)
    if in_folder:
        release_bytes(session, sha256)


def add_evidence(session: Session, *, actor: Actor, opinion_id: int, file_name: str | None,
                 data: bytes) -> OpinionRead:
    """Attach the opinion's evidence (PDF, JPEG or PNG, as an activity's attachments),
    replacing the one it had; the review rules decide who may (the ATTACH step)."""
    opinion = _load(session, opinion_id)
    _check_step(session, actor, opinion, Step.ATTACH)
    content_type = sniff(data)
    data = bytes(data)
    sha256 = hashlib.sha256(data).hexdigest()
    current = session.scalar(select(OpinionEvidence).where(
        OpinionEvidence.opinion_id == opinion.id))
    if current is not None and current.sha256 == sha256:
        raise DuplicateAttachment(current.file_name, current.id)
    _remove_evidence(session, actor, opinion)
    folder = get_settings().attachments_dir
    row = OpinionEvidence(opinion_id=opinion.id,
                          file_name=clean_file_name(file_name, content_type),
                          content_type=content_type, size_bytes=len(data), sha256=sha256,
                          content=None if folder is not None else data,
                          uploaded_by_id=actor.user_id)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # someone attached evidence a moment ago
        raise DuplicateAttachment(row.file_name, 0) from None
    if folder is not None:
        keep_bytes(session, data, sha256)
    audit.record(session, actor, entity=EVIDENCE_ENTITY, entity_id=row.id,
                 action=AuditAction.CREATE, after=_evidence_view(row))
    return _to_read(session, opinion)


def delete_evidence(session: Session, *, actor: Actor, opinion_id: int) -> OpinionRead:
    opinion = _load(session, opinion_id)
    _check_step(session, actor, opinion, Step.ATTACH)
    _remove_evidence(session, actor, opinion)
    return _to_read(session, opinion)


def evidence_content(session: Session, *, actor: Actor, opinion_id: int
                     ) -> tuple[str, str, bytes]:
    """(file name, content type, bytes) of an opinion's evidence, for a download button; the
    download is written to the audit trail."""
    opinion = _load(session, opinion_id)
    _check_read(actor, opinion)
    row = session.scalar(select(OpinionEvidence).where(
        OpinionEvidence.opinion_id == opinion.id))
    if row is None:
        raise NotFound(EVIDENCE_ENTITY, opinion_id)
    data = stored_bytes(session.scalar(select(OpinionEvidence.content).where(
        OpinionEvidence.id == row.id)), row.sha256, row.file_name)
    audit.record(session, actor, entity=EVIDENCE_ENTITY, entity_id=row.id,
                 action=AuditAction.DOWNLOAD, after=_evidence_view(row))
    return row.file_name, row.content_type, data
