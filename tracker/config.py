"""The one settings object: everything configurable comes from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "tracker.db"


@dataclass(frozen=True)
class Settings:
    database_url: str
    # TRACKER_LANGUAGE: messages of the command line (the app follows the user's choice).
    language: str | None = None
    # TRACKER_ATTACHMENTS_DIR: keep the evidence files in this folder (under their SHA-256)
    # instead of in the database; unset keeps them in the database.
    attachments_dir: Path | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def get_settings() -> Settings:
    """Read the settings from the environment (TRACKER_DATABASE_URL, TRACKER_LANGUAGE,
    TRACKER_ATTACHMENTS_DIR); read anew on every call, never cached."""
    url = os.environ.get("TRACKER_DATABASE_URL", "").strip()
    if not url:
        url = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    language = os.environ.get("TRACKER_LANGUAGE", "").strip().lower()
    folder = os.environ.get("TRACKER_ATTACHMENTS_DIR", "").strip()
    return Settings(database_url=url, language=language if language in ("lv", "en") else None,
                    attachments_dir=Path(folder).expanduser() if folder else None)
