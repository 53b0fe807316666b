"""The catalogue: both languages for every key, every enum value labelled, Latvian formats."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

import pytest

from db import enums
from tracker.i18n import CATALOGUE, ENUM_KEYS, format_date, format_number, label, t


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_key_has_both_languages_and_the_same_parameters(key: str) -> None:
    lv, en = CATALOGUE[key]
    assert lv.strip() and en.strip()
    assert set(re.findall(r"{(\w+)}", lv)) == set(re.findall(r"{(\w+)}", en))


@pytest.mark.parametrize("enum_name", sorted(ENUM_KEYS))
def test_every_enum_value_has_a_label(enum_name: str) -> None:
    enum: type[StrEnum] = getattr(enums, enum_name)
    for member in enum:
        assert label(member, "lv") and label(member, "en")


def test_missing_key_fails_loudly() -> None:
    with pytest.raises(KeyError):
        t("no.such.key", "lv")


def test_latvian_formats() -> None:
    assert format_date(dt.date(2025, 3, 4), "lv") == "04.03.2025"
    assert format_date(dt.date(2025, 3, 4), "en") == "4 Mar 2025"
    assert format_number(1234567, "lv") == "1\xa0234\xa0567"
    assert format_number(1234.5, "en", 1) == "1,234.5"
    assert label(enums.ActivityType.THINK_TANK, "lv") == "domnīca"


def test_latvian_alphabetical_order() -> None:
    from tracker.i18n import latvian_sort_key

    names = ["Žīguri", "zaķi", "Čiekuri", "Cēsis", "ābele", "Ādaži", "azote", "Ērgļi", "Ķekava",
             "kalns", "„Ozols”", "Šķēde", "Sala", "Ūdri", "Uguns"]
    assert sorted(names, key=latvian_sort_key) == [
        "azote", "ābele", "Ādaži", "Cēsis", "Čiekuri", "Ērgļi", "kalns", "Ķekava", "„Ozols”",
        "Sala", "Šķēde", "Uguns", "Ūdri", "zaķi", "Žīguri"]


def test_every_key_the_pages_use_exists() -> None:
    """A page asking for a text that is not in the catalogue (in both languages) fails here."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "dashboards"
    used: set[str] = set()
    for path in root.rglob("*.py"):
        used |= set(re.findall(r"""\btr\(\s*["']([a-z0-9_.]+)["']""", path.read_text()))
    assert used, "no tr() calls found: the scan is broken"
    missing = sorted(k for k in used if k not in CATALOGUE)
    assert missing == []
