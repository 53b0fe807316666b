"""Totals per municipality, region and incubator on a hand-built data set (both databases)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from db.enums import Role
from db.models import Enrollment
from tests import factories as f
from tracker.analytics import Filters, indicator_progress
from tracker.analytics.regions import (
    AreaTotals,
    incubator_totals,
    municipality_totals,
    region_totals,
    supported_by_municipality,
)
from tracker.errors import PermissionDenied
from tracker.services import organizations

VALMIERA, DAUGAVPILS, RIGA = "0054000", "0002000", "0001000"
VARAKLANI, MADONA = "0055000", "0038001"  # Varakļāni ended 2025-06-30, merged into Madona


def _build(session: Session) -> None:
    """Organisations: a Valmiera, b Daugavpils, v Varakļāni, m Madona, r Rīga (never
    supported), n no municipality.

    1. Vidzeme training 2025-03-01, approved, 2 h: a 3 people, v 2.
    2. Vidzeme consultation 2025-09-01, submitted, 1.5 h: m 1, v 1.
    3. Latgale training 2026-04-01, approved, 4 h: b 4, a 2, n 1.
    Enrolled: a admitted and v graduated in a Vidzeme cohort (2025), r only applied;
    b admitted in a Latgale cohort (2025).
    """
    a = f.organization(session, municipality_atvk=VALMIERA)
    b = f.organization(session, municipality_atvk=DAUGAVPILS)
    v = f.organization(session, municipality_atvk=VARAKLANI)
    m = f.organization(session, municipality_atvk=MADONA)
    r = f.organization(session, municipality_atvk=RIGA)
    n = f.organization(session, municipality_atvk=None)
    f.activity(session, incubator="VIDZEME", type="training", activity_date="2025-03-01",
               hours="2", status="approved", total_participants=5,
               participations=[{"organization_id": a.id, "attendees": 3},
                               {"organization_id": v.id, "attendees": 2}])
    f.activity(session, incubator="VIDZEME", type="consultation", activity_date="2025-09-01",
               hours="1.5", status="submitted", total_participants=2,
               participations=[{"organization_id": m.id, "attendees": 1},
                               {"organization_id": v.id, "attendees": 1}])
    f.activity(session, incubator="LATGALE", type="training", activity_date="2026-04-01",
               hours="4", status="approved", total_participants=7,
               participations=[{"organization_id": b.id, "attendees": 4},
                               {"organization_id": a.id, "attendees": 2},
                               {"organization_id": n.id, "attendees": 1}])
    vidzeme, latgale = f.cohort(session, "VIDZEME"), f.cohort(session, "LATGALE")
    day = dt.date(2025, 2, 1)
    session.add_all([
        Enrollment(organization_id=a.id, cohort_id=vidzeme, status="admitted", applied_on=day,
                   admitted_on=day),
        Enrollment(organization_id=v.id, cohort_id=vidzeme, status="graduated",
                   applied_on=day, admitted_on=day, graduated_on=dt.date(2025, 12, 1)),
        Enrollment(organization_id=r.id, cohort_id=vidzeme, status="applied", applied_on=day),
        Enrollment(organization_id=b.id, cohort_id=latgale, status="admitted", applied_on=day,
                   admitted_on=day)])
    session.flush()


def _numbers(row: AreaTotals) -> tuple[object, ...]:
    return (row.organizations_registered, row.organizations_supported, row.activities,
            row.participations, row.attendees, row.hours, row.support_hours)


def _areas(rows: list[AreaTotals]) -> dict[str, tuple[object, ...]]:
    return {row.code: _numbers(row) for row in rows}


ZERO = (0, 0, 0, 0, 0, 0.0, 0.0)


def test_municipalities_fold_varaklani_into_madona(session: Session) -> None:
    _build(session)
    rows = municipality_totals(session, actor=f.actor(session, Role.MANAGER),
                               filters=Filters())
    assert len(rows) == 43  # today's 42 municipalities and the "not recorded" row
    assert "LV-102" not in {r.code for r in rows}
    by_code = _areas(rows)
    # registered, supported, activities, participations, attendees, hours, support hours
    assert by_code["LV-113"] == (1, 1, 2, 2, 5, 6.0, 6.0)  # Valmiera: a in 1 and 3
    assert by_code["LV-059"] == (2, 2, 2, 3, 4, 3.5, 5.0)  # Madona: m and v (Varakļāni)
    assert by_code["LV-DGV"] == (1, 1, 1, 1, 4, 4.0, 4.0)
    assert by_code["LV-RIX"] == (1, 0, 0, 0, 0, 0.0, 0.0)
    assert by_code[""] == (1, 1, 1, 1, 1, 4.0, 4.0)  # n, last
    assert rows[-1].code == ""
    assert by_code["LV-106"] == ZERO  # no data is a zero, not a missing row
    madona = next(r for r in rows if r.code == "LV-059")
    assert (madona.atvk, madona.region_code, madona.name_lv) == (MADONA, "VIDZEME",
                                                                  "Madonas novads")
    assert (madona.activities_per_organization, madona.attendees_per_organization,
            madona.hours_per_organization, madona.share_supported) == (1.5, 2.0, 2.5, 1.0)
    riga = next(r for r in rows if r.code == "LV-RIX")
    assert riga.activities_per_organization is None and riga.share_supported == 0.0
    names = [r.name_lv for r in rows[:5]]
    assert names == ["Aizkraukles novads", "Alūksnes novads", "Augšdaugavas novads",
                     "Ādažu novads", "Balvu novads"]  # Latvian order: Ā after A


def test_regions_by_the_organisations_location(session: Session) -> None:
    _build(session)
    rows = region_totals(session, actor=f.actor(session, Role.ADMIN), filters=Filters())
    assert [r.code for r in rows] == ["RIGA", "VIDZEME", "KURZEME", "ZEMGALE", "LATGALE", ""]
    by_code = _areas(rows)
    assert by_code["VIDZEME"] == (3, 3, 3, 5, 9, 7.5, 11.0)  # a, v, m; activities 1, 2, 3
    assert by_code["LATGALE"] == (1, 1, 1, 1, 4, 4.0, 4.0)
    assert by_code["RIGA"] == (1, 0, 0, 0, 0, 0.0, 0.0)
    assert by_code["KURZEME"] == ZERO
    vidzeme = rows[1]
    assert (vidzeme.activities_per_organization, vidzeme.attendees_per_organization,
            vidzeme.hours_per_organization) == (1.67, 3.0, 3.67)
    assert vidzeme.name("lv") == vidzeme.name_lv and vidzeme.name("en") == vidzeme.name_en
    assert vidzeme.name_lv.startswith("Vidzeme") and vidzeme.atvk is None


def test_funders_count_approved_activities_only(session: Session) -> None:
    _build(session)
    funder = f.actor(session, Role.FUNDER)
    by_code = _areas(municipality_totals(session, actor=funder, filters=Filters()))
    assert by_code["LV-059"] == (2, 1, 1, 1, 2, 2.0, 2.0)  # only v in activity 1
    assert _areas(region_totals(session, actor=funder, filters=Filters()))["VIDZEME"] == (
        3, 2, 2, 3, 7, 6.0, 8.0)
    incubators = {r.code: r for r in incubator_totals(session, actor=funder,
                                                      filters=Filters())}
    assert (incubators["VIDZEME"].activities, incubators["VIDZEME"].hours,
            incubators["VIDZEME"].organizations_supported,
            incubators["VIDZEME"].attendees) == (1, 2.0, 2, 5)


def test_filters_region_period_and_type(session: Session) -> None:
    _build(session)
    manager = f.actor(session, Role.MANAGER)
    latgale = _areas(municipality_totals(session, actor=manager,
                                         filters=Filters(region_code="LATGALE")))
    assert latgale["LV-113"] == (1, 1, 1, 1, 2, 4.0, 4.0)  # a, in activity 3 only
    assert latgale["LV-059"] == (2, 0, 0, 0, 0, 0.0, 0.0)
    year_2025 = Filters(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31))
    assert _areas(region_totals(session, actor=manager, filters=year_2025))["LATGALE"] == (
        1, 0, 0, 0, 0, 0.0, 0.0)
    consultations = _areas(municipality_totals(session, actor=manager,
                                               filters=Filters(activity_type="consultation")))
    assert consultations["LV-059"] == (2, 2, 1, 2, 2, 1.5, 3.0)
    assert consultations["LV-113"] == (1, 0, 0, 0, 0, 0.0, 0.0)
    assert "" not in consultations  # n took no part: no "not recorded" row
    vidzeme_id = f.incubator_id(session, "VIDZEME")
    only = incubator_totals(session, actor=manager, filters=Filters(incubator_id=vidzeme_id))
    assert [r.code for r in only] == ["VIDZEME"]


def test_incubator_totals_and_averages(session: Session) -> None:
    _build(session)
    rows = incubator_totals(session, actor=f.actor(session, Role.MANAGER), filters=Filters())
    assert [r.code for r in rows] == ["KURZEME", "LATGALE", "VIDZEME", "ZEMGALE"]
    by_code = {r.code: r for r in rows}
    vidzeme, latgale = by_code["VIDZEME"], by_code["LATGALE"]
    assert (vidzeme.activities, vidzeme.hours, vidzeme.organizations_supported,
            vidzeme.participations, vidzeme.attendees, vidzeme.support_hours,
            vidzeme.organizations_enrolled) == (2, 3.5, 3, 4, 7, 7.0, 2)
    assert (vidzeme.activities_per_organization, vidzeme.attendees_per_organization,
            vidzeme.hours_per_organization, vidzeme.share_of_enrolled_supported) == (
        1.33, 2.33, 2.33, 1.5)
    assert (latgale.activities, latgale.hours, latgale.organizations_supported,
            latgale.participations, latgale.attendees, latgale.support_hours,
            latgale.organizations_enrolled) == (1, 4.0, 3, 3, 7, 12.0, 1)
    assert by_code["KURZEME"].activities == 0
    assert by_code["KURZEME"].activities_per_organization is None
    later = incubator_totals(session, actor=f.actor(session, Role.MANAGER),
                             filters=Filters(date_from=dt.date(2026, 1, 1)))
    assert {r.code: r.organizations_enrolled for r in later}["VIDZEME"] == 0  # cohort ended


def test_staff_may_not_ask(session: Session) -> None:
    staff = f.actor(session, Role.STAFF)
    for function in (municipality_totals, region_totals, incubator_totals):
        with pytest.raises(PermissionDenied):
            function(session, actor=staff, filters=Filters())


@pytest.mark.parametrize("filters", [
    Filters(), Filters(region_code="LATGALE"), Filters(activity_type="consultation"),
    Filters(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31))])
@pytest.mark.parametrize("role", [Role.MANAGER, Role.FUNDER])
def test_overview_map_counts_equal_the_municipality_table(session: Session, filters: Filters,
                                                           role: Role) -> None:
    """The overview's light query agrees with the full table, whoever asks, under filters."""
    _build(session)
    actor = f.actor(session, role)
    table = {r.code: r.organizations_supported
             for r in municipality_totals(session, actor=actor, filters=filters)
             if r.code and r.organizations_supported}
    assert supported_by_municipality(session, actor=actor, filters=filters) == table


def test_overview_map_counts_by_hand(session: Session) -> None:
    _build(session)
    counts = supported_by_municipality(session, actor=f.actor(session, Role.MANAGER),
                                       filters=Filters())
    # a in Valmiera, b in Daugavpils, m and v (Varakļāni, folded) in Madona; n has no
    # municipality and r was never supported: neither is on the map.
    assert counts == {"LV-113": 1, "LV-DGV": 1, "LV-059": 2}


def _deleted_one(session: Session) -> int:
    """A Valmiera organisation that took part in Vidzeme's training 2025-03-01 and the
    Latgale training 2025-05-17 (mid-month), enrolled in a Vidzeme cohort, then deleted."""
    gone = f.organization(session, municipality_atvk=VALMIERA)
    f.activity(session, incubator="VIDZEME", type="training", activity_date="2025-03-01",
               hours="3", status="approved", total_participants=6,
               participations=[{"organization_id": gone.id, "attendees": 6}])
    f.activity(session, incubator="LATGALE", type="training", activity_date="2025-05-17",
               hours="1", status="approved", total_participants=2,
               participations=[{"organization_id": gone.id, "attendees": 2}])
    session.add(Enrollment(organization_id=gone.id, cohort_id=f.cohort(session, "VIDZEME"),
                           status="admitted", applied_on=dt.date(2025, 2, 1),
                           admitted_on=dt.date(2025, 2, 1)))
    session.flush()
    organizations.delete_organization(session, actor=f.ADMIN, organization_id=gone.id,
                                      version=gone.version)
    return gone.id


@pytest.mark.parametrize("filters", [
    Filters(), Filters(region_code="VIDZEME"),
    Filters(date_from=dt.date(2025, 3, 1), date_to=dt.date(2025, 5, 20)),  # partial month
    Filters(date_from=dt.date(2025, 5, 10), date_to=dt.date(2025, 5, 20))])
def test_deleted_organisations_count_nowhere(session: Session, filters: Filters) -> None:
    _build(session)
    manager = f.actor(session, Role.MANAGER)
    before = (supported_by_municipality(session, actor=manager, filters=filters),
              _areas(municipality_totals(session, actor=manager, filters=filters)),
              _areas(region_totals(session, actor=manager, filters=filters)),
              [(r.code, r.organizations_supported, r.participations, r.attendees,
                r.support_hours, r.organizations_enrolled)
               for r in incubator_totals(session, actor=manager, filters=filters)],
              indicator_progress(session, actor=manager, filters=filters, year=2025)[0])
    _deleted_one(session)
    after = (supported_by_municipality(session, actor=manager, filters=filters),
             _areas(municipality_totals(session, actor=manager, filters=filters)),
             _areas(region_totals(session, actor=manager, filters=filters)),
             [(r.code, r.organizations_supported, r.participations, r.attendees,
               r.support_hours, r.organizations_enrolled)
              for r in incubator_totals(session, actor=manager, filters=filters)],
             indicator_progress(session, actor=manager, filters=filters, year=2025)[0])
    assert before[4].code == "ORGS_SUPPORTED"
    assert (before[4].actual, before[4].actual_year) == (after[4].actual, after[4].actual_year)
    # the map, the municipality and region tables (every column) and the incubators' reach
    assert before[:4] == after[:4]
