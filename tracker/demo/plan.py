"""The demo's plan: how much of everything, for the demo data set and the national benchmark,
as of the day before "today"."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from db.enums import ActivityType, CapacityArea
from tracker.errors import TrackerError
from tracker.i18n import DEFAULT_LANGUAGE, normalise_language

# The demo is a snapshot of the programme as of the day before "today" (a parameter, so that
# a given date always gives the same data); after the programme it holds the whole programme.
DATA_START = dt.date(2025, 1, 15)
PROGRAMME_END = dt.date(2026, 12, 31)
PLANNED_UNTIL = dt.date(2026, 6, 30)  # the demo plan's counts are for data up to this day
DEMO_PASSWORD = "demo"
REG_NO_PREFIX = "40008"  # tests use 50008, so their numbers never clash with the demo's

SCALES = ("demo", "national")

A = CapacityArea
T = ActivityType


class DemoDataRefused(TrackerError):
    """The database cannot take demo data: not initialised, or already holding data."""

    code = "demo_refused"

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        # Not in the i18n catalogue: only the command line shows it, with both texts at hand.
        return str(self.params[normalise_language(lang)])


@dataclass(frozen=True)
class DemoSummary:
    """Rows the generator inserted, and what to tell the person who ran it."""

    scale: str
    seed: int
    organizations: int
    cohorts: int
    enrollments: int
    activities: int
    participations: int
    assessments: int
    milestones: int
    users: int
    indicator_entries: int = 0
    people: int = 0
    attendances: int = 0
    documents: int = 0
    opinions: int = 0
    accounts: tuple[tuple[str, str], ...] = ()  # (e-mail, role) of the demo accounts

    def describe(self) -> str:
        """A few lines for the terminal: the counts and, for the demo, how to sign in."""
        lines = [
            f"Demo data loaded (scale {self.scale}, seed {self.seed}):",
            f"  {self.organizations:,} organisations, {self.cohorts:,} cohorts, "
            f"{self.enrollments:,} enrolments",
            f"  {self.activities:,} activities, {self.participations:,} participations",
            f"  {self.assessments:,} assessments, {self.milestones:,} milestones, "
            f"{self.indicator_entries:,} indicator entries, {self.users:,} accounts",
            f"  {self.people:,} people, {self.attendances:,} named attendances",
            f"  {self.documents:,} documents monitored, {self.opinions:,} opinions",
        ]
        if self.scale == "demo" and self.accounts:
            lines.append(f"Demo accounts (password \"{DEMO_PASSWORD}\"):")
            width = max(len(email) for email, _ in self.accounts)
            lines.extend(f"  {email:<{width}}  {role}" for email, role in self.accounts)
        return "\n".join(lines)


# The plan: how much of everything -----------------------------------------------------------

@dataclass(frozen=True)
class Cycle:
    """One cycle (cohort) per incubator; counts are per incubator, cycled if there are more."""

    number: int
    start: dt.date
    end: dt.date
    seats: int
    kept: tuple[int, ...]  # graduated if the cycle has ended by as_of, else still admitted
    withdrawn: tuple[int, int]
    rejected: tuple[int, int]
    waiting: tuple[int, int]  # applications still undecided (only in a running cycle)


@dataclass(frozen=True)
class Plan:
    scale: str
    organizations: int
    riga_share: float  # share of organisations in the Rīga region, which has no incubator
    cycles: tuple[Cycle, ...]
    activities: int
    participations: int | None  # exact total, or None to let every activity draw its own
    milestones: int
    reg_no_gap: int  # up to this many registration numbers are skipped between two
    chunk: int = 20_000  # rows per INSERT batch
    activity_chunk: int = 10_000  # activities generated and inserted at a time
    # People (tracker.demo.people): how readily activities get their attendees named (a
    # share, weighted by type there), people an organisation names beyond its drawn roster,
    # and the totals to stop at (None: no cap).
    named: float = 0.2
    roster_bonus: float = 0.0
    people: int | None = None
    attendances: int | None = None
    # The civic-dialogue register (tracker.demo.dialogue): documents monitored and opinions.
    documents: int = 0
    opinions: int = 0


def demo_plan(seed: int, as_of: dt.date) -> Plan:
    rng = random.Random(f"{seed}:plan")
    # The same pace of work whatever the date: counts grow with the days covered.
    share = (as_of - DATA_START).days / (PLANNED_UNTIL - DATA_START).days
    # Public facts: cycle 1 graduated 52 (13 × 4), cycle 2 admitted 58.
    second = tuple(rng.sample((14, 14, 15, 15), 4))
    activities = max(1, round(rng.randint(2_000, 2_400) * share))
    # Opinions were milestones once, 45 % of them: the same number, the rest other kinds.
    achievements = round(rng.randint(220, 260) * share)
    opinions = round(achievements * 0.45)
    # Documents monitored: near the programme's 2,500 by its end, as the figures typed in
    # by hand each quarter before the register were.
    documents = round(rng.randint(1_850, 1_950) * share)
    return Plan(
        scale="demo", organizations=300, riga_share=0.16,
        cycles=(
            Cycle(1, dt.date(2025, 2, 1), dt.date(2025, 12, 15), 15, (13,), (1, 2), (1, 3),
                   (0, 0)),
            Cycle(2, dt.date(2026, 1, 15), dt.date(2026, 11, 30), 15, second, (0, 0), (1, 3),
                   (0, 2)),
        ),
        activities=activities, participations=None, milestones=achievements - opinions,
        reg_no_gap=30, chunk=5_000, activity_chunk=1_000, documents=documents,
        opinions=opinions)


NATIONAL_PLAN = Plan(
    scale="national", organizations=24_000, riga_share=0.36,
    cycles=(
        Cycle(1, dt.date(2025, 2, 1), dt.date(2025, 8, 29), 140, (120,), (5, 10), (10, 20),
               (0, 0)),
        Cycle(2, dt.date(2025, 5, 5), dt.date(2025, 12, 12), 140, (120,), (5, 10), (10, 20),
               (0, 0)),
        Cycle(3, dt.date(2025, 9, 1), dt.date(2026, 3, 31), 140, (120,), (5, 10), (10, 20),
               (0, 0)),
        Cycle(4, dt.date(2026, 1, 15), dt.date(2026, 9, 30), 140, (120,), (3, 8), (10, 20),
               (0, 0)),
        Cycle(5, dt.date(2026, 4, 1), dt.date(2026, 11, 30), 140, (120,), (1, 4), (10, 20),
               (2, 6)),
    ),
    activities=200_000, participations=1_000_000, milestones=20_000, reg_no_gap=2,
    named=0.575, roster_bonus=2.6, people=60_000, attendances=600_000, documents=30_000,
    opinions=20_000)
