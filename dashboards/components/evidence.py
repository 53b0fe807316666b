"""An activity's evidence (attendance lists, agendas, photos): the files with a download
button each (every download is audited, and happens only when the button is pressed), and for
whoever may add evidence, a remove button each and an uploader."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboards.components.forms import save
from dashboards.components.text import tr
from tracker.auth import Actor
from tracker.database import session_scope
from tracker.services import attachments, review


def downloader(actor: Actor, attachment_id: int) -> Callable[[], bytes]:
    """A download button's data: the file read (and the download audited) on the click."""
    def content() -> bytes:
        with session_scope() as session:
            return attachments.attachment_content(session, actor=actor,
                                                  attachment_id=attachment_id)[2]
    return content


def box(*, actor: Actor, activity_id: int, flash: str) -> None:
    """The evidence of one activity; what was added or removed is said under `flash`."""
    st.subheader(tr("attachments.title"))
    with session_scope(readonly=True) as session:
        files = attachments.list_attachments(session, actor=actor, activity_id=activity_id)
        can_attach = review.Step.ATTACH in review.steps_for(session, actor, activity_id)
    if not files:
        st.caption(tr("attachments.none"))
    for file in files:
        name_col, get_col, remove_col = st.columns([5, 1.5, 1.5], vertical_alignment="center")
        name_col.text(f"{file.file_name} · {file.size_bytes / 1024:.0f} KB")
        if file.same_elsewhere:
            name_col.caption(tr("attachments.same_elsewhere",
                                ids=", ".join(f"#{i}" for i in file.same_elsewhere)))
        get_col.download_button(tr("attachments.download"), data=downloader(actor, file.id),
                                file_name=file.file_name, mime=file.content_type,
                                key=f"evidence_get_{file.id}", icon=":material/download:")
        if can_attach and remove_col.button(tr("attachments.delete"),
                                            key=f"evidence_remove_{file.id}",
                                            icon=":material/delete:"):
            def _remove(attachment_id: int = file.id) -> bool:
                with session_scope() as session:
                    attachments.delete_attachment(session, actor=actor,
                                                  attachment_id=attachment_id)
                return True
            if save("evidence", _remove):
                st.session_state[flash] = tr("attachments.deleted", file_name=file.file_name)
                st.rerun()
    if can_attach:
        uploads = st.session_state.setdefault("evidence_uploads", 0)
        upload = st.file_uploader(
            tr("attachments.upload", max_mb=attachments.MAX_MEGABYTES),
            type=["pdf", "jpg", "jpeg", "png"], help=tr("attachments.upload_hint"),
            key=f"evidence_upload_{activity_id}_{uploads}")
        if upload is not None:
            def _add(name: str = upload.name, data: bytes = upload.getvalue()) -> Any:
                with session_scope() as session:
                    return attachments.add_attachment(session, actor=actor,
                                                      activity_id=activity_id,
                                                      file_name=name, data=data)
            attached = save("evidence", _add)
            if attached is not None:
                st.session_state["evidence_uploads"] = uploads + 1  # a fresh, empty uploader
                st.session_state[flash] = tr("attachments.added", file_name=attached.file_name)
                st.rerun()
