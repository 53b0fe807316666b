"""Forms kept as they are typed: one copy per user and form, private, bounded, forgotten on
request, and invisible to the dashboards' data version."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import data_version
from db.enums import Role
from db.models import AuditLog, FormDraft
from tests import factories as f
from tracker.auth import Actor
from tracker.errors import ValidationFailed
from tracker.services import form_drafts


def test_keep_recall_replace_and_discard(session: Session) -> None:
    anna, peteris = f.actor(session, Role.STAFF), f.actor(session, Role.STAFF)
    version = data_version.current(session)
    audits = session.scalar(select(func.count()).select_from(AuditLog))
    form_drafts.keep(session, actor=anna, form="activity",
                     payload={"title": "Pusgatava apmācība", "areas": ["finance"]})
    form_drafts.keep(session, actor=anna, form="activity",
                     payload={"title": "Pusgatava apmācība (2)", "areas": []})
    kept = form_drafts.recall(session, actor=anna, form="activity")
    assert kept is not None and kept.payload == {"title": "Pusgatava apmācība (2)",
                                                 "areas": []}
    assert form_drafts.recall(session, actor=peteris, form="activity") is None  # private
    assert session.scalar(select(func.count()).select_from(FormDraft)) == 1
    # nothing on a dashboard changed, and nothing is audited until it is really saved
    assert data_version.current(session) == version
    assert session.scalar(select(func.count()).select_from(AuditLog)) == audits
    form_drafts.discard(session, actor=anna, form="activity")
    assert form_drafts.recall(session, actor=anna, form="activity") is None


def test_refused_kept_forms(session: Session) -> None:
    anna = f.actor(session, Role.STAFF)
    with pytest.raises(ValidationFailed):
        form_drafts.keep(session, actor=anna, form="password", payload={})
    with pytest.raises(ValidationFailed):
        form_drafts.keep(session, actor=anna, form="activity",
                         payload={"title": "x" * (form_drafts.MAX_BYTES + 1)})
    with pytest.raises(ValidationFailed):
        form_drafts.keep(session, actor=anna, form="activity", payload={"day": object()})
    assert session.scalar(select(func.count()).select_from(FormDraft)) == 0
    # the command line has no user: it keeps nothing and finds nothing
    form_drafts.keep(session, actor=Actor.system(), form="activity", payload={"a": 1})
    assert form_drafts.recall(session, actor=Actor.system(), form="activity") is None


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_nan_and_infinity_are_no_json(session: Session, value: float) -> None:
    anna = f.actor(session, Role.STAFF)  # (PostgreSQL refuses them in a JSON column)
    with pytest.raises(ValidationFailed) as refused:
        form_drafts.keep(session, actor=anna, form="activity", payload={"hours": [value]})
    assert [(e.field, e.code) for e in refused.value.errors] == [("payload", "invalid")]
    assert form_drafts.recall(session, actor=anna, form="activity") is None


def test_the_largest_activity_form_can_be_kept(session: Session) -> None:
    """Every field at its limit (500 organisations with 300-letter names, a 200-letter title,
    5,000 letters of next steps): a form the activity schema accepts is never too big to keep."""
    anna = f.actor(session, Role.STAFF)
    payload = {
        "title": "ž" * 200, "next_steps": "ū" * 5000, "hours": 200.0, "municipality": "0054000",
        "participants": [{"organization_id": 1_000_000 + n, "name": "Biedrība “" + "ā" * 288 + "”",
                          "reg_no": "40008000000", "attendees": 10_000} for n in range(500)],
    }
    form_drafts.keep(session, actor=anna, form="activity", payload=payload)
    kept = form_drafts.recall(session, actor=anna, form="activity")
    assert kept is not None and kept.payload == payload
