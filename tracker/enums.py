"""The closed vocabularies, for the layers above the domain (pages never import db)."""

from db.enums import (
    ActivityFormat,
    ActivityStatus,
    ActivityType,
    AssessmentKind,
    CapacityArea,
    EnrollmentStatus,
    IndicatorMethod,
    LegalForm,
    MilestoneKind,
    RegionCode,
    Role,
)

__all__ = ["ActivityFormat", "ActivityStatus", "ActivityType", "AssessmentKind", "CapacityArea",
           "EnrollmentStatus", "IndicatorMethod", "LegalForm", "MilestoneKind", "RegionCode",
           "Role"]
