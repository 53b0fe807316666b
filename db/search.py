"""Search keys: text folded so that `udensrozu`, `ŪDENSROŽU` and `Ūdensrožu` all match."""

from __future__ import annotations

import unicodedata


def search_key(text: str) -> str:
    """Case-folded, without diacritics, single-spaced (the same on SQLite and PostgreSQL)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())
