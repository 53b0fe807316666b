"""Log an activity with the organisations that took part; recent activities, edit, delete."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from dashboards.components import attendees as attendee_picker
from dashboards.components import confirm, evidence
from dashboards.components import participants as participant_picker
from dashboards.components.auth import require
from dashboards.components.forms import ErrorSlots, problems, save, validated
from dashboards.components.kept_form import KeptForm
from dashboards.components.text import enum_label, fmt_date, lang, plain, tr
from tracker.auth import Actor, Area
from tracker.database import session_scope
from tracker.enums import ActivityFormat, ActivityStatus, ActivityType, CapacityArea
from tracker.errors import FieldError, TrackerError
from tracker.schemas import ActivityCreate, ActivityRead, ActivityUpdate
from tracker.services import (
    activities,
    attachments,
    reference,
    review,
)

FORM = "activity"
EDITING = "activity_editing"  # the ActivityRead being edited, or absent for a new one
PARTICIPANTS = "activity_participants"  # [{organization_id, name, reg_no, attendees}]
PENDING = "activity_pending"  # data waiting for "save anyway" after a duplicate warning
DELETING = "activity_deleting"
RELOAD = "activity_reload"
TRIED = "activity_tried"  # Save was pressed: every problem shows (until the form is done)
TOTAL_AUTO = "activity_total_auto"  # the total the page filled in, None once the user set one
AT_ONCE = ("activity_date", "hours", "total_participants")  # rejected as soon as typed
DATES = (dt.date(1900, 1, 1), dt.date(2099, 12, 31))  # the date box's range: wider than the
# programme, so that a date outside it is shown as typed and rejected, not silently replaced

actor: Actor = require(Area.ACTIVITIES)
keeper = KeptForm(actor=actor, form=FORM, prefix="activity")  # the form as it is typed

# --- which incubator ---------------------------------------------------------------------
with session_scope(readonly=True) as session:
    incubators = reference.list_incubators(session, actor=actor)
if actor.incubator_id is not None:
    incubator = next(i for i in incubators if i.id == actor.incubator_id)
else:
    incubator = st.selectbox(tr("activities.incubator"), incubators, key="activity_incubator",
                             format_func=lambda i: i.name_en if lang() == "en" else i.name_lv)
with session_scope(readonly=True) as session:
    cohorts = reference.list_cohorts(session, actor=actor, incubator_id=incubator.id)
    municipalities = reference.list_municipalities(session, region_first=incubator.region_id)
    PROGRAM_START, PROGRAM_END = reference.programme_period(session, incubator_id=incubator.id)
municipality_names = {m.atvk: m.name + ("" if m.valid_to is None else
                                        f" ({tr('activities.until', date=fmt_date(m.valid_to))})")
                      for m in municipalities}
cohort_names = {c.id: c.name for c in cohorts}

editing: ActivityRead | None = st.session_state.get(EDITING)
if editing is not None and editing.incubator_id != incubator.id:
    st.session_state.pop(EDITING, None)
    editing = None
participants: list[dict[str, Any]] = st.session_state.setdefault(PARTICIPANTS, [])


def _load_into_form(activity: ActivityRead | None) -> None:
    """Fill the widgets with an activity to edit (or empty them for a new one)."""
    state = st.session_state
    state[EDITING] = activity
    if activity is None:  # the address names the activity being edited: a reload returns to it
        st.query_params.pop("edit", None)
    else:
        st.query_params["edit"] = str(activity.id)
    state[PARTICIPANTS] = [] if activity is None else [
        {"organization_id": p.organization_id, "name": p.organization_name, "reg_no": p.reg_no,
         "attendees": p.attendees} for p in activity.participations]
    attendee_picker.load(activity.attendees if activity else [])
    state["act_type"] = activity.type if activity else ActivityType.CONSULTATION
    state["act_title"] = activity.title if activity else ""
    state["act_date"] = activity.activity_date if activity else \
        min(max(dt.date.today(), PROGRAM_START), PROGRAM_END)  # noqa: DTZ011
    state["act_hours"] = float(activity.hours) if activity else 1.0
    state["act_format"] = activity.format if activity else ActivityFormat.IN_PERSON
    state["act_municipality"] = next((m.atvk for m in municipalities
                                      if activity and m.id == activity.municipality_id), None)
    state["act_cohort"] = activity.cohort_id if activity else None
    state["act_areas"] = list(activity.capacity_areas) if activity else []
    state["act_total"] = activity.total_participants if activity else 0
    state[TOTAL_AUTO] = None if activity else 0  # a new form counts the attendees
    state.pop(TRIED, None)
    state["act_next_steps"] = (activity.next_steps or "") if activity else ""
    state.pop(PENDING, None)


def _reload_form(activity: ActivityRead | None) -> None:
    """Ask for the form to be (re)filled at the top of the next run, before its widgets; what
    was kept of the form is done with (saved, cancelled or left for another activity)."""
    keeper.forget()
    st.session_state[RELOAD] = (activity,)
    st.rerun()


def _snapshot() -> dict[str, Any]:
    """The form's contents as plain JSON values (what is kept while typing)."""
    state = st.session_state
    day = state.get("act_date")
    current: ActivityRead | None = state.get(EDITING)
    return {
        "editing": current.id if current else None,
        "type": str(state.get("act_type", "")), "title": state.get("act_title", ""),
        "date": day.isoformat() if isinstance(day, dt.date) else None,
        "hours": state.get("act_hours"), "format": str(state.get("act_format", "")),
        "municipality": state.get("act_municipality"), "cohort": state.get("act_cohort"),
        "areas": [str(a) for a in state.get("act_areas", [])],
        "total": state.get("act_total"), "next_steps": state.get("act_next_steps", ""),
        "status": str(state.get("act_status", ActivityStatus.SUBMITTED)),
        "participants": list(state.get(PARTICIPANTS, [])),
        "attendees": attendee_picker.typed(),
    }


def _restore(payload: dict[str, Any]) -> bool:
    """Put kept contents back into the widgets (over the activity they were editing, if it
    may still be edited); False when they no longer fit (then they are thrown away)."""
    state = st.session_state
    try:
        current: ActivityRead | None = None
        if payload.get("editing"):
            with session_scope(readonly=True) as session:
                current = activities.get_activity(session, actor=actor,
                                                  activity_id=int(payload["editing"]))
                if review.Step.EDIT not in review.steps_for(session, actor, current.id) \
                        or current.incubator_id != incubator.id:
                    return False
        _load_into_form(current)
        state["act_type"] = ActivityType(payload["type"])
        state["act_title"] = str(payload["title"])
        day = dt.date.fromisoformat(payload["date"]) if payload["date"] else None
        state["act_date"] = day if day and DATES[0] <= day <= DATES[1] else None
        state["act_hours"] = None if payload["hours"] is None else float(payload["hours"])
        state["act_format"] = ActivityFormat(payload["format"])
        state["act_municipality"] = payload["municipality"] \
            if payload["municipality"] in municipality_names else None
        state["act_cohort"] = payload["cohort"] if payload["cohort"] in cohort_names else None
        state["act_areas"] = [CapacityArea(a) for a in payload["areas"]]
        state["act_total"] = None if payload["total"] is None else int(payload["total"])
        state["act_next_steps"] = str(payload["next_steps"])
        state["act_status"] = ActivityStatus(payload["status"])
        state[PARTICIPANTS] = [dict(p) for p in payload["participants"]]
        attendee_picker.load(payload.get("attendees") or [])
        people = max(sum(int(p["attendees"]) for p in state[PARTICIPANTS]),
                     len(state[attendee_picker.TICKED]))
        state[TOTAL_AUTO] = people if state["act_total"] == people else None
    except (TrackerError, KeyError, TypeError, ValueError):
        return False
    return True


def _from_address() -> ActivityRead | None:
    """After a reload: the activity the address names, if it is this incubator's and may still
    be edited (a draft saved before the reload comes back into the form)."""
    wanted = st.query_params.get("edit", "")
    if not wanted.isdigit():
        return None
    try:
        with session_scope(readonly=True) as session:
            found = activities.get_activity(session, actor=actor, activity_id=int(wanted))
            allowed = review.Step.EDIT in review.steps_for(session, actor, found.id)
    except TrackerError:
        return None
    return found if allowed and found.incubator_id == incubator.id else None


if RELOAD in st.session_state:
    _load_into_form(st.session_state.pop(RELOAD)[0])
    keeper.loaded(_snapshot())
    editing = st.session_state.get(EDITING)
    participants = st.session_state[PARTICIPANTS]
elif "act_title" not in st.session_state:  # a new session: after a reload, say
    kept_form = keeper.recall()
    restored = kept_form is not None and _restore(kept_form[0])
    if kept_form is not None and not restored:
        keeper.discard()
    if not restored:
        _load_into_form(_from_address())
    keeper.loaded(_snapshot() if not restored else None)
    st.session_state[keeper.kept] = None
    if restored and kept_form:
        keeper.came_back(*kept_form)
    editing = st.session_state.get(EDITING)
    participants = st.session_state[PARTICIPANTS]

st.title(tr("activities.title_edit") if editing else tr("activities.title_new"))
if editing:
    st.caption(tr("activities.editing", title=plain(editing.title),
                  date=fmt_date(editing.activity_date)))
    if editing.status is ActivityStatus.RETURNED and editing.review_comment:
        st.warning(tr("activities.returned_comment", comment=plain(editing.review_comment)),
                   icon=":material/undo:")

if keeper.notice(text_key="activities.restored", discard_label=tr("activities.discard"),
               key="activity_discard"):
    _reload_form(None)

# --- participating organisations (outside the form: search and add as you go) ------------
st.subheader(tr("activities.participants"))
participants = participant_picker.pick(actor=actor, state=PARTICIPANTS,
                                       municipality_names=municipality_names)
slots = ErrorSlots(FORM)
slots.here("participations")
# --- the people who attended, by name (after the organisations they came for) --------------
named, named_line = attendee_picker.tick(
    actor=actor, incubator_id=incubator.id, participants=participants, slots=slots,
    saved=[a.person_id for a in editing.attendees] if editing else [])
# The total counts the attendees until the user sets their own (then it is theirs).
attendee_sum = max(sum(p["attendees"] for p in participants), len(named))
if st.session_state.get(TOTAL_AUTO) is not None and \
        st.session_state.get("act_total") == st.session_state[TOTAL_AUTO]:
    st.session_state["act_total"] = st.session_state[TOTAL_AUTO] = attendee_sum
else:
    st.session_state[TOTAL_AUTO] = None
named_line.caption(tr("activities.named_of_total", named=len(named),
                      total=st.session_state.get("act_total") or 0))

# --- the activity itself -------------------------------------------------------------------
st.subheader(tr("activities.details"))
# Not an st.form: every change reaches the server, so the form is kept as it is typed (below).
with st.container(border=True):
    left, right = st.columns(2)
    with left:
        kind = st.selectbox(tr("field.type"), list(ActivityType), format_func=enum_label,
                            key="act_type")
        slots.here("type")
        title = st.text_input(tr("field.title"), key="act_title", max_chars=200)
        slots.here("title")
        # No bounds in the boxes themselves: a browser would put back the last valid value
        # and show it, while the value typed is rejected here, with the reason.
        day = st.date_input(tr("field.activity_date"), value=None, key="act_date",
                            format="DD.MM.YYYY", min_value=DATES[0], max_value=DATES[1])
        slots.here("activity_date")
        hours = st.number_input(tr("field.hours"), value=None, step=0.5, key="act_hours")
        slots.here("hours")
        fmt = st.selectbox(tr("field.format"), list(ActivityFormat), format_func=enum_label,
                           key="act_format")
        slots.here("format")
    with right:
        place_atvk = st.selectbox(tr("field.municipality_atvk"), list(municipality_names),
                                  format_func=municipality_names.__getitem__, index=None,
                                  key="act_municipality", placeholder=tr("activities.choose"))
        slots.here("municipality_atvk")
        cohort_id = st.selectbox(tr("field.cohort_id"), list(cohort_names), index=None,
                                 format_func=cohort_names.__getitem__, key="act_cohort",
                                 placeholder=tr("activities.no_cohort"))
        slots.here("cohort_id")
        areas = st.multiselect(tr("field.capacity_areas"), list(CapacityArea),
                               format_func=enum_label, key="act_areas",
                               placeholder=tr("activities.choose"))
        slots.here("capacity_areas")
        total = st.number_input(tr("field.total_participants"), value=None, step=1,
                                key="act_total", help=tr("activities.total_help"))
        slots.here("total_participants")
    next_steps = st.text_area(tr("field.next_steps"), key="act_next_steps", max_chars=5000)
    slots.here("next_steps")
    status = ActivityStatus.SUBMITTED
    if editing is None:
        status = st.radio(tr("field.status"), [ActivityStatus.SUBMITTED, ActivityStatus.DRAFT],
                          format_func=enum_label, horizontal=True, key="act_status")
    submitted = st.button(tr("activities.save"), type="primary", icon=":material/save:",
                          key="activity_save")
    st.caption(tr("activities.kept_hint"))

fields: dict[str, Any] = {
    "type": kind, "title": title, "activity_date": day,
    "hours": None if hours is None else str(hours), "format": fmt,
    "municipality_atvk": place_atvk, "cohort_id": cohort_id, "capacity_areas": areas,
    "total_participants": total, "next_steps": next_steps,
    "participations": [{"organization_id": p["organization_id"], "attendees": p["attendees"]}
                       for p in participants],
    "attendees": attendee_picker.as_fields(named),
} | ({"incubator_id": incubator.id, "status": status} if editing is None
     else {"version": editing.version})
schema: type[ActivityCreate] | type[ActivityUpdate] = \
    ActivityCreate if editing is None else ActivityUpdate


def _wrong_now() -> list[FieldError]:
    """Every problem of the form as it is on the screen, the programme's dates included."""
    found = problems(schema, fields)
    if isinstance(day, dt.date) and not PROGRAM_START <= day <= PROGRAM_END:
        found.append(FieldError("activity_date", "date_outside_programme",
                                {"start": PROGRAM_START, "end": PROGRAM_END}))
    return found

# Keep the form as it is typed: a reload, a closed tab or a lost connection loses nothing.
# Unchanged from what was loaded, nothing is kept; a save or a cancel forgets it.
keeper.keep(_snapshot())


def _store(data: ActivityCreate | ActivityUpdate) -> ActivityRead | None:
    def action() -> ActivityRead:
        with session_scope() as session:
            if isinstance(data, ActivityUpdate):
                assert editing is not None
                return activities.update_activity(session, actor=actor,
                                                  activity_id=editing.id, data=data)
            return activities.log_activity(session, actor=actor, data=data)
    return slots.save(fields, action)


def _finish(saved: ActivityRead) -> None:
    st.session_state["activity_saved"] = tr("activities.saved", title=plain(saved.title))
    _reload_form(None)


if submitted:
    st.session_state[TRIED] = True
    data: ActivityCreate | ActivityUpdate | None = None
    if _wrong_now():  # shown next to each field (below); nothing is saved
        st.error(tr("activities.fix_first"), icon=":material/error:")
    else:
        data = validated(FORM, schema, fields)
    if data is not None:
        with session_scope(readonly=True) as session:
            similar = activities.find_similar_activities(
                session, actor=actor, incubator_id=incubator.id,
                activity_date=data.activity_date, title=data.title,
                exclude_id=editing.id if editing else None)
        if similar:
            st.session_state[PENDING] = (data, [s.title for s in similar])
        else:
            saved = _store(data)
            if saved is not None:
                _finish(saved)

pending = st.session_state.get(PENDING)
if pending is not None:
    data, titles = pending
    st.warning(tr("activities.duplicate_warning", titles="; ".join(plain(t) for t in titles)))
    yes, no = st.columns(2)
    if yes.button(tr("activities.save_anyway"), key="save_anyway", type="primary"):
        st.session_state.pop(PENDING, None)
        saved = _store(data)
        if saved is not None:
            _finish(saved)
    if no.button(tr("activities.cancel"), key="cancel_duplicate"):
        st.session_state.pop(PENDING, None)
        st.rerun()

for problem in slots.show(_wrong_now(), fields, every=bool(st.session_state.get(TRIED)),
                         at_once=AT_ONCE):  # those with no field of their own on the page
    st.error(problem.describe(lang()), icon=":material/error:")
message = st.session_state.pop("activity_saved", None)
if message:
    st.success(message, icon=":material/check_circle:")
if editing is not None and st.button(tr("activities.cancel_edit"), key="cancel_edit"):
    _reload_form(None)

# --- evidence of the activity being edited -------------------------------------------------
if editing is not None:
    evidence.box(actor=actor, activity_id=editing.id, flash="activity_saved")

# --- recent activities ---------------------------------------------------------------------
st.divider()
st.subheader(tr("activities.recent"))
with session_scope(readonly=True) as session:
    recent = activities.list_activities(session, actor=actor, incubator_id=incubator.id,
                                        limit=25)
    steps = review.steps_of(session, actor, recent)
    files_of = attachments.attachment_counts(session, [a.id for a in recent], actor=actor)
if not recent:
    st.caption(tr("activities.no_recent"))
for item in recent:
    row = st.container(border=True)
    allowed = steps[item.id]
    info, submit_col, edit_col, delete_col = row.columns([5.5, 1.5, 1.5, 1.5],
                                                         vertical_alignment="center")
    info.text(f"{fmt_date(item.activity_date)} · {enum_label(item.type)} · "
              f"{enum_label(item.status)}\n{item.title}\n"
              + tr("activities.row_people", orgs=len(item.participations),
                   people=item.total_participants)
              + (" · " + tr("attachments.count", count=files_of.get(item.id, 0))
                 if files_of.get(item.id) else ""))
    if item.status is ActivityStatus.RETURNED and item.review_comment:
        info.caption(tr("activities.returned_comment", comment=plain(item.review_comment)))
    if review.Step.SUBMIT in allowed and submit_col.button(
            tr("activities.submit"), key=f"submit_{item.id}", icon=":material/send:",
            type="primary"):
        def _submit(item: ActivityRead = item) -> int:
            with session_scope() as session:
                return review.submit_activity(session, actor=actor, activity_id=item.id,
                                              version=item.version)
        if save("activity_submit", _submit) is not None:
            st.session_state["activity_saved"] = tr("activities.submitted",
                                                    title=plain(item.title))
            if editing is not None and editing.id == item.id:
                _reload_form(None)
            st.rerun()
    if review.Step.EDIT in allowed and edit_col.button(
            tr("activities.edit"), key=f"edit_{item.id}", icon=":material/edit:"):
        _reload_form(item)
    if review.Step.DELETE in allowed and delete_col.button(
            tr("activities.delete"), key=f"delete_{item.id}", icon=":material/delete:"):
        confirm.ask(DELETING, item.id)
    if not allowed & {review.Step.EDIT, review.Step.SUBMIT}:
        edit_col.caption(tr({ActivityStatus.APPROVED: "activities.locked_approved",
                             ActivityStatus.SUBMITTED: "activities.locked_review"}.get(
                                 item.status, "activities.locked")))
    if confirm.answered(DELETING, item.id, where=row,
                        keys=(f"delete_yes_{item.id}", f"delete_no_{item.id}"),
                        question=tr("activities.delete_confirm", title=plain(item.title)),
                        yes=tr("activities.delete_yes"), no=tr("activities.cancel")):
        def _delete(item: ActivityRead = item) -> bool:
            with session_scope() as session:
                activities.delete_activity(session, actor=actor, activity_id=item.id,
                                           version=item.version)
            return True
        if save("activity_delete", _delete):
            st.session_state["activity_saved"] = tr("activities.deleted",
                                                    title=plain(item.title))
            if editing is not None and editing.id == item.id:
                _reload_form(None)
            st.rerun()
