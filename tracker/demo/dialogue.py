"""The demo's civic-dialogue register: the draft laws, regulations, policy documents,
municipal binding regulations and EU acts the incubators monitor, and the opinions their
organisations submitted on them (all invented; the drafting bodies are real public bodies).

Documents: their first monitoring days spread over the programme's working days (fewer in
the first weeks, in summer and on holidays); a document was published on that day or a few
days before (a few long before: a bill in a committee for months), its consultation deadline
two to eight weeks after publication, so the last weeks' deadlines are still ahead; most are
adopted some months after the deadline, none after the last day of data. National and EU
documents are followed by one incubator, a fifth of them by two; a municipality's by the
incubator of its region. TAP numbers (`25-TA-1427`) rise through each year in order of
publication; bills in the Saeima have its numbers (`614/Lp14`), the Commission's proposals
theirs (`COM(2025) 412`), municipal documents their own (`TALSU-SN-2025-14`).

Opinions: drawn like the milestones they once were (an organisation admitted to a cycle,
from two weeks after admission to half a year after it ends, some organisations much keener
than others), each on a document its incubator monitors, submitted between the monitoring's
first day and the deadline (or some weeks on, for working groups), about one in seven with
one or two co-authors of the same incubator. Recent ones wait for review as activities do;
answers come two weeks to five months later, never after the last day of data.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from db.enums import ActivityStatus, DocumentKind, OpinionOutcome
from db.models.dialogue import document_search_key
from tracker.demo.dialogue_words import (
    BINDING,
    CHANCERY,
    CHANNELS,
    DOCUMENT_NOTES,
    ESF_MEASURES,
    EU_ACTS,
    EU_INSTITUTION,
    JOINT_FRAMES,
    LAWS,
    MONTHS_LV,
    MUNICIPAL_KINDS,
    MUNICIPAL_OTHER,
    MUNICIPAL_POLICIES,
    NEW_LAWS,
    OPINION_NOTES,
    OUTCOMES,
    POLICIES,
    PROPOSALS,
    REGULATIONS,
    REPORTS,
    RETURN_COMMENTS,
    SOURCES,
    SUMMARY_FRAMES,
    TAP_KINDS,
    TOPICS,
)
from tracker.demo.plan import DATA_START
from tracker.demo.tables import (
    DOCUMENT_MONITORING,
    DOCUMENTS,
    OPINION_AUTHORS,
    OPINIONS,
    Muni,
    ascii_text,
    genitive,
    locative,
    moment,
    weekday_between,
)
from tracker.demo.words import CITY_WEIGHTS, HOLIDAYS

if TYPE_CHECKING:  # the generator runs the register; it only reads the generator
    from tracker.demo.generator import Enrolment, Generator

K, S = DocumentKind, ActivityStatus
SECOND_MONITOR = 0.22  # share of national and EU documents a second incubator follows
JOINT = 0.15  # share of opinions with co-authors (one or two)
NEW_SAEIMA = dt.date(2026, 11, 3)  # the 15th Saeima convenes: its bills are `Nr./Lp15`
Choice = TypeVar("Choice")
MONTH_PACE = (0.9, 1.0, 1.1, 1.1, 1.0, 0.9, 0.55, 0.65, 1.05, 1.1, 1.1, 0.8)


@dataclass
class Doc:
    """A document as drawn, before its reference is given."""

    id: int
    source: str  # tap, saeima, municipal, eu
    kind: DocumentKind
    title: str
    institution: str
    topics: str
    published: dt.date
    deadline: dt.date | None
    adopted: dt.date | None
    monitors: list[tuple[int, dt.date]]  # (incubator index, monitored from)
    muni: Muni | None = None
    ref: str = ""
    url: str = ""


@dataclass
class _Window:
    """The days an incubator could submit an opinion on a document."""

    first: dt.date
    last: dt.date
    doc: Doc


@dataclass
class _Authors:
    """Organisations of an incubator that may sign opinions, and when."""

    enrolments: list[Enrolment] = field(default_factory=list)
    windows: list[tuple[dt.date, dt.date]] = field(default_factory=list)


class Dialogue:
    """Draws and inserts the documents, their monitoring, the opinions and their authors."""

    def __init__(self, gen: Generator, rng: random.Random) -> None:
        self.gen, self.rng = gen, rng
        self.as_of = gen.as_of
        self.docs: list[Doc] = []

    def run(self) -> None:
        if self.gen.plan.documents:
            self.documents()
        if self.gen.plan.opinions and self.docs:
            self.opinions()

    # Documents -------------------------------------------------------------------------------

    def _days(self, count: int) -> list[dt.date]:
        """The first monitoring days of `count` documents, in order."""
        days, cumulative, total = [], [], 0.0
        day = DATA_START
        while day <= self.as_of:
            if day.weekday() < 5:
                ramp = min(1.0, 0.4 + (day - DATA_START).days / 60)
                total += MONTH_PACE[day.month - 1] * ramp * (0.1 if day in HOLIDAYS else 1.0)
                days.append(day)
                cumulative.append(total)
            day += dt.timedelta(days=1)
        if not days:
            days, cumulative = [self.as_of], [1.0]
        return sorted(self.rng.choices(days, cum_weights=cumulative, k=count))

    def documents(self) -> None:
        gen, rng = self.gen, self.rng
        incs = gen.ref.incubators
        inc_weights = [rng.uniform(0.85, 1.15) for _ in incs]
        by_region = {inc.region: index for index, inc in enumerate(incs)}
        munis = [m for m in gen.ref.municipalities if m.region in by_region]
        first_id = gen.next_id(DOCUMENTS)
        for offset, first in enumerate(self._days(gen.plan.documents)):
            source = _pick(rng, SOURCES)
            muni = None
            if source == "municipal":
                here = [m for m in munis if m.valid_on(first)]
                muni = rng.choices(here, [CITY_WEIGHTS.get(m.name, 1.5) for m in here])[0]
                inc = by_region[muni.region]
            else:
                inc = rng.choices(range(len(incs)), inc_weights)[0]
            doc = self._document(first_id + offset, source, first, inc, muni)
            if len(incs) > 1 and rng.random() < (SECOND_MONITOR if muni is None else 0.03):
                other = rng.choice([i for i in range(len(incs)) if i != inc])
                since = _working_day(first + dt.timedelta(days=rng.randint(0, 25)), first,
                                     self.as_of)
                if since <= self.as_of:
                    doc.monitors.append((other, since))
            self.docs.append(doc)
        self._references()
        self._insert_documents()

    def _document(self, doc_id: int, source: str, first: dt.date, inc: int,
                  muni: Muni | None) -> Doc:
        rng = self.rng
        lag = rng.choices((rng.randint(0, 3), rng.randint(4, 20), rng.randint(30, 240)),
                          (80, 15, 5))[0]
        published = first - dt.timedelta(days=lag if source != "eu" else rng.randint(0, 20))
        while published.weekday() >= 5:  # published on a working day
            published -= dt.timedelta(days=1)
        kind, title, institution, topics = self._words(source, published, muni)
        if source == "tap":
            weeks = rng.choice((2, 2, 2, 3, 4))
        elif source == "municipal":
            weeks = rng.choice((2, 3, 4, 4))
        elif source == "eu":
            weeks = 8
        else:
            weeks = rng.choice((2, 3, 4, 5))
        no_deadline = (kind is K.OTHER and rng.random() < 0.4) or \
            (source == "saeima" and rng.random() < 0.3)
        deadline = None if no_deadline else published + dt.timedelta(weeks=weeks)
        while deadline is not None and deadline.weekday() >= 5:
            deadline += dt.timedelta(days=1)
        delays = {"saeima": (40, 250), "municipal": (20, 90), "eu": (300, 700)}
        low, high = delays.get(source, (60, 300) if kind is K.LAW else
                               (10, 60) if kind is K.OTHER else (30, 150))
        adopted = None
        base = deadline or published + dt.timedelta(days=30)
        if rng.random() < 0.93:  # the rest withdrawn or stuck
            day = base + dt.timedelta(days=rng.randint(low, high))
            if day <= self.as_of:
                adopted = _working_day(day, base, self.as_of)
        return Doc(doc_id, source, kind, title, institution, topics, published, deadline,
                   adopted, [(inc, max(first, published))], muni)

    def _words(self, source: str, day: dt.date, muni: Muni | None
               ) -> tuple[DocumentKind, str, str, str]:
        """Kind, title, drafting institution and topics."""
        rng = self.rng
        year = day.year + rng.choice((0, 1))
        if source == "eu":
            title, topics = rng.choice(EU_ACTS)
            return K.EU_ACT, title, EU_INSTITUTION, topics
        if source == "saeima":
            law, _, committee, topics = rng.choice(LAWS)
            return K.LAW, f"Grozījumi {law}", committee, topics
        if source == "municipal":
            assert muni is not None
            council = _council(muni)
            kind = _pick(rng, MUNICIPAL_KINDS)
            values = {"place": locative(muni), "council": council, "y": year,
                      "y2": year + rng.choice((4, 5, 6))}
            if kind is K.MUNICIPAL_BINDING_REGULATION:
                subject, topics = rng.choice(BINDING)
                title = f"Saistošie noteikumi “{subject.format(**values)}”"
            else:
                template, topics = rng.choice(MUNICIPAL_POLICIES if kind is K.POLICY_DOCUMENT
                                              else MUNICIPAL_OTHER)
                title = template.format(**values)
            return kind, title, f"{council} pašvaldība", topics
        kind = _pick(rng, TAP_KINDS)
        if kind is K.LAW:
            if rng.random() < 0.15:
                name, ministry, _, topics = rng.choice(NEW_LAWS)
                return kind, f"Likumprojekts “{name}”", ministry, topics
            law, ministry, _, topics = rng.choice(LAWS)
            return kind, f"Grozījumi {law}", ministry, topics
        if kind is K.POLICY_DOCUMENT:
            template, ministry, topics = rng.choice(POLICIES)
            return kind, template.format(y=year, y2=year + rng.choice((3, 4, 5))), ministry, \
                topics
        if kind is K.OTHER:
            subject, institution, topics = rng.choice(REPORTS)
            return kind, f"Informatīvais ziņojums “{subject}”", institution, topics
        roll = rng.random()
        if roll < 0.2:
            measure, topics = rng.choice(ESF_MEASURES)
            return kind, (f"Eiropas Savienības kohēzijas politikas programmas 2021.–2027. gadam "
                          f"pasākuma “{measure}” īstenošanas noteikumi"), "Finanšu ministrija", \
                topics
        title, ministry, topics = rng.choice(REGULATIONS)
        if roll < 0.65:  # an earlier regulation amended
            earlier = dt.date(rng.randint(2010, 2023), rng.randint(1, 12), rng.randint(1, 28))
            title = (f"Grozījumi Ministru kabineta {earlier.year}. gada {earlier.day}. "
                     f"{MONTHS_LV[earlier.month - 1]} noteikumos Nr. {rng.randint(50, 900)} "
                     f"“{title}”")
        return kind, title, ministry if rng.random() < 0.95 else CHANCERY, topics

    def _references(self) -> None:
        """TAP, Saeima and Commission numbers rising in order of publication; municipal
        documents numbered per council and year; links to match."""
        rng = self.rng
        by_year: dict[tuple[str, int], list[Doc]] = {}
        for doc in sorted(self.docs, key=lambda d: (d.published, d.id)):
            key = doc.source if doc.source != "saeima" else \
                ("lp15" if doc.published >= NEW_SAEIMA else "lp14")
            year = doc.published.year if doc.source in ("tap", "eu") else 0
            if doc.source == "municipal":
                assert doc.muni is not None
                key, year = f"{_short(doc.muni)}-{_code(doc.kind)}", doc.published.year
            by_year.setdefault((key, year), []).append(doc)
        for (key, year), docs in by_year.items():
            # Real numbering runs to some thousands a year: gaps where others' drafts are.
            gap = max(1, min(6, 2_600 // len(docs)))
            number = {"lp14": rng.randint(550, 650), "eu": rng.randint(5, 40)}.get(
                key, rng.randint(1, 20) if key == "tap" else 0)
            for doc in docs:
                number += rng.randint(1, gap) if key in ("tap", "eu", "lp14") else 1
                yy = year % 100
                if key == "tap":
                    doc.ref = f"{yy:02d}-TA-{number}"
                    doc.url = f"https://tapportals.mk.gov.lv/legal_acts/{self._uuid()}"
                elif key == "eu":
                    doc.ref = f"COM({year}) {number}"
                    doc.url = ("https://eur-lex.europa.eu/legal-content/LV/TXT/?uri=CELEX:5"
                               f"{year}PC{number:04d}")
                elif key in ("lp14", "lp15"):
                    lp = key.removeprefix("lp")
                    doc.ref = f"{number}/Lp{lp}"
                    doc.url = (f"https://titania.saeima.lv/LIVS{lp}/saeimalivs{lp}.nsf/"
                               f"webSasaiste?OpenView&restricttocategory={number}/Lp{lp}")
                else:
                    assert doc.muni is not None
                    doc.ref = f"{key}-{year}-{number:02d}"
                    doc.url = f"https://{_domain(doc.muni)}/lv/dokumenti/{doc.ref.lower()}"

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _insert_documents(self) -> None:
        gen, rng = self.gen, self.rng
        rows: list[dict[str, Any]] = []
        monitoring: list[dict[str, Any]] = []
        monitoring_id = gen.next_id(DOCUMENT_MONITORING)
        incs = gen.ref.incubators
        for doc in self.docs:
            first = min(day for _, day in doc.monitors)
            stamp = moment(first, rng)
            rows.append({
                "id": doc.id, "ref": doc.ref, "title": doc.title,
                "institution": doc.institution, "kind": doc.kind.value,
                "level": "municipal" if doc.source == "municipal" else
                "eu" if doc.source == "eu" else "national",
                "published_on": doc.published, "deadline": doc.deadline,
                "adopted_on": doc.adopted, "url": doc.url, "topics": doc.topics,
                "note": rng.choice(DOCUMENT_NOTES) if rng.random() < 0.05 else None,
                "search": document_search_key(doc.ref, doc.title, doc.institution),
                "created_by_id": gen.staff[doc.monitors[0][0]], "deleted_at": None,
                "version": 1, "created_at": stamp, "updated_at": stamp})
            for inc, since in doc.monitors:
                monitoring.append({"id": monitoring_id, "document_id": doc.id,
                                   "incubator_id": incs[inc].id, "incubator_key": incs[inc].id,
                                   "monitored_from": since})
                monitoring_id += 1
        gen.insert(DOCUMENTS, rows)
        gen.insert(DOCUMENT_MONITORING, monitoring)

    # Opinions --------------------------------------------------------------------------------

    def _authors(self) -> tuple[list[_Authors], list[float], list[tuple[int, Enrolment]]]:
        """Who may sign, per incubator; and the enrolments weighted as milestones were."""
        rng, as_of = self.rng, self.as_of
        per_inc = [_Authors() for _ in self.gen.ref.incubators]
        picks: list[tuple[int, Enrolment]] = []
        cumulative: list[float] = []
        total = 0.0
        for e in self.gen.enrolments:
            if e.admitted is None or e.admitted + dt.timedelta(days=14) > as_of:
                continue
            first = e.admitted + dt.timedelta(days=14)
            last = min(as_of, (e.graduated or e.closed or as_of) + dt.timedelta(days=180))
            per_inc[e.inc].enrolments.append(e)
            per_inc[e.inc].windows.append((first, max(first, last)))
            total += rng.choice((0.3, 0.6, 1.0, 1.0, 1.5, 2.5, 4.0)) * max(1, (last - first).days)
            cumulative.append(total)
            picks.append((len(per_inc[e.inc].enrolments) - 1, e))
        return per_inc, cumulative, picks

    def _windows(self) -> list[list[_Window]]:
        """Per incubator, the documents it monitors with the days to comment, by first day."""
        windows: list[list[_Window]] = [[] for _ in self.gen.ref.incubators]
        for doc in self.docs:
            for inc, since in doc.monitors:
                end = doc.deadline or since + dt.timedelta(days=30)
                end = max(end, since) + dt.timedelta(days=self.rng.choice((0, 0, 0, 10, 30)))
                if doc.adopted is not None:
                    end = min(end, doc.adopted)
                last = min(end, self.as_of)
                if last >= since:
                    windows[inc].append(_Window(since, last, doc))
        for found in windows:
            found.sort(key=lambda w: (w.first, w.doc.id))
        return windows

    def opinions(self) -> None:
        gen, rng = self.gen, self.rng
        per_inc, cumulative, picks = self._authors()
        if not picks:
            return
        windows = self._windows()
        starts = [[w.first for w in found] for found in windows]
        drawn: list[tuple[dt.date, int, Doc, list[int]]] = []
        misses = 0
        while len(drawn) < gen.plan.opinions and misses < 50 * gen.plan.opinions:
            index, e = picks[rng.choices(range(len(picks)), cum_weights=cumulative)[0]]
            low, high = per_inc[e.inc].windows[index]
            found = windows[e.inc]
            # documents whose days to comment can reach into the organisation's window
            lo = bisect.bisect_left(starts[e.inc], low - dt.timedelta(days=120))
            hi = bisect.bisect_right(starts[e.inc], high)
            choice = None
            for _ in range(12):
                if lo >= hi:
                    break
                w = found[rng.randrange(lo, hi)]
                if w.last >= low and w.first <= high:
                    choice = w
                    break
            if choice is None:
                misses += 1
                continue
            day = weekday_between(rng, max(low, choice.first), min(high, choice.last))
            authors = [e.org]
            if rng.random() < JOINT:
                authors += self._co_authors(per_inc[e.inc], e.org, day, rng.choice((1, 1, 2)))
            drawn.append((day, e.inc, choice.doc, authors))
        drawn.sort(key=lambda d: (d[0], d[1], d[2].id))
        self._insert_opinions(drawn)

    def _co_authors(self, pool: _Authors, main: int, day: dt.date, wanted: int) -> list[int]:
        rng = self.rng
        chosen: list[int] = []
        for _ in range(40):
            if len(chosen) == wanted:
                break
            k = rng.randrange(len(pool.enrolments))
            org = pool.enrolments[k].org
            first, last = pool.windows[k]
            if first <= day <= last and org != main and org not in chosen:
                chosen.append(org)
        if not chosen:  # nobody else active that day: a neighbour from the region
            region = self.gen.ref.incubators[pool.enrolments[0].inc].region
            others = [o for o in self.gen.region_pool.get(region, []) if o != main]
            if others:
                chosen.append(rng.choice(others))
        return chosen

    def _status(self, day: dt.date) -> tuple[ActivityStatus, str | None]:
        """As activities: old records approved, the last weeks waiting, a few drafts."""
        age = (self.as_of - day).days
        roll = self.rng.random()
        if age <= 21:
            status = S.DRAFT if roll < 0.15 else S.SUBMITTED if roll < 0.9 else S.APPROVED
        elif age <= 60:
            status = S.SUBMITTED if roll < 0.4 else S.RETURNED if roll < 0.44 else S.APPROVED
        else:
            status = S.RETURNED if roll < 0.005 else S.APPROVED
        return status, self.rng.choice(RETURN_COMMENTS) if status is S.RETURNED else None

    def _outcome(self, day: dt.date, status: ActivityStatus
                 ) -> tuple[OpinionOutcome, dt.date | None]:
        """The institution's answer, if it has come by the last day of data."""
        rng = self.rng
        if status is S.DRAFT:
            return OpinionOutcome.PENDING, None
        outcome = _pick(rng, OUTCOMES)
        answered = day + dt.timedelta(days=rng.randint(14, 150))
        if outcome is OpinionOutcome.NO_ANSWER:
            silent = day + dt.timedelta(days=120)  # given up on after four months
            return (outcome, None) if silent <= self.as_of else (OpinionOutcome.PENDING, None)
        if answered > self.as_of:
            return OpinionOutcome.PENDING, None
        return outcome, _working_day(answered, day, self.as_of)

    def _summary(self, doc: Doc, authors: int) -> str:
        rng = self.rng
        topics = [t.strip() for t in doc.topics.split(";") if t.strip() in PROPOSALS]
        proposal = rng.choice(PROPOSALS[rng.choice(topics) if topics else rng.choice(TOPICS)])
        if authors > 1 and rng.random() < 0.5:
            return rng.choice(JOINT_FRAMES).format(n=authors, p=proposal)
        return rng.choice(SUMMARY_FRAMES).format(p=proposal)

    def _insert_opinions(self, drawn: list[tuple[dt.date, int, Doc, list[int]]]) -> None:
        gen, rng = self.gen, self.rng
        rows: list[dict[str, Any]] = []
        authors: list[dict[str, Any]] = []
        opinion_id = gen.next_id(OPINIONS)
        numbers: dict[tuple[int, int], int] = {}
        for day, inc, doc, orgs in drawn:
            status, comment = self._status(day)
            outcome, answered = self._outcome(day, status)
            created = moment(min(day + dt.timedelta(days=rng.randint(0, 3)), self.as_of), rng)
            updated = created
            if status is S.APPROVED:
                updated = min(created + dt.timedelta(days=rng.randint(1, 10)), gen.last_moment)
            if answered is not None:
                updated = max(updated, moment(answered or day, rng))
            number = numbers[(inc, day.year)] = numbers.get((inc, day.year), 0) + 1
            rows.append({
                "id": opinion_id, "incubator_id": gen.ref.incubators[inc].id,
                "document_id": doc.id, "external_ref": f"V-{day.year % 100:02d}-{number:03d}",
                "submitted_on": day, "channel": _pick(rng, CHANNELS[doc.source]).value,
                "summary": self._summary(doc, len(orgs)), "outcome": outcome.value,
                "answered_on": answered,
                "note": rng.choice(OPINION_NOTES) if rng.random() < 0.08 else None,
                "status": status.value, "review_comment": comment,
                "submitted_at": None if status is S.DRAFT else created,
                "author_id": gen.staff[inc], "deleted_at": None, "version": 1,
                "created_at": created, "updated_at": min(max(created, updated),
                                                         gen.last_moment)})
            authors.extend({"opinion_id": opinion_id, "organization_id": org}
                           for org in sorted(orgs))
            opinion_id += 1
        gen.insert(OPINIONS, rows)
        gen.insert(OPINION_AUTHORS, authors)


def _pick(rng: random.Random, weighted: tuple[tuple[Choice, int], ...]) -> Choice:
    return rng.choices([c for c, _ in weighted], [w for _, w in weighted])[0]


def _working_day(day: dt.date, low: dt.date, high: dt.date) -> dt.date:
    """`day` moved off the weekend: to the Monday after, else the Friday before, within
    [low, high]."""
    moved = day
    while moved.weekday() >= 5 and moved < high:
        moved += dt.timedelta(days=1)
    if moved.weekday() < 5:
        return moved
    while day.weekday() >= 5 and day > low:
        day -= dt.timedelta(days=1)
    return day


# Names of councils -----------------------------------------------------------------------

def _council(m: Muni) -> str:
    """`Talsu novada`, `Liepājas valstspilsētas`: the council's name before `pašvaldība`."""
    return genitive(m) if m.kind == "novads" else f"{genitive(m)} valstspilsētas"


def _short(m: Muni) -> str:
    """The council's part of its documents' own references: `TALSU`, `LIEPAJA`."""
    return ascii_text(m.name.removesuffix(" novads")).upper().replace(" ", "")


def _code(kind: DocumentKind) -> str:
    return {K.MUNICIPAL_BINDING_REGULATION: "SN", K.POLICY_DOCUMENT: "PL"}.get(kind, "NOL")


def _domain(m: Muni) -> str:
    """`talsunovads.lv`, `liepaja.lv`: as the councils' own sites are called."""
    name = ascii_text(m.name.removesuffix(" novads")).replace(" ", "")
    return f"{name}novads.lv" if m.kind == "novads" else f"{name}.lv"
