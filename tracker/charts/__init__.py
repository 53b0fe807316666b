"""Plotly figures, built by pure functions from analytics results (no Streamlit in here).

Kept in a few files by page; import from here.
"""

from tracker.charts.overview import (
    QUARTER_METRICS,
    mix,
    quarterly_by_incubator,
)

__all__ = ["QUARTER_METRICS", "mix", "quarterly_by_incubator"]
