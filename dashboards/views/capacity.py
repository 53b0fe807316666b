"""Capacity assessments (7 areas scored 1–4) and milestones of one organisation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NoReturn

import streamlit as st

from dashboards.components.auth import require
from dashboards.components.forms import (
    checked,
    field_error,
    save_or_rerun,
)
from dashboards.components.tables import date_column, milestones_table, number
from dashboards.components.text import enum_label, lang, plain, tr
from tracker.auth import Area
from tracker.database import session_scope
from tracker.errors import TrackerError
from tracker.schemas import AssessmentCreate, MilestoneCreate
from tracker.services import assessments, enrollments, milestones, organizations, reference

ASSESS, MILESTONE = "assessment", "milestone"
ASSESS_KEYS = ("cap_kind", "cap_date", "cap_cohort", "cap_score_", "cap_notes")
FLASH = "cap_flash"  # what the last save did, shown once after the rerun
RESET = "cap_reset"  # widget-key prefixes to empty at the start of the next run

actor = require(Area.CAPACITY)
for prefix in st.session_state.pop(RESET, []):
    for stale in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[stale]


def _done(message: str, *prefixes: str) -> NoReturn:
    """After a save: say what was done, empty the form, show the new state."""
    st.session_state[FLASH] = message
    st.session_state[RESET] = list(prefixes)
    st.rerun()


st.title(tr("nav.capacity"))
flash = st.session_state.pop(FLASH, None)
if flash:
    st.success(flash, icon=":material/check_circle:")

# --- which organisation (kept in the URL, like the organisations page) -------------------------
wanted = st.query_params.get("org", "")
current = int(wanted) if wanted.isdigit() else None
problem = tr("org.bad_link") if wanted and current is None else None
search = st.text_input(tr("capacity.search"), key="cap_search",
                       placeholder=tr("org.search_hint"), max_chars=organizations.MAX_SEARCH)
with session_scope(readonly=True) as session:
    # Staff first see the organisations of their own incubator's cycles.
    found = organizations.search_organizations(
        session, actor=actor, search=search, limit=20,
        incubator_id=None if search.strip() or actor.is_manager else actor.incubator_id).items
    names = {o.id: f"{o.name} ({o.reg_no})" for o in found}
    if current is not None and current not in names:
        try:
            shown = organizations.get_organization(session, actor=actor, organization_id=current)
            names = {shown.id: f"{shown.name} ({shown.reg_no})"} | names
        except TrackerError as exc:  # not found, deleted meanwhile
            problem, current = exc.message(lang()), None
# The URL decides when it changed from outside (a link, a reload); the picker otherwise.
if "cap_org" not in st.session_state or st.session_state.get("cap_url_org") != current:
    st.session_state["cap_url_org"] = st.session_state["cap_org"] = current
org_id = st.selectbox(tr("capacity.organization"), list(names), format_func=names.__getitem__,
                      placeholder=tr("capacity.choose_organization"), key="cap_org")
if org_id != current:
    st.session_state["cap_url_org"] = org_id
    if org_id is None:
        st.query_params.pop("org", None)
    else:
        st.query_params["org"] = str(org_id)
if problem:
    st.warning(problem)
if org_id is None:
    st.info(tr("capacity.pick_first"))
    st.stop()

with session_scope(readonly=True) as session:
    org = organizations.get_organization(session, actor=actor, organization_id=org_id)
    may_assess = assessments.may_assess(session, actor=actor, organization_id=org_id)
    enrolled = enrollments.list_organization_enrollments(session, actor=actor,
                                                        organization_id=org_id)
    history = assessments.list_assessments(session, actor=actor, organization_id=org_id)
    change = assessments.capacity_change(session, actor=actor, organization_id=org_id)
    achieved = milestones.list_milestones(session, actor=actor, organization_id=org_id)
    incubator_list = reference.list_incubators(session, actor=actor)
    START, END = reference.programme_period(session, incubator_id=actor.incubator_id)
TODAY = dt.date.today()  # noqa: DTZ011 - a calendar date, as the user sees it
DEFAULT_DAY = min(max(TODAY, START), END)
cohorts = {e.cohort_id: e.cohort_name for e in enrolled if e.may_change}
incubator_names = {i.id: i.name_en if lang() == "en" else i.name_lv for i in incubator_list}

st.subheader(plain(org.name))
st.caption(tr("capacity.reg_no", reg_no=org.reg_no))
figures = st.columns(3)
figures[0].metric(tr("org.capacity_index"), number(change.latest_index),
                  delta=None if change.change is None else
                  tr("org.since_intake", change=number(change.change, signed=True)))
figures[1].metric(tr("capacity.intake_index"), number(change.intake_index))
figures[2].metric(tr("org.tab_milestones"), len(achieved))

assess_tab, milestone_tab = st.tabs([tr("capacity.tab_assessment"), tr("capacity.tab_milestone")])

# --- capacity assessment -----------------------------------------------------------------------
with assess_tab:
    if not may_assess:
        st.info(tr("capacity.not_in_cycle"))
    else:
        with st.form(ASSESS):
            kind_col, day_col, cohort_col = st.columns(3)
            kind = kind_col.selectbox(
                tr("field.kind"), assessments.KINDS, format_func=enum_label, key="cap_kind",
                index=1 if history else 0)  # the first one is usually the intake
            field_error(ASSESS, "kind")
            day = day_col.date_input(tr("field.assessed_on"), value=DEFAULT_DAY,
                                     min_value=START, max_value=END, format="DD.MM.YYYY",
                                     key="cap_date")
            with day_col:
                field_error(ASSESS, "assessed_on")
            cohort_id = cohort_col.selectbox(
                tr("field.cohort_id"), list(cohorts), format_func=cohorts.__getitem__,
                index=0 if len(cohorts) == 1 else None, placeholder=tr("capacity.no_cohort"),
                key="cap_cohort")
            with cohort_col:
                field_error(ASSESS, "cohort_id")
            st.caption(tr("capacity.scale"))
            scores: dict[str, int] = {}
            grid = st.columns(2)
            for position, area in enumerate(assessments.AREAS):
                with grid[position % 2].container(border=True):
                    score = st.radio(
                        enum_label(area).capitalize(), [1, 2, 3, 4], index=None,
                        captions=[tr(f"capacity.level.{area.value}.{n}") for n in range(1, 5)],
                        key=f"cap_score_{area.value}")
                    if score is not None:
                        scores[area.value] = int(score)
                    field_error(ASSESS, area.value)
            field_error(ASSESS, "scores")
            notes = st.text_area(tr("field.notes"), key="cap_notes", max_chars=5000)
            field_error(ASSESS, "notes")
            assessed = st.form_submit_button(tr("capacity.save_assessment"), type="primary",
                                             icon=":material/save:")
        if assessed:
            data = checked(ASSESS, AssessmentCreate, {
                "organization_id": org.id, "cohort_id": cohort_id, "kind": kind,
                "assessed_on": day, "scores": scores, "notes": notes or None})

            def record(session: Any) -> tuple[Decimal, Decimal | None]:
                saved = assessments.record_assessment(session, actor=actor, data=data)
                gain = assessments.capacity_change(session, actor=actor,
                                                   organization_id=org.id).change
                return saved.capacity_index, gain

            result = save_or_rerun(ASSESS, record)
            if result is not None:
                index, gain = result
                _done(tr("capacity.assessment_saved", index=number(index)) + " " + (
                    tr("capacity.change_since_intake", change=number(gain, signed=True))
                    if gain is not None else tr("capacity.first_assessment")), *ASSESS_KEYS)

    st.subheader(tr("capacity.history"))
    if not history:
        st.caption(tr("org.no_assessments"))
    else:
        st.dataframe(
            [{"date": a.assessed_on, "kind": enum_label(a.kind),
              "index": number(a.capacity_index)}
             | {area.value: a.scores.get(area) for area in assessments.AREAS}
             for a in reversed(history)],
            column_config={"date": date_column(tr("field.assessed_on")),
                           "kind": tr("field.kind"), "index": tr("org.capacity_index")}
            | {area.value: enum_label(area).capitalize() for area in assessments.AREAS},
            hide_index=True, placeholder="–")

# --- milestone ---------------------------------------------------------------------------------
with milestone_tab:
    with st.form(MILESTONE):
        left, right = st.columns(2)
        milestone_kind = left.selectbox(tr("field.kind"), milestones.KINDS,
                                        format_func=enum_label, key="ms_kind")
        achieved_on = left.date_input(tr("field.achieved_on"), value=DEFAULT_DAY,
                                      min_value=START, max_value=END, format="DD.MM.YYYY",
                                      key="ms_date")
        with left:
            field_error(MILESTONE, "achieved_on")
        amount = right.number_input(tr("field.amount_eur"), min_value=0.0, value=None,
                                    step=100.0, format="%.2f", key="ms_amount")
        with right:
            field_error(MILESTONE, "amount_eur")
        reference_text = right.text_input(tr("field.reference"), key="ms_reference",
                                          max_chars=200, placeholder=tr("capacity.reference_hint"))
        with right:
            field_error(MILESTONE, "reference")
        incubator_id = actor.incubator_id
        if actor.is_manager:
            incubator_id = left.selectbox(
                tr("field.incubator_id"), list(incubator_names),
                format_func=incubator_names.__getitem__, index=None,
                placeholder=tr("capacity.no_incubator"), key="ms_incubator")
        description = st.text_area(tr("field.description"), key="ms_description",
                                   max_chars=5000)
        field_error(MILESTONE, "description")
        recorded = st.form_submit_button(tr("capacity.save_milestone"), type="primary",
                                         icon=":material/flag:")
    if recorded:
        milestone = checked(MILESTONE, MilestoneCreate, {
            "organization_id": org.id, "incubator_id": incubator_id, "kind": milestone_kind,
            "achieved_on": achieved_on,
            "amount_eur": None if amount is None else f"{amount:.2f}",
            "reference": reference_text, "description": description})
        saved = save_or_rerun(MILESTONE, lambda s: milestones.record_milestone(s, actor=actor,
                                                                        data=milestone))
        if saved is not None:
            _done(tr("capacity.milestone_saved", kind=enum_label(saved.kind)), "ms_")

    st.subheader(tr("capacity.milestones"))
    milestones_table(achieved)
