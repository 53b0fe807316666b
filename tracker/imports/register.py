"""Organisations from the Register of Enterprises open data (`register.csv`, data.gov.lv).

The file (Uzņēmumu reģistra atvērtie dati, about 470,000 rows, ~120 MB) is UTF-8 (with a
byte-order mark), `;`-separated, with cells quoted and quotes doubled. Its columns are
`COLUMNS` below; the header must hold exactly these (in any order).

What is taken:
- rows of register `B` (Biedrību un nodibinājumu reģistrs); every other register (K
  commercial, R religious, P parties, A trade-union register of old, M media, ...) is skipped;
- `type` BDR (biedrība) -> association, NOD (nodibinājums) -> foundation; any other type in
  register B (e.g. ARB arodbiedrība, which the law makes an association too, or unions of
  associations) -> legal form `other`, so nothing of the register is lost and the three are
  counted apart;
- `registered` and `terminated` are dates YYYY-MM-DD (a time after the date, or DD.MM.YYYY, is
  accepted as well; an empty cell or 0000-00-00 means none);
- `closed` is L (liquidated), R (reorganised), or empty/a space (not closed). A row with L, R,
  another letter, or a termination date has ended; ended organisations are not created unless
  asked (`include_ended`), but an organisation already in the tracker gets its new status.

Where: the address's ATVK code (ATVK 2021, 7 digits: positions 3-4 are the administrative
territory, 01-19 the state cities and 20-99 the novadi; positions 5-6 the town or parish inside
it; the 7th counts modifications) is mapped on its first four digits to the municipality that
is valid today, following successors: a code of the former Varakļānu novads (0055...) lands in
Madonas novads (merged 2025-07-01), a code of Madonas novads of before the merger too. A cell
that is empty or holds a code of the pre-2021 classifier (whose prefixes the 2021 codes do not
reuse) falls back to the address's first part, which the register writes as the state city or
the novads ("Rīga, ...", "Madonas nov., ..."); when neither names a municipality the
organisation keeps the one it has (a new one has none).

Every taken row goes through the rules of the forms (the registration number's checksum by
`validate_reg_no`, a name of at most 300 characters, real dates); a row that breaks one is a
problem with its row, column, value and message. With any problem nothing is written, unless
`valid_only`. The writes are set-based: one lookup per 1,000 registration numbers (one pass
for a whole register), Core executemany inserts and updates, one audit entry, all in the
caller's transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic_core import PydanticCustomError
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from db.enums import AuditAction, LegalForm
from db.models import Municipality, Organization, utcnow
from db.search import name_key, search_key
from tracker import audit
from tracker.auth import Actor, require_manager
from tracker.i18n import DEFAULT_LANGUAGE, t
from tracker.imports.files import FileRefused, decode_text
from tracker.schemas import validate_reg_no

COLUMNS = ("regcode", "sepa", "name", "name_before_quotes", "name_in_quotes",
           "name_after_quotes", "without_quotes", "regtype", "regtype_text", "type", "type_text",
           "registered", "terminated", "closed", "address", "index", "addressid", "region",
           "city", "atvk", "reregistration_term")
MAX_BYTES = 400 * 1024 * 1024  # the whole register is ~120 MB (2026)
REGISTER = "B"  # Biedrību un nodibinājumu reģistrs
LEGAL_FORMS = {"BDR": LegalForm.ASSOCIATION, "NOD": LegalForm.FOUNDATION}
CLOSED = {"L": "liquidated", "R": "reorganized"}
ACTIVE, TERMINATED = "active", "terminated"
NAME_MAX = 300
ENTITY = "register_import"
_LOOKUP_CHUNK = 1000
_FULL_SCAN_FROM = 5000  # registration numbers in a file; more are compared in one pass
_WRITE_CHUNK = 5000
_PROGRESS_EVERY = 20_000
_ATVK = re.compile(r"\d{7}")
_DMY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")

Progress = Callable[[str, int, int], None]  # (phase "read" or "write", done, total)


@dataclass(frozen=True)
class RegisterProblem:
    """One cell that breaks a rule: row as a spreadsheet numbers it (the header is row 1)."""

    row: int
    column: str
    value: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return t(f"error.{self.code}", lang, **self.params)

    def describe(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return t("register.problem", lang, row=self.row, column=self.column or "-",
                 value=self.value, message=self.message(lang))


@dataclass(frozen=True)
class RegisterReport:
    """What an import found and did (or, in a dry run or when refused, would do)."""

    filename: str
    dry_run: bool
    written: bool
    rows_read: int
    taken: int  # rows of register B
    associations: int
    foundations: int
    other_forms: int
    other_registers: int
    skipped_ended: int
    invalid: int  # rows with a problem (left out)
    created: int
    updated: int
    unchanged: int
    without_municipality: int  # taken rows whose place the tracker cannot name
    problems: tuple[RegisterProblem, ...]

    def summary(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The counts, in one paragraph."""
        return t("register.summary", lang, **{k: f"{v:,}".replace(",", "\u00a0")
                                              for k, v in self.counts().items()})

    def outcome(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """Saved, a dry run, or refused because of problems."""
        if self.written:
            return t("register.written", lang)
        if self.dry_run:
            return t("register.dry_run", lang)
        return t("register.not_written", lang, problems=len(self.problems))

    def describe(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The counts and the outcome, for a log or a page."""
        return f"{self.summary(lang)}\n{self.outcome(lang)}"

    def counts(self) -> dict[str, int]:
        return {"rows_read": self.rows_read, "taken": self.taken,
                "associations": self.associations, "foundations": self.foundations,
                "other_forms": self.other_forms, "other_registers": self.other_registers,
                "skipped_ended": self.skipped_ended, "invalid": self.invalid,
                "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "without_municipality": self.without_municipality}


@dataclass(frozen=True)
class _Entry:
    row: int
    reg_no: str
    name: str
    legal_form: str
    registered_on: dt.date | None
    terminated_on: dt.date | None
    status: str
    municipality_id: int | None


# Reading ---------------------------------------------------------------------------------------

def _reader(text: str) -> tuple[dict[str, int], Iterator[list[str]], io.StringIO]:
    """The column positions and the data rows, or FileRefused for a wrong header."""
    first = text.lstrip("\r\n").split("\n", 1)[0]
    separator = max((";", ",", "\t"), key=first.count)
    buffer = io.StringIO(text, newline="")
    rows = csv.reader(buffer, delimiter=separator, strict=True)
    try:
        header = next(rows, None)
    except csv.Error as error:
        raise FileRefused("file_broken_csv", detail=str(error)) from error
    names = [c.strip().lower() for c in header or []]
    while names and not names[-1]:
        names.pop()  # a separator at the end of the header line
    if not names:
        raise FileRefused("file_no_header")
    unknown = [n or "''" for n in names if n not in COLUMNS]
    if unknown:
        raise FileRefused("register_unknown_columns", columns=", ".join(unknown))
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise FileRefused("register_missing_columns", columns=", ".join(missing))
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise FileRefused("register_duplicate_columns", columns=", ".join(twice))
    return {name: i for i, name in enumerate(names)}, rows, buffer


def _date(value: str) -> dt.date | None:
    """YYYY-MM-DD (a time after it is ignored) or DD.MM.YYYY; empty or 0000-00-00 is None."""
    if not value or value.startswith("0000-00-00"):
        return None
    if len(value) > 10 and value[10] in " T":
        value = value[:10]
    match = _DMY.fullmatch(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    if len(value) != 10:
        raise ValueError(value)
    return dt.date.fromisoformat(value)


class _Places:
    """ATVK code or address -> the id of the municipality valid today."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(select(Municipality.id, Municipality.atvk, Municipality.name,
                                      Municipality.valid_to, Municipality.successor_id)).all()
        successor = {r.id: r.successor_id for r in rows}
        ended = {r.id for r in rows if r.valid_to is not None}

        def current(mid: int) -> int | None:
            seen: set[int] = set()
            while mid in ended and mid not in seen:
                seen.add(mid)
                nxt = successor.get(mid)
                if nxt is None:
                    return None
                mid = nxt
            return mid

        self.by_prefix: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        # Valid units first, so that a prefix or name shared with an ended one keeps the
        # valid unit (Madonas novads 0038000 ended, 0038001 valid).
        for r in sorted(rows, key=lambda r: r.valid_to is None):
            target = current(r.id)
            if target is None:
                continue
            self.by_prefix[r.atvk[:4]] = target
            self.by_name[search_key(r.name)] = target

    def find(self, atvk: str, address: str) -> int | None:
        if _ATVK.fullmatch(atvk):
            found = self.by_prefix.get(atvk[:4])
            if found is not None:
                return found
        first = search_key(address.split(",", 1)[0])
        if first.endswith(" nov."):
            first = first[:-len("nov.")] + "novads"
        return self.by_name.get(first)


def _entry(number: int, cells: Sequence[str], col: dict[str, int], places: _Places,
           problems: list[RegisterProblem]) -> _Entry | None:
    """The row's organisation, or None after adding its problems."""
    found = len(problems)

    def cell(name: str) -> str:
        return cells[col[name]].strip()

    def problem(column: str, code: str, **params: Any) -> None:
        problems.append(RegisterProblem(number, column, cell(column), code, params))

    reg_no = cell("regcode")
    try:
        reg_no = validate_reg_no(reg_no)
    except PydanticCustomError as error:
        problem("regcode", error.type)
    name = " ".join(cell("name").split())
    if not name:
        problem("name", "required")
    elif len(name) > NAME_MAX:
        problem("name", "too_long", max_length=NAME_MAX)
    dates: dict[str, dt.date | None] = {}
    for column in ("registered", "terminated"):
        try:
            dates[column] = _date(cell(column))
        except ValueError:
            problem(column, "not_date")
    if len(problems) > found:
        return None
    closed = cell("closed").upper()
    status = CLOSED.get(closed, TERMINATED) if closed else (
        TERMINATED if dates["terminated"] else ACTIVE)
    form = LEGAL_FORMS.get(cell("type").upper(), LegalForm.OTHER)
    return _Entry(row=number, reg_no=reg_no, name=name, legal_form=form.value,
                  registered_on=dates["registered"],
                  terminated_on=None if status == ACTIVE else dates["terminated"],
                  status=status, municipality_id=places.find(cell("atvk"), cell("address")))


# Importing -------------------------------------------------------------------------------------

def import_register(session: Session, *, actor: Actor, data: bytes, filename: str,
                    dry_run: bool, valid_only: bool = False, include_ended: bool = False,
                    progress: Progress | None = None) -> RegisterReport:
    """Create and update organisations from the register file; see the module's text."""
    require_manager(actor)
    if len(data) > MAX_BYTES:
        raise FileRefused("file_too_big", size_mb=round(len(data) / 1_048_576, 1),
                          limit_mb=round(MAX_BYTES / 1_048_576, 1))
    if not data.strip():
        raise FileRefused("file_empty")
    text = decode_text(data)
    del data
    col, rows, buffer = _reader(text)
    width, total_chars = len(col), len(text)
    places = _Places(session)
    problems: list[RegisterProblem] = []
    entries: dict[str, _Entry] = {}
    rows_read = other_registers = taken = invalid = 0
    i_regtype = col["regtype"]
    number = 1
    try:
        for number, cells in enumerate(rows, start=2):
            if len(cells) <= 1 and not "".join(cells).strip():
                continue  # a blank line
            rows_read += 1
            if progress is not None and rows_read % _PROGRESS_EVERY == 0:
                progress("read", buffer.tell(), total_chars)
            if len(cells) != width:
                if len(cells) == width + 1 and not cells[width].strip():
                    cells = cells[:width]  # as published: a separator ends the line
                else:
                    problems.append(RegisterProblem(number, "", "", "register_row_width",
                                                    {"found": len(cells), "expected": width}))
                    invalid += 1
                    continue
            if cells[i_regtype].strip().upper() != REGISTER:
                other_registers += 1
                continue
            taken += 1
            entry = _entry(number, cells, col, places, problems)
            if entry is None:
                invalid += 1
            elif entry.reg_no in entries:
                problems.append(RegisterProblem(number, "regcode", entry.reg_no,
                                                "register_duplicate",
                                                {"first": entries[entry.reg_no].row}))
                invalid += 1
            else:
                entries[entry.reg_no] = entry
    except csv.Error as error:
        raise FileRefused("file_broken_csv", detail=f"{number + 1}: {error}") from error
    del text
    if progress is not None:
        progress("read", total_chars, total_chars)

    existing = _existing(session, list(entries))
    now = utcnow()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    seen_ids: list[int] = []
    skipped_ended = unchanged = 0
    for entry in entries.values():
        old = existing.get(entry.reg_no)
        if old is None:
            if entry.status != ACTIVE and not include_ended:
                skipped_ended += 1
                continue
            inserts.append({
                "reg_no": entry.reg_no, "name": entry.name, "name_search": name_key(entry.name),
                "legal_form": entry.legal_form, "municipality_id": entry.municipality_id,
                "fields_of_activity": [], "registered_on": entry.registered_on,
                "terminated_on": entry.terminated_on, "register_status": entry.status,
                "register_synced_at": now, "version": 1, "created_at": now, "updated_at": now})
            continue
        new = {"name": entry.name, "legal_form": entry.legal_form,
               "municipality_id": (entry.municipality_id if entry.municipality_id is not None
                                   else old["municipality_id"]),
               "registered_on": entry.registered_on, "terminated_on": entry.terminated_on,
               "register_status": entry.status}
        if all(old[k] == v for k, v in new.items()):
            unchanged += 1
            seen_ids.append(old["id"])
        else:
            updates.append({f"b_{k}": v for k, v in new.items()}
                           | {"b_id": old["id"], "b_name_search": name_key(entry.name),
                              "b_now": now})

    written = not dry_run and (valid_only or not problems)
    if written:
        _write(session, inserts, updates, seen_ids, now, progress)
    forms = [e.legal_form for e in entries.values()]
    report = RegisterReport(
        filename=filename, dry_run=dry_run, written=written, rows_read=rows_read, taken=taken,
        associations=forms.count(LegalForm.ASSOCIATION.value),
        foundations=forms.count(LegalForm.FOUNDATION.value),
        other_forms=forms.count(LegalForm.OTHER.value), other_registers=other_registers,
        skipped_ended=skipped_ended, invalid=invalid, created=len(inserts),
        updated=len(updates), unchanged=unchanged,
        without_municipality=sum(e.municipality_id is None for e in entries.values()),
        problems=tuple(problems))
    if written:
        audit.record(session, actor, entity=ENTITY, entity_id=None, action=AuditAction.CREATE,
                     after={"file": filename, "valid_only": valid_only,
                            "include_ended": include_ended, **report.counts()})
        session.flush()
    return report


def _existing(session: Session, reg_nos: list[str]) -> dict[str, dict[str, Any]]:
    """The organisations already in the tracker with these numbers (one query per chunk)."""
    table = Organization.metadata.tables["organizations"]
    columns = [table.c[name] for name in ("id", "reg_no", "name", "legal_form",
                                          "municipality_id", "registered_on", "terminated_on",
                                          "register_status")]
    found: dict[str, dict[str, Any]] = {}
    if len(reg_nos) > _FULL_SCAN_FROM:
        # A whole register against the table: one pass over eight columns beats dozens of
        # IN lists (PostgreSQL took over a second for each on a freshly loaded table).
        wanted = set(reg_nos)
        for row in session.execute(select(*columns)):
            if row.reg_no in wanted:
                found[row.reg_no] = dict(row._mapping)
        return found
    for start in range(0, len(reg_nos), _LOOKUP_CHUNK):
        chunk = reg_nos[start:start + _LOOKUP_CHUNK]
        for row in session.execute(select(*columns).where(table.c.reg_no.in_(chunk))):
            found[row.reg_no] = dict(row._mapping)
    return found


def _write(session: Session, inserts: list[dict[str, Any]], updates: list[dict[str, Any]],
           seen_ids: list[int], now: dt.datetime, progress: Progress | None) -> None:
    """Core executemany in the caller's transaction: inserts, then updates (version + 1)."""
    table = Organization.metadata.tables["organizations"]
    change = update(table).where(table.c.id == bindparam("b_id")).values(
        name=bindparam("b_name"), name_search=bindparam("b_name_search"),
        legal_form=bindparam("b_legal_form"), municipality_id=bindparam("b_municipality_id"),
        registered_on=bindparam("b_registered_on"), terminated_on=bindparam("b_terminated_on"),
        register_status=bindparam("b_register_status"), register_synced_at=bindparam("b_now"),
        updated_at=bindparam("b_now"), version=table.c.version + 1)
    total, done = len(inserts) + len(updates), 0
    for batch, statement in ((inserts, insert(table)), (updates, change)):
        for start in range(0, len(batch), _WRITE_CHUNK):
            chunk = batch[start:start + _WRITE_CHUNK]
            session.execute(statement, chunk)
            done += len(chunk)
            if progress is not None:
                progress("write", done, total)
    # Seen in the register again, nothing changed: only the date of the check moves.
    for start in range(0, len(seen_ids), _LOOKUP_CHUNK):
        session.execute(update(table).where(table.c.id.in_(seen_ids[start:start + _LOOKUP_CHUNK]))
                        .values(register_synced_at=now))
    if progress is not None:
        progress("write", total, total)
