"""Reference data loaded by `tracker init`: regions, municipalities, the default programme."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db import migrate
from db.engine import make_session_factory, unit_of_work
from db.enums import ActivityType, IndicatorMethod, RegionCode
from db.models import Incubator, Indicator, Municipality, Program, Region, Target

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
MUNICIPALITIES_CSV = REFERENCE_DIR / "lv_municipalities.csv"

REGIONS: dict[RegionCode, tuple[str, str]] = {
    RegionCode.RIGA: ("Rīgas plānošanas reģions", "Riga planning region"),
    RegionCode.VIDZEME: ("Vidzemes plānošanas reģions", "Vidzeme planning region"),
    RegionCode.KURZEME: ("Kurzemes plānošanas reģions", "Kurzeme planning region"),
    RegionCode.ZEMGALE: ("Zemgales plānošanas reģions", "Zemgale planning region"),
    RegionCode.LATGALE: ("Latgales plānošanas reģions", "Latgale planning region"),
}

PROGRAM_CODE = "4.3.4.5/1/24/I/001"
PROGRAM_START = dt.date(2025, 1, 1)
PROGRAM_END = dt.date(2026, 12, 31)
PROGRAM_BUDGET = Decimal("336000")

INCUBATORS: dict[RegionCode, tuple[str, str]] = {
    RegionCode.KURZEME: ("Kurzemes NVO reģionālais inkubators", "Kurzeme regional NGO incubator"),
    RegionCode.LATGALE: ("Latgales NVO reģionālais inkubators", "Latgale regional NGO incubator"),
    RegionCode.VIDZEME: ("Vidzemes NVO reģionālais inkubators", "Vidzeme regional NGO incubator"),
    RegionCode.ZEMGALE: ("Zemgales NVO reģionālais inkubators", "Zemgale regional NGO incubator"),
}


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name_lv: str
    name_en: str
    method: IndicatorMethod
    parameter: str | None
    unit_lv: str
    unit_en: str
    targets: dict[int | None, int]  # year (None = whole programme) -> target


# The programme's public result targets (DESIGN.md §1), plus three tracked without a target.
INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("ORGS_SUPPORTED", "Biedrības un nodibinājumi, kas saņēmuši atbalstu inkubatoru "
                  "aktivitātēs", "Associations and foundations supported through incubator "
                  "activities", IndicatorMethod.ORGANIZATIONS_SUPPORTED, None,
                  "organizācijas", "organisations", {None: 250}),
    # Distinct people who met the completion rule (tracker.services.trained: default 12
    # hours of trainings), counted on the day they met it.
    IndicatorSpec("PEOPLE_TRAINED", "Apmācīti NVO vadītāji un biedri",
                  "NGO leaders and members trained", IndicatorMethod.PEOPLE_TRAINED, None,
                  "personas", "people", {None: 40}),
    # The civic-dialogue register (tracker.analytics.dialogue): distinct documents from the
    # day monitoring began, approved opinions (a joint one once), distinct authors.
    IndicatorSpec("DOCS_MONITORED", "Uzraudzīti politikas plānošanas dokumenti un tiesību akti",
                  "Policy and legal documents monitored", IndicatorMethod.DOCUMENTS_MONITORED,
                  None, "dokumenti", "documents", {None: 2500}),
    IndicatorSpec("OPINIONS_SUBMITTED", "Iesniegti formāli viedokļi", "Formal opinions submitted",
                  IndicatorMethod.OPINIONS, None, "viedokļi", "opinions",
                  {None: 100, 2025: 50, 2026: 50}),
    IndicatorSpec("ORGS_WITH_OPINIONS", "NVO, kas iesniegušas viedokļus", "NGOs submitting "
                  "opinions", IndicatorMethod.OPINION_ORGANIZATIONS, None, "organizācijas",
                  "organisations", {None: 50}),
    IndicatorSpec("CONSULTATIONS", "Individuālās konsultācijas", "Individual consultations",
                  IndicatorMethod.ACTIVITIES, ActivityType.CONSULTATION.value,
                  "konsultācijas", "consultations", {}),
    IndicatorSpec("CAPACITY_GAIN", "Organizācijas ar kapacitātes pieaugumu", "Organisations "
                  "with capacity gain", IndicatorMethod.CAPACITY_GAIN, None,
                  "organizācijas", "organisations", {}),
    # The attendees of trainings summed: attendances, not people (a person at two trainings
    # counts twice). PEOPLE_TRAINED counted this way until people were recorded one by one.
    IndicatorSpec("TRAINING_ATTENDANCES", "Apmācību apmeklējumi", "Training attendances",
                  IndicatorMethod.ATTENDEES, ActivityType.TRAINING.value,
                  "apmeklējumi", "attendances", {}),
)

# Indicators whose way of counting changed: code -> the (method, parameter) an older version
# stored. `tracker init` moves such a row to this file's method, keeping its targets.
FORMERLY: dict[str, tuple[IndicatorMethod, str | None]] = {
    "PEOPLE_TRAINED": (IndicatorMethod.ATTENDEES, ActivityType.TRAINING.value),
}


@dataclass(frozen=True)
class MunicipalityRow:
    iso: str
    atvk: str
    name: str
    kind: str
    region: RegionCode
    valid_from: dt.date
    valid_to: dt.date | None
    note: str | None


def read_municipalities(path: Path = MUNICIPALITIES_CSV) -> list[MunicipalityRow]:
    """The municipalities file shipped in tracker/reference (see ATTRIBUTION.md there)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            MunicipalityRow(
                iso=r["iso"], atvk=r["atvk"], name=r["name"], kind=r["kind"],
                region=RegionCode(r["region"]),
                valid_from=dt.date.fromisoformat(r["valid_from"]),
                valid_to=dt.date.fromisoformat(r["valid_to"]) if r["valid_to"] else None,
                note=r["note"] or None,
            )
            for r in csv.DictReader(handle)
        ]


def _successor(row: MunicipalityRow, rows: list[MunicipalityRow]) -> MunicipalityRow | None:
    """The unit that continues an ended one: same ISO code, else the one its note names."""
    if row.valid_to is None:
        return None
    next_day = row.valid_to + dt.timedelta(days=1)
    starting = [r for r in rows if r.valid_from == next_day]
    same_iso = [r for r in starting if r.iso == row.iso]
    if same_iso:
        return same_iso[0]
    named = [r for r in starting if row.note and f"merged into {r.name}" in row.note]
    return named[0] if named else None


def _load_regions(session: Session) -> dict[RegionCode, Region]:
    existing = {r.code: r for r in session.scalars(select(Region))}
    for code, (name_lv, name_en) in REGIONS.items():
        region = existing.get(code.value)
        if region is None:
            region = existing[code.value] = Region(code=code.value)
            session.add(region)
        region.name_lv, region.name_en = name_lv, name_en
    session.flush()
    return {RegionCode(code): region for code, region in existing.items()}


def _load_municipalities(session: Session, regions: dict[RegionCode, Region]) -> None:
    rows = read_municipalities()
    existing = {m.atvk: m for m in session.scalars(select(Municipality))}
    for row in rows:
        m = existing.get(row.atvk)
        if m is None:
            m = existing[row.atvk] = Municipality(atvk=row.atvk)
            session.add(m)
        m.iso, m.name, m.kind = row.iso, row.name, row.kind
        m.region_id = regions[row.region].id
        m.valid_from, m.valid_to, m.note = row.valid_from, row.valid_to, row.note
    session.flush()
    for row in rows:
        successor = _successor(row, rows)
        existing[row.atvk].successor_id = existing[successor.atvk].id if successor else None
    session.flush()


def _load_programme(session: Session, regions: dict[RegionCode, Region]) -> None:
    # Inserted when missing and never overwritten: administrators may edit these later.
    program = session.scalar(select(Program).where(Program.code == PROGRAM_CODE))
    if program is None:
        program = Program(code=PROGRAM_CODE, name_lv="NVO reģionālie inkubatori 2025–2026",
                          name_en="Regional NGO incubators 2025–2026", start_date=PROGRAM_START,
                          end_date=PROGRAM_END, budget_eur=PROGRAM_BUDGET)
        session.add(program)
        session.flush()
    incubator_budget = PROGRAM_BUDGET / len(INCUBATORS)
    for code, (name_lv, name_en) in INCUBATORS.items():
        if session.scalar(select(Incubator.id).where(Incubator.code == code.value)) is None:
            session.add(Incubator(program_id=program.id, code=code.value, name_lv=name_lv,
                                  name_en=name_en, region_id=regions[code].id,
                                  budget_eur=incubator_budget, start_date=program.start_date,
                                  end_date=program.end_date))
    for order, spec in enumerate(INDICATORS, start=1):
        indicator = session.scalar(select(Indicator).where(
            Indicator.program_id == program.id, Indicator.code == spec.code))
        if indicator is None:
            indicator = Indicator(program_id=program.id, code=spec.code, name_lv=spec.name_lv,
                                  name_en=spec.name_en, method=spec.method.value,
                                  parameter=spec.parameter, unit_lv=spec.unit_lv,
                                  unit_en=spec.unit_en, sort_order=order)
            session.add(indicator)
            session.flush()
            for year, value in spec.targets.items():
                session.add(Target(indicator_id=indicator.id, incubator_id=None, year=year,
                                   target_value=Decimal(value), incubator_key=0,
                                   year_key=year or 0))
        else:
            # Names and units follow this file (nobody edits them elsewhere), so a database
            # made by an older version gets the new wording on its next `tracker init`;
            # targets and order stay as they are, and the method too, unless it is the one
            # an older version counted by (FORMERLY).
            indicator.name_lv, indicator.name_en = spec.name_lv, spec.name_en
            indicator.unit_lv, indicator.unit_en = spec.unit_lv, spec.unit_en
            if FORMERLY.get(spec.code) == (IndicatorMethod(indicator.method),
                                           indicator.parameter):
                indicator.method, indicator.parameter = spec.method.value, spec.parameter
    session.flush()


def load_reference_data(session: Session) -> None:
    """Regions, municipalities and the default programme; running it twice changes nothing."""
    regions = _load_regions(session)
    _load_municipalities(session, regions)
    _load_programme(session, regions)


def init_database(engine: Engine) -> None:
    """Migrate to the newest schema and load the reference data (idempotent)."""
    migrate.upgrade(engine)
    with unit_of_work(make_session_factory(engine)) as session:
        load_reference_data(session)
