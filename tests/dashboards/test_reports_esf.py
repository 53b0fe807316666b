"""The reports page's ESF+ participants section per role: managers and administrators see the
charts, the completeness per incubator (what is missing most), the indicators and the
participants' report downloads; funders see the indicators with small numbers hidden and
never a person; with nobody recorded, the section says so."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from db.enums import Role
from tests import factories as f
from tests.dashboards.conftest import page, sign_in
from tests.people_factories import person
from tracker.database import session_scope

NAMES = ("Kristīne", "Noslēpumiņa", "Ojārs", "Slepenais")
CODE = "161175-19997"


def _participants() -> None:
    """Vidzeme: Kristīne Noslēpumiņa (a personal code) and 7 more at an approved training,
    one without an employment status; Latgale: Ojārs Slepenais and 2 men at another."""
    with session_scope() as session:
        vidzeme = [person(session, first_name=NAMES[0], last_name=NAMES[1],
                          personal_code=CODE, birth_date="1975-11-16"),
                   *(person(session) for _ in range(6)),
                   person(session, employment_status=None)]
        latgale = [person(session, "LATGALE", first_name=NAMES[2], last_name=NAMES[3],
                          gender="male"),
                   *(person(session, "LATGALE", gender="male") for _ in range(2))]
        f.activity(session, status="approved", type="training", activity_date="2025-05-14",
                   total_participants=10, attendees=[{"person_id": p.id} for p in vidzeme])
        f.activity(session, incubator="LATGALE", status="approved", type="training",
                   activity_date="2025-06-02", municipality_atvk="0002000",
                   total_participants=5, attendees=[{"person_id": p.id} for p in latgale])


def _open(role: Role, lang: str | None = None) -> AppTest:
    at = sign_in(role, lang=lang)
    at.switch_page(page("reports.py")).run()
    assert not at.exception, at.exception
    return at


def _downloads(at: AppTest) -> dict[str, Any]:
    return {str(b.proto.label): b.proto for b in at.get("download_button")}


def _summary(at: AppTest, code: str) -> Any:
    """The ESF+ indicators as the page shows them (a data frame)."""
    return next(d.value for d in at.dataframe
                if code in d.value.columns and "EECO01" in set(d.value[code]))


def _screen(at: AppTest) -> str:
    return "".join(str(e.proto) for e in at.main) + "".join(
        d.value.to_string() for d in at.dataframe)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_managers_see_the_section_and_get_the_participants_report(app_db: str,
                                                                  role: Role) -> None:
    _participants()

    at = _open(role)

    assert "ESF+ dalībnieki" in [h.value for h in at.subheader]
    assert len(at.get("plotly_chart")) == 5  # gender, age, employment, education, sensitive
    downloads = _downloads(at)
    for label in ("Dalībnieku pārskats (CSV)", "Dalībnieku pārskats (Excel)"):
        assert label in downloads
        assert downloads[label].HasField("deferred_file_id")  # made (and audited) on click
    complete = next(d.value for d in at.dataframe if "Visbiežāk trūkst" in d.value.columns)
    vidzeme = complete[complete["Inkubators"] == "Vidzemes NVO reģionālais inkubators"]
    assert vidzeme.iloc[0]["Personas"] == 8 and vidzeme.iloc[0]["Ar nepilnīgiem datiem"] == 1
    assert "Nodarbinātības statuss (1)" in vidzeme.iloc[0]["Visbiežāk trūkst"]
    summary = _summary(at, "Kods")
    assert summary.iloc[0]["Kopā"] == 10  # EECO01, not suppressed for managers
    shown = _screen(at)
    assert NAMES[0] not in shown and CODE not in shown  # names only in the file


def test_funders_see_suppressed_numbers_and_no_person(app_db: str) -> None:
    _participants()

    at = _open(Role.FUNDER, lang="en")

    assert "ESF+ participants" in [h.value for h in at.subheader]
    assert not any("Participants' report" in label for label in _downloads(at))
    assert [c.value for c in at.caption].count(
        "Totals only, small numbers hidden. No person's data is here.") == 1
    summary = _summary(at, "Code")
    men = summary[summary["Indicator"] == "Men"].iloc[0]
    assert men["Latgale regional NGO incubator"] == "<5"  # the 3 men of Latgale
    assert "<5" in set(summary["Total"])
    assert not any(str(v) in {"1", "2", "3", "4"} for v in summary.drop(
        columns=["Code", "Indicator"]).to_numpy().ravel())
    shown = _screen(at)
    for secret in (*NAMES, CODE, "161175", "16.11.1975"):
        assert secret not in shown, secret
    assert "Small numbers are hidden" in shown


def test_nobody_recorded_says_so(app_db: str) -> None:
    at = _open(Role.MANAGER, lang="en")
    assert "No participant is recorded in this period." in [i.value for i in at.info]
    assert at.get("plotly_chart") == []
