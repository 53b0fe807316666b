"""The demo's people: the participants the ESF+ counts one by one, the organisations they
belong to, and their names on the activities' attendance sheets (all invented).

Each organisation that takes part in an incubator's activities has a small roster there (a
leader first, then board members, members, employees, volunteers); a person is created when
first ticked on an activity, having signed the consent form on that day or some days before.
Some activities have their attendees ticked by name (how often depends on the type, and the
plan's `named`); for each of them, every participating organisation names up to its attendee
number from its roster. The rules of tracker.services.attendance hold for every sheet, in any
order: a person is named only for the first (by id) of their organisations that take part, so
each counts for that one and no participation names more people than its attendee number.
A few people withdraw their consent after their last attendance: their identity is erased,
their birth year, characteristics and attendance kept. No personal codes (the demo runs
without an encryption key).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, update

from db.enums import Answer, Education, EmploymentStatus, Gender, PersonRole
from tracker.demo.plan import DATA_START, T
from tracker.demo.tables import ATTENDANCES, MEMBERSHIPS, PEOPLE, ascii_text, between, moment
from tracker.demo.words import PERSON_FEMALE_NAMES, PERSON_MALE_NAMES, PERSON_SURNAMES

if TYPE_CHECKING:  # the generator runs the people; they only read it
    from tracker.demo.generator import Generator

E, R = EmploymentStatus, PersonRole
YES, NO, REFUSED = Answer.YES.value, Answer.NO.value, Answer.REFUSED.value

# How readily each type's attendees are ticked by name, times the plan's `named`: one-to-one
# work almost always, trainings (the programme's "trained" rule) less often than workshops.
NAMED_BY_TYPE: dict[T, float] = {
    T.CONSULTATION: 1.6, T.MENTORING: 2.0, T.TRAINING: 0.45, T.WORKSHOP: 1.2,
    T.THINK_TANK: 0.8, T.NETWORKING: 0.5, T.STUDY_VISIT: 1.0, T.CIVIC_DIALOGUE: 1.0}
ROSTER_SIZES = ((1, 2, 3, 4, 5, 6), (10, 25, 30, 18, 10, 7))  # people an organisation names
# roles after the leader: (role, weight of the role, how keen to come: a weight of picking)
ROLES = ((R.BOARD_MEMBER, 30, 1.6), (R.MEMBER, 35, 1.0), (R.EMPLOYEE, 15, 1.3),
         (R.VOLUNTEER, 20, 0.7))
LEADER_KEEN = 2.5
SECOND_MEMBERSHIP = 0.15  # share of people also in another organisation taking part
ALL_NAMED = 0.85  # share of named participations that name all their attendees
PART_HOURS = 0.08  # share of attendances shorter than the activity (left early, came late)
INCOMPLETE = 0.12  # share of people lacking one or two ESF+ answers
PRIVATE = 0.04  # share of people refusing one to three of the sensitive questions
WITHDRAWN = 0.012  # share of people (of those not seen for 30 days) who withdraw consent
# The ESF+ fields one may lack, and how often each is the one missing.
MISSABLE = (("employment_status", 30), ("education", 25), ("birth_date", 15), ("gender", 5),
            ("disability", 8), ("minority", 7), ("foreign_background", 5),
            ("third_country_national", 3), ("rural", 2))
SENSITIVE = ("disability", "third_country_national", "foreign_background", "minority",
             "homeless", "rural")
# (youngest age, oldest age, weight) at the first attendance
AGES = ((16, 17, 2), (18, 24, 8), (25, 29, 8), (30, 54, 54), (55, 64, 18), (65, 80, 10))
# employment status by age: the oldest age of the band and the weights of each status
EMPLOYMENT = (
    (17, ((E.IN_EDUCATION, 90), (E.INACTIVE, 10))),
    (24, ((E.IN_EDUCATION, 45), (E.EMPLOYED, 35), (E.UNEMPLOYED, 8), (E.INACTIVE, 7),
          (E.SELF_EMPLOYED, 5))),
    (54, ((E.EMPLOYED, 68), (E.SELF_EMPLOYED, 10), (E.UNEMPLOYED, 7),
          (E.LONG_TERM_UNEMPLOYED, 4), (E.INACTIVE, 9), (E.IN_EDUCATION, 2))),
    (64, ((E.EMPLOYED, 55), (E.SELF_EMPLOYED, 8), (E.UNEMPLOYED, 6),
          (E.LONG_TERM_UNEMPLOYED, 6), (E.INACTIVE, 25))),
    (200, ((E.INACTIVE, 75), (E.EMPLOYED, 17), (E.SELF_EMPLOYED, 5), (E.UNEMPLOYED, 3))),
)


@dataclass
class Slot:
    """A place on an organisation's roster: a person once first ticked."""

    role: PersonRole
    keen: float
    person: int | None = None


def _pick_weighted(rng: random.Random, slots: list[Slot], k: int) -> list[Slot]:
    """`k` of `slots` without repeats, the keener more likely."""
    pool = list(slots)
    chosen: list[Slot] = []
    while pool and len(chosen) < k:
        total = sum(s.keen for s in pool)
        roll = rng.random() * total
        for index, slot in enumerate(pool):
            roll -= slot.keen
            if roll <= 0 or index == len(pool) - 1:
                chosen.append(pool.pop(index))
                break
    return chosen


class People:
    """Rosters, people and attendance sheets, chunk by chunk as the activities are made."""

    def __init__(self, gen: Generator, rng: random.Random) -> None:
        self.gen, self.rng, self.plan = gen, rng, gen.plan
        self.inc_of = {inc.id: index for index, inc in enumerate(gen.ref.incubators)}
        self.prefix = [inc.code[:3].upper() for inc in gen.ref.incubators]
        self.numbers = [0] * len(gen.ref.incubators)  # the last ref number per incubator
        self.rosters: dict[tuple[int, int], list[Slot]] = {}
        self.taking_part: list[list[int]] = [[] for _ in gen.ref.incubators]
        self.seen: list[set[int]] = [set() for _ in gen.ref.incubators]
        self.orgs_of: dict[int, tuple[int, ...]] = {}  # person -> organisations, by id
        self.last_day: dict[int, dt.date] = {}  # person -> last attendance
        self.consent: dict[int, dt.date] = {}
        self.next_person = gen.next_id(PEOPLE)
        self.next_attendance = gen.next_id(ATTENDANCES)
        self.created = self.attended = 0
        self.credit: dict[tuple[int, str], float] = {}  # see _named
        self.living: dict[int, list[Any]] = {}  # incubator index -> today's municipalities
        for index, inc in enumerate(gen.ref.incubators):
            self.living[index] = [m for m in gen.ref.municipalities
                                  if m.region == inc.region and m.valid_on(gen.as_of)]

    # The attendance sheets -------------------------------------------------------------------

    def add(self, activities: list[dict[str, Any]], participations: list[dict[str, Any]]
            ) -> None:
        """Name the attendees of one chunk's activities (already inserted), and insert the
        people first ticked in it, their memberships and the attendances."""
        by_activity: dict[int, list[tuple[int, int]]] = {}
        for p in participations:
            by_activity.setdefault(p["activity_id"], []).append(
                (p["organization_id"], p["attendees"]))
        people: list[dict[str, Any]] = []
        members: list[dict[str, Any]] = []
        rows: list[dict[str, Any]] = []
        for activity in activities:
            parts = by_activity.get(activity["id"], [])
            inc = self.inc_of[activity["incubator_id"]]
            for org, _ in parts:
                if org not in self.seen[inc]:
                    self.seen[inc].add(org)
                    self.taking_part[inc].append(org)
            if not self._named(activity):
                continue
            present = {org for org, _ in parts}
            day: dt.date = activity["activity_date"]
            hours = Decimal(activity["hours"])
            for org, attendees in parts:
                k = attendees if self.rng.random() < ALL_NAMED else self.rng.randint(
                    0, attendees - 1)
                for slot in _pick_weighted(self.rng, self._candidates(inc, org, present), k):
                    if self.plan.attendances is not None \
                            and self.attended >= self.plan.attendances:
                        break
                    if slot.person is None:
                        if not self._room():
                            continue
                        slot.person = self._person(inc, org, slot.role, day, present, people,
                                                   members)
                    self.last_day[slot.person] = day
                    rows.append({"id": self.next_attendance, "activity_id": activity["id"],
                                 "person_id": slot.person, "organization_id": org,
                                 "hours": self._hours(hours)})
                    self.next_attendance += 1
                    self.attended += 1
        self.gen.insert(PEOPLE, people)
        self.gen.insert(MEMBERSHIPS, members)
        self.gen.insert(ATTENDANCES, rows)

    def _named(self, activity: dict[str, Any]) -> bool:
        """Every so many activities of a type in an incubator (a steady share rather than a
        coin toss each time: the figures built on it vary less from seed to seed)."""
        if self.plan.attendances is not None and self.attended >= self.plan.attendances:
            return False
        key = (activity["incubator_id"], activity["type"])
        credit = self.credit.get(key)
        if credit is None:
            credit = self.rng.random()
        credit += self.plan.named * NAMED_BY_TYPE.get(T(activity["type"]), 1.0)
        self.credit[key] = credit % 1
        return credit >= 1

    def _hours(self, hours: Decimal) -> Decimal | None:
        """Mostly the whole activity (None); now and then a part of it, in half hours."""
        if hours <= 1 or self.rng.random() >= PART_HOURS:
            return None
        part = Decimal(round(float(hours) * self.rng.uniform(0.3, 0.9) * 2)) / 2
        return min(hours, max(Decimal("0.5"), part))

    def _roster(self, inc: int, org: int) -> list[Slot]:
        roster = self.rosters.get((inc, org))
        if roster is None:
            bonus = self.plan.roster_bonus
            size = self.rng.choices(*ROSTER_SIZES)[0] + int(bonus) + (
                self.rng.random() < bonus % 1)
            roster = [Slot(R.LEADER, LEADER_KEEN)]
            for _ in range(size - 1):
                role, _, keen = self.rng.choices(ROLES, [w for _, w, _ in ROLES])[0]
                roster.append(Slot(role, keen))
            self.rosters[(inc, org)] = roster
        return roster

    def _room(self) -> bool:
        """Whether another person may be added (the plan's cap)."""
        return self.plan.people is None or self.created < self.plan.people

    def _candidates(self, inc: int, org: int, present: set[int]) -> list[Slot]:
        """Who may be named for `org` here: its people whose first organisation taking part
        is `org` (so they count for it), and the places not yet filled while people may be
        added."""
        room = self._room()
        found = []
        for slot in self._roster(inc, org):
            if slot.person is None:
                if room:
                    found.append(slot)
            elif min(o for o in self.orgs_of[slot.person] if o in present) == org:
                found.append(slot)
        return found

    # A new person ----------------------------------------------------------------------------

    def _person(self, inc: int, org: int, role: PersonRole, day: dt.date, present: set[int],
                people: list[dict[str, Any]], members: list[dict[str, Any]]) -> int:
        rng, gen = self.rng, self.gen
        person_id = self.next_person
        self.next_person += 1
        self.created += 1
        self.numbers[inc] += 1
        orgs = [org]
        members.append({"person_id": person_id, "organization_id": org, "role": role.value})
        other = rng.choice(self.taking_part[inc]) if rng.random() < SECOND_MEMBERSHIP else org
        if other not in present:
            # a member elsewhere too (never of an organisation here: they count for `org`)
            other_role, _, keen = rng.choices(ROLES, [w for _, w, _ in ROLES])[0]
            self._roster(inc, other).append(Slot(other_role, keen * 0.5, person_id))
            members.append({"person_id": person_id, "organization_id": other,
                            "role": other_role.value})
            orgs.append(other)
        self.orgs_of[person_id] = tuple(sorted(orgs))
        consent = max(DATA_START, day - dt.timedelta(days=rng.choice((0, 0, 0, 1, 2, 3, 7, 14))))
        self.consent[person_id] = consent
        stamp = moment(min(day + dt.timedelta(days=rng.randint(0, 2)), gen.as_of), rng)
        people.append({"id": person_id, "incubator_id": gen.ref.incubators[inc].id,
                       "ref": f"{self.prefix[inc]}-P-{self.numbers[inc]:04d}",
                       "personal_code_secret": None, "personal_code_match": None,
                       **self._identity(inc, org, day), "consent_date": consent,
                       "consent_withdrawn": None, "erased_at": None, "version": 1,
                       "created_at": stamp, "updated_at": stamp})
        return person_id

    def _identity(self, inc: int, org: int, day: dt.date) -> dict[str, Any]:
        """Name, birth date, gender, residence, contacts and the ESF+ answers."""
        rng, gen = self.rng, self.gen
        roll = rng.random()
        gender = Gender.FEMALE if roll < 0.66 else Gender.MALE if roll < 0.995 \
            else Gender.NON_BINARY
        female = gender is Gender.FEMALE or (gender is Gender.NON_BINARY and rng.random() < 0.5)
        first = rng.choice(PERSON_FEMALE_NAMES if female else PERSON_MALE_NAMES)
        last = rng.choice(PERSON_SURNAMES)[1 if female else 0]
        low, high, _ = rng.choices(AGES, [w for _, _, w in AGES])[0]
        age = rng.randint(low, high)
        birth = dt.date(day.year - age - 1, day.month, 1) + dt.timedelta(days=rng.randint(0, 364))
        home = gen.munis_by_id[gen.org_muni[org - 1]]
        if not home.valid_on(gen.as_of) or home.region != gen.ref.incubators[inc].region \
                or rng.random() < 0.2:
            home = rng.choice(self.living[inc] or [home])
        email = None
        if rng.random() < 0.55:
            number = str(rng.randint(1, 99)) if rng.random() < 0.3 else ""
            email = f"{ascii_text(first)}.{ascii_text(last)}{number}@example.lv"
        row: dict[str, Any] = {
            "first_name": first, "last_name": last, "birth_date": birth,
            "birth_year": birth.year, "gender": gender.value, "municipality_id": home.id,
            "email": email,
            "phone": f"+371 2{rng.randint(0, 9_999_999):07d}" if rng.random() < 0.45 else None,
            **self._characteristics(inc, age, home.kind == "novads")}
        if rng.random() < INCOMPLETE:
            for name in {rng.choices(*zip(*MISSABLE, strict=True))[0]
                         for _ in range(rng.choice((1, 1, 2)))}:
                row[name] = None
                if name == "birth_date":
                    row["birth_year"] = None
        return row

    def _characteristics(self, inc: int, age: int, rural: bool) -> dict[str, str]:
        rng = self.rng
        band = next(weights for oldest, weights in EMPLOYMENT if age <= oldest)
        employment = rng.choices([s for s, _ in band], [w for _, w in band])[0]
        if age < 18:
            education = Education.ISCED_0_2
        elif age < 25:
            education = rng.choices(list(Education), (5, 65, 30))[0]
        else:
            education = rng.choices(list(Education), (8, 40, 52))[0]
        latgale = self.gen.ref.incubators[inc].region == "LATGALE"

        def answer(chance: float) -> str:
            return YES if rng.random() < chance else NO

        answers = {"disability": answer(0.07),
                   "third_country_national": answer(0.03 if latgale else 0.012),
                   "foreign_background": answer(0.05),
                   "minority": answer(0.35 if latgale else 0.1),
                   "homeless": answer(0.002),
                   "rural": answer(0.6 if rural else 0.02)}
        if rng.random() < PRIVATE:
            for name in rng.sample(("disability", "minority", "foreign_background",
                                    "third_country_national"), rng.randint(1, 3)):
                answers[name] = REFUSED
        return {"employment_status": employment.value, "education": education.value,
                **answers}

    # Consent withdrawn -----------------------------------------------------------------------

    def withdrawals(self) -> None:
        """A few people not seen for a month withdraw their consent: identity erased."""
        rng, as_of = self.gen.rng("people withdrawn"), self.gen.as_of
        quiet = [p for p, day in sorted(self.last_day.items())
                 if day + dt.timedelta(days=30) < as_of]
        rows = []
        for person in quiet:
            if rng.random() >= WITHDRAWN:
                continue
            day = between(rng, max(self.last_day[person], self.consent[person])
                               + dt.timedelta(days=1), as_of)
            stamp = moment(day, rng)
            rows.append({"pid": person, "withdrawn": day, "stamp": stamp})
        if rows:
            table = PEOPLE
            self.gen.conn.execute(
                update(table).where(table.c.id == bindparam("pid")).values(
                    first_name=None, last_name=None, name_search="", birth_date=None,
                    email=None, phone=None,
                    consent_withdrawn=bindparam("withdrawn"), erased_at=bindparam("stamp"),
                    updated_at=bindparam("stamp")), rows)
        self.gen.counts["people_withdrawn"] = len(rows)
        self.gen.step()
