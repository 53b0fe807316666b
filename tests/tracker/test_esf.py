"""The ESF+ participants' report and summary (tracker.esf) on both databases: who is a
participant of a period, age at entry, the columns in the order of Annex I, completeness by
the one rule, the total as the sum of the employment groups, who may have what, the audit of
every export with names, and the summary's small-number suppression."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.enums import Role
from db.models import AuditLog
from tests import factories as f
from tests.people_factories import attend, person
from tracker import esf, exports, personal_codes
from tracker.analytics.scope import Filters
from tracker.auth import Actor
from tracker.errors import PermissionDenied
from tracker.esf import records
from tracker.esf.participants import COLUMNS
from tracker.esf.summary import ROW_KEYS, TOTAL, lines, summary_grid
from tracker.esf.suppression import PRIMARY_MARK, SECONDARY_MARK
from tracker.exports import Table
from tracker.schemas import missing_characteristics
from tracker.services.people import erase_person, get_person

ADMIN = Actor.system()
CODE = "161175-19997"  # a valid old-format code: born 16.11.1975


@dataclasses.dataclass
class World:
    vidzeme: dict[str, Any]
    latgale: dict[str, Any]


def _world(session: Session) -> World:
    """Vidzeme: Anna (complete, code, 2025 training 4 h of 6 and a 2026 submitted consultation),
    Jānis (long-term unemployed, 2026 only), Ilze (no employment status, 2025), Pēteris (only a
    draft). Latgale: Līga (complete, approved 2026 training)."""
    anna = person(session, first_name="Anna", last_name="Bērziņa", personal_code=CODE,
                  birth_date=dt.date(1975, 11, 16))
    janis = person(session, first_name="Jānis", last_name="Ozols", gender="male",
                   birth_date=dt.date(2000, 1, 1), employment_status="long_term_unemployed",
                   education="isced_3_4", disability="refused")
    ilze = person(session, first_name="Ilze", last_name="Kalna", employment_status=None,
                  rural="yes")
    peteris = person(session, first_name="Pēteris", last_name="Melnais")
    liga = person(session, "LATGALE", first_name="Līga", last_name="Zariņa",
                  gender="non_binary", employment_status="in_education", education="isced_0_2",
                  birth_date=dt.date(2009, 3, 1))
    training = f.activity(session, status="approved", type="training", hours="6",
                          activity_date="2025-05-14", total_participants=10)
    attend(session, training, [anna], hours="4")
    attend(session, training, [ilze])
    consultation = f.activity(session, activity_date="2026-02-10", total_participants=5,
                              attendees=[{"person_id": anna.id}, {"person_id": janis.id}])
    f.activity(session, status="draft", activity_date="2026-03-01", total_participants=5,
               attendees=[{"person_id": peteris.id}])
    f.activity(session, incubator="LATGALE", status="approved", type="training",
               activity_date="2026-04-01", hours="3", municipality_atvk="0002000",
               total_participants=5, attendees=[{"person_id": liga.id}])
    return World(vidzeme={"anna": anna, "janis": janis, "ilze": ilze, "peteris": peteris,
                          "training": training, "consultation": consultation},
                 latgale={"liga": liga})


def _rows(table: Table) -> list[dict[str, Any]]:
    return [dict(zip(COLUMNS, row, strict=True)) for row in table.rows]


def _by_ref(table: Table) -> dict[str, dict[str, Any]]:
    return {row["ref"]: row for row in _rows(table)}


def test_one_row_per_person_who_attended_anything_counted_in_the_period(
        session: Session) -> None:
    world = _world(session)
    v = world.vidzeme

    everyone = _by_ref(esf.participants_table(session, actor=ADMIN, filters=Filters(),
                                              lang="en"))
    assert set(everyone) == {v["anna"].ref, v["janis"].ref, v["ilze"].ref,
                             world.latgale["liga"].ref}  # Pēteris attended a draft only
    anna = everyone[v["anna"].ref]
    assert anna["hours"] == 6  # 4 of the training and the consultation's 2
    assert anna["entry_date"] == dt.date(2025, 5, 14)

    in_2026 = _by_ref(esf.participants_table(
        session, actor=ADMIN, filters=Filters(date_from=dt.date(2026, 1, 1)), lang="en"))
    assert set(in_2026) == {v["anna"].ref, v["janis"].ref, world.latgale["liga"].ref}
    # entry stays the first attendance in the programme; hours are the period's
    assert in_2026[v["anna"].ref]["entry_date"] == dt.date(2025, 5, 14)
    assert in_2026[v["anna"].ref]["hours"] == 2

    approved_only = Filters(include_submitted=False)
    assert set(_by_ref(esf.participants_table(session, actor=ADMIN, filters=approved_only,
                                              lang="en"))) == {
        v["anna"].ref, v["ilze"].ref, world.latgale["liga"].ref}
    trainings = Filters(activity_type="training", region_code="LATGALE")
    assert list(_by_ref(esf.participants_table(session, actor=ADMIN, filters=trainings,
                                               lang="en"))) == [world.latgale["liga"].ref]


def test_columns_follow_the_common_indicators_of_annex_i(session: Session) -> None:
    _world(session)
    table = esf.participants_table(session, actor=ADMIN, filters=Filters(), lang="en")
    assert list(table.columns) == [
        "Incubator", "Reference", "First name", "Last name", "Personal code", "Birth date",
        "Age at entry", "Gender", "Employment status", "Education", "Disability",
        "Third-country national", "Foreign background", "Minority",
        "Homeless or housing exclusion", "Rural area", "Date of first attendance",
        "Hours attended in the period", "Organisations", "Complete", "Missing"]
    latvian = esf.participants_table(session, actor=ADMIN, filters=Filters(), lang="lv")
    assert latvian.columns[6] == "Vecums dalības sākumā" and latvian.title == \
        "ESF+ dalībnieku pārskats"


def test_values_are_labels_and_the_complete_column_is_the_one_rule(session: Session) -> None:
    world = _world(session)
    rows = _by_ref(esf.participants_table(session, actor=ADMIN, filters=Filters(),
                                          lang="en"))
    for key in ("anna", "janis", "ilze"):
        read = world.vidzeme[key]
        row = rows[read.ref]
        missing = missing_characteristics(read)
        assert row["complete"] == ("no" if missing else "yes"), key
        assert bool(row["missing"]) is bool(missing)
    janis = rows[world.vidzeme["janis"].ref]
    assert (janis["gender"], janis["employment_status"], janis["education"],
            janis["disability"]) == ("male", "long-term unemployed",
                                     "upper secondary or post-secondary (ISCED 3–4)",
                                     "refused to answer")  # refused is an answer: complete
    assert janis["complete"] == "yes"
    ilze = rows[world.vidzeme["ilze"].ref]
    assert (ilze["complete"], ilze["missing"]) == ("no", "Employment status")


@pytest.mark.parametrize(("born", "entry", "age", "group"), [
    (dt.date(2007, 5, 15), dt.date(2025, 5, 14), 17, "below_18"),
    (dt.date(2007, 5, 14), dt.date(2025, 5, 14), 18, "aged_18_29"),
    (dt.date(1995, 5, 14), dt.date(2025, 5, 14), 30, "aged_30_54"),
    (dt.date(1995, 5, 15), dt.date(2025, 5, 14), 29, "aged_18_29"),
    (dt.date(1970, 5, 15), dt.date(2025, 5, 14), 54, "aged_30_54"),
    (dt.date(1970, 5, 14), dt.date(2025, 5, 14), 55, "aged_55_plus"),
    (dt.date(2008, 2, 29), dt.date(2026, 2, 28), 17, "below_18"),
    (dt.date(2008, 2, 29), dt.date(2026, 3, 1), 18, "aged_18_29"),
])
def test_age_at_entry_boundaries(born: dt.date, entry: dt.date, age: int, group: str) -> None:
    assert records.age_at(entry, born, born.year) == age
    assert records.age_group(age) == group


def test_age_at_entry_in_the_report_and_the_summary(session: Session) -> None:
    """Six people whose entry day falls just before or on their 18th, 30th and 55th
    birthday; the report's age and the summary's age groups agree with it."""
    entry = dt.date(2025, 5, 14)
    births = {"17": dt.date(2007, 5, 15), "18": dt.date(2007, 5, 14),
              "29": dt.date(1995, 5, 15), "30": dt.date(1995, 5, 14),
              "54": dt.date(1970, 5, 15), "55": dt.date(1970, 5, 14)}
    people = {age: person(session, birth_date=born) for age, born in births.items()}
    f.activity(session, status="approved", activity_date=entry.isoformat(),
               total_participants=6, attendees=[{"person_id": p.id} for p in people.values()])
    f.activity(session, status="approved", activity_date="2026-06-01", total_participants=6,
               attendees=[{"person_id": p.id} for p in people.values()])  # a year older here

    rows = _by_ref(esf.participants_table(session, actor=ADMIN, filters=Filters(), lang="en"))
    assert {age: rows[p.ref]["age_at_entry"] for age, p in people.items()} == {
        age: int(age) for age in births}
    grid = summary_grid(session, actor=ADMIN, filters=Filters())
    assert [grid.value(key) for key in records.AGE_GROUPS] == [1, 2, 2, 1]


def test_erased_people_keep_their_row_without_identity(session: Session) -> None:
    world = _world(session)
    anna = world.vidzeme["anna"]
    erase_person(session, actor=ADMIN, person_id=anna.id)

    table = esf.participants_table(session, actor=ADMIN, filters=Filters(), lang="en")

    row = _by_ref(table)[anna.ref]
    assert (row["first_name"], row["last_name"], row["personal_code"], row["birth_date"]) == \
        (None, None, "", None)
    assert row["age_at_entry"] == 2025 - 1975  # from the kept birth year
    assert (row["gender"], row["employment_status"], row["complete"]) == \
        ("female", "employed", "yes")
    assert "Anna" not in repr(table.rows) and "Bērziņa" not in repr(table.rows)


def test_managers_get_the_whole_code_staff_masked_funders_nothing(session: Session) -> None:
    world = _world(session)
    anna = world.vidzeme["anna"]
    manager = f.actor(session, Role.MANAGER)
    staff = f.actor(session, Role.STAFF, "VIDZEME")
    other_staff = f.actor(session, Role.STAFF, "LATGALE")

    whole = _by_ref(esf.participants_table(session, actor=manager, filters=Filters(),
                                           lang="lv"))
    assert whole[anna.ref]["personal_code"] == CODE
    assert whole[anna.ref]["birth_date"] == dt.date(1975, 11, 16)

    own = esf.participants_table(session, actor=staff, filters=Filters(), lang="en")
    assert {r["incubator"] for r in _rows(own)} == {"VIDZEME"}
    assert _by_ref(own)[anna.ref]["personal_code"] == "161175-*****"
    assert any("masked" in note for note in own.notes)
    theirs = esf.participants_table(session, actor=other_staff, filters=Filters(), lang="en")
    assert [r["ref"] for r in _rows(theirs)] == [world.latgale["liga"].ref]
    with pytest.raises(PermissionDenied):  # another incubator asked for by name
        esf.participants_table(session, actor=staff, filters=Filters(
            incubator_id=f.incubator_id(session, "LATGALE")), lang="en")
    with pytest.raises(PermissionDenied):
        esf.participants_table(session, actor=f.actor(session, Role.FUNDER),
                               filters=Filters(), lang="en")
    with pytest.raises(PermissionDenied):
        esf.completeness(session, actor=f.actor(session, Role.FUNDER), filters=Filters())


def test_without_the_key_the_code_shows_the_placeholder_and_says_why(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    anna = _world(session).vidzeme["anna"]
    monkeypatch.delenv(personal_codes.KEY_VARIABLE)

    table = esf.participants_table(session, actor=ADMIN, filters=Filters(), lang="en")

    assert _by_ref(table)[anna.ref]["personal_code"] == personal_codes.HIDDEN
    assert any(personal_codes.KEY_VARIABLE in note for note in table.notes)


def _exports(session: Session) -> list[AuditLog]:
    return list(session.scalars(select(AuditLog).where(
        AuditLog.action == "export", AuditLog.entity == "person").order_by(AuditLog.id)))


def test_every_export_with_names_is_audited(session: Session) -> None:
    _world(session)
    manager = f.actor(session, Role.MANAGER)
    before = len(_exports(session))
    period = Filters(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31))

    esf.participants_table(session, actor=manager, filters=period, lang="lv")
    esf.participants_table(session, actor=manager, filters=Filters(), lang="en")
    session.flush()

    entries = _exports(session)[before:]
    assert len(entries) == 2
    first, second = (entry.after or {} for entry in entries)
    assert (entries[0].user_id, entries[0].actor_email) == (manager.user_id, manager.email)
    assert first["count"] == 3 and first["report"] == "esf_participants"
    assert first["filters"]["from"] == "2026-01-01"
    assert first["personal_codes"] == "whole"
    assert second["count"] == 4
    # the summary and the completeness hold no names: they are not exports of people
    esf.summary_table(session, actor=manager, filters=Filters(), lang="lv")
    esf.completeness(session, actor=manager, filters=Filters())
    session.flush()
    assert len(_exports(session)) == before + 2


def test_the_total_is_the_sum_of_the_employment_groups(session: Session) -> None:
    world = _world(session)
    grid = summary_grid(session, actor=ADMIN, filters=Filters())

    # Anna employed, Jānis long-term unemployed, Līga in education; Ilze has no status
    assert grid.value("participants") == 3
    assert [grid.value(k) for k in ("unemployed", "long_term_unemployed", "inactive",
                                    "employed")] == [1, 1, 1, 1]
    assert grid.value("participants") == sum(
        int(grid.value(k)) for k in ("unemployed", "inactive", "employed"))
    assert (grid.value("attended"), grid.value("incomplete"),
            grid.value("no_employment_status")) == (4, 1, 1)
    assert grid.value("rural") == 0  # Ilze lives in the country but is not in the total
    assert (grid.value("female"), grid.value("male"), grid.value("non_binary")) == (1, 1, 1)
    assert (grid.value("disability"), grid.value("disability_refused")) == (0, 1)
    assert (grid.value("below_18"), grid.value("aged_18_29"),
            grid.value("aged_55_plus")) == (1, 1, 0)  # Līga 17, Jānis 26, Anna 49
    assert grid.value("participants", "VIDZEME") == 2
    assert grid.value("participants", "LATGALE") == 1
    for key in ROW_KEYS:  # every row adds up across the incubators
        assert grid.value(key) == sum(int(grid.value(key, c)) for c in grid.columns[:-1])
    assert world.vidzeme["ilze"].employment_status is None


def test_summary_table_rows_codes_and_notes(session: Session) -> None:
    _world(session)
    table = esf.summary_table(session, actor=ADMIN, filters=Filters(), lang="en")
    assert list(table.columns) == [
        "Code", "Indicator", "Kurzeme regional NGO incubator", "Latgale regional NGO incubator",
        "Vidzeme regional NGO incubator", "Zemgale regional NGO incubator", "Total"]
    codes = [row[0] for row in table.rows if row[0]]
    assert codes == [f"EECO{n:02d}" for n in range(1, 18)]
    assert table.rows[0][1] == "Participants in total (sum of the employment groups)"
    assert any("sum of the employment groups" in note for note in table.notes)
    assert not any(PRIMARY_MARK in str(cell) for row in table.rows for cell in row)


def _many(session: Session) -> None:
    """Vidzeme: 9 employed women of 30–54 and 2 unemployed men; Latgale: 6 employed women."""
    vidzeme = [person(session) for _ in range(9)] + [
        person(session, gender="male", employment_status="unemployed") for _ in range(2)]
    latgale = [person(session, "LATGALE") for _ in range(6)]
    f.activity(session, status="approved", activity_date="2025-06-02", total_participants=20,
               attendees=[{"person_id": p.id} for p in vidzeme])
    f.activity(session, incubator="LATGALE", status="approved", activity_date="2025-06-03",
               municipality_atvk="0002000", total_participants=20,
               attendees=[{"person_id": p.id} for p in latgale])


def test_funders_get_small_numbers_hidden_with_the_second_cells(session: Session) -> None:
    _many(session)
    funder = f.actor(session, Role.FUNDER)

    open_grid = summary_grid(session, actor=ADMIN, filters=Filters())
    grid = summary_grid(session, actor=funder, filters=Filters(), suppress=False)

    assert open_grid.value("male", "VIDZEME") == 2 and not open_grid.suppressed
    assert grid.suppressed  # a funder's is suppressed whatever is asked
    assert grid.value("male", "VIDZEME") == PRIMARY_MARK
    assert grid.value("male") == PRIMARY_MARK  # the total of the row is 2 as well
    # Vidzeme's employment groups add up to its 11: the 9 employed are hidden beside the 2,
    # and Latgale's 6 in that row beside them, and so on until every sum is safe
    assert grid.value("unemployed", "VIDZEME") == PRIMARY_MARK
    assert grid.value("employed", "VIDZEME") == SECONDARY_MARK
    assert grid.value("employed", "LATGALE") == SECONDARY_MARK
    assert grid.value("female") == SECONDARY_MARK  # 15 women beside the total's 2 men
    assert grid.value("participants") == grid.value("attended") == 17
    assert grid.value("non_binary", "VIDZEME") == 0  # zeros tell nothing and show
    values = {(k, c): int(open_grid.value(k, c)) for k in ROW_KEYS for c in grid.columns}
    shown = {(k, c): grid.value(k, c) for k in ROW_KEYS for c in grid.columns}
    for line in lines(grid.columns[:-1]):
        hidden = [cell for cell in line.cells if shown[cell] in (PRIMARY_MARK, SECONDARY_MARK)]
        assert len(hidden) != 1, (line, hidden)
        assert sum(values[m] for m in line.members) == values[line.total]
    cells = [grid.value(k, c) for k in ROW_KEYS for c in grid.columns]
    assert not any(isinstance(c, int) and 0 < c < 5 for c in cells)
    manager_asks = summary_grid(session, actor=ADMIN, filters=Filters(), suppress=True)
    assert manager_asks.cells == grid.cells


def test_a_single_small_count_hides_its_total_when_nothing_else_is_left(
        session: Session) -> None:
    """One incubator: each row's only member equals its total, so both are hidden."""
    _many(session)
    vidzeme = Filters(incubator_id=f.incubator_id(session, "VIDZEME"))

    grid = summary_grid(session, actor=f.actor(session, Role.FUNDER), filters=vidzeme)

    assert grid.columns == ("VIDZEME", TOTAL)
    assert grid.value("male", "VIDZEME") == grid.value("male") == PRIMARY_MARK
    assert grid.value("employed", "VIDZEME") == grid.value("employed") == SECONDARY_MARK
    assert grid.value("participants", "VIDZEME") == grid.value("participants") == 11


def test_the_funder_summary_and_completeness_hold_no_personal_data(session: Session) -> None:
    world = _world(session)
    funder = f.actor(session, Role.FUNDER)
    table = esf.summary_table(session, actor=funder, filters=Filters(), lang="lv")
    grid = summary_grid(session, actor=funder, filters=Filters())
    text = (exports.to_csv(table).decode("utf-8-sig") + repr(grid)
            + repr(esf.grid_completeness_table(grid, "en").rows))
    names = [p.first_name for p in world.vidzeme.values() if hasattr(p, "first_name")]
    for secret in [*names, "Bērziņa", "Ozols", CODE, "161175", "1975", "16.11"]:
        assert secret not in text, secret
    assert PRIMARY_MARK in text
    assert not any(isinstance(c, int) and 0 < c < 5 for r in table.rows for c in r)


def test_staff_get_no_summary(session: Session) -> None:
    with pytest.raises(PermissionDenied):
        esf.summary_table(session, actor=f.actor(session, Role.STAFF), filters=Filters(),
                          lang="lv")


def test_funders_count_approved_activities_only(session: Session) -> None:
    _world(session)
    funder = f.actor(session, Role.FUNDER)
    funders = summary_grid(session, actor=funder, filters=Filters())
    approved = summary_grid(session, actor=ADMIN, filters=Filters(include_submitted=False),
                            suppress=True)
    both = summary_grid(session, actor=ADMIN, filters=Filters(), suppress=True)
    assert funders.cells == approved.cells
    assert funders.cells != both.cells  # Jānis came to a submitted consultation only


def test_completeness_per_incubator(session: Session) -> None:
    world = _world(session)
    zane = person(session, first_name="Zane", gender=None, education=None)
    attend(session, world.vidzeme["training"], [zane])

    items = {i.code: i for i in esf.completeness(session, actor=ADMIN, filters=Filters())}

    vidzeme = items["VIDZEME"]  # Anna and Jānis complete; Ilze and Zane not
    assert (vidzeme.people, vidzeme.complete, vidzeme.incomplete) == (4, 2, 2)
    assert vidzeme.share_complete == 0.5
    assert vidzeme.most_missing() == [("gender", 1), ("employment_status", 1),
                                      ("education", 1)]
    assert items[TOTAL].people == 5 and items["KURZEME"].people == 0
    table = esf.completeness_table(list(items.values()), "en")
    rows = {row[0]: row for row in table.rows}
    assert rows["Vidzeme regional NGO incubator"][1:5] == [4, 2, 2, 50.0]
    assert rows["Vidzeme regional NGO incubator"][5] == \
        "Gender (1), Employment status (1), Education (1)"
    assert rows["Kurzeme regional NGO incubator"][4] is None
    assert table.rows[-1][0] == "Total"


def test_the_person_card_is_not_an_export(session: Session) -> None:
    """Opening a card is a view (audited by the people service), not an export."""
    anna = _world(session).vidzeme["anna"]
    before = len(_exports(session))
    get_person(session, actor=ADMIN, person_id=anna.id)
    session.flush()
    assert len(_exports(session)) == before


def test_hours_are_numbers(session: Session) -> None:
    assert records.hours_number(Decimal("2.50")) == 2.5
    assert records.hours_number(Decimal("12.00")) == 12
    assert records.hours_number(None) == 0
