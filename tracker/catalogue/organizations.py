"""Catalogue: texts of the organizations pages."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
}
