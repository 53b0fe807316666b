"""Cells in and out: the conversions every kind shares (codes and labels, lists, ATVK codes,
the apostrophe that keeps a formula from running), set-based lookups, and validation remembered
per distinct value."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from enum import StrEnum
from types import SimpleNamespace
from typing import Annotated, Any, TypeVar, cast

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Date,
    DateTime,
    Numeric,
    String,
    any_,
    bindparam,
    func,
    select,
)
from sqlalchemy.orm import QueryableAttribute

from db.search import search_key
from tracker.i18n import label

BATCH = 5_000  # rows per executemany, ids per IN (...) list
_LIST_SPLIT = re.compile(r"[;|]")
# exports.neutralise puts an apostrophe before text a spreadsheet could run as a formula;
# records add one more before text that already starts with apostrophes and such a character,
# so taking one apostrophe off such text gives back exactly what was exported.
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")
_NEEDS_ESCAPE = re.compile(r"^'*[=+\-@\t\r]")

E = TypeVar("E", bound=StrEnum)
M = TypeVar("M", bound=BaseModel)
LIST_SEPARATOR = "; "  # how exported lists are joined; `;` and `|` both separate on import


def unescape(text: str) -> str:
    """A cell as it was before export neutralised it (one apostrophe off, see above)."""
    return text[1:] if _ESCAPED.match(text) else text


def escape(text: str) -> str:
    """Text as exported: never read as a formula, and unescape() gives it back exactly."""
    return "'" + text if _NEEDS_ESCAPE.match(text) else text


def one_of(column: ColumnElement[Any] | QueryableAttribute[Any], values: Iterable[Any],
           dialect: str) -> ColumnElement[bool]:
    """`column IN values` as one statement with one parameter however many values there are:
    a JSON array unpacked by json_each on SQLite, an array compared with ANY on PostgreSQL (an
    expanding IN list would be compiled value by value, and split in chunks)."""
    listed = list(values)
    if isinstance(column, QueryableAttribute):
        column = column.expression
    if dialect == "sqlite":
        table = func.json_each(bindparam(None, json.dumps(listed), type_=String)) \
            .table_valued("value")
        return column.in_(select(table.c.value))
    if dialect == "postgresql":
        return column == any_(bindparam(None, listed, type_=ARRAY(column.type)))
    return column.in_(listed)  # pragma: no cover - the two supported databases are above


def chunks(values: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


_ENUM_LOOKUPS: dict[type[StrEnum], dict[str, str]] = {}


def enum_value(enum: type[E], text: str) -> str:
    """The stored code for a code, a Latvian or an English label (case and diacritics
    ignored); anything else comes back as it is, for the schema to refuse by name."""
    lookup = _ENUM_LOOKUPS.get(enum)
    if lookup is not None and text in lookup:
        return lookup[text]
    if lookup is None:
        lookup = {}
        for member in enum:
            for name in (member.value, label(member, "lv"), label(member, "en")):
                lookup.setdefault(search_key(name), member.value)
        _ENUM_LOOKUPS[enum] = lookup
    return lookup.get(search_key(text), text)


def split_list(text: str) -> list[str]:
    return [part.strip() for part in _LIST_SPLIT.split(text) if part.strip()]


def atvk(text: str) -> str:
    """An ATVK code; Excel drops leading zeros of a number typed as 54000."""
    return text.zfill(7) if text.isdigit() and 4 <= len(text) < 7 else text


_INVALID = object()
_REPEATING = (Date, DateTime, Numeric)  # column types whose bound values are memoised


class FieldCache:
    """A schema's validation one field at a time, remembered per distinct value.

    A file of 100,000 activities has a few hundred distinct dates, hours, types and places:
    validating each once and the free text (titles, references) on its own with the field's
    type is several times faster than the whole schema per row. It holds because these
    schemas check each field on its own (no model validators; `participations`, whose
    validator reads other fields, is never in an import payload). Whenever anything is
    unusual or a value is refused, `validate` returns None and the caller validates the row
    with the whole schema, so every problem is reported exactly as the form reports it.
    """

    def __init__(self, model: type[M], base: dict[str, Any], free: Iterable[str] = ()) -> None:
        self.model: type[BaseModel] = model
        self.base = base  # a valid payload of the required fields
        fields = model.model_fields
        config = ConfigDict(str_strip_whitespace=bool(
            model.model_config.get("str_strip_whitespace")))
        # free text: unique per row, so checked with the field's own type (no class
        # validators may apply to such a field)
        self.free: dict[str, TypeAdapter[Any]] = {
            name: TypeAdapter(cast(Any, Annotated[fields[name].annotation,
                                                  *fields[name].metadata]
                                        if fields[name].metadata else fields[name].annotation),
                              config=config)
            for name in free}
        defaults = model.model_validate(base)
        self.defaults = {name: getattr(defaults, name) for name in fields if name not in base}
        self.cache: dict[tuple[str, Any], Any] = {}
        self.whole: dict[tuple[Any, ...], Any] = {}

    def validate(self, payload: dict[str, Any]) -> BaseModel | None:
        if not self.free:  # a few fields of few values: remember whole payloads
            try:
                key = tuple(payload.items())
                known = self.whole.get(key, _INVALID)
            except TypeError:
                return self._validate(payload)
            if known is _INVALID:
                known = self.whole[key] = self._validate(payload)
            return cast(BaseModel | None, known)
        return self._validate(payload)

    def _validate(self, payload: dict[str, Any]) -> BaseModel | None:
        values = dict(self.defaults)
        for name, value in payload.items():
            adapter = self.free.get(name)
            if adapter is not None:
                if not isinstance(value, str) or not value.strip():
                    return None
                try:
                    values[name] = adapter.validate_python(value)
                except ValidationError:
                    return None
                continue
            key = (name, tuple(value) if isinstance(value, list) else value)
            try:
                found = self.cache.get(key, None)
            except TypeError:  # pragma: no cover - an unhashable value
                return None
            if found is None:
                if name not in self.model.model_fields:
                    return None
                try:
                    found = getattr(self.model.model_validate(self.base | {name: value}), name)
                except ValidationError:
                    found = _INVALID
                self.cache[key] = found
            if found is _INVALID:
                return None
            values[name] = found
        for name in self.base:
            if name not in payload:
                return None  # a required field missing: the schema names it
        return SimpleNamespace(**values)  # type: ignore[return-value]  # read like the model



def export_text(value: str | None) -> str | None:
    """Text as exported: never read as a formula, and unescape() gives it back exactly."""
    return None if value is None else escape(value)


def enum_text(enum: type[E], value: str, lang: str) -> str:
    """The code in English files, the Latvian label in Latvian ones (the import takes both)."""
    return label(enum(value), "lv") if lang == "lv" else value
