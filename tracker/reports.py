"""The funder report (an Excel workbook) and the data tables of the reports page and
`tracker export`.

Every number comes from the analytics package, the same functions the dashboards call, so a
file says what the page says. Only aggregates leave here: counts per indicator, quarter,
incubator, region and municipality, never an organisation's contact person, e-mail or phone,
nor a user's e-mail, whoever asks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

import plotly.graph_objects as go
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import ActivityType, CapacityArea, OpinionOutcome
from db.models import Incubator
from tracker import analytics, esf, exports
from tracker.analytics import Filters, IndicatorProgress, QuarterRow, counted_note_key
from tracker.analytics.dialogue import DIALOGUE_METHODS
from tracker.analytics.dialogue_stats import (
    PROGRAMME,
    InstitutionRow,
    OutcomeFunnel,
    Outcomes,
    RegionCount,
    institutions,
    outcome_funnel,
    submitting_organizations,
)
from tracker.analytics.regions import (
    AreaTotals,
    IncubatorRow,
    incubator_totals,
    municipality_totals,
    region_totals,
)
from tracker.analytics.scope import incubators_in_scope
from tracker.auth import Actor, Area, can_open
from tracker.errors import PermissionDenied, TrackerError
from tracker.exports import Cell, Table
from tracker.i18n import format_date, label, t
from tracker.services import quarters, reference

TABLE_NAMES = ("indicators", "quarterly", "types", "areas", "regions", "municipalities",
               "incubators")
# The ESF+ tables (tracker.esf): the participants' report (names; never for funders) and the
# common output indicators (suppressed for funders).
ESF_TABLES = ("esf-participants", "esf-summary")


SOURCES: dict[str, Callable[..., Any]] = {
    "indicators": analytics.indicator_progress,
    "quarterly": analytics.quarterly_series,
    "types": analytics.activity_type_mix,
    "areas": analytics.capacity_area_mix,
    "regions": region_totals,
    "municipalities": municipality_totals,
    "incubators": incubator_totals,
}


@dataclass(frozen=True)
class Names:
    """Display names the tables need: incubator and region code -> (Latvian, English)."""

    incubators: Mapping[str, tuple[str, str]]
    regions: Mapping[str, tuple[str, str]]

    def incubator(self, code: str, lang: str) -> str:
        names = self.incubators.get(code)
        return (names[1] if lang == "en" else names[0]) if names else code

    def region(self, code: str, lang: str) -> str:
        names = self.regions.get(code)
        return (names[1] if lang == "en" else names[0]) if names else code


def names(session: Session) -> Names:
    """The incubators' and regions' names, read once for a page or a report."""
    incubators = reference.list_incubators(session, actor=Actor.system())
    return Names(incubators={i.code: (i.name_lv, i.name_en) for i in incubators},
                 regions={code: (lv, en) for code, lv, en in
                          reference.region_names(session).values()})


def report_year(filters: Filters, start: dt.date, end: dt.date,
                today: dt.date | None = None) -> int:
    """The "current year" of the headline numbers: this year, kept inside the period."""
    first = (filters.date_from or start).year
    last = (filters.date_to or end).year
    return min(max((today or dt.date.today()).year, first), max(first, last))  # noqa: DTZ011


def source_arguments(name: str, filters: Filters, year: int) -> dict[str, Any]:
    """The keyword arguments (besides session and actor) of the table's analytics function."""
    if name not in SOURCES:
        raise ValueError(f"unknown table {name!r}; one of {', '.join(TABLE_NAMES)}")
    return {"filters": filters, "year": year} if name == "indicators" else {"filters": filters}


def _number(value: Decimal | float | int | None) -> float | int | None:
    """Whole numbers as int (Excel and CSV then show no decimals), others as float."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def _enum_label(kind: type[StrEnum], value: str, lang: str) -> str:
    try:
        return label(kind(value), lang)
    except ValueError:
        return value


def _indicators(rows: Sequence[IndicatorProgress], lang: str) -> Table:
    year = rows[0].year if rows else dt.date.today().year  # noqa: DTZ011
    columns = [t("reports.col.code", lang), t("reports.col.indicator", lang),
               t("reports.col.unit", lang), t("reports.col.actual", lang),
               t("reports.col.target", lang), t("reports.col.share", lang),
               t("reports.col.actual_year", lang, year=year),
               t("reports.col.target_year", lang, year=year),
               t("reports.col.share_year", lang, year=year), t("indicator.note", lang)]
    return Table(t("reports.table.indicators", lang), columns, [
        [r.code, r.name_en if lang == "en" else r.name_lv,
         r.unit_en if lang == "en" else r.unit_lv, _number(r.actual), _number(r.target),
         _percent(r.share), _number(r.actual_year), _number(r.target_year),
         _percent(r.share_year), r.help_text(lang)] for r in rows])


def _quarterly(rows: Sequence[QuarterRow], lang: str, known: Names) -> Table:
    columns = [t("reports.col.year", lang), t("reports.col.quarter", lang),
               t("reports.col.incubator_code", lang), t("reports.col.incubator", lang),
               t("reports.col.activities", lang), t("reports.col.organizations_supported", lang),
               t("reports.col.attendees", lang)]
    return Table(t("reports.table.quarterly", lang), columns, [
        [r.year, r.quarter, r.incubator_code, known.incubator(r.incubator_code, lang),
         r.activities, r.organizations, r.attendees] for r in rows])


def _mix(counts: Mapping[str, int], kind: type[StrEnum], title_key: str, column_key: str,
         lang: str) -> Table:
    columns = [t("reports.col.code", lang), t(column_key, lang),
               t("reports.col.activities", lang)]
    return Table(t(title_key, lang), columns,
                 [[code, _enum_label(kind, code, lang), count] for code, count in counts.items()])


def _area_columns(lang: str) -> list[str]:
    return [t("reports.col.registered", lang), t("reports.col.organizations_supported", lang),
            t("reports.col.share_supported", lang), t("reports.col.activities", lang),
            t("reports.col.participations", lang), t("reports.col.attendees", lang),
            t("reports.col.hours", lang), t("reports.col.support_hours", lang),
            t("reports.col.activities_per_org", lang), t("reports.col.attendees_per_org", lang),
            t("reports.col.hours_per_org", lang)]


def _area_values(row: AreaTotals) -> list[Cell]:
    return [row.organizations_registered, row.organizations_supported,
            _percent(row.share_supported), row.activities, row.participations, row.attendees,
            _number(row.hours), _number(row.support_hours), row.activities_per_organization,
            row.attendees_per_organization, row.hours_per_organization]


def _regions(rows: Sequence[AreaTotals], lang: str) -> Table:
    columns = [t("reports.col.region_code", lang), t("reports.col.region", lang),
               *_area_columns(lang)]
    return Table(t("reports.table.regions", lang), columns, [
        [r.code, r.name(lang) or t("reports.unknown_place", lang), *_area_values(r)]
        for r in rows], notes=[t("reports.location_note", lang)])


def _municipalities(rows: Sequence[AreaTotals], lang: str, known: Names) -> Table:
    columns = [t("reports.col.iso", lang), t("reports.col.atvk", lang),
               t("reports.col.municipality", lang), t("reports.col.region", lang),
               *_area_columns(lang)]
    return Table(t("reports.table.municipalities", lang), columns, [
        [r.code, r.atvk, r.name(lang) or t("reports.unknown_place", lang),
         known.region(r.region_code, lang) if r.region_code else None, *_area_values(r)]
        for r in rows], notes=[t("reports.location_note", lang)])


def _incubators(rows: Sequence[IncubatorRow], lang: str, known: Names) -> Table:
    columns = [t("reports.col.incubator_code", lang), t("reports.col.incubator", lang),
               t("reports.col.region", lang), t("reports.col.activities", lang),
               t("reports.col.hours", lang), t("reports.col.enrolled", lang),
               t("reports.col.organizations_supported", lang),
               t("reports.col.share_enrolled", lang), t("reports.col.participations", lang),
               t("reports.col.attendees", lang), t("reports.col.support_hours", lang),
               t("reports.col.activities_per_org", lang),
               t("reports.col.attendees_per_org", lang), t("reports.col.hours_per_org", lang)]
    return Table(t("reports.table.incubators", lang), columns, [
        [r.code, r.name(lang), known.region(r.region_code, lang), r.activities,
         _number(r.hours), r.organizations_enrolled, r.organizations_supported,
         _percent(r.share_of_enrolled_supported), r.participations, r.attendees,
         _number(r.support_hours), r.activities_per_organization,
         r.attendees_per_organization, r.hours_per_organization] for r in rows])


def build_table(name: str, result: Any, *, lang: str, known: Names) -> Table:
    """The table `name` from its analytics function's result, headings in `lang`."""
    if name == "indicators":
        return _indicators(result, lang)
    if name == "quarterly":
        return _quarterly(result, lang, known)
    if name == "types":
        return _mix(result, ActivityType, "reports.table.types", "reports.col.type", lang)
    if name == "areas":
        return _mix(result, CapacityArea, "reports.table.areas", "reports.col.area", lang)
    if name == "regions":
        return _regions(result, lang)
    if name == "municipalities":
        return _municipalities(result, lang, known)
    if name == "incubators":
        return _incubators(result, lang, known)
    raise ValueError(f"unknown table {name!r}; one of {', '.join(TABLE_NAMES)}")


def _check(actor: Actor) -> None:
    if not can_open(actor, Area.REPORTS):
        raise PermissionDenied()


def fetch_table(session: Session, name: str, *, actor: Actor, filters: Filters, lang: str,
                known: Names | None = None, today: dt.date | None = None) -> Table:
    """One data table under the filters, as the reports page offers it."""
    _check(actor)
    if name in ESF_TABLES:
        table = esf.participants_table if name == "esf-participants" else esf.summary_table
        return table(session, actor=actor, filters=filters, lang=lang)
    start, end = reference.programme_period(session, incubator_id=None)
    arguments = source_arguments(name, filters, report_year(filters, start, end, today))
    result = SOURCES[name](session, actor=actor, **arguments)
    return build_table(name, result, lang=lang, known=known or names(session))


# The civic-dialogue sheet -----------------------------------------------------------------

@dataclass(frozen=True)
class DialogueFigures:
    """The civic-dialogue sheet's figures: approved opinions only, aggregates only (no
    organisation's name, no note, no opinion's summary)."""

    headline: list[IndicatorProgress]  # documents monitored, opinions, organisations
    funnel: OutcomeFunnel
    institutions: list[InstitutionRow]
    organizations: list[RegionCount]  # organisations with opinions, by region


def dialogue_figures(session: Session, *, actor: Actor, filters: Filters, year: int
                     ) -> DialogueFigures:
    """The figures of the report's civic-dialogue sheet (and the reports page's section),
    counted from approved opinions whoever asks."""
    _check(actor)
    approved = dataclasses.replace(filters, include_submitted=False)
    headline = [r for r in analytics.indicator_progress(session, actor=actor, filters=approved,
                                                        year=year)
                if r.method in DIALOGUE_METHODS]
    return DialogueFigures(
        headline=headline, funnel=outcome_funnel(session, actor=actor, filters=approved),
        institutions=institutions(session, actor=actor, filters=approved, limit=15),
        organizations=submitting_organizations(session, actor=actor, filters=approved,
                                               limit=1).by_region)


_OUTCOMES = (OpinionOutcome.TAKEN_INTO_ACCOUNT, OpinionOutcome.PARTLY_TAKEN_INTO_ACCOUNT,
             OpinionOutcome.NOT_TAKEN_INTO_ACCOUNT, OpinionOutcome.NO_ANSWER,
             OpinionOutcome.PENDING)


def _outcome_columns(lang: str) -> list[str]:
    steps = [t(f"dialogue_stats.col.{c}", lang) for c in ("submitted", "answered", "changed")]
    outcomes = [label(o, lang)[:1].upper() + label(o, lang)[1:] for o in _OUTCOMES]
    return [*steps, *outcomes, t("dialogue_stats.col.changed_of_answered", lang),
            t("dialogue_stats.col.changed_of_submitted", lang)]


def _outcome_values(row: Outcomes) -> list[Cell]:
    return [row.submitted, row.answered, row.changed, *(row.of(o) for o in _OUTCOMES),
            _percent(row.changed_of_answered), _percent(row.changed_of_submitted)]


def dialogue_tables(figures: DialogueFigures, *, lang: str, known: Names) -> list[Table]:
    """The sheet's tables: the indicators against their targets, the outcomes per incubator
    (and in total) and per quarter, the institutions, the organisations by region."""
    headline = _indicators(figures.headline, lang)
    funnel = figures.funnel
    by_incubator = [[r.code or None, known.incubator(r.code, lang) if r.code != PROGRAMME
                     else t("dialogue_stats.programme_own", lang), *_outcome_values(r)]
                    for r in funnel.incubators]
    by_incubator.append([None, t("dialogue_stats.total", lang), *_outcome_values(funnel.total)])
    regions = [[r.region_code or None, known.region(r.region_code, lang) if r.region_code
                else t("dialogue_stats.unknown_region", lang), r.organizations]
               for r in figures.organizations]
    regions.append([None, t("dialogue_stats.total", lang),
                    sum(r.organizations for r in figures.organizations)])
    return [
        Table(t("dialogue_stats.table.headline", lang), headline.columns, headline.rows),
        Table(t("dialogue_stats.table.funnel", lang),
              [t("reports.col.incubator_code", lang), t("reports.col.incubator", lang),
               *_outcome_columns(lang)], by_incubator,
              notes=[t("dialogue_stats.report.changed_note", lang)]),
        Table(t("dialogue_stats.table.quarters", lang),
              [t("reports.col.year", lang), t("reports.col.quarter", lang),
               *_outcome_columns(lang)],
              [[q.year, q.quarter, *_outcome_values(q)] for q in funnel.quarters]),
        Table(t("dialogue_stats.table.institutions", lang),
              [t("dialogue_stats.col.institution", lang), t("dialogue_stats.col.documents", lang),
               t("dialogue_stats.col.opinions", lang), t("dialogue_stats.col.answered", lang),
               t("dialogue_stats.col.answered_share", lang),
               t("dialogue_stats.col.changed", lang)],
              [[r.institution, r.documents, r.opinions, r.answered, _percent(r.answered_share),
                r.changed] for r in figures.institutions]),
        Table(t("dialogue_stats.table.organizations", lang),
              [t("reports.col.region_code", lang), t("reports.col.region", lang),
               t("dialogue_stats.col.organizations", lang)], regions),
    ]


def _dialogue_charts(figures: DialogueFigures, lang: str, known: Names) -> list[go.Figure]:
    from tracker.charts.dialogue import dialogue_charts

    display = {code: known.incubator(code, lang) for code in known.incubators}
    return list(dialogue_charts(figures.funnel, figures.institutions, display, lang).values())


# The funder report ---------------------------------------------------------------------------

MAP_SIZE = (900, 560)
CHART_SIZE = (1000, 480)


def _charts(tables: Mapping[str, Any], lang: str, known: Names
            ) -> tuple[go.Figure, list[go.Figure]]:
    """The map and the charts of the report, from the analytics results."""
    from tracker import charts
    from tracker.charts import regions as region_charts

    the_map = region_charts.municipality_map(tables["municipalities"],
                                             "organizations_supported", lang)
    figures = []
    display = {code: known.incubator(code, lang) for code in known.incubators}
    if tables["quarterly"]:
        for metric in ("activities", "organizations"):
            figures.append(charts.quarterly_by_incubator(tables["quarterly"], metric, display,
                                                         lang))
    if tables["types"]:
        figures.append(charts.mix(tables["types"], {
            k: _enum_label(ActivityType, k, lang) for k in tables["types"]}, "overview.types",
            lang))
    if tables["areas"]:
        figures.append(charts.mix(tables["areas"], {
            k: _enum_label(CapacityArea, k, lang) for k in tables["areas"]}, "overview.areas",
            lang))
    if tables["incubators"]:
        figures.append(region_charts.incubator_comparison(tables["incubators"], lang))
    the_map.update_layout(width=MAP_SIZE[0], height=MAP_SIZE[1])
    return the_map, figures


def _draw(the_map: go.Figure, figures: list[go.Figure]
          ) -> tuple[bytes | None, list[bytes], TrackerError | None]:
    """PNGs of the map and the charts, one Chromium for all; the error if they cannot be."""
    try:
        map_png = exports.figures_png([the_map], width=MAP_SIZE[0], height=MAP_SIZE[1])[0]
        return map_png, exports.figures_png(figures, width=CHART_SIZE[0],
                                            height=CHART_SIZE[1]), None
    except (exports.ChartExportUnavailable, exports.ChartExportFailed) as exc:
        return None, [], exc


def _describe(filters: Filters, start: dt.date, end: dt.date, known: Names, incubator: str | None,
              lang: str) -> list[tuple[str, str]]:
    period = (f"{format_date(filters.date_from or start, lang)} – "
              f"{format_date(filters.date_to or end, lang)}")
    lines = [(t("reports.period", lang), period),
             (t("reports.region", lang), known.region(filters.region_code, lang)
              if filters.region_code else t("reports.all", lang)),
             (t("reports.incubator", lang), known.incubator(incubator, lang)
              if incubator else t("reports.all", lang))]
    if filters.activity_type:
        lines.append((t("reports.type", lang),
                      _enum_label(ActivityType, filters.activity_type, lang)))
    return lines


def _mark_quarters(session: Session, table: Table, lang: str) -> Table:
    """The quarterly table with a column saying, row by row, whether its figures come from a
    closed quarter or are provisional (the report only: exports keep the plain table)."""
    ids = dict(session.execute(select(Incubator.code, Incubator.id)).all())
    closed = quarters.closed_quarters(session)
    return Table(table.title, [*table.columns, t("reports.col.figures", lang)], [
        [*row, t("reports.figures.closed" if (ids.get(str(row[2])), row[0], row[1]) in closed
                 else "reports.figures.provisional", lang)] for row in table.rows],
        table.notes)


def _provisional(session: Session, filters: Filters, start: dt.date, end: dt.date,
                 today: dt.date, known: Names, lang: str) -> str:
    """Whether every figure comes from closed quarters, or which quarters are still open
    (their numbers may change: they are provisional)."""
    codes = dict(session.execute(select(Incubator.id, Incubator.code)).all())
    ids = list(session.scalars(incubators_in_scope(filters)))
    pending = quarters.open_quarters(session, incubator_ids=ids,
                                   date_from=filters.date_from or start,
                                   date_to=filters.date_to or end, today=today)
    if not pending:
        return t("reports.all_closed", lang)
    listed = ", ".join(f"{codes.get(i, i)} {quarters.quarter_label(y, q)}" for i, y, q in pending)
    return t("reports.provisional", lang, quarters=listed)


def _png_height(png: bytes) -> int:
    """The height in pixels from the PNG header (IHDR)."""
    return int.from_bytes(png[20:24], "big") if png[:8] == b"\x89PNG\r\n\x1a\n" else 480


def _esf_summary(session: Session, actor: Actor, filters: Filters, lang: str) -> Table:
    """The ESF+ common output indicators as funders see them (small numbers suppressed,
    whoever asks): the report is the funders' file."""
    return esf.summary_table(session, actor=actor, filters=filters, lang=lang, suppress=True)


def funder_report(session: Session, *, actor: Actor, filters: Filters, lang: str,
                  today: dt.date | None = None, with_charts: bool = True) -> bytes:
    """The report for a period and region as an .xlsx file: a summary sheet (the headline
    indicators against their targets, whole period and the current year, and the map), a
    sheet of charts, one sheet per data table, the ESF+ indicators (suppressed) and the civic
    dialogue (approved opinions only: indicators, outcomes, institutions; never a note).

    Charts need Chromium; without it the workbook says so and has the numbers only.
    """
    _check(actor)
    today = today or dt.date.today()  # noqa: DTZ011
    known = names(session)
    start, end = reference.programme_period(session, incubator_id=None)
    year = report_year(filters, start, end, today)
    results = {name: SOURCES[name](session, actor=actor,
                                   **source_arguments(name, filters, year))
               for name in TABLE_NAMES}
    incubator = next((r.code for r in results["incubators"]
                      if r.incubator_id == filters.incubator_id), None) \
        if filters.incubator_id else None
    tables = {name: build_table(name, results[name], lang=lang, known=known)
              for name in TABLE_NAMES}
    tables["quarterly"] = _mark_quarters(session, tables["quarterly"], lang)

    dialogue = dialogue_figures(session, actor=actor, filters=filters, year=year)

    map_png: bytes | None = None
    chart_pngs: list[bytes] = []
    dialogue_pngs: list[bytes] = []
    problem: TrackerError | None = None
    if with_charts:  # one Chromium draws them all; the civic dialogue's go on its sheet
        the_map, figures = _charts(results, lang, known)
        map_png, chart_pngs, problem = _draw(the_map, figures + _dialogue_charts(
            dialogue, lang, known))
        chart_pngs, dialogue_pngs = chart_pngs[:len(figures)], chart_pngs[len(figures):]

    buffer = io.BytesIO()
    workbook = exports.new_workbook(buffer)
    workbook.set_properties({"title": t("reports.title", lang), "subject": t("reports.title",
                                                                            lang),
                             "author": "", "company": "", "comments": ""})
    taken: set[str] = set()
    title_format = workbook.add_format({"bold": True, "font_size": 16})
    bold = workbook.add_format({"bold": True})
    note = workbook.add_format({"italic": True, "font_color": "#555555"})

    summary = workbook.add_worksheet(exports.sheet_name(t("reports.sheet.summary", lang),
                                                        taken))
    summary.write_string(0, 0, t("reports.title", lang), title_format)
    row = 2
    for name, value in [*_describe(filters, start, end, known, incubator, lang),
                        (t("reports.generated", lang), format_date(today, lang))]:
        summary.write_string(row, 0, name, bold)
        summary.write_string(row, 1, value)
        row += 1
    row += 1
    notes = [t(counted_note_key(actor, filters), lang), _provisional(session, filters, start,
                                                                      end, today, known, lang),
             t("reports.no_personal_data", lang)]
    if filters.region_code and not filters.incubator_id:
        notes.append(t("overview.region_targets", lang))
    if problem is not None:
        notes.append(t("reports.charts_missing", lang, reason=problem.message(lang)))
    for text in notes:
        summary.write_string(row, 0, text, note)
        row += 1
    row = exports.write_table(workbook, summary, tables["indicators"], first_row=row + 1)
    if map_png is not None:
        summary.write_string(row, 0, t("reports.map", lang), bold)
        summary.insert_image(row + 1, 0, "map.png", {"image_data": io.BytesIO(map_png),
                                                     "object_position": 3})
    if chart_pngs:
        sheet = workbook.add_worksheet(exports.sheet_name(t("reports.sheet.charts", lang),
                                                          taken))
        sheet.write_string(0, 0, t("reports.charts", lang), title_format)
        row = 2
        for index, png in enumerate(chart_pngs):
            sheet.insert_image(row, 0, f"chart-{index + 1}.png",
                               {"image_data": io.BytesIO(png), "object_position": 3})
            row += -(-_png_height(png) // 20) + 2  # rows of the default 20 px, and a gap
    for name in TABLE_NAMES:
        table = tables[name]
        exports.write_table(workbook, workbook.add_worksheet(
            exports.sheet_name(table.title, taken)), table)
    exports.write_table(workbook, workbook.add_worksheet(exports.sheet_name(
        t("esf.sheet", lang), taken)), _esf_summary(session, actor, filters, lang))
    sheet = workbook.add_worksheet(exports.sheet_name(t("dialogue_stats.sheet", lang), taken))
    sheet.write_string(0, 0, t("dialogue_stats.report.title", lang), title_format)
    sheet.write_string(1, 0, t("dialogue_stats.report.approved_only", lang), note)
    row = 3
    for table in dialogue_tables(dialogue, lang=lang, known=known):
        row = exports.write_table(workbook, sheet, table, first_row=row)
    for index, png in enumerate(dialogue_pngs):
        sheet.insert_image(row, 0, f"dialogue-{index + 1}.png",
                           {"image_data": io.BytesIO(png), "object_position": 3})
        row += -(-_png_height(png) // 20) + 2
    workbook.close()
    return buffer.getvalue()


def report_file_name(lang: str, filters: Filters, today: dt.date | None = None) -> str:
    """E.g. atskaite-latgale-2025-01-01-2025-12-31.xlsx (no personal data in it either)."""
    parts = [t("reports.file_name", lang)]
    if filters.region_code:
        parts.append(filters.region_code)
    if filters.date_from:
        parts.append(filters.date_from.isoformat())
    if filters.date_to:
        parts.append(filters.date_to.isoformat())
    if len(parts) == 1:
        parts.append((today or dt.date.today()).isoformat())  # noqa: DTZ011
    return exports.slug("-".join(parts)) + ".xlsx"
