"""The spreadsheet kinds: their columns (English and Latvian headings), how a heading in a
file is recognised, and the templates users download.

A column's help text lives in the catalogue (tracker/catalogue/imports.py) under
`import.col.<kind>.<name>`, or `import.col.<name>` when it means the same in every kind.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from tracker.exports import Table, new_workbook, to_csv
from tracker.i18n import CATALOGUE, t

# In dependency order: a kind refers only to kinds before it (`import all` loads them so).
KINDS: tuple[str, ...] = ("organizations", "cohorts", "enrollments", "activities",
                          "participations", "assessments", "milestones", "indicator_entries")
FORMATS: tuple[str, ...] = ("csv", "xlsx")
LIST_SEPARATOR = "; "  # how exported lists are joined; `;` and `|` both separate on import
AREA_COLUMNS: tuple[str, ...] = ("governance", "strategy", "finance", "people", "delivery",
                                 "communication", "advocacy")


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a kind: its English heading (`name`), its Latvian heading, whether every
    file must have it, what it means and an example value."""

    name: str
    name_lv: str
    required: bool
    help_lv: str
    help_en: str
    example: str

    def heading(self, lang: str) -> str:
        return self.name_lv if lang == "lv" else self.name


# (English heading, Latvian heading, required, example)
_COLUMNS: dict[str, tuple[tuple[str, str, bool, str], ...]] = {
    "organizations": (
        ("reg_no", "Reģistrācijas numurs", True, "40008000009"),
        ("name", "Nosaukums", True, "Biedrība „Zaļā Vidzeme”"),
        ("legal_form", "Juridiskā forma", False, "association"),
        ("municipality_atvk", "Pašvaldības ATVK kods", False, "0054000"),
        ("fields_of_activity", "Darbības jomas", False, "vide; izglītība"),
        ("founded_on", "Dibināšanas datums", False, "2012-05-14"),
        ("members", "Biedri", False, "25"),
        ("volunteers", "Brīvprātīgie", False, "10"),
        ("employees", "Darbinieki", False, "2"),
        ("contact_name", "Kontaktpersona", False, "Anna Bērziņa"),
        ("contact_email", "Kontaktpersonas e-pasts", False, "anna@example.lv"),
        ("contact_phone", "Kontaktpersonas tālrunis", False, "+371 20000000"),
    ),
    "cohorts": (
        ("cohort", "Cikls", True, "VIDZEME-2"),
        ("name", "Nosaukums", True, "2. cikls"),
        ("start_date", "Sākuma datums", True, "2026-01-05"),
        ("end_date", "Beigu datums", True, "2026-12-18"),
        ("seats", "Vietas", False, "15"),
    ),
    "enrollments": (
        ("cohort", "Cikls", True, "VIDZEME-2"),
        ("reg_no", "Reģistrācijas numurs", True, "40008000009"),
        ("status", "Statuss", False, "admitted"),
        ("applied_on", "Pieteikšanās datums", True, "2025-11-10"),
        ("admitted_on", "Uzņemšanas datums", False, "2025-12-15"),
        ("graduated_on", "Absolvēšanas datums", False, ""),
        ("closed_on", "Atteikuma vai izstāšanās datums", False, ""),
        ("note", "Piezīme", False, "Uzņemta konkursā"),
    ),
    "activities": (
        ("ref", "Atsauce", True, "VID-2025-001"),
        ("incubator", "Inkubators", True, "VIDZEME"),
        ("type", "Veids", True, "training"),
        ("title", "Nosaukums", True, "Finanšu vadības apmācība"),
        ("date", "Datums", True, "2025-03-14"),
        ("hours", "Stundas", True, "2,5"),
        ("format", "Formāts", False, "in_person"),
        ("municipality_atvk", "Pašvaldības ATVK kods", False, "0054000"),
        ("capacity_areas", "Kapacitātes jomas", False, "finance; strategy"),
        ("total_participants", "Dalībnieku skaits kopā", True, "12"),
        ("next_steps", "Nākamie soļi", False, "Individuālas konsultācijas"),
        ("status", "Statuss", False, "submitted"),
        ("cohort", "Cikls", False, "VIDZEME-1"),
    ),
    "participations": (
        ("activity_ref", "Aktivitātes atsauce", True, "VID-2025-001"),
        ("incubator", "Inkubators", True, "VIDZEME"),
        ("reg_no", "Reģistrācijas numurs", True, "40008000009"),
        ("attendees", "Apmeklētāji", True, "3"),
    ),
    "assessments": (
        ("reg_no", "Reģistrācijas numurs", True, "40008000009"),
        ("cohort", "Cikls", False, "VIDZEME-1"),
        ("kind", "Veids", True, "intake"),
        ("assessed_on", "Novērtējuma datums", True, "14.03.2025"),
        ("governance", "Pārvaldība", True, "2"),
        ("strategy", "Stratēģija", True, "1"),
        ("finance", "Finanses", True, "2"),
        ("people", "Cilvēkresursi", True, "3"),
        ("delivery", "Programmu īstenošana", True, "2"),
        ("communication", "Komunikācija", True, "2"),
        ("advocacy", "Interešu aizstāvība", True, "1"),
        ("notes", "Piezīmes", False, "Sākuma novērtējums"),
    ),
    "milestones": (
        ("reg_no", "Reģistrācijas numurs", True, "40008000009"),
        ("incubator", "Inkubators", False, "VIDZEME"),
        ("kind", "Veids", True, "grant_awarded"),
        ("achieved_on", "Sasniegšanas datums", True, "2025-06-30"),
        ("amount_eur", "Summa, EUR", False, "5000,00"),
        ("reference", "Atsauce", False, "LAD 2025/17"),
        ("description", "Apraksts", False, "Projekts jauniešu brīvprātīgajam darbam"),
    ),
    "indicator_entries": (
        ("indicator", "Rādītājs", True, "DOCS_MONITORED"),
        ("incubator", "Inkubators", False, "VIDZEME"),
        ("date", "Datums", True, "2025-03-31"),
        ("value", "Vērtība", True, "42"),
        ("note", "Piezīme", False, "1. ceturksnis"),
    ),
}


def _help(kind: str, name: str, lang: str) -> str:
    key = f"import.col.{kind}.{name}"
    return t(key if key in CATALOGUE else f"import.col.{name}", lang)


def check_kind(kind: str) -> str:
    """The kind, or ValueError for one that does not exist (a programming error)."""
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r} (one of {', '.join(KINDS)})")
    return kind


def columns(kind: str) -> list[ColumnSpec]:
    """The columns of `kind` in the order files, templates and exports have them."""
    return [ColumnSpec(name=name, name_lv=name_lv, required=required,
                       help_lv=_help(kind, name, "lv"), help_en=_help(kind, name, "en"),
                       example=example)
            for name, name_lv, required, example in _COLUMNS[check_kind(kind)]]


def heading_key(text: str) -> str:
    """A heading as compared: case, spaces, underscores, hyphens and a trailing * ignored."""
    return " ".join(re.sub(r"[_\-\s]+", " ", text.strip().rstrip("*").casefold()).split())


def heading_index(kind: str) -> dict[str, str]:
    """Every accepted heading of `kind` (English and Latvian, compared by heading_key) -> the
    column's English name."""
    index: dict[str, str] = {}
    for name, name_lv, _required, _example in _COLUMNS[check_kind(kind)]:
        index[heading_key(name)] = name
        index[heading_key(name_lv)] = name
    return index


def title(kind: str, lang: str) -> str:
    return t(f"import.kind.{check_kind(kind)}", lang)


def template(kind: str, fmt: str, lang: str) -> bytes:
    """A file with the headings (Latvian for lang="lv", else English) and one example row.

    CSV is UTF-8 with a byte-order mark (Excel shows Latvian letters right); in the Excel
    template the headings are the first row, as the importer expects.
    """
    specs = columns(kind)
    headings = [c.heading(lang) for c in specs]
    example = [c.example for c in specs]
    if fmt == "csv":
        return to_csv(Table(title(kind, lang), headings, [example]))
    if fmt != "xlsx":
        raise ValueError(f"unknown format {fmt!r} (csv or xlsx)")
    buffer = io.BytesIO()
    workbook = new_workbook(buffer)
    sheet = workbook.add_worksheet(title(kind, lang)[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
    text_format = workbook.add_format({"num_format": "@"})  # typed numbers stay text
    for col, (heading, value, spec) in enumerate(zip(headings, example, specs, strict=True)):
        sheet.write_string(0, col, heading, bold)
        sheet.write_string(1, col, value)
        sheet.write_comment(0, col, spec.help_lv if lang == "lv" else spec.help_en)
        sheet.set_column(col, col, max(len(heading), len(value)) + 4, text_format)
    workbook.close()
    return buffer.getvalue()
