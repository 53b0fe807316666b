"""A form kept as it is typed (per user, in `form_drafts`): after a reload, a closed tab or a
lost connection the page brings it back and says so. Unchanged from what was loaded, nothing
is kept; saving or cancelling forgets it.

The page gives what its form holds as plain JSON (`typed`) on every run:

    kept = KeptForm(actor=actor, form="activity", prefix="activity")
    payload = kept.recall()      # a new session: what was kept, if anything
    kept.loaded(snapshot())      # the form as loaded (from the database, or blank)
    kept.keep(snapshot())        # every run: kept when it differs from what was loaded
    kept.forget()                # saved or cancelled
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from dashboards.components.text import fmt_moment, lang, tr
from tracker.auth import Actor
from tracker.database import session_scope
from tracker.errors import TrackerError
from tracker.services import form_drafts


class KeptForm:
    """One page's kept form; its state lives under `{prefix}_baseline`, `_kept`, `_restored`."""

    def __init__(self, *, actor: Actor, form: str, prefix: str) -> None:
        self.actor, self.form = actor, form
        self.baseline, self.kept = f"{prefix}_baseline", f"{prefix}_kept"
        self.restored = f"{prefix}_restored"

    def recall(self) -> tuple[dict[str, Any], dt.datetime] | None:
        """What this user kept of the form, and when (None: nothing)."""
        with session_scope(readonly=True) as session:
            found = form_drafts.recall(session, actor=self.actor, form=self.form)
        return None if found is None else (found.payload, found.saved_at)

    def discard(self) -> None:
        """Throw away what was kept (it no longer fits the form)."""
        with session_scope() as session:
            form_drafts.discard(session, actor=self.actor, form=self.form)

    def loaded(self, typed: dict[str, Any] | None) -> None:
        """The form as it was loaded: nothing is kept while it stays so (None: a restored form,
        which is kept however it looks)."""
        st.session_state[self.baseline] = typed

    def came_back(self, payload: dict[str, Any], saved_at: dt.datetime) -> None:
        """A kept form was put back into the widgets: say so on the page."""
        st.session_state[self.kept] = payload
        st.session_state[self.restored] = saved_at

    def keep(self, typed: dict[str, Any]) -> None:
        """Keep the form as typed now; unchanged from what was loaded, nothing is kept."""
        if typed == st.session_state.get(self.baseline):
            if st.session_state.get(self.kept) is not None:
                self.forget()
        elif typed != st.session_state.get(self.kept):
            try:
                with session_scope() as session:
                    form_drafts.keep(session, actor=self.actor, form=self.form, payload=typed)
                st.session_state[self.kept] = typed
            except TrackerError as exc:  # not kept: the screen still has it all, and says so
                st.warning(exc.message(lang()), icon=":material/warning:")

    def forget(self) -> None:
        """Saved or cancelled: nothing is kept any more."""
        if st.session_state.get(self.kept) is not None:
            self.discard()
        st.session_state[self.kept] = None
        st.session_state.pop(self.restored, None)

    def notice(self, *, text_key: str, discard_label: str, key: str) -> bool:
        """The note that the form came back (`text_key` with the {time} it was kept), with a
        button to throw it away (True: pressed)."""
        if self.restored not in st.session_state:
            return False
        note, throw = st.columns([5, 1.5], vertical_alignment="center")
        note.info(tr(text_key, time=fmt_moment(st.session_state[self.restored])),
                  icon=":material/restore:")
        return bool(throw.button(discard_label, key=key, icon=":material/delete_sweep:"))
