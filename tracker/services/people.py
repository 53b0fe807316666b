"""People: the participants staff record for their incubator, with consent and the ESF+
characteristics. Staff work with their own incubator's people, managers and administrators
with everyone's, funders with nobody's (they read aggregates: tracker.esf).

The personal code is stored encrypted and matched by its keyed hash (tracker.personal_codes):
the same code twice is refused. It is shown masked. Opening a person's card is audited; the
audit copies never hold the code. Withdrawing consent erases the identity (names, code, birth
date, e-mail, phone, also in the audit copies) and keeps the rest, so every count stays.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, false, func, or_, select
from sqlalchemy.orm import Session, selectinload

from db.enums import AuditAction, Role
from db.models import (
    Activity,
    Attendance,
    AuditLog,
    Incubator,
    Membership,
    Municipality,
    Organization,
    Person,
    person_name_key,
)
from db.search import search_key
from tracker import audit, personal_codes
from tracker.analytics.trained import trained_hours
from tracker.auth import Actor, require_incubator, require_writer
from tracker.errors import (
    DuplicatePerson,
    DuplicatePersonRef,
    NotFound,
    PermissionDenied,
    PersonHasAttendance,
    ValidationFailed,
)
from tracker.schemas import (
    ESF_FIELDS,
    AttendedRead,
    MembershipRead,
    PersonCard,
    PersonCreate,
    PersonFields,
    PersonOption,
    PersonRead,
    PersonUpdate,
    missing_characteristics,
)
from tracker.services._common import (
    bounded,
    check_version,
    flush,
    flush_unique,
    get,
    id_is,
    ids_in,
    municipality_id,
    now,
)
from tracker.services.trained import TrainingRule, training_rule

ENTITY = "person"
# The identity: what erasure removes (the code's two columns are never in an audit copy).
IDENTITY = ("first_name", "last_name", "birth_date", "email", "phone")
IN_AUDIT = (*IDENTITY, "personal_code")  # the identity as audit copies hold it (masked code)
ERASED = "[erased]"
MAX_PAGE = 200


def _load(session: Session, person_id: int) -> Person:
    person = session.scalar(select(Person).where(id_is(Person.id, person_id))
                            .options(selectinload(Person.memberships)))
    if person is None:
        raise NotFound(ENTITY, person_id)
    return person


def _reachable(actor: Actor, person: Person) -> None:
    """Staff reach their incubator's people, managers everyone's, funders nobody's."""
    require_incubator(actor, person.incubator_id)


def _memberships(session: Session, people: list[Person]) -> dict[int, list[MembershipRead]]:
    rows = session.execute(
        select(Membership.person_id, Membership.organization_id, Organization.name,
               Organization.reg_no, Membership.role)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(ids_in(Membership.person_id, [p.id for p in people]))
        .order_by(Membership.person_id, Organization.name)).all()
    found: dict[int, list[MembershipRead]] = {}
    for person_id, organization_id, name, reg_no, role in rows:
        found.setdefault(person_id, []).append(MembershipRead(
            organization_id=organization_id, organization_name=name, reg_no=reg_no, role=role))
    return found


def _reads(session: Session, people: list[Person]) -> list[PersonRead]:
    if not people:
        return []
    memberships = _memberships(session, people)
    places = {p.municipality_id for p in people if p.municipality_id}
    atvk: dict[int, str] = {row[0]: row[1] for row in session.execute(
        select(Municipality.id, Municipality.atvk).where(ids_in(Municipality.id, places)))
                            } if places else {}
    key = _keys_or_none()
    return [PersonRead(
        id=p.id, incubator_id=p.incubator_id, ref=p.ref, first_name=p.first_name,
        last_name=p.last_name, personal_code=personal_codes.masked(p.personal_code_secret, key),
        birth_date=p.birth_date, birth_year=p.birth_year, gender=p.gender,
        municipality_id=p.municipality_id, municipality_atvk=atvk.get(p.municipality_id or 0),
        email=p.email, phone=p.phone, consent_date=p.consent_date,
        consent_withdrawn=p.consent_withdrawn, employment_status=p.employment_status,
        education=p.education, disability=p.disability,
        third_country_national=p.third_country_national,
        foreign_background=p.foreign_background, minority=p.minority, homeless=p.homeless,
        rural=p.rural, memberships=memberships.get(p.id, []),
        missing=missing_characteristics(p), erased=p.erased_at is not None,
        version=p.version) for p in people]


def _keys_or_none() -> personal_codes.Keys | None:
    try:
        return personal_codes.keys()
    except personal_codes.KeyMissing:
        return None


def snapshot(person: Person) -> dict[str, Any]:
    """The audit copy: every column but the code's (its masked form instead)."""
    data = audit.snapshot(person, memberships={str(m.organization_id): m.role
                                               for m in person.memberships})
    data.pop("personal_code_secret", None)
    data.pop("personal_code_match", None)
    data["personal_code"] = personal_codes.masked(person.personal_code_secret, _keys_or_none())
    return data


def _check_organizations(session: Session, data: PersonFields) -> None:
    wanted = [m.organization_id for m in data.memberships]
    if not wanted:
        return
    found = set(session.scalars(select(Organization.id).where(
        ids_in(Organization.id, wanted), Organization.deleted_at.is_(None))))
    for index, organization_id in enumerate(wanted):
        if organization_id not in found:
            raise ValidationFailed.single(f"memberships.{index}.organization_id",
                                          "unknown_organization")


def _check_code(session: Session, actor: Actor, person: Person, number: str) -> None:
    """Store the code encrypted, refusing one that is already another person's."""
    key = personal_codes.keys()  # KeyMissing says how to set the key
    match = personal_codes.match_hash(number, key)
    other = session.scalar(select(Person).where(Person.personal_code_match == match))
    if other is not None and other is not person:
        if actor.is_manager or other.incubator_id == actor.incubator_id:
            incubator = session.get(Incubator, other.incubator_id)
            raise DuplicatePerson(f"{incubator.code if incubator else ''} {other.ref}".strip())
        raise DuplicatePerson()
    person.personal_code_match = match
    person.personal_code_secret = personal_codes.encrypt(number, key)


def _apply(session: Session, actor: Actor, person: Person, data: PersonFields) -> None:
    _check_organizations(session, data)
    place = municipality_id(session, "municipality_atvk", data.municipality_atvk)
    if data.personal_code is not None:
        _check_code(session, actor, person, data.personal_code)
    elif isinstance(data, PersonUpdate) and data.clear_personal_code:
        person.personal_code_secret = person.personal_code_match = None
    for name in ("first_name", "last_name", "birth_date", "email", "phone", "consent_date",
                 "consent_withdrawn"):
        setattr(person, name, getattr(data, name))
    person.name_search = person_name_key(person.first_name, person.last_name)
    if person.erased_at is None:  # an erased person's birth year stays (the age groups)
        person.birth_year = data.birth_date.year if data.birth_date else None
    person.municipality_id = place
    for name in ("gender", "employment_status", "education", "disability",
                 "third_country_national", "foreign_background", "minority", "homeless",
                 "rural"):
        value = getattr(data, name)
        setattr(person, name, None if value is None else value.value)
    roles = {m.organization_id: m.role.value for m in data.memberships}
    kept = []
    for membership in person.memberships:
        if membership.organization_id in roles:
            membership.role = roles.pop(membership.organization_id)
            kept.append(membership)
    person.memberships = kept + [Membership(organization_id=o, role=r) for o, r in roles.items()]


def _duplicate_ref(ref: str) -> DuplicatePersonRef:
    return DuplicatePersonRef(ref=ref)


def create_person(session: Session, *, actor: Actor, data: PersonCreate) -> PersonRead:
    """Record a person of an incubator (staff: their own). A consent already withdrawn
    erases the identity at once: only the characteristics are kept."""
    if get(session, Incubator, data.incubator_id) is None:
        raise ValidationFailed.single("incubator_id", "unknown_incubator")
    require_incubator(actor, data.incubator_id)
    if session.scalar(select(Person.id).where(Person.incubator_id == data.incubator_id,
                                              Person.ref == data.ref)) is not None:
        raise _duplicate_ref(data.ref)
    person = Person(incubator_id=data.incubator_id, ref=data.ref)
    _apply(session, actor, person, data)
    session.add(person)
    flush_unique(session, _duplicate_ref(data.ref))
    audit.record(session, actor, entity=ENTITY, entity_id=person.id, action=AuditAction.CREATE,
                 after=snapshot(person))
    if data.consent_withdrawn is not None:
        _erase(session, actor, person, data.consent_withdrawn)
    return _reads(session, [person])[0]


def update_person(session: Session, *, actor: Actor, person_id: int,
                  data: PersonUpdate) -> PersonRead:
    """Change a person; an outdated copy is refused. An erased person's identity stays
    erased; a withdrawal date given now erases it."""
    person = _load(session, person_id)
    _reachable(actor, person)
    check_version(person, data.version)
    before = snapshot(person)
    if person.erased_at is not None:  # nothing identifying comes back
        data = data.model_copy(update={name: None for name in (*IDENTITY, "personal_code")})
    _apply(session, actor, person, data)
    if person.erased_at is not None:
        person.first_name = person.last_name = None
        person.name_search = ""
    person.updated_at = now()  # membership-only edits must still bump the version
    flush(session)
    audit.record(session, actor, entity=ENTITY, entity_id=person.id, action=AuditAction.UPDATE,
                 before=before, after=snapshot(person))
    if data.consent_withdrawn is not None and person.erased_at is None:
        _erase(session, actor, person, data.consent_withdrawn)
    return _reads(session, [person])[0]


def delete_person(session: Session, *, actor: Actor, person_id: int, version: int) -> None:
    """Delete a person entered by mistake: only one who attended nothing (otherwise their
    consent is withdrawn, which erases the identity and keeps the counts)."""
    person = _load(session, person_id)
    _reachable(actor, person)
    check_version(person, version)
    if session.scalar(select(Attendance.id).where(Attendance.person_id == person.id)
                      .limit(1)) is not None:
        raise PersonHasAttendance()
    before = snapshot(person)
    session.delete(person)
    flush(session)
    _redact_audit(session, person.id)
    audit.record(session, actor, entity=ENTITY, entity_id=person_id, action=AuditAction.DELETE,
                 before={k: v for k, v in before.items() if k not in IN_AUDIT})


def withdraw_consent(session: Session, *, actor: Actor, person_id: int, on: dt.date,
                     version: int) -> PersonRead:
    """The person withdrew consent on `on`: their identity is erased, their counts stay."""
    person = _load(session, person_id)
    _reachable(actor, person)
    check_version(person, version)
    if on < person.consent_date:
        raise ValidationFailed.single("consent_withdrawn", "consent_withdrawn_before_given")
    if on > dt.date.today():  # noqa: DTZ011 - a calendar date, as the user sees it
        raise ValidationFailed.single("consent_withdrawn", "date_in_future")
    _erase(session, actor, person, on)
    return _reads(session, [person])[0]


def erase_person(session: Session, *, actor: Actor, person_id: int) -> PersonRead:
    """Erase a person's identity on request (GDPR Art. 17; administrators), counts kept."""
    if actor.role is not Role.ADMIN:
        raise PermissionDenied()
    person = _load(session, person_id)
    _erase(session, actor, person, person.consent_withdrawn)
    return _reads(session, [person])[0]


def _redact_audit(session: Session, person_id: int) -> int:
    """Blank the identity in every audit copy of the person; returns how many entries."""
    entries = list(session.scalars(select(AuditLog).where(
        AuditLog.entity == ENTITY, AuditLog.entity_id == person_id)))

    def redacted(copy: Any) -> Any:
        if not isinstance(copy, dict):
            return copy
        return {k: (ERASED if k in IN_AUDIT and v else v) for k, v in copy.items()}

    with audit.redaction(session):
        for entry in entries:
            entry.before, entry.after = redacted(entry.before), redacted(entry.after)
    return len(entries)


def _erase(session: Session, actor: Actor, person: Person, withdrawn: dt.date | None) -> None:
    """Remove the identity, keep the characteristics, the birth year and the attendance."""
    before = {k: v for k, v in snapshot(person).items() if k not in IN_AUDIT}
    for name in IDENTITY:
        setattr(person, name, None)
    person.name_search = ""
    person.personal_code_secret = person.personal_code_match = None
    person.consent_withdrawn = withdrawn
    person.erased_at = now()
    flush(session)
    entries = _redact_audit(session, person.id)
    audit.record(session, actor, entity=ENTITY, entity_id=person.id, action=AuditAction.DELETE,
                 before=before, after={"step": "erase", "audit_entries": entries,
                                       "consent_withdrawn": withdrawn and withdrawn.isoformat()})


def _trained_hours(session: Session, person_id: int, rule: TrainingRule) -> Decimal:
    return trained_hours(session, person_id=person_id, rule=rule)  # as the indicator counts


def get_person(session: Session, *, actor: Actor, person_id: int) -> PersonCard:
    """A person's full record with what they attended; every showing is audited."""
    person = _load(session, person_id)
    _reachable(actor, person)
    read = _reads(session, [person])[0]
    rows = session.execute(
        select(Activity.id, Activity.activity_date, Activity.type, Activity.title,
               Activity.status, func.coalesce(Attendance.hours, Activity.hours),
               Attendance.organization_id)
        .join(Activity, Activity.id == Attendance.activity_id)
        .where(Attendance.person_id == person.id, Activity.deleted_at.is_(None))
        .order_by(Activity.activity_date.desc(), Activity.id.desc())).all()
    rule = training_rule(session)
    hours = _trained_hours(session, person.id, rule)
    audit.record(session, actor, entity=ENTITY, entity_id=person.id, action=AuditAction.VIEW)
    return PersonCard(**read.model_dump(), attended=[AttendedRead(
        activity_id=r[0], activity_date=r[1], type=r[2], title=r[3], status=r[4],
        hours=Decimal(str(r[5])), organization_id=r[6]) for r in rows],
        trained_hours=hours, trained=hours >= rule.min_hours)


@dataclass(frozen=True)
class PeoplePage:
    total: int
    people: list[PersonRead]


def _scope(actor: Actor, incubator_id: int | None) -> list[ColumnElement[bool]]:
    require_writer(actor)
    if actor.role is Role.STAFF:
        if incubator_id is not None and incubator_id != actor.incubator_id:
            return [false()]
        incubator_id = actor.incubator_id
    return [] if incubator_id is None else [id_is(Person.incubator_id, incubator_id)]


def _plain(text: str | None, limit: int = 100) -> str:
    """A search or reference as typed, without control characters (never in a stored text;
    PostgreSQL refuses a NUL in any query), trimmed and cut to `limit` characters."""
    cleaned = "".join(c for c in (text or "") if unicodedata.category(c) != "Cc")
    return cleaned.strip()[:limit]


def _escaped(text: str) -> str:
    """`text` matched literally inside LIKE (its % and _ are not wildcards)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# By last and first name (Ā with A: the folded key), erased people after everyone named.
_BY_NAME = (case((Person.erased_at.is_(None), 0), else_=1), Person.name_search, Person.ref,
            Person.id)


def _filtered(actor: Actor, incubator_id: int | None, organization_id: int | None,
              search: str | None, incomplete: bool) -> Select[Person]:
    query = select(Person).where(*_scope(actor, incubator_id))
    if organization_id is not None:
        query = query.where(Person.id.in_(select(Membership.person_id).where(
            id_is(Membership.organization_id, organization_id))))
    text = _plain(search)
    if text:  # every word in the name (any order, case or diacritics), or in the reference
        words = search_key(text).split()
        by_name = and_(*(Person.name_search.like(f"%{_escaped(w)}%", escape="\\")
                         for w in words)) if words else false()
        by_ref = func.lower(Person.ref).like(f"%{_escaped(text.lower())}%", escape="\\")
        query = query.where(or_(by_name, by_ref))
    if incomplete:
        query = query.where(or_(*(getattr(Person, name).is_(None) for name in ESF_FIELDS
                                  if name != "birth_date"),
                                Person.birth_year.is_(None)))
    return query


def list_people(session: Session, *, actor: Actor, incubator_id: int | None = None,
                organization_id: int | None = None, search: str | None = None,
                incomplete: bool = False, limit: int = 50, offset: int = 0) -> PeoplePage:
    """People by last and first name (staff: their incubator's), filtered; a page of them."""
    query = _filtered(actor, incubator_id, organization_id, search, incomplete)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    people = list(session.scalars(query.order_by(*_BY_NAME)
                                  .limit(bounded(min(limit, MAX_PAGE))).offset(bounded(offset))))
    return PeoplePage(total=total, people=_reads(session, people))


def find_person(session: Session, *, actor: Actor, incubator_id: int,
                ref: str) -> PersonRead | None:
    """The person with the incubator's reference `ref`, or None."""
    require_incubator(actor, incubator_id)
    if _plain(ref) != ref.strip() or not ref.strip():
        return None  # no reference holds control characters or is that long
    person = session.scalar(select(Person).where(id_is(Person.incubator_id, incubator_id),
                                                 Person.ref == ref.strip()))
    return None if person is None else _reads(session, [person])[0]


def people_to_tick(session: Session, *, actor: Actor, incubator_id: int) -> list[PersonOption]:
    """The incubator's people whose identity is kept, for ticking attendees: name,
    reference and organisations, by name."""
    require_incubator(actor, incubator_id)
    people = list(session.scalars(
        select(Person).where(id_is(Person.incubator_id, incubator_id),
                             Person.erased_at.is_(None))
        .options(selectinload(Person.memberships))
        .order_by(*_BY_NAME)))
    return [PersonOption(id=p.id, ref=p.ref,
                         name=" ".join(x for x in (p.first_name, p.last_name) if x) or p.ref,
                         organization_ids=[m.organization_id for m in p.memberships])
            for p in people]
