"""Forms kept as they are typed: what a user has entered and not saved yet, one copy per user
and form, so that a reload, a closed tab or a lost connection loses nothing.

A kept form is the user's own: nobody else reads it, it is not audited (nothing in it counts
anywhere until it is saved through the real service), and it does not raise the dashboards'
data version.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db.models import FormDraft
from tracker.auth import Actor
from tracker.errors import ValidationFailed
from tracker.schemas import ReadModel
from tracker.services._common import now

# A form's contents as JSON; a bigger one is not a form. The activity form at every limit of
# its schema (500 organisations with long names, 5,000 letters of next steps) stays below it.
MAX_BYTES = 512 * 1024
FORMS = frozenset({"activity"})


class KeptForm(ReadModel):
    form: str
    payload: dict[str, Any]
    saved_at: dt.datetime


def _check(actor: Actor, form: str) -> int | None:
    if form not in FORMS:
        raise ValidationFailed.single("form", "unknown_form")
    return actor.user_id  # the command line (no user) keeps nothing


def keep(session: Session, *, actor: Actor, form: str, payload: dict[str, Any]) -> None:
    """Store (or replace) the user's unsaved contents of `form`: plain JSON values."""
    user_id = _check(actor, form)
    if user_id is None:
        return
    try:
        # NaN and Infinity are no JSON (PostgreSQL refuses them)
        size = len(json.dumps(payload, ensure_ascii=False, allow_nan=False).encode())
    except (TypeError, ValueError):
        raise ValidationFailed.single("payload", "invalid") from None
    if size > MAX_BYTES:
        raise ValidationFailed.single("payload", "too_long", max_length=MAX_BYTES)
    row = session.get(FormDraft, (user_id, form))
    if row is None:
        session.add(FormDraft(user_id=user_id, form=form, payload=payload, saved_at=now()))
    else:
        row.payload = payload
        row.saved_at = now()
    session.flush()


def recall(session: Session, *, actor: Actor, form: str) -> KeptForm | None:
    """The user's kept contents of `form`, if any."""
    user_id = _check(actor, form)
    if user_id is None:
        return None
    row = session.scalar(select(FormDraft).where(FormDraft.user_id == user_id,
                                                 FormDraft.form == form))
    if row is None:
        return None
    return KeptForm(form=row.form, payload=dict(row.payload), saved_at=row.saved_at)


def discard(session: Session, *, actor: Actor, form: str) -> None:
    """Forget the kept contents (after a save, or when the user throws them away)."""
    user_id = _check(actor, form)
    if user_id is None:
        return
    session.execute(delete(FormDraft).where(FormDraft.user_id == user_id,
                                            FormDraft.form == form))
