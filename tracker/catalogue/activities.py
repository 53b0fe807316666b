"""Catalogue: texts of the activities pages."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
}
