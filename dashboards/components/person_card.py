"""A person's card: who they are (the code masked), their organisations with roles, the ESF+
characteristics (what is missing said so), consent, and what they attended with the hours
that count towards "trained"."""

from __future__ import annotations

import streamlit as st

from dashboards.components.people_list import missing_labels
from dashboards.components.person_form import ANSWERS
from dashboards.components.tables import date_column, number
from dashboards.components.text import enum_label, fmt_date, tr
from tracker.enums import ActivityStatus, ActivityType
from tracker.schemas import PersonCard


def _facts(card: PersonCard, municipality_names: dict[str, str],
           incubator_names: dict[int, str]) -> None:
    born = fmt_date(card.birth_date) if card.birth_date else \
        (str(card.birth_year) if card.birth_year else "–")
    consent = fmt_date(card.consent_date)
    if card.consent_withdrawn is not None:
        consent += " · " + tr("people.withdrawn_on", date=fmt_date(card.consent_withdrawn))
    facts = [(tr("field.ref"), card.ref),
             (tr("field.incubator_id"), incubator_names.get(card.incubator_id, "")),
             (tr("field.personal_code"), card.personal_code or "–"),
             (tr("field.birth_date"), born),
             (tr("field.gender"), enum_label(card.gender) if card.gender else "–"),
             (tr("people.municipality"),
              municipality_names.get(card.municipality_atvk or "", "–")),
             (tr("field.email"), card.email or "–"), (tr("field.phone"), card.phone or "–"),
             (tr("field.consent_date"), consent)]
    columns = st.columns(3)
    for position, (label, value) in enumerate(facts):
        with columns[position % 3]:
            st.caption(label)
            st.text(value)  # as typed: never Markdown, no links made of e-mail addresses


def _characteristics(card: PersonCard) -> None:
    st.markdown(f"**{tr('people.esf')}**")
    rows = []
    for name in ("gender", "birth_date", "employment_status", "education", *ANSWERS):
        value = getattr(card, name, None)
        if name == "birth_date":
            shown = fmt_date(value) if value else (str(card.birth_year) if card.birth_year
                                                   else "")
        else:
            shown = enum_label(value) if value is not None else ""
        rows.append({"field": tr(f"field.{name}"),
                     "answer": shown or tr("people.missing_answer")})
    st.dataframe(rows, column_config={"field": tr("people.characteristic"),
                                      "answer": tr("people.answer")},
                 hide_index=True)
    if card.missing:
        st.warning(tr("people.incomplete", fields=missing_labels(card)),
                   icon=":material/assignment_late:")
    else:
        st.success(tr("people.complete"), icon=":material/task_alt:")


def _attended(card: PersonCard, min_hours: object) -> None:
    names = {m.organization_id: m.organization_name for m in card.memberships}
    left, right = st.columns(2)
    left.metric(tr("people.trained_hours"), number(card.trained_hours),
                help=tr("people.trained_help", hours=min_hours))
    right.metric(tr("people.trained"), tr("people.yes") if card.trained else tr("people.no"))
    st.caption(tr("people.trained_rule", hours=min_hours))
    if not card.attended:
        st.caption(tr("people.no_attendance"))
        return
    st.dataframe(
        [{"date": a.activity_date, "title": a.title, "type": enum_label(ActivityType(a.type)),
          "status": enum_label(ActivityStatus(a.status)), "hours": float(a.hours),
          "organization": names.get(a.organization_id or 0, "")} for a in card.attended],
        column_config={"date": date_column(tr("field.activity_date")),
                       "title": tr("field.title"), "type": tr("field.type"),
                       "status": tr("field.status"), "hours": tr("field.hours"),
                       "organization": tr("people.counted_for")},
        hide_index=True, placeholder="–")


def show(card: PersonCard, *, min_hours: object, municipality_names: dict[str, str],
         incubator_names: dict[int, str]) -> None:
    """The card's contents (its header and actions are the page's)."""
    if card.erased:
        st.info(tr("people.erased_note"), icon=":material/person_off:")
    _facts(card, municipality_names, incubator_names)
    st.markdown(f"**{tr('field.memberships')}**")
    if card.memberships:
        st.dataframe([{"name": m.organization_name, "reg_no": m.reg_no,
                       "role": enum_label(m.role)} for m in card.memberships],
                     column_config={"name": tr("field.organization_id"),
                                    "reg_no": tr("field.reg_no"), "role": tr("people.role")},
                     hide_index=True)
    else:
        st.caption(tr("people.no_orgs"))
    _characteristics(card)
    st.markdown(f"**{tr('people.attended')}**")
    _attended(card, min_hours)
