"""Streamlit entry point: language, database check, and (for now) the record counts page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker.database import session_scope
from tracker.health import check_database
from tracker.i18n import LANGUAGES, format_number, normalise_language, t
from tracker.services.stats import table_counts


def _language() -> str:
    """Latvian by default; `?lang=en` in the URL or the sidebar switch changes it."""
    current = normalise_language(st.query_params.get("lang", "lv"))
    chosen = st.sidebar.radio(t("app.language", current), LANGUAGES, horizontal=True,
                              index=LANGUAGES.index(current),
                              format_func=lambda code: {"lv": "Latviešu", "en": "English"}[code])
    if chosen != current:
        st.query_params["lang"] = chosen
        st.rerun()
    return chosen


def main() -> None:
    st.set_page_config(page_title="NVO inkubatori", layout="wide")
    lang = _language()
    st.title(t("app.title", lang))
    status = check_database()
    if not status.ok:
        st.error(status.message(lang))
        st.button(t("app.retry", lang))
        return
    with session_scope(readonly=True) as session:
        counts = table_counts(session)
    st.subheader(t("app.counts", lang))
    frame = pd.DataFrame({t("app.table", lang): [t(f"table.{name}", lang) for name in counts],
                          t("app.rows", lang): [format_number(v, lang) for v in counts.values()]})
    st.dataframe(frame, hide_index=True, height=36 * (len(frame) + 1))
    st.caption(t("app.placeholder", lang))


main()
