"""Form helpers: messages next to the field they are about, and one way to run a save."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from dashboards.components.text import lang
from tracker.database import session_scope
from tracker.errors import TrackerError, ValidationFailed
from tracker.schemas import S, parse

T = TypeVar("T")
_PREFIX = "form_errors:"


def errors_of(form: str) -> ValidationFailed | None:
    """The validation errors the last save of `form` left (shown until the next save)."""
    value = st.session_state.get(_PREFIX + form)
    return value if isinstance(value, ValidationFailed) else None


def field_error(form: str, field: str) -> None:
    """Under a widget: what is wrong with this field, in the user's language."""
    errors = errors_of(form)
    if errors is None:
        return
    for error in errors.for_field(field):
        st.error(error.describe(lang()), icon=":material/error:")


def clear_errors(form: str) -> None:
    st.session_state.pop(_PREFIX + form, None)


def save(form: str, action: Callable[[], T]) -> T | None:
    """Run a save; field errors are kept for `field_error`, other refusals shown at once.

    Returns the action's result, or None when it was refused (nothing was written: the
    service's unit of work rolled back).
    """
    try:
        result = action()
    except ValidationFailed as exc:
        st.session_state[_PREFIX + form] = exc
        st.error(exc.message(lang()), icon=":material/error:")
        return None
    except TrackerError as exc:
        clear_errors(form)
        st.error(exc.message(lang()), icon=":material/block:")
        return None
    clear_errors(form)
    return result


def validated(form: str, model: type[S], data: dict[str, object]) -> S | None:
    """`data` checked by the shared schema; on errors they are kept for `field_error`."""
    return save(form, lambda: parse(model, data))


def write(action: Callable[[Any], T]) -> T:
    """One unit of work: all of the action is written, or (when refused) nothing of it."""
    with session_scope() as session:
        return action(session)


def submit(form: str, schema: type[S], data: dict[str, Any],
           action: Callable[[Any, S], T]) -> T | None:
    """Check `data`, then run the service; field errors show next to their fields (rerun)."""
    parsed = validated(form, schema, data)
    result = None if parsed is None else save(form, lambda: write(
        lambda session: action(session, parsed)))
    if result is None and errors_of(form) is not None:
        st.rerun()
    return result


def done(flash_key: str, place: str, message: str, *keys: str) -> None:
    """After a save: empty the form's widgets, rerun to show the new state, say what was done."""
    for key in keys:
        st.session_state.pop(key, None)
    st.session_state[flash_key] = (place, message)
    st.rerun()


def flash(flash_key: str, place: str) -> None:
    """The message `done` left for `place`, shown once."""
    if st.session_state.get(flash_key, ("",))[0] == place:
        st.success(st.session_state.pop(flash_key)[1], icon=":material/check_circle:")


def save_or_rerun(form: str, action: Callable[[Any], T]) -> T | None:
    """One unit of work; when refused nothing is written and the form shows why (rerun)."""
    result = save(form, lambda: write(action))
    if result is None and errors_of(form) is not None:
        st.rerun()
    return result


def checked(form: str, schema: type[S], data: dict[str, Any]) -> S:
    """`data` checked by the schema; if it is wrong, the form shows why next to each field."""
    parsed = validated(form, schema, data)
    if parsed is None:
        st.rerun()
    return parsed
