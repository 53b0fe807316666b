"""A person's form, to add or edit (the same checks as the import: PersonCreate and
PersonUpdate), every error next to its field, named. Their organisations are picked by search
(as on the activity form). The personal code is typed to add or replace it, or removed; the
stored one shows masked, never whole. Without the encryption key it cannot be typed, and the
form says how to set the key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from dashboards.components.forms import errors_of, field_error, naming_fields, save_or_rerun
from dashboards.components.participants import search_organizations
from dashboards.components.text import enum_label, lang, tr
from tracker import personal_codes
from tracker.auth import Actor
from tracker.enums import Answer, Education, EmploymentStatus, Gender, PersonRole
from tracker.errors import (
    DuplicatePerson,
    DuplicatePersonRef,
    FieldError,
    TrackerError,
)
from tracker.schemas import ESF_FIELDS, PersonRead

T = TypeVar("T")
# The ESF+ questions answered yes / no / refused.
ANSWERS = tuple(f for f in ESF_FIELDS
                if f not in ("gender", "birth_date", "employment_status", "education"))
CHOICES: dict[str, list[Any]] = {"gender": list(Gender),
                                 "employment_status": list(EmploymentStatus),
                                 "education": list(Education),
                                 **{a: list(Answer) for a in ANSWERS}}
OLDEST = dt.date(1900, 1, 1)


def as_field_error(error: TrackerError) -> FieldError | None:
    """A refusal that is about one field of the form (a reference or a code already taken,
    no key for codes), as that field's error; None for any other."""
    if isinstance(error, DuplicatePersonRef):
        return FieldError("ref", error.code, error.params)
    if isinstance(error, DuplicatePerson | personal_codes.KeyMissing):
        return FieldError("personal_code", error.code, error.params)
    return None


def person_action(action: Callable[[Any], T]) -> Callable[[Any], T]:
    """`action`, its refusals about one field of the form turned into that field's error."""
    return naming_fields(action, as_field_error)


def save_person(form: str, action: Callable[[Any], T]) -> T | None:
    """One unit of work for a person's form: refused, nothing is written and the form shows
    why next to the field (rerun)."""
    return save_or_rerun(form, person_action(action))


def _errors_under(form: str, prefix: str) -> None:
    """The errors of every field whose name starts with `prefix` (a list's items)."""
    errors = errors_of(form)
    for error in errors.errors if errors else []:
        if error.field == prefix or error.field.startswith(prefix + "."):
            st.error(error.describe(lang()), icon=":material/error:")


def other_errors(form: str, shown: set[str]) -> None:
    """Errors about fields the form has no widget for (so they are not lost)."""
    errors = errors_of(form)
    for error in errors.errors if errors else []:
        if error.field.split(".")[0] not in shown:
            st.error(error.describe(lang()), icon=":material/error:")


def memberships(*, actor: Actor, form: str, prefix: str,
                current: PersonRead | None) -> list[dict[str, Any]]:
    """The person's organisations with a role each: search and add, change a role, remove.
    Kept under `{prefix}memberships` until the form is saved or reset."""
    state = prefix + "memberships"
    chosen: list[dict[str, Any]] = st.session_state.setdefault(state, [] if current is None else [
        {"organization_id": m.organization_id, "name": m.organization_name, "reg_no": m.reg_no,
         "role": m.role.value} for m in current.memberships])
    st.markdown(f"**{tr('field.memberships')}**")
    for item in list(chosen):
        oid = item["organization_id"]
        name_col, role_col, remove_col = st.columns([4, 2, 1], vertical_alignment="bottom")
        name_col.text(f"{item['name']} ({item['reg_no']})")
        role = role_col.selectbox(tr("people.role"), list(PersonRole), format_func=enum_label,
                                  index=list(PersonRole).index(PersonRole(item["role"])),
                                  key=f"{prefix}role_{oid}")
        item["role"] = (role or PersonRole.MEMBER).value
        if remove_col.button(tr("people.remove_org"), key=f"{prefix}remove_{oid}",
                             icon=":material/close:"):
            st.session_state[state] = [c for c in chosen if c["organization_id"] != oid]
            st.rerun()
    if not chosen:
        st.caption(tr("people.no_orgs"))
    found = search_organizations(actor=actor, key=prefix + "org_search")
    if found is not None:
        taken = {c["organization_id"] for c in chosen}
        found = [o for o in found if o.id not in taken]
        if found:
            pick_col, role_col, add_col = st.columns([4, 2, 1], vertical_alignment="bottom")
            picked = pick_col.selectbox(tr("activities.found"), found, key=prefix + "org_pick",
                                        format_func=lambda o: f"{o.name} ({o.reg_no})")
            role = role_col.selectbox(tr("people.role"), list(PersonRole), format_func=enum_label,
                                      index=list(PersonRole).index(PersonRole.MEMBER),
                                      key=prefix + "org_role")
            if add_col.button(tr("activities.add"), key=prefix + "org_add", icon=":material/add:"):
                chosen.append({"organization_id": picked.id, "name": picked.name,
                               "reg_no": picked.reg_no,
                               "role": (role or PersonRole.MEMBER).value})
                st.rerun()
        else:
            st.info(tr("people.no_org_found"))
    _errors_under(form, "memberships")
    return chosen


def _code(form: str, prefix: str, current: PersonRead | None) -> dict[str, Any]:
    """The personal code: typed (added or replacing the stored one) or removed."""
    ready = personal_codes.key_configured()
    data: dict[str, Any] = {}
    if current is not None and current.personal_code:
        st.caption(tr("people.code_now", code=current.personal_code))
    label = tr("people.code_replace") if current is not None and current.personal_code \
        else tr("field.personal_code")
    typed = st.text_input(label, key=prefix + "code", max_chars=20, disabled=not ready,
                          help=tr("people.code_help"), placeholder=tr("people.code_placeholder"))
    data["personal_code"] = typed if ready else None
    if not ready:  # the box is there, closed, with how to open it
        st.warning(personal_codes.KeyMissing().message(lang()), icon=":material/key_off:")
    if current is not None and current.personal_code:
        data["clear_personal_code"] = st.checkbox(tr("field.clear_personal_code"),
                                                  key=prefix + "code_clear")
    field_error(form, "personal_code")
    field_error(form, "clear_personal_code")
    return data


def _choice(form: str, prefix: str, name: str, current: PersonRead | None) -> Any:
    options = CHOICES[name]
    value = getattr(current, name) if current is not None else None
    chosen = st.selectbox(tr(f"field.{name}"), options, format_func=enum_label,
                          index=options.index(value) if value is not None else None,
                          placeholder=tr("people.not_answered"), key=prefix + name)
    field_error(form, name)
    return chosen


def fields(*, form: str, prefix: str, current: PersonRead | None,
           municipality_names: dict[str, str]) -> dict[str, Any]:
    """The person's own fields (in an st.form); returns what the user entered."""
    today = dt.date.today()  # noqa: DTZ011 - a calendar date, as the user sees it
    data: dict[str, Any] = {}
    left, right = st.columns(2)
    with left:
        if current is None:
            data["ref"] = st.text_input(tr("field.ref"), key=prefix + "ref", max_chars=100,
                                        help=tr("people.ref_help"))
            field_error(form, "ref")
        for name in ("first_name", "last_name"):
            data[name] = st.text_input(tr(f"field.{name}"), key=prefix + name, max_chars=100,
                                       value=(getattr(current, name) or "") if current else "")
            field_error(form, name)
        data |= _code(form, prefix, current)
        data["birth_date"] = st.date_input(
            tr("field.birth_date"), value=current.birth_date if current else None,
            min_value=OLDEST, max_value=today, format="DD.MM.YYYY", key=prefix + "birth_date")
        field_error(form, "birth_date")
        data["gender"] = _choice(form, prefix, "gender", current)
        places = list(municipality_names)
        atvk = current.municipality_atvk if current else None
        data["municipality_atvk"] = st.selectbox(
            tr("people.municipality"), places, format_func=municipality_names.__getitem__,
            index=places.index(atvk) if atvk in municipality_names else None,
            placeholder=tr("people.not_answered"), key=prefix + "municipality")
        field_error(form, "municipality_atvk")
        for name in ("email", "phone"):
            data[name] = st.text_input(tr(f"field.{name}"), key=prefix + name, max_chars=200,
                                       value=(getattr(current, name) or "") if current else "")
            field_error(form, name)
        data["consent_date"] = st.date_input(
            tr("field.consent_date"), value=current.consent_date if current else None,
            min_value=OLDEST, max_value=today, format="DD.MM.YYYY", key=prefix + "consent",
            help=tr("people.consent_help"))
        field_error(form, "consent_date")
    with right:
        st.caption(tr("people.esf_intro"))
        for name in ("employment_status", "education", *ANSWERS):
            data[name] = _choice(form, prefix, name, current)
    return data
