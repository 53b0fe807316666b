"""Closed vocabularies stored in the database as short strings (checked by constraints)."""

from __future__ import annotations

from enum import StrEnum


class RegionCode(StrEnum):
    RIGA = "RIGA"
    VIDZEME = "VIDZEME"
    KURZEME = "KURZEME"
    ZEMGALE = "ZEMGALE"
    LATGALE = "LATGALE"


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    STAFF = "staff"
    FUNDER = "funder"


class LegalForm(StrEnum):
    ASSOCIATION = "association"
    FOUNDATION = "foundation"
    OTHER = "other"


class EnrollmentStatus(StrEnum):
    APPLIED = "applied"
    ADMITTED = "admitted"
    GRADUATED = "graduated"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class ActivityType(StrEnum):
    CONSULTATION = "consultation"
    MENTORING = "mentoring"
    TRAINING = "training"
    WORKSHOP = "workshop"
    THINK_TANK = "think_tank"
    NETWORKING = "networking"
    STUDY_VISIT = "study_visit"
    CIVIC_DIALOGUE = "civic_dialogue"


class ActivityFormat(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


class ActivityStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class CapacityArea(StrEnum):
    GOVERNANCE = "governance"
    STRATEGY = "strategy"
    FINANCE = "finance"
    PEOPLE = "people"
    DELIVERY = "delivery"
    COMMUNICATION = "communication"
    ADVOCACY = "advocacy"


class AssessmentKind(StrEnum):
    INTAKE = "intake"
    MIDPOINT = "midpoint"
    GRADUATION = "graduation"
    FOLLOW_UP = "follow_up"


class MilestoneKind(StrEnum):
    OPINION_SUBMITTED = "opinion_submitted"
    GRANT_APPLIED = "grant_applied"
    GRANT_AWARDED = "grant_awarded"
    STRATEGY_ADOPTED = "strategy_adopted"
    NEW_PARTNERSHIP = "new_partnership"
    NEW_MEMBERS = "new_members"
    SERVICE_LAUNCHED = "service_launched"


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    NON_BINARY = "non_binary"


class PersonRole(StrEnum):
    """What a person is to an organisation."""

    LEADER = "leader"
    BOARD_MEMBER = "board_member"
    MEMBER = "member"
    EMPLOYEE = "employee"
    VOLUNTEER = "volunteer"


class EmploymentStatus(StrEnum):
    """ESF+ labour-market status at entry (Regulation (EU) 2021/1057, Annex I)."""

    EMPLOYED = "employed"
    SELF_EMPLOYED = "self_employed"
    UNEMPLOYED = "unemployed"
    LONG_TERM_UNEMPLOYED = "long_term_unemployed"
    INACTIVE = "inactive"
    IN_EDUCATION = "in_education"


class Education(StrEnum):
    """Highest education at entry, by ISCED 2011 level groups."""

    ISCED_0_2 = "isced_0_2"
    ISCED_3_4 = "isced_3_4"
    ISCED_5_8 = "isced_5_8"


class Answer(StrEnum):
    """A sensitive ESF+ characteristic: refused is a valid answer, an empty one is missing."""

    YES = "yes"
    NO = "no"
    REFUSED = "refused"


class DocumentKind(StrEnum):
    """What a document in the civic-dialogue register is."""

    LAW = "law"
    CABINET_REGULATION = "cabinet_regulation"
    POLICY_DOCUMENT = "policy_document"
    MUNICIPAL_BINDING_REGULATION = "municipal_binding_regulation"
    EU_ACT = "eu_act"
    OTHER = "other"


class DocumentLevel(StrEnum):
    NATIONAL = "national"
    MUNICIPAL = "municipal"
    EU = "eu"


class OpinionChannel(StrEnum):
    """How an opinion reached the institution."""

    TAP_PORTAL = "tap_portal"
    LETTER = "letter"
    CONSULTATION_MEETING = "consultation_meeting"
    WORKING_GROUP = "working_group"


class OpinionOutcome(StrEnum):
    """What became of an opinion: pending and no answer have no answer date, the rest do."""

    PENDING = "pending"
    TAKEN_INTO_ACCOUNT = "taken_into_account"
    PARTLY_TAKEN_INTO_ACCOUNT = "partly_taken_into_account"
    NOT_TAKEN_INTO_ACCOUNT = "not_taken_into_account"
    NO_ANSWER = "no_answer"


# Outcomes that are an answer (they carry its date) and those that changed something.
ANSWERED_OUTCOMES = (OpinionOutcome.TAKEN_INTO_ACCOUNT, OpinionOutcome.PARTLY_TAKEN_INTO_ACCOUNT,
                     OpinionOutcome.NOT_TAKEN_INTO_ACCOUNT)
CHANGED_OUTCOMES = (OpinionOutcome.TAKEN_INTO_ACCOUNT, OpinionOutcome.PARTLY_TAKEN_INTO_ACCOUNT)


class IndicatorMethod(StrEnum):
    """How an indicator's actual value is obtained."""

    ORGANIZATIONS_SUPPORTED = "organizations_supported"  # distinct organisations that took part
    ACTIVITIES = "activities"  # count of activities (optionally of one type)
    ATTENDEES = "attendees"  # sum of attendees (optionally of one activity type)
    CAPACITY_GAIN = "capacity_gain"  # organisations whose capacity index rose since intake
    MILESTONES = "milestones"  # count of milestones (optionally of one kind)
    MILESTONE_ORGANIZATIONS = "milestone_organizations"  # distinct organisations with a milestone
    MANUAL = "manual"  # entered by hand
    PEOPLE_TRAINED = "people_trained"  # distinct people who met the training completion rule
    DOCUMENTS_MONITORED = "documents_monitored"  # distinct documents of the register monitored
    OPINIONS = "opinions"  # opinions of the register (a joint one once)
    OPINION_ORGANIZATIONS = "opinion_organizations"  # distinct organisations among their authors


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    STATUS = "status"
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_OUT = "sign_out"
    DOWNLOAD = "download"  # an evidence file given out (audit_log.action has no CHECK)
    VIEW = "view"  # a person's full record shown
    EXPORT = "export"  # a file with people's names given out


def values(enum: type[StrEnum]) -> list[str]:
    """The stored values of an enum, in declaration order."""
    return [member.value for member in enum]
