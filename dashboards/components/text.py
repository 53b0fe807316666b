"""The user's language and the catalogue lookups pages use (`tr`, `enum_label`, `fmt_date`)."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

import streamlit as st

from tracker.i18n import LANGUAGES, Language, format_date, label, normalise_language, t

RIGA = ZoneInfo("Europe/Riga")

_KEY = "lang"


def lang() -> Language:
    """The language of this browser session (Latvian unless the user chose English)."""
    value = st.session_state.get(_KEY)
    return value if value in LANGUAGES else normalise_language(st.query_params.get("lang", "lv"))


def tr(key: str, /, **params: Any) -> str:
    """The catalogue text for `key` in the user's language."""
    return t(key, lang(), **params)


def enum_label(member: StrEnum) -> str:
    return label(member, lang())


def fmt_date(value: dt.date | None) -> str:
    return format_date(value, lang())


def fmt_moment(moment: dt.datetime | None) -> str:
    """A stored moment (UTC; SQLite gives it without a zone) as Latvian wall-clock time."""
    if moment is None:
        return ""
    local = (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(RIGA)
    return f"{fmt_date(local.date())} {local:%H:%M}"


def language_switch() -> Language:
    """Sidebar switch; `?lang=en` / `?lang=lv` in the URL does the same and is kept there."""
    from_url = normalise_language(st.query_params.get("lang", st.session_state.get(_KEY, "lv")))
    st.session_state[_KEY] = from_url
    chosen = st.sidebar.radio(t("app.language", from_url), LANGUAGES, horizontal=True,
                              index=LANGUAGES.index(from_url),
                              format_func=lambda code: {"lv": "Latviešu", "en": "English"}[code])
    if chosen != from_url:
        st.session_state[_KEY] = chosen
        st.query_params["lang"] = chosen
        st.rerun()
    if st.query_params.get("lang") != chosen:
        st.query_params["lang"] = chosen
    return chosen


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")
_AUTOLINK = re.compile(r":|@|(?i:www)")


def plain(text: str | None) -> str:
    """User-entered text made safe for st.title/st.markdown: shown as typed, never as Markdown
    or HTML (every character Markdown would act on is escaped)."""
    if not text:
        return ""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    # Streamlit turns addresses into links after Markdown; an invisible word joiner after
    # ":", "@" and "www" keeps them plain text.
    return _AUTOLINK.sub(lambda m: m.group(0) + "\u2060", escaped)
