"""The one analytics module: every dashboard and export number, as SQL aggregates.

Kept in a few files by subject; import from here.
"""

from tracker.analytics.progress import (
    IndicatorProgress,
    QuarterRow,
    activity_type_mix,
    capacity_area_mix,
    indicator_progress,
    quarterly_series,
)
from tracker.analytics.scope import Filters
from tracker.analytics.version import data_version

__all__ = [
    "Filters",
    "IndicatorProgress",
    "QuarterRow",
    "activity_type_mix",
    "capacity_area_mix",
    "data_version",
    "indicator_progress",
    "quarterly_series",
]
