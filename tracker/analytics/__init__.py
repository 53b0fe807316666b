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
from tracker.analytics.regions import (
    AreaTotals,
    IncubatorRow,
    incubator_totals,
    municipality_totals,
    region_totals,
)
from tracker.analytics.scope import Filters
from tracker.analytics.version import data_version

__all__ = [
    "AreaTotals",
    "Filters",
    "IncubatorRow",
    "IndicatorProgress",
    "QuarterRow",
    "activity_type_mix",
    "capacity_area_mix",
    "data_version",
    "incubator_totals",
    "indicator_progress",
    "municipality_totals",
    "quarterly_series",
    "region_totals",
]
