"""Entry point for `streamlit run dashboards/app.py`: the app and its session-cookie routes."""

from __future__ import annotations

from pathlib import Path

# Libraries the pages would otherwise import on first use (plotly imports pandas when it
# builds the first figure) are imported here, once, when the server starts: two sessions
# whose scripts import pandas for the first time at the same moment can see it
# half-initialised ("partially initialized module 'pandas'").
import pandas  # noqa: F401
import plotly.graph_objects  # noqa: F401
import streamlit as st

from dashboards.routes import ROUTES

app = st.App(str(Path(__file__).with_name("main.py")), routes=ROUTES)
