"""The ESF+ participants' report and the common output indicators (issue 20).

- `participants_table`: one row per participant of the period, with names (not for funders;
  every export audited) — tracker.esf.participants;
- `summary_table` / `summary_grid`: the common output indicators by incubator, suppressed for
  funders — tracker.esf.summary, with the algorithm in tracker.esf.suppression;
- `completeness`: whose data are complete, per incubator — tracker.esf.completeness;
- who counts, entry and age: tracker.esf.records (set-based queries).
"""

from tracker.esf.completeness import (
    Completeness,
    completeness,
    completeness_table,
    grid_completeness_table,
)
from tracker.esf.participants import participants_table
from tracker.esf.summary import EsfSummary, build_summary_table, summary_grid, summary_table

__all__ = ["Completeness", "EsfSummary", "build_summary_table", "completeness",
           "completeness_table", "grid_completeness_table", "participants_table",
           "summary_grid", "summary_table"]
