"""Is the database reachable and at this code's schema? Asked by the app before any page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from db.migrate import current_revision, head_revision
from tracker.database import get_engine
from tracker.i18n import t


@dataclass(frozen=True)
class DatabaseStatus:
    ok: bool
    message_key: str  # catalogue key of what to tell the user
    detail: str = ""

    def message(self, lang: str) -> str:
        return t(self.message_key, lang) + (f" ({self.detail})" if self.detail else "")


def check_database(url: str | None = None) -> DatabaseStatus:
    """OK, or why not: unreachable, empty, or behind this version's schema."""
    try:
        current = current_revision(get_engine(url))
    except SQLAlchemyError as exc:
        first_line = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return DatabaseStatus(False, "app.unreachable", first_line[:200])
    if current is None:
        return DatabaseStatus(False, "app.not_initialised")
    if current != head_revision():
        return DatabaseStatus(False, "app.schema_behind", f"{current} → {head_revision()}")
    return DatabaseStatus(True, "app.database")
