"""The closed vocabularies, for the layers above the domain (pages never import db)."""

from db.enums import (
    ActivityFormat,
    ActivityStatus,
    ActivityType,
    Answer,
    AssessmentKind,
    CapacityArea,
    Education,
    EmploymentStatus,
    EnrollmentStatus,
    Gender,
    IndicatorMethod,
    LegalForm,
    MilestoneKind,
    PersonRole,
    RegionCode,
    Role,
)

__all__ = ["ActivityFormat", "ActivityStatus", "ActivityType", "Answer", "AssessmentKind",
           "CapacityArea", "Education", "EmploymentStatus", "EnrollmentStatus", "Gender",
           "IndicatorMethod", "LegalForm", "MilestoneKind", "PersonRole", "RegionCode", "Role"]
