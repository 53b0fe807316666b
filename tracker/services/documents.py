"""Documents of the civic-dialogue register: the drafts the incubators follow, and who monitors
each since when.

A document is the programme's, not an incubator's: any staff member may add one, and it is
then monitored by their incubator. Its public facts (reference, title, institution, kind,
level, dates, link, topics) are for everyone, funders too; its note is internal (never a
funder's). Staff change a document their incubator monitors or that they added; managers and
administrators any. A monitoring day counts for its incubator's quarter (documents monitored),
so it is refused in a closed quarter, as everything else counted there. Every write is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic_core import PydanticCustomError
from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from db.enums import ActivityStatus, AuditAction, Role
from db.models import (
    DOCUMENT_REF_MAX,
    Document,
    DocumentMonitoring,
    Incubator,
    Opinion,
    document_search_key,
)
from db.search import search_key
from tracker import audit
from tracker.auth import Actor, require_incubator, require_writer
from tracker.errors import (
    Deleted,
    DocumentHasOpinions,
    DocumentRefTaken,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from tracker.schemas.common import has_control_characters
from tracker.schemas.dialogue import (
    DocumentCreate,
    DocumentFields,
    DocumentRead,
    DocumentUpdate,
    MonitoringIn,
    MonitoringRead,
    document_ref,
    is_tap_number,
    join_topics,
    topics_of,
)
from tracker.services import quarters
from tracker.services._common import (
    bounded,
    check_in_programme,
    check_version,
    flush,
    flush_unique,
    id_is,
    ids_in,
    load,
    now,
)

ENTITY = "document"
MAX_SEARCH = 200  # characters of search text: a longer paste is refused before any query
MONITORING_ENTITY = "document_monitoring"


def today() -> dt.date:
    return dt.date.today()  # noqa: DTZ011 - a calendar day, as the user sees it


# Reading -----------------------------------------------------------------------------------

def visible_opinions(actor: Actor) -> ColumnElement[bool]:
    """The opinions a reader may count in a document's row: funders approved ones; staff
    their incubator's and the approved ones of others; managers all (drafts are their
    author's business until submitted)."""
    live = Opinion.deleted_at.is_(None)
    if actor.role is Role.FUNDER:
        return live & (Opinion.status == ActivityStatus.APPROVED.value)
    if actor.is_manager:
        return live
    return live & or_(Opinion.incubator_id == actor.incubator_id,
                      Opinion.status == ActivityStatus.APPROVED.value)


def _reads(session: Session, actor: Actor, documents: list[Document]) -> list[DocumentRead]:
    ids = [d.id for d in documents]
    codes: dict[int, str] = {int(i): str(c) for i, c in session.execute(
        select(Incubator.id, Incubator.code))}
    counts: dict[int, int] = {}
    if ids:
        counts = {int(d): int(n) for d, n in session.execute(
            select(Opinion.document_id, func.count(Opinion.id))
            .where(ids_in(Opinion.document_id, ids), visible_opinions(actor))
            .group_by(Opinion.document_id))}
    funder = actor.role is Role.FUNDER
    return [DocumentRead(
        id=d.id, ref=d.ref, is_tap=is_tap_number(d.ref), title=d.title,
        institution=d.institution, kind=d.kind, level=d.level, published_on=d.published_on,
        deadline=d.deadline, adopted_on=d.adopted_on, url=d.url, topics=topics_of(d.topics),
        note=None if funder else d.note,
        monitoring=[MonitoringRead(incubator_id=m.incubator_id,
                                   incubator_code=codes.get(m.incubator_id or 0),
                                   monitored_from=m.monitored_from) for m in d.monitoring],
        opinions=counts.get(d.id, 0), version=d.version, deleted=d.deleted_at is not None)
        for d in documents]


def _load(session: Session, document_id: int) -> Document:
    document = session.scalar(select(Document).where(id_is(Document.id, document_id))
                              .options(selectinload(Document.monitoring)))
    if document is None:
        raise NotFound(ENTITY, document_id)
    if document.deleted_at is not None:
        raise Deleted()
    return document


def get_document(session: Session, *, actor: Actor, document_id: int) -> DocumentRead:
    """One document; a funder reads its public facts (no note)."""
    return _reads(session, actor, [_load(session, document_id)])[0]


def find_document(session: Session, *, actor: Actor, ref: str) -> DocumentRead | None:
    """The live document with this reference (a TAP number in any case), or None."""
    if len(ref) > 2 * DOCUMENT_REF_MAX or has_control_characters(ref):
        return None  # not a reference any document can have
    try:
        key = document_ref(ref)
    except PydanticCustomError:
        return None
    document = session.scalar(select(Document).where(
        Document.ref == key, Document.deleted_at.is_(None))
        .options(selectinload(Document.monitoring)))
    return None if document is None else _reads(session, actor, [document])[0]


def _conditions(incubator_id: int | None, search: str | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Document.deleted_at.is_(None)]
    if incubator_id is not None:
        conditions.append(Document.id.in_(select(DocumentMonitoring.document_id).where(
            id_is(DocumentMonitoring.incubator_id, incubator_id))))
    text = (search or "").strip()
    if len(text) > MAX_SEARCH:
        raise ValidationFailed.single("search", "too_long", max_length=MAX_SEARCH)
    key = search_key(text)
    if key:
        conditions.append(Document.search.contains(key, autoescape=True))
    return conditions


def list_documents(session: Session, *, actor: Actor, incubator_id: int | None = None,
                   search: str | None = None, limit: int = 200, offset: int = 0
                   ) -> list[DocumentRead]:
    """Documents (of one monitoring incubator, matching a search in the reference, title or
    institution): those whose consultation deadline is still ahead first, soonest first,
    then the rest, newest first."""
    day = today()
    upcoming = Document.deadline >= day
    rows = list(session.scalars(
        select(Document).where(*_conditions(incubator_id, search))
        .options(selectinload(Document.monitoring))
        .order_by(case((upcoming, 0), else_=1), case((upcoming, Document.deadline)),
                  func.coalesce(Document.published_on, Document.deadline).desc(),
                  Document.id.desc())
        .limit(bounded(limit, 1)).offset(bounded(offset))))
    return _reads(session, actor, rows)


def count_documents(session: Session, *, actor: Actor, incubator_id: int | None = None,
                    search: str | None = None) -> int:
    return int(session.scalar(select(func.count(Document.id)).where(
        *_conditions(incubator_id, search))) or 0)


# Writing -----------------------------------------------------------------------------------

def _snapshot(document: Document) -> dict[str, Any]:
    return audit.snapshot(document, monitoring=[
        {"incubator_id": m.incubator_id, "monitored_from": m.monitored_from}
        for m in document.monitoring])


def _monitoring_incubator(session: Session, actor: Actor, incubator_id: int | None
                          ) -> int | None:
    """Staff monitor for their own incubator; managers for any, or the programme (None)."""
    require_writer(actor)
    if not actor.is_manager:
        if incubator_id is not None and incubator_id != actor.incubator_id:
            raise PermissionDenied()
        return actor.incubator_id
    if incubator_id is not None:
        load(session, Incubator, "incubator", incubator_id)
    return incubator_id


def _check_monitoring_day(session: Session, incubator_id: int | None, day: dt.date) -> None:
    check_in_programme(session, "monitored_from", day, incubator_id)
    if incubator_id is not None:  # documents monitored count for the incubator's quarter
        quarters.check_open(session, incubator_id, day)


def _apply(document: Document, data: DocumentFields) -> None:
    document.ref, document.title, document.institution = data.ref, data.title, data.institution
    document.kind, document.level = data.kind.value, data.level.value
    document.published_on, document.deadline = data.published_on, data.deadline
    document.adopted_on, document.url = data.adopted_on, data.url
    document.topics, document.note = join_topics(data.topics), data.note
    document.search = document_search_key(data.ref, data.title, data.institution)


def create_document(session: Session, *, actor: Actor, data: DocumentCreate) -> DocumentRead:
    """Add a document to the register, monitored by the actor's incubator (staff) or the one
    chosen (managers; none: the programme itself) from `monitored_from` (today if not
    given). A reference already in the register is refused (DocumentRefTaken)."""
    incubator_id = _monitoring_incubator(session, actor, data.incubator_id)
    since = data.monitored_from or today()
    _check_monitoring_day(session, incubator_id, since)
    document = Document(created_by_id=actor.user_id)
    _apply(document, data)
    document.monitoring = [DocumentMonitoring(incubator_id=incubator_id,
                                              incubator_key=incubator_id or 0,
                                              monitored_from=since)]
    session.add(document)
    flush_unique(session, DocumentRefTaken(ref=data.ref))
    audit.record(session, actor, entity=ENTITY, entity_id=document.id,
                 action=AuditAction.CREATE, after=_snapshot(document))
    return _reads(session, actor, [document])[0]


def _check_change(actor: Actor, document: Document) -> None:
    """Staff change a document their incubator monitors or that they added."""
    require_writer(actor)
    if actor.is_manager:
        return
    if document.created_by_id is not None and document.created_by_id == actor.user_id:
        return
    if any(m.incubator_id == actor.incubator_id for m in document.monitoring):
        return
    raise PermissionDenied()


def update_document(session: Session, *, actor: Actor, document_id: int,
                    data: DocumentUpdate) -> DocumentRead:
    """Change a document's facts; an outdated copy is refused (StaleVersion)."""
    document = _load(session, document_id)
    _check_change(actor, document)
    check_version(document, data.version)
    before = _snapshot(document)
    _apply(document, data)
    flush_unique(session, DocumentRefTaken(ref=data.ref))
    audit.record(session, actor, entity=ENTITY, entity_id=document.id,
                 action=AuditAction.UPDATE, before=before, after=_snapshot(document))
    return _reads(session, actor, [document])[0]


def delete_document(session: Session, *, actor: Actor, document_id: int, version: int) -> None:
    """Remove a document nobody submitted an opinion on (managers, or the one who added it);
    it leaves documents monitored, its history stays."""
    document = _load(session, document_id)
    require_writer(actor)
    if not actor.is_manager and document.created_by_id != actor.user_id:
        raise PermissionDenied()
    check_version(document, version)
    opinions = int(session.scalar(select(func.count(Opinion.id)).where(
        Opinion.document_id == document.id, Opinion.deleted_at.is_(None))) or 0)
    if opinions:
        raise DocumentHasOpinions(count=opinions)
    for watch in document.monitoring:
        if watch.incubator_id is not None:
            quarters.check_open(session, watch.incubator_id, watch.monitored_from)
    before = _snapshot(document)
    document.deleted_at = now()
    flush(session)
    audit.record(session, actor, entity=ENTITY, entity_id=document.id,
                 action=AuditAction.DELETE, before=before, after=_snapshot(document))


def monitor_document(session: Session, *, actor: Actor, document_id: int,
                     data: MonitoringIn) -> DocumentRead:
    """An incubator (staff: theirs) begins to monitor a document, or changes since when."""
    document = _load(session, document_id)
    incubator_id = _monitoring_incubator(session, actor, data.incubator_id)
    _check_monitoring_day(session, incubator_id, data.monitored_from)
    before = _snapshot(document)
    existing = next((m for m in document.monitoring if m.incubator_id == incubator_id), None)
    if existing is None:
        document.monitoring.append(DocumentMonitoring(
            incubator_id=incubator_id, incubator_key=incubator_id or 0,
            monitored_from=data.monitored_from))
    elif existing.monitored_from != data.monitored_from:
        if incubator_id is not None:
            quarters.check_open(session, incubator_id, existing.monitored_from)
        existing.monitored_from = data.monitored_from
    else:
        return _reads(session, actor, [document])[0]
    document.updated_at = now()  # a monitoring change bumps the document's version
    flush(session)
    audit.record(session, actor, entity=ENTITY, entity_id=document.id,
                 action=AuditAction.UPDATE, before=before, after=_snapshot(document))
    return _reads(session, actor, [document])[0]


def stop_monitoring(session: Session, *, actor: Actor, document_id: int,
                    incubator_id: int | None) -> DocumentRead:
    """An incubator (staff: theirs) no longer monitors a document: it leaves that incubator's
    documents monitored (refused when its monitoring day is in a closed quarter)."""
    document = _load(session, document_id)
    if incubator_id is None:
        require_writer(actor)
        if not actor.is_manager:
            raise PermissionDenied()
    else:
        require_incubator(actor, incubator_id)
    existing = next((m for m in document.monitoring if m.incubator_id == incubator_id), None)
    if existing is None:
        return _reads(session, actor, [document])[0]
    if incubator_id is not None:
        quarters.check_open(session, incubator_id, existing.monitored_from)
    before = _snapshot(document)
    document.monitoring.remove(existing)
    document.updated_at = now()
    flush(session)
    audit.record(session, actor, entity=ENTITY, entity_id=document.id,
                 action=AuditAction.UPDATE, before=before, after=_snapshot(document))
    return _reads(session, actor, [document])[0]
