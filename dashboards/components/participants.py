"""The organisations that took part in an activity, chosen outside the activity's form: search
and add as you go (with how many people came), add a new organisation on the spot, change the
attendees or remove one in the table."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboards.components.forms import field_error, save, validated
from dashboards.components.text import enum_label, lang, tr
from tracker.auth import Actor
from tracker.database import session_scope
from tracker.enums import LegalForm
from tracker.errors import TrackerError
from tracker.schemas import OrganizationCreate, OrganizationRead
from tracker.services import organizations


def search_organizations(*, actor: Actor, key: str) -> list[OrganizationRead] | None:
    """The search box for an organisation (name or registration number) and up to 20 found
    (None: nothing typed, or the search was refused, which says why)."""
    search = st.text_input(tr("activities.search_org"), key=key,
                           placeholder=tr("activities.search_org_hint"),
                           max_chars=organizations.MAX_SEARCH)  # a longer paste is cut here
    if len(search) >= organizations.MAX_SEARCH:
        st.warning(tr("activities.search_cut", max=organizations.MAX_SEARCH), icon=":material/cut:")
    if not search.strip():
        return None
    try:  # a refused search says why; the form below stays as typed
        with session_scope(readonly=True) as session:
            return organizations.list_organizations(session, actor=actor, search=search,
                                                    limit=20)
    except TrackerError as exc:
        st.error(exc.message(lang()), icon=":material/error:")
    return None


def pick(*, actor: Actor, state: str, municipality_names: dict[str, str]
         ) -> list[dict[str, Any]]:
    """The participants kept under `state` ({organization_id, name, reg_no, attendees} each),
    as the user has them now."""
    participants: list[dict[str, Any]] = st.session_state[state]
    found = search_organizations(actor=actor, key="participant_search")
    if found is not None:
        chosen_ids = {p["organization_id"] for p in participants}
        found = [o for o in found if o.id not in chosen_ids]
        if found:
            pick_col, count_col, add_col = st.columns([4, 1, 1], vertical_alignment="bottom")
            picked = pick_col.selectbox(tr("activities.found"), found, key="participant_pick",
                                        format_func=lambda o: f"{o.name} ({o.reg_no})")
            attendees = count_col.number_input(tr("field.attendees"), min_value=1, max_value=10_000,
                                               value=1, key="participant_attendees")
            if add_col.button(tr("activities.add"), key="participant_add", icon=":material/add:"):
                participants.append({"organization_id": picked.id, "name": picked.name,
                                     "reg_no": picked.reg_no, "attendees": int(attendees)})
                st.rerun()
        else:
            st.info(tr("activities.none_found"))

    with st.expander(tr("activities.new_org")):
        with st.form("quick_org", clear_on_submit=True):
            reg_no = st.text_input(tr("field.reg_no"), key="quick_org_reg_no", max_chars=20)
            field_error("quick_org", "reg_no")
            name = st.text_input(tr("field.name"), key="quick_org_name", max_chars=300)
            field_error("quick_org", "name")
            legal_form = st.selectbox(tr("field.legal_form"), list(LegalForm),
                                      format_func=enum_label, key="quick_org_form")
            place = st.selectbox(tr("field.municipality_atvk"), list(municipality_names),
                                 format_func=municipality_names.__getitem__, index=None,
                                 key="quick_org_municipality")
            added = st.form_submit_button(tr("activities.new_org_save"))
        if added:
            org_data = validated("quick_org", OrganizationCreate, {
                "reg_no": reg_no, "name": name, "legal_form": legal_form,
                "municipality_atvk": place})
            if org_data is not None:
                def _create(new: OrganizationCreate = org_data) -> Any:
                    with session_scope() as session:
                        return organizations.create_organization(session, actor=actor, data=new)
                created = save("quick_org", _create)
                if created is not None:
                    participants.append({"organization_id": created.id, "name": created.name,
                                         "reg_no": created.reg_no, "attendees": 1})
                    st.rerun()

    if participants:
        edited = st.data_editor(
            [{"name": p["name"], "reg_no": p["reg_no"], "attendees": p["attendees"],
              "remove": False} for p in participants],
            column_config={
                "name": st.column_config.TextColumn(tr("field.organization_id"), disabled=True),
                "reg_no": st.column_config.TextColumn(tr("field.reg_no"), disabled=True),
                "attendees": st.column_config.NumberColumn(tr("field.attendees"), min_value=1,
                                                           max_value=10_000, step=1),
                "remove": st.column_config.CheckboxColumn(tr("activities.remove")),
            },
            hide_index=True, key="participant_table", width="stretch")
        rows = edited if isinstance(edited, list) else edited.to_dict("records")
        kept = []
        for person, row in zip(participants, rows, strict=True):
            if not row.get("remove"):
                kept.append(person | {"attendees": int(row.get("attendees") or 1)})
        if len(kept) != len(participants):
            st.session_state[state] = kept
            st.rerun()
        participants = kept
        st.caption(tr("activities.attendees_total",
                      count=sum(p["attendees"] for p in participants)))
    else:
        st.caption(tr("activities.no_participants"))
    return participants
