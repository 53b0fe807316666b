"""Placeholder until this page is built."""

from __future__ import annotations

import streamlit as st

from dashboards.components.auth import require
from dashboards.components.text import tr
from tracker.auth import Area

actor = require(Area.ACTIVITIES)
st.title(tr("nav.activities"))
