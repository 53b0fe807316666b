"""The ESF+ participants' report: one row per person who attended anything counted in the
period, with age at entry and every characteristic, and whether their data are complete.

It is a file with names, so who may have it is narrow and every export is audited:

- managers and administrators: every incubator's participants, with the personal code
  whole (decrypted here, the one place it is shown whole); without the key
  (TRACKER_PERSONAL_CODE_KEY) the codes show as `******-*****` and the table says why;
- staff: their own incubator's participants, the code masked (`161175-*****`);
- funders: never (PermissionDenied); they read the suppressed summary (tracker.esf.summary).

A person whose identity is erased (consent withdrawn) keeps a row with empty names, code and
birth date, and the characteristics; the age comes from the kept birth year.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from db.enums import Answer, AuditAction, Education, EmploymentStatus, Gender
from db.models import SENSITIVE_CHARACTERISTICS
from tracker import audit, personal_codes
from tracker.analytics.scope import Filters, counted_note_key
from tracker.auth import Actor
from tracker.esf import records
from tracker.exports import Cell, Table
from tracker.i18n import field_label, label, t
from tracker.schemas import ESF_FIELDS, missing_characteristics

ENTITY = "person"  # the audit rows of this export are about people
REPORT = "esf_participants"
# The characteristics, in the order of the ESF+ common indicators (Regulation (EU) 2021/1057,
# Annex I) as tracker.schemas.ESF_FIELDS has them: gender (the breakdown of every count),
# the birth date and age, employment status, education, then the six sensitive answers.
ENUMS: dict[str, type[StrEnum]] = {"gender": Gender, "employment_status": EmploymentStatus,
                                   "education": Education,
                                   **dict.fromkeys(SENSITIVE_CHARACTERISTICS, Answer)}
COLUMNS = ("incubator", "ref", "first_name", "last_name", "personal_code", "birth_date",
           "age_at_entry", "gender", "employment_status", "education",
           *SENSITIVE_CHARACTERISTICS, "entry_date", "hours", "organisations", "complete",
           "missing")


def column_heading(name: str, lang: str) -> str:
    return t(f"esf.col.{name}", lang)


def _labels(lang: str) -> dict[str, dict[str, str]]:
    """Each characteristic's stored values -> their labels in `lang` (looked up once per
    report, not once per cell: the whole programme is 60,000 rows)."""
    return {name: {member.value: label(member, lang) for member in kind}
            for name, kind in ENUMS.items()}


def _audit_filters(filters: Filters) -> dict[str, Any]:
    return {"region": filters.region_code, "incubator_id": filters.incubator_id,
            "from": filters.date_from.isoformat() if filters.date_from else None,
            "to": filters.date_to.isoformat() if filters.date_to else None,
            "type": filters.activity_type, "include_submitted": filters.include_submitted}


def _code_reader(actor: Actor) -> tuple[Callable[[str | None], str], list[str]]:
    """How codes are shown to the actor (whole for managers and administrators, masked for
    staff; the placeholder when they cannot be read here), and the notes that say so."""
    try:
        key: personal_codes.Keys | None = personal_codes.keys()
    except personal_codes.KeyMissing:
        key = None
    notes = [] if actor.is_manager else ["esf.note.codes_masked"]
    if key is None:
        notes.append("esf.note.codes_no_key")

    def shown(secret: str | None) -> str:
        if not secret:
            return ""
        number = personal_codes.decrypt(secret, key) if key is not None else None
        if number is None:
            return personal_codes.HIDDEN
        return personal_codes.formatted(number) if actor.is_manager else \
            personal_codes.mask(number)
    return shown, notes


def participants_table(session: Session, *, actor: Actor, filters: Filters,
                       lang: str) -> Table:
    """The participants' report under the dashboard's filters (see the module). Every call
    writes one audit row: who exported how many people's data, under which filters."""
    scoped = records.people_filters(actor, filters)
    with records.bulk():
        rows = records.participants(session, actor, scoped, identity=True)
        organisations = records.organisations(session, scoped)
        show_code, code_notes = _code_reader(actor)
        yes, no = label(Answer.YES, lang), label(Answer.NO, lang)
        labels = _labels(lang)
        field_names = {name: field_label(name, lang) for name in ESF_FIELDS}
        # (position in the row, labels) of each characteristic, in the report's order
        characteristics = [(records.Participant._fields.index(name), labels[name])
                           for name in ENUMS]
        table_rows: list[list[Cell]] = []
        for row in rows:
            missing = missing_characteristics(row)
            age = records.age_at(row.entry, row.birth_date, row.birth_year)
            table_rows.append([
                row.incubator_code, row.ref, row.first_name, row.last_name,
                show_code(row.personal_code_secret), row.birth_date, age,
                *[names.get(value, value) if isinstance(value := row[index], str) else None
                  for index, names in characteristics],
                row.entry, records.hours_number(row.hours),
                "; ".join(organisations.get(row.id, [])), no if missing else yes,
                ", ".join(field_names[name] for name in missing)])
    audit.record(session, actor, entity=ENTITY, entity_id=None, action=AuditAction.EXPORT,
                 after={"report": REPORT, "count": len(table_rows),
                        "personal_codes": "whole" if actor.is_manager else "masked",
                        "filters": _audit_filters(scoped)})
    notes = [t(counted_note_key(actor, scoped), lang), t("esf.note.entry", lang),
             t("esf.note.erased", lang), *(t(key, lang, variable=personal_codes.KEY_VARIABLE)
                                          for key in code_notes)]
    return Table(t("esf.participants.title", lang),
                 [column_heading(name, lang) for name in COLUMNS], table_rows, notes)
