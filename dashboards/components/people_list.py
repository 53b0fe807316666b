"""The People page's list: filters (incubator for managers, organisation, name or reference,
only incomplete ESF+ data), how many are incomplete, and a page of people at a time (paged in
SQL) with what each still lacks. Only the list's read: no person's card is opened here."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import streamlit as st

from dashboards.components.participants import search_organizations
from dashboards.components.tables import date_column
from dashboards.components.text import tr
from tracker.auth import Actor
from tracker.database import session_scope
from tracker.schemas import PersonRead
from tracker.services import people

PAGE_SIZE = 25


@dataclass(frozen=True)
class Filters:
    incubator_id: int | None
    organization_id: int | None
    search: str
    incomplete: bool


def filters(*, actor: Actor, incubator_names: dict[int, str]) -> Filters:
    """The filter widgets (kept in the session under `people_f_*`)."""
    search = st.text_input(tr("people.search"), key="people_f_search",
                           placeholder=tr("people.search_hint"), max_chars=100)
    columns = st.columns([2, 3, 2] if actor.is_manager else [3, 2], vertical_alignment="bottom")
    middle, right = columns[-2:]
    incubator_id = None
    if actor.is_manager:  # staff have one incubator
        incubator_id = columns[0].selectbox(tr("field.incubator_id"), list(incubator_names),
                                      index=None, format_func=incubator_names.__getitem__,
                                      placeholder=tr("people.all"), key="people_f_incubator")
    organization_id = None
    with middle:
        found = search_organizations(actor=actor, key="people_f_org_search")
        if found:
            names = {o.id: f"{o.name} ({o.reg_no})" for o in found}
            organization_id = st.selectbox(tr("people.organization"), list(names), index=0,
                                           format_func=names.__getitem__, key="people_f_org")
        elif found is not None:
            st.caption(tr("people.no_org_found"))
    incomplete = right.checkbox(tr("people.only_incomplete"), key="people_f_incomplete")
    return Filters(incubator_id=incubator_id, organization_id=organization_id,
                   search=search.strip(), incomplete=incomplete)


def missing_labels(person: PersonRead) -> str:
    """What the person's ESF+ data still lacks, in the catalogue's words ("" when complete)."""
    return ", ".join(tr(f"field.{name}") for name in person.missing)


def show(*, actor: Actor, chosen: Filters) -> int | None:
    """The count and a page of people; the id of a row just picked (None: none)."""
    query = repr(chosen)
    if st.session_state.get("people_query") != query:  # a new search starts on page 1
        st.session_state["people_query"] = query
        st.session_state["people_page"] = 1
    page_no = int(st.session_state.get("people_page", 1))
    with session_scope(readonly=True) as session:
        def page_of(incomplete: bool, limit: int, offset: int = 0) -> people.PeoplePage:
            return people.list_people(
                session, actor=actor, incubator_id=chosen.incubator_id,
                organization_id=chosen.organization_id, search=chosen.search or None,
                incomplete=incomplete, limit=limit, offset=offset)
        found = page_of(chosen.incomplete, PAGE_SIZE, (page_no - 1) * PAGE_SIZE)
        lacking = found.total if chosen.incomplete else page_of(True, 0).total
    st.metric(tr("people.incomplete_count"), lacking,
              help=tr("people.incomplete_help"), width="content")
    if not found.people:
        st.info(tr("people.none_found"))
        return None
    st.caption(tr("people.found", total=found.total, first=(page_no - 1) * PAGE_SIZE + 1,
                  last=(page_no - 1) * PAGE_SIZE + len(found.people)))
    table_key = "people_table_" + hashlib.sha1(f"{query}{page_no}".encode()).hexdigest()[:12]
    event = st.dataframe(
        [{"name": p.name + (" " + tr("people.erased_mark") if p.erased else ""), "ref": p.ref,
          "code": p.personal_code,
          "organizations": ", ".join(m.organization_name for m in p.memberships),
          "consent": p.consent_date, "withdrawn": p.consent_withdrawn,
          "missing": missing_labels(p)} for p in found.people],
        column_config={"name": tr("people.name"), "ref": tr("field.ref"),
                       "code": tr("field.personal_code"),
                       "organizations": tr("field.memberships"),
                       "consent": date_column(tr("field.consent_date")),
                       "withdrawn": date_column(tr("field.consent_withdrawn")),
                       "missing": tr("people.missing")},
        hide_index=True, on_select="rerun", selection_mode="single-row", key=table_key,
        placeholder="–")
    rows = event.selection.rows
    picked = found.people[rows[0]].id if rows and rows[0] < len(found.people) else None
    pages = max(1, -(-found.total // PAGE_SIZE))
    st.caption(tr("people.pick_hint"))
    if pages > 1:
        st.number_input(tr("people.page", pages=pages), min_value=1, max_value=pages, step=1,
                        key="people_page")
    # A row opens its card once (the address keeps it); picking it again after closing works.
    if picked is not None and st.session_state.get(table_key + "_seen") != picked:
        st.session_state[table_key + "_seen"] = picked
        return picked
    return None
