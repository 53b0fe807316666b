"""Deterministic demo data for `tracker demo`: a believable programme, or the national benchmark.

The package along its seams: plan.py (how much), words.py (the invented names and titles),
tables.py (the database side), generator.py (everything but activities), stream.py (the
activities and participations), people.py (the participants and their attendance),
dialogue.py and dialogue_words.py (the civic-dialogue register: documents and opinions);
this module runs them."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from sqlalchemy import Engine
from tqdm import tqdm

from db import data_version
from tracker.analytics import rollups
from tracker.auth import hash_password
from tracker.demo.generator import Generator
from tracker.demo.plan import (
    DATA_START,
    DEMO_PASSWORD,
    NATIONAL_PLAN,
    PROGRAMME_END,
    REG_NO_PREFIX,
    SCALES,
    DemoDataRefused,
    DemoSummary,
    Plan,
    demo_plan,
)
from tracker.demo.tables import analyze, check_empty, load_reference, reset_sequences
from tracker.demo.words import ACCOUNTS

__all__ = ["DEMO_PASSWORD", "REG_NO_PREFIX", "SCALES", "DemoDataRefused", "DemoSummary",
           "generate", "last_day"]


# Entry point ---------------------------------------------------------------------------------

def generate(engine: Engine, *, seed: int = 2025, scale: str = "demo",
             progress: bool = True, today: dt.date | None = None) -> DemoSummary:
    """Fill an empty, initialised database with deterministic data; all of it or nothing.

    The data runs up to the day before `today` (default: today), the same for the same seed
    and date; after the programme's end, it covers the whole programme.
    """
    as_of = last_day(today)
    if scale == "demo":
        plan = demo_plan(seed, as_of)
    elif scale == "national":
        plan = NATIONAL_PLAN
    else:
        raise ValueError(f"unknown scale {scale!r}; use one of {', '.join(SCALES)}")
    return _generate(engine, seed=seed, plan=plan, progress=progress, today=today)


def last_day(today: dt.date | None = None) -> dt.date:
    """The last day the demo covers: the day before `today`, at most the programme's end."""
    today = today or dt.date.today()  # noqa: DTZ011 - the calendar day the user sees
    if today <= DATA_START:
        raise DemoDataRefused(
            en=f"the demo data starts on {DATA_START:%d.%m.%Y}: give a later date than "
               f"{today:%d.%m.%Y}",
            lv=f"demonstrācijas dati sākas {DATA_START:%d.%m.%Y}: norādiet vēlāku datumu nekā "
               f"{today:%d.%m.%Y}")
    return min(today - dt.timedelta(days=1), PROGRAMME_END)


def _generate(engine: Engine, *, seed: int, plan: Plan, progress: bool,
              today: dt.date | None = None) -> DemoSummary:
    as_of = last_day(today)
    password_hash = hash_password(DEMO_PASSWORD)  # argon2 is slow on purpose: hash once
    steps = (1 + -(-plan.organizations // plan.chunk) + 6
             + -(-plan.activities // plan.activity_chunk))
    # A terminal gets a redrawn bar; a log (a pipe, a file) plain lines, never carriage returns.
    bar_cm: Any = (_Lines(steps) if progress and not sys.stderr.isatty() else
                   tqdm(total=steps, desc="demo data", unit="step", file=sys.stderr,
                        disable=not progress))
    with bar_cm as bar, engine.begin() as conn:
        ref = load_reference(conn)
        emails = [a[0] for a in ACCOUNTS] + [f"staff.{i.code.lower()}@demo.lv"
                                             for i in ref.incubators]
        check_empty(conn, emails)
        gen = Generator(conn, ref, plan, seed, password_hash, bar, as_of)
        # The rollups are counted once at the end rather than row by row (see rollups.bulk).
        with rollups.bulk(conn, plan.activities * 6):
            _run_steps(gen, bar)
            analyze(conn)  # before the recount the bulk write ends with
        reset_sequences(conn)
        data_version.bump(conn)  # Core inserts bypass the Session events
        bar.set_description("done")
    return gen.summary()


class _Lines:
    """The progress as plain lines: one a step, and one a tenth within a long step."""

    def __init__(self, total: int) -> None:
        self.total, self.done, self.shown, self.desc, self.updates = max(1, total), 0, -1, "", 0

    def __enter__(self) -> _Lines:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def set_description(self, desc: str) -> None:
        self.desc, self.updates = desc, 0
        self._say()

    def update(self, n: int = 1) -> None:
        self.done += n
        self.updates += 1  # the first update only ends a step: its line was said already
        if self.updates > 1 and self.done * 10 // self.total > self.shown:
            self._say()

    def _say(self) -> None:
        self.shown = self.done * 10 // self.total
        print(f"demo data: {self.desc} ({100 * self.done // self.total}%)", file=sys.stderr,
              flush=True)


def _run_steps(gen: Generator, bar: Any) -> None:
    for name, run in (("accounts", gen.users), ("organisations", gen.organizations),
                      ("cohorts and enrolments", gen.cohorts_and_enrolments),
                      ("assessments", gen.assessments), ("milestones", gen.milestones),
                      ("documents monitored and opinions", gen.dialogue),
                      ("targets", gen.targets),
                      ("activities, participations and attendance", gen.activities),
                      ("people who withdrew their consent", lambda: gen.people.withdrawals())):
        bar.set_description(name)
        run()
