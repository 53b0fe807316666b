"""Personal data of organisations' contact persons under the GDPR: everything stored about one
person, for an administrator to hand over (access, Art. 15) or to erase (Art. 17).

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
from db.models import AuditLog, FormDraft, Organization
from tracker import audit
from tracker.auth import Actor, require_admin
from tracker.schemas import Email, Schema, parse

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

    @property
    def found(self) -> bool:
        return bool(self.organizations or self.audit_entries or self.kept_forms)

    def as_json(self) -> str:
        return json.dumps({"contact_email": self.email, "organizations": self.organizations,
                           "audit_log": self.audit_entries, "unsaved_forms": self.kept_forms},
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
    audit.record(session, actor, entity=ENTITY, entity_id=None, action=AuditAction.STATUS,
                 after={"step": "export", "organizations": len(organizations)})
    return data


@dataclass(frozen=True)
class Erasure:
    organizations: int
    audit_entries: int
    kept_forms: int


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
    audit.record(session, actor, entity=ENTITY, entity_id=None, action=AuditAction.DELETE,
                 after={"step": "erase", "organizations": [o.id for o in organizations],
                        "audit_entries": len(entries), "kept_forms": len(drafts)})
    session.flush()
    return Erasure(len(organizations), len(entries), len(drafts))
