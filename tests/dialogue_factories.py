"""Factories for the civic-dialogue register: documents, their monitoring and opinions, as
plain ORM rows (db.models.dialogue), so tests of figures, pages and exports can make exactly
the data they count.

    doc = document(session, incubators=["VIDZEME", "LATGALE"], deadline=dt.date(2025, 6, 1))
    opinion(session, doc, authors=[org_a, org_b], incubator_id="VIDZEME",
            outcome="taken_into_account")

An incubator is given by its code ("VIDZEME") or id; None stands for the programme itself.
Organisations (authors) by id or any object with an `id` (OrganizationRead). No service rules
run here (the services have their own tests): the rows only obey the database's constraints.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from db.enums import ANSWERED_OUTCOMES, OpinionOutcome
from db.models import Document, DocumentMonitoring, Opinion, OpinionAuthor
from tests.factories import incubator_id as code_to_id
from tests.factories import organization

_serial = itertools.count(1)
DAY = dt.date(2025, 3, 3)  # the default day: published, monitored from, submitted

Incubator = int | str | None


def incubator(session: Session, value: Incubator) -> int | None:
    """An incubator's id from its code or id; None stays None (the programme)."""
    if value is None or isinstance(value, int):
        return value
    return code_to_id(session, value)


def tap_number(year: int = 25) -> str:
    """A fresh, well-formed TAP number (e.g. 25-TA-700001)."""
    return f"{year:02d}-TA-{700000 + next(_serial)}"


def monitor(session: Session, doc: Document | int, value: Incubator,
            monitored_from: dt.date = DAY) -> DocumentMonitoring:
    """`value` (an incubator, None: the programme) monitors `doc` since `monitored_from`."""
    inc = incubator(session, value)
    row = DocumentMonitoring(document_id=doc if isinstance(doc, int) else doc.id,
                             incubator_id=inc, incubator_key=inc or 0,
                             monitored_from=monitored_from)
    session.add(row)
    session.flush()
    return row


def document(session: Session, ref: str | None = None,
             incubators: Sequence[Incubator] | Mapping[Incubator, dt.date] = ("VIDZEME",),
             monitored_from: dt.date = DAY, **fields: Any) -> Document:
    """A live document (a fresh TAP number unless `ref` is given), monitored by each of
    `incubators` since `monitored_from` (or a mapping incubator -> its own day). Other
    columns as keywords: title, institution, kind, level, published_on, deadline, adopted_on,
    url, topics, note, deleted_at."""
    number = next(_serial)
    values: dict[str, Any] = {
        "ref": ref or tap_number(), "title": f"Likumprojekts Nr. {number}",
        "institution": "Tieslietu ministrija", "kind": "law", "level": "national",
        "published_on": None} | fields
    row = Document(**values)
    session.add(row)
    session.flush()
    days = incubators if isinstance(incubators, Mapping) \
        else dict.fromkeys(incubators, monitored_from)
    for value, day in days.items():
        monitor(session, row, value, day)
    session.refresh(row)
    return row


def _id(item: Any) -> int:
    return item if isinstance(item, int) else int(item.id)


def opinion(session: Session, doc: Document | int, authors: Sequence[Any] | None = None,
            incubator_id: Incubator = "VIDZEME", status: str = "approved",
            outcome: str | OpinionOutcome = OpinionOutcome.PENDING,
            submitted_on: dt.date = DAY, answered_on: dt.date | None = None,
            **fields: Any) -> Opinion:
    """An opinion on `doc` by `authors` (organisation ids or rows; None: one new
    organisation), of an incubator (code, id; None: the programme's own). An answered
    outcome without `answered_on` is answered 30 days after submission. Other columns as
    keywords: summary, note, channel, external_ref, review_comment, deleted_at."""
    outcome = OpinionOutcome(outcome)
    if answered_on is None and outcome in ANSWERED_OUTCOMES:
        answered_on = submitted_on + dt.timedelta(days=30)
    values: dict[str, Any] = {
        "summary": f"Viedoklis Nr. {next(_serial)}", "channel": "tap_portal",
        "submitted_at": None if status == "draft"
        else dt.datetime.combine(submitted_on, dt.time(12), tzinfo=dt.UTC)} | fields
    row = Opinion(document_id=_id(doc), incubator_id=incubator(session, incubator_id),
                  status=status, outcome=outcome.value, submitted_on=submitted_on,
                  answered_on=answered_on, **values)
    session.add(row)
    session.flush()
    for author in [organization(session)] if authors is None else authors:
        session.add(OpinionAuthor(opinion_id=row.id, organization_id=_id(author)))
    session.flush()
    session.refresh(row)
    return row
