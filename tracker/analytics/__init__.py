"""The one analytics module: every dashboard and export number, as SQL aggregates.

Kept in a few files by subject; import from here.
"""

from tracker.analytics.forecast import (
    ForecastStatus,
    InactiveOrganization,
    IndicatorForecast,
    LoggingStatus,
    inactive_organizations,
    incubator_forecasts,
    indicator_forecasts,
    logging_status,
)
from tracker.analytics.journeys import (
    cohort_funnel,
    index_change_distribution,
    index_history,
    journey_organizations,
    organization_radar,
    support_vs_gain,
)
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
from tracker.analytics.scope import Filters, counted_note_key, counted_statuses
from tracker.analytics.version import data_version

__all__ = [
    "AreaTotals",
    "Filters",
    "ForecastStatus",
    "InactiveOrganization",
    "IncubatorRow",
    "IndicatorForecast",
    "IndicatorProgress",
    "LoggingStatus",
    "QuarterRow",
    "activity_type_mix",
    "capacity_area_mix",
    "cohort_funnel",
    "counted_note_key",
    "counted_statuses",
    "data_version",
    "inactive_organizations",
    "incubator_forecasts",
    "incubator_totals",
    "index_change_distribution",
    "index_history",
    "indicator_forecasts",
    "indicator_progress",
    "journey_organizations",
    "logging_status",
    "municipality_totals",
    "organization_radar",
    "quarterly_series",
    "region_totals",
    "support_vs_gain",
]
