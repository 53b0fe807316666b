"""Catalogue: texts of the admin pages."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
}
