"""Capacity journeys: intake against latest, index change, the cohort funnel, support vs gain.

Definitions (the page states them too):

- An organisation's *intake* is its first live intake assessment (by date, then id), and its
  *latest* assessment the last live one of any kind, both of one cycle (the one with the most
  recent journey); the index change is latest minus intake.
- *Change from intake to graduation* pairs, within one cohort, the organisation's first intake
  assessment with its last graduation assessment (both recorded for that cohort).
- The *funnel* counts enrolments: applied = every enrolment (each began as an application),
  admitted = those that reached admission at some point (an admission date, or the status
  admitted or graduated; so graduated ones and those withdrawn after admission count too),
  graduated = status graduated.
- *Support received* = the hours of the live activities an organisation took part in, dated
  from its intake to its latest assessment (both days included); an activity counts its full
  hours once per organisation, and in each capacity area it addressed. Funders count approved
  activities only. Against the gain, an organisation's journey is one cycle: the intake and
  the latest assessment made for that cycle (another incubator's assessment, even of the
  same day, is another journey).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from db.enums import AssessmentKind, CapacityArea, EnrollmentStatus
from db.models import (
    Activity,
    ActivityArea,
    Assessment,
    AssessmentScore,
    Cohort,
    Enrollment,
    Incubator,
    Organization,
    Participation,
)
from tracker.analytics.scope import Filters, activity_conditions, incubators_in_scope
from tracker.auth import Actor, Area, can_open
from tracker.errors import NotFound, PermissionDenied
from tracker.i18n import latvian_sort_key

_CENT = Decimal("0.01")


def _require_reader(actor: Actor) -> None:
    """Programme-wide journeys are for managers, administrators and funders."""
    if not can_open(actor, Area.JOURNEYS):
        raise PermissionDenied()


def _cents(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _scoped(filters: Filters) -> bool:
    return bool(filters.region_code or filters.incubator_id)


def _cohorts_in_scope(filters: Filters) -> Select[int]:
    return select(Cohort.id).where(Cohort.incubator_id.in_(incubators_in_scope(filters)))


# --- one organisation ------------------------------------------------------------------------


class AssessmentSnapshot(BaseModel):
    """One assessment: when, what kind, its index and the score of each area."""

    model_config = ConfigDict(frozen=True)

    assessment_id: int
    kind: AssessmentKind
    assessed_on: dt.date
    capacity_index: Decimal
    scores: dict[CapacityArea, int]


class OrganizationRadar(BaseModel):
    """An organisation's intake (or first) assessment and its latest one."""

    model_config = ConfigDict(frozen=True)

    organization_id: int
    name: str
    intake: AssessmentSnapshot | None  # None: never assessed
    latest: AssessmentSnapshot | None  # None: the intake is the only assessment

    @property
    def change(self) -> Decimal | None:
        """Latest index minus intake index."""
        if self.intake is None or self.latest is None:
            return None
        return self.latest.capacity_index - self.intake.capacity_index


class IndexPoint(BaseModel):
    """One assessment on an organisation's capacity index line."""

    model_config = ConfigDict(frozen=True)

    assessed_on: dt.date
    kind: AssessmentKind
    capacity_index: Decimal


def _organization_name(session: Session, organization_id: int) -> str:
    name = session.scalar(select(Organization.name).where(Organization.id == organization_id))
    if name is None:
        raise NotFound("organization", organization_id)
    return name


def _live_of(organization_id: int) -> list[ColumnElement[bool]]:
    return [Assessment.organization_id == organization_id, Assessment.deleted_at.is_(None)]


def _snapshot(session: Session, assessment_id: int | None) -> AssessmentSnapshot | None:
    if assessment_id is None:
        return None
    head = session.execute(select(Assessment.kind, Assessment.assessed_on,
                                  Assessment.capacity_index)
                           .where(Assessment.id == assessment_id)).one()
    scores = {CapacityArea(area): int(score) for area, score in session.execute(
        select(AssessmentScore.area, AssessmentScore.score)
        .where(AssessmentScore.assessment_id == assessment_id))}
    return AssessmentSnapshot(assessment_id=assessment_id, kind=AssessmentKind(head.kind),
                              assessed_on=head.assessed_on,
                              capacity_index=head.capacity_index, scores=scores)


def organization_radar(session: Session, *, actor: Actor, organization_id: int
                       ) -> OrganizationRadar:
    """Scores per area at intake (the first assessment if none is an intake) and latest,
    both of one cycle: the cycle with the most recent journey (an intake and a later
    assessment), else the cycle of the latest assessment. Another incubator's assessment
    never stands in for this cycle's."""
    _require_reader(actor)
    name = _organization_name(session, organization_id)
    journeys = _journeys(Filters()).subquery()
    journey = session.execute(
        select(journeys.c.intake_id, journeys.c.latest_id)
        .where(journeys.c.organization_id == organization_id)
        .order_by(journeys.c.latest_on.desc(), journeys.c.latest_id.desc()).limit(1)).first()
    if journey is not None:
        return OrganizationRadar(organization_id=organization_id, name=name,
                                 intake=_snapshot(session, journey.intake_id),
                                 latest=_snapshot(session, journey.latest_id))
    live = _live_of(organization_id)
    newest = session.scalar(select(Assessment.cohort_id).where(*live)
                            .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
                            .limit(1))
    live.append(Assessment.cohort_id.is_(None) if newest is None
                else Assessment.cohort_id == newest)
    first_intake = session.scalar(
        select(Assessment.id).where(*live, Assessment.kind == AssessmentKind.INTAKE.value)
        .order_by(Assessment.assessed_on, Assessment.id).limit(1))
    first = first_intake if first_intake is not None else session.scalar(
        select(Assessment.id).where(*live).order_by(Assessment.assessed_on, Assessment.id)
        .limit(1))
    last = session.scalar(select(Assessment.id).where(*live)
                          .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
                          .limit(1))
    return OrganizationRadar(organization_id=organization_id, name=name,
                             intake=_snapshot(session, first),
                             latest=_snapshot(session, last) if last != first else None)


def index_history(session: Session, *, actor: Actor, organization_id: int
                  ) -> list[IndexPoint]:
    """Every live assessment of the organisation, oldest first: date, kind, index."""
    _require_reader(actor)
    _organization_name(session, organization_id)
    return [IndexPoint(assessed_on=day, kind=AssessmentKind(kind), capacity_index=index)
            for day, kind, index in session.execute(
                select(Assessment.assessed_on, Assessment.kind, Assessment.capacity_index)
                .where(*_live_of(organization_id))
                .order_by(Assessment.assessed_on, Assessment.id))]


def journey_organizations(session: Session, *, actor: Actor, filters: Filters | None = None
                          ) -> dict[int, str]:
    """Organisations (not deleted) with at least one live assessment: id -> name, by name.

    Under a region or incubator filter, only those assessed in a cycle of an incubator the
    filters leave in (an assessment belongs to an incubator through its cycle).
    """
    _require_reader(actor)
    assessed = select(Assessment.organization_id).where(Assessment.deleted_at.is_(None))
    if filters is not None and _scoped(filters):
        assessed = assessed.where(Assessment.cohort_id.in_(_cohorts_in_scope(filters)))
    rows = session.execute(select(Organization.id, Organization.name).where(
        Organization.deleted_at.is_(None), Organization.id.in_(assessed))).all()
    return {r.id: r.name for r in sorted(rows, key=lambda r: (latvian_sort_key(r.name), r.id))}


# --- change from intake to graduation --------------------------------------------------------


class IndexChange(BaseModel):
    """One organisation's journey through one cohort: intake and graduation index."""

    model_config = ConfigDict(frozen=True)

    organization_id: int
    organization_name: str
    cohort_id: int
    cohort_name: str
    incubator_id: int
    incubator_code: str
    intake_on: dt.date
    intake_index: Decimal
    graduation_on: dt.date
    graduation_index: Decimal
    change: Decimal


class ChangeSummary(BaseModel):
    """Index change of a group of journeys (a cohort, an incubator or all)."""

    model_config = ConfigDict(frozen=True)

    incubator_code: str | None  # None: all incubators
    cohort_id: int | None  # None: the incubator (or all) as a whole
    cohort_name: str | None
    n: int
    median: Decimal
    mean: Decimal
    minimum: Decimal
    maximum: Decimal


class ChangeDistribution(BaseModel):
    """The journeys, and their summary per cohort, per incubator and for all."""

    model_config = ConfigDict(frozen=True)

    rows: tuple[IndexChange, ...]
    by_cohort: tuple[ChangeSummary, ...]
    by_incubator: tuple[ChangeSummary, ...]
    overall: ChangeSummary | None


def _summary(changes: Sequence[Decimal], incubator_code: str | None, cohort_id: int | None,
             cohort_name: str | None) -> ChangeSummary:
    return ChangeSummary(incubator_code=incubator_code, cohort_id=cohort_id,
                         cohort_name=cohort_name, n=len(changes),
                         median=_cents(statistics.median(changes)),
                         mean=_cents(statistics.mean(changes)),
                         minimum=min(changes), maximum=max(changes))


def _ranked(kind: AssessmentKind, newest_first: bool, where: list[ColumnElement[bool]],
            partition: tuple[Any, ...]) -> Select[tuple[object, ...]]:
    """Live assessments of `kind`, numbered within `partition` (1 = first or last)."""
    order = (Assessment.assessed_on.desc(), Assessment.id.desc()) if newest_first else \
        (Assessment.assessed_on, Assessment.id)
    return select(Assessment.id, Assessment.organization_id, Assessment.cohort_id,
                  Assessment.assessed_on, Assessment.capacity_index,
                  func.row_number().over(partition_by=partition, order_by=order).label("rn")
                  ).where(Assessment.deleted_at.is_(None), Assessment.kind == kind.value,
                          *where)


def index_change_distribution(session: Session, *, actor: Actor, filters: Filters
                              ) -> ChangeDistribution:
    """Intake → graduation index change per organisation and cohort, with summaries.

    A journey is counted when its graduation assessment falls in the period and its cohort
    belongs to an incubator in scope.
    """
    _require_reader(actor)
    where: list[ColumnElement[bool]] = [Assessment.cohort_id.is_not(None)]
    if _scoped(filters):
        where.append(Assessment.cohort_id.in_(_cohorts_in_scope(filters)))
    partition = (Assessment.organization_id, Assessment.cohort_id)
    intakes = _ranked(AssessmentKind.INTAKE, False, where, partition).subquery()
    graduation_where = list(where)
    if filters.date_from:
        graduation_where.append(Assessment.assessed_on >= filters.date_from)
    if filters.date_to:
        graduation_where.append(Assessment.assessed_on <= filters.date_to)
    graduations = _ranked(AssessmentKind.GRADUATION, True, graduation_where,
                          partition).subquery()
    rows = session.execute(
        select(graduations.c.organization_id, Organization.name, Cohort.id, Cohort.name,
               Incubator.id, Incubator.code, intakes.c.assessed_on, intakes.c.capacity_index,
               graduations.c.assessed_on, graduations.c.capacity_index)
        .join(intakes, and_(intakes.c.organization_id == graduations.c.organization_id,
                            intakes.c.cohort_id == graduations.c.cohort_id, intakes.c.rn == 1,
                            intakes.c.assessed_on <= graduations.c.assessed_on))
        .join(Organization, Organization.id == graduations.c.organization_id)
        .join(Cohort, Cohort.id == graduations.c.cohort_id)
        .join(Incubator, Incubator.id == Cohort.incubator_id)
        .where(graduations.c.rn == 1)
        .order_by(Incubator.code, Cohort.start_date, Cohort.number, Organization.name,
                  graduations.c.organization_id)).all()
    journeys = tuple(IndexChange(
        organization_id=r[0], organization_name=r[1], cohort_id=r[2], cohort_name=r[3],
        incubator_id=r[4], incubator_code=r[5], intake_on=r[6], intake_index=r[7],
        graduation_on=r[8], graduation_index=r[9],
        change=Decimal(str(r[9])) - Decimal(str(r[7])))
        for r in rows)
    cohorts: dict[tuple[str, int, str], list[Decimal]] = defaultdict(list)
    incubators: dict[str, list[Decimal]] = defaultdict(list)
    for j in journeys:  # already in incubator, cohort order
        cohorts[(j.incubator_code, j.cohort_id, j.cohort_name)].append(j.change)
        incubators[j.incubator_code].append(j.change)
    return ChangeDistribution(
        rows=journeys,
        by_cohort=tuple(_summary(v, code, cid, name) for (code, cid, name), v in cohorts.items()),
        by_incubator=tuple(_summary(v, code, None, None) for code, v in incubators.items()),
        overall=_summary([j.change for j in journeys], None, None, None) if journeys else None)


# --- the cohort funnel -----------------------------------------------------------------------


class FunnelRow(BaseModel):
    """Enrolments of one cohort (or all) at each stage."""

    model_config = ConfigDict(frozen=True)

    cohort_id: int | None  # None: the total
    cohort_name: str | None
    incubator_code: str | None
    start_date: dt.date | None
    applied: int
    admitted: int
    graduated: int
    rejected: int
    withdrawn: int


class CohortFunnel(BaseModel):
    model_config = ConfigDict(frozen=True)

    rows: tuple[FunnelRow, ...]
    total: FunnelRow


def cohort_funnel(session: Session, *, actor: Actor, filters: Filters) -> CohortFunnel:
    """Applied → admitted → graduated per cohort in scope whose dates meet the period."""
    _require_reader(actor)
    status = Enrollment.status
    admitted = or_(Enrollment.admitted_on.is_not(None), status.in_(
        (EnrollmentStatus.ADMITTED.value, EnrollmentStatus.GRADUATED.value)))

    def counted(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    where: list[ColumnElement[bool]] = []
    if _scoped(filters):
        where.append(Cohort.incubator_id.in_(incubators_in_scope(filters)))
    if filters.date_from:
        where.append(Cohort.end_date >= filters.date_from)
    if filters.date_to:
        where.append(Cohort.start_date <= filters.date_to)
    rows = tuple(FunnelRow(
        cohort_id=r[0], cohort_name=r[1], incubator_code=r[2], start_date=r[3],
        applied=int(r[4]), admitted=int(r[5]), graduated=int(r[6]), rejected=int(r[7]),
        withdrawn=int(r[8])) for r in session.execute(
        select(Cohort.id, Cohort.name, Incubator.code, Cohort.start_date,
               func.count(Enrollment.id), counted(admitted),
               counted(status == EnrollmentStatus.GRADUATED.value),
               counted(status == EnrollmentStatus.REJECTED.value),
               counted(status == EnrollmentStatus.WITHDRAWN.value))
        .join(Incubator, Incubator.id == Cohort.incubator_id)
        .outerjoin(Enrollment, Enrollment.cohort_id == Cohort.id).where(*where)
        .group_by(Cohort.id, Cohort.name, Incubator.code, Cohort.start_date, Cohort.number)
        .order_by(Cohort.start_date, Incubator.code, Cohort.number)))
    total = FunnelRow(cohort_id=None, cohort_name=None, incubator_code=None, start_date=None,
                      applied=sum(r.applied for r in rows), admitted=sum(r.admitted for r in rows),
                      graduated=sum(r.graduated for r in rows),
                      rejected=sum(r.rejected for r in rows),
                      withdrawn=sum(r.withdrawn for r in rows))
    return CohortFunnel(rows=rows, total=total)


# --- support received against capacity gained ------------------------------------------------


class SupportPoint(BaseModel):
    """One organisation: support hours from intake to latest assessment, and what it gained."""

    model_config = ConfigDict(frozen=True)

    organization_id: int
    name: str
    incubator_code: str | None  # of the intake's cohort
    intake_on: dt.date
    latest_on: dt.date
    latest_kind: AssessmentKind
    intake_index: Decimal
    latest_index: Decimal
    gain: Decimal
    hours: Decimal
    hours_by_area: dict[CapacityArea, Decimal]  # areas without hours are left out
    score_gain_by_area: dict[CapacityArea, int]


class AreaLink(BaseModel):
    """One capacity area: hours spent on it against the gain of its score."""

    model_config = ConfigDict(frozen=True)

    area: CapacityArea
    organizations: int  # with both scores of the area
    hours: Decimal  # in all, over those organisations
    mean_gain: Decimal | None  # mean score gain, 1–4 scale
    correlation: float | None  # Pearson r of hours and score gain; None if undefined


class Trend(BaseModel):
    """A least-squares line y = intercept + slope × x."""

    model_config = ConfigDict(frozen=True)

    slope: float
    intercept: float


class SupportVsGain(BaseModel):
    model_config = ConfigDict(frozen=True)

    points: tuple[SupportPoint, ...]
    trend: Trend | None  # index gain against hours; None below two distinct hour values
    correlation: float | None
    areas: tuple[AreaLink, ...]


def least_squares(points: Sequence[tuple[float, float]]) -> Trend | None:
    """The line that fits (x, y) points best; None when x does not vary."""
    if len(points) < 2:
        return None
    mean_x = math.fsum(x for x, _ in points) / len(points)
    mean_y = math.fsum(y for _, y in points) / len(points)
    sxx = math.fsum((x - mean_x) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    slope = math.fsum((x - mean_x) * (y - mean_y) for x, y in points) / sxx
    return Trend(slope=slope, intercept=mean_y - slope * mean_x)


def pearson(points: Sequence[tuple[float, float]]) -> float | None:
    """Pearson's r of (x, y) points; None below three points or when either does not vary."""
    if len(points) < 3:
        return None
    mean_x = math.fsum(x for x, _ in points) / len(points)
    mean_y = math.fsum(y for _, y in points) / len(points)
    sxx = math.fsum((x - mean_x) ** 2 for x, _ in points)
    syy = math.fsum((y - mean_y) ** 2 for _, y in points)
    if sxx == 0 or syy == 0:
        return None
    sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in points)
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def _journeys(filters: Filters) -> Select[tuple[object, ...]]:
    """Per organisation and cycle: first intake and latest assessment (as of the period's
    end; the latest inside the period), latest after intake, both made for the same cycle (so
    another incubator's assessment, even of the same day, never counts). Assessments of
    cohorts in scope only."""
    where: list[ColumnElement[bool]] = []
    if _scoped(filters):
        where.append(Assessment.cohort_id.in_(_cohorts_in_scope(filters)))
    if filters.date_to:
        where.append(Assessment.assessed_on <= filters.date_to)
    cycle = func.coalesce(Assessment.cohort_id, 0)  # 0: assessed outside any cycle
    partition = (Assessment.organization_id, cycle)
    intake = _ranked(AssessmentKind.INTAKE, False, where, partition).subquery()
    latest_where = [Assessment.deleted_at.is_(None), *where]
    if filters.date_from:
        latest_where.append(Assessment.assessed_on >= filters.date_from)
    latest = select(Assessment.id, Assessment.organization_id, Assessment.assessed_on,
                    Assessment.kind, Assessment.capacity_index, cycle.label("cycle"),
                    func.row_number().over(
                        partition_by=partition,
                        order_by=(Assessment.assessed_on.desc(), Assessment.id.desc())
                    ).label("rn")).where(*latest_where).subquery()
    return (select(intake.c.organization_id.label("organization_id"),
                   intake.c.id.label("intake_id"), intake.c.cohort_id.label("cohort_id"),
                   intake.c.assessed_on.label("intake_on"),
                   intake.c.capacity_index.label("intake_index"),
                   latest.c.id.label("latest_id"), latest.c.assessed_on.label("latest_on"),
                   latest.c.kind.label("latest_kind"),
                   latest.c.capacity_index.label("latest_index"))
            .join(latest, and_(latest.c.organization_id == intake.c.organization_id,
                               latest.c.cycle == func.coalesce(intake.c.cohort_id, 0),
                               latest.c.rn == 1, latest.c.id != intake.c.id,
                               latest.c.assessed_on >= intake.c.assessed_on))
            .where(intake.c.rn == 1))


def support_vs_gain(session: Session, *, actor: Actor, filters: Filters) -> SupportVsGain:
    """Support hours (in all and per area) against index gain (and per-area score gain)."""
    _require_reader(actor)
    journeys = _journeys(filters).subquery()
    in_window = and_(Activity.activity_date >= journeys.c.intake_on,
                     Activity.activity_date <= journeys.c.latest_on,
                     *activity_conditions(actor, filters, None, None, filters.activity_type))
    # A journey is one organisation in one cycle: keyed by its intake assessment.
    journey = journeys.c.intake_id
    heads = session.execute(
        select(journeys.c.organization_id, Organization.name, Incubator.code,
               journeys.c.intake_on, journeys.c.latest_on, journeys.c.latest_kind,
               journeys.c.intake_index, journeys.c.latest_index, journey)
        .join(Organization, Organization.id == journeys.c.organization_id)
        .outerjoin(Cohort, Cohort.id == journeys.c.cohort_id)
        .outerjoin(Incubator, Incubator.id == Cohort.incubator_id)
        .order_by(Organization.name, journeys.c.organization_id, journeys.c.intake_on,
                  journey)).all()
    hours: dict[int, Any] = {key: total for key, total in session.execute(
        select(journey, func.sum(Activity.hours))
        .join(Participation, Participation.organization_id == journeys.c.organization_id)
        .join(Activity, and_(Activity.id == Participation.activity_id, in_window))
        .group_by(journey))}
    area_hours: dict[int, dict[CapacityArea, Decimal]] = defaultdict(dict)
    for key, area, total in session.execute(
            select(journey, ActivityArea.area, func.sum(Activity.hours))
            .join(Participation, Participation.organization_id == journeys.c.organization_id)
            .join(Activity, and_(Activity.id == Participation.activity_id, in_window))
            .join(ActivityArea, ActivityArea.activity_id == Activity.id)
            .group_by(journey, ActivityArea.area)):
        area_hours[key][CapacityArea(area)] = Decimal(str(total))
    first, last = aliased(AssessmentScore), aliased(AssessmentScore)
    area_gain: dict[int, dict[CapacityArea, int]] = defaultdict(dict)
    for key, area, gain in session.execute(
            select(journey, first.area, last.score - first.score)
            .join(first, first.assessment_id == journeys.c.intake_id)
            .join(last, and_(last.assessment_id == journeys.c.latest_id,
                             last.area == first.area))):
        area_gain[key][CapacityArea(area)] = int(gain)
    points = tuple(SupportPoint(
        organization_id=r[0], name=r[1], incubator_code=r[2], intake_on=r[3], latest_on=r[4],
        latest_kind=AssessmentKind(r[5]), intake_index=r[6], latest_index=r[7],
        gain=Decimal(str(r[7])) - Decimal(str(r[6])),
        hours=Decimal(str(hours.get(r[8]) or 0)),
        hours_by_area=dict(sorted(area_hours.get(r[8], {}).items())),
        score_gain_by_area=dict(sorted(area_gain.get(r[8], {}).items()))) for r in heads)
    xy = [(float(p.hours), float(p.gain)) for p in points]
    areas = []
    for area in CapacityArea:
        pairs = [(float(p.hours_by_area.get(area, 0)), float(p.score_gain_by_area[area]))
                 for p in points if area in p.score_gain_by_area]
        areas.append(AreaLink(
            area=area, organizations=len(pairs),
            hours=sum((p.hours_by_area.get(area, Decimal(0)) for p in points
                       if area in p.score_gain_by_area), Decimal(0)),
            mean_gain=_cents(Decimal(sum(int(y) for _, y in pairs)) / len(pairs))
            if pairs else None,
            correlation=pearson(pairs)))
    return SupportVsGain(points=points, trend=least_squares(xy), correlation=pearson(xy),
                         areas=tuple(areas))
