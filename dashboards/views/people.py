"""People: the participants of the incubators (staff: their own incubator's), whose ESF+ data
is incomplete, a person's card (opened only when picked: every opening is audited), add and
edit, withdraw consent (erases the identity, keeps the counts) and delete."""

from __future__ import annotations

import datetime as dt
from typing import Any, NoReturn

import streamlit as st

from dashboards.components import confirm, people_list, person_card, person_form
from dashboards.components.auth import require
from dashboards.components.forms import checked, errors_of, field_error
from dashboards.components.text import fmt_date, lang, plain, tr
from tracker.auth import Area
from tracker.database import session_scope
from tracker.errors import TrackerError
from tracker.i18n import format_number
from tracker.schemas import PersonCard, PersonCreate, PersonRead, PersonUpdate
from tracker.services import people, reference, trained

CREATE, EDIT, WITHDRAW, DELETE = "person_new", "person_edit", "person_withdraw", "person_delete"
FLASH = "people_flash"  # what the last save did, shown once after the rerun
RESET = "people_reset"  # widget-key prefixes to empty at the start of the next run
CARD = "people_card"  # the card shown: read (and audited) once per opening, not per rerun
CONFIRM_WITHDRAW, CONFIRM_DELETE = "people_confirm_withdraw", "people_confirm_delete"

actor = require(Area.PEOPLE)


def _forget(*prefixes: str) -> None:
    """Empty the widgets whose keys start with `prefixes` (before they are drawn)."""
    for key in [k for k in st.session_state if str(k).startswith(prefixes)]:
        del st.session_state[key]


_forget(*st.session_state.pop(RESET, []))

TODAY = dt.date.today()  # noqa: DTZ011 - a calendar date, as the user sees it
with session_scope(readonly=True) as session:
    incubator_list = reference.list_incubators(session, actor=actor)
    home_region = next((i.region_id for i in incubator_list if i.id == actor.incubator_id), None)
    municipality_list = reference.list_municipalities(session, region_first=home_region)
    rule = trained.training_rule(session)
incubator_names = {i.id: i.name_en if lang() == "en" else i.name_lv for i in incubator_list}
municipality_names = {m.atvk: m.name + ("" if m.valid_to is None else
                                        " " + tr("activities.until", date=fmt_date(m.valid_to)))
                      for m in municipality_list}
MIN_HOURS = format_number(float(rule.min_hours), lang(),
                          0 if rule.min_hours == rule.min_hours.to_integral() else 2)


def _done(message: str, *prefixes: str, person: int | None = None) -> NoReturn:
    """After a save: say what was done, empty the forms named by `prefixes`, show the result."""
    st.session_state[FLASH] = message
    st.session_state[RESET] = list(prefixes)
    if person is not None:
        st.query_params["person"] = str(person)
    st.rerun()


def _memberships(chosen: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"organization_id": m["organization_id"], "role": m["role"]} for m in chosen]


def _updated(card: PersonCard, read: PersonRead) -> PersonCard:
    """The card after a change: the new record with what was attended (no new audited read)."""
    return PersonCard(**read.model_dump(), attended=card.attended,
                      trained_hours=card.trained_hours, trained=card.trained)


# --- list --------------------------------------------------------------------------------------
st.title(tr("nav.people"))
flash = st.session_state.pop(FLASH, None)
if flash:
    st.success(flash, icon=":material/check_circle:")
wanted = st.query_params.get("person", "")
card_area = st.container()  # an open card shows first; the list follows
if wanted:
    st.subheader(tr("people.list"))
chosen = people_list.filters(actor=actor, incubator_names=incubator_names)
picked = people_list.show(actor=actor, chosen=chosen)
if picked is not None:
    st.query_params["person"] = str(picked)
    st.session_state.pop(CARD, None)
    st.rerun()

# --- add ---------------------------------------------------------------------------------------
with st.expander(tr("people.new"), icon=":material/person_add:",
                 expanded=errors_of(CREATE) is not None):
    new_incubator = actor.incubator_id
    if actor.is_manager:
        new_incubator = st.selectbox(tr("field.incubator_id"), list(incubator_names), index=None,
                                     format_func=incubator_names.__getitem__,
                                     placeholder=tr("people.choose"), key="person_new_incubator")
        field_error(CREATE, "incubator_id")
    new_orgs = person_form.memberships(actor=actor, form=CREATE, prefix="person_new_",
                                       current=None)
    with st.form(CREATE):
        new_data = person_form.fields(form=CREATE, prefix="person_new_", current=None,
                                      municipality_names=municipality_names)
        person_form.other_errors(CREATE, {*new_data, "memberships", "incubator_id"})
        create = st.form_submit_button(tr("people.create"), type="primary",
                                       icon=":material/save:")
    if create:
        new = checked(CREATE, PersonCreate, new_data | {
            "incubator_id": new_incubator, "memberships": _memberships(new_orgs)})
        created = person_form.save_person(CREATE, lambda s: people.create_person(
            s, actor=actor, data=new))
        if created is not None:
            st.session_state.pop(CARD, None)
            _done(tr("people.created", name=plain(created.name)), "person_new_",
                  person=created.id)


# --- a person's card -----------------------------------------------------------------------------
def _card(person_id: int) -> PersonCard:
    """The card of the person picked: read once (an audited view), then kept while open."""
    held = st.session_state.get(CARD)
    if not isinstance(held, PersonCard) or held.id != person_id:
        with session_scope() as session:
            held = people.get_person(session, actor=actor, person_id=person_id)
        st.session_state[CARD] = held
        _forget("person_edit_", "person_withdraw_on")
    return held


def _close() -> NoReturn:
    st.query_params.pop("person", None)
    st.session_state.pop(CARD, None)
    st.rerun()


def _changed_meanwhile(card: PersonCard) -> bool:
    """Whether someone else changed (or deleted) the person since the card was read; says so,
    with a button to read it again."""
    with session_scope(readonly=True) as session:
        now = people.find_person(session, actor=actor, incubator_id=card.incubator_id,
                                 ref=card.ref)
    if now is None or now.id != card.id:
        st.warning(tr("people.gone"))
        if st.button(tr("people.close"), key="person_gone_close"):
            _close()
        return True
    if now.version == card.version:
        return False
    st.warning(tr("people.changed_meanwhile"))
    if st.button(tr("people.reload"), key="person_reload", icon=":material/refresh:"):
        st.session_state.pop(CARD, None)
        _done(tr("people.reloaded"), f"person_edit_{card.id}_")
    return True


def _profile(person_id: int) -> None:
    card = _card(person_id)
    head, close = st.columns([6, 1], vertical_alignment="bottom")
    head.header(plain(card.name))
    if close.button(tr("people.close"), key="person_close", icon=":material/close:"):
        _close()
    _changed_meanwhile(card)
    tabs = st.tabs([tr("people.tab_card"), tr("people.tab_edit"), tr("people.tab_consent")])
    with tabs[0]:
        person_card.show(card, min_hours=MIN_HOURS, municipality_names=municipality_names,
                         incubator_names=incubator_names)
    with tabs[1]:
        _edit(card)
    with tabs[2]:
        _withdraw(card)
        _delete(card)


def _edit(card: PersonCard) -> None:
    """Change the person (a copy changed meanwhile by someone else is refused)."""
    if card.erased:
        st.info(tr("people.erased_no_edit"))
        return
    prefix = f"person_edit_{card.id}_"
    orgs = person_form.memberships(actor=actor, form=EDIT, prefix=prefix, current=card)
    with st.form(EDIT):
        data = person_form.fields(form=EDIT, prefix=prefix, current=card,
                                  municipality_names=municipality_names)
        person_form.other_errors(EDIT, {*data, "memberships", "version"})
        save = st.form_submit_button(tr("people.save"), type="primary", icon=":material/save:")
    if save:
        update = checked(EDIT, PersonUpdate, data | {
            "version": card.version, "consent_withdrawn": card.consent_withdrawn,
            "memberships": _memberships(orgs)})
        result = person_form.save_person(EDIT, lambda s: people.update_person(
            s, actor=actor, person_id=card.id, data=update))
        if result is not None:
            st.session_state[CARD] = _updated(card, result)
            _done(tr("people.saved", name=plain(result.name)), prefix)


def _withdraw(card: PersonCard) -> None:
    """Consent withdrawn on a date: asked first; the identity is erased, attendance counts."""
    if card.erased:
        return
    st.markdown(f"**{tr('people.withdraw_title')}**")
    day_col, button_col = st.columns([2, 2], vertical_alignment="bottom")
    on = day_col.date_input(tr("people.withdraw_on"), value=TODAY, min_value=card.consent_date,
                            max_value=TODAY, format="DD.MM.YYYY", key="person_withdraw_on")
    field_error(WITHDRAW, "consent_withdrawn")
    if button_col.button(tr("people.withdraw"), key="person_withdraw",
                         icon=":material/person_remove:"):
        confirm.ask(CONFIRM_WITHDRAW, card.id)
    if confirm.answered(CONFIRM_WITHDRAW, card.id,
                        keys=("person_withdraw_yes", "person_withdraw_no"),
                        question=tr("people.withdraw_confirm", name=plain(card.name),
                                    date=fmt_date(on)),
                        yes=tr("people.withdraw_yes"), no=tr("people.cancel")):
        result = person_form.save_person(WITHDRAW, lambda s: people.withdraw_consent(
            s, actor=actor, person_id=card.id, on=on, version=card.version))
        if result is not None:
            st.session_state[CARD] = _updated(card, result)
            _done(tr("people.withdrawn", ref=plain(result.ref)), "person_withdraw_on",
                  f"person_edit_{card.id}_")


def _delete(card: PersonCard) -> None:
    """Delete a person entered by mistake: only one who attended nothing; asked first."""
    st.divider()
    if card.attended:
        st.caption(tr("people.delete_not_possible"))
        return
    if st.button(tr("people.delete"), key="person_delete", icon=":material/delete:"):
        confirm.ask(CONFIRM_DELETE, card.id)
    if confirm.answered(CONFIRM_DELETE, card.id, keys=("person_delete_yes", "person_delete_no"),
                        question=tr("people.delete_confirm", name=plain(card.name)),
                        yes=tr("people.delete_yes"), no=tr("people.cancel")):
        def delete(session: Any) -> bool:
            people.delete_person(session, actor=actor, person_id=card.id, version=card.version)
            return True
        if person_form.save_person(DELETE, delete):
            st.query_params.pop("person", None)
            st.session_state.pop(CARD, None)
            _done(tr("people.deleted", name=plain(card.name)), f"person_edit_{card.id}_")


with card_area:
    if wanted and not wanted.isdigit():
        st.warning(tr("people.bad_link"))
    elif wanted:
        try:
            _profile(int(wanted))
        except TrackerError as exc:  # not found, deleted meanwhile, another incubator's
            st.session_state.pop(CARD, None)
            st.warning(exc.message(lang()))
