"""The one catalogue of user-facing text, in Latvian (default) and English."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from babel.dates import format_date as _babel_format_date
from babel.numbers import format_decimal as _babel_format_decimal

Language = Literal["lv", "en"]
LANGUAGES: tuple[Language, ...] = ("lv", "en")
DEFAULT_LANGUAGE: Language = "lv"

# key -> (Latvian, English). Parameters in braces are filled in by `t`.
CATALOGUE: dict[str, tuple[str, str]] = {
    # Validation messages
    "error.required": ("obligāti jānorāda", "is required"),
    "error.too_short": ("jābūt vismaz {min_length} rakstzīmēm", "must have at least {min_length} characters"),
    "error.too_long": ("drīkst būt ne vairāk kā {max_length} rakstzīmes", "must have at most {max_length} characters"),
    "error.min_value": ("jābūt vismaz {ge}", "must be at least {ge}"),
    "error.max_value": ("drīkst būt ne vairāk kā {le}", "must be at most {le}"),
    "error.gt_value": ("jābūt lielākam par {gt}", "must be greater than {gt}"),
    "error.lt_value": ("jābūt mazākam par {lt}", "must be less than {lt}"),
    "error.not_integer": ("jābūt veselam skaitlim", "must be a whole number"),
    "error.not_number": ("jābūt skaitlim", "must be a number"),
    "error.too_many_decimals": ("pārāk daudz ciparu aiz komata", "has too many decimal places"),
    "error.not_date": ("jābūt datumam (GGGG-MM-DD vai DD.MM.GGGG)", "must be a date (YYYY-MM-DD or DD.MM.YYYY)"),
    "error.not_boolean": ("jābūt jā vai nē", "must be yes or no"),
    "error.not_text": ("jābūt tekstam", "must be text"),
    "error.not_list": ("jābūt sarakstam", "must be a list"),
    "error.not_allowed": ("nav atļauta vērtība; atļautās: {expected}", "is not an allowed value; allowed: {expected}"),
    "error.unknown_field": ("nezināms lauks", "is not a known field"),
    "error.invalid": ("nederīga vērtība", "is not valid"),
    "error.control_characters": ("satur neatļautas vadības rakstzīmes", "contains control characters"),
    "error.reg_no_format": ("reģistrācijas numuram jābūt 11 cipariem", "a registration number must be 11 digits"),
    "error.reg_no_checksum": ("reģistrācijas numura kontrolcipars nav pareizs", "the registration number's check digit is wrong"),
    "error.reg_no_not_legal_entity": ("tas nav juridiskas personas reģistrācijas numurs", "is not a legal entity's registration number"),
    "error.email_invalid": ("nav derīga e-pasta adrese", "is not a valid e-mail address"),
    "error.phone_invalid": ("nav derīgs tālruņa numurs", "is not a valid phone number"),
    "error.date_in_future": ("datums nevar būt nākotnē", "the date cannot be in the future"),
    "error.date_too_early": ("datums nevar būt pirms {min_date}", "the date cannot be before {min_date}"),
    "error.date_outside_programme": ("datumam jābūt programmas periodā no {start} līdz {end}", "the date must be inside the programme period, {start} to {end}"),
    "error.date_order": ("beigu datums nevar būt pirms sākuma datuma", "the end date cannot be before the start date"),
    "error.attendees_exceed_total": ("dalībnieku kopā ({attendees}) ir vairāk nekā kopējais dalībnieku skaits ({total})", "attendees add up to {attendees}, more than the total participants ({total})"),
    "error.duplicate_organization": ("organizācija norādīta vairāk nekā vienu reizi", "the organisation is listed more than once"),
    "error.duplicate_area": ("joma norādīta vairāk nekā vienu reizi", "an area is listed more than once"),
    "error.scores_incomplete": ("jānovērtē visas 7 jomas; trūkst: {missing}", "all 7 areas must be scored; missing: {missing}"),
    "error.unknown_municipality": ("nezināma pašvaldība", "is not a known municipality"),
    "error.municipality_not_valid": ("pašvaldība šajā datumā nepastāvēja", "the municipality did not exist on that date"),
    "error.unknown_organization": ("nezināma organizācija", "is not a known organisation"),
    "error.unknown_incubator": ("nezināms inkubators", "is not a known incubator"),
    "error.unknown_cohort": ("nezināms cikls", "is not a known cycle"),
    "error.cohort_other_incubator": ("cikls pieder citam inkubatoram", "the cycle belongs to another incubator"),
    "error.staff_needs_incubator": ("darbiniekam jānorāda inkubators", "a staff member needs an incubator"),
    "error.password_too_short": ("parolei jābūt vismaz {min_length} rakstzīmēm", "the password must have at least {min_length} characters"),
    # Domain errors
    "error.permission_denied": ("Jums nav tiesību veikt šo darbību.", "You are not allowed to do this."),
    "error.not_found": ("{entity} nav atrasts (ID {id}).", "{entity} not found (ID {id})."),
    "error.stale_version": ("Kāds cits šo ierakstu jau ir mainījis. Pārlādējiet to un mēģiniet vēlreiz.", "Someone else has changed this record meanwhile. Reload it and try again."),
    "error.duplicate_reg_no": ("Organizācija ar reģistrācijas numuru {reg_no} jau ir reģistrēta.", "An organisation with registration number {reg_no} already exists."),
    "error.duplicate_enrollment": ("Organizācija jau ir pieteikta šajā ciklā.", "The organisation is already in this cycle."),
    "error.duplicate_email": ("Lietotājs ar e-pastu {email} jau ir.", "A user with e-mail {email} already exists."),
    "error.invalid_transition": ("Statusu nevar mainīt no “{current}” uz “{target}”.", "The status cannot change from “{current}” to “{target}”."),
    "error.deleted": ("Ieraksts ir dzēsts.", "The record has been deleted."),
    "error.validation": ("Lūdzu, izlabojiet kļūdas.", "Please correct the errors."),
    # Entities (for messages)
    "entity.organization": ("Organizācija", "Organisation"),
    "entity.activity": ("Aktivitāte", "Activity"),
    "entity.enrollment": ("Dalība ciklā", "Enrolment"),
    "entity.assessment": ("Novērtējums", "Assessment"),
    "entity.milestone": ("Sasniegums", "Milestone"),
    "entity.cohort": ("Cikls", "Cycle"),
    "entity.incubator": ("Inkubators", "Incubator"),
    "entity.user": ("Lietotājs", "User"),
    "entity.indicator": ("Rādītājs", "Indicator"),
    # Field labels
    "field.reg_no": ("Reģistrācijas numurs", "Registration number"),
    "field.name": ("Nosaukums", "Name"),
    "field.legal_form": ("Juridiskā forma", "Legal form"),
    "field.municipality_atvk": ("Pašvaldība", "Municipality"),
    "field.municipality_id": ("Pašvaldība", "Municipality"),
    "field.fields_of_activity": ("Darbības jomas", "Fields of activity"),
    "field.founded_on": ("Dibināšanas datums", "Founded on"),
    "field.members": ("Biedri", "Members"),
    "field.volunteers": ("Brīvprātīgie", "Volunteers"),
    "field.employees": ("Darbinieki", "Employees"),
    "field.contact_name": ("Kontaktpersona", "Contact person"),
    "field.contact_email": ("Kontaktpersonas e-pasts", "Contact e-mail"),
    "field.contact_phone": ("Kontaktpersonas tālrunis", "Contact phone"),
    "field.version": ("Versija", "Version"),
    "field.organization_id": ("Organizācija", "Organisation"),
    "field.cohort_id": ("Cikls", "Cycle"),
    "field.incubator_id": ("Inkubators", "Incubator"),
    "field.status": ("Statuss", "Status"),
    "field.on_date": ("Datums", "Date"),
    "field.applied_on": ("Pieteikšanās datums", "Applied on"),
    "field.note": ("Piezīme", "Note"),
    "field.type": ("Veids", "Type"),
    "field.title": ("Nosaukums", "Title"),
    "field.activity_date": ("Datums", "Date"),
    "field.hours": ("Stundas", "Hours"),
    "field.format": ("Formāts", "Format"),
    "field.capacity_areas": ("Kapacitātes jomas", "Capacity areas"),
    "field.total_participants": ("Dalībnieku skaits kopā", "Total participants"),
    "field.next_steps": ("Nākamie soļi", "Next steps"),
    "field.participations": ("Dalībnieki", "Participants"),
    "field.attendees": ("Apmeklētāji", "Attendees"),
    "field.external_ref": ("Atsauce", "Reference"),
    "field.kind": ("Veids", "Kind"),
    "field.assessed_on": ("Novērtējuma datums", "Assessed on"),
    "field.scores": ("Vērtējumi", "Scores"),
    "field.notes": ("Piezīmes", "Notes"),
    "field.achieved_on": ("Sasniegšanas datums", "Achieved on"),
    "field.amount_eur": ("Summa, EUR", "Amount, EUR"),
    "field.reference": ("Atsauce", "Reference"),
    "field.description": ("Apraksts", "Description"),
    "field.email": ("E-pasts", "E-mail"),
    "field.full_name": ("Vārds, uzvārds", "Full name"),
    "field.role": ("Loma", "Role"),
    "field.incubator_code": ("Inkubators", "Incubator"),
    "field.password": ("Parole", "Password"),
    "field.number": ("Numurs", "Number"),
    "field.start_date": ("Sākuma datums", "Start date"),
    "field.end_date": ("Beigu datums", "End date"),
    "field.seats": ("Vietu skaits", "Seats"),
    "field.target_value": ("Mērķis", "Target"),
    "field.year": ("Gads", "Year"),
    "field.value": ("Vērtība", "Value"),
    "field.entry_date": ("Datums", "Date"),
    "field.indicator_id": ("Rādītājs", "Indicator"),
    # Enum values
    "enum.role.admin": ("administrators", "administrator"),
    "enum.role.manager": ("programmas vadītājs", "programme manager"),
    "enum.role.staff": ("inkubatora darbinieks", "incubator staff"),
    "enum.role.funder": ("finansētājs", "funder"),
    "enum.legal_form.association": ("biedrība", "association"),
    "enum.legal_form.foundation": ("nodibinājums", "foundation"),
    "enum.legal_form.other": ("cita", "other"),
    "enum.enrollment_status.applied": ("pieteikusies", "applied"),
    "enum.enrollment_status.admitted": ("uzņemta", "admitted"),
    "enum.enrollment_status.graduated": ("absolvējusi", "graduated"),
    "enum.enrollment_status.rejected": ("noraidīta", "rejected"),
    "enum.enrollment_status.withdrawn": ("izstājusies", "withdrawn"),
    "enum.activity_type.consultation": ("konsultācija", "consultation"),
    "enum.activity_type.mentoring": ("mentorings", "mentoring session"),
    "enum.activity_type.training": ("apmācība", "training"),
    "enum.activity_type.workshop": ("darbnīca", "workshop"),
    "enum.activity_type.think_tank": ("domnīca", "think tank"),
    "enum.activity_type.networking": ("tīklošanās pasākums", "networking event"),
    "enum.activity_type.study_visit": ("pieredzes apmaiņas brauciens", "study visit"),
    "enum.activity_type.civic_dialogue": ("pilsoniskā dialoga atbalsts", "civic-dialogue support"),
    "enum.activity_format.in_person": ("klātienē", "in person"),
    "enum.activity_format.online": ("tiešsaistē", "online"),
    "enum.activity_format.hybrid": ("hibrīds", "hybrid"),
    "enum.activity_status.draft": ("melnraksts", "draft"),
    "enum.activity_status.submitted": ("iesniegta", "submitted"),
    "enum.activity_status.approved": ("apstiprināta", "approved"),
    "enum.activity_status.returned": ("atgriezta", "returned"),
    "enum.capacity_area.governance": ("pārvaldība", "governance"),
    "enum.capacity_area.strategy": ("stratēģija", "strategy"),
    "enum.capacity_area.finance": ("finanšu vadība un līdzekļu piesaiste", "financial management and fundraising"),
    "enum.capacity_area.people": ("cilvēkresursi un brīvprātīgie", "human resources and volunteers"),
    "enum.capacity_area.delivery": ("programmu īstenošana", "programme delivery"),
    "enum.capacity_area.communication": ("komunikācija un sabiedrības uzrunāšana", "communication and outreach"),
    "enum.capacity_area.advocacy": ("pilsoniskais dialogs un interešu aizstāvība", "civic dialogue and advocacy"),
    "enum.assessment_kind.intake": ("sākuma", "intake"),
    "enum.assessment_kind.midpoint": ("starpposma", "midpoint"),
    "enum.assessment_kind.graduation": ("noslēguma", "graduation"),
    "enum.assessment_kind.follow_up": ("pēcpārbaudes", "follow-up"),
    "enum.milestone_kind.opinion_submitted": ("iesniegts viedoklis", "opinion submitted"),
    "enum.milestone_kind.grant_applied": ("iesniegts projekta pieteikums", "grant applied for"),
    "enum.milestone_kind.grant_awarded": ("piešķirts finansējums", "grant awarded"),
    "enum.milestone_kind.strategy_adopted": ("pieņemta stratēģija", "strategy adopted"),
    "enum.milestone_kind.new_partnership": ("jauna sadarbība", "new partnership"),
    "enum.milestone_kind.new_members": ("piesaistīti jauni biedri", "new members recruited"),
    "enum.milestone_kind.service_launched": ("uzsākts jauns pakalpojums", "new service launched"),
    # Tables
    "table.regions": ("Plānošanas reģioni", "Planning regions"),
    "table.municipalities": ("Pašvaldības", "Municipalities"),
    "table.programs": ("Programmas", "Programmes"),
    "table.incubators": ("Inkubatori", "Incubators"),
    "table.cohorts": ("Cikli", "Cycles"),
    "table.organizations": ("Organizācijas", "Organisations"),
    "table.enrollments": ("Dalība ciklos", "Enrolments"),
    "table.activities": ("Aktivitātes", "Activities"),
    "table.participations": ("Dalības aktivitātēs", "Participations"),
    "table.assessments": ("Kapacitātes novērtējumi", "Capacity assessments"),
    "table.milestones": ("Sasniegumi", "Milestones"),
    "table.indicators": ("Rādītāji", "Indicators"),
    "table.targets": ("Mērķi", "Targets"),
    "table.users": ("Lietotāji", "Users"),
    "table.audit_log": ("Izmaiņu žurnāls", "Audit log"),
    # Placeholder page
    "app.title": ("NVO inkubatoru programmas uzskaite", "NGO incubator programme tracker"),
    "app.language": ("Valoda", "Language"),
    "app.database": ("Datubāze", "Database"),
    "app.counts": ("Ieraksti datubāzē", "Records in the database"),
    "app.table": ("Tabula", "Table"),
    "app.rows": ("Rindas", "Rows"),
    "app.not_initialised": ("Datubāze nav sagatavota. Palaidiet: tracker init", "The database is not set up. Run: tracker init"),
    "app.schema_behind": ("Datubāzes shēma ir novecojusi. Palaidiet: tracker init", "The database schema is behind this version. Run: tracker init"),
    "app.unreachable": ("Datubāze nav sasniedzama. Mēģiniet vēlreiz pēc brīža.", "The database cannot be reached. Try again in a moment."),
    "app.retry": ("Mēģināt vēlreiz", "Try again"),
    "app.placeholder": ("Darba lapas tiks pievienotas nākamajās versijās.", "The working pages come in the next versions."),
}

ENUM_KEYS: dict[str, str] = {
    "Role": "role",
    "LegalForm": "legal_form",
    "EnrollmentStatus": "enrollment_status",
    "ActivityType": "activity_type",
    "ActivityFormat": "activity_format",
    "ActivityStatus": "activity_status",
    "CapacityArea": "capacity_area",
    "AssessmentKind": "assessment_kind",
    "MilestoneKind": "milestone_kind",
}


def normalise_language(value: str | None) -> Language:
    """`lv` or `en`; anything else falls back to Latvian."""
    return "en" if (value or "").strip().lower().startswith("en") else "lv"


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: Any) -> str:
    """The text for `key` in `lang`, with `params` filled in; a missing key raises KeyError."""
    text = CATALOGUE[key][0 if normalise_language(lang) == "lv" else 1]
    return text.format(**params) if params else text


def label(member: StrEnum, lang: str = DEFAULT_LANGUAGE) -> str:
    """The display name of an enum value, e.g. ActivityType.TRAINING -> 'apmācība'."""
    return t(f"enum.{ENUM_KEYS[type(member).__name__]}.{member.value}", lang)


def field_label(field: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The display name of a schema field; unknown fields show as they are."""
    key = f"field.{field}"
    return t(key, lang) if key in CATALOGUE else field


def format_date(value: dt.date | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """dd.mm.yyyy in Latvian, ISO-like d MMM yyyy in English."""
    if value is None:
        return ""
    if normalise_language(lang) == "lv":
        return value.strftime("%d.%m.%Y")
    return _babel_format_date(value, format="medium", locale="en_GB")


def format_number(value: float | int, lang: str = DEFAULT_LANGUAGE, digits: int = 0) -> str:
    """A number with the language's separators (1 234,5 in Latvian)."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    locale = "lv_LV" if normalise_language(lang) == "lv" else "en_GB"
    return str(_babel_format_decimal(value, format=pattern, locale=locale))
