"""People: the participants with their consent and ESF+ characteristics, matched by incubator
and `ref`. Each row is checked with the person form's own schema and saved by the people
service (tracker.services.people), so its rules hold: a personal code already someone else's
is refused as a duplicate, codes are stored encrypted (which needs the key), a withdrawal of
consent erases the identity. Staff import and export their own incubator's people.

The cells that are more than a value:
- `personal_code`: in full (either format) it is stored encrypted; masked as exports write it
  (`161175-*****`, or `******-*****` where the code could not be read) it keeps the stored
  code, and is refused for a person who has none (a masked code cannot be stored); an empty
  cell removes the stored code (as an empty cell empties every optional column); without the
  column the code stays.
- `organization_reg_no` lists the person's organisations separated by `;` or `|`, `role`
  their roles in the same order or one role for all (empty: member); together they replace
  the person's organisations.
- An erased person (consent withdrawn, or erased on request) has an empty identity: names,
  code, e-mail and phone, and `birth_date` holds the birth year alone. Importing such a row
  never fails and never brings an identity back: for a person whose identity is erased, or a
  row with a withdrawal date, the identity columns are ignored. A new row without names is
  an erased person when it has a withdrawal date, or when an administrator loads it with
  the whole identity empty as exports write it (a programme moved between instances);
  otherwise names are required.
- The export writes the codes masked; an administrator's export `with_codes` writes them in
  full (to move a programme between instances). Every export of people is audited.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from enum import StrEnum
from functools import partial
from typing import Any

from pydantic_core import PydanticCustomError
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import Answer, Education, EmploymentStatus, Gender, PersonRole, Role
from db.models import (
    SENSITIVE_CHARACTERISTICS,
    Incubator,
    Membership,
    Municipality,
    Organization,
    Person,
)
from tracker import personal_codes
from tracker.auth import Actor
from tracker.errors import DuplicatePerson
from tracker.exports import Cell
from tracker.imports.base import Columns, Context, Handler, Kind, Row, staff_incubator, table
from tracker.imports.cells import (
    LIST_SEPARATOR,
    atvk,
    enum_text,
    enum_value,
    export_text,
    split_list,
)
from tracker.schemas import PersonCreate, PersonFields, PersonUpdate, validate_reg_no
from tracker.services import people

COLUMNS: Columns = table("""
    ref *                   Atsauce                             P-0001
    incubator *             Inkubators                          VIDZEME
    first_name *            Vārds                               Anna
    last_name *             Uzvārds                             Bērziņa
    personal_code           Personas kods                       161175-19997
    birth_date              Dzimšanas datums                    1975-11-16
    gender                  Dzimums                             female
    organization_reg_no     Organizāciju reģistrācijas numuri   40008000009
    role                    Loma organizācijā                   leader
    municipality_atvk       Pašvaldības ATVK kods               0054000
    email                   E-pasts                             anna@example.lv
    phone                   Tālrunis                            +371 20000000
    consent_date *          Piekrišanas datums                  2025-03-14
    consent_withdrawn       Piekrišana atsaukta
    employment_status       Nodarbinātības statuss              employed
    education               Izglītība                           isced_5_8
    disability              Invaliditāte                        no
    third_country_national  Trešās valsts pilsonis              no
    foreign_background      Ārvalstu izcelsme                   no
    minority                Minoritāte                          refused
    homeless                Bezpajumtnieks                      no
    rural                   Dzīvo lauku apvidū                  yes
""")
ENUMS: dict[str, type[StrEnum]] = {
    "gender": Gender, "employment_status": EmploymentStatus, "education": Education,
    **dict.fromkeys(SENSITIVE_CHARACTERISTICS, Answer)}
PLAIN = ("first_name", "last_name", "birth_date", "email", "phone", "consent_date",
         "consent_withdrawn")
IDENTITY = ("first_name", "last_name", "personal_code", "birth_date", "email", "phone")
# what a row is compared by (the personal code apart)
COMPARED = ("first_name", "last_name", "birth_date", "gender", "municipality_atvk", "email",
            "phone", "consent_date", "consent_withdrawn", "employment_status", "education",
            *SENSITIVE_CHARACTERISTICS, "memberships")
# the schema's fields -> the file's columns, for its problems
SCHEMA_COLUMNS = {name: name for name in (*PLAIN, *ENUMS, "personal_code", "municipality_atvk",
                                          "ref", "role")} | {
    "incubator_id": "incubator", "memberships": "organization_reg_no",
    "organization_id": "organization_reg_no"}
MASKED = re.compile(r"^(?:\d{6}|\*{6})-\*{5}$")  # as exports write a code: 161175-*****
YEAR = re.compile(r"^\d{4}$")  # an erased person's birth date: the year alone
STAND_IN = "-"  # the name given to the service for an identity it erases at once
KEY_MISSING = personal_codes.KeyMissing.code


def _keys() -> personal_codes.Keys | None:
    try:
        return personal_codes.keys()
    except personal_codes.KeyMissing:
        return None


def _values(data: PersonFields) -> dict[str, Any]:
    """What a row is compared by, from the schema's model."""
    values: dict[str, Any] = {}
    for name in COMPARED:
        value = getattr(data, name)
        if name == "memberships":
            value = frozenset((m.organization_id, m.role.value) for m in value)
        values[name] = value.value if isinstance(value, StrEnum) else value
    return values


class People(Handler):
    kind = "people"
    columns = COLUMNS

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.keys = _keys()
        self.atvk_of = {muni_id: code for code, (muni_id, _f, _t) in ctx.municipalities.items()}

    def parse(self, row: Row) -> None:
        ctx, cells = self.ctx, row.cells
        ctx.required(row, ("ref", "incubator", "consent_date"))
        ctx.plain(row, ("ref",))
        incubator_id = ctx.incubator(row, "incubator")
        reg_nos: list[str] = []
        for text in split_list(cells.get("organization_reg_no", "")):
            try:
                reg_nos.append(validate_reg_no(text))
            except PydanticCustomError as error:
                ctx.problem(row, "organization_reg_no", error.type)
                break
        if row.problems or incubator_id is None:
            return
        row.key = (incubator_id, cells["ref"])
        row.item = {"incubator_id": incubator_id, "ref": cells["ref"], "reg_nos": reg_nos,
                    "roles": [enum_value(PersonRole, r)
                              for r in split_list(cells.get("role", ""))]}

    def resolve(self, rows: list[Row]) -> None:
        ctx = self.ctx
        orgs = ctx.organizations(n for r in rows if r.item for n in r.item["reg_nos"])
        found, memberships = self._existing({r.key for r in rows if r.key})
        claims: dict[str, Row] = {}  # the match hash of each new code -> its first row
        for row in rows:
            assert row.item is not None and row.key is not None
            person = found.get(row.key)
            data = self._check(row, person, memberships.get(person.id, []) if person else [],
                               orgs)
            if data is None or row.problems:
                continue
            number, changed = self._code(row, person, data)
            if row.problems:
                continue
            if changed and number is not None:
                match = personal_codes.match_hash(number, self.keys)
                if match in claims:
                    ctx.problem(row, "personal_code", "import_duplicate_person_row",
                                first=claims[match].number)
                    continue
                claims[match] = row
            if person is None:
                row.action = "create"
            else:
                row.existing_id = person.id
                before = self._before(person, memberships.get(person.id, []))
                after = _values(data)
                row.changes = {k: v for k, v in after.items() if v != before[k]
                               and (person.erased_at is None or k not in IDENTITY)}
                if changed:
                    row.changes["personal_code"] = "*"
                row.action = "update" if row.changes else "unchanged"
                if not changed and isinstance(data, PersonUpdate):
                    data = data.model_copy(update={"personal_code": None})
            row.item["data"] = data
        self._duplicates(claims)

    def _check(self, row: Row, person: Person | None, stored: list[tuple[int, str, str]],
               orgs: dict[str, int]) -> PersonCreate | PersonUpdate | None:
        """The row through the form's schema: the stored values, with the file's columns
        over them; None after noting its problems."""
        ctx, cells, item = self.ctx, row.cells, row.item
        assert item is not None
        present = ctx.present
        erased = person is not None and person.erased_at is not None
        # an administrator loading a programme gets its erased people back erased: a new row
        # whose identity is as an export writes an erased one's (empty, the birth year alone)
        blank = not any(cells.get(name) for name in IDENTITY if name != "birth_date") \
            and not (cells.get("birth_date") and not YEAR.match(cells["birth_date"]))
        item["erase"] = person is None and blank and not cells.get("consent_withdrawn") \
            and ctx.actor.role is Role.ADMIN
        gone = erased or bool(cells.get("consent_withdrawn")) or item["erase"]
        payload = self._stored(person, stored) if person is not None else {
            "incubator_id": item["incubator_id"], "ref": item["ref"]}
        for name in (*PLAIN, *ENUMS, "municipality_atvk"):
            if name not in present or (gone and name in IDENTITY):
                continue
            value = cells.get(name, "")
            if not value and name in ("first_name", "last_name"):
                payload.pop(name, None)  # the schema says it is required
                continue
            if value and name in ENUMS:
                value = enum_value(ENUMS[name], value)
            elif value and name == "municipality_atvk":
                value = atvk(value)
            payload[name] = value or None
        if gone:  # the identity goes (or is gone): only an erased person's birth year stays
            payload |= {"first_name": STAND_IN, "last_name": STAND_IN, "email": None,
                        "phone": None}
            born = cells.get("birth_date", "")
            if person is None and born:
                payload["birth_date"] = dt.date(int(born), 1, 1) if YEAR.match(born) else born
        elif "personal_code" in present:
            code = cells.get("personal_code", "")
            if code and not MASKED.match(code):
                payload["personal_code"] = code
            elif not code and person is not None and person.personal_code_secret:
                payload["clear_personal_code"] = True  # an empty cell empties it
        if "organization_reg_no" in present or "role" in present:
            members = self._memberships(row, stored, orgs)
            if members is None:
                return None
            payload["memberships"] = members
        data: PersonCreate | PersonUpdate | None = \
            ctx.validate(row, PersonCreate, payload, SCHEMA_COLUMNS) if person is None \
            else ctx.validate(row, PersonUpdate, payload, SCHEMA_COLUMNS)
        if data is None:
            return None
        ctx.municipality(row, "municipality_atvk", data.municipality_atvk)
        return data

    def _memberships(self, row: Row, stored: list[tuple[int, str, str]],
                     orgs: dict[str, int]) -> list[dict[str, Any]] | None:
        """The person's organisations and roles as the file gives them (a column it lacks:
        as stored)."""
        ctx, item = self.ctx, row.item
        assert item is not None
        if "organization_reg_no" in ctx.present:
            reg_nos = item["reg_nos"]
            unknown = [n for n in reg_nos if n not in orgs]
            if unknown:
                ctx.problem(row, "organization_reg_no", "unknown_organization")
                return None
            ids = [orgs[n] for n in reg_nos]
        else:
            ids = [org_id for org_id, _reg_no, _role in stored]
        if "role" in ctx.present:
            roles = item["roles"] or [PersonRole.MEMBER.value]
        else:
            kept = {org_id: role for org_id, _reg_no, role in stored}
            roles = [kept.get(org_id, PersonRole.MEMBER.value) for org_id in ids]
        if len(roles) == 1:
            roles = roles * len(ids)
        if len(roles) != len(ids):
            ctx.problem(row, "role", "import_roles_count", organizations=len(ids),
                        roles=len(roles))
            return None
        return [{"organization_id": org_id, "role": role}
                for org_id, role in zip(ids, roles, strict=True)]

    def _code(self, row: Row, person: Person | None, data: PersonCreate | PersonUpdate
              ) -> tuple[str | None, bool]:
        """The personal code the row stores (compact) and whether it changes the stored one;
        a masked code keeps it, an empty cell removes it."""
        ctx, cells = self.ctx, row.cells
        if "personal_code" not in ctx.present or (person is not None and (
                person.erased_at is not None)) or cells.get("consent_withdrawn") \
                or (row.item or {}).get("erase"):
            return None, False
        text = cells.get("personal_code", "")
        secret = person.personal_code_secret if person is not None else None
        if not text:
            return None, bool(secret)  # removed (_check asked the service to)
        if MASKED.match(text):
            if not secret:
                ctx.problem(row, "personal_code", "import_personal_code_masked")
            elif self.keys is not None and not text.startswith("*"):
                stored = personal_codes.decrypt(secret, self.keys)
                if stored is not None and personal_codes.mask(stored) != text:
                    ctx.problem(row, "personal_code", "import_personal_code_masked_other")
            return None, False
        if self.keys is None:  # the service would refuse it the same way
            ctx.problem(row, "personal_code", KEY_MISSING,
                        variable=personal_codes.KEY_VARIABLE)
            return None, False
        number = data.personal_code
        return number, number != personal_codes.decrypt(secret, self.keys)

    def _duplicates(self, claims: dict[str, Row]) -> None:
        """A code already someone else's is refused, as the service refuses it (saying whose
        only to those who may know: managers, and staff of the same incubator)."""
        if not claims:
            return
        ctx = self.ctx
        for match, owner_id, incubator_id, ref, code in ctx.session.execute(
                select(Person.personal_code_match, Person.id, Person.incubator_id, Person.ref,
                       Incubator.code).join(Incubator, Incubator.id == Person.incubator_id)
                .where(ctx.one_of(Person.personal_code_match, list(claims)))).all():
            row = claims[str(match)]
            if owner_id == row.existing_id:
                continue
            visible = ctx.is_manager or incubator_id == ctx.actor.incubator_id
            refusal = DuplicatePerson(f"{code} {ref}" if visible else None)
            ctx.problem(row, "personal_code", refusal.code, **refusal.params)
            row.action = None

    def _existing(self, keys: set[tuple[Any, ...]]
                  ) -> tuple[dict[tuple[Any, ...], Person], dict[int, list[tuple[int, str, str]]]]:
        """The people the rows name, and their live organisations (id, reg_no, role) by
        registration number."""
        ctx = self.ctx
        refs: dict[int, list[str]] = defaultdict(list)
        for incubator_id, ref in keys:
            refs[incubator_id].append(ref)
        found: dict[tuple[Any, ...], Person] = {}
        for incubator_id, wanted in refs.items():
            for person in ctx.session.scalars(select(Person).where(
                    Person.incubator_id == incubator_id, ctx.one_of(Person.ref, wanted))):
                found[(incubator_id, person.ref)] = person
        memberships: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
        if found:
            for person_id, org_id, reg_no, role in ctx.session.execute(
                    select(Membership.person_id, Organization.id, Organization.reg_no,
                           Membership.role)
                    .join(Organization, Organization.id == Membership.organization_id)
                    .where(ctx.one_of(Membership.person_id, [p.id for p in found.values()]),
                           Organization.deleted_at.is_(None))
                    .order_by(Membership.person_id, Organization.reg_no)).all():
                memberships[person_id].append((org_id, reg_no, role))
        return found, memberships

    def _stored(self, person: Person, stored: list[tuple[int, str, str]]) -> dict[str, Any]:
        """The form's payload of a stored person (an erased one's names stand in)."""
        values = self._before(person, stored)
        values["memberships"] = [{"organization_id": org_id, "role": role}
                                 for org_id, _reg_no, role in stored]
        if person.erased_at is not None:
            values |= {"first_name": STAND_IN, "last_name": STAND_IN}
        return values | {"version": person.version}

    def _before(self, person: Person, stored: list[tuple[int, str, str]]) -> dict[str, Any]:
        values = {name: getattr(person, name) for name in COMPARED
                  if name not in ("municipality_atvk", "memberships")}
        values["municipality_atvk"] = self.atvk_of.get(person.municipality_id or 0)
        values["memberships"] = frozenset((org_id, role) for org_id, _reg_no, role in stored)
        return values

    def write(self, rows: list[Row]) -> None:
        ctx = self.ctx
        for count, row in enumerate(rows, start=1):
            assert row.item is not None
            data = row.item["data"]
            if row.action == "create":
                made = people.create_person(ctx.session, actor=ctx.actor, data=data)
                if row.item["erase"]:
                    people.erase_person(ctx.session, actor=ctx.actor, person_id=made.id)
            elif row.action == "update" and row.existing_id is not None:
                people.update_person(ctx.session, actor=ctx.actor, person_id=row.existing_id,
                                     data=data)
            if count % 1000 == 0:
                ctx.tick()


def _export(session: Session, actor: Actor, lang: str, *, with_codes: bool = False
            ) -> list[list[Cell]]:
    """Every person (staff: their incubator's), the codes masked or (`with_codes`) in full."""
    keys = _keys()
    table = Person.__table__
    query = (select(table, Incubator.code.label("incubator_code"), Municipality.atvk)
             .join(Incubator, Incubator.id == table.c.incubator_id)
             .outerjoin(Municipality, Municipality.id == table.c.municipality_id)
             .order_by(Incubator.code, table.c.ref))
    members = (select(Membership.person_id, Organization.reg_no, Membership.role)
               .join(Organization, Organization.id == Membership.organization_id)
               .join(Person, Person.id == Membership.person_id)
               .where(Organization.deleted_at.is_(None))
               .order_by(Membership.person_id, Organization.reg_no))
    own = staff_incubator(actor)
    if own is not None:
        query = query.where(table.c.incubator_id == own)
        members = members.where(Person.incubator_id == own)
    organizations: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for person_id, reg_no, role in session.execute(members).all():
        organizations[person_id].append((reg_no, enum_text(PersonRole, role, lang)))
    rows: list[list[Cell]] = []
    for p in session.execute(query).mappings().all():
        secret = p["personal_code_secret"]
        if with_codes and secret and keys is None:
            raise personal_codes.KeyMissing()  # it says how to set the key
        number = personal_codes.decrypt(secret, keys) if with_codes and secret else None
        code = personal_codes.formatted(number) if number else \
            personal_codes.masked(secret, keys) if secret else None
        born: Cell = p["birth_date"]
        if p["erased_at"] is not None:
            born = str(p["birth_year"]) if p["birth_year"] else None
        listed = organizations.get(p["id"], [])
        rows.append([
            export_text(p["ref"]), p["incubator_code"], export_text(p["first_name"]),
            export_text(p["last_name"]), code, born,
            enum_text(Gender, p["gender"], lang) if p["gender"] else None,
            LIST_SEPARATOR.join(reg_no for reg_no, _role in listed) or None,
            LIST_SEPARATOR.join(role for _reg_no, role in listed) or None, p["atvk"],
            export_text(p["email"]), export_text(p["phone"]), p["consent_date"],
            p["consent_withdrawn"],
            *(enum_text(enum, p[name], lang) if p[name] else None
              for name, enum in ENUMS.items() if name != "gender")])
    return rows


KIND = Kind(handler=People, export=_export, audit_entity=people.ENTITY,
            export_codes=partial(_export, with_codes=True))
