"""Personal data under the GDPR: everything stored about one person, for an administrator to
hand over (access, Art. 15) or to erase (Art. 17): organisations' contact persons, and the
people (participants) staff record.

A participant is found by e-mail address too, or by `INCUBATOR/REF`, or by personal code
(through its keyed hash). Their data are their record (the personal code in full: it is their
own), their organisations, the activities they attended and the audit copies of their record;
erasing them is `tracker.services.people.erase_person`: the identity goes, the counts stay.

A contact person is found by e-mail address. Their data sit in the organisations they are the
contact of (name, e-mail, phone), in the audit log's before/after copies of those
organisations, and in forms someone has typed and not saved. Erasing blanks the contact
fields, redacts them in the audit copies and forgets the kept forms; the organisations, their
activities and every number on the dashboards stay. The erasure itself is audited without the
data erased.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.enums import AuditAction
from db.models import Activity, Attendance, AuditLog, FormDraft, Incubator, Organization, Person
from tracker import audit, personal_codes
from tracker.auth import Actor, require_admin
from tracker.errors import ValidationFailed
from tracker.schemas import Email, Schema, has_control_characters, parse
from tracker.services import people as people_service

CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")
ERASED = "[erased]"
ENTITY = "personal_data"


@dataclass
class ContactData:
    """Everything stored about one contact person."""

    email: str
    organizations: list[dict[str, Any]] = field(default_factory=list)
    audit_entries: list[dict[str, Any]] = field(default_factory=list)
    kept_forms: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.organizations or self.audit_entries or self.kept_forms or self.people)

    def as_json(self) -> str:
        return json.dumps({"contact_email": self.email, "organizations": self.organizations,
                           "audit_log": self.audit_entries, "unsaved_forms": self.kept_forms,
                           "people": self.people},
                          ensure_ascii=False, indent=2, default=str)


class ContactLookup(Schema):
    email: Email


def _address(email: str) -> str:
    """The address, checked and lower-cased (ValidationFailed naming the field if not)."""
    return parse(ContactLookup, {"email": email}).email


def _mentions(value: Any, email: str) -> bool:
    """Whether a stored JSON value holds the address anywhere (any case)."""
    return email in json.dumps(value, ensure_ascii=False, default=str).lower()


def _snapshot_of(entry: AuditLog, email: str) -> bool:
    return any(isinstance(copy, dict) and str(copy.get("contact_email") or "").lower() == email
               for copy in (entry.before, entry.after))


def _collect(session: Session, email: str) -> tuple[list[Organization], list[AuditLog],
                                                    list[FormDraft]]:
    organizations = list(session.scalars(select(Organization).where(
        func.lower(Organization.contact_email) == email).order_by(Organization.id)))
    # the audit copies of any organisation whose contact the address was, then or now
    entries = [e for e in session.scalars(select(AuditLog).where(
        AuditLog.entity == "organization").order_by(AuditLog.id)) if _snapshot_of(e, email)]
    drafts = [d for d in session.scalars(select(FormDraft)) if _mentions(d.payload, email)]
    return organizations, entries, drafts


def export_contact(session: Session, *, actor: Actor, email: str) -> ContactData:
    """Everything stored about the contact person with this address (administrators only)."""
    require_admin(actor)
    address = _address(email)
    organizations, entries, drafts = _collect(session, address)
    data = ContactData(email=address)
    data.organizations = [{"id": o.id, "reg_no": o.reg_no, "name": o.name,
                           **{name: getattr(o, name) for name in CONTACT_FIELDS}}
                          for o in organizations]
    data.audit_entries = [{"at": e.at, "entity": e.entity, "entity_id": e.entity_id,
                           "action": e.action,
                           **{side: {k: v for k, v in (copy or {}).items()
                                     if k in CONTACT_FIELDS}
                              for side, copy in (("before", e.before), ("after", e.after))}}
                          for e in entries]
    data.kept_forms = [{"form": d.form, "saved_at": d.saved_at, "payload": d.payload}
                       for d in drafts]
    found = _people_by_email(session, address)
    data.people = [_person_data(session, p) for p in found]
    audit.record(session, actor, entity=ENTITY, entity_id=None, action=AuditAction.STATUS,
                 after={"step": "export", "organizations": len(organizations),
                        "people": [p.id for p in found]})
    return data


@dataclass(frozen=True)
class Erasure:
    organizations: int
    audit_entries: int
    kept_forms: int
    people: int = 0


def _redacted(copy: dict[str, Any] | None, email: str) -> dict[str, Any] | None:
    if not isinstance(copy, dict) or str(copy.get("contact_email") or "").lower() != email:
        return copy
    return {k: (ERASED if k in CONTACT_FIELDS and v is not None else v)
            for k, v in copy.items()}


def erase_contact(session: Session, *, actor: Actor, email: str) -> Erasure:
    """Erase the contact person with this address everywhere it is stored (administrators
    only); the organisations and their numbers stay."""
    require_admin(actor)
    address = _address(email)
    organizations, entries, drafts = _collect(session, address)
    for organization in organizations:
        for name in CONTACT_FIELDS:  # the version rises: an open form cannot write it back
            setattr(organization, name, None)
    # The audit log is append-only (the database refuses updates); this redaction is the
    # one sanctioned change of audit rows, allowed for this transaction only.
    with audit.redaction(session):
        for entry in entries:
            entry.before, entry.after = (_redacted(entry.before, address),
                                         _redacted(entry.after, address))
    for draft in drafts:
        session.delete(draft)
    erased = [p.id for p in _people_by_email(session, address)]
    for person_id in erased:
        people_service.erase_person(session, actor=actor, person_id=person_id)
    audit.record(session, actor, entity=ENTITY, entity_id=None, action=AuditAction.DELETE,
                 after={"step": "erase", "organizations": [o.id for o in organizations],
                        "audit_entries": len(entries), "kept_forms": len(drafts),
                        "people": erased})
    session.flush()
    return Erasure(len(organizations), len(entries), len(drafts), len(erased))


# Participants ---------------------------------------------------------------------------------

def _people_by_email(session: Session, email: str) -> list[Person]:
    return list(session.scalars(select(Person).where(func.lower(Person.email) == email)
                                .order_by(Person.id)))


def find_people(session: Session, who: str) -> list[Person]:
    """The people `who` names: an e-mail address, `INCUBATOR/REF`, or a personal code (either
    format; matched through its keyed hash, so the key must be set). ValidationFailed (field
    `who`) when it is none of these."""
    text = who.strip()
    if has_control_characters(text) or len(text) > 254:
        raise ValidationFailed.single("who", "control_characters" if len(text) <= 254
                                      else "too_long", max_length=254)
    if "@" in text:
        return _people_by_email(session, _address(text))
    if "/" in text:
        code, ref = (part.strip() for part in text.split("/", 1))
        return list(session.scalars(select(Person).join(
            Incubator, Incubator.id == Person.incubator_id).where(
            Incubator.code == code.upper(), Person.ref == ref)))
    try:
        number = personal_codes.validate(text)
    except personal_codes.CodeProblem as problem:
        raise ValidationFailed.single("who", problem.code) from None
    match = personal_codes.match_hash(number)
    return list(session.scalars(select(Person).where(Person.personal_code_match == match)))


def _person_data(session: Session, person: Person) -> dict[str, Any]:
    """Everything stored about one participant, their personal code in full."""
    record = {k: v for k, v in audit.snapshot(person).items()
              if k not in ("personal_code_secret", "personal_code_match")}
    code = personal_codes.decrypt(person.personal_code_secret)
    record["personal_code"] = personal_codes.formatted(code) if code else (
        personal_codes.HIDDEN if person.personal_code_secret else None)
    record["organizations"] = [
        {"reg_no": o.reg_no, "name": o.name, "role": m.role}
        for m in person.memberships for o in [m.organization]]
    record["attended"] = [
        {"date": a.activity_date, "title": a.title, "type": a.type, "status": a.status,
         "hours": hours}
        for a, hours in session.execute(
            select(Activity, func.coalesce(Attendance.hours, Activity.hours))
            .join(Attendance, Attendance.activity_id == Activity.id)
            .where(Attendance.person_id == person.id).order_by(Activity.activity_date))]
    record["audit_log"] = [
        {"at": e.at, "action": e.action, "by": e.actor_email, "before": e.before,
         "after": e.after}
        for e in session.scalars(select(AuditLog).where(
            AuditLog.entity == people_service.ENTITY, AuditLog.entity_id == person.id)
            .order_by(AuditLog.id))]
    return record


def export_person(session: Session, *, actor: Actor, who: str) -> ContactData:
    """Everything stored about the participants `who` names (see `find_people`;
    administrators only); audited with their ids."""
    require_admin(actor)
    found = find_people(session, who)
    data = ContactData(email=who.strip(), people=[_person_data(session, p) for p in found])
    audit.record(session, actor, entity=ENTITY, entity_id=None, action=AuditAction.STATUS,
                 after={"step": "export", "people": [p.id for p in found]})
    return data


def erase_person_data(session: Session, *, actor: Actor, who: str) -> int:
    """Erase the identity of the participants `who` names (administrators only): their
    attendance and characteristics stay counted. Returns how many people."""
    require_admin(actor)
    found = find_people(session, who)
    for person in found:
        people_service.erase_person(session, actor=actor, person_id=person.id)
    audit.record(session, actor, entity=ENTITY, entity_id=None, action=AuditAction.DELETE,
                 after={"step": "erase", "people": [p.id for p in found]})
    return len(found)
