"""An opinion's form, to add or to edit (OpinionCreate / OpinionUpdate, as the import), every
error next to its field. The document and the authors are picked outside the form, so that a
search updates the lists at once: staff see their incubator's organisations first and find any
other by name or registration number. Evidence (PDF, JPEG, PNG) may come with a new opinion,
saved in the same unit of work (refused, nothing is written)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from dashboards.components.cache import cached
from dashboards.components.dialogue_common import (
    done,
    given,
    incubator_names,
    save_form,
    today,
)
from dashboards.components.dialogue_document_form import DATES, max_length, other_errors
from dashboards.components.forms import checked, field_error
from dashboards.components.text import enum_label, fmt_date, lang, plain, tr
from tracker.auth import Actor
from tracker.database import session_scope
from tracker.enums import ActivityStatus, OpinionChannel, OpinionOutcome
from tracker.errors import TrackerError
from tracker.schemas import OrganizationPage
from tracker.schemas.dialogue import OpinionCreate, OpinionFields, OpinionRead, OpinionUpdate
from tracker.services import attachments, documents, opinions, organizations

CREATE, EDIT = "opinion_new", "opinion_edit"
NEW_PREFIX = "opinion_new_"
OWN_LIMIT = 200  # the incubator's organisations listed before any search
FOUND_LIMIT = 50
PROGRAMME = 0  # the incubator choice meaning the programme's own opinion (managers)
FIELDS = ("document_id", "organization_ids", "submitted_on", "channel", "summary", "outcome",
          "answered_on", "note")


def document_picker(*, actor: Actor, form: str, prefix: str, default: int | None) -> int | None:
    """The document the opinion is on: a search narrows the list (upcoming deadlines first)."""
    search = st.text_input(tr("dialogue.document_search"), key=prefix + "document_search",
                           placeholder=tr("dialogue.search_hint"),
                           max_chars=documents.MAX_SEARCH)
    key = prefix + "document"
    # A document opened since (in the card above) is offered while the picker is empty.
    if default is not None and st.session_state.get(prefix + "offered") != default:
        st.session_state[prefix + "offered"] = default
        if st.session_state.get(key) is None:
            st.session_state[key] = default
    labels: dict[int, str] = {}
    try:
        with session_scope(readonly=True) as session:
            for d in documents.list_documents(session, actor=actor, search=search or None,
                                              limit=100):
                labels[d.id] = f"{d.ref} · {d.title}"
    except TrackerError as exc:  # a refused search says why
        st.error(exc.message(lang()), icon=":material/error:")
    held = st.session_state.get(key)
    if isinstance(held, int) and held not in labels:  # picked before this search
        try:
            with session_scope(readonly=True) as session:
                kept = documents.get_document(session, actor=actor, document_id=held)
            labels = {kept.id: f"{kept.ref} · {kept.title}"} | labels
        except TrackerError:  # deleted meanwhile: nothing is picked any more
            pass
    if st.session_state.get(key) not in labels:
        st.session_state[key] = None
    picked = st.selectbox(tr("dialogue.document_pick"), list(labels), index=None,
                          format_func=labels.__getitem__, placeholder=tr("dialogue.choose"),
                          key=key)
    field_error(form, "document_id")
    return picked


def _label(name: str, reg_no: str) -> str:
    return f"{name} ({reg_no})"


def authors_picker(*, actor: Actor, form: str, prefix: str, current: OpinionRead | None
                   ) -> list[int]:
    """The organisations that wrote the opinion (a joint one: several)."""
    known: dict[int, str] = st.session_state.setdefault(prefix + "author_names", {
        a.organization_id: _label(a.name, a.reg_no) for a in (current.authors if current
                                                                else [])})
    own: list[int] = []
    if actor.incubator_id is not None:
        page: OrganizationPage = cached(
            organizations.search_organizations, actor=actor, incubator_id=actor.incubator_id,
            limit=OWN_LIMIT)
        for org in page.items:
            known[org.id] = _label(org.name, org.reg_no)
            own.append(org.id)
    search = st.text_input(tr("dialogue.author_search"), key=prefix + "author_search",
                           placeholder=tr("dialogue.author_search_hint"),
                           max_chars=organizations.MAX_SEARCH)
    found: list[int] = []
    if search.strip():
        try:
            with session_scope(readonly=True) as session:
                hits = organizations.search_organizations(session, actor=actor, search=search,
                                                          limit=FOUND_LIMIT).items
            for hit in hits:
                known[hit.id] = _label(hit.name, hit.reg_no)
                found.append(hit.id)
        except TrackerError as exc:
            st.error(exc.message(lang()), icon=":material/error:")
    chosen = list(st.session_state.get(prefix + "authors",
                                       [a.organization_id for a in current.authors]
                                       if current else []))
    options = list(dict.fromkeys([*found, *chosen, *own]))
    picked = st.multiselect(tr("dialogue.authors"), options,
                            default=[i for i in chosen if i in known],
                            format_func=lambda i: known.get(i, str(i)),
                            help=tr("dialogue.authors_help"), key=prefix + "authors",
                            placeholder=tr("dialogue.choose"))
    field_error(form, "organization_ids")
    return list(picked)


def fields(*, form: str, prefix: str, current: OpinionRead | None) -> dict[str, Any]:
    """The opinion's own widgets (inside the caller's st.form) and what they hold now."""
    channels, outcomes = list(OpinionChannel), list(OpinionOutcome)
    left, right = st.columns(2)
    with left:
        submitted_on = st.date_input(
            tr("field.submitted_on"), value=current.submitted_on if current else today(),
            format="DD.MM.YYYY", min_value=DATES[0], max_value=DATES[1],
            key=prefix + "submitted_on")
        field_error(form, "submitted_on")
        channel = st.selectbox(
            tr("field.channel"), channels, format_func=enum_label,
            index=channels.index(current.channel) if current and current.channel else 0,
            key=prefix + "channel")
        field_error(form, "channel")
    with right:
        outcome = st.selectbox(tr("field.outcome"), outcomes, format_func=enum_label,
                               index=outcomes.index(current.outcome) if current else 0,
                               key=prefix + "outcome")
        field_error(form, "outcome")
        answered_on = st.date_input(
            tr("field.answered_on"), value=current.answered_on if current else None,
            format="DD.MM.YYYY", min_value=DATES[0], max_value=DATES[1],
            key=prefix + "answered_on")
        field_error(form, "answered_on")
    summary = st.text_area(tr("field.summary"), value=current.summary if current else "",
                           max_chars=max_length(OpinionFields, "summary"),
                           help=tr("dialogue.summary_help"), key=prefix + "summary")
    field_error(form, "summary")
    note = st.text_area(tr("field.note"), value=(current.note or "") if current else "",
                        max_chars=10_000, help=tr("dialogue.note_help"), key=prefix + "note")
    field_error(form, "note")
    return {"submitted_on": submitted_on if isinstance(submitted_on, dt.date) else None,
            "channel": channel, "summary": summary, "outcome": outcome,
            "answered_on": answered_on if isinstance(answered_on, dt.date) else None,
            "note": note}


def create(*, actor: Actor, writer: bool, document_id: int | None) -> None:
    """The form to add an opinion (on `document_id` unless another is picked)."""
    if not writer:
        return
    document = document_picker(actor=actor, form=CREATE, prefix=NEW_PREFIX,
                               default=document_id)
    authors = authors_picker(actor=actor, form=CREATE, prefix=NEW_PREFIX, current=None)
    with st.form(CREATE):
        incubator: int | None = None  # staff: theirs (the service knows it)
        if actor.is_manager:
            names = incubator_names(actor)
            picked = st.selectbox(
                tr("dialogue.opinion_incubator"), [*names, PROGRAMME],
                format_func=lambda i: names.get(i, tr("dialogue.programme_itself")),
                key=NEW_PREFIX + "incubator")
            incubator = picked or None
            field_error(CREATE, "incubator_id")
        data = fields(form=CREATE, prefix=NEW_PREFIX, current=None)
        status = st.radio(tr("dialogue.opinion_status"),
                          [ActivityStatus.SUBMITTED, ActivityStatus.DRAFT],
                          format_func=enum_label, horizontal=True, key=NEW_PREFIX + "status")
        upload = st.file_uploader(
            tr("dialogue.evidence_upload", max_mb=attachments.MAX_MEGABYTES),
            type=["pdf", "jpg", "jpeg", "png"], help=tr("dialogue.evidence_hint"),
            key=NEW_PREFIX + "evidence")
        field_error(CREATE, "file")
        other_errors(CREATE, {*FIELDS, "incubator_id", "status", "file"})
        pressed = st.form_submit_button(tr("dialogue.opinion_create"), type="primary",
                                        icon=":material/add:")
    if pressed:
        new = checked(CREATE, OpinionCreate, given(data | {
            "document_id": document, "organization_ids": authors, "incubator_id": incubator,
            "status": status}))

        def add(session: Any) -> OpinionRead:
            saved = opinions.create_opinion(session, actor=actor, data=new)
            if upload is not None:
                saved = opinions.add_evidence(session, actor=actor, opinion_id=saved.id,
                                              file_name=upload.name, data=upload.getvalue())
            return saved
        created = save_form(CREATE, add)
        if created is not None:
            done(tr("dialogue.opinion_created", ref=plain(created.document_ref)), NEW_PREFIX,
                 document=created.document_id)


def edit(*, actor: Actor, current: OpinionRead) -> None:
    """The form to change an opinion (while the review lets its author or a reviewer)."""
    prefix, form = f"opinion_edit_{current.id}_", f"{EDIT}_{current.id}"
    document = document_picker(actor=actor, form=form, prefix=prefix,
                               default=current.document_id)
    authors = authors_picker(actor=actor, form=form, prefix=prefix, current=current)
    with st.form(form):
        data = fields(form=form, prefix=prefix, current=current)
        other_errors(form, {*FIELDS})
        pressed = st.form_submit_button(tr("dialogue.opinion_save"), type="primary",
                                        icon=":material/save:")
    if pressed:
        update = checked(form, OpinionUpdate, given(data | {
            "document_id": document, "organization_ids": authors,
            "version": current.version}))
        saved = save_form(form, lambda s: opinions.update_opinion(
            s, actor=actor, opinion_id=current.id, data=update))
        if saved is not None:
            done(tr("dialogue.opinion_saved", ref=plain(saved.document_ref)), prefix,
                 document=saved.document_id)


def answer(*, actor: Actor, current: OpinionRead) -> None:
    """The institution's answer, recorded later (on an approved opinion too)."""
    prefix = form = f"opinion_answer_{current.id}_"
    outcomes = list(OpinionOutcome)
    st.caption(tr("dialogue.answer_help"))
    with st.form(form):
        left, right = st.columns(2)
        outcome = left.selectbox(tr("field.outcome"), outcomes, format_func=enum_label,
                                 index=outcomes.index(current.outcome), key=prefix + "outcome")
        with left:
            field_error(form, "outcome")
        day = right.date_input(tr("field.answered_on"), value=current.answered_on,
                               format="DD.MM.YYYY", min_value=DATES[0], max_value=DATES[1],
                               key=prefix + "answered_on")
        with right:
            field_error(form, "answered_on")
        other_errors(form, {"outcome", "answered_on"})
        pressed = st.form_submit_button(tr("dialogue.answer_save"), icon=":material/save:")
    if pressed:
        saved = save_form(form, lambda s: opinions.record_answer(
            s, actor=actor, opinion_id=current.id, version=current.version, outcome=outcome,
            answered_on=day if isinstance(day, dt.date) else None))
        if saved is not None:
            done(tr("dialogue.answer_saved", ref=plain(saved.document_ref)), prefix,
                 document=saved.document_id)


def describe_answer(opinion: OpinionRead) -> str:
    if opinion.answered_on is None:
        return tr("dialogue.opinion_outcome", outcome=enum_label(opinion.outcome))
    return tr("dialogue.opinion_answered", outcome=enum_label(opinion.outcome),
              date=fmt_date(opinion.answered_on))
