"""The demo's activity stream: activities and their participations, day by day, in batches (at
national scale 200,000 and 1,000,000)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from db.enums import ActivityFormat, ActivityStatus
from tracker.demo.plan import DATA_START, T
from tracker.demo.tables import Muni, genitive, locative, moment
from tracker.demo.words import (
    AREAS,
    FORMATS,
    GROUP_NEXT_STEPS,
    HOLIDAYS,
    HUBS,
    NEXT_STEPS,
    PROFILES,
    REGION_GENITIVE,
    REGION_LOCATIVE,
    RETURN_COMMENTS,
    SINGLE_ORG_TYPES,
    TYPES,
)

if TYPE_CHECKING:  # the generator runs the stream; the stream only reads it
    from tracker.demo.generator import Enrolment, Generator


def day_weights(as_of: dt.date) -> tuple[list[dt.date], list[float]]:
    """Every day of the data period and how busy it is (cumulative weights)."""
    days: list[dt.date] = []
    cumulative: list[float] = []
    total = 0.0
    day = DATA_START
    while day <= as_of:
        weight = 1.0
        if day in HOLIDAYS:
            weight = 0.01
        elif day.weekday() == 5:
            weight = 0.06
        elif day.weekday() == 6:
            weight = 0.01
        if day.month == 7 or (day.month == 8 and day.day <= 15):
            weight *= 0.5  # summer holidays
        if (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 6):
            weight *= 0.25
        total += weight
        days.append(day)
        cumulative.append(total)
        day += dt.timedelta(days=1)
    return days, cumulative


def participant_counts(rng: random.Random, type_of: Sequence[int], caps: Sequence[int],
                        target: int | None) -> list[int]:
    """Organisations per activity; with a target, scaled so that they add up to it exactly."""
    counts: list[int] = []
    for t, cap in zip(type_of, caps, strict=True):
        low, high = PROFILES[TYPES[t]].orgs
        counts.append(max(1, min(cap, rng.randint(low, high))))
    if target is None:
        return counts
    scalable = [i for i, t in enumerate(type_of) if TYPES[t] not in SINGLE_ORG_TYPES]
    fixed = sum(counts) - sum(counts[i] for i in scalable)
    current = sum(counts[i] for i in scalable)
    if target < fixed + len(scalable) or (not scalable and target != fixed):
        raise ValueError(f"cannot spread {target} participations over these activities")
    factor = (target - fixed) / current if current else 0.0
    for i in scalable:
        # Stochastic rounding keeps the scaled distribution's shape (and its mean).
        exact = counts[i] * factor
        whole = int(exact)
        counts[i] = max(1, min(caps[i], whole + (1 if rng.random() < exact - whole else 0)))
    # Whatever rounding and the caps left over goes one organisation at a time.
    diff = target - sum(counts)
    step = 1 if diff > 0 else -1
    movable = list(scalable)
    while diff and movable:
        pick = rng.randrange(len(movable))
        i = movable[pick]
        if (step > 0 and counts[i] < caps[i]) or (step < 0 and counts[i] > 1):
            counts[i] += step
            diff -= step
        else:
            movable[pick] = movable[-1]
            movable.pop()
    if diff:
        raise ValueError(f"cannot spread {target} participations over these activities")
    return counts


class ActivityStream:
    """Builds the rows of one activity at a time; pools of organisations are cached per day."""

    def __init__(self, gen: Generator, rng: random.Random) -> None:
        self.gen, self.rng = gen, rng
        self.all_orgs = len(gen.org_muni)
        self.pools: dict[tuple[int, dt.date], list[tuple[int, list[int]]]] = {}
        self.places: dict[tuple[int, bool], list[Muni]] = {}
        self.hubs: list[list[Muni]] = []
        for inc in gen.ref.incubators:
            hubs = [gen.munis_by_atvk[a] for a in HUBS.get(inc.code, ())
                    if a in gen.munis_by_atvk]
            region = [m for m in gen.ref.municipalities if m.region == inc.region]
            self.hubs.append(hubs or region[:1] or list(gen.ref.municipalities[:1]))
        self.by_cohort: dict[int, list[Enrolment]] = {}
        for e in gen.enrolments:
            if e.admitted is not None:
                self.by_cohort.setdefault(e.cohort, []).append(e)

    def cycles_on(self, inc: int, day: dt.date) -> list[tuple[int, list[int]]]:
        """The incubator's cycles running on `day`, each with its organisations taking part."""
        key = (inc, day)
        found = self.pools.get(key)
        if found is None:
            found = []
            for cohort_id, inc_index, cycle in self.gen.cohorts:
                if inc_index != inc or not cycle.start - dt.timedelta(days=3) <= day <= cycle.end:
                    continue
                members = [e.org for e in self.by_cohort.get(cohort_id, []) if e.active_on(day)]
                if members:
                    found.append((cohort_id, members))
            self.pools[key] = found
        return found

    def place(self, inc: int, day: dt.date) -> Muni:
        valid_today = day > dt.date(2025, 6, 30)  # Varakļānu novads merged into Madonas
        key = (inc, valid_today)
        places = self.places.get(key)
        if places is None:
            region = self.gen.ref.incubators[inc].region
            places = [m for m in self.gen.ref.municipalities
                      if m.region == region and m.valid_on(day)]
            self.places[key] = places
        return self.rng.choice(places) if places else self.hubs[inc][0]

    def pick_other(self, inc: int, region: list[int], engagement: list[float]) -> int:
        """Someone outside the running cycles: an applicant or alumnus, a neighbour, a guest."""
        roll = self.rng.random()
        known = self.gen.known[inc]
        if roll < 0.04 or not region:
            return self.rng.randint(1, self.all_orgs)
        if roll < 0.45 and known:
            return self.rng.choice(known)
        return self.rng.choices(region, cum_weights=engagement)[0]

    def build(self, activity_id: int, participation_id: int, inc: int, day: dt.date,
              kind: T, count: int, activities: list[dict[str, Any]],
              areas: list[dict[str, Any]], participations: list[dict[str, Any]]) -> int:
        rng, gen = self.rng, self.gen
        profile = PROFILES[kind]
        incubator = gen.ref.incubators[inc]
        region = gen.region_pool.get(incubator.region, [])
        engagement = gen.engagement.get(incubator.region, [])

        chosen: list[int] = []
        cohort_id: int | None = None
        cycles = self.cycles_on(inc, day)
        if cycles:
            from_cycle = int(count * profile.cohort_share + rng.random())
            if from_cycle:
                cohort_id, members = rng.choice(cycles) if len(cycles) > 1 else cycles[0]
                chosen = rng.sample(members, min(from_cycle, len(members)))
                if len(chosen) * 2 < count:
                    cohort_id = None  # mostly outsiders: an open event, not the cycle's own
        seen = set(chosen)
        misses = 0
        while len(chosen) < count:
            org = (self.pick_other(inc, region, engagement) if misses < 4 * count + 20
                   else self._any_free(region, seen))
            if org in seen:
                misses += 1
                continue
            seen.add(org)
            chosen.append(org)

        people = rng.choices((1, 2, 3), cum_weights=profile.attendees, k=count)
        total = sum(people)
        chance, most = profile.extra
        if most and rng.random() < chance:
            total += rng.randint(1, most)
        for org, attendees in zip(chosen, people, strict=True):
            participations.append({"id": participation_id, "activity_id": activity_id,
                                   "organization_id": org, "attendees": attendees})
            participation_id += 1

        fmt = rng.choices(FORMATS, profile.formats)[0]
        muni = self._where(inc, day, kind, fmt, chosen)
        area, template = rng.choice(profile.topics)
        title = template.format(in_region=REGION_LOCATIVE.get(incubator.region, "reģionā"),
                                of_region=REGION_GENITIVE.get(incubator.region, "Reģiona"),
                                place=locative(muni), council=genitive(muni))
        topic_areas = {area.value}
        if rng.random() < profile.more_areas:
            topic_areas.add(rng.choice(AREAS))
        areas.extend({"activity_id": activity_id, "area": a} for a in sorted(topic_areas))

        status, comment = self._status(day)
        created = moment(min(day + dt.timedelta(days=rng.randint(0, 3)), gen.as_of), rng)
        updated = created
        if status is ActivityStatus.APPROVED:
            updated = min(created + dt.timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 5)),
                          gen.last_moment)
        next_steps = None
        if kind in (T.CONSULTATION, T.MENTORING):
            if rng.random() < 0.75:
                next_steps = rng.choice(NEXT_STEPS[area])
        elif rng.random() < 0.3:
            next_steps = rng.choice(GROUP_NEXT_STEPS)
        hours = rng.choices(*profile.hours)[0]
        activities.append({
            "id": activity_id, "incubator_id": incubator.id, "cohort_id": cohort_id,
            "type": kind.value, "title": title, "activity_date": day, "hours": hours,
            "format": fmt, "municipality_id": muni.id, "total_participants": total,
            "next_steps": next_steps, "status": status.value, "review_comment": comment,
            "submitted_at": None if status is ActivityStatus.DRAFT else created,
            "author_id": gen.staff[inc], "external_ref": None, "deleted_at": None,
            "version": 1, "created_at": created, "updated_at": max(created, updated)})
        return participation_id

    def _any_free(self, region: list[int], seen: set[int]) -> int:
        """Fallback when random picks keep hitting taken organisations (small pools)."""
        free = [o for o in region if o not in seen]
        if not free:
            free = [o for o in range(1, self.all_orgs + 1) if o not in seen]
        return self.rng.choice(free)

    def _where(self, inc: int, day: dt.date, kind: T, fmt: str, orgs: list[int]) -> Muni:
        """At the organisation for one-to-one work, else at the incubator or around the region."""
        gen = self.gen
        if fmt == ActivityFormat.ONLINE.value:
            return self.hubs[inc][0]
        if kind in (T.CONSULTATION, T.MENTORING) and orgs:
            home = gen.munis_by_id[gen.org_muni[orgs[0] - 1]]
            if home.region == gen.ref.incubators[inc].region and home.valid_on(day):
                return home
            return self.hubs[inc][0]
        if kind in (T.NETWORKING, T.STUDY_VISIT, T.THINK_TANK) or self.rng.random() < 0.4:
            return self.place(inc, day)
        return self.rng.choice(self.hubs[inc])

    def _status(self, day: dt.date) -> tuple[ActivityStatus, str | None]:
        """Old records are approved; the last weeks are still submitted, a few are drafts."""
        age = (self.gen.as_of - day).days
        roll = self.rng.random()
        S = ActivityStatus
        if age <= 21:
            status = S.DRAFT if roll < 0.15 else S.SUBMITTED if roll < 0.95 else S.APPROVED
        elif age <= 60:
            status = S.SUBMITTED if roll < 0.45 else S.RETURNED if roll < 0.47 else S.APPROVED
        else:
            status = S.RETURNED if roll < 0.002 else S.APPROVED
        comment = self.rng.choice(RETURN_COMMENTS) if status is S.RETURNED else None
        return status, comment
