"""SQLAlchemy models: the tables analysts query directly (names are a contract, DESIGN.md §3),
one module per domain; the rest of the code imports them from here (`from db.models import
Activity`)."""

from __future__ import annotations

from db.models.accounts import AuditLog, DataState, FormDraft, User, UserSession
from db.models.activities import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    Activity,
    ActivityArea,
    Attachment,
    Participation,
    PeriodClosure,
)
from db.models.base import MAX_COUNT, NAMING_CONVENTION, REGISTER_STATUSES, Base, Versioned, utcnow
from db.models.capacity import Assessment, AssessmentScore, Milestone
from db.models.dialogue import (
    DOCUMENT_REF_MAX,
    TAP_NUMBER_PATTERN,
    Document,
    DocumentMonitoring,
    Opinion,
    OpinionAuthor,
    OpinionEvidence,
    document_search_key,
)
from db.models.indicators import Indicator, IndicatorEntry, Target
from db.models.organizations import Enrollment, Organization
from db.models.people import (
    SENSITIVE_CHARACTERISTICS,
    Attendance,
    Membership,
    Person,
    person_name_key,
)
from db.models.programme import Cohort, Incubator, Program
from db.models.reference import Municipality, Region
from db.models.rollups import ActivityRollup, AreaRollup, OrganizationRollup, TrainedPerson

__all__ = [
    "ATTACHMENT_MAX_BYTES",
    "ATTACHMENT_TYPES",
    "DOCUMENT_REF_MAX",
    "MAX_COUNT",
    "NAMING_CONVENTION",
    "REGISTER_STATUSES",
    "SENSITIVE_CHARACTERISTICS",
    "TAP_NUMBER_PATTERN",
    "Activity",
    "ActivityArea",
    "ActivityRollup",
    "AreaRollup",
    "Assessment",
    "AssessmentScore",
    "Attachment",
    "Attendance",
    "AuditLog",
    "Base",
    "Cohort",
    "DataState",
    "Document",
    "DocumentMonitoring",
    "Enrollment",
    "FormDraft",
    "Incubator",
    "Indicator",
    "IndicatorEntry",
    "Membership",
    "Milestone",
    "Municipality",
    "Opinion",
    "OpinionAuthor",
    "OpinionEvidence",
    "Organization",
    "OrganizationRollup",
    "Participation",
    "PeriodClosure",
    "Person",
    "Program",
    "Region",
    "Target",
    "TrainedPerson",
    "User",
    "UserSession",
    "Versioned",
    "document_search_key",
    "person_name_key",
    "utcnow",
]
