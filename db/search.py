"""Search keys: text folded so that `udensrozu`, `ŪDENSROŽU` and `Ūdensrožu` all match."""

from __future__ import annotations

import unicodedata

NAME_KEY_MAX = 300  # organizations.name_search is VARCHAR(300), like the name


def search_key(text: str) -> str:
    """Case-folded, without diacritics, single-spaced (the same on SQLite and PostgreSQL).

    Control characters separate words like spaces (PostgreSQL refuses NUL in any text)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(" " if unicodedata.category(c) == "Cc" else c
                    for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


def name_key(name: str) -> str:
    """The stored search key of a name: folding can lengthen it (¼ → 1⁄4, ß → ss, ﬁ → fi),
    the column holds NAME_KEY_MAX characters."""
    return search_key(name)[:NAME_KEY_MAX]
