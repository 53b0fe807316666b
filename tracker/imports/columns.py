"""The kinds' columns as users meet them: English and Latvian headings, help text, how a
heading in a file is recognised, and the templates users download. Each kind's own columns
are in its module (tracker/imports/kinds/).

A column's help text lives in the catalogue (tracker/catalogue/imports.py) under
`import.col.<kind>.<name>`, or `import.col.<name>` when it means the same in every kind.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from tracker.exports import Table, new_workbook, to_csv
from tracker.i18n import CATALOGUE, t
from tracker.imports.kinds import KINDS, REGISTRY

FORMATS: tuple[str, ...] = ("csv", "xlsx")


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
            for name, name_lv, required, example in REGISTRY[check_kind(kind)].handler.columns]


def heading_key(text: str) -> str:
    """A heading as compared: case, spaces, underscores, hyphens and a trailing * ignored."""
    return " ".join(re.sub(r"[_\-\s]+", " ", text.strip().rstrip("*").casefold()).split())


def heading_index(kind: str) -> dict[str, str]:
    """Every accepted heading of `kind` (English and Latvian, compared by heading_key) -> the
    column's English name."""
    index: dict[str, str] = {}
    for name, name_lv, _required, _example in REGISTRY[check_kind(kind)].handler.columns:
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
