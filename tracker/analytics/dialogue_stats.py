"""The civic-dialogue page's and the funder report's figures, from the register, in SQL.

Every figure counts what the indicators count (tracker.analytics.dialogue): opinions are
`opinion_conditions` (live, counted statuses, the incubator and region filters through the
opinion's incubator, submitted in the period), their authors `counted_authors`, documents
`monitoring_starts` (monitored by an incubator in scope, or the programme when no incubator
or region is chosen). So a joint opinion counts once as an opinion and once for each of its
organisations, and a document two incubators follow counts once.

- Deadlines: documents monitored in scope whose consultation deadline falls in the period,
  those still ahead first (soonest first), then the overdue ones (deadline passed, not
  adopted; most recently passed first). Adopted documents whose deadline passed are done, and
  documents without a deadline have none to show.
- The outcome funnel: submitted (counted opinions) → answered (taken into account, partly,
  not taken into account: db.enums.ANSWERED_OUTCOMES) → changed something (fully or partly:
  CHANGED_OUTCOMES); pending and no answer besides. Per incubator in scope (the programme's
  own opinions as a row of their own), in total, and per quarter of submission.
- Institutions: documents first monitored in the period (as DOCUMENTS_MONITORED counts them)
  and counted opinions on their documents, per drafting institution (documents without one
  are left out).
- Submitting organisations: public registry facts (name, registration number) for managers
  and staff; funders get the number and its split by region only.

Nothing here carries a note or an opinion's summary, for anyone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import computed_field
from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import Session

from db.enums import ANSWERED_OUTCOMES, CHANGED_OUTCOMES, OpinionOutcome, Role
from db.models import (
    Document,
    DocumentMonitoring,
    Incubator,
    Municipality,
    Opinion,
    OpinionAuthor,
    Organization,
    Region,
)
from tracker.analytics.dialogue import counted_authors, monitoring_starts, opinion_conditions
from tracker.analytics.regions import UNKNOWN, _folded_municipality
from tracker.analytics.scope import Filters, incubators_in_scope
from tracker.auth import Actor, Area, require_area
from tracker.i18n import latvian_sort_key
from tracker.schemas.common import ReadModel
from tracker.schemas.dialogue import is_tap_number

MAX_ROWS = 500
PROGRAMME = ""  # `code` of the row of the programme's own opinions (no incubator)

# An outcome's count field on _Outcomes.
OUTCOME_FIELDS: dict[OpinionOutcome, str] = {
    OpinionOutcome.TAKEN_INTO_ACCOUNT: "taken",
    OpinionOutcome.PARTLY_TAKEN_INTO_ACCOUNT: "partly",
    OpinionOutcome.NOT_TAKEN_INTO_ACCOUNT: "not_taken",
    OpinionOutcome.NO_ANSWER: "no_answer",
    OpinionOutcome.PENDING: "pending",
}


def today() -> dt.date:
    return dt.date.today()  # noqa: DTZ011 - a calendar day, as the user sees it


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _rows(limit: int) -> int:
    return max(1, min(int(limit), MAX_ROWS))


def _period(day: Any, filters: Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.date_from:
        conditions.append(day >= filters.date_from)
    if filters.date_to:
        conditions.append(day <= filters.date_to)
    return conditions


def _counted(actor: Actor, filters: Filters) -> list[ColumnElement[bool]]:
    """The counted opinions of the filters' period."""
    return opinion_conditions(actor, filters, filters.date_from, filters.date_to)


def _answered() -> ColumnElement[bool]:
    return Opinion.outcome.in_([o.value for o in ANSWERED_OUTCOMES])


def _changed() -> ColumnElement[bool]:
    return Opinion.outcome.in_([o.value for o in CHANGED_OUTCOMES])


def _sum_of(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# Deadlines ----------------------------------------------------------------------------------

class DeadlineRow(ReadModel):
    """A document's consultation deadline and the public facts beside it."""

    document_id: int
    ref: str
    is_tap: bool
    title: str
    institution: str | None
    kind: str
    level: str
    deadline: dt.date
    days_left: int  # negative: days since it passed
    overdue: bool  # passed and the document not adopted
    incubator_codes: list[str]  # the incubators monitoring it, by code
    programme: bool  # the programme itself monitors it too
    opinions: int  # counted opinions on it in the period


class Deadlines(ReadModel):
    rows: list[DeadlineRow]
    total: int  # documents listed over every page
    upcoming: int
    overdue: int


def deadlines(session: Session, *, actor: Actor, filters: Filters, limit: int = 50,
              offset: int = 0, on: dt.date | None = None) -> Deadlines:
    """Documents monitored in scope with their consultation deadline in the period: upcoming
    ones first (soonest first), then the overdue ones (most recently passed first). `on`:
    the day counted from (today)."""
    require_area(actor, Area.DIALOGUE)
    day = on or today()
    starts = monitoring_starts(filters)
    ahead = Document.deadline >= day
    where = [Document.id.in_(select(starts.c.document_id)), Document.deadline.is_not(None),
             or_(ahead, Document.adopted_on.is_(None)), *_period(Document.deadline, filters)]
    total, upcoming = session.execute(
        select(func.count(Document.id), _sum_of(ahead)).where(*where)).one()
    documents = list(session.execute(
        select(Document.id, Document.ref, Document.title, Document.institution, Document.kind,
               Document.level, Document.deadline).where(*where)
        .order_by(case((ahead, 0), else_=1), case((ahead, Document.deadline)),
                  Document.deadline.desc(), Document.ref)
        .limit(_rows(limit)).offset(max(0, int(offset)))))
    ids = [d.id for d in documents]
    monitors: dict[int, list[str | None]] = {}
    counts: dict[int, int] = {}
    if ids:
        for document_id, code in session.execute(
                select(DocumentMonitoring.document_id, Incubator.code)
                .outerjoin(Incubator, Incubator.id == DocumentMonitoring.incubator_id)
                .where(DocumentMonitoring.document_id.in_(ids)).order_by(Incubator.code)):
            monitors.setdefault(int(document_id), []).append(code)
        counts = {int(d): int(n) for d, n in session.execute(
            select(Opinion.document_id, func.count(Opinion.id))
            .where(*_counted(actor, filters), Opinion.document_id.in_(ids))
            .group_by(Opinion.document_id))}
    rows = [DeadlineRow(
        document_id=d.id, ref=d.ref, is_tap=is_tap_number(d.ref), title=d.title,
        institution=d.institution, kind=d.kind, level=d.level, deadline=d.deadline,
        days_left=(d.deadline - day).days, overdue=d.deadline < day,
        incubator_codes=[c for c in monitors.get(d.id, []) if c is not None],
        programme=None in monitors.get(d.id, []), opinions=counts.get(d.id, 0))
        for d in documents]
    return Deadlines(rows=rows, total=int(total or 0), upcoming=int(upcoming or 0),
                     overdue=int(total or 0) - int(upcoming or 0))


# Opinions per document ----------------------------------------------------------------------

class DocumentOpinions(ReadModel):
    document_id: int
    ref: str
    is_tap: bool
    title: str
    institution: str | None
    opinions: int
    organizations: int  # distinct authors of those opinions
    answered: int
    changed: int


def opinions_per_document(session: Session, *, actor: Actor, filters: Filters,
                          limit: int = 10) -> list[DocumentOpinions]:
    """The documents with the most counted opinions in the period, most first."""
    require_area(actor, Area.DIALOGUE)
    top = list(session.execute(
        select(Opinion.document_id, func.count(Opinion.id), _sum_of(_answered()),
               _sum_of(_changed()))
        .where(*_counted(actor, filters)).group_by(Opinion.document_id)
        .order_by(func.count(Opinion.id).desc(), Opinion.document_id).limit(_rows(limit))))
    ids = [int(row[0]) for row in top]
    if not ids:
        return []
    authors = counted_authors(actor, filters, filters.date_from, filters.date_to).add_columns(
        Opinion.document_id).where(Opinion.document_id.in_(ids)).subquery()
    organizations = {int(d): int(n) for d, n in session.execute(
        select(authors.c.document_id, func.count(func.distinct(authors.c.organization_id)))
        .group_by(authors.c.document_id))}
    documents = {d.id: d for d in session.execute(
        select(Document.id, Document.ref, Document.title, Document.institution)
        .where(Document.id.in_(ids)))}
    return [DocumentOpinions(
        document_id=d, ref=documents[d].ref, is_tap=is_tap_number(documents[d].ref),
        title=documents[d].title, institution=documents[d].institution, opinions=int(n),
        organizations=organizations.get(d, 0), answered=int(answered), changed=int(changed))
        for d, n, answered, changed in top if d in documents]


# The outcome funnel -------------------------------------------------------------------------

class Outcomes(ReadModel):
    """Counted opinions by outcome, and the funnel's steps from them."""

    taken: int = 0
    partly: int = 0
    not_taken: int = 0
    no_answer: int = 0
    pending: int = 0

    def of(self, outcome: OpinionOutcome) -> int:
        return int(getattr(self, OUTCOME_FIELDS[outcome]))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def submitted(self) -> int:
        return sum(self.of(o) for o in OpinionOutcome)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def answered(self) -> int:
        return sum(self.of(o) for o in ANSWERED_OUTCOMES)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def changed(self) -> int:
        """Taken into account fully or partly."""
        return sum(self.of(o) for o in CHANGED_OUTCOMES)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def changed_of_answered(self) -> float | None:
        """Share (0..1) of the answered opinions that changed something."""
        return _share(self.changed, self.answered)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def changed_of_submitted(self) -> float | None:
        """Share (0..1) of all counted opinions that changed something."""
        return _share(self.changed, self.submitted)


def _outcomes(counts: dict[str, int]) -> dict[str, int]:
    """{outcome value: count} -> Outcomes' keyword arguments."""
    return {OUTCOME_FIELDS[o]: int(counts.get(o.value, 0)) for o in OpinionOutcome}


class IncubatorOutcomes(Outcomes):
    incubator_id: int | None  # None: the programme's own opinions
    code: str  # PROGRAMME ("") for the programme's own
    name_lv: str
    name_en: str

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_lv


class QuarterOutcomes(Outcomes):
    year: int
    quarter: int  # 1..4, of the day the opinions were submitted


class OutcomeFunnel(ReadModel):
    incubators: list[IncubatorOutcomes]  # every incubator in scope by code, then the programme
    total: Outcomes
    quarters: list[QuarterOutcomes]  # those with opinions, oldest first


def outcome_funnel(session: Session, *, actor: Actor, filters: Filters) -> OutcomeFunnel:
    """Submitted → answered → changed something, per incubator, in total and per quarter."""
    require_area(actor, Area.DIALOGUE)
    counted = _counted(actor, filters)
    by_incubator: dict[int | None, dict[str, int]] = {}
    total: dict[str, int] = {}
    for incubator_id, outcome, count in session.execute(
            select(Opinion.incubator_id, Opinion.outcome, func.count(Opinion.id))
            .where(*counted).group_by(Opinion.incubator_id, Opinion.outcome)):
        by_incubator.setdefault(incubator_id, {})[outcome] = int(count)
        total[outcome] = total.get(outcome, 0) + int(count)
    rows = [IncubatorOutcomes(incubator_id=i, code=code, name_lv=lv, name_en=en,
                              **_outcomes(by_incubator.get(i, {})))
            for i, code, lv, en in session.execute(
                select(Incubator.id, Incubator.code, Incubator.name_lv, Incubator.name_en)
                .where(Incubator.id.in_(incubators_in_scope(filters)))
                .order_by(Incubator.code))]
    if None in by_incubator:
        rows.append(IncubatorOutcomes(incubator_id=None, code=PROGRAMME, name_lv="",
                                      name_en="", **_outcomes(by_incubator[None])))
    year = func.extract("year", Opinion.submitted_on)
    month = func.extract("month", Opinion.submitted_on)
    by_quarter: dict[tuple[int, int], dict[str, int]] = {}
    for y, m, outcome, count in session.execute(
            select(year, month, Opinion.outcome, func.count(Opinion.id)).where(*counted)
            .group_by(year, month, Opinion.outcome)):
        counts = by_quarter.setdefault((int(y), (int(m) - 1) // 3 + 1), {})
        counts[outcome] = counts.get(outcome, 0) + int(count)
    quarters = [QuarterOutcomes(year=y, quarter=q, **_outcomes(by_quarter[(y, q)]))
                for y, q in sorted(by_quarter)]
    return OutcomeFunnel(incubators=rows, total=Outcomes(**_outcomes(total)),
                         quarters=quarters)


def changed_share(session: Session, *, actor: Actor, filters: Filters) -> Outcomes:
    """The counted opinions of the period by outcome: `changed_of_answered` is the share of
    answered opinions that changed something, `changed_of_submitted` that of all of them."""
    require_area(actor, Area.DIALOGUE)
    counts = {str(o): int(n) for o, n in session.execute(
        select(Opinion.outcome, func.count(Opinion.id)).where(*_counted(actor, filters))
        .group_by(Opinion.outcome))}
    return Outcomes(**_outcomes(counts))


# Institutions -------------------------------------------------------------------------------

class InstitutionRow(ReadModel):
    institution: str
    documents: int  # first monitored in the period, in scope
    opinions: int  # counted opinions on its documents
    answered: int
    changed: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def answered_share(self) -> float | None:
        """Share (0..1) of the opinions that the institution answered."""
        return _share(self.answered, self.opinions)


def institutions(session: Session, *, actor: Actor, filters: Filters, limit: int = 10
                 ) -> list[InstitutionRow]:
    """The institutions most engaged: most opinions submitted to them, then most documents
    monitored."""
    require_area(actor, Area.DIALOGUE)
    starts = monitoring_starts(filters, filters.date_to)
    where = [Document.institution.is_not(None)]
    documents = {str(name): int(n) for name, n in session.execute(
        select(Document.institution, func.count()).select_from(starts)
        .join(Document, Document.id == starts.c.document_id)
        .where(*where, *([starts.c.day >= filters.date_from] if filters.date_from else []))
        .group_by(Document.institution))}
    opinions = {str(name): (int(n), int(answered), int(changed))
                for name, n, answered, changed in session.execute(
        select(Document.institution, func.count(Opinion.id), _sum_of(_answered()),
               _sum_of(_changed()))
        .join(Document, Document.id == Opinion.document_id)
        .where(*_counted(actor, filters), *where).group_by(Document.institution))}
    rows = [InstitutionRow(institution=name, documents=documents.get(name, 0),
                           opinions=opinions.get(name, (0, 0, 0))[0],
                           answered=opinions.get(name, (0, 0, 0))[1],
                           changed=opinions.get(name, (0, 0, 0))[2])
            for name in documents.keys() | opinions.keys() if name.strip()]
    rows.sort(key=lambda r: (-r.opinions, -r.documents, latvian_sort_key(r.institution)))
    return rows[:_rows(limit)]


# Submitting organisations -------------------------------------------------------------------

class OrganizationOpinions(ReadModel):
    organization_id: int
    name: str
    reg_no: str
    opinions: int  # counted opinions it (co-)authored
    joint: int  # of them, those with more than one author
    last_submitted_on: dt.date


class RegionCount(ReadModel):
    region_code: str  # of the organisation's municipality; UNKNOWN ("") if none recorded
    organizations: int


class SubmittingOrganizations(ReadModel):
    total: int  # distinct organisations (ORGS_WITH_OPINIONS)
    by_region: list[RegionCount]
    listed: bool  # False for funders: the aggregates only
    rows: list[OrganizationOpinions]  # the page asked for (most opinions first)


def submitting_organizations(session: Session, *, actor: Actor, filters: Filters,
                             limit: int = 50, offset: int = 0) -> SubmittingOrganizations:
    """The organisations among the authors of the counted opinions: how many, by region, and
    (not for funders) which, with their opinions, joint ones and latest day."""
    require_area(actor, Area.DIALOGUE)
    authors = counted_authors(actor, filters, filters.date_from, filters.date_to).add_columns(
        OpinionAuthor.opinion_id).subquery()
    organizations = select(authors.c.organization_id).distinct().subquery()
    folded = _folded_municipality(session)
    region = func.coalesce(Region.code, UNKNOWN)
    by_region = [RegionCount(region_code=str(code), organizations=int(n))
                 for code, n in session.execute(
        select(region, func.count()).select_from(organizations)
        .join(Organization, Organization.id == organizations.c.organization_id)
        .outerjoin(Municipality, Municipality.id == folded)
        .outerjoin(Region, Region.id == Municipality.region_id).group_by(region))]
    by_region.sort(key=lambda r: (r.region_code == UNKNOWN, r.region_code))
    total = sum(r.organizations for r in by_region)
    if actor.role is Role.FUNDER:
        return SubmittingOrganizations(total=total, by_region=by_region, listed=False, rows=[])
    sizes = (select(OpinionAuthor.opinion_id, func.count().label("authors"))
             .where(OpinionAuthor.opinion_id.in_(select(authors.c.opinion_id)))
             .group_by(OpinionAuthor.opinion_id).subquery())
    count = func.count(authors.c.opinion_id)
    last = func.max(authors.c.submitted_on)
    listed = (select(authors.c.organization_id, count.label("opinions"),
                     _sum_of(sizes.c.authors > 1).label("joint"), last.label("last"))
              .join(sizes, sizes.c.opinion_id == authors.c.opinion_id)
              .group_by(authors.c.organization_id)
              .order_by(count.desc(), last.desc(), authors.c.organization_id)
              .limit(_rows(limit)).offset(max(0, int(offset)))).subquery()
    rows = [OrganizationOpinions(organization_id=o, name=name, reg_no=reg_no,
                                 opinions=int(n), joint=int(joint), last_submitted_on=last_day)
            for o, name, reg_no, n, joint, last_day in session.execute(
        select(listed.c.organization_id, Organization.name, Organization.reg_no,
               listed.c.opinions, listed.c.joint, listed.c.last)
        .join(Organization, Organization.id == listed.c.organization_id)
        .order_by(listed.c.opinions.desc(), listed.c.last.desc(), listed.c.organization_id))]
    return SubmittingOrganizations(total=total, by_region=by_region, listed=True, rows=rows)


__all__ = ["PROGRAMME", "DeadlineRow", "Deadlines", "DocumentOpinions", "IncubatorOutcomes",
           "InstitutionRow", "OrganizationOpinions", "OutcomeFunnel", "Outcomes",
           "QuarterOutcomes", "RegionCount", "SubmittingOrganizations", "changed_share",
           "deadlines", "institutions", "opinions_per_document", "outcome_funnel",
           "submitting_organizations"]
