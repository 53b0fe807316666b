"""The demo's generator: organisations, accounts, cycles, enrolments, assessments, milestones,
the civic-dialogue register (tracker.demo.dialogue) and targets, and the activities through
the stream."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select

from db.enums import AssessmentKind, EnrollmentStatus, LegalForm, MilestoneKind, Role
from db.models import Target
from tracker.demo.dialogue import Dialogue
from tracker.demo.draws import (
    contact_person,
    fields_of_activity,
    founded_on,
    growth,
    intake_scores,
    organisation_name,
    size_of,
)
from tracker.demo.people import People
from tracker.demo.plan import DATA_START, REG_NO_PREFIX, Cycle, DemoDataRefused, DemoSummary, Plan
from tracker.demo.stream import ActivityStream, day_weights, participant_counts
from tracker.demo.tables import (
    ACTIVITIES,
    ACTIVITY_AREAS,
    ASSESSMENT_SCORES,
    ASSESSMENTS,
    COHORTS,
    ENROLLMENTS,
    MILESTONES,
    ORGANIZATIONS,
    PARTICIPATIONS,
    USERS,
    Inc,
    Muni,
    Reference,
    between,
    can_copy,
    copy_rows,
    moment,
    span,
    weekday_between,
)
from tracker.demo.words import (
    ACCOUNTS,
    AREAS,
    CITY_WEIGHTS,
    FUNDERS,
    GRANT_AWARD_RATE,
    MAX_ORGS_PER_ACTIVITY,
    MILESTONE_WEIGHTS,
    PARTNERS,
    RELIGIOUS,
    SERVICES,
    STAFF_NAMES,
    THEME_WEIGHTS,
    THEMES,
    TYPE_WEIGHTS,
    TYPES,
    UNION,
    Theme,
)
from tracker.schemas import legal_entity_reg_nos
from tracker.services.assessments import capacity_index

# The generator -------------------------------------------------------------------------------

@dataclass
class Enrolment:
    id: int
    org: int
    cohort: int
    inc: int  # index into the reference incubators
    cycle: Cycle
    status: EnrollmentStatus
    applied: dt.date
    admitted: dt.date | None = None
    graduated: dt.date | None = None
    closed: dt.date | None = None

    def active_on(self, day: dt.date) -> bool:
        """Taking part in its cycle on `day` (admitted, not yet graduated or gone)."""
        if self.admitted is None or day < self.admitted:
            return False
        last = self.graduated or self.closed or self.cycle.end
        return day <= last


class Generator:
    """Draws and inserts the data step by step, keeping what later steps refer to."""

    def __init__(self, conn: Connection, ref: Reference, plan: Plan, seed: int,
                 password_hash: str, bar: Any, as_of: dt.date) -> None:
        self.conn, self.ref, self.plan, self.seed = conn, ref, plan, seed
        self.as_of = as_of  # the last day with data
        self.last_moment = dt.datetime.combine(as_of, dt.time(15), tzinfo=dt.UTC)
        self.password_hash = password_hash
        self.bar = bar
        self.counts: dict[str, int] = {}
        self.munis_by_id = {m.id: m for m in ref.municipalities}
        self.munis_by_atvk = {m.atvk: m for m in ref.municipalities}
        self.org_muni: list[int] = []  # municipality id, by organisation id - 1
        self.region_pool: dict[str, list[int]] = {}  # associations and foundations
        self.engagement: dict[str, list[float]] = {}  # cumulative weights over region_pool
        self.staff: list[int] = []  # user id per incubator index
        self.accounts: list[tuple[str, str]] = []
        self.cohorts: list[tuple[int, int, Cycle]] = []  # (id, incubator index, cycle)
        self.enrolments: list[Enrolment] = []
        self.known: list[list[int]] = [[] for _ in ref.incubators]  # orgs that applied

    # Every step draws from its own stream, so changing one step leaves the others as they are.
    def rng(self, step: str) -> random.Random:
        return random.Random(f"{self.seed}:{step}")

    def insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """Core executemany in batches (COPY on PostgreSQL where it gives the same rows)."""
        copy = bool(rows) and can_copy(self.conn, table, rows[0])
        for start in range(0, len(rows), self.plan.chunk):
            batch = rows[start:start + self.plan.chunk]
            if copy:
                copy_rows(self.conn, table, batch)
            else:
                self.conn.execute(insert(table), batch)
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)

    def step(self) -> None:
        self.bar.update(1)

    def next_id(self, table: Table) -> int:
        return int(self.conn.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) + 1

    # Accounts --------------------------------------------------------------------------------

    def users(self) -> None:
        created = dt.datetime(2025, 1, 13, 8, 0, tzinfo=dt.UTC)
        first = self.next_id(USERS)
        accounts = list(ACCOUNTS) + [
            (f"staff.{inc.code.lower()}@demo.lv", Role.STAFF, inc.code,
             STAFF_NAMES.get(inc.code, "Inkubatora darbinieks")) for inc in self.ref.incubators]
        by_code = {inc.code: inc.id for inc in self.ref.incubators}
        rows = []
        for offset, (email, role, code, name) in enumerate(accounts):
            rows.append({
                "id": first + offset, "email": email, "full_name": name, "role": role.value,
                "incubator_id": by_code[code] if code else None,
                "password_hash": self.password_hash, "external_subject": None,
                "is_active": True, "failed_logins": 0, "locked_until": None,
                "last_login_at": None, "language": "lv", "version": 1,
                "created_at": created, "updated_at": created})
            self.accounts.append((email, role.value))
            if code:
                self.staff.append(first + offset)
        self.insert(USERS, rows)
        self.step()

    # Organisations ---------------------------------------------------------------------------

    def organizations(self) -> None:
        rng = self.rng("organizations")
        plan = self.plan
        regions = sorted({m.region for m in self.ref.municipalities})
        incubator_regions = sorted({i.region for i in self.ref.incubators})
        other_share = (1 - plan.riga_share) / max(len(incubator_regions), 1)
        region_weights = [plan.riga_share if r == "RIGA" and r not in incubator_regions
                          else other_share if r in incubator_regions else 0.02
                          for r in regions]
        munis_of: dict[str, tuple[list[Muni], list[float]]] = {}
        for region in regions:
            here = [m for m in self.ref.municipalities if m.region == region]
            today = {m.name for m in here if m.valid_on(self.as_of)}
            # Mostly today's municipalities; a few in ones that merged away (Varakļānu novads),
            # registered there long before the merger. An ended unit that lives on under its
            # own name (the old Madonas novads) is left out: its organisations moved with it.
            found = [m for m in here if m.valid_on(self.as_of) or m.name not in today]
            weights = [0.3 if not m.valid_on(self.as_of) else CITY_WEIGHTS.get(m.name, 1.5)
                       for m in found]
            munis_of[region] = (found, weights)

        names: set[str] = set()
        specs: list[tuple[dt.date, int, dict[str, Any]]] = []
        for index in range(plan.organizations):
            region = rng.choices(regions, region_weights)[0]
            found, weights = munis_of[region]
            muni = rng.choices(found, weights)[0]
            form = rng.choices((LegalForm.ASSOCIATION, LegalForm.FOUNDATION, LegalForm.OTHER),
                               (84, 12, 4))[0]
            theme = rng.choices(THEMES, THEME_WEIGHTS)[0]
            if form is LegalForm.OTHER:
                theme = RELIGIOUS if rng.random() < 0.7 else UNION
            name = self._unique_name(rng, names, form, theme, muni)
            founded = founded_on(rng, form)
            specs.append((founded, index, {
                "name": name, "legal_form": form.value, "municipality_id": muni.id,
                "fields_of_activity": fields_of_activity(rng, form, theme),
                "founded_on": founded, **size_of(rng, form), **contact_person(rng)}))
        # The register numbers in order of registration, so older organisations get lower ones.
        specs.sort(key=lambda spec: (spec[0], spec[1]))
        numbers = legal_entity_reg_nos(REG_NO_PREFIX)
        engaged = self.rng("engagement")
        created = dt.datetime(2025, 1, 14, 9, 0, tzinfo=dt.UTC)
        rows: list[dict[str, Any]] = []
        # The table is empty (checked), so ids start at 1 and index org_muni directly.
        for org_id, (_, _, row) in enumerate(specs, start=1):
            for _ in range(rng.randint(0, plan.reg_no_gap)):
                next(numbers)
            stamp = created + dt.timedelta(seconds=org_id)  # one import at the programme start
            row.update(id=org_id, reg_no=next(numbers), deleted_at=None, version=1,
                       created_at=stamp, updated_at=stamp)
            rows.append(row)
            muni = self.munis_by_id[row["municipality_id"]]
            self.org_muni.append(muni.id)
            if row["legal_form"] != LegalForm.OTHER.value:
                pool = self.region_pool.setdefault(muni.region, [])
                weights = self.engagement.setdefault(muni.region, [])
                pool.append(org_id)
                # Some organisations come to everything, most now and then, some once.
                keen = engaged.choice((0.15, 0.4, 1.0, 1.0, 2.0, 4.0))
                weights.append((weights[-1] if weights else 0.0) + keen)
            if len(rows) == plan.chunk:
                self.insert(ORGANIZATIONS, rows)
                rows = []
                self.step()
        if rows:
            self.insert(ORGANIZATIONS, rows)
            self.step()

    def _unique_name(self, rng: random.Random, taken: set[str], form: LegalForm,
                     theme: Theme, muni: Muni) -> str:
        name = ""
        for attempt in range(40):
            name = organisation_name(rng, form, theme, muni)
            if name not in taken:
                break
            if attempt % 8 == 7 and form is not LegalForm.OTHER:  # crowded: another theme
                theme = rng.choices(THEMES, THEME_WEIGHTS)[0]
        else:
            # Only the national scale gets here: the register allows a distinguishing suffix.
            base, number = name, 2
            while name in taken:
                name = f"{base[:-1]} {number}”" if base.endswith("”") else f"{base} {number}"
                number += 1
        taken.add(name)
        return name

    # Cohorts and enrolments ------------------------------------------------------------------

    def cohorts_and_enrolments(self) -> None:
        rng = self.rng("enrolments")
        cohort_rows: list[dict[str, Any]] = []
        rows: list[dict[str, Any]] = []
        cohort_id = self.next_id(COHORTS)
        enrolment_id = self.next_id(ENROLLMENTS)
        for inc_index, inc in enumerate(self.ref.incubators):
            queue = self._applicants(rng, inc)
            for cycle in self.plan.cycles:
                if cycle.end > inc.end or cycle.start < inc.start:
                    raise DemoDataRefused(
                        en=f"incubator {inc.code} runs {inc.start}..{inc.end}, but the demo "
                           "cycles need the default programme period 2025-01-01..2026-12-31",
                        lv=f"inkubators {inc.code} darbojas {inc.start}..{inc.end}, bet "
                           "demonstrācijas cikliem vajag programmas periodu 2025–2026")
                planned = max(cycle.start - dt.timedelta(days=60), DATA_START)
                if planned > self.as_of:
                    continue  # not announced yet
                created = moment(planned, rng)
                # the call for applications: about six weeks, closing days before the start
                opens = max(cycle.start - dt.timedelta(days=45), DATA_START)
                cohort_rows.append({
                    "id": cohort_id, "incubator_id": inc.id, "number": cycle.number,
                    "name": f"{cycle.number}. cikls", "call_opens_on": opens,
                    "call_closes_on": max(opens, cycle.start - dt.timedelta(days=4)),
                    "start_date": cycle.start,
                    "end_date": cycle.end, "seats": cycle.seats, "version": 1,
                    "created_at": created, "updated_at": created})
                self.cohorts.append((cohort_id, inc_index, cycle))
                for e in self._cycle_enrolments(rng, inc_index, cohort_id, cycle, queue,
                                                enrolment_id):
                    self.enrolments.append(e)
                    self.known[inc_index].append(e.org)
                    enrolment_id += 1
                    last = max(d for d in (e.applied, e.admitted, e.graduated, e.closed) if d)
                    note = None
                    if e.status is EnrollmentStatus.REJECTED:
                        note = rng.choice(("Neatbilst konkursa kritērijiem.",
                                           "Pieteikums iesniegts nepilnīgs.",
                                           "Nepietika vietu; aicināti pieteikties nākamajam "
                                           "ciklam."))
                    elif e.status is EnrollmentStatus.WITHDRAWN:
                        note = rng.choice(("Atsauca dalību laika trūkuma dēļ.",
                                           "Valdes maiņa; dalību pārtrauca.",
                                           "Organizācija apturēja darbību."))
                    rows.append({
                        "id": e.id, "organization_id": e.org, "cohort_id": cohort_id,
                        "status": e.status.value, "applied_on": e.applied,
                        "admitted_on": e.admitted, "graduated_on": e.graduated,
                        "closed_on": e.closed, "note": note, "version": 1,
                        "created_at": moment(e.applied, rng), "updated_at": moment(last, rng)})
                cohort_id += 1
        self.insert(COHORTS, cohort_rows)
        self.insert(ENROLLMENTS, rows)
        self.step()

    def _applicants(self, rng: random.Random, inc: Inc) -> Iterator[int]:
        """Organisations of the incubator's region in random order, then any others."""
        pool = self.region_pool.get(inc.region, [])
        yield from rng.sample(pool, len(pool))
        seen = set(pool)
        rest = [o for o in range(1, len(self.org_muni) + 1) if o not in seen]
        yield from rng.sample(rest, len(rest))

    def _cycle_enrolments(self, rng: random.Random, inc_index: int, cohort_id: int,
                          cycle: Cycle, queue: Iterator[int], first_id: int
                          ) -> list[Enrolment]:
        as_of = self.as_of
        ended = cycle.end <= as_of
        decision = cycle.start - dt.timedelta(days=3)
        window = (max(DATA_START, cycle.start - dt.timedelta(days=45)),
                  min(decision - dt.timedelta(days=1), as_of))
        if window[0] > as_of:
            return []  # applications not open yet
        kept = cycle.kept[inc_index % len(cycle.kept)]
        graduation = cycle.end - dt.timedelta(days=rng.randint(0, 6))
        S = EnrollmentStatus
        outcomes = ([S.GRADUATED if ended else S.ADMITTED] * kept
                    + [S.WITHDRAWN] * span(rng, cycle.withdrawn)
                    + [S.REJECTED] * span(rng, cycle.rejected)
                    + ([S.APPLIED] * span(rng, cycle.waiting) if not ended else []))
        if decision > as_of:  # the competition is not decided yet: everyone waits
            outcomes = [S.APPLIED] * len(outcomes)
        elif decision + dt.timedelta(days=35) > as_of:  # too early for anyone to drop out
            outcomes = [S.ADMITTED if o is S.WITHDRAWN else o for o in outcomes]
        rng.shuffle(outcomes)
        result = []
        for offset, status in enumerate(outcomes):
            org = next(queue, None)
            if org is None:
                raise ValueError("the plan has more applicants than organisations")
            e = Enrolment(first_id + offset, org, cohort_id, inc_index, cycle, status,
                           applied=between(rng, *window))
            if status is S.APPLIED:
                if decision <= as_of:  # a late application, waiting for a free seat
                    e.applied = between(rng, max(decision, as_of - dt.timedelta(days=30)), as_of)
            elif status is S.REJECTED:
                e.closed = decision
            else:
                e.admitted = decision
                if status is S.GRADUATED:
                    e.graduated = graduation
                elif status is S.WITHDRAWN:
                    last = min(graduation, as_of) - dt.timedelta(days=14)
                    e.closed = between(rng, decision + dt.timedelta(days=21), last)
            result.append(e)
        return result

    # Assessments -----------------------------------------------------------------------------

    def assessments(self) -> None:
        rng = self.rng("assessments")
        rows: list[dict[str, Any]] = []
        scores: list[dict[str, Any]] = []
        next_id = self.next_id(ASSESSMENTS)
        notes = ("Pašnovērtējums kopā ar mentoru.",
                 "Novērtējums pēc intervijas ar valdi un dokumentu izpētes.", None, None, None)

        def add(e: Enrolment, kind: AssessmentKind, day: dt.date, values: list[int]) -> None:
            nonlocal next_id
            by_area = dict(zip(AREAS, values, strict=True))
            stamp = moment(day, rng)
            rows.append({
                "id": next_id, "organization_id": e.org, "cohort_id": e.cohort,
                "kind": kind.value, "assessed_on": day, "capacity_index": capacity_index(by_area),
                "notes": rng.choice(notes), "assessor_id": self.staff[e.inc], "deleted_at": None,
                "version": 1, "created_at": stamp, "updated_at": stamp})
            scores.extend({"assessment_id": next_id, "area": a, "score": s}
                          for a, s in by_area.items())
            next_id += 1

        for e in self.enrolments:
            if e.admitted is None:
                continue
            end = min(e.closed or e.graduated or self.as_of, self.as_of)
            if e.admitted + dt.timedelta(days=3) > end:
                continue  # admitted days ago: no intake assessment yet
            intake_day = weekday_between(rng, e.admitted + dt.timedelta(days=3),
                                          min(e.admitted + dt.timedelta(days=20), end))
            intake = intake_scores(rng)
            final = growth(rng, intake)
            add(e, AssessmentKind.INTAKE, intake_day, intake)
            middle = e.cycle.start + (e.cycle.end - e.cycle.start) / 2
            if (rng.random() < 0.5 and middle + dt.timedelta(days=10) <= end
                    and middle > intake_day + dt.timedelta(days=30)):
                halfway = [i + (f - i) // 2 if f > i and rng.random() < 0.6 else i
                           for i, f in zip(intake, final, strict=True)]
                add(e, AssessmentKind.MIDPOINT,
                    weekday_between(rng, middle - dt.timedelta(days=10),
                                     middle + dt.timedelta(days=10)), halfway)
            if e.graduated is not None:
                graduation_day = weekday_between(rng, e.graduated - dt.timedelta(days=10),
                                                  e.graduated)
                add(e, AssessmentKind.GRADUATION, graduation_day, final)
                later = e.graduated + dt.timedelta(days=rng.randint(120, 200))
                if later <= self.as_of and rng.random() < 0.35:
                    drift = rng.choices((0, 1, -1), (70, 20, 10))[0]
                    area = rng.randrange(len(final))
                    follow = [min(4, max(1, s + drift)) if i == area else s
                              for i, s in enumerate(final)]
                    add(e, AssessmentKind.FOLLOW_UP,
                        weekday_between(rng, later,
                                         min(later + dt.timedelta(days=6), self.as_of)),
                        follow)
        self.insert(ASSESSMENTS, rows)
        self.insert(ASSESSMENT_SCORES, scores)
        self.step()

    # Milestones, the civic-dialogue register and targets ---------------------------------------

    def milestones(self) -> None:
        rng = self.rng("milestones")
        as_of = self.as_of
        admitted = [e for e in self.enrolments
                    if e.admitted is not None and e.admitted + dt.timedelta(days=14) <= as_of]
        if not admitted or not self.plan.milestones:
            self.step()
            return
        # A few organisations are very active, most reach a milestone or two; the longer an
        # organisation has been in the programme (and up to half a year after), the more.
        windows: list[tuple[dt.date, dt.date]] = []
        cumulative: list[float] = []
        total = 0.0
        for e in admitted:
            assert e.admitted is not None
            first = e.admitted + dt.timedelta(days=14)
            last = min(as_of, (e.graduated or e.closed or as_of) + dt.timedelta(days=180))
            windows.append((first, max(first, last)))
            total += rng.choice((0.3, 0.6, 1.0, 1.0, 1.5, 2.5, 4.0)) * max(1, (last - first).days)
            cumulative.append(total)
        kinds = [k for k, _ in MILESTONE_WEIGHTS]
        kind_weights = [w for _, w in MILESTONE_WEIGHTS]
        has_strategy: set[int] = set()
        rows: list[dict[str, Any]] = []
        next_id = self.next_id(MILESTONES)

        def add(e: Enrolment, kind: MilestoneKind, day: dt.date, amount: Decimal | None,
                reference: str | None, description: str) -> None:
            nonlocal next_id
            stamp = moment(min(day + dt.timedelta(days=rng.randint(0, 7)), as_of), rng)
            rows.append({
                "id": next_id, "organization_id": e.org,
                "incubator_id": self.ref.incubators[e.inc].id,
                "kind": kind.value, "achieved_on": day, "amount_eur": amount,
                "reference": reference, "description": description,
                "recorded_by_id": self.staff[e.inc], "deleted_at": None, "version": 1,
                "created_at": stamp, "updated_at": stamp})
            next_id += 1

        while len(rows) < self.plan.milestones:
            pick = rng.choices(range(len(admitted)), cum_weights=cumulative)[0]
            e = admitted[pick]
            kind = rng.choices(kinds, kind_weights)[0]
            if kind is MilestoneKind.STRATEGY_ADOPTED and e.org in has_strategy:
                kind = MilestoneKind.NEW_PARTNERSHIP
            day = weekday_between(rng, *windows[pick])
            if kind is MilestoneKind.GRANT_APPLIED:
                funder = rng.choice(FUNDERS)
                amount = Decimal(rng.randint(16, 600) * 50)
                add(e, kind, day, amount, None, f"Projekta pieteikums: {funder}")
                awarded_on = day + dt.timedelta(days=rng.randint(45, 150))
                if (rng.random() < GRANT_AWARD_RATE and awarded_on <= as_of
                        and len(rows) < self.plan.milestones):
                    share = rng.choice((Decimal(1), Decimal(1), Decimal("0.8"), Decimal("0.6")))
                    add(e, MilestoneKind.GRANT_AWARDED, weekday_between(
                        rng, awarded_on, min(awarded_on + dt.timedelta(days=6), as_of)),
                        (amount * share).quantize(Decimal(1)), None,
                        f"Piešķirts finansējums: {funder}")
            elif kind is MilestoneKind.STRATEGY_ADOPTED:
                has_strategy.add(e.org)
                add(e, kind, day, None, None,
                    f"Biedru sapulcē apstiprināta stratēģija {day.year + 1}.–{day.year + 5}. "
                    "gadam")
            elif kind is MilestoneKind.NEW_PARTNERSHIP:
                add(e, kind, day, None, None,
                    f"Noslēgts sadarbības līgums ar {rng.choice(PARTNERS)}")
            elif kind is MilestoneKind.NEW_MEMBERS:
                add(e, kind, day, None, None, f"Piesaistīti {rng.randint(3, 25)} jauni biedri")
            else:
                add(e, kind, day, None, None, f"Uzsākts jauns pakalpojums: {rng.choice(SERVICES)}")
        self.insert(MILESTONES, rows)
        self.step()

    def dialogue(self) -> None:
        """Documents monitored and opinions (tracker.demo.dialogue): the register that
        replaced the opinion milestones and the documents typed in each quarter."""
        Dialogue(self, self.rng("dialogue")).run()
        self.step()

    def targets(self) -> None:
        """No indicator is typed in by hand any more: only the incubators' targets."""
        self.incubator_targets()
        self.step()

    def incubator_targets(self) -> None:
        """Each incubator carries a quarter of every whole-programme target (rounded up), so
        the forecast can flag an incubator that falls behind its share."""
        programme = self.conn.execute(select(Target.indicator_id, Target.target_value).where(
            Target.incubator_id.is_(None), Target.year.is_(None))).all()
        stamp = moment(DATA_START, self.rng("incubator targets"))
        rows = [{"indicator_id": indicator_id, "incubator_id": inc.id, "year": None,
                 "target_value": Decimal(math.ceil(value / len(self.ref.incubators))),
                 "incubator_key": inc.id, "year_key": 0, "version": 1,
                 "created_at": stamp, "updated_at": stamp}
                for indicator_id, value in programme for inc in self.ref.incubators]
        if rows:
            self.conn.execute(insert(Target), rows)

    # Activities and participations -----------------------------------------------------------

    def activity_chunks(self) -> int:
        return -(-self.plan.activities // self.plan.activity_chunk)

    def activities(self) -> None:
        rng = self.rng("activities")
        plan = self.plan
        incs = self.ref.incubators
        n = plan.activities
        days, cumulative = day_weights(self.as_of)
        inc_weights = [rng.uniform(0.85, 1.15) for _ in incs]
        inc_of = rng.choices(range(len(incs)), inc_weights, k=n)
        day_of = rng.choices(days, cum_weights=cumulative, k=n)
        type_of = rng.choices(range(len(TYPES)), TYPE_WEIGHTS, k=n)
        caps = [min(MAX_ORGS_PER_ACTIVITY, len(self.region_pool.get(inc.region, [])))
                for inc in incs]
        counts = participant_counts(rng, type_of, [caps[i] for i in inc_of],
                                     plan.participations)
        order = sorted(range(n), key=lambda i: (day_of[i], inc_of[i]))
        stream = ActivityStream(self, rng)
        self.people = People(self, self.rng("people"))  # its own stream: the rest stays as it was
        activity_id = self.next_id(ACTIVITIES)
        participation_id = self.next_id(PARTICIPATIONS)
        for start in range(0, n, plan.activity_chunk):
            activities: list[dict[str, Any]] = []
            areas: list[dict[str, Any]] = []
            participations: list[dict[str, Any]] = []
            for i in order[start:start + plan.activity_chunk]:
                participation_id = stream.build(
                    activity_id, participation_id, inc_of[i], day_of[i], TYPES[type_of[i]],
                    counts[i], activities, areas, participations)
                activity_id += 1
            self.insert(ACTIVITIES, activities)
            self.insert(ACTIVITY_AREAS, areas)
            self.insert(PARTICIPATIONS, participations)
            self.people.add(activities, participations)
            self.step()

    def summary(self) -> DemoSummary:
        c = self.counts.get
        return DemoSummary(
            scale=self.plan.scale, seed=self.seed, organizations=c("organizations", 0),
            cohorts=c("cohorts", 0), enrollments=c("enrollments", 0),
            activities=c("activities", 0), participations=c("participations", 0),
            assessments=c("assessments", 0), milestones=c("milestones", 0),
            users=c("users", 0), indicator_entries=c("indicator_entries", 0),
            people=c("people", 0), attendances=c("attendances", 0),
            documents=c("documents", 0), opinions=c("opinions", 0),
            accounts=tuple(self.accounts))
