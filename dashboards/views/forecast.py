"""Placeholder while the page is built in this change."""

from __future__ import annotations

import streamlit as st

from dashboards.components.auth import require
from dashboards.components.text import tr
from tracker.auth import Area

actor = require(Area.FORECAST)
st.title(tr("nav.forecast"))
