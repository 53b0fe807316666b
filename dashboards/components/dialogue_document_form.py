"""A document's form, to add or to edit (the same checks as the import: DocumentCreate and
DocumentUpdate), every error next to its field; adding also says who monitors it from when."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st
from pydantic import BaseModel

from dashboards.components.dialogue_common import (
    done,
    given,
    incubator_names,
    monitor_name,
    save_form,
    today,
)
from dashboards.components.forms import checked, errors_of, field_error
from dashboards.components.text import enum_label, lang, plain, tr
from tracker.auth import Actor
from tracker.enums import DocumentKind, DocumentLevel
from tracker.schemas.dialogue import (
    TAP_EXAMPLE,
    DocumentCreate,
    DocumentFields,
    DocumentRead,
    DocumentUpdate,
)
from tracker.services import documents

CREATE, EDIT = "document_new", "document_edit"
NEW_PREFIX = "document_new_"
DATES = (dt.date(1990, 1, 1), dt.date(2099, 12, 31))  # wider than the programme: a wrong
# date is shown as typed and refused with the reason, not silently replaced
PROGRAMME = 0  # the monitoring choice meaning the programme itself (no incubator)
FIELDS = ("ref", "title", "institution", "kind", "level", "published_on", "deadline",
          "adopted_on", "url", "topics", "note")


def max_length(model: type[BaseModel], name: str) -> int | None:
    """The schema's longest value of a text field (so the box cuts a longer paste)."""
    for rule in model.model_fields[name].metadata:
        found = getattr(rule, "max_length", None)
        if isinstance(found, int):
            return found
    return None


def _date(label: str, key: str, value: dt.date | None) -> dt.date | None:
    picked = st.date_input(label, value=value, key=key, format="DD.MM.YYYY",
                           min_value=DATES[0], max_value=DATES[1])
    return picked if isinstance(picked, dt.date) else None


def fields(*, form: str, prefix: str, current: DocumentRead | None) -> dict[str, Any]:
    """The document's widgets (inside the caller's st.form) and what they hold now."""
    kinds, levels = list(DocumentKind), list(DocumentLevel)
    left, right = st.columns(2)
    with left:
        ref = st.text_input(tr("dialogue.ref"), value=current.ref if current else "",
                            key=prefix + "ref", max_chars=max_length(DocumentFields, "ref"),
                            help=tr("dialogue.ref_help", example=TAP_EXAMPLE),
                            placeholder=TAP_EXAMPLE)
        field_error(form, "ref")
        title = st.text_input(tr("field.title"), value=current.title if current else "",
                              key=prefix + "title",
                              max_chars=max_length(DocumentFields, "title"))
        field_error(form, "title")
        institution = st.text_input(
            tr("field.institution"), value=(current.institution or "") if current else "",
            key=prefix + "institution", max_chars=max_length(DocumentFields, "institution"))
        field_error(form, "institution")
        kind = st.selectbox(tr("field.kind"), kinds, format_func=enum_label,
                            index=kinds.index(current.kind) if current else None,
                            placeholder=tr("dialogue.choose"), key=prefix + "kind")
        field_error(form, "kind")
        level = st.selectbox(tr("field.level"), levels, format_func=enum_label,
                             index=levels.index(current.level) if current else None,
                             placeholder=tr("dialogue.choose"), key=prefix + "level")
        field_error(form, "level")
    with right:
        published_on = _date(tr("field.published_on"), prefix + "published_on",
                             current.published_on if current else None)
        field_error(form, "published_on")
        deadline = _date(tr("field.deadline"), prefix + "deadline",
                         current.deadline if current else None)
        field_error(form, "deadline")
        adopted_on = _date(tr("field.adopted_on"), prefix + "adopted_on",
                           current.adopted_on if current else None)
        field_error(form, "adopted_on")
        url = st.text_input(tr("field.url"), value=(current.url or "") if current else "",
                            key=prefix + "url", max_chars=1000, help=tr("dialogue.url_help"),
                            placeholder="https://tapportals.mk.gov.lv/")
        field_error(form, "url")
        topics = st.text_input(tr("field.topics"),
                               value="; ".join(current.topics) if current else "",
                               key=prefix + "topics", max_chars=500,
                               help=tr("dialogue.topics_help"))
        field_error(form, "topics")
    note = st.text_area(tr("field.note"), value=(current.note or "") if current else "",
                        key=prefix + "note", max_chars=10_000, help=tr("dialogue.note_help"))
    field_error(form, "note")
    return {"ref": ref, "title": title, "institution": institution, "kind": kind,
            "level": level, "published_on": published_on, "deadline": deadline,
            "adopted_on": adopted_on, "url": url, "topics": topics, "note": note}


def other_errors(form: str, shown: set[str]) -> None:
    """Errors about fields the form has no widget for (so they are not lost)."""
    errors = errors_of(form)
    for error in errors.errors if errors else []:
        if error.field.split(".", 1)[0] not in shown:
            st.error(error.describe(lang()), icon=":material/error:")


def create(*, actor: Actor, writer: bool) -> None:
    """The form to add a document, with who monitors it (staff: their incubator) from when."""
    if not writer:
        return
    names = incubator_names(actor)
    with st.form(CREATE):
        data = fields(form=CREATE, prefix=NEW_PREFIX, current=None)
        who, since = st.columns(2)
        incubator: int | None = actor.incubator_id
        if actor.is_manager:
            choices = [*names, PROGRAMME]
            picked = who.selectbox(tr("dialogue.monitoring_incubator"), choices,
                                   format_func=lambda i: monitor_name(i or None, names),
                                   key=NEW_PREFIX + "incubator")
            incubator = picked or None
        else:
            who.caption(tr("dialogue.monitoring_own",
                           incubator=plain(monitor_name(actor.incubator_id, names))))
        with who:
            field_error(CREATE, "incubator_id")
        with since:
            monitored_from = _date(tr("field.monitored_from"), NEW_PREFIX + "monitored_from",
                                   today())
            field_error(CREATE, "monitored_from")
        other_errors(CREATE, {*FIELDS, "incubator_id", "monitored_from"})
        pressed = st.form_submit_button(tr("dialogue.document_create"), type="primary",
                                        icon=":material/add:")
    if pressed:
        new = checked(CREATE, DocumentCreate, given(data | {
            "incubator_id": incubator, "monitored_from": monitored_from}))
        saved = save_form(CREATE, lambda s: documents.create_document(s, actor=actor,
                                                                      data=new))
        if saved is not None:
            done(tr("dialogue.document_created", ref=plain(saved.ref)), NEW_PREFIX,
                 document=saved.id)


def edit(*, actor: Actor, current: DocumentRead) -> None:
    """The form to change a document's facts (a copy changed meanwhile is refused)."""
    prefix = f"document_edit_{current.id}_"
    with st.form(EDIT):
        data = fields(form=EDIT, prefix=prefix, current=current)
        other_errors(EDIT, {*FIELDS})
        pressed = st.form_submit_button(tr("dialogue.document_save"), type="primary",
                                        icon=":material/save:")
    if pressed:
        update = checked(EDIT, DocumentUpdate, given(data | {"version": current.version}))
        saved = save_form(EDIT, lambda s: documents.update_document(
            s, actor=actor, document_id=current.id, data=update))
        if saved is not None:
            done(tr("dialogue.document_saved", ref=plain(saved.ref)), prefix,
                 document=saved.id)
