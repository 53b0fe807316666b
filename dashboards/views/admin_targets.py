"""Targets (administrators): the indicators, targets per programme or incubator and year, and
the rule of who counts as trained."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import streamlit as st

from dashboards.components import confirm
from dashboards.components.auth import require
from dashboards.components.forms import (
    clear_errors,
    field_error,
    save,
    submit,
    write,
)
from dashboards.components.text import enum_label, lang, plain, tr
from tracker.auth import Area
from tracker.database import session_scope
from tracker.enums import ActivityType
from tracker.i18n import format_number
from tracker.schemas import IndicatorRead, TargetRead, TargetSet
from tracker.services import incubators, targets, trained

FORM, REMOVE = "admin_target", "admin_target_remove"
VALUE = "admin_target_value"
CONFIRM = "admin_target_confirm_remove"  # id of the target whose removal awaits a yes
FLASH = "admin_target_flash"
RULE, RULE_CONFIRM = "admin_trained_rule", "admin_trained_confirm"  # its form, its question
# Which catalogue list names an indicator's parameter (activity type or milestone kind).
PARAMETER_LABELS = {"activities": "enum.activity_type", "attendees": "enum.activity_type",
                    "milestones": "enum.milestone_kind",
                    "milestone_organizations": "enum.milestone_kind"}

actor = require(Area.ADMIN_TARGETS)
with session_scope(readonly=True) as session:
    indicators = targets.list_indicators(session, actor=actor)
    all_targets = targets.list_targets(session, actor=actor)
    years = targets.target_years(session, actor=actor)
    rule = trained.training_rule(session)
    names = {i.id: i.name(lang()) for i in
             incubators.list_incubators(session, actor=actor, lang=lang())}


def _done(message: str) -> None:
    """After a save: rerun to show the new state, and say what was done."""
    st.session_state[FLASH] = message
    st.session_state.pop(VALUE, None)
    st.session_state.pop(CONFIRM, None)
    st.session_state.pop(RULE_CONFIRM, None)
    st.rerun()


def _forget() -> None:
    """Another indicator or scope picked: the value starts again from its target."""
    st.session_state.pop(VALUE, None)
    st.session_state.pop(CONFIRM, None)
    clear_errors(FORM)
    clear_errors(REMOVE)


def _method(indicator: IndicatorRead) -> str:
    text = tr(f"admin.method.{indicator.method.value}")
    catalogue = PARAMETER_LABELS.get(indicator.method.value)
    if indicator.parameter and catalogue:
        text = tr("admin.targets.method_of", method=text,
                  parameter=tr(f"{catalogue}.{indicator.parameter}"))
    return text


def _number(value: Decimal) -> str:
    return format_number(float(value), lang(), 0 if value == value.to_integral_value() else 2)


def _incubator(incubator_id: int | None) -> str:
    return names.get(incubator_id, "") if incubator_id else tr("admin.targets.whole_programme")


def _year(year: int | None) -> str:
    return str(year) if year else tr("admin.targets.whole_period")


def _types(kinds: tuple[str, ...]) -> str:
    return ", ".join(enum_label(ActivityType(kind)) for kind in kinds)


def _rule_section() -> None:
    """Who counts as trained: hours and activity types, saved after a yes (every figure of
    people trained changes, for the past too)."""
    st.subheader(tr("admin.trained.title"))
    st.caption(tr("admin.trained.intro"))
    st.caption(tr("admin.trained.current", hours=_number(rule.min_hours),
                  types=_types(rule.activity_types)))
    with st.form(RULE):
        hours = st.number_input(tr("field.min_hours"), min_value=0.0, step=1.0, format="%g",
                                value=float(rule.min_hours), key="admin_trained_hours")
        field_error(RULE, "min_hours")
        kind_labels = {k.value: enum_label(k) for k in ActivityType}  # fixed per run
        kinds = st.multiselect(tr("field.activity_types"), list(kind_labels),
                               default=list(rule.activity_types),
                               format_func=kind_labels.__getitem__, key="admin_trained_types")
        field_error(RULE, "activity_types")
        if st.form_submit_button(tr("admin.trained.save"), key="admin_trained_save"):
            wanted = (Decimal(str(hours or 0)), tuple(kinds))
            if wanted == (rule.min_hours, rule.activity_types):
                confirm.forget(RULE_CONFIRM)
                st.info(tr("admin.trained.unchanged"))
            else:
                confirm.ask(RULE_CONFIRM, wanted)
    pending = st.session_state.get(RULE_CONFIRM)
    if pending is None or not confirm.answered(
            RULE_CONFIRM, pending, keys=("admin_trained_yes", "admin_trained_no"),
            yes=tr("admin.trained.confirm_yes"), no=tr("admin.cancel"),
            question=tr("admin.trained.confirm", hours=_number(pending[0]),
                        types=_types(pending[1]) or "—")):
        return
    saved = save(RULE, lambda: write(lambda session: trained.set_training_rule(
        session, actor=actor, min_hours=pending[0], activity_types=list(pending[1]))))
    if saved is None:
        st.rerun()  # the refusal shows beside its field
    _done(tr("admin.trained.saved", hours=_number(saved.min_hours),
             types=_types(saved.activity_types)))


by_indicator = {i.id: i for i in indicators}

st.title(tr("nav.admin_targets"))
st.caption(tr("admin.targets.intro"))
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH), icon=":material/check_circle:")

st.subheader(tr("table.indicators"))
st.dataframe(
    [{tr("admin.targets.indicator"): i.name(lang()), tr("admin.targets.method"): _method(i),
      tr("admin.targets.unit"): i.unit(lang())} for i in indicators],
    hide_index=True)

st.subheader(tr("admin.targets.list"))
if all_targets:
    st.dataframe(
        [{tr("admin.targets.indicator"): by_indicator[t.indicator_id].name(lang()),
          tr("field.incubator_id"): _incubator(t.incubator_id), tr("field.year"): _year(t.year),
          tr("field.target_value"): _number(t.target_value),
          tr("admin.targets.unit"): by_indicator[t.indicator_id].unit(lang())}
         for t in all_targets if t.indicator_id in by_indicator],
        hide_index=True)
else:
    st.info(tr("admin.targets.none"))

# --- set, change or remove one target ----------------------------------------------------------
if not indicators:
    _rule_section()
    st.stop()
st.subheader(tr("admin.targets.set"))
pick_indicator, pick_incubator, pick_year = st.columns([3, 2, 1])
# Option labels are fixed per run (AppTest formats options outside the script run, too).
indicator_labels = {i.id: i.name(lang()) for i in indicators}
incubator_labels = {i: _incubator(i) for i in [None, *names]}
year_labels = {y: _year(y) for y in [None, *years]}
indicator_id = pick_indicator.selectbox(
    tr("admin.targets.indicator"), list(indicator_labels), key="admin_target_indicator",
    format_func=indicator_labels.__getitem__, on_change=_forget)
incubator_id = pick_incubator.selectbox(
    tr("field.incubator_id"), list(incubator_labels), key="admin_target_incubator",
    format_func=incubator_labels.__getitem__, on_change=_forget)
year = pick_year.selectbox(tr("field.year"), list(year_labels), key="admin_target_year",
                           format_func=year_labels.__getitem__, on_change=_forget)
indicator = by_indicator[indicator_id] if indicator_id in by_indicator else indicators[0]
current: TargetRead | None = next(
    (t for t in all_targets if t.indicator_id == indicator.id and t.incubator_id == incubator_id
     and t.year == year), None)
st.caption(tr("admin.targets.current", value=_number(current.target_value),
              unit=plain(indicator.unit(lang()))) if current else tr("admin.targets.no_current"))

with st.form(FORM):
    value = st.number_input(
        tr("admin.targets.value", unit=plain(indicator.unit(lang()))), min_value=0.0, step=1.0,
        format="%g", value=float(current.target_value) if current else None, key=VALUE)
    field_error(FORM, "target_value")
    for other in ("indicator_id", "incubator_id", "year"):
        field_error(FORM, other)
    submitted = st.form_submit_button(tr("admin.targets.save"), type="primary",
                                      key="admin_target_save")
if submitted:
    saved = submit(FORM, TargetSet, {
        "indicator_id": indicator.id, "incubator_id": incubator_id, "year": year,
        "target_value": None if value is None else f"{value:.2f}",
        "version": current.version if current else None},
        lambda session, data: targets.set_target(session, actor=actor, data=data))
    if saved:
        _done(tr("admin.targets.saved", indicator=plain(indicator.name(lang())),
                 scope=plain(f"{_incubator(saved.incubator_id)}, {_year(saved.year)}")))

if current is not None:
    if confirm.asking(CONFIRM, current.id):
        if confirm.answered(
                CONFIRM, current.id, keys=("admin_target_remove_yes", "admin_target_remove_no"),
                yes=tr("admin.targets.remove_yes"),
                no=tr("admin.cancel"), question=tr(
                    "admin.targets.remove_confirm", indicator=plain(indicator.name(lang())),
                    scope=plain(f"{_incubator(current.incubator_id)}, {_year(current.year)}"))):
            target = current

            def _remove(session: Any) -> bool:
                targets.delete_target(session, actor=actor, target_id=target.id,
                                      version=target.version)
                return True

            if save(REMOVE, lambda: write(_remove)):
                _done(tr("admin.targets.removed", indicator=plain(indicator.name(lang()))))
    elif st.button(tr("admin.targets.remove"), key="admin_target_remove",
                   icon=":material/delete:"):
        confirm.ask(CONFIRM, current.id)

_rule_section()
