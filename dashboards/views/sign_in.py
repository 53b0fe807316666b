"""Sign-in: e-mail and password, or the organisation's identity provider when configured."""

from __future__ import annotations

import streamlit as st

from dashboards.components import auth
from dashboards.components.text import tr

st.title(tr("app.title"))
left, _ = st.columns([2, 3])
with left:
    st.subheader(tr("auth.sign_in"))
    with st.form("sign_in", enter_to_submit=True):
        email = st.text_input(tr("field.email"), autocomplete="username")
        password = st.text_input(tr("field.password"), type="password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button(tr("auth.sign_in"), type="primary")
    if submitted:
        if auth.sign_in_with_password(email, password):
            st.rerun()
        st.error(tr("auth.failed"))
    if auth.oidc_configured():
        st.divider()
        outsider = auth.oidc_user_email()
        if outsider:  # the provider knows them, the tracker has no (active) account for them
            st.warning(tr("auth.no_account"))
            st.text(outsider)
            if st.button(tr("auth.sign_out"), key="oidc_sign_out"):
                st.logout()
        elif st.button(tr("auth.sign_in_provider"), icon=":material/key:", key="oidc_sign_in"):
            st.login()
