"""What the Civic dialogue page's parts share: the message after a save, emptying forms, names
of incubators, a document's deadline in words, a safe link, and saving through a service with
its refusals shown next to the field they are about."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import streamlit as st

from dashboards.components.forms import naming_fields, save_or_rerun
from dashboards.components.text import lang, plain, tr
from tracker.auth import Actor
from tracker.database import session_scope
from tracker.errors import (
    DocumentRefTaken,
    FieldError,
    OpinionRefTaken,
    TrackerError,
)
from tracker.schemas.dialogue import DocumentRead
from tracker.services import reference

T = TypeVar("T")
FLASH = "dialogue_flash"  # what the last save did, shown once after the rerun
RESET = "dialogue_reset"  # widget-key prefixes to empty at the start of the next run
DOCUMENT = "document"  # the address's parameter naming the open document


def today() -> dt.date:
    return dt.date.today()  # noqa: DTZ011 - a calendar day, as the user sees it


def forget_reset() -> None:
    """Empty the widgets `done` asked to empty (before any is drawn in this run)."""
    prefixes = tuple(st.session_state.pop(RESET, []))
    if prefixes:
        for key in [k for k in st.session_state if str(k).startswith(prefixes)]:
            del st.session_state[key]


def done(message: str, *prefixes: str, document: int | None = None) -> NoReturn:
    """After a save: say what was done, empty the forms named by `prefixes`, open `document`
    (when given) and show the new state."""
    st.session_state[FLASH] = message
    st.session_state[RESET] = list(prefixes)
    if document is not None:
        st.query_params[DOCUMENT] = str(document)
    st.rerun()


def flash() -> None:
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def incubator_names(actor: Actor) -> dict[int, str]:
    """Incubator id -> name in the user's language (staff: theirs first)."""
    with session_scope(readonly=True) as session:
        rows = reference.list_incubators(session, actor=actor)
    return {i.id: i.name_en if lang() == "en" else i.name_lv for i in rows}


def monitor_name(incubator_id: int | None, names: dict[int, str]) -> str:
    return tr("dialogue.programme_itself") if incubator_id is None else \
        names.get(incubator_id, str(incubator_id))


def deadline_state(document: DocumentRead, day: dt.date) -> str:
    """The deadline in words with an icon (never colour alone): ahead, overdue, adopted."""
    if document.deadline is None:
        return tr("dialogue.state.adopted") if document.adopted_on else \
            tr("dialogue.state.none")
    left = (document.deadline - day).days
    if left > 0:
        return tr("dialogue.state.upcoming", days=left)
    if left == 0:
        return tr("dialogue.state.today")
    if document.adopted_on is not None:
        return tr("dialogue.state.adopted")
    return tr("dialogue.state.overdue", days=-left)


def link(text: str, url: str | None) -> str:
    """`text` as Markdown, a link to `url` when it is an http(s) address (the schema lets no
    other be saved); brackets and spaces in the address cannot end the link early."""
    shown = plain(text)
    if not url or not url.lower().startswith(("http://", "https://")):
        return shown
    safe = "".join(f"%{ord(c):02X}" if c in "()<> \"'`" else c for c in url)
    return f"[{shown}]({safe})"


def given(data: dict[str, Any]) -> dict[str, Any]:
    """What was filled in: a blank box or an empty list counts as not given (so the message
    says "required", not "too short")."""
    return {k: v for k, v in data.items() if v is not None and v != "" and v != []}


def as_field_error(error: TrackerError) -> FieldError | None:
    """A refusal about one field of a form (a reference already taken) as that field's error."""
    if isinstance(error, DocumentRefTaken):
        return FieldError("ref", error.code, error.params)
    if isinstance(error, OpinionRefTaken):
        return FieldError("external_ref", error.code, error.params)
    return None


def save_form(form: str, action: Callable[[Any], T]) -> T | None:
    """One unit of work for a form: refused, nothing is written and the form shows why next
    to the field (rerun); other refusals are said at once."""
    return save_or_rerun(form, naming_fields(action, as_field_error))
