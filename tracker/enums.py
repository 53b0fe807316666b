"""The closed vocabularies, for the layers above the domain (pages never import db)."""

from db.enums import (
    ActivityFormat,
    ActivityStatus,
    ActivityType,
    Answer,
    AssessmentKind,
    CapacityArea,
    DocumentKind,
    DocumentLevel,
    Education,
    EmploymentStatus,
    EnrollmentStatus,
    Gender,
    IndicatorMethod,
    LegalForm,
    MilestoneKind,
    OpinionChannel,
    OpinionOutcome,
    PersonRole,
    RegionCode,
    Role,
)

__all__ = ["ActivityFormat", "ActivityStatus", "ActivityType", "Answer", "AssessmentKind",
           "CapacityArea", "DocumentKind", "DocumentLevel", "Education", "EmploymentStatus",
           "EnrollmentStatus", "Gender", "IndicatorMethod", "LegalForm", "MilestoneKind",
           "OpinionChannel", "OpinionOutcome", "PersonRole", "RegionCode", "Role"]
