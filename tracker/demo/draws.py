"""Single random draws of the demo: an invented organisation's name, fields, founding date,
size and contact person (invented people only), and capacity scores at intake and graduation."""

from __future__ import annotations

import datetime as dt
import random

from db.enums import LegalForm
from tracker.demo.plan import A
from tracker.demo.tables import Muni, ascii_text, genitive
from tracker.demo.words import (
    AREA_BIAS,
    AREAS,
    CONGREGATIONS,
    CREATIVE,
    FEMALE_NAMES,
    LANDMARK_SUFFIXES,
    LANDMARKS,
    MALE_NAMES,
    PATRONS,
    PLACES,
    REGION_GENITIVE,
    RELIGION,
    SURNAMES,
    THEME_WEIGHTS,
    THEMES,
    UNIONS,
    Theme,
)


def organisation_name(rng: random.Random, form: LegalForm, theme: Theme, muni: Muni) -> str:
    places = PLACES.get(muni.atvk, (genitive(muni),))
    place = rng.choice(places)
    roll = rng.random()
    if form is LegalForm.OTHER:
        if theme.field == RELIGION:
            patron = f"{rng.choice(PATRONS)} " if rng.random() < 0.5 else ""
            return f"{place} {patron}{rng.choice(CONGREGATIONS)}"
        return f"{place} {rng.choice(UNIONS)} arodbiedrība"
    if roll < 0.12:
        # "Kuldīgas novada ...", "Rēzeknes pilsētas ..."
        place = genitive(muni) if muni.kind == "novads" else f"{places[0]} pilsētas"
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

def fields_of_activity(rng: random.Random, form: LegalForm, theme: Theme) -> list[str]:
    if form is LegalForm.OTHER:
        return [theme.field]
    fields = [theme.field]
    for _ in range(rng.choices((0, 1, 2), (45, 40, 15))[0]):
        extra = rng.choices(THEMES, THEME_WEIGHTS)[0].field
        if extra not in fields:
            fields.append(extra)
    return fields

def founded_on(rng: random.Random, form: LegalForm) -> dt.date:
    # No dates after 2024, so that editing an organisation never meets "date in the future".
    low, high = rng.choices(((1990, 1999), (2000, 2009), (2010, 2019), (2020, 2024)),
                            (10, 30, 40, 20))[0]
    if form is LegalForm.OTHER:
        low, high = rng.choice(((1991, 1999), (2000, 2015)))
    return dt.date(rng.randint(low, high), 1, 1) + dt.timedelta(days=rng.randint(0, 364))

def size_of(rng: random.Random, form: LegalForm) -> dict[str, int | None]:
    members: int | None = None
    if form is not LegalForm.FOUNDATION:  # foundations have founders, not members
        members = max(2, min(2_000, int(rng.lognormvariate(2.8, 0.9))))
    volunteers = rng.choices((0, rng.randint(1, 10), rng.randint(10, 80)), (30, 50, 20))[0]
    employees = rng.choices((0, rng.randint(1, 3), rng.randint(4, 25)), (60, 30, 10))[0]
    if rng.random() < 0.08:
        return {"members": members, "volunteers": None, "employees": None}
    return {"members": members, "volunteers": volunteers, "employees": employees}

def contact_person(rng: random.Random) -> dict[str, str | None]:
    if rng.random() < 0.07:
        return {"contact_name": None, "contact_email": None, "contact_phone": None}
    female = rng.random() < 0.65
    first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
    surname = rng.choice(SURNAMES)[1 if female else 0]
    email = f"{ascii_text(first)}.{ascii_text(surname)}"
    if rng.random() < 0.3:
        email += str(rng.randint(1, 99))
    phone = f"+371 2{rng.randint(0, 9_999_999):07d}"
    return {"contact_name": f"{first} {surname}", "contact_email": f"{email}@example.lv",
            "contact_phone": phone if rng.random() < 0.9 else None}

def intake_scores(rng: random.Random) -> list[int]:
    level = rng.choices((1.6, 1.9, 2.2, 2.5, 2.8), (15, 30, 30, 17, 8))[0]
    return [min(4, max(1, round(level + AREA_BIAS[A(area)] + rng.gauss(0, 0.5))))
            for area in AREAS]

def growth(rng: random.Random, intake: list[int]) -> list[int]:
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
