"""Each CHECK, UNIQUE, NOT NULL and FOREIGN KEY of db/models.py refuses bad rows, on both DBs."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Integer,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
    delete,
    func,
    insert,
    inspect,
    null,
    select,
)
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from db.models import Base, Incubator, Municipality, Program, Region
from tests.factories import reg_no

Row = dict[str, Any]
TABLES: dict[str, Table] = dict(Base.metadata.tables)
MISSING_ID = 2_000_000_000  # no row has it; fits a 32-bit INTEGER
NOW = dt.datetime(2025, 5, 14, 10, 0, tzinfo=dt.UTC)
_serial = itertools.count(1)


class Rows:
    """A valid row for every table; parents are inserted first (Core, in the test's session).

    Every foreign key of a good row points at a real row, so that the good rows exercise the
    keys and a bad row differs from a good one in exactly the values a case changes.
    """

    def __init__(self, session: Session) -> None:
        self.session = session

    def build(self, table: str) -> Row:
        builder: Callable[[], Row] = getattr(self, f"_{table}")
        return builder()

    def insert(self, table: str, values: Row) -> Any:
        result = self.session.execute(insert(TABLES[table]).values(values))
        assert isinstance(result, CursorResult)
        key = result.inserted_primary_key
        assert key is not None
        return key[0]

    def add(self, table: str) -> Any:
        return self.insert(table, self.build(table))

    # Reference data loaded by `init` --------------------------------------------------------

    def _ref(self, model: Any, **where: Any) -> int:
        value = self.session.scalar(select(model.id).filter_by(**where))
        assert value is not None
        return int(value)

    def incubator_id(self) -> int:
        return self._ref(Incubator, code="VIDZEME")

    def program_id(self) -> int:
        return self.session.scalars(select(Program.id)).one()

    def region_id(self) -> int:
        return self._ref(Region, code="VIDZEME")

    def municipality_id(self) -> int:
        return self._ref(Municipality, atvk="0038001")  # Madonas novads

    @staticmethod
    def _versioned() -> Row:
        return {"version": 1, "created_at": NOW, "updated_at": NOW}

    # One builder per table --------------------------------------------------------------------

    def _regions(self) -> Row:
        # The reference data holds all five allowed codes; free RIGA (and, within this
        # rolled-back test only, the municipalities that point at it) for a new row.
        riga = self._ref(Region, code="RIGA")
        self.session.execute(delete(Municipality).where(Municipality.region_id == riga))
        self.session.execute(delete(Region).where(Region.id == riga))
        return {"code": "RIGA", "name_lv": "Rīgas plānošanas reģions",
                "name_en": "Riga planning region"}

    def _municipalities(self) -> Row:
        n = next(_serial)
        return {"atvk": f"9{n:06d}", "iso": f"T{n:05d}", "name": f"Testa novads {n}",
                "kind": "novads", "region_id": self.region_id(),
                "valid_from": dt.date(2021, 7, 1), "valid_to": dt.date(2025, 6, 30),
                "successor_id": self.municipality_id(), "note": "test unit"}

    def _programs(self) -> Row:
        return {"code": f"TEST-{uuid.uuid4().hex[:10]}", "name_lv": "Programma",
                "name_en": "Programme", "start_date": dt.date(2025, 1, 1),
                "end_date": dt.date(2026, 12, 31), "budget_eur": Decimal("1000.00"),
                **self._versioned()}

    def _incubators(self) -> Row:
        return {"program_id": self.program_id(), "code": f"TEST-{uuid.uuid4().hex[:10]}",
                "name_lv": "Inkubators", "name_en": "Incubator", "region_id": self.region_id(),
                "operator": "Biedrība Operators", "budget_eur": Decimal("84000.00"),
                "start_date": dt.date(2025, 1, 1), "end_date": dt.date(2026, 12, 31),
                **self._versioned()}

    def _cohorts(self) -> Row:
        return {"incubator_id": self.incubator_id(), "number": 1000 + next(_serial),
                "name": "Testa cikls", "start_date": dt.date(2025, 2, 1),
                "end_date": dt.date(2025, 12, 31), "seats": 20,
                "call_opens_on": dt.date(2025, 1, 2), "call_closes_on": dt.date(2025, 1, 31),
                **self._versioned()}

    def _organizations(self) -> Row:
        return {"reg_no": reg_no(), "name": f"Biedrība Nr. {next(_serial)}",
                "legal_form": "association", "municipality_id": self.municipality_id(),
                "fields_of_activity": ["education"], "founded_on": dt.date(2010, 5, 1),
                "members": 12, "volunteers": 5, "employees": 1, "contact_name": "Anna Bērziņa",
                "contact_email": "anna@example.lv", "contact_phone": "+371 20000000",
                "deleted_at": None, "registered_on": dt.date(2010, 5, 20),
                "terminated_on": None, "register_status": "active",
                "register_synced_at": NOW, **self._versioned()}

    def _enrollments(self) -> Row:
        return {"organization_id": self.add("organizations"), "cohort_id": self.add("cohorts"),
                "status": "graduated", "applied_on": dt.date(2025, 2, 1),
                "admitted_on": dt.date(2025, 2, 15), "graduated_on": dt.date(2025, 12, 15),
                "closed_on": None, "note": None, **self._versioned()}

    def _users(self) -> Row:
        return {"email": f"{uuid.uuid4().hex[:12]}@constraints.lv", "full_name": "Ilze Ozola",
                "role": "staff", "incubator_id": self.incubator_id(),
                "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
                "external_subject": None, "is_active": True, "failed_logins": 0,
                "locked_until": None, "last_login_at": None, "language": "lv",
                **self._versioned()}

    def _activities(self) -> Row:
        return {"incubator_id": self.incubator_id(), "cohort_id": self.add("cohorts"),
                "type": "consultation", "title": "Finanšu vadības konsultācija",
                "activity_date": dt.date(2025, 5, 14), "hours": Decimal("2.50"),
                "format": "in_person", "municipality_id": self.municipality_id(),
                "total_participants": 3, "next_steps": "Budžeta plāns", "status": "submitted",
                "review_comment": None, "author_id": self.add("users"),
                "external_ref": f"ref-{uuid.uuid4().hex[:10]}", "deleted_at": None,
                **self._versioned()}

    def _activity_areas(self) -> Row:
        return {"activity_id": self.add("activities"), "area": "finance"}

    def _participations(self) -> Row:
        return {"activity_id": self.add("activities"),
                "organization_id": self.add("organizations"), "attendees": 2}

    def _people(self) -> Row:
        return {"incubator_id": self.incubator_id(), "ref": f"P-{uuid.uuid4().hex[:10]}",
                "first_name": "Ilze", "last_name": "Kalniņa",
                "personal_code_secret": "gAAAA-not-a-real-token",
                "personal_code_match": secrets.token_hex(32),
                "birth_date": dt.date(1980, 4, 2), "birth_year": 1980, "gender": "female",
                "municipality_id": self.municipality_id(), "email": "ilze@example.lv",
                "phone": "+371 20000001", "consent_date": dt.date(2025, 3, 1),
                "consent_withdrawn": None, "employment_status": "employed",
                "education": "isced_5_8", "disability": "no", "third_country_national": "no",
                "foreign_background": "refused", "minority": "no", "homeless": "no",
                "rural": "yes", "erased_at": None, **self._versioned()}

    def _person_organizations(self) -> Row:
        return {"person_id": self.add("people"), "organization_id": self.add("organizations"),
                "role": "leader"}

    def _attendances(self) -> Row:
        return {"activity_id": self.add("activities"), "person_id": self.add("people"),
                "organization_id": self.add("organizations"), "hours": Decimal("2.50")}

    def _assessments(self) -> Row:
        return {"organization_id": self.add("organizations"), "cohort_id": self.add("cohorts"),
                "kind": "intake", "assessed_on": dt.date(2025, 3, 1),
                "capacity_index": Decimal("62.50"), "notes": None,
                "assessor_id": self.add("users"), "deleted_at": None, **self._versioned()}

    def _assessment_scores(self) -> Row:
        return {"assessment_id": self.add("assessments"), "area": "finance", "score": 3}

    def _milestones(self) -> Row:
        return {"organization_id": self.add("organizations"),
                "incubator_id": self.incubator_id(), "kind": "opinion_submitted",
                "achieved_on": dt.date(2025, 6, 1), "amount_eur": Decimal("1500.00"),
                "reference": "TAP 25-TA-1234", "description": None,
                "recorded_by_id": self.add("users"), "deleted_at": None, **self._versioned()}

    def _indicators(self) -> Row:
        return {"program_id": self.program_id(), "code": f"T{uuid.uuid4().hex[:10]}",
                "name_lv": "Rādītājs", "name_en": "Indicator", "method": "manual",
                "parameter": None, "unit_lv": "vienības", "unit_en": "units",
                "sort_order": 99, **self._versioned()}

    def _targets(self) -> Row:
        incubator = self.incubator_id()
        return {"indicator_id": self.add("indicators"), "incubator_id": incubator,
                "year": 2025, "target_value": Decimal("10"), "incubator_key": incubator,
                "year_key": 2025, **self._versioned()}

    def _indicator_entries(self) -> Row:
        return {"indicator_id": self.add("indicators"), "incubator_id": self.incubator_id(),
                "entry_date": dt.date(2025, 4, 1), "value": Decimal("5"), "note": None,
                "recorded_by_id": self.add("users"), **self._versioned()}

    def _user_sessions(self) -> Row:
        return {"user_id": self.add("users"), "token_hash": secrets.token_hex(32),
                "ticket_hash": secrets.token_hex(32),
                "ticket_expires_at": NOW, "created_at": NOW, "last_seen_at": NOW,
                "expires_at": NOW, "revoked_at": None, "method": "password"}

    def _attachments(self) -> Row:
        return {"activity_id": self.add("activities"), "file_name": "apmeklejums.pdf",
                "content_type": "application/pdf", "size_bytes": 1234,
                "sha256": secrets.token_hex(32), "content": b"%PDF-1.4 ...",
                "uploaded_by_id": self.add("users"), "uploaded_at": NOW}

    def _period_closures(self) -> Row:
        return {"incubator_id": self.incubator_id(), "year": 2025, "quarter": next(_serial) % 4 + 1,
                "closed_by_id": self.add("users"), "closed_at": NOW,
                "reopened_by_id": self.add("users"), "reopened_at": NOW,
                "reopen_reason": "Labojums pēc auditora piezīmes"}

    def _form_drafts(self) -> Row:
        return {"user_id": self.add("users"), "form": "activity",
                "payload": {"title": "Pusgatavs"}, "saved_at": NOW}

    def _audit_log(self) -> Row:
        return {"at": NOW, "user_id": self.add("users"), "actor_email": "x@y.lv",
                "entity": "user", "entity_id": 1, "action": "create", "before": None,
                "after": {"email": "x@y.lv"}}

    def _data_state(self) -> Row:
        # The migration writes the single row; free its id within this rolled-back test.
        self.session.execute(delete(TABLES["data_state"]))
        return {"id": 1, "version": 7, "changed_at": NOW}

    def _documents(self) -> Row:
        return {"ref": f"25-TA-{next(_serial)}", "title": "Grozījumi Biedrību likumā",
                "institution": "Tieslietu ministrija", "kind": "law", "level": "national",
                "published_on": _d("2025-02-01"), "deadline": _d("2025-02-15"),
                "adopted_on": _d("2025-06-01"), "url": "https://tapportals.mk.gov.lv/x",
                "topics": "NVO; likumi", "note": "Iekšēja piezīme",
                "search": "grozijumi biedribu likuma",
                "created_by_id": self.add("users"), "deleted_at": None, **self._versioned()}

    def _document_monitoring(self) -> Row:
        incubator = self.incubator_id()
        return {"document_id": self.add("documents"), "incubator_id": incubator,
                "incubator_key": incubator, "monitored_from": _d("2025-02-03")}

    def _opinions(self) -> Row:
        return {"incubator_id": self.incubator_id(), "document_id": self.add("documents"),
                "external_ref": f"V-{next(_serial)}", "submitted_on": _d("2025-02-10"),
                "channel": "tap_portal", "summary": "Iebilstam",
                "outcome": "partly_taken_into_account",
                "answered_on": _d("2025-03-10"), "note": "Iekšēja", "status": "approved",
                "review_comment": None, "submitted_at": NOW, "author_id": self.add("users"),
                "deleted_at": None, **self._versioned()}

    def _opinion_authors(self) -> Row:
        return {"opinion_id": self.add("opinions"), "organization_id": self.add("organizations")}

    def _opinion_evidence(self) -> Row:
        return {"opinion_id": self.add("opinions"), "file_name": "vestule.pdf",
                "content_type": "application/pdf", "size_bytes": 1234,
                "sha256": secrets.token_hex(32), "content": b"%PDF-1.4 ...",
                "uploaded_by_id": self.add("users"), "uploaded_at": NOW}

    # The rollups are written by triggers; a row of each is still a valid row.
    def _activity_rollup(self) -> Row:
        return {"day": _d("2031-01-01"), "incubator_id": 1, "type": "training",
                "status": "approved", "activities": 1, "participations": 2, "attendees": 3}

    def _area_rollup(self) -> Row:
        return {"day": _d("2031-01-01"), "incubator_id": 1, "type": "training",
                "status": "approved", "area": "finance", "activities": 1}

    def _organization_rollup(self) -> Row:
        return {"organization_id": 1, "status": "approved", "month": _d("2031-01-01"),
                "incubator_id": 1, "type": "training", "participations": 1}

    def _trained_people(self) -> Row:
        return {"person_id": 1, "incubator_key": 0, "trained_on": _d("2031-01-01"),
                "approved_on": None}


def _count(session: Session, table: str) -> int:
    return int(session.scalar(select(func.count()).select_from(TABLES[table])) or 0)


def _refused(session: Session, table: str, values: Row, pattern: str,
             errors: tuple[type[Exception], ...] = (IntegrityError,)) -> None:
    """Inserting `values` fails with one of `errors`, naming what `pattern` matches."""
    before = _count(session, table)
    with pytest.raises(errors) as info, session.begin_nested():
        Rows(session).insert(table, values)
    assert isinstance(info.value, DBAPIError)
    assert re.search(pattern, str(info.value.orig), re.IGNORECASE), str(info.value.orig)
    assert _count(session, table) == before  # the savepoint took the row back


def _is_postgres(session: Session) -> bool:
    bind = session.get_bind()
    return bind.dialect.name == "postgresql"


# Good rows --------------------------------------------------------------------------------

@pytest.mark.parametrize("table", sorted(TABLES))
def test_good_row_is_accepted(session: Session, table: str) -> None:
    rows = Rows(session)
    values = rows.build(table)
    before = _count(session, table)

    rows.insert(table, values)

    assert _count(session, table) == before + 1


# CHECK constraints --------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    constraint: str  # the constraint's name in the database
    table: str
    changes: Row = field(default_factory=dict)
    label: str = ""

    @property
    def id(self) -> str:
        return self.label or ", ".join(f"{k}={v}" for k, v in self.changes.items())


def _d(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


CHECK_CASES = [
    Case("ck_regions_code", "regions", {"code": "TALLINN"}, "unknown region code"),
    Case("ck_municipalities_valid_period", "municipalities",
         {"valid_from": _d("2025-07-01"), "valid_to": _d("2025-06-30")}, "ends before start"),
    Case("ck_municipalities_kind", "municipalities", {"kind": "pagasts"}),
    Case("ck_programs_period", "programs", {"end_date": _d("2024-12-31")}, "end before start"),
    Case("ck_programs_budget", "programs", {"budget_eur": Decimal("-0.01")}),
    Case("ck_incubators_period", "incubators", {"end_date": _d("2024-12-31")},
         "end before start"),
    Case("ck_incubators_budget", "incubators", {"budget_eur": Decimal("-1")}),
    Case("ck_cohorts_period", "cohorts",
         {"start_date": _d("2025-09-01"), "end_date": _d("2025-08-31")}, "end before start"),
    Case("ck_cohorts_seats", "cohorts", {"seats": -1}),
    Case("ck_cohorts_seats", "cohorts", {"seats": 10_001}),
    Case("ck_cohorts_number", "cohorts", {"number": 0}),
    Case("ck_cohorts_call_period", "cohorts",
         {"call_opens_on": _d("2025-01-20"), "call_closes_on": _d("2025-01-19")},
         "call closes before it opens"),
    Case("ck_organizations_legal_form", "organizations", {"legal_form": "cooperative"},
         "unknown legal form"),
    Case("ck_organizations_reg_no_length", "organizations", {"reg_no": "4000800001"},
         "reg_no of 10 characters"),
    Case("ck_organizations_reg_no_length", "organizations", {"reg_no": ""}, "empty reg_no"),
    Case("ck_organizations_members", "organizations", {"members": -1}),
    Case("ck_organizations_members", "organizations", {"members": 1_000_001}),
    Case("ck_organizations_volunteers", "organizations", {"volunteers": -1}),
    Case("ck_organizations_employees", "organizations", {"employees": -1}),
    Case("ck_organizations_register_status", "organizations", {"register_status": "dormant"},
         "unknown register status"),
    Case("ck_organizations_register_active", "organizations",
         {"terminated_on": _d("2024-03-01")}, "active with a termination date"),
    Case("ck_enrollments_status", "enrollments", {"status": "accepted"},
         "unknown enrollment status"),
    Case("ck_enrollments_admitted_after", "enrollments", {"admitted_on": _d("2025-01-31")},
         "admitted before applying"),
    Case("ck_enrollments_graduated_after", "enrollments", {"admitted_on": None},
         "graduated_on without admitted_on"),
    Case("ck_enrollments_graduated_after", "enrollments", {"graduated_on": _d("2025-02-14")},
         "graduated before admitted"),
    Case("ck_users_role", "users", {"role": "superuser"}, "unknown role"),
    Case("ck_users_staff_incubator", "users", {"incubator_id": None},
         "staff without incubator"),
    Case("ck_users_failed_logins", "users", {"failed_logins": -1}),
    Case("ck_users_language", "users", {"language": "de"}),
    Case("ck_activities_type", "activities", {"type": "party"}, "unknown activity type"),
    Case("ck_activities_format", "activities", {"format": "by_pigeon"},
         "unknown activity format"),
    Case("ck_activities_status", "activities", {"status": "archived"},
         "unknown activity status"),
    Case("ck_activities_hours", "activities", {"hours": Decimal("0")}),
    Case("ck_activities_hours", "activities", {"hours": Decimal("-1")}),
    Case("ck_activities_hours", "activities", {"hours": Decimal("201")}),
    Case("ck_activities_total_participants", "activities", {"total_participants": -1}),
    Case("ck_activities_total_participants", "activities", {"total_participants": 1_000_001}),
    Case("ck_activity_areas_area", "activity_areas", {"area": "cooking"},
         "unknown capacity area"),
    Case("ck_participations_attendees", "participations", {"attendees": 0}),
    Case("ck_participations_attendees", "participations", {"attendees": -3}),
    Case("ck_participations_attendees", "participations", {"attendees": 1_000_001}),
    Case("ck_assessments_kind", "assessments", {"kind": "exit"}, "unknown assessment kind"),
    Case("ck_assessments_capacity_index", "assessments",
         {"capacity_index": Decimal("24.99")}),
    Case("ck_assessments_capacity_index", "assessments",
         {"capacity_index": Decimal("100.01")}),
    Case("ck_assessment_scores_area", "assessment_scores", {"area": "cooking"},
         "unknown assessment area"),
    Case("ck_assessment_scores_score", "assessment_scores", {"score": 0}),
    Case("ck_assessment_scores_score", "assessment_scores", {"score": 5}),
    Case("ck_attachments_content_type", "attachments", {"content_type": "text/html"},
         "not PDF, JPEG or PNG"),
    Case("ck_attachments_size", "attachments", {"size_bytes": 0}),
    Case("ck_attachments_size", "attachments", {"size_bytes": 10 * 1024 * 1024 + 1}),
    Case("ck_attachments_sha256", "attachments", {"sha256": "abc"}),
    Case("ck_period_closures_quarter", "period_closures", {"quarter": 0}),
    Case("ck_period_closures_quarter", "period_closures", {"quarter": 5}),
    Case("ck_period_closures_year", "period_closures", {"year": 1999}),
    Case("ck_period_closures_reopen_reason", "period_closures", {"reopen_reason": None},
         "reopened without a reason"),
    Case("ck_period_closures_reopen_reason", "period_closures", {"reopen_reason": ""},
         "reopened with an empty reason"),
    Case("ck_milestones_kind", "milestones", {"kind": "party_held"},
         "unknown milestone kind"),
    Case("ck_milestones_amount", "milestones", {"amount_eur": Decimal("-0.01")}),
    Case("ck_indicators_method", "indicators", {"method": "guesswork"},
         "unknown indicator method"),
    Case("ck_targets_target_value", "targets", {"target_value": Decimal("-1")}),
    Case("ck_targets_year", "targets", {"year": 1999, "year_key": 1999}),
    Case("ck_targets_year", "targets", {"year": 2101, "year_key": 2101}),
    Case("ck_targets_incubator_key", "targets", {"incubator_key": 0},
         "incubator_key 0 for an incubator target"),
    Case("ck_targets_incubator_key", "targets", {"incubator_id": None},
         "incubator_key set for a programme target"),
    Case("ck_targets_year_key", "targets", {"year_key": 0}, "year_key 0 for a year target"),
    Case("ck_targets_year_key", "targets", {"year": None}, "year_key set for a whole period"),
    Case("ck_indicator_entries_value", "indicator_entries", {"value": Decimal("-0.5")}),
    Case("ck_programs_trained_min_hours", "programs", {"trained_min_hours": Decimal("0")}),
    Case("ck_people_gender", "people", {"gender": "other"}, "unknown gender"),
    Case("ck_people_employment_status", "people", {"employment_status": "retired"}),
    Case("ck_people_education", "people", {"education": "phd"}),
    *(Case(f"ck_people_{name}", "people", {name: "maybe"}, f"{name} neither yes, no nor refused")
      for name in ("disability", "third_country_national", "foreign_background", "minority",
                   "homeless", "rural")),
    Case("ck_people_consent_order", "people", {"consent_withdrawn": _d("2025-02-28")},
         "withdrawn before given"),
    Case("ck_people_birth_year", "people", {"birth_year": 1899}),
    Case("ck_person_organizations_role", "person_organizations", {"role": "owner"}),
    Case("ck_attendances_hours", "attendances", {"hours": Decimal("0")}),
    Case("ck_attendances_hours", "attendances", {"hours": Decimal("200.01")}),
    Case("ck_user_sessions_method", "user_sessions", {"method": "magic_link"},
         "unknown sign-in method"),
    Case("ck_data_state_single_row", "data_state", {"id": 2}, "a second version row"),
    Case("ck_documents_kind", "documents", {"kind": "decree"}, "unknown document kind"),
    Case("ck_documents_level", "documents", {"level": "regional"}),
    Case("ck_documents_url", "documents", {"url": "javascript:alert(1)"}, "not a web link"),
    Case("ck_documents_url", "documents", {"url": "ftp://example.lv/x"}),
    Case("ck_documents_deadline_order", "documents", {"deadline": _d("2025-01-31")},
         "deadline before publication"),
    Case("ck_documents_adopted_order", "documents", {"adopted_on": _d("2025-01-31")}),
    Case("ck_document_monitoring_incubator_key", "document_monitoring", {"incubator_key": 0},
         "key not the incubator"),
    Case("ck_opinions_channel", "opinions", {"channel": "pigeon"}),
    Case("ck_opinions_outcome", "opinions", {"outcome": "ignored", "answered_on": None}),
    Case("ck_opinions_status", "opinions", {"status": "archived"}),
    Case("ck_opinions_answer_order", "opinions", {"answered_on": _d("2025-02-09")},
         "answer before the opinion"),
    Case("ck_opinions_answer_date", "opinions", {"answered_on": None},
         "an answer without its date"),
    Case("ck_opinions_answer_date", "opinions", {"outcome": "pending"},
         "a date without an answer"),
    Case("ck_opinion_evidence_content_type", "opinion_evidence", {"content_type": "text/html"}),
    Case("ck_opinion_evidence_size", "opinion_evidence", {"size_bytes": 0}),
    Case("ck_opinion_evidence_sha256", "opinion_evidence", {"sha256": "abc"}),
]


@pytest.mark.parametrize("case", CHECK_CASES, ids=lambda c: f"{c.table}: {c.id}")
def test_check_constraint_refuses_bad_row(session: Session, case: Case) -> None:
    values = Rows(session).build(case.table) | case.changes
    _refused(session, case.table, values, re.escape(case.constraint))


def test_a_call_with_one_date_or_none_is_accepted(session: Session) -> None:
    rows = Rows(session)
    before = _count(session, "cohorts")
    for changes in ({"call_opens_on": None}, {"call_closes_on": None},
                    {"call_opens_on": None, "call_closes_on": None},
                    {"call_closes_on": _d("2025-01-02")}):  # opens and closes the same day
        rows.insert("cohorts", rows.build("cohorts") | changes)
    assert _count(session, "cohorts") == before + 4


def test_every_check_constraint_has_a_case(engine: Any) -> None:
    inspector = inspect(engine)
    in_database = {c["name"] for t in TABLES for c in inspector.get_check_constraints(t)}
    in_models = {str(c.name) for t in TABLES.values() for c in t.constraints
                 if isinstance(c, CheckConstraint)}
    assert in_database == in_models
    assert in_models - {c.constraint for c in CHECK_CASES} == set()


def test_reg_no_longer_than_11_is_refused(session: Session) -> None:
    # SQLite does not enforce VARCHAR lengths (the CHECK catches it); PostgreSQL refuses the
    # value before the CHECK with "value too long" (a DataError).
    values = Rows(session).build("organizations") | {"reg_no": "400080000011"}
    pattern = "value too long" if _is_postgres(session) else "ck_organizations_reg_no_length"
    _refused(session, "organizations", values, pattern, errors=(IntegrityError, DataError))


# NOT NULL -----------------------------------------------------------------------------------

def _is_generated_key(table: Table, column_name: str) -> bool:
    pk = list(table.primary_key.columns)
    return (len(pk) == 1 and pk[0].name == column_name and isinstance(pk[0].type, Integer))


NOT_NULL_CASES = [
    (table.name, column.name)
    for table in sorted(TABLES.values(), key=lambda t: t.name)
    for column in table.columns
    if not column.nullable and not _is_generated_key(table, column.name)
]


@pytest.mark.parametrize(("table", "column"), NOT_NULL_CASES,
                         ids=[f"{t}.{c}" for t, c in NOT_NULL_CASES])
def test_not_null_refuses_missing_value(session: Session, table: str, column: str) -> None:
    # A Python None would be stored as the JSON text 'null' in a JSON column; null() is SQL NULL.
    missing = null() if isinstance(TABLES[table].c[column].type, JSON) else None
    values = Rows(session).build(table) | {column: missing}
    pattern = (f'column "{column}"' if _is_postgres(session)
               else rf"NOT NULL constraint failed: {table}\.{column}\b")
    _refused(session, table, values, pattern)


def test_the_important_columns_are_not_null() -> None:
    """A guard on the generated list: it really contains the columns the domain relies on."""
    for expected in [("organizations", "reg_no"), ("organizations", "name"),
                     ("organizations", "fields_of_activity"), ("participations", "attendees"),
                     ("activities", "hours"), ("activities", "incubator_id"),
                     ("assessment_scores", "score"), ("targets", "incubator_key"),
                     ("users", "role"), ("audit_log", "at"), ("activity_areas", "area")]:
        assert expected in NOT_NULL_CASES


# UNIQUE (and composite primary keys) --------------------------------------------------------

def _unique_cases() -> list[tuple[str, str, tuple[str, ...]]]:
    cases = []
    for table in sorted(TABLES.values(), key=lambda t: t.name):
        for constraint in table.constraints:
            columns = tuple(c.name for c in constraint.columns)  # type: ignore[attr-defined]
            if isinstance(constraint, UniqueConstraint) or (
                    isinstance(constraint, PrimaryKeyConstraint) and len(columns) > 1):
                cases.append((table.name, str(constraint.name), columns))
    return sorted(cases)


UNIQUE_CASES = _unique_cases()


@pytest.mark.parametrize(("table", "name", "columns"), UNIQUE_CASES,
                         ids=[f"{t}({', '.join(c)})" for t, _, c in UNIQUE_CASES])
def test_unique_refuses_duplicate(session: Session, table: str, name: str,
                                  columns: tuple[str, ...]) -> None:
    rows = Rows(session)
    first = rows.build(table)
    rows.insert(table, first)
    if table == "regions":
        # All five codes are taken again now; the duplicate is a second RIGA.
        second = {"code": "RIGA", "name_lv": "Cits", "name_en": "Other"}
    else:
        second = rows.build(table) | {c: first[c] for c in columns}
    pattern = (re.escape(name) if _is_postgres(session)
               else "UNIQUE constraint failed: " + re.escape(", ".join(
                   f"{table}.{c}" for c in columns)))
    _refused(session, table, second, pattern)


def test_unique_cases_cover_the_domain_rules() -> None:
    names = {name for _, name, _ in UNIQUE_CASES}
    assert {"uq_organizations_reg_no", "uq_enrollments_organization_id_cohort_id",
            "uq_participations_activity_id_organization_id",
            "uq_targets_indicator_id_incubator_key_year_key", "uq_users_email",
            "pk_activity_areas", "pk_assessment_scores"} <= names


def test_programme_wide_target_is_unique_although_its_scope_is_null(session: Session) -> None:
    """Two targets for the whole programme and period (NULL incubator and year) collide."""
    rows = Rows(session)
    indicator = rows.add("indicators")
    whole = {**rows.build("targets"), "indicator_id": indicator, "incubator_id": None,
             "year": None, "incubator_key": 0, "year_key": 0}
    rows.insert("targets", whole)
    # The same indicator for one year and for one incubator are other scopes: accepted.
    rows.insert("targets", whole | {"year": 2026, "year_key": 2026})
    incubator = rows.incubator_id()
    rows.insert("targets", whole | {"incubator_id": incubator, "incubator_key": incubator})

    pattern = ("uq_targets_indicator_id_incubator_key_year_key" if _is_postgres(session)
               else "UNIQUE constraint failed: targets.indicator_id")
    _refused(session, "targets", whole | {"target_value": Decimal("5")}, pattern)


# FOREIGN KEYS -------------------------------------------------------------------------------

FK_CASES = sorted(
    (table.name, str(fk.name), fk.column_keys[0], fk.referred_table.name)
    for table in TABLES.values() for fk in table.foreign_key_constraints
)


# Values that must change with the key so that only the foreign key is broken.
FK_ALSO: dict[tuple[str, str], Row] = {
    ("targets", "incubator_id"): {"incubator_key": MISSING_ID},
    ("document_monitoring", "incubator_id"): {"incubator_key": MISSING_ID}}


@pytest.mark.parametrize(("table", "name", "column", "referred"), FK_CASES,
                         ids=[f"{t}.{c} -> {r}" for t, _, c, r in FK_CASES])
def test_foreign_key_refuses_missing_row(session: Session, table: str, name: str, column: str,
                                         referred: str) -> None:
    values = Rows(session).build(table) | {column: MISSING_ID} | FK_ALSO.get((table, column), {})
    pattern = re.escape(name) if _is_postgres(session) else "FOREIGN KEY constraint failed"
    _refused(session, table, values, pattern)


def test_foreign_keys_are_enforced_on_the_connection(session: Session) -> None:
    if not _is_postgres(session):
        assert session.connection().exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_referenced_organisation_cannot_be_deleted(session: Session) -> None:
    rows = Rows(session)
    participation = rows.build("participations")
    rows.insert("participations", participation)
    organizations = TABLES["organizations"]

    pattern = ("fk_participations_organization_id_organizations" if _is_postgres(session)
               else "FOREIGN KEY constraint failed")
    with pytest.raises(IntegrityError) as info, session.begin_nested():
        session.execute(delete(organizations)
                        .where(organizations.c.id == participation["organization_id"]))
    assert re.search(pattern, str(info.value.orig))


def test_deleting_an_activity_cascades_to_its_areas_and_participations(
        session: Session) -> None:
    rows = Rows(session)
    activity = rows.add("activities")
    rows.insert("activity_areas", {"activity_id": activity, "area": "finance"})
    rows.insert("activity_areas", {"activity_id": activity, "area": "advocacy"})
    rows.insert("participations", {"activity_id": activity,
                                   "organization_id": rows.add("organizations"),
                                   "attendees": 4})
    activities, areas, participations = (TABLES[t] for t in
                                         ("activities", "activity_areas", "participations"))

    session.execute(delete(activities).where(activities.c.id == activity))

    assert session.scalar(select(func.count()).select_from(areas)
                          .where(areas.c.activity_id == activity)) == 0
    assert session.scalar(select(func.count()).select_from(participations)
                          .where(participations.c.activity_id == activity)) == 0
