"""Dashboard numbers are cached per data version: reruns reuse them, any write shows at once,
also a write made by another process (another server, the command line)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from db.enums import Role
from tests.dashboards.conftest import page, sign_in
from tracker.analytics import Filters, overview, progress

ROOT = Path(__file__).resolve().parents[2]
WRITER = """
from tracker.auth import Actor
from tracker.database import session_scope
from tracker.schemas import ActivityCreate
from tracker.services import activities, reference

with session_scope() as session:
    incubator = reference.list_incubators(session, actor=Actor.system())[0]
    activities.log_activity(session, actor=Actor.system(), data=ActivityCreate(
        incubator_id=incubator.id, type="consultation", title="Konsultācija no cita procesa",
        activity_date="2025-05-05", hours="1", total_participants=1,
        capacity_areas=["finance"]))
"""


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts how often the overview's indicator query really runs."""
    calls: list[int] = []
    original: Callable[..., Any] = progress.indicator_progress
    # The overview names the original function (bound when its module was imported, which
    # this module's import makes sure happens first); the cache looks it up by module and
    # name when it runs, and so finds the counting one.
    assert overview.overview_calls(Filters(), 2025)["indicators"][0] is original

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(progress, "indicator_progress", counting)
    return calls


def test_a_rerun_reuses_the_numbers_and_a_write_elsewhere_shows_at_once(
        app_db: str, counted: list[int]) -> None:
    at = sign_in(Role.MANAGER)
    at.switch_page(page("overview.py")).run()
    assert not at.exception, at.exception
    assert "aktivitāšu nav" in at.info[-1].value
    runs = len(counted)
    assert runs >= 1
    at.run()
    assert len(counted) == runs  # nothing changed: served from the cache

    env = {**os.environ, "TRACKER_DATABASE_URL": app_db}
    subprocess.run([sys.executable, "-c", WRITER], cwd=ROOT, env=env, check=True, timeout=60)

    at.run()
    assert not at.exception, at.exception
    assert len(counted) == runs + 1  # the other process's write reached this one
    assert len(at.get("plotly_chart")) == 4  # the activity is on the charts and the map now
