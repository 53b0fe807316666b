"""Users (administrators): the accounts; add one, change role and incubator, deactivate, reset."""

from __future__ import annotations

import streamlit as st

from dashboards.components import confirm
from dashboards.components.auth import oidc_configured, require
from dashboards.components.forms import (
    clear_errors,
    done,
    field_error,
    flash,
    save,
    submit,
    write,
)
from dashboards.components.text import enum_label, fmt_date, lang, plain, tr
from tracker.auth import Area
from tracker.database import session_scope
from tracker.schemas import (
    MIN_PASSWORD_LENGTH,
    PasswordReset,
    UserCreate,
    UserDetail,
    UserUpdate,
)
from tracker.services import incubators, users

ADD, EDIT = "admin_user_add", "admin_user_edit"
RESET, STATUS = "admin_user_reset", "admin_user_status"
ADD_KEYS = ("admin_user_email", "admin_user_full_name", "admin_user_role",
            "admin_user_incubator", "admin_user_password")
EDIT_KEYS = ("admin_user_edit_full_name", "admin_user_edit_role", "admin_user_edit_incubator",
             "admin_user_new_password")
CONFIRM = "admin_user_confirm_deactivate"  # id of the user whose deactivation awaits a yes
FLASH = "admin_user_flash"

actor = require(Area.ADMIN_USERS)
with session_scope(readonly=True) as session:
    people = users.list_users(session, actor=actor)
    incubator_names = {i.code: i.name(lang()) for i in
                       incubators.list_incubators(session, actor=actor, lang=lang())}


# Option labels are fixed per run (AppTest formats options outside the script run, too).
role_labels = {role: enum_label(role) for role in users.ROLES}
incubator_labels: dict[str | None, str] = {None: tr("admin.none")}
incubator_labels.update(incubator_names)


def _status(user: UserDetail) -> str:
    if not user.is_active:
        return tr("admin.users.inactive")
    if user.locked:
        return tr("admin.users.locked")
    return tr("admin.users.active")


def _who(user: UserDetail) -> str:
    return f"{user.full_name} ({user.email})" if user.full_name else user.email


def _forget_edit() -> None:
    """Another user picked: the edit widgets start again from that user's values."""
    for key in EDIT_KEYS:
        st.session_state.pop(key, None)
    st.session_state.pop(CONFIRM, None)
    for form in (EDIT, RESET, STATUS):
        clear_errors(form)


st.title(tr("nav.admin_users"))
st.caption(tr("admin.users.intro"))
st.dataframe(
    [{tr("field.full_name"): u.full_name, tr("field.email"): u.email,
      tr("field.role"): enum_label(u.role), tr("field.incubator_code"): incubator_names.get(
          u.incubator_code, u.incubator_code) if u.incubator_code else "",
      tr("field.status"): _status(u),
      tr("admin.users.last_login"): fmt_date(u.last_login_at.date() if u.last_login_at else None)}
     for u in people],
    hide_index=True)
st.caption(tr("admin.users.count", count=len(people)))

# --- add a user ----------------------------------------------------------------------------
st.subheader(tr("admin.users.add"))
flash(FLASH, "add")
with st.form(ADD):
    left, right = st.columns(2)
    email = left.text_input(tr("field.email"), key="admin_user_email", max_chars=254)
    with left:
        field_error(ADD, "email")
    full_name = right.text_input(tr("field.full_name"), key="admin_user_full_name",
                                 max_chars=200)
    with right:
        field_error(ADD, "full_name")
    role = left.selectbox(tr("field.role"), users.ROLES, format_func=role_labels.__getitem__,
                          index=users.ROLES.index(users.DEFAULT_ROLE), key="admin_user_role")
    with left:
        field_error(ADD, "role")
    incubator = right.selectbox(tr("field.incubator_code"), list(incubator_labels),
                                format_func=incubator_labels.__getitem__,
                                key="admin_user_incubator",
                                help=tr("admin.users.incubator_help"))
    with right:
        field_error(ADD, "incubator_code")
    password = left.text_input(tr("field.password"), type="password", key="admin_user_password",
                               autocomplete="new-password",
                               help=tr("admin.users.password_help", min=MIN_PASSWORD_LENGTH))
    with left:
        field_error(ADD, "password")
    add = st.form_submit_button(tr("admin.users.add_submit"), type="primary",
                                key="admin_user_add_submit")
if add:
    created = submit(ADD, UserCreate, {
        "email": email, "full_name": full_name, "role": role, "incubator_code": incubator,
        # Without a password an account can sign in only through the identity provider.
        "password": password or (None if oidc_configured() else "")},
        lambda session, data: users.create_user(session, actor=actor, data=data))
    if created:
        done(FLASH, "add", tr("admin.users.added", email=plain(created.email)), *ADD_KEYS)

# --- one user: role and incubator, password, deactivation ----------------------------------
if people:
    st.subheader(tr("admin.users.edit"))
    by_id = {u.id: u for u in people}
    chosen = st.selectbox(tr("admin.users.pick"), list(by_id), key="admin_user_pick",
                          format_func=lambda i: _who(by_id[i]), on_change=_forget_edit)
    user = by_id.get(chosen, people[0])
    flash(FLASH, "edit")
    st.caption(tr("admin.users.summary", status=_status(user), role=enum_label(user.role),
                  last=fmt_date(user.last_login_at.date()) if user.last_login_at
                  else tr("admin.users.never")))
    with st.form(EDIT):
        edit_name = st.text_input(tr("field.full_name"), value=user.full_name,
                                  key="admin_user_edit_full_name", max_chars=200)
        field_error(EDIT, "full_name")
        left, right = st.columns(2)
        edit_role = left.selectbox(tr("field.role"), users.ROLES,
                                   format_func=role_labels.__getitem__,
                                   index=users.ROLES.index(user.role),
                                   key="admin_user_edit_role")
        with left:
            field_error(EDIT, "role")
        codes = list(incubator_labels)
        edit_incubator = right.selectbox(
            tr("field.incubator_code"), codes, format_func=incubator_labels.__getitem__,
            index=codes.index(user.incubator_code) if user.incubator_code in codes else 0,
            key="admin_user_edit_incubator", help=tr("admin.users.incubator_help"))
        with right:
            field_error(EDIT, "incubator_code")
        change = st.form_submit_button(tr("admin.save"), type="primary",
                                       key="admin_user_edit_submit")
    if change:
        changed = submit(EDIT, UserUpdate, {
            "full_name": edit_name, "role": edit_role, "incubator_code": edit_incubator,
            "version": user.version}, lambda session, data: users.update_user(
                session, actor=actor, user_id=user.id, data=data))
        if changed:
            done(FLASH, "edit", tr("admin.users.updated", email=plain(changed.email)))

    with st.form(RESET):
        st.markdown(f"**{tr('admin.users.reset')}**")
        st.caption(tr("admin.users.reset_help"))
        new_password = st.text_input(tr("field.password"), type="password",
                                     key="admin_user_new_password", autocomplete="new-password",
                                     help=tr("admin.users.password_help",
                                             min=MIN_PASSWORD_LENGTH))
        field_error(RESET, "password")
        reset = st.form_submit_button(tr("admin.users.reset_submit"),
                                      key="admin_user_reset_submit")
    if reset:
        changed = submit(RESET, PasswordReset, {"password": new_password},
                         lambda session, data: users.reset_password(
                             session, actor=actor, user_id=user.id, data=data))
        if changed:
            done(FLASH, "edit", tr("admin.users.reset_done", email=plain(changed.email)),
                 "admin_user_new_password")

    if not user.is_active:
        if st.button(tr("admin.users.reactivate"), key="admin_user_reactivate",
                     icon=":material/person_check:"):
            back = save(STATUS, lambda: write(lambda s: users.reactivate_user(
                s, actor=actor, user_id=user.id, version=user.version)))
            if back:
                done(FLASH, "edit", tr("admin.users.reactivated", email=plain(back.email)))
    elif confirm.asking(CONFIRM, user.id):
        if confirm.answered(CONFIRM, user.id,
                            keys=("admin_user_deactivate_yes", "admin_user_deactivate_no"),
                            question=tr("admin.users.deactivate_confirm",
                                        email=plain(user.email)),
                            yes=tr("admin.users.deactivate_yes"), no=tr("admin.cancel")):
            gone = save(STATUS, lambda: write(lambda s: users.deactivate_user(
                s, actor=actor, user_id=user.id, version=user.version)))
            if gone:
                done(FLASH, "edit", tr("admin.users.deactivated", email=plain(gone.email)))
    elif st.button(tr("admin.users.deactivate"), key="admin_user_deactivate",
                   icon=":material/person_off:"):
        confirm.ask(CONFIRM, user.id)
