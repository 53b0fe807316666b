"""A document's opinions for staff and managers (funders never see them: only the figures):
each with its authors, summary, outcome, internal note and evidence, and the steps the review
allows now (tracker.services.opinions.opinion_steps): submit, approve, return with a comment,
edit, delete (asked first), record the answer, add or remove the evidence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboards.components import confirm, dialogue_opinion_form
from dashboards.components.dialogue_common import done, monitor_name, save_form
from dashboards.components.forms import field_error
from dashboards.components.text import enum_label, fmt_date, plain, tr
from tracker.auth import Actor
from tracker.database import session_scope
from tracker.enums import ActivityStatus
from tracker.schemas.dialogue import DocumentRead, OpinionRead
from tracker.services import attachments, opinions
from tracker.services.review import Step

STEP, EVIDENCE = "opinion_step", "opinion_evidence"
CONFIRM_DELETE, CONFIRM_RETURN = "dialogue_confirm_delete_opinion", "dialogue_confirm_return"


def may_answer(actor: Actor, opinion: OpinionRead) -> bool:
    """Who may record the institution's answer: managers, and staff of its incubator."""
    return actor.is_manager or (opinion.incubator_id is not None
                                and opinion.incubator_id == actor.incubator_id)


def _evidence_file(actor: Actor, opinion_id: int) -> Callable[[], bytes]:
    """A download button's data: read (and the download audited) on the click."""
    def content() -> bytes:
        with session_scope() as session:
            return opinions.evidence_content(session, actor=actor, opinion_id=opinion_id)[2]
    return content


def _step(actor: Actor, opinion: OpinionRead, step: Step, comment: str = "") -> None:
    """Submit, approve or return the opinion; a refusal is said where the buttons are."""
    def run(session: Any) -> int:
        if step is Step.SUBMIT:
            return opinions.submit_opinion(session, actor=actor, opinion_id=opinion.id,
                                           version=opinion.version)
        if step is Step.APPROVE:
            return opinions.approve_opinion(session, actor=actor, opinion_id=opinion.id,
                                            version=opinion.version)
        return opinions.return_opinion(session, actor=actor, opinion_id=opinion.id,
                                       version=opinion.version, comment=comment)
    if save_form(STEP, run) is not None:
        confirm.forget(CONFIRM_RETURN)
        key = {Step.SUBMIT: "dialogue.submitted", Step.APPROVE: "dialogue.approved"}.get(
            step, "dialogue.returned")
        done(tr(key, ref=plain(opinion.document_ref)), f"opinion_return_{opinion.id}",
             document=opinion.document_id)


def _buttons(actor: Actor, opinion: OpinionRead, allowed: frozenset[Step]) -> None:
    submit_col, approve_col, return_col, delete_col = st.columns(4)
    if Step.SUBMIT in allowed and submit_col.button(
            tr("dialogue.submit"), key=f"opinion_submit_{opinion.id}", icon=":material/send:",
            type="primary"):
        _step(actor, opinion, Step.SUBMIT)
    if Step.APPROVE in allowed and approve_col.button(
            tr("dialogue.approve"), key=f"opinion_approve_{opinion.id}",
            icon=":material/check:", type="primary"):
        _step(actor, opinion, Step.APPROVE)
    if Step.RETURN in allowed and return_col.button(
            tr("dialogue.return"), key=f"opinion_return_ask_{opinion.id}",
            icon=":material/undo:"):
        confirm.ask(CONFIRM_RETURN, opinion.id)
    if Step.DELETE in allowed and delete_col.button(
            tr("dialogue.delete_opinion"), key=f"opinion_delete_{opinion.id}",
            icon=":material/delete:"):
        confirm.ask(CONFIRM_DELETE, opinion.id)
    if not allowed & {Step.EDIT, Step.SUBMIT, Step.APPROVE}:
        submit_col.caption(tr("dialogue.locked"))
    comment: list[str] = []
    if confirm.answered(
            CONFIRM_RETURN, opinion.id, keep=True,
            question=tr("dialogue.return_confirm", ref=plain(opinion.document_ref)),
            yes=tr("dialogue.return_yes"), no=tr("dialogue.cancel"),
            keys=(f"opinion_return_yes_{opinion.id}", f"opinion_return_no_{opinion.id}"),
            before_buttons=lambda: comment.append(st.text_area(
                tr("dialogue.return_comment"), key=f"opinion_return_{opinion.id}",
                max_chars=2000))):
        _step(actor, opinion, Step.RETURN, comment[0] if comment else "")
    if confirm.asking(CONFIRM_RETURN, opinion.id):
        field_error(STEP, "comment")
    if confirm.answered(
            CONFIRM_DELETE, opinion.id,
            question=tr("dialogue.delete_opinion_confirm", ref=plain(opinion.document_ref),
                        date=fmt_date(opinion.submitted_on)),
            yes=tr("dialogue.yes_delete"), no=tr("dialogue.cancel"),
            keys=(f"opinion_delete_yes_{opinion.id}", f"opinion_delete_no_{opinion.id}")):
        def delete(session: Any) -> bool:
            opinions.delete_opinion(session, actor=actor, opinion_id=opinion.id,
                                    version=opinion.version)
            return True
        if save_form(STEP, delete):
            done(tr("dialogue.opinion_deleted", ref=plain(opinion.document_ref)),
                 f"opinion_edit_{opinion.id}_", document=opinion.document_id)


def _evidence(actor: Actor, opinion: OpinionRead, allowed: frozenset[Step]) -> None:
    """The opinion's evidence file: download; add, replace or remove while ATTACH is allowed."""
    if opinion.evidence:
        name_col, get_col, remove_col = st.columns([4, 1.5, 1.5], vertical_alignment="center")
        name_col.caption(tr("dialogue.evidence", file_name=plain(opinion.evidence)))
        get_col.download_button(tr("dialogue.evidence_download"),
                                data=_evidence_file(actor, opinion.id),
                                file_name=opinion.evidence, key=f"opinion_get_{opinion.id}",
                                icon=":material/download:", on_click="ignore")
        if Step.ATTACH in allowed and remove_col.button(
                tr("dialogue.evidence_remove"), key=f"opinion_evidence_remove_{opinion.id}",
                icon=":material/delete:"):
            def remove(session: Any) -> OpinionRead:
                return opinions.delete_evidence(session, actor=actor, opinion_id=opinion.id)
            if save_form(EVIDENCE, remove) is not None:
                done(tr("dialogue.evidence_removed", file_name=plain(opinion.evidence)),
                     document=opinion.document_id)
    if Step.ATTACH not in allowed:
        return
    uploads = int(st.session_state.get("opinion_uploads", 0))
    upload = st.file_uploader(
        tr("dialogue.evidence_upload", max_mb=attachments.MAX_MEGABYTES),
        type=["pdf", "jpg", "jpeg", "png"], help=tr("dialogue.evidence_hint"),
        key=f"opinion_upload_{opinion.id}_{uploads}")
    if upload is not None:
        def add(session: Any, name: str = upload.name, data: bytes = upload.getvalue()
                ) -> OpinionRead:
            return opinions.add_evidence(session, actor=actor, opinion_id=opinion.id,
                                         file_name=name, data=data)
        saved = save_form(EVIDENCE, add)
        if saved is not None:
            st.session_state["opinion_uploads"] = uploads + 1  # a fresh, empty uploader
            done(tr("dialogue.evidence_added", file_name=plain(saved.evidence)),
                 document=opinion.document_id)


def show(*, actor: Actor, opinion: OpinionRead, allowed: frozenset[Step],
         names: dict[int, str]) -> None:
    """One opinion in a box of its own."""
    with st.container(border=True):
        who = monitor_name(opinion.incubator_id, names)
        st.markdown(f"**{plain(tr('dialogue.opinion_line', date=fmt_date(opinion.submitted_on), channel=enum_label(opinion.channel) if opinion.channel else '–', status=enum_label(opinion.status)))}** · {plain(who)}")  # noqa: E501
        st.caption(tr("dialogue.opinion_authors",
                      names=plain("; ".join(f"{a.name} ({a.reg_no})" for a in opinion.authors))))
        st.markdown(plain(opinion.summary))
        st.caption(plain(dialogue_opinion_form.describe_answer(opinion)))
        if opinion.note:
            st.caption(tr("dialogue.note", note=plain(opinion.note)))
        if opinion.status is ActivityStatus.RETURNED and opinion.review_comment:
            st.warning(tr("dialogue.returned_comment", comment=plain(opinion.review_comment)),
                       icon=":material/undo:")
        _evidence(actor, opinion, allowed)
        _buttons(actor, opinion, allowed)
        if Step.EDIT in allowed:
            with st.expander(tr("dialogue.edit_opinion"), icon=":material/edit:"):
                dialogue_opinion_form.edit(actor=actor, current=opinion)
        if may_answer(actor, opinion):
            with st.expander(tr("dialogue.answer"), icon=":material/mark_email_read:"):
                dialogue_opinion_form.answer(actor=actor, current=opinion)


def of_document(*, actor: Actor, document: DocumentRead, names: dict[int, str]) -> None:
    """The opinions on a document the actor may read (staff: their incubator's, and other
    incubators' approved ones), newest first."""
    st.markdown(f"**{tr('dialogue.opinions')}**")
    with session_scope(readonly=True) as session:
        rows = opinions.list_opinions(session, actor=actor, document_id=document.id)
        steps = {o.id: opinions.opinion_steps(session, actor=actor, opinion_id=o.id)
                 for o in rows}
    if not rows:
        st.caption(tr("dialogue.no_opinions"))
    for opinion in rows:
        show(actor=actor, opinion=opinion, allowed=steps[opinion.id], names=names)
