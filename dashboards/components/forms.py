"""Form helpers: messages next to the field they are about, and one way to run a save."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, TypeVar

import streamlit as st

from dashboards.components.text import lang
from tracker.database import session_scope
from tracker.errors import FieldError, TrackerError, ValidationFailed
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


def attempt(form: str, action: Callable[[], T]) -> tuple[T | None, TrackerError | None]:
    """Run a save and say nothing (e.g. in a widget's callback): field errors are kept for
    `field_error`; returns the result, or None and the refusal (nothing was written)."""
    try:
        result = action()
    except ValidationFailed as exc:
        st.session_state[_PREFIX + form] = exc
        return None, exc
    except TrackerError as exc:
        clear_errors(form)
        return None, exc
    clear_errors(form)
    return result, None


def save(form: str, action: Callable[[], T]) -> T | None:
    """Run a save; field errors are kept for `field_error`, other refusals shown at once.

    Returns the action's result, or None when it was refused (nothing was written: the
    service's unit of work rolled back).
    """
    result, refused = attempt(form, action)
    if refused is not None:
        st.error(refused.message(lang()), icon=":material/error:"
                 if isinstance(refused, ValidationFailed) else ":material/block:")
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


def naming_fields(action: Callable[[Any], T],
                  field_of: Callable[[TrackerError], FieldError | None]) -> Callable[[Any], T]:
    """`action`, with a refusal that `field_of` ties to one field of the form (a reference
    already taken) turned into that field's error, so the form shows it next to the field."""
    def run(session: Any) -> T:
        try:
            return action(session)
        except TrackerError as exc:
            named = field_of(exc)
            if named is None:
                raise
            raise ValidationFailed([named]) from exc
    return run


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


def problems(model: type[S], data: dict[str, Any]) -> list[FieldError]:
    """Everything wrong with `data` now, every field at once; a blank value counts as missing
    (so an empty required field says "required", not "too short")."""
    try:
        parse(model, {k: v for k, v in data.items() if v is not None and v != ""})
    except ValidationFailed as exc:
        return list(exc.errors)
    return []


def _describe(error: FieldError) -> str:
    return error.describe(lang())


def _base(field: str) -> str:
    return field.split(".", 1)[0]


class ErrorSlots:
    """Places under a form's widgets, filled once every value is known: an error shows in the
    run that found it, next to its field, and goes as soon as the field is valid again."""

    def __init__(self, form: str) -> None:
        self.form = form
        self._slots: dict[str, Any] = {}
        self._describe: dict[str, Callable[[FieldError], str]] = {}

    def here(self, field: str, describe: Callable[[FieldError], str] | None = None) -> None:
        """The place of `field`'s errors; `describe` words them (default: `Label: message`),
        e.g. naming the person a list item is about."""
        self._slots[field] = st.empty()
        if describe is not None:
            self._describe[field] = describe

    def show(self, now: list[FieldError], values: dict[str, Any], *, every: bool,
             at_once: Collection[str]) -> list[FieldError]:
        """Show the errors of `now` (all of them once `every`, else only those of the fields in
        `at_once`) and those the last save was refused with, while their field is unchanged.
        Returns the shown errors that have no place here."""
        refused = errors_of(self.form)
        before = st.session_state.get(_PREFIX + self.form + ":values", {})
        stale = [] if refused is None else [
            e for e in refused.errors if before.get(_base(e.field)) == values.get(_base(e.field))]
        shown = [e for e in now if every or _base(e.field) in at_once] + [
            e for e in stale if all(e.field != n.field for n in now)]
        for field, slot in self._slots.items():
            words = self._describe.get(field, _describe)
            mine = [words(e) for e in shown if _base(e.field) == field]
            if mine:
                slot.error("\n\n".join(mine), icon=":material/error:")
            else:
                slot.empty()
        return [e for e in shown if _base(e.field) not in self._slots]

    def save(self, values: dict[str, Any], action: Callable[[], T]) -> T | None:
        """`save`, remembering the values a refusal was about (see `show`)."""
        st.session_state[_PREFIX + self.form + ":values"] = dict(values)
        return save(self.form, action)
