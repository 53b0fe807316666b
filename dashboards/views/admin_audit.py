"""Audit log (administrators): who changed, signed in or downloaded what and when, newest
first, filtered by record kind, action, person and dates, a page at a time; the before and
after of one entry on request."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import streamlit as st

from dashboards.components.auth import require
from dashboards.components.forms import field_error, save
from dashboards.components.text import fmt_moment, tr
from tracker.auth import Area
from tracker.database import session_scope
from tracker.services import audit_log
from tracker.services.audit_log import AuditEntry, AuditPage

FORM = "audit_filters"
PAGE_SIZE = 50

actor = require(Area.ADMIN_AUDIT)
st.title(tr("nav.admin_audit"))
st.caption(tr("audit.intro"))


def _entity(name: str) -> str:
    return tr(f"audit.entity.{name}") if name in audit_log.ENTITIES else name


def _action(name: str) -> str:
    return tr(f"audit.action.{name}") if name in audit_log.ACTIONS else name


def _first_page() -> None:
    st.session_state["audit_page"] = 1


kind_col, action_col, who_col = st.columns(3)
entity: str | None = kind_col.selectbox(
    tr("field.entity"), [None, *audit_log.ENTITIES], key="audit_entity", on_change=_first_page,
    format_func=lambda e: tr("audit.any") if e is None else _entity(e))
action: str | None = action_col.selectbox(
    tr("field.action"), [None, *audit_log.ACTIONS], key="audit_action", on_change=_first_page,
    format_func=lambda a: tr("audit.any") if a is None else _action(a))
who = who_col.text_input(tr("field.user_email"), key="audit_who", max_chars=254,
                         placeholder=tr("audit.user_hint"), on_change=_first_page)
since_col, until_col, page_col = st.columns(3)
since: dt.date | None = since_col.date_input(tr("field.since"), value=None, key="audit_since",
                                             format="DD.MM.YYYY", on_change=_first_page)
until: dt.date | None = until_col.date_input(tr("field.until"), value=None, key="audit_until",
                                             format="DD.MM.YYYY", on_change=_first_page)
page_number = int(st.session_state.get("audit_page", 1))


def _read() -> AuditPage:
    with session_scope(readonly=True) as session:
        return audit_log.list_audit(session, actor=actor, entity=entity, action=action,
                                    user_email=who, since=since, until=until,
                                    limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE)


found = save(FORM, _read)
for field in ("user_email", "until"):
    field_error(FORM, field)
if found is None:
    st.stop()
pages = max(1, -(-found.total // PAGE_SIZE))
if page_number > pages:  # the filters left fewer pages than the one shown
    st.session_state["audit_page"] = pages
    st.rerun()
page_col.number_input(tr("audit.page"), min_value=1, max_value=pages, step=1,
                      key="audit_page", help=tr("audit.pages", count=pages))
if not found.items:
    st.info(tr("audit.none"), icon=":material/search_off:")
    st.stop()
first = (page_number - 1) * PAGE_SIZE + 1
st.caption(tr("audit.total", total=found.total, first=first, last=first + len(found.items) - 1))
st.dataframe(
    [{"at": fmt_moment(e.at), "who": e.actor_email or tr("audit.system"),
      "action": _action(e.action), "entity": _entity(e.entity), "id": e.entity_id}
     for e in found.items],
    column_config={"at": tr("audit.col.at"), "who": tr("audit.col.who"),
                   "action": tr("audit.col.action"), "entity": tr("audit.col.entity"),
                   "id": st.column_config.NumberColumn(tr("audit.col.id"), format="%d")},
    hide_index=True, key="audit_table", placeholder="–")


def _label(entry: AuditEntry) -> str:
    return " · ".join(part for part in (
        f"#{entry.id}", fmt_moment(entry.at), entry.actor_email or tr("audit.system"),
        _action(entry.action),
        f"{_entity(entry.entity)} {entry.entity_id if entry.entity_id is not None else ''}"
    ) if part)


def _json(value: dict[str, Any] | None) -> None:
    if value is None:
        st.caption(tr("audit.empty_value"))
    else:
        st.code(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True),
                language="json")


with st.expander(tr("audit.details"), icon=":material/data_object:"):
    by_label = {_label(e): e for e in found.items}
    # no key: another page or filter offers other entries, and the choice starts again
    chosen = by_label.get(st.selectbox(tr("audit.details_pick"), list(by_label)) or "")
    if chosen is not None:
        before_col, after_col = st.columns(2)
        with before_col:
            st.markdown(f"**{tr('audit.before')}**")
            _json(chosen.before)
        with after_col:
            st.markdown(f"**{tr('audit.after')}**")
            _json(chosen.after)
