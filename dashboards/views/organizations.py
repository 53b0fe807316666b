"""Organisations: find and filter them, open a profile, create, edit, enrol and move on."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any, NoReturn

import streamlit as st

from dashboards.components import confirm
from dashboards.components.auth import require
from dashboards.components.forms import (
    checked,
    errors_of,
    field_error,
    save_or_rerun,
)
from dashboards.components.tables import date_column, milestones_table, number
from dashboards.components.text import enum_label, fmt_date, lang, plain, tr
from tracker.auth import Area
from tracker.database import session_scope
from tracker.errors import TrackerError
from tracker.schemas import (
    CohortRead,
    EnrollmentCreate,
    EnrollmentDetail,
    EnrollmentStatusChange,
    OrganizationCreate,
    OrganizationRead,
    OrganizationUpdate,
)
from tracker.services import (
    assessments,
    enrollments,
    milestones,
    opinions,
    organizations,
    reference,
)

PAGE_SIZE = 25
CREATE, EDIT, ENROL, MOVE, DELETE = "org_new", "org_edit", "org_enrol", "org_move", "org_delete"
FLASH = "org_flash"  # what the last save did, shown once after the rerun
RESET = "org_reset"  # widget-key prefixes to empty at the start of the next run
CONFIRM_MOVE = "org_confirm_move"  # (enrolment id, status change) waiting for a yes
CONFIRM_DELETE = "org_confirm_delete"  # id of the organisation waiting for a yes
ENDING = ("rejected", "withdrawn")  # statuses that end an enrolment: asked twice

actor = require(Area.ORGANIZATIONS)


def _forget(*prefixes: str) -> None:
    """Empty the widgets whose keys start with `prefixes` (before they are drawn)."""
    for key in [k for k in st.session_state if str(k).startswith(prefixes)]:
        del st.session_state[key]


_forget(*st.session_state.pop(RESET, []))

TODAY = dt.date.today()  # noqa: DTZ011 - a calendar date, as the user sees it
with session_scope(readonly=True) as session:
    incubator_list = reference.list_incubators(session, actor=actor)
    region_rows = reference.region_names(session)
    home_region = next((i.region_id for i in incubator_list if i.id == actor.incubator_id), None)
    municipality_list = reference.list_municipalities(session, region_first=home_region)
    PROGRAM_START, PROGRAM_END = reference.programme_period(session,
                                                            incubator_id=actor.incubator_id)
incubator_names = {i.id: i.name_en if lang() == "en" else i.name_lv for i in incubator_list}
region_names = {code: en if lang() == "en" else lv for code, lv, en in region_rows.values()}
region_ids = {rid: region_names[code] for rid, (code, _lv, _en) in region_rows.items()}
municipality_names = {m.atvk: m.name + ("" if m.valid_to is None else
                                        " " + tr("org.until", date=fmt_date(m.valid_to)))
                      for m in municipality_list}
DEFAULT_DAY = min(max(TODAY, PROGRAM_START), PROGRAM_END)


def _done(message: str, *prefixes: str, org: int | None = None) -> NoReturn:
    """After a save: say what was done, empty the forms named by `prefixes`, show the result."""
    st.session_state[FLASH] = message
    st.session_state[RESET] = list(prefixes)
    if org is not None:
        st.query_params["org"] = str(org)
    st.rerun()


def _other_errors(form: str, shown: Iterable[str]) -> None:
    """Errors about fields the form has no widget for (so they are not lost)."""
    errors = errors_of(form)
    for error in errors.errors if errors else []:
        if error.field.split(".")[0] not in shown:
            st.error(error.describe(lang()), icon=":material/error:")


def _org_fields(form: str, prefix: str, org: OrganizationRead | None) -> dict[str, Any]:
    """The widgets of the create and edit forms; returns what the user entered."""
    left, right = st.columns(2)
    data: dict[str, Any] = {}
    with left:
        if org is None:
            data["reg_no"] = st.text_input(tr("field.reg_no"), key=prefix + "reg_no",
                                           max_chars=20, help=tr("org.reg_no_help"))
            field_error(form, "reg_no")
        data["name"] = st.text_input(tr("field.name"), value=org.name if org else "",
                                     key=prefix + "name", max_chars=300)
        field_error(form, "name")
        forms = organizations.LEGAL_FORMS
        data["legal_form"] = st.selectbox(
            tr("field.legal_form"), forms, index=forms.index(org.legal_form) if org else 0,
            format_func=enum_label, key=prefix + "legal_form")
        places = list(municipality_names)
        current = next((m.atvk for m in municipality_list
                        if org and m.id == org.municipality_id), None)
        data["municipality_atvk"] = st.selectbox(
            tr("field.municipality_atvk"), places, format_func=municipality_names.__getitem__,
            index=places.index(current) if current else None, placeholder=tr("org.choose"),
            key=prefix + "municipality")
        field_error(form, "municipality_atvk")
        activity_fields = st.text_input(
            tr("field.fields_of_activity"), key=prefix + "fields", help=tr("org.fields_help"),
            value=", ".join(org.fields_of_activity) if org else "")
        data["fields_of_activity"] = [f.strip() for f in activity_fields.replace(";", ",")
                                      .split(",") if f.strip()]
        field_error(form, "fields_of_activity")
        data["founded_on"] = st.date_input(
            tr("field.founded_on"), value=org.founded_on if org else None,
            min_value=dt.date(1900, 1, 1), max_value=TODAY, format="DD.MM.YYYY",
            key=prefix + "founded_on")
        field_error(form, "founded_on")
    with right:
        for name in ("members", "volunteers", "employees"):
            data[name] = st.number_input(tr(f"field.{name}"), min_value=0, max_value=1_000_000,
                                         step=1, value=getattr(org, name) if org else None,
                                         key=prefix + name)
            field_error(form, name)
        for name in ("contact_name", "contact_email", "contact_phone"):
            data[name] = st.text_input(tr(f"field.{name}"), key=prefix + name,
                                       value=(getattr(org, name) or "") if org else "")
            field_error(form, name)
    _other_errors(form, [*data, "version"])
    return data


# --- search ------------------------------------------------------------------------------------
st.title(tr("nav.organizations"))
flash = st.session_state.pop(FLASH, None)
if flash:
    st.success(flash, icon=":material/check_circle:")
wanted = st.query_params.get("org", "")
profile_area = st.container()  # an open profile shows first; the list follows
if wanted:
    st.subheader(tr("org.list"))

search = st.text_input(tr("org.search"), key="org_search", placeholder=tr("org.search_hint"),
                       max_chars=organizations.MAX_SEARCH)
columns = st.columns(5)
region_id = columns[0].selectbox(tr("org.region"), list(region_ids), index=None,
                                 format_func=region_ids.__getitem__, placeholder=tr("org.all"),
                                 key="org_f_region")
legal_form = columns[1].selectbox(tr("field.legal_form"), organizations.LEGAL_FORMS, index=None,
                                  format_func=enum_label, placeholder=tr("org.all"),
                                  key="org_f_form")
incubator_id = columns[2].selectbox(tr("field.incubator_id"), list(incubator_names), index=None,
                                    format_func=incubator_names.__getitem__,
                                    placeholder=tr("org.all"), key="org_f_incubator")
with session_scope(readonly=True) as session:
    cohort_list = reference.list_cohorts(session, actor=actor, incubator_id=incubator_id)
cohort_names = {c.id: c.name if incubator_id else f"{c.name} · {incubator_names[c.incubator_id]}"
                for c in cohort_list}
cohort_id = columns[3].selectbox(tr("field.cohort_id"), list(cohort_names), index=None,
                                 format_func=cohort_names.__getitem__, placeholder=tr("org.all"),
                                 key="org_f_cohort")
status = columns[4].selectbox(tr("field.status"), enrollments.STATUSES, index=None,
                              format_func=enum_label, placeholder=tr("org.all"),
                              key="org_f_status")

# A new search starts on its first page.
query = repr((search.strip(), region_id, legal_form, incubator_id, cohort_id, status))
if st.session_state.get("org_query") != query:
    st.session_state["org_query"] = query
    st.session_state["org_page"] = 1
page_no = int(st.session_state.get("org_page", 1))
with session_scope(readonly=True) as session:
    found = organizations.search_organizations(
        session, actor=actor, search=search, region_id=region_id, legal_form=legal_form,
        incubator_id=incubator_id, cohort_id=cohort_id, status=status, limit=PAGE_SIZE,
        offset=(page_no - 1) * PAGE_SIZE)
pages = max(1, -(-found.total // PAGE_SIZE))

if not found.items:
    st.info(tr("org.none_found"))
else:
    st.caption(tr("org.found", total=found.total, first=found.offset + 1,
                  last=found.offset + len(found.items)))
    table_key = "org_table_" + hashlib.sha1(f"{query}{page_no}".encode()).hexdigest()[:12]
    event = st.dataframe(
        [{"name": o.name, "reg_no": o.reg_no, "legal_form": enum_label(o.legal_form),
          "municipality": o.municipality_name,
          "enrolment": f"{enum_label(o.latest_status)} · {o.latest_cohort}"
          if o.latest_status else None} for o in found.items],
        column_config={"name": tr("field.name"), "reg_no": tr("field.reg_no"),
                       "legal_form": tr("field.legal_form"),
                       "municipality": tr("field.municipality_id"),
                       "enrolment": tr("org.latest_enrolment")},
        hide_index=True, on_select="rerun", selection_mode="single-row", key=table_key,
        placeholder="–")
    rows = event.selection.rows
    picked = found.items[rows[0]].id if rows and rows[0] < len(found.items) else None
    # A row opens its profile once; the URL keeps it (a link to share, survives a reload).
    if picked is not None and st.session_state.get(table_key + "_seen") != picked:
        st.session_state[table_key + "_seen"] = picked
        st.query_params["org"] = str(picked)
        st.rerun()
    st.caption(tr("org.pick_hint"))
    if pages > 1:
        st.number_input(tr("org.page", pages=pages), min_value=1, max_value=pages, step=1,
                        key="org_page")

# --- create ------------------------------------------------------------------------------------
with st.expander(tr("org.new"), icon=":material/add:",
                 expanded=errors_of(CREATE) is not None):
    with st.form(CREATE):
        new_data = _org_fields(CREATE, "org_new_", None)
        create = st.form_submit_button(tr("org.create"), type="primary", icon=":material/save:")
    if create:
        new = checked(CREATE, OrganizationCreate, new_data)
        created = save_or_rerun(CREATE, lambda s: organizations.create_organization(s, actor=actor,
                                                                             data=new))
        if created is not None:
            _done(tr("org.created", name=plain(created.name)), "org_new_", org=created.id)


# --- profile -----------------------------------------------------------------------------------
def _profile(org_id: int) -> None:
    with session_scope(readonly=True) as session:
        org = organizations.get_organization(session, actor=actor, organization_id=org_id)
        may_edit = organizations.may_edit_organization(session, actor=actor,
                                                       organization_id=org_id)
        enrolled = enrollments.list_organization_enrollments(session, actor=actor,
                                                            organization_id=org_id)
        open_cohorts = enrollments.list_enrollable_cohorts(session, actor=actor,
                                                           organization_id=org_id)
        attended = organizations.list_attended_activities(session, actor=actor,
                                                          organization_id=org_id)
        assessed = assessments.list_assessments(session, actor=actor, organization_id=org_id)
        change = assessments.capacity_change(session, actor=actor, organization_id=org_id)
        achieved = milestones.list_milestones(session, actor=actor, organization_id=org_id)
        said = opinions.list_opinions(session, actor=actor, organization_id=org_id, limit=50)
    if st.session_state.get("org_open") != org_id:  # another organisation: fresh forms
        st.session_state["org_open"] = org_id
        _forget("org_edit_", "org_move_", "org_enrol_")

    head, close = st.columns([6, 1], vertical_alignment="bottom")
    head.header(plain(org.name))
    if close.button(tr("org.close"), key="org_close", icon=":material/close:"):
        del st.query_params["org"]
        st.rerun()
    _details(org)
    metrics = st.columns(4)
    metrics[0].metric(tr("org.activities_attended"), attended.activities)
    metrics[1].metric(tr("field.attendees"), attended.attendees)
    metrics[2].metric(tr("org.capacity_index"), number(change.latest_index),
                      delta=None if change.change is None else
                      tr("org.since_intake", change=number(change.change, signed=True)))
    metrics[3].metric(tr("org.tab_milestones"), len(achieved))

    tabs = st.tabs([tr("org.tab_enrolments"), tr("org.tab_activities"),
                    tr("org.tab_assessments"), tr("org.tab_milestones"), tr("org.tab_edit")])
    with tabs[0]:
        _enrolments(org, enrolled, open_cohorts)
    with tabs[1]:
        if not attended.items:
            st.caption(tr("org.no_activities"))
        else:
            if attended.activities > len(attended.items):
                st.caption(tr("org.latest_of", shown=len(attended.items),
                              total=attended.activities))
            st.dataframe(
                [{"date": a.activity_date, "title": a.title, "type": enum_label(a.type),
                  "status": enum_label(a.status),
                  "incubator": incubator_names.get(a.incubator_id, ""),
                  "attendees": a.attendees} for a in attended.items],
                column_config={"date": date_column(tr("field.activity_date")),
                               "title": tr("field.title"), "type": tr("field.type"),
                               "status": tr("field.status"),
                               "incubator": tr("field.incubator_id"),
                               "attendees": tr("field.attendees")},
                hide_index=True, placeholder="–")
    with tabs[2]:
        if not assessed:
            st.caption(tr("org.no_assessments"))
        else:
            st.dataframe(
                [{"date": a.assessed_on, "kind": enum_label(a.kind),
                  "index": number(a.capacity_index),
                  "change": None if change.intake_index is None or a.kind.value == "intake"
                  else number(a.capacity_index - change.intake_index, signed=True)}
                 | {area.value: a.scores.get(area) for area in assessments.AREAS}
                 for a in assessed],
                column_config={"date": date_column(tr("field.assessed_on")),
                               "kind": tr("field.kind"), "index": tr("org.capacity_index"),
                               "change": tr("org.capacity_change")}
                | {area.value: enum_label(area).capitalize() for area in assessments.AREAS},
                hide_index=True, placeholder="–")
        st.page_link("views/capacity.py", label=tr("org.to_capacity"),
                     query_params={"org": str(org.id)}, icon=":material/trending_up:")
    with tabs[3]:
        milestones_table(achieved)
        st.subheader(tr("org.opinions"))
        if not said:
            st.caption(tr("org.no_opinions"))
        else:
            st.dataframe(
                [{"date": o.submitted_on, "document": f"{o.document_ref} {o.document_title}",
                  "authors": len(o.authors), "outcome": enum_label(o.outcome),
                  "status": enum_label(o.status)} for o in said],
                column_config={"date": date_column(tr("org.opinion_submitted_on")),
                               "document": tr("entity.document"),
                               "authors": tr("org.opinion_authors"),
                               "outcome": tr("org.opinion_outcome"),
                               "status": tr("field.status")},
                hide_index=True, placeholder="–")
        st.page_link("views/capacity.py", label=tr("org.to_milestones"),
                     query_params={"org": str(org.id)}, icon=":material/flag:")
    with tabs[4]:
        _edit(org, may_edit)


def _details(org: OrganizationRead) -> None:
    """What is known about the organisation (contact person only for those who may see it)."""
    place = org.municipality_name or "–"
    if org.region_code:
        place += f" ({region_names.get(org.region_code, org.region_code)})"
    people = " · ".join(f"{tr(f'field.{n}')}: {getattr(org, n)}"
                        for n in ("members", "volunteers", "employees")
                        if getattr(org, n) is not None)
    facts = [(tr("field.reg_no"), org.reg_no), (tr("field.legal_form"), enum_label(org.legal_form)),
             (tr("field.municipality_id"), place),
             (tr("field.founded_on"), fmt_date(org.founded_on) or "–"),
             (tr("field.fields_of_activity"), ", ".join(org.fields_of_activity) or "–"),
             (tr("org.people"), people or "–")]
    if org.register_status:  # imported from the Register of Enterprises
        status = tr(f"org.register_status.{org.register_status}")
        if org.terminated_on:
            status += f" ({fmt_date(org.terminated_on)})"
        facts.append((tr("org.registered_on"), fmt_date(org.registered_on) or "–"))
        facts.append((tr("org.register_status"), status))
    contact = "\n".join(v for v in (org.contact_name, org.contact_email, org.contact_phone) if v)
    if contact:
        facts.append((tr("field.contact_name"), contact))
    columns = st.columns(4)
    for position, (label, value) in enumerate(facts):
        with columns[position % 4]:
            st.caption(label)
            st.text(value)  # as typed: never Markdown, no links made of e-mail addresses


def _enrolments(org: OrganizationRead, enrolled: list[EnrollmentDetail],
                open_cohorts: list[CohortRead]) -> None:
    """The cycles the organisation is in; its next status; a new application."""
    if not enrolled:
        st.caption(tr("org.no_enrolments"))
    else:
        st.dataframe(
            [{"cohort": e.cohort_name, "incubator": incubator_names.get(e.incubator_id, ""),
              "status": enum_label(e.status), "applied": e.applied_on,
              "admitted": e.admitted_on, "graduated": e.graduated_on, "closed": e.closed_on,
              "note": e.note or ""} for e in enrolled],
            column_config={"cohort": tr("field.cohort_id"),
                           "incubator": tr("field.incubator_id"), "status": tr("field.status"),
                           "applied": date_column(tr("field.applied_on")),
                           "admitted": date_column(tr("org.admitted_on")),
                           "graduated": date_column(tr("org.graduated_on")),
                           "closed": date_column(tr("org.closed_on")), "note": tr("field.note")},
            hide_index=True, placeholder="–")
    for e in enrolled:
        if e.next_statuses:
            _move_form(org, e)
    if open_cohorts:
        choices = {c.id: f"{c.name} · {incubator_names.get(c.incubator_id, '')}"
                   for c in open_cohorts}
        st.markdown(f"**{tr('org.enrol')}**")
        with st.form(ENROL):
            cohort, day, note = st.columns([2, 1, 2])
            picked = cohort.selectbox(tr("field.cohort_id"), list(choices),
                                      format_func=choices.__getitem__, key="org_enrol_cohort")
            applied = day.date_input(tr("field.applied_on"), value=DEFAULT_DAY,
                                     min_value=PROGRAM_START, max_value=PROGRAM_END,
                                     format="DD.MM.YYYY", key="org_enrol_date")
            note_text = note.text_input(tr("field.note"), key="org_enrol_note", max_chars=1000)
            field_error(ENROL, "applied_on")
            field_error(ENROL, "note")
            _other_errors(ENROL, ["applied_on", "note"])
            enrol = st.form_submit_button(tr("org.enrol_save"), icon=":material/how_to_reg:")
        if enrol:
            data = checked(ENROL, EnrollmentCreate, {
                "organization_id": org.id, "cohort_id": picked, "applied_on": applied,
                "note": note_text or None})
            saved = save_or_rerun(ENROL, lambda s: enrollments.enroll(s, actor=actor, data=data))
            if saved is not None:
                _done(tr("org.enrolled", cohort=plain(choices[saved.cohort_id])), "org_enrol_")
    elif not enrolled:
        st.caption(tr("org.no_cohorts"))


def _move_form(org: OrganizationRead, e: EnrollmentDetail) -> None:
    """The next status of one enrolment, with its date; ending statuses are asked twice."""
    form = f"{MOVE}_{e.id}"
    prefix = f"org_move_{e.id}_"
    with st.form(form):
        st.markdown(tr("org.move", cohort=plain(e.cohort_name), status=enum_label(e.status)))
        target_col, day_col, note_col = st.columns([2, 1, 2])
        target = target_col.selectbox(tr("org.next_status"), e.next_statuses,
                                      format_func=enum_label, key=prefix + "status")
        day = day_col.date_input(tr("field.on_date"), value=DEFAULT_DAY,
                                 min_value=PROGRAM_START, max_value=PROGRAM_END,
                                 format="DD.MM.YYYY", key=prefix + "date")
        note = note_col.text_input(tr("field.note"), key=prefix + "note", max_chars=1000)
        field_error(form, "on_date")
        _other_errors(form, ["on_date"])
        moved = st.form_submit_button(tr("org.move_save"), icon=":material/arrow_forward:")
    if moved:
        data = checked(form, EnrollmentStatusChange, {
            "status": target, "on_date": day, "version": e.version, "note": note or None})
        if data.status.value in ENDING:
            st.session_state[CONFIRM_MOVE] = (e.id, data)
        else:
            _apply_move(e, data)
    pending = st.session_state.get(CONFIRM_MOVE)
    if pending is not None and pending[0] == e.id:
        change: EnrollmentStatusChange = pending[1]
        if confirm.answered(CONFIRM_MOVE, pending,
                            keys=(f"org_move_yes_{e.id}", f"org_move_no_{e.id}"),
                            question=tr("org.move_confirm", cohort=plain(e.cohort_name),
                                        status=enum_label(change.status),
                                        date=fmt_date(change.on_date)),
                            yes=tr("org.yes"), no=tr("org.cancel")):
            _apply_move(e, change)


def _apply_move(e: EnrollmentDetail, data: EnrollmentStatusChange) -> None:
    saved = save_or_rerun(f"{MOVE}_{e.id}", lambda s: enrollments.change_enrollment_status(
        s, actor=actor, enrollment_id=e.id, data=data))
    if saved is not None:
        _done(tr("org.moved", cohort=plain(e.cohort_name), status=enum_label(saved.status)),
              f"org_move_{e.id}_")


def _edit(org: OrganizationRead, may_edit: bool) -> None:
    """Change the details (a copy edited meanwhile by someone else is refused); delete."""
    if not may_edit:
        st.info(tr("org.edit_not_allowed"))
        return
    prefix = f"org_edit_{org.id}_"
    version = st.session_state.setdefault(prefix + "version", org.version)
    with st.form(EDIT):
        data = _org_fields(EDIT, prefix, org)
        saved = st.form_submit_button(tr("org.save"), type="primary", icon=":material/save:")
    if saved:
        update = checked(EDIT, OrganizationUpdate, data | {"version": version})
        result = save_or_rerun(EDIT, lambda s: organizations.update_organization(
            s, actor=actor, organization_id=org.id, data=update))
        if result is not None:
            _done(tr("org.saved", name=plain(result.name)), prefix)
    if version != org.version:
        st.warning(tr("org.changed_meanwhile"))
        if st.button(tr("org.reload"), key="org_edit_reload", icon=":material/refresh:"):
            _done(tr("org.reloaded"), prefix)

    if actor.is_manager:
        st.divider()
        if st.button(tr("org.delete"), key="org_delete", icon=":material/delete:"):
            confirm.ask(CONFIRM_DELETE, org.id)
        if confirm.answered(CONFIRM_DELETE, org.id, keys=("org_delete_yes", "org_delete_no"),
                            question=tr("org.delete_confirm", name=plain(org.name)),
                            yes=tr("org.delete_yes"), no=tr("org.cancel")):
            def delete(session: Any) -> bool:
                organizations.delete_organization(session, actor=actor,
                                                  organization_id=org.id,
                                                  version=org.version)
                return True
            if save_or_rerun(DELETE, delete):
                del st.query_params["org"]
                _done(tr("org.deleted", name=plain(org.name)), prefix)


with profile_area:
    if wanted and not wanted.isdigit():
        st.warning(tr("org.bad_link"))
    elif wanted:
        try:
            _profile(int(wanted))
        except TrackerError as exc:  # not found, deleted meanwhile
            st.warning(exc.message(lang()))
