"""The two-step "are you sure?" of every destructive or final action (delete, deactivate,
close a quarter, end an enrolment …): a button asks, then a warning with a yes and a no.

    if st.button(...):
        confirm.ask(CONFIRM, item.id)
    if confirm.answered(CONFIRM, item.id, question=..., yes=..., no=...,
                        keys=("thing_delete_yes", "thing_delete_no")):
        ...  # do it

The question is kept in the session under `state` with the subject it is about, so only one
question is open at a time and a rerun keeps it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import streamlit as st


def ask(state: str, subject: Hashable) -> None:
    """Open the question about `subject` (and show it at once)."""
    st.session_state[state] = subject
    st.rerun()


def asking(state: str, subject: Hashable) -> bool:
    """Whether the question about `subject` is open."""
    return bool(st.session_state.get(state) == subject)


def forget(state: str) -> None:
    """Close the question, whatever it was about."""
    st.session_state.pop(state, None)


def answered(state: str, subject: Hashable, *, question: str, yes: str, no: str,
             keys: tuple[str, str],
             where: Any = None, keep: bool = False,
             before_buttons: Callable[[], object] | None = None) -> bool:
    """While the question about `subject` is open: the warning, then a yes and a no button
    (with `keys`). True when yes is pressed; the question closes then,
    unless `keep` (the caller forgets it once the action has succeeded, e.g. when a reason
    typed under the question may be refused). No closes it."""
    if not asking(state, subject):
        return False
    place = where if where is not None else st
    place.warning(question, icon=":material/warning:")
    if before_buttons is not None:
        before_buttons()
    left, right, _ = place.columns([1, 1, 4])
    if left.button(yes, key=keys[0], type="primary"):
        if not keep:
            forget(state)
        return True
    if right.button(no, key=keys[1]):
        forget(state)
        st.rerun()
    return False
