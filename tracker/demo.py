"""Deterministic demo data for `tracker demo`: a believable programme, or the national benchmark."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Connection, Engine, Table, func, insert, literal, select
from tqdm import tqdm

from db import data_version
from db.enums import (
    ActivityFormat,
    ActivityStatus,
    ActivityType,
    AssessmentKind,
    CapacityArea,
    EnrollmentStatus,
    LegalForm,
    MilestoneKind,
    Role,
)
from db.models import (
    Activity,
    ActivityArea,
    Assessment,
    AssessmentScore,
    Base,
    Cohort,
    Enrollment,
    Incubator,
    Indicator,
    IndicatorEntry,
    Milestone,
    Municipality,
    Organization,
    Participation,
    Program,
    Region,
    Target,
    User,
)
from tracker.analytics import rollups
from tracker.auth import hash_password
from tracker.errors import TrackerError
from tracker.i18n import DEFAULT_LANGUAGE, normalise_language
from tracker.schemas import legal_entity_reg_nos
from tracker.services.assessments import capacity_index

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
        ]
        if self.scale == "demo" and self.accounts:
            lines.append(f"Demo accounts (password \"{DEMO_PASSWORD}\"):")
            width = max(len(email) for email, _ in self.accounts)
            lines.extend(f"  {email:<{width}}  {role}" for email, role in self.accounts)
        return "\n".join(lines)


# The plan: how much of everything -----------------------------------------------------------

@dataclass(frozen=True)
class _Cycle:
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
class _Plan:
    scale: str
    organizations: int
    riga_share: float  # share of organisations in the Rīga region, which has no incubator
    cycles: tuple[_Cycle, ...]
    activities: int
    participations: int | None  # exact total, or None to let every activity draw its own
    milestones: int
    reg_no_gap: int  # up to this many registration numbers are skipped between two
    chunk: int = 20_000  # rows per INSERT batch
    activity_chunk: int = 10_000  # activities generated and inserted at a time


def _demo_plan(seed: int, as_of: dt.date) -> _Plan:
    rng = random.Random(f"{seed}:plan")
    # The same pace of work whatever the date: counts grow with the days covered.
    share = (as_of - DATA_START).days / (PLANNED_UNTIL - DATA_START).days
    # Public facts: cycle 1 graduated 52 (13 × 4), cycle 2 admitted 58.
    second = tuple(rng.sample((14, 14, 15, 15), 4))
    return _Plan(
        scale="demo", organizations=300, riga_share=0.16,
        cycles=(
            _Cycle(1, dt.date(2025, 2, 1), dt.date(2025, 12, 15), 15, (13,), (1, 2), (1, 3),
                   (0, 0)),
            _Cycle(2, dt.date(2026, 1, 15), dt.date(2026, 11, 30), 15, second, (0, 0), (1, 3),
                   (0, 2)),
        ),
        activities=max(1, round(rng.randint(2_000, 2_400) * share)), participations=None,
        milestones=round(rng.randint(220, 260) * share), reg_no_gap=30, chunk=5_000,
        activity_chunk=1_000)


NATIONAL_PLAN = _Plan(
    scale="national", organizations=24_000, riga_share=0.36,
    cycles=(
        _Cycle(1, dt.date(2025, 2, 1), dt.date(2025, 8, 29), 140, (120,), (5, 10), (10, 20),
               (0, 0)),
        _Cycle(2, dt.date(2025, 5, 5), dt.date(2025, 12, 12), 140, (120,), (5, 10), (10, 20),
               (0, 0)),
        _Cycle(3, dt.date(2025, 9, 1), dt.date(2026, 3, 31), 140, (120,), (5, 10), (10, 20),
               (0, 0)),
        _Cycle(4, dt.date(2026, 1, 15), dt.date(2026, 9, 30), 140, (120,), (3, 8), (10, 20),
               (0, 0)),
        _Cycle(5, dt.date(2026, 4, 1), dt.date(2026, 11, 30), 140, (120,), (1, 4), (10, 20),
               (2, 6)),
    ),
    activities=200_000, participations=1_000_000, milestones=20_000, reg_no_gap=2)


# Words: places, names, topics ---------------------------------------------------------------

REGION_GENITIVE = {"RIGA": "Pierīgas", "KURZEME": "Kurzemes", "LATGALE": "Latgales",
                   "VIDZEME": "Vidzemes", "ZEMGALE": "Zemgales"}
REGION_LOCATIVE = {"RIGA": "Pierīgā", "KURZEME": "Kurzemē", "LATGALE": "Latgalē",
                   "VIDZEME": "Vidzemē", "ZEMGALE": "Zemgalē"}
# Rough relative sizes of the state cities' NGO sectors; a novads counts 1.5.
CITY_WEIGHTS = {"Rīga": 14.0, "Daugavpils": 4.0, "Liepāja": 3.5, "Jelgava": 3.0,
                "Jūrmala": 2.5, "Ventspils": 2.0, "Rēzekne": 2.0}
CITY_LOCATIVE = {"Rīga": "Rīgā", "Daugavpils": "Daugavpilī", "Jelgava": "Jelgavā",
                 "Jūrmala": "Jūrmalā", "Liepāja": "Liepājā", "Rēzekne": "Rēzeknē",
                 "Ventspils": "Ventspilī"}

# Towns, parishes and city districts of each municipality, in the genitive ("Kuldīgas ...").
PLACES: dict[str, tuple[str, ...]] = {
    "0001000": ("Rīgas", "Purvciema", "Imantas", "Āgenskalna", "Ziepniekkalna", "Mežciema",
                "Teikas", "Pļavnieku", "Ķengaraga", "Vecmīlgrāvja", "Čiekurkalna", "Zolitūdes",
                "Bolderājas", "Juglas", "Sarkandaugavas", "Torņakalna", "Grīziņkalna", "Avotu",
                "Mežaparka", "Iļģuciema", "Dreiliņu", "Vecāķu", "Šampētera", "Bieriņu",
                "Berģu", "Vecrīgas", "Maskavas forštates", "Pārdaugavas", "Brasas", "Skanstes",
                "Dārzciema", "Jaunciema", "Trīsciema", "Buļļu", "Spilves", "Ķīpsalas",
                "Mūkupurva", "Dzirciema", "Zasulauka", "Šķirotavas", "Katlakalna",
                "Pleskodāles", "Kundziņsalas", "Bišumuižas", "Dārziņu", "Jaunmīlgrāvja"),
    "0002000": ("Daugavpils", "Grīvas", "Jaunbūves", "Gajoka", "Ruģeļu", "Esplanādes",
                "Cietokšņa", "Vecstropu", "Jaunstropu", "Križu"),
    "0003000": ("Jelgavas", "Pārlielupes", "Miezītes", "Pasta salas"),
    "0004000": ("Jūrmalas", "Ķemeru", "Dubultu", "Kauguru", "Majoru", "Bulduru", "Slokas",
                "Lielupes"),
    "0005000": ("Liepājas", "Karostas", "Ezerkrasta", "Vecliepājas", "Jaunliepājas"),
    "0006000": ("Rēzeknes",),
    "0007000": ("Ventspils", "Pārventas", "Ostgala"),
    "0020000": ("Aizkraukles", "Kokneses", "Skrīveru", "Jaunjelgavas", "Pļaviņu", "Neretas"),
    "0021000": ("Alūksnes", "Apes", "Jaunannas", "Zeltiņu", "Trapenes"),
    "0022000": ("Ilūkstes", "Subates", "Naujenes", "Višķu", "Eglaines", "Kalkūnes"),
    "0023000": ("Ādažu", "Carnikavas", "Kadagas"),
    "0024000": ("Balvu", "Viļakas", "Rugāju", "Baltinavas", "Tilžas"),
    "0025000": ("Bauskas", "Iecavas", "Vecumnieku", "Rundāles", "Skaistkalnes"),
    "0026000": ("Cēsu", "Priekuļu", "Līgatnes", "Jaunpiebalgas", "Vecpiebalgas", "Amatas"),
    "0027000": ("Aizputes", "Grobiņas", "Pāvilostas", "Priekules", "Rucavas", "Nīcas", "Durbes",
                "Vaiņodes"),
    "0028000": ("Dobeles", "Auces", "Tērvetes", "Bēnes", "Penkules"),
    "0029000": ("Gulbenes", "Stāmerienas", "Lejasciema", "Tirzas", "Litenes"),
    "0030000": ("Ozolnieku", "Elejas", "Kalnciema", "Zaļenieku", "Svētes", "Valgundes"),
    "0031000": ("Jēkabpils", "Viesītes", "Aknīstes", "Salas", "Krustpils"),
    "0032000": ("Krāslavas", "Dagdas", "Indras", "Skaistas", "Piedrujas"),
    "0033000": ("Kuldīgas", "Skrundas", "Alsungas", "Rudbāržu", "Snēpeles"),
    "0034000": ("Ķekavas", "Baldones", "Baložu", "Daugmales"),
    "0035000": ("Limbažu", "Salacgrīvas", "Alojas", "Ainažu", "Staiceles"),
    "0036000": ("Līvānu", "Rožupes", "Jersikas", "Turku"),
    "0037000": ("Ludzas", "Kārsavas", "Zilupes", "Ciblas", "Istras"),
    "0038000": ("Madonas", "Lubānas", "Cesvaines", "Ērgļu", "Barkavas"),
    "0038001": ("Madonas", "Lubānas", "Cesvaines", "Ērgļu", "Barkavas", "Varakļānu"),
    "0039000": ("Mārupes", "Babītes", "Piņķu", "Jaunmārupes"),
    "0040000": ("Ogres", "Lielvārdes", "Ķeguma", "Ikšķiles", "Madlienas", "Suntažu"),
    "0041000": ("Olaines", "Jaunolaines"),
    "0042000": ("Preiļu", "Aglonas", "Riebiņu", "Vārkavas", "Pelēču"),
    "0043000": ("Viļānu", "Maltas", "Kaunatas", "Nautrēnu", "Lūznavas", "Ozolaines"),
    "0044000": ("Ropažu", "Stopiņu", "Garkalnes", "Ulbrokas", "Vangažu"),
    "0045000": ("Salaspils", "Acones"),
    "0046000": ("Saldus", "Brocēnu", "Kursīšu", "Nīgrandes", "Blīdenes"),
    "0047000": ("Saulkrastu", "Zvejniekciema"),
    "0048000": ("Siguldas", "Inčukalna", "Krimuldas", "Mālpils", "Allažu"),
    "0049000": ("Smiltenes", "Raunas", "Palsmanes", "Blomes", "Launkalnes"),
    "0051000": ("Talsu", "Sabiles", "Stendes", "Rojas", "Dundagas", "Mērsraga",
                "Valdemārpils"),
    "0052000": ("Tukuma", "Kandavas", "Engures", "Jaunpils", "Smārdes"),
    "0053000": ("Valkas", "Strenču", "Sedas", "Ērģemes"),
    "0054000": ("Valmieras", "Rūjienas", "Mazsalacas", "Burtnieku", "Kocēnu", "Naukšēnu"),
    "0055000": ("Varakļānu", "Murmastienes"),
    "0056000": ("Ugāles", "Piltenes", "Užavas", "Tārgales", "Popes"),
}

# Where each incubator mostly meets (ATVK): its seat first, then a second town.
HUBS = {"KURZEME": ("0005000", "0033000"), "LATGALE": ("0006000", "0002000"),
        "VIDZEME": ("0054000", "0026000"), "ZEMGALE": ("0003000", "0031000")}


@dataclass(frozen=True)
class _Theme:
    field: str  # field of activity, as the organisations describe themselves
    weight: int
    groups: tuple[str, ...]  # genitive plural: "jauniešu", "senioru", ...
    nouns: tuple[str, ...]
    fund: str  # genitive for a foundation: "Latgales kultūras fonds"


THEMES: tuple[_Theme, ...] = (
    _Theme("kopienas attīstība", 14, ("kopienas", "iedzīvotāju", "kaimiņu", "ciema"),
           ("attīstības biedrība", "padome", "iniciatīva", "biedrība", "centrs"), "kopienu"),
    _Theme("jaunatne", 12, ("jauniešu", "jaunatnes", "skolēnu"),
           ("centrs", "klubs", "iniciatīva", "apvienība", "kustība", "telpa"), "jaunatnes"),
    _Theme("kultūra", 12, ("kultūras", "folkloras", "tautas mākslas", "teātra", "kora"),
           ("biedrība", "centrs", "kopa", "studija", "apvienība"), "kultūras"),
    _Theme("sports", 10, ("sporta", "basketbola", "volejbola", "futbola", "orientēšanās",
                          "šaha", "vieglatlētikas", "slēpošanas", "riteņbraukšanas"),
           ("klubs", "skola", "biedrība"), "sporta"),
    _Theme("seniori", 8, ("senioru", "pensionāru"), ("biedrība", "klubs", "apvienība", "skola"),
           "senioru atbalsta"),
    _Theme("ģimenes", 8, ("ģimeņu", "daudzbērnu ģimeņu", "vecāku", "jauno māmiņu"),
           ("klubs", "biedrība", "atbalsta centrs", "apvienība"), "ģimeņu atbalsta"),
    _Theme("sociālie pakalpojumi", 7, ("cilvēku ar invaliditāti", "neredzīgo", "nedzirdīgo",
                                        "sociālā atbalsta"),
           ("biedrība", "atbalsta centrs", "apvienība"), "sociālā atbalsta"),
    _Theme("izglītība", 7, ("izglītības", "mūžizglītības", "pieaugušo izglītības"),
           ("centrs", "biedrība", "apvienība"), "izglītības"),
    _Theme("vide", 5, ("vides", "dabas draugu", "putnu draugu"),
           ("kustība", "klubs", "biedrība", "iniciatīva"), "vides"),
    _Theme("kultūrvēsturiskais mantojums", 5, ("novadpētnieku", "vēstures", "mantojuma"),
           ("biedrība", "klubs", "apvienība"), "mantojuma"),
    _Theme("lauku attīstība", 5, ("lauku sieviešu", "mājražotāju", "biškopju", "dārzkopju"),
           ("biedrība", "apvienība", "klubs"), "lauku attīstības"),
    _Theme("uzņēmējdarbība", 3, ("uzņēmēju", "amatnieku", "jauno uzņēmēju"),
           ("biedrība", "klubs", "padome", "apvienība"), "uzņēmējdarbības atbalsta"),
    _Theme("veselība", 3, ("veselības", "sirds veselības", "pacientu"),
           ("biedrība", "atbalsta grupa", "klubs"), "veselības"),
    _Theme("dzīvnieku aizsardzība", 2, ("dzīvnieku draugu", "dzīvnieku aizsardzības"),
           ("biedrība", "kustība"), "dzīvnieku aizsardzības"),
    _Theme("tūrisms", 2, ("tūrisma", "velotūrisma", "ceļotāju"), ("biedrība", "klubs", "centrs"),
           "tūrisma attīstības"),
    _Theme("medības un makšķerēšana", 3, ("mednieku", "makšķernieku"),
           ("klubs", "biedrība", "kolektīvs"), "dabas"),
    _Theme("pilsoniskā līdzdalība", 3, ("pilsoniskās sabiedrības", "līdzdalības",
                                         "brīvprātīgo"),
           ("centrs", "forums", "tīkls", "kustība"), "pilsoniskās sabiedrības"),
)
THEME_WEIGHTS = tuple(theme.weight for theme in THEMES)
RELIGION = "reliģija"
RELIGIOUS = _Theme(RELIGION, 0, (), (), "")
UNION = _Theme("darba tiesības", 0, (), (), "")

LANDMARKS = ("baznīcas", "muižas", "dzirnavu", "estrādes", "parka", "ezera", "pilskalna",
             "tautas nama", "bibliotēkas", "vecās skolas")
LANDMARK_SUFFIXES = ("atjaunošanas biedrība", "draugu biedrība", "attīstības biedrība")
CREATIVE = ("Dzīvesprieks", "Saulespuķe", "Varavīksne", "Tilts", "Spārni", "Ozolzīle",
            "Pūpols", "Dzirnakmens", "Ābeļzieds", "Gaismas taka", "Kopā varam",
            "Sirds siltums", "Stiprās saknes", "Jaunā paaudze", "Rīta ausma", "Zaļais krasts",
            "Ceļa zīme", "Mazā pasaule", "Sadarbības telpa", "Radošā darbnīca", "Pīlādzītis",
            "Zīļuks", "Dzērvenīte", "Vālodze", "Atvasara", "Atbalss", "Ugunskurs",
            "Dzintara krasts", "Baltā māja", "Labie darbi", "Zvaigžņu ceļš", "Aktīvā kopiena",
            "Laimes lāde", "Dzīves ritms", "Saknes un spārni", "Ziedu pļava", "Putnu dziesma",
            "Kokle", "Avots", "Tauriņš", "Sniegpulkstenīte", "Klēts", "Tērce", "Vēja zvani",
            "Mēs paši", "Cerību sala", "Dzīpariņš", "Rūķis")
CONGREGATIONS = ("evaņģēliski luteriskā draudze", "Romas katoļu draudze", "baptistu draudze",
                 "pareizticīgo draudze")
PATRONS = ("Sv. Jāņa", "Sv. Pētera", "Sv. Marijas", "Sv. Trīsvienības", "Sv. Mateja",
           "Sv. Pāvila", "Sv. Annas", "Sv. Gertrūdes", "Sv. Lūkas", "Sv. Jēkaba", "Sv. Miķeļa",
           "Sv. Nikolaja", "Kristus", "Lutera")
UNIONS = ("izglītības darbinieku", "mediķu", "kultūras darbinieku", "pašvaldības darbinieku",
          "slimnīcas", "vidusskolas", "pamatskolas", "bibliotēkas", "sociālā dienesta",
          "ostas", "autobusu parka")

MALE_NAMES = ("Jānis", "Andris", "Mārtiņš", "Kārlis", "Edgars", "Artūrs", "Aigars", "Juris",
              "Raivis", "Gints", "Valdis", "Uldis", "Roberts", "Kristaps", "Dainis", "Normunds",
              "Guntis", "Ivars", "Oskars", "Rihards", "Armands", "Ainārs", "Toms", "Gatis",
              "Aivars")
FEMALE_NAMES = ("Anna", "Ilze", "Inese", "Līga", "Kristīne", "Laura", "Dace", "Sanita", "Ieva",
                "Zane", "Baiba", "Agnese", "Santa", "Elīna", "Evija", "Marta", "Solvita", "Gunta",
                "Rasma", "Aija", "Līva", "Sarmīte", "Ināra", "Daiga", "Vija", "Anita", "Linda",
                "Signe", "Madara")
SURNAMES = (("Bērziņš", "Bērziņa"), ("Kalniņš", "Kalniņa"), ("Ozoliņš", "Ozoliņa"),
            ("Jansons", "Jansone"), ("Ozols", "Ozola"), ("Liepiņš", "Liepiņa"),
            ("Krūmiņš", "Krūmiņa"), ("Balodis", "Balode"), ("Eglītis", "Eglīte"),
            ("Zariņš", "Zariņa"), ("Pētersons", "Pētersone"), ("Vītols", "Vītola"),
            ("Kļaviņš", "Kļaviņa"), ("Kārkliņš", "Kārkliņa"), ("Vanags", "Vanaga"),
            ("Lapiņš", "Lapiņa"), ("Siliņš", "Siliņa"), ("Strazds", "Strazda"),
            ("Zvirbulis", "Zvirbule"), ("Grīnbergs", "Grīnberga"), ("Rozītis", "Rozīte"),
            ("Dambītis", "Dambīte"), ("Ābols", "Ābola"), ("Sproģis", "Sproģe"),
            ("Zeltiņš", "Zeltiņa"), ("Mednis", "Medne"), ("Kalējs", "Kalēja"), ("Vilks", "Vilka"),
            ("Lācis", "Lāce"), ("Skujiņš", "Skujiņa"), ("Priede", "Priede"),
            ("Rancāns", "Rancāne"), ("Vaivods", "Vaivode"), ("Upītis", "Upīte"),
            ("Birznieks", "Birzniece"), ("Gailītis", "Gailīte"), ("Daugulis", "Daugule"),
            ("Jurāns", "Jurāne"), ("Leja", "Leja"), ("Znotiņš", "Znotiņa"))

# (e-mail, role, incubator code, full name); staff e-mails follow DESIGN.md §4.
ACCOUNTS: tuple[tuple[str, Role, str | None, str], ...] = (
    ("admin@demo.lv", Role.ADMIN, None, "Andris Bērziņš"),
    ("manager@demo.lv", Role.MANAGER, None, "Inese Kalniņa"),
    ("funder@demo.lv", Role.FUNDER, None, "Māris Ozols"),
)
STAFF_NAMES = {"KURZEME": "Laura Krūmiņa", "LATGALE": "Aivars Rancāns",
               "VIDZEME": "Dace Zariņa", "ZEMGALE": "Edgars Vītols"}

CONSULTATIONS: tuple[tuple[A, str], ...] = (
    (A.GOVERNANCE, "Konsultācija par statūtu grozījumiem"),
    (A.GOVERNANCE, "Konsultācija par valdes darba organizēšanu"),
    (A.GOVERNANCE, "Konsultācija par biedru sapulces sagatavošanu"),
    (A.GOVERNANCE, "Konsultācija par sabiedriskā labuma organizācijas statusu"),
    (A.GOVERNANCE, "Konsultācija par personas datu aizsardzību"),
    (A.STRATEGY, "Konsultācija par organizācijas stratēģijas izstrādi"),
    (A.STRATEGY, "Konsultācija par darbības plāna sagatavošanu"),
    (A.STRATEGY, "Konsultācija par mērķu un rezultātu rādītāju noteikšanu"),
    (A.FINANCE, "Konsultācija par projekta pieteikuma sagatavošanu"),
    (A.FINANCE, "Konsultācija par projekta budžeta plānošanu"),
    (A.FINANCE, "Konsultācija par grāmatvedības kārtošanu"),
    (A.FINANCE, "Konsultācija par ziedojumu piesaisti"),
    (A.FINANCE, "Konsultācija par gada pārskata sagatavošanu"),
    (A.FINANCE, "Konsultācija par projekta atskaites sagatavošanu"),
    (A.PEOPLE, "Konsultācija par brīvprātīgo piesaisti un noturēšanu"),
    (A.PEOPLE, "Konsultācija par darba līgumiem un atlīdzību"),
    (A.PEOPLE, "Konsultācija par jaunu biedru piesaisti"),
    (A.DELIVERY, "Konsultācija par pakalpojuma attīstību"),
    (A.DELIVERY, "Konsultācija par sociālās uzņēmējdarbības iespējām"),
    (A.DELIVERY, "Konsultācija par pasākumu organizēšanu"),
    (A.DELIVERY, "Konsultācija par ietekmes novērtēšanu"),
    (A.COMMUNICATION, "Konsultācija par komunikācijas plānu"),
    (A.COMMUNICATION, "Konsultācija par sociālo tīklu saturu"),
    (A.COMMUNICATION, "Konsultācija par mājaslapas izveidi"),
    (A.COMMUNICATION, "Konsultācija par darbu ar medijiem"),
    (A.ADVOCACY, "Konsultācija par viedokļa sagatavošanu TAP portālā"),
    (A.ADVOCACY, "Konsultācija par līdzdalību pašvaldības lēmumu pieņemšanā"),
    (A.ADVOCACY, "Konsultācija par sadarbību ar pašvaldību"),
    (A.ADVOCACY, "Konsultācija par dalību konsultatīvajās padomēs"),
)
MENTORING: tuple[tuple[A, str], ...] = (
    (A.GOVERNANCE, "Mentora sesija: valdes loma un atbildība"),
    (A.STRATEGY, "Mentora sesija: stratēģiskā plānošana"),
    (A.STRATEGY, "Mentora sesija: organizācijas attīstības plāns"),
    (A.FINANCE, "Mentora sesija: finansējuma avotu dažādošana"),
    (A.FINANCE, "Mentora sesija: finanšu plānošana"),
    (A.PEOPLE, "Mentora sesija: komandas vadība"),
    (A.PEOPLE, "Mentora sesija: brīvprātīgo koordinēšana"),
    (A.DELIVERY, "Mentora sesija: pakalpojumu kvalitāte"),
    (A.DELIVERY, "Mentora sesija: mērķauditorijas sasniegšana"),
    (A.COMMUNICATION, "Mentora sesija: organizācijas tēls un vēstījums"),
    (A.COMMUNICATION, "Mentora sesija: komunikācija ar atbalstītājiem"),
    (A.ADVOCACY, "Mentora sesija: interešu aizstāvība"),
    (A.ADVOCACY, "Mentora sesija: sadarbība ar valsts pārvaldi"),
)
TRAININGS: tuple[tuple[A, str], ...] = (
    (A.FINANCE, "Apmācības “Projektu pieteikumu rakstīšana”"),
    (A.FINANCE, "Apmācības “Finanšu vadība biedrībās un nodibinājumos”"),
    (A.FINANCE, "Apmācības “Ziedojumu un kopienu finansējuma piesaiste”"),
    (A.GOVERNANCE, "Apmācības “NVO labas pārvaldības principi”"),
    (A.GOVERNANCE, "Apmācības “Datu aizsardzība NVO darbā”"),
    (A.STRATEGY, "Apmācības “Stratēģiskā plānošana NVO”"),
    (A.PEOPLE, "Apmācības “Brīvprātīgo vadība”"),
    (A.PEOPLE, "Apmācības “Komandas motivācija un izdegšanas novēršana”"),
    (A.DELIVERY, "Apmācības “Projektu vadība”"),
    (A.DELIVERY, "Apmācības “Sociālā uzņēmējdarbība”"),
    (A.COMMUNICATION, "Apmācības “Efektīva komunikācija sociālajos tīklos”"),
    (A.COMMUNICATION, "Apmācības “Publiskā runa un prezentācijas prasmes”"),
    (A.COMMUNICATION, "Apmācības “Vizuālā komunikācija ar Canva”"),
    (A.ADVOCACY, "Apmācības “Līdzdalība politikas veidošanā un TAP portāls”"),
    (A.ADVOCACY, "Apmācības “Interešu aizstāvība pašvaldībā”"),
)
WORKSHOPS: tuple[tuple[A, str], ...] = (
    (A.STRATEGY, "Darbnīca “Organizācijas vīzija un misija”"),
    (A.STRATEGY, "Darbnīca “Rīcības plāns nākamajam gadam”"),
    (A.FINANCE, "Darbnīca “No idejas līdz projekta pieteikumam”"),
    (A.FINANCE, "Darbnīca “Budžeta plānošana praksē”"),
    (A.COMMUNICATION, "Darbnīca “Stāstu stāstīšana organizācijām”"),
    (A.COMMUNICATION, "Darbnīca “Satura plāns sociālajiem tīkliem”"),
    (A.DELIVERY, "Darbnīca “Dizaina domāšana pakalpojumu attīstībā”"),
    (A.PEOPLE, "Darbnīca “Brīvprātīgo programmas izveide”"),
    (A.ADVOCACY, "Darbnīca “Viedokļa rakstīšana”"),
)
# {in_region}: the incubator's region in the locative ("Kurzemē").
THINK_TANKS: tuple[tuple[A, str], ...] = (
    (A.ADVOCACY, "Domnīca “Jauniešu līdzdalība {in_region}”"),
    (A.ADVOCACY, "Domnīca “NVO un pašvaldību sadarbība {in_region}”"),
    (A.STRATEGY, "Domnīca “Pilsoniskās sabiedrības nākotne {in_region}”"),
    (A.ADVOCACY, "Domnīca “Līdzdalības budžets {in_region}”"),
    (A.DELIVERY, "Domnīca “Senioru iesaiste kopienas dzīvē”"),
    (A.ADVOCACY, "Domnīca “Pašvaldību NVO atbalsta programmas”"),
    (A.STRATEGY, "Domnīca “Lauku kopienu nākotne”"),
    (A.ADVOCACY, "Domnīca “Vides pieejamība visiem”"),
    (A.FINANCE, "Domnīca “NVO finansējuma ilgtspēja”"),
)
# {place}: the municipality in the locative, {of_region}: the region in the genitive.
NETWORKING: tuple[tuple[A, str], ...] = (
    (A.COMMUNICATION, "NVO kafija {place}"),
    (A.COMMUNICATION, "NVO tīklošanās pasākums {place}"),
    (A.COMMUNICATION, "{of_region} NVO forums"),
    (A.PEOPLE, "Cikla dalībnieku satikšanās"),
    (A.FINANCE, "NVO un uzņēmēju tīklošanās {place}"),
    (A.ADVOCACY, "NVO un pašvaldības tikšanās {place}"),
)
STUDY_VISITS: tuple[tuple[A, str], ...] = (
    (A.DELIVERY, "Pieredzes apmaiņas vizīte {place}"),
    (A.DELIVERY, "Mācību vizīte {place}: sociālie pakalpojumi"),
    (A.GOVERNANCE, "Mācību vizīte {place}: biedrību pārvaldība"),
    (A.PEOPLE, "Pieredzes apmaiņa {place}: brīvprātīgo darbs"),
)
# {council}: the municipality in the genitive ("Kuldīgas novada").
CIVIC_DIALOGUE: tuple[tuple[A, str], ...] = (
    (A.ADVOCACY, "Atbalsts viedokļa sagatavošanai par pašvaldības attīstības programmu"),
    (A.ADVOCACY, "Atbalsts viedokļa sagatavošanai par teritorijas plānojuma grozījumiem"),
    (A.ADVOCACY, "Atbalsts viedokļa sagatavošanai par NVO projektu konkursa nolikumu"),
    (A.ADVOCACY, "Tikšanās ar {council} domes deputātiem"),
    (A.ADVOCACY, "Sagatavošanās sabiedriskajai apspriešanai"),
    (A.ADVOCACY, "Dalība {council} konsultatīvās padomes sēdē"),
    (A.COMMUNICATION, "Atbalsts līdzdalības budžeta projekta pieteikumam"),
)
NEXT_STEPS: dict[A, tuple[str, ...]] = {
    A.GOVERNANCE: ("Sagatavot statūtu grozījumu projektu biedru sapulcei.",
                   "Sasaukt valdes sēdi un vienoties par pienākumu sadali."),
    A.STRATEGY: ("Pabeigt SVID analīzi un precizēt stratēģiskos mērķus.",
                 "Sagatavot darbības plāna melnrakstu nākamajai tikšanās reizei."),
    A.FINANCE: ("Sagatavot projekta pieteikuma melnrakstu un nosūtīt mentoram.",
                "Izstrādāt nākamā gada budžeta projektu."),
    A.PEOPLE: ("Izveidot brīvprātīgo uzņemšanas aprakstu.",
               "Sarunāt pienākumu sadali komandā un to dokumentēt."),
    A.DELIVERY: ("Aprakstīt pakalpojuma mērķgrupu un izmaksas.",
                 "Savākt dalībnieku atsauksmes un izvērtēt rezultātus."),
    A.COMMUNICATION: ("Sagatavot komunikācijas plānu trim mēnešiem.",
                      "Atjaunot informāciju par organizāciju mājaslapā un sociālajos tīklos."),
    A.ADVOCACY: ("Sagatavot viedokli un iesniegt to TAP portālā līdz termiņam.",
                 "Pieteikties dalībai pašvaldības konsultatīvajā padomē."),
}
GROUP_NEXT_STEPS = ("Nosūtīt dalībniekiem prezentācijas materiālus.",
                    "Nākamā tikšanās pēc mēneša.",
                    "Dalībnieki līdz nākamajai reizei sagatavo mājasdarbu.")
RETURN_COMMENTS = ("Lūdzu pievienot dalībnieku sarakstu un precizēt dalībnieku skaitu.",
                   "Nav norādītas kapacitātes jomas; lūdzu papildināt.",
                   "Lūdzu precizēt pasākuma ilgumu stundās.")


@dataclass(frozen=True)
class _Profile:
    """How an activity type looks: how often, how many take part, how long, where."""

    weight: int
    orgs: tuple[int, int]  # organisations taking part, before scaling to a plan's total
    cohort_share: float  # share of them from a running cycle of the incubator
    attendees: tuple[int, int, int]  # cumulative weights of 1, 2, 3 people per organisation
    extra: tuple[float, int]  # chance of, and most, participants not from an organisation
    hours: tuple[tuple[Decimal, ...], tuple[int, ...]]  # choices and their weights
    formats: tuple[int, int, int]  # weights: in person, online, hybrid
    topics: tuple[tuple[A, str], ...]
    more_areas: float  # chance of a second capacity area


def _hours(*pairs: tuple[str, int]) -> tuple[tuple[Decimal, ...], tuple[int, ...]]:
    return tuple(Decimal(h) for h, _ in pairs), tuple(w for _, w in pairs)


PROFILES: dict[T, _Profile] = {
    T.CONSULTATION: _Profile(46, (1, 1), 0.85, (70, 95, 100), (0.0, 0),
                             _hours(("1", 35), ("1.5", 25), ("2", 25), ("2.5", 8), ("3", 7)),
                             (50, 45, 5), CONSULTATIONS, 0.15),
    T.MENTORING: _Profile(16, (1, 1), 0.9, (60, 90, 100), (0.0, 0),
                          _hours(("1.5", 40), ("2", 40), ("3", 20)), (45, 50, 5), MENTORING,
                          0.3),
    T.TRAINING: _Profile(10, (5, 16), 0.8, (60, 90, 100), (0.4, 6),
                         _hours(("3", 20), ("4", 35), ("6", 25), ("8", 15), ("16", 5)),
                         (60, 25, 15), TRAININGS, 0.3),
    T.WORKSHOP: _Profile(8, (4, 12), 0.8, (55, 90, 100), (0.3, 4),
                         _hours(("2", 25), ("3", 40), ("4", 30), ("6", 5)), (85, 10, 5),
                         WORKSHOPS, 0.4),
    T.THINK_TANK: _Profile(5, (5, 12), 0.35, (75, 100, 100), (0.6, 8),
                           _hours(("2", 30), ("3", 45), ("4", 25)), (70, 10, 20), THINK_TANKS,
                           0.5),
    T.NETWORKING: _Profile(6, (8, 25), 0.3, (50, 85, 100), (0.8, 15),
                           _hours(("2", 25), ("3", 40), ("4", 25), ("5", 10)), (90, 5, 5),
                           NETWORKING, 0.5),
    T.STUDY_VISIT: _Profile(2, (6, 14), 0.75, (70, 100, 100), (0.3, 3),
                            _hours(("6", 30), ("8", 40), ("10", 20), ("16", 10)), (100, 0, 0),
                            STUDY_VISITS, 0.6),
    T.CIVIC_DIALOGUE: _Profile(7, (1, 4), 0.5, (70, 100, 100), (0.2, 4),
                               _hours(("1", 20), ("1.5", 30), ("2", 35), ("3", 15)),
                               (60, 35, 5), CIVIC_DIALOGUE, 0.3),
}
TYPES: tuple[T, ...] = tuple(PROFILES)
TYPE_WEIGHTS = tuple(PROFILES[t].weight for t in TYPES)
SINGLE_ORG_TYPES = frozenset({T.CONSULTATION})  # always one organisation, never scaled
MAX_ORGS_PER_ACTIVITY = 60
FORMATS = (ActivityFormat.IN_PERSON.value, ActivityFormat.ONLINE.value,
           ActivityFormat.HYBRID.value)
AREAS: tuple[str, ...] = tuple(a.value for a in CapacityArea)
AREA_BIAS = {A.GOVERNANCE: 0.1, A.STRATEGY: -0.2, A.FINANCE: -0.2, A.PEOPLE: 0.0,
             A.DELIVERY: 0.4, A.COMMUNICATION: 0.0, A.ADVOCACY: -0.4}

# Latvian public holidays in the data period: almost nothing happens on them.
HOLIDAYS = frozenset(dt.date.fromisoformat(d) for d in (
    "2025-04-18", "2025-04-21", "2025-05-01", "2025-05-05", "2025-06-23", "2025-06-24",
    "2025-11-18", "2025-12-24", "2025-12-25", "2025-12-26", "2025-12-31", "2026-01-01",
    "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-04", "2026-06-23", "2026-06-24",
    "2026-11-18", "2026-12-24", "2026-12-25", "2026-12-26", "2026-12-31"))

OPINIONS = ("Viedoklis par pašvaldības attīstības programmas projektu",
            "Viedoklis par grozījumiem Biedrību un nodibinājumu likumā",
            "Priekšlikumi jaunatnes politikas īstenošanas plānam",
            "Viedoklis par NVO projektu konkursa nolikuma projektu",
            "Iebildumi par teritorijas plānojuma grozījumiem",
            "Priekšlikumi sociālo pakalpojumu saistošajiem noteikumiem",
            "Viedoklis par grozījumiem Sabiedriskā labuma organizāciju likumā",
            "Priekšlikumi pašvaldības budžeta projektam",
            "Viedoklis par vides pieejamības prasībām publiskās ēkās",
            "Priekšlikumi kultūrpolitikas pamatnostādņu projektam")
FUNDERS = ("Sabiedrības integrācijas fonda NVO fonds", "Aktīvo iedzīvotāju fonds",
           "Valsts Kultūrkapitāla fonds", "pašvaldības NVO projektu konkurss",
           "LEADER programma", "Latvijas vides aizsardzības fonds", "Erasmus+ programma",
           "Ziemeļvalstu Ministru padomes NVO programma")
PARTNERS = ("pašvaldību", "vietējo vidusskolu", "bibliotēku", "kaimiņu biedrību",
            "sociālo dienestu", "vietējo uzņēmumu", "muzeju", "jauniešu centru")
SERVICES = ("senioru atbalsta grupa", "jauniešu brīvā laika centrs", "ģimeņu konsultācijas",
            "vides pieejamības audits", "transporta pakalpojums senioriem",
            "bērnu pieskatīšana pasākumu laikā", "digitālo prasmju nodarbības")
MILESTONE_WEIGHTS: tuple[tuple[MilestoneKind, int], ...] = (
    (MilestoneKind.OPINION_SUBMITTED, 45), (MilestoneKind.GRANT_APPLIED, 20),
    (MilestoneKind.STRATEGY_ADOPTED, 6), (MilestoneKind.NEW_PARTNERSHIP, 14),
    (MilestoneKind.NEW_MEMBERS, 8), (MilestoneKind.SERVICE_LAUNCHED, 6))
GRANT_AWARD_RATE = 0.45


# Helpers -------------------------------------------------------------------------------------

def _ascii(text: str) -> str:
    """ā -> a, ķ -> k, ...: e-mail addresses stay plain ASCII."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _stamp(day: dt.date, rng: random.Random) -> dt.datetime:
    """A working-hours moment on `day`, in UTC (Latvia is UTC+2/+3)."""
    return dt.datetime(day.year, day.month, day.day, rng.randint(6, 14), rng.randint(0, 59),
                       tzinfo=dt.UTC)


def _between(rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
    if high <= low:
        return low
    return low + dt.timedelta(days=rng.randint(0, (high - low).days))


def _weekday_between(rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
    """A day in [low, high], moved off the weekend when the range allows."""
    day = _between(rng, low, high)
    while day.weekday() >= 5 and day + dt.timedelta(days=1) <= high:
        day += dt.timedelta(days=1)
    return day


def _span(rng: random.Random, bounds: tuple[int, int]) -> int:
    return rng.randint(*bounds)


def _locative(m: _Muni) -> str:
    if m.kind == "novads":
        return m.name.removesuffix("novads") + "novadā"
    return CITY_LOCATIVE.get(m.name, m.name)


def _genitive(m: _Muni) -> str:
    if m.kind == "novads":
        return m.name.removesuffix("novads") + "novada"
    return PLACES.get(m.atvk, (m.name,))[0]


# What is already in the database -------------------------------------------------------------

@dataclass(frozen=True)
class _Muni:
    id: int
    atvk: str
    name: str
    kind: str
    region: str
    valid_from: dt.date
    valid_to: dt.date | None

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class _Inc:
    id: int
    code: str
    region: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class _Reference:
    municipalities: tuple[_Muni, ...]  # in ATVK order
    incubators: tuple[_Inc, ...]  # in code order
    docs_indicator_id: int | None


def _load_reference(conn: Connection) -> _Reference:
    munis = tuple(_Muni(r.id, r.atvk, r.name, r.kind, r.code, r.valid_from, r.valid_to)
                  for r in conn.execute(
                      select(Municipality.id, Municipality.atvk, Municipality.name,
                             Municipality.kind, Region.code, Municipality.valid_from,
                             Municipality.valid_to)
                      .join(Region, Region.id == Municipality.region_id)
                      .order_by(Municipality.atvk)))
    incs = tuple(_Inc(r.id, r.code, r.region, r.start_date, r.end_date)
                 for r in conn.execute(
                     select(Incubator.id, Incubator.code, Region.code.label("region"),
                            Program.start_date, Program.end_date)
                     .join(Region, Region.id == Incubator.region_id)
                     .join(Program, Program.id == Incubator.program_id)
                     .order_by(Incubator.code)))
    if not munis or not incs:
        raise DemoDataRefused(
            en="the database has no reference data: run `tracker init` first",
            lv="datubāzē nav references datu: vispirms palaidiet `tracker init`")
    docs = conn.scalar(select(Indicator.id).where(Indicator.code == "DOCS_MONITORED")
                       .order_by(Indicator.id).limit(1))
    return _Reference(munis, incs, docs)


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


USERS, ORGANIZATIONS, COHORTS, ENROLLMENTS = (
    _table(m) for m in (User, Organization, Cohort, Enrollment))
ACTIVITIES, ACTIVITY_AREAS, PARTICIPATIONS = (
    _table(m) for m in (Activity, ActivityArea, Participation))
ASSESSMENTS, ASSESSMENT_SCORES, MILESTONES, INDICATOR_ENTRIES = (
    _table(m) for m in (Assessment, AssessmentScore, Milestone, IndicatorEntry))
# Tables that must be empty; users may exist, as long as no demo account does.
DATA_TABLES = (ORGANIZATIONS, COHORTS, ENROLLMENTS, ACTIVITIES, ACTIVITY_AREAS, PARTICIPATIONS,
               ASSESSMENTS, ASSESSMENT_SCORES, MILESTONES, INDICATOR_ENTRIES)
ID_TABLES = (USERS, ORGANIZATIONS, COHORTS, ENROLLMENTS, ACTIVITIES, PARTICIPATIONS,
             ASSESSMENTS, MILESTONES, INDICATOR_ENTRIES)


def _check_empty(conn: Connection, emails: Sequence[str]) -> None:
    busy = [t.name for t in DATA_TABLES
            if conn.scalar(select(literal(1)).select_from(t).limit(1)) is not None]
    taken = list(conn.scalars(select(User.email).where(User.email.in_(emails))
                              .order_by(User.email)))
    if busy:
        raise DemoDataRefused(
            en=f"demo data goes only into an empty database, and these tables already have "
               f"rows: {', '.join(busy)} (run `tracker init` on a new database)",
            lv=f"demonstrācijas datus var ielādēt tikai tukšā datubāzē, bet šajās tabulās jau "
               f"ir ieraksti: {', '.join(busy)} (palaidiet `tracker init` jaunai datubāzei)")
    if taken:
        raise DemoDataRefused(
            en=f"the demo accounts already exist: {', '.join(taken)}",
            lv=f"demonstrācijas konti jau ir: {', '.join(taken)}")


def _can_copy(conn: Connection, table: Table, row: dict[str, Any]) -> bool:
    """COPY is several times faster than executemany on PostgreSQL (psycopg 3), but it
    skips Python-side column defaults: use it only when the rows give every such column."""
    if conn.dialect.name != "postgresql" or conn.dialect.driver != "psycopg":
        return False
    return all(c.default is None or c.name in row for c in table.columns)


def _copy(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    from psycopg import sql

    columns = list(rows[0])
    # SQLAlchemy serialises JSON with json.dumps before binding; COPY must get the same text.
    as_json = [isinstance(table.c[name].type, JSON) for name in columns]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(c) for c in columns))
    raw = conn.connection.driver_connection  # the same transaction as `conn`
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c]) if j and row[c] is not None else row[c]
                            for c, j in zip(columns, as_json, strict=True)])


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL hands out ids from sequences, which explicit ids do not advance."""
    if conn.dialect.name != "postgresql":
        return
    for table in ID_TABLES:
        top = conn.scalar(select(func.max(table.c.id)))
        if top is not None:
            conn.execute(select(func.setval(func.pg_get_serial_sequence(table.name, "id"),
                                            top)))


# The generator -------------------------------------------------------------------------------

@dataclass
class _Enrolment:
    id: int
    org: int
    cohort: int
    inc: int  # index into the reference incubators
    cycle: _Cycle
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


class _Generator:
    """Draws and inserts the data step by step, keeping what later steps refer to."""

    def __init__(self, conn: Connection, ref: _Reference, plan: _Plan, seed: int,
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
        self.cohorts: list[tuple[int, int, _Cycle]] = []  # (id, incubator index, cycle)
        self.enrolments: list[_Enrolment] = []
        self.known: list[list[int]] = [[] for _ in ref.incubators]  # orgs that applied

    # Every step draws from its own stream, so changing one step leaves the others as they are.
    def rng(self, step: str) -> random.Random:
        return random.Random(f"{self.seed}:{step}")

    def insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """Core executemany in batches (COPY on PostgreSQL where it gives the same rows)."""
        copy = bool(rows) and _can_copy(self.conn, table, rows[0])
        for start in range(0, len(rows), self.plan.chunk):
            batch = rows[start:start + self.plan.chunk]
            if copy:
                _copy(self.conn, table, batch)
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
        munis_of: dict[str, tuple[list[_Muni], list[float]]] = {}
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
            founded = self._founded(rng, form)
            specs.append((founded, index, {
                "name": name, "legal_form": form.value, "municipality_id": muni.id,
                "fields_of_activity": self._fields(rng, form, theme),
                "founded_on": founded, **self._size(rng, form), **self._contact(rng)}))
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
                     theme: _Theme, muni: _Muni) -> str:
        name = ""
        for attempt in range(40):
            name = self._name(rng, form, theme, muni)
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

    @staticmethod
    def _name(rng: random.Random, form: LegalForm, theme: _Theme, muni: _Muni) -> str:
        places = PLACES.get(muni.atvk, (_genitive(muni),))
        place = rng.choice(places)
        roll = rng.random()
        if form is LegalForm.OTHER:
            if theme.field == RELIGION:
                patron = f"{rng.choice(PATRONS)} " if rng.random() < 0.5 else ""
                return f"{place} {patron}{rng.choice(CONGREGATIONS)}"
            return f"{place} {rng.choice(UNIONS)} arodbiedrība"
        if roll < 0.12:
            # "Kuldīgas novada ...", "Rēzeknes pilsētas ..."
            place = _genitive(muni) if muni.kind == "novads" else f"{places[0]} pilsētas"
        elif roll < 0.2 and muni.name != "Rīga":  # Rīga is not "Pierīga"
            place = REGION_GENITIVE.get(muni.region, place)
        if form is LegalForm.FOUNDATION:
            if rng.random() < 0.8:
                return f"Nodibinājums “{place} {theme.fund} fonds”"
            return f"Nodibinājums “{place} {rng.choice(LANDMARKS)} atjaunošanas fonds”"
        pick = rng.random()
        if pick < 0.1:
            return f"Biedrība “{rng.choice(CREATIVE)}”"
        if pick < 0.2:
            return f"Biedrība “{place} {rng.choice(LANDMARKS)} {rng.choice(LANDMARK_SUFFIXES)}”"
        return f"Biedrība “{place} {rng.choice(theme.groups)} {rng.choice(theme.nouns)}”"

    @staticmethod
    def _fields(rng: random.Random, form: LegalForm, theme: _Theme) -> list[str]:
        if form is LegalForm.OTHER:
            return [theme.field]
        fields = [theme.field]
        for _ in range(rng.choices((0, 1, 2), (45, 40, 15))[0]):
            extra = rng.choices(THEMES, THEME_WEIGHTS)[0].field
            if extra not in fields:
                fields.append(extra)
        return fields

    @staticmethod
    def _founded(rng: random.Random, form: LegalForm) -> dt.date:
        # No dates after 2024, so that editing an organisation never meets "date in the future".
        low, high = rng.choices(((1990, 1999), (2000, 2009), (2010, 2019), (2020, 2024)),
                                (10, 30, 40, 20))[0]
        if form is LegalForm.OTHER:
            low, high = rng.choice(((1991, 1999), (2000, 2015)))
        return dt.date(rng.randint(low, high), 1, 1) + dt.timedelta(days=rng.randint(0, 364))

    @staticmethod
    def _size(rng: random.Random, form: LegalForm) -> dict[str, int | None]:
        members: int | None = None
        if form is not LegalForm.FOUNDATION:  # foundations have founders, not members
            members = max(2, min(2_000, int(rng.lognormvariate(2.8, 0.9))))
        volunteers = rng.choices((0, rng.randint(1, 10), rng.randint(10, 80)), (30, 50, 20))[0]
        employees = rng.choices((0, rng.randint(1, 3), rng.randint(4, 25)), (60, 30, 10))[0]
        if rng.random() < 0.08:
            return {"members": members, "volunteers": None, "employees": None}
        return {"members": members, "volunteers": volunteers, "employees": employees}

    @staticmethod
    def _contact(rng: random.Random) -> dict[str, str | None]:
        if rng.random() < 0.07:
            return {"contact_name": None, "contact_email": None, "contact_phone": None}
        female = rng.random() < 0.65
        first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
        surname = rng.choice(SURNAMES)[1 if female else 0]
        email = f"{_ascii(first)}.{_ascii(surname)}"
        if rng.random() < 0.3:
            email += str(rng.randint(1, 99))
        phone = f"+371 2{rng.randint(0, 9_999_999):07d}"
        return {"contact_name": f"{first} {surname}", "contact_email": f"{email}@example.lv",
                "contact_phone": phone if rng.random() < 0.9 else None}

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
                created = _stamp(planned, rng)
                cohort_rows.append({
                    "id": cohort_id, "incubator_id": inc.id, "number": cycle.number,
                    "name": f"{cycle.number}. cikls", "start_date": cycle.start,
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
                        "created_at": _stamp(e.applied, rng), "updated_at": _stamp(last, rng)})
                cohort_id += 1
        self.insert(COHORTS, cohort_rows)
        self.insert(ENROLLMENTS, rows)
        self.step()

    def _applicants(self, rng: random.Random, inc: _Inc) -> Iterator[int]:
        """Organisations of the incubator's region in random order, then any others."""
        pool = self.region_pool.get(inc.region, [])
        yield from rng.sample(pool, len(pool))
        seen = set(pool)
        rest = [o for o in range(1, len(self.org_muni) + 1) if o not in seen]
        yield from rng.sample(rest, len(rest))

    def _cycle_enrolments(self, rng: random.Random, inc_index: int, cohort_id: int,
                          cycle: _Cycle, queue: Iterator[int], first_id: int
                          ) -> list[_Enrolment]:
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
                    + [S.WITHDRAWN] * _span(rng, cycle.withdrawn)
                    + [S.REJECTED] * _span(rng, cycle.rejected)
                    + ([S.APPLIED] * _span(rng, cycle.waiting) if not ended else []))
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
            e = _Enrolment(first_id + offset, org, cohort_id, inc_index, cycle, status,
                           applied=_between(rng, *window))
            if status is S.APPLIED:
                if decision <= as_of:  # a late application, waiting for a free seat
                    e.applied = _between(rng, max(decision, as_of - dt.timedelta(days=30)), as_of)
            elif status is S.REJECTED:
                e.closed = decision
            else:
                e.admitted = decision
                if status is S.GRADUATED:
                    e.graduated = graduation
                elif status is S.WITHDRAWN:
                    last = min(graduation, as_of) - dt.timedelta(days=14)
                    e.closed = _between(rng, decision + dt.timedelta(days=21), last)
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

        def add(e: _Enrolment, kind: AssessmentKind, day: dt.date, values: list[int]) -> None:
            nonlocal next_id
            by_area = dict(zip(AREAS, values, strict=True))
            stamp = _stamp(day, rng)
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
            intake_day = _weekday_between(rng, e.admitted + dt.timedelta(days=3),
                                          min(e.admitted + dt.timedelta(days=20), end))
            intake = self._intake_scores(rng)
            final = self._growth(rng, intake)
            add(e, AssessmentKind.INTAKE, intake_day, intake)
            middle = e.cycle.start + (e.cycle.end - e.cycle.start) / 2
            if (rng.random() < 0.5 and middle + dt.timedelta(days=10) <= end
                    and middle > intake_day + dt.timedelta(days=30)):
                halfway = [i + (f - i) // 2 if f > i and rng.random() < 0.6 else i
                           for i, f in zip(intake, final, strict=True)]
                add(e, AssessmentKind.MIDPOINT,
                    _weekday_between(rng, middle - dt.timedelta(days=10),
                                     middle + dt.timedelta(days=10)), halfway)
            if e.graduated is not None:
                graduation_day = _weekday_between(rng, e.graduated - dt.timedelta(days=10),
                                                  e.graduated)
                add(e, AssessmentKind.GRADUATION, graduation_day, final)
                later = e.graduated + dt.timedelta(days=rng.randint(120, 200))
                if later <= self.as_of and rng.random() < 0.35:
                    drift = rng.choices((0, 1, -1), (70, 20, 10))[0]
                    area = rng.randrange(len(final))
                    follow = [min(4, max(1, s + drift)) if i == area else s
                              for i, s in enumerate(final)]
                    add(e, AssessmentKind.FOLLOW_UP,
                        _weekday_between(rng, later,
                                         min(later + dt.timedelta(days=6), self.as_of)),
                        follow)
        self.insert(ASSESSMENTS, rows)
        self.insert(ASSESSMENT_SCORES, scores)
        self.step()

    @staticmethod
    def _intake_scores(rng: random.Random) -> list[int]:
        level = rng.choices((1.6, 1.9, 2.2, 2.5, 2.8), (15, 30, 30, 17, 8))[0]
        return [min(4, max(1, round(level + AREA_BIAS[A(area)] + rng.gauss(0, 0.5))))
                for area in AREAS]

    @staticmethod
    def _growth(rng: random.Random, intake: list[int]) -> list[int]:
        """Graduation scores: most organisations improve, some stay flat, a few decline."""
        final = list(intake)
        roll = rng.random()
        if roll < 0.72:
            for area in rng.sample(range(len(final)), rng.randint(2, 5)):
                final[area] = min(4, final[area] + (2 if rng.random() < 0.1 else 1))
        elif roll < 0.9:
            if rng.random() < 0.3:
                up, down = rng.sample(range(len(final)), 2)
                final[up] = min(4, final[up] + 1)
                final[down] = max(1, final[down] - 1)
        else:
            for area in rng.sample(range(len(final)), rng.randint(1, 2)):
                final[area] = max(1, final[area] - 1)
        return final

    # Milestones and manual indicator entries ------------------------------------------------

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

        def add(e: _Enrolment, kind: MilestoneKind, day: dt.date, amount: Decimal | None,
                reference: str | None, description: str) -> None:
            nonlocal next_id
            stamp = _stamp(min(day + dt.timedelta(days=rng.randint(0, 7)), as_of), rng)
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
            day = _weekday_between(rng, *windows[pick])
            if kind is MilestoneKind.OPINION_SUBMITTED:
                # Opinions to ministries go through the TAP portal; councils get them by e-mail.
                reference = (f"TAP-{day.year}-{rng.randint(1, 9999):04d}"
                             if rng.random() < 0.75 else None)
                add(e, kind, day, None, reference, rng.choice(OPINIONS))
            elif kind is MilestoneKind.GRANT_APPLIED:
                funder = rng.choice(FUNDERS)
                amount = Decimal(rng.randint(16, 600) * 50)
                add(e, kind, day, amount, None, f"Projekta pieteikums: {funder}")
                awarded_on = day + dt.timedelta(days=rng.randint(45, 150))
                if (rng.random() < GRANT_AWARD_RATE and awarded_on <= as_of
                        and len(rows) < self.plan.milestones):
                    share = rng.choice((Decimal(1), Decimal(1), Decimal("0.8"), Decimal("0.6")))
                    add(e, MilestoneKind.GRANT_AWARDED, _weekday_between(
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

    def indicator_entries(self) -> None:
        """Documents monitored, entered by hand once a quarter by each incubator."""
        rng = self.rng("indicator entries")
        rows: list[dict[str, Any]] = []
        if self.ref.docs_indicator_id is not None:
            next_id = self.next_id(INDICATOR_ENTRIES)
            quarter_ends = [dt.date(y, m, d) for y in (2025, 2026)
                            for m, d in ((3, 31), (6, 30), (9, 30), (12, 31))
                            if dt.date(y, m, d) <= self.as_of]
            for inc_index, inc in enumerate(self.ref.incubators):
                for quarter, day in enumerate(quarter_ends):
                    stamp = _stamp(min(day + dt.timedelta(days=5), self.as_of), rng)
                    rows.append({
                        "id": next_id, "indicator_id": self.ref.docs_indicator_id,
                        "incubator_id": inc.id, "entry_date": day,
                        "value": Decimal(rng.randint(60, 140)),
                        "note": f"Uzraudzīti dokumenti TAP portālā un pašvaldību vietnēs, "
                                f"{day.year}. gada {quarter % 4 + 1}. ceturksnis",
                        "recorded_by_id": self.staff[inc_index], "version": 1,
                        "created_at": stamp, "updated_at": stamp})
                    next_id += 1
        self.insert(INDICATOR_ENTRIES, rows)
        self.incubator_targets()
        self.step()

    def incubator_targets(self) -> None:
        """Each incubator carries a quarter of every whole-programme target (rounded up), so
        the forecast can flag an incubator that falls behind its share."""
        programme = self.conn.execute(select(Target.indicator_id, Target.target_value).where(
            Target.incubator_id.is_(None), Target.year.is_(None))).all()
        stamp = _stamp(DATA_START, self.rng("incubator targets"))
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
        days, cumulative = _day_weights(self.as_of)
        inc_weights = [rng.uniform(0.85, 1.15) for _ in incs]
        inc_of = rng.choices(range(len(incs)), inc_weights, k=n)
        day_of = rng.choices(days, cum_weights=cumulative, k=n)
        type_of = rng.choices(range(len(TYPES)), TYPE_WEIGHTS, k=n)
        caps = [min(MAX_ORGS_PER_ACTIVITY, len(self.region_pool.get(inc.region, [])))
                for inc in incs]
        counts = _participant_counts(rng, type_of, [caps[i] for i in inc_of],
                                     plan.participations)
        order = sorted(range(n), key=lambda i: (day_of[i], inc_of[i]))
        stream = _ActivityStream(self, rng)
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
            self.step()

    def summary(self) -> DemoSummary:
        c = self.counts.get
        return DemoSummary(
            scale=self.plan.scale, seed=self.seed, organizations=c("organizations", 0),
            cohorts=c("cohorts", 0), enrollments=c("enrollments", 0),
            activities=c("activities", 0), participations=c("participations", 0),
            assessments=c("assessments", 0), milestones=c("milestones", 0),
            users=c("users", 0), indicator_entries=c("indicator_entries", 0),
            accounts=tuple(self.accounts))


def _day_weights(as_of: dt.date) -> tuple[list[dt.date], list[float]]:
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


def _participant_counts(rng: random.Random, type_of: Sequence[int], caps: Sequence[int],
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


class _ActivityStream:
    """Builds the rows of one activity at a time; pools of organisations are cached per day."""

    def __init__(self, gen: _Generator, rng: random.Random) -> None:
        self.gen, self.rng = gen, rng
        self.all_orgs = len(gen.org_muni)
        self.pools: dict[tuple[int, dt.date], list[tuple[int, list[int]]]] = {}
        self.places: dict[tuple[int, bool], list[_Muni]] = {}
        self.hubs: list[list[_Muni]] = []
        for inc in gen.ref.incubators:
            hubs = [gen.munis_by_atvk[a] for a in HUBS.get(inc.code, ())
                    if a in gen.munis_by_atvk]
            region = [m for m in gen.ref.municipalities if m.region == inc.region]
            self.hubs.append(hubs or region[:1] or list(gen.ref.municipalities[:1]))
        self.by_cohort: dict[int, list[_Enrolment]] = {}
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

    def place(self, inc: int, day: dt.date) -> _Muni:
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
                                place=_locative(muni), council=_genitive(muni))
        topic_areas = {area.value}
        if rng.random() < profile.more_areas:
            topic_areas.add(rng.choice(AREAS))
        areas.extend({"activity_id": activity_id, "area": a} for a in sorted(topic_areas))

        status, comment = self._status(day)
        created = _stamp(min(day + dt.timedelta(days=rng.randint(0, 3)), gen.as_of), rng)
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

    def _where(self, inc: int, day: dt.date, kind: T, fmt: str, orgs: list[int]) -> _Muni:
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


# Entry point ---------------------------------------------------------------------------------

def generate(engine: Engine, *, seed: int = 2025, scale: str = "demo",
             progress: bool = True, today: dt.date | None = None) -> DemoSummary:
    """Fill an empty, initialised database with deterministic data; all of it or nothing.

    The data runs up to the day before `today` (default: today), the same for the same seed
    and date; after the programme's end, it covers the whole programme.
    """
    as_of = last_day(today)
    if scale == "demo":
        plan = _demo_plan(seed, as_of)
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


def _generate(engine: Engine, *, seed: int, plan: _Plan, progress: bool,
              today: dt.date | None = None) -> DemoSummary:
    as_of = last_day(today)
    password_hash = hash_password(DEMO_PASSWORD)  # argon2 is slow on purpose: hash once
    steps = (1 + -(-plan.organizations // plan.chunk) + 4
             + -(-plan.activities // plan.activity_chunk))
    # A terminal gets a redrawn bar; a log (a pipe, a file) plain lines, never carriage returns.
    bar_cm: Any = (_Lines(steps) if progress and not sys.stderr.isatty() else
                   tqdm(total=steps, desc="demo data", unit="step", file=sys.stderr,
                        disable=not progress))
    with bar_cm as bar, engine.begin() as conn:
        ref = _load_reference(conn)
        emails = [a[0] for a in ACCOUNTS] + [f"staff.{i.code.lower()}@demo.lv"
                                             for i in ref.incubators]
        _check_empty(conn, emails)
        gen = _Generator(conn, ref, plan, seed, password_hash, bar, as_of)
        # The rollups are counted once at the end rather than row by row (see rollups.bulk).
        with rollups.bulk(conn, plan.activities * 6):
            _run_steps(gen, bar)
        _reset_sequences(conn)
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


def _run_steps(gen: _Generator, bar: Any) -> None:
    for name, run in (("accounts", gen.users), ("organisations", gen.organizations),
                      ("cohorts and enrolments", gen.cohorts_and_enrolments),
                      ("assessments", gen.assessments), ("milestones", gen.milestones),
                      ("indicator entries", gen.indicator_entries),
                      ("activities and participations", gen.activities)):
        bar.set_description(name)
        run()
