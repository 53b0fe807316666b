"""Entry point for `streamlit run dashboards/app.py`: the app and its session-cookie routes."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboards.routes import ROUTES

app = st.App(str(Path(__file__).with_name("main.py")), routes=ROUTES)
