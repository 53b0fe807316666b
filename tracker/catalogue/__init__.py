"""The one catalogue of user-facing text, kept in a few files by subject and merged here."""

from __future__ import annotations

import importlib

# Each module holds TEXTS: key -> (Latvian, English).
PARTS = ("core", "activities", "organizations", "admin", "forecast", "regions", "journeys",
         "exports", "imports", "register", "review", "attachments",
         "review_pages", "audit", "people", "people_pages", "trained", "esf", "dialogue",
         "dialogue_stats", "dialogue_pages", "dialogue_imports")


def merged_catalogue() -> dict[str, tuple[str, str]]:
    """All parts in one dictionary; a key defined twice is an error, not an overwrite."""
    merged: dict[str, tuple[str, str]] = {}
    for part in PARTS:
        texts: dict[str, tuple[str, str]] = importlib.import_module(
            f"tracker.catalogue.{part}").TEXTS
        clash = merged.keys() & texts.keys()
        if clash:
            raise ValueError(f"catalogue keys defined twice: {sorted(clash)}")
        merged.update(texts)
    return merged
