"""The record kinds, one module each: its columns, how a row becomes a record (its handler)
and how the records go out again in the same columns (its export).

Adding a kind is adding its module here and its line in REGISTRY, in dependency order: a kind
refers only to kinds before it, and `import all` loads a workbook's sheets in this order
(documents after organisations, opinions after documents).
"""

from __future__ import annotations

from tracker.imports.base import Kind
from tracker.imports.kinds import (
    activities,
    assessments,
    attendance,
    cohorts,
    documents,
    enrollments,
    indicator_entries,
    milestones,
    opinions,
    organizations,
    participations,
    people,
)

REGISTRY: dict[str, Kind] = {kind.name: kind for kind in (
    organizations.KIND, cohorts.KIND, enrollments.KIND, people.KIND, activities.KIND,
    participations.KIND, attendance.KIND, assessments.KIND, milestones.KIND,
    indicator_entries.KIND, documents.KIND, opinions.KIND)}
KINDS: tuple[str, ...] = tuple(REGISTRY)
