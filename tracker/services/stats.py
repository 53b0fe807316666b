"""Row counts of the main tables, for the start page and the CLI."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import (
    Activity,
    Assessment,
    AuditLog,
    Base,
    Cohort,
    Enrollment,
    Incubator,
    Indicator,
    Milestone,
    Municipality,
    Organization,
    Participation,
    Program,
    Region,
    Target,
    User,
)

COUNTED: tuple[type[Base], ...] = (Region, Municipality, Program, Incubator, Cohort,
                                   Organization, Enrollment, Activity, Participation,
                                   Assessment, Milestone, Indicator, Target, User, AuditLog)


def table_counts(session: Session) -> dict[str, int]:
    """Rows per table (soft-deleted rows included), in a fixed order."""
    counts: dict[str, int] = {}
    for model in COUNTED:
        counts[str(model.__tablename__)] = int(
            session.scalar(select(func.count()).select_from(model)) or 0)
    return counts
