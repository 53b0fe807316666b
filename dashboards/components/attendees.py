"""The people who attended an activity, ticked on its form (the signed attendance sheet, made
digital): the incubator's people, those of the participating organisations first; the hours
of anyone who left early; a person added on the spot, and ticked at once. What is ticked is
part of the form as it is typed (kept across reloads: `load` and `typed`).

The service checks the rest (tracker.services.attendance): never more named than took part,
nor more than an organisation's attendee number, only the incubator's people whose identity
is kept; its errors show under the list, naming the person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import streamlit as st

from dashboards.components.cache import cached
from dashboards.components.forms import ErrorSlots, attempt, errors_of, field_error, write
from dashboards.components.person_form import person_action
from dashboards.components.text import enum_label, lang, plain, tr
from tracker.auth import Actor
from tracker.enums import PersonRole
from tracker.errors import FieldError, ValidationFailed
from tracker.i18n import field_label
from tracker.schemas import PersonCreate, PersonRead, parse
from tracker.services import people

TICKED = "act_attendees"  # the multiselect: person ids, in the order ticked
HOURS = "act_att_hours_"  # + person id: hours when they left early (None: the whole activity)
QUICK = "quick_person"


def load(attendees: Iterable[Any]) -> None:
    """Tick these people and nobody else: saved attendees (AttendeeRead) or kept ones
    ({person_id, hours})."""
    state = st.session_state
    for key in [k for k in state if str(k).startswith(HOURS)]:
        del state[key]
    ticked = []
    for attendee in attendees:
        if isinstance(attendee, dict):
            person_id, hours = int(attendee["person_id"]), attendee.get("hours")
        else:
            person_id, hours = attendee.person_id, attendee.hours
        ticked.append(person_id)
        if hours is not None:
            state[f"{HOURS}{person_id}"] = float(hours)
    state[TICKED] = ticked


def typed() -> list[dict[str, Any]]:
    """The ticked people as plain JSON values: [{person_id, hours}] (hours None: all of it)."""
    state = st.session_state
    return [{"person_id": int(person_id), "hours": state.get(f"{HOURS}{person_id}")}
            for person_id in state.get(TICKED, [])]


def as_fields(ticked: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the activity's schema takes (`attendees`)."""
    return [{"person_id": a["person_id"], "hours": None if a["hours"] is None else str(a["hours"])}
            for a in ticked]


def _words(names: dict[int, str], ticked: Sequence[int]) -> Callable[[FieldError], str]:
    """An attendee's error names the person (attendees.N.… is the N-th ticked)."""
    def words(error: FieldError) -> str:
        parts = error.field.split(".")
        if len(parts) >= 3 and parts[1].isdigit() and int(parts[1]) < len(ticked):
            who = names.get(ticked[int(parts[1])], "")
            if parts[-1] != "person_id":
                who += f", {field_label(parts[-1], lang())}"
            return f"{who}: {error.message(lang())}"
        return error.describe(lang())
    return words


def tick(*, actor: Actor, incubator_id: int, participants: list[dict[str, Any]],
         saved: Sequence[int], slots: ErrorSlots) -> tuple[list[dict[str, Any]], Any]:
    """The list to tick, the hours of those who left early and the quick add; returns the
    ticked people ({person_id, hours}) and a place for the "named N of M" line."""
    offered = cached(people.people_to_tick, actor=actor, incubator_id=incubator_id)
    taking_part = {p["organization_id"] for p in participants}
    theirs = [p for p in offered if taking_part & set(p.organization_ids)]
    ordered = theirs + [p for p in offered if not taking_part & set(p.organization_ids)]
    names = {p.id: f"{p.name} ({p.ref})" for p in ordered}
    for person_id in saved:  # saved, and no longer offered (identity erased): stays ticked
        names.setdefault(person_id, tr("activities.attendee_erased", id=person_id))
    state = st.session_state
    state[TICKED] = [i for i in state.get(TICKED, []) if i in names]

    st.subheader(tr("activities.attendees_title"))
    st.caption(tr("activities.attendees_hint", count=len(theirs)) if taking_part
               else tr("activities.attendees_hint_all"))
    chosen: list[int] = st.multiselect(
        tr("activities.attendees"), list(names), format_func=names.__getitem__, key=TICKED,
        placeholder=tr("activities.attendees_placeholder"))
    count = st.empty()
    slots.here("attendees", describe=_words(names, chosen))
    if chosen:
        with st.expander(tr("activities.left_early")):
            columns = st.columns(3)
            for position, person_id in enumerate(chosen):
                columns[position % 3].number_input(
                    plain(names[person_id]), value=None, step=0.5, key=f"{HOURS}{person_id}",
                    placeholder=tr("activities.whole_activity"))
    _quick_add(actor=actor, incubator_id=incubator_id, participants=participants)
    return typed(), count


QUICK_FIELDS = {"quick_person_ref": "", "quick_person_first": "", "quick_person_last": "",
                "quick_person_org": None, "quick_person_consent": None}
QUICK_REFUSED = "quick_person_refused"  # a refusal that is about no field, said in the form


def _add_on_the_spot(*, actor: Actor, incubator_id: int) -> None:
    """The quick add's button (a callback: it runs before the page is drawn, so the person
    is ticked and the form emptied without another run): create, tick, empty the fields."""
    state = st.session_state
    organisation = state.get("quick_person_org")
    role = state.get("quick_person_role") or PersonRole.MEMBER
    data = {"incubator_id": incubator_id, "ref": state.get("quick_person_ref", ""),
            "first_name": state.get("quick_person_first", ""),
            "last_name": state.get("quick_person_last", ""),
            "consent_date": state.get("quick_person_consent"),
            "memberships": [] if organisation is None else [
                {"organization_id": organisation, "role": role}]}

    def create(session: Any) -> PersonRead:  # a unit of work (tracker.database)
        return people.create_person(session, actor=actor, data=parse(PersonCreate, data))
    created, refused = attempt(QUICK, lambda: write(person_action(create)))
    state[QUICK_REFUSED] = None if refused is None or isinstance(refused, ValidationFailed) \
        else refused.message(lang())
    if created is None:
        return
    state.update(QUICK_FIELDS)
    state[TICKED] = [*state.get(TICKED, []), created.id]


def _quick_add(*, actor: Actor, incubator_id: int, participants: list[dict[str, Any]]) -> None:
    """Add a person on the spot (the consent date is required); they are ticked at once."""
    organisations = {p["organization_id"]: p["name"] for p in participants}
    chosen = st.session_state.get("quick_person_org")
    if chosen is not None and chosen not in organisations:
        st.session_state["quick_person_org"] = None  # no longer among the participants
    refusal = st.session_state.get(QUICK_REFUSED)
    with st.expander(tr("activities.new_person"),
                     expanded=errors_of(QUICK) is not None or bool(refusal)), st.form(QUICK):
        ref_col, first_col, last_col = st.columns(3)
        ref_col.text_input(tr("field.ref"), key="quick_person_ref", max_chars=100)
        with ref_col:
            field_error(QUICK, "ref")
        first_col.text_input(tr("field.first_name"), key="quick_person_first", max_chars=100)
        with first_col:
            field_error(QUICK, "first_name")
        last_col.text_input(tr("field.last_name"), key="quick_person_last", max_chars=100)
        with last_col:
            field_error(QUICK, "last_name")
        org_col, role_col, consent_col = st.columns(3)
        org_col.selectbox(tr("activities.new_person_org"), list(organisations), index=None,
                          format_func=organisations.__getitem__, key="quick_person_org",
                          placeholder=tr("activities.new_person_no_org"))
        role_col.selectbox(tr("people.role"), list(PersonRole), format_func=enum_label,
                           index=list(PersonRole).index(PersonRole.MEMBER),
                           key="quick_person_role")
        consent_col.date_input(
            tr("field.consent_date"), value=None, min_value=dt.date(1900, 1, 1),
            max_value=dt.date.today(), format="DD.MM.YYYY",  # noqa: DTZ011
            key="quick_person_consent", help=tr("people.consent_help"))
        with consent_col:
            field_error(QUICK, "consent_date")
        for name in ("organization_id", "role", "incubator_id"):
            field_error(QUICK, name)
        if refusal:
            st.error(refusal, icon=":material/block:")
        st.form_submit_button(tr("activities.new_person_save"), icon=":material/person_add:",
                              on_click=_add_on_the_spot,
                              kwargs={"actor": actor, "incubator_id": incubator_id})
