"""The ESF+ charts (tracker.charts.esf): bars of the summary's total column in both languages,
hidden counts drawn as no bar with their marker, never a number the table hides."""

from __future__ import annotations

import json

import pytest

from tracker.charts.esf import CHARTS, bar_values, esf_charts, group_chart, sensitive_chart
from tracker.esf.summary import ROW_KEYS, TOTAL, EsfSummary
from tracker.esf.suppression import PRIMARY_MARK, SECONDARY_MARK

INCUBATORS = (("LATGALE", "Latgales inkubators", "Latgale incubator"),
              ("VIDZEME", "Vidzemes inkubators", "Vidzeme incubator"))


def grid(values: dict[str, int | str], suppressed: bool = False) -> EsfSummary:
    """A summary whose total column holds `values` (0 elsewhere)."""
    cells: dict[str, dict[str, int | str]] = {
        key: {"LATGALE": 0, "VIDZEME": 0, TOTAL: values.get(key, 0)} for key in ROW_KEYS}
    return EsfSummary(incubators=INCUBATORS, cells=cells, suppressed=suppressed,
                      counted_key="overview.counted_approved")


def test_bar_values_hide_what_the_table_hides() -> None:
    assert bar_values([12, PRIMARY_MARK, 0, SECONDARY_MARK]) == (
        [12, 0, 0, 0], ["12", "<5", "0", "x"])


def test_gender_bars_in_both_languages() -> None:
    summary = grid({"female": 14, "male": 9, "non_binary": PRIMARY_MARK,
                    "gender_missing": SECONDARY_MARK}, suppressed=True)

    latvian = group_chart(summary, "gender", "lv")
    english = group_chart(summary, "gender", "en")

    bar = latvian.data[0]
    assert list(bar.y) == ["Sievietes", "Vīrieši", "Nebināras personas",
                           "Dzimums nav norādīts"]
    assert list(bar.x) == [14, 9, 0, 0]
    assert list(bar.text) == ["14", "9", "<5", "x"]
    assert "slēpts" in bar.hovertext[2]
    assert latvian.layout.title.text == "Dzimums" and latvian.layout.separators == ", "
    assert english.layout.title.text == "Gender" and english.data[0].y[0] == "Women"


@pytest.mark.parametrize(("name", "rows"), [
    ("age", ["Below 18 years of age", "Aged 18–29", "Aged 30–54", "Aged 55 and over",
             "Age not known"]),
    ("employment", ["Unemployed, including long-term unemployed",
                    "Inactive (including those in education)",
                    "Employed, including self-employed"]),
    ("education", ["Lower secondary education or less (ISCED 0–2)",
                   "Upper secondary or post-secondary education (ISCED 3–4)",
                   "Tertiary education (ISCED 5–8)", "Education not given"]),
])
def test_each_group_in_the_order_of_the_indicators(name: str, rows: list[str]) -> None:
    figure = group_chart(grid({"aged_30_54": 20, "employed": 7}), name, "en")
    assert list(figure.data[0].y) == rows


def test_sensitive_answers_yes_and_refused() -> None:
    figure = sensitive_chart(grid({"disability": 6, "disability_refused": PRIMARY_MARK,
                                   "rural": 11}), "en")
    yes, refused = figure.data
    assert (yes.name, refused.name) == ("yes", "refused to answer")
    assert yes.y[0] == "Participants with disabilities" and len(yes.y) == 6
    assert (yes.x[0], yes.x[5], refused.x[0], refused.text[0]) == (6, 11, 0, "<5")


def test_every_chart_and_no_hidden_number_in_any() -> None:
    """The true counts behind the markers (3 and 17 here) appear in no chart."""
    values: dict[str, int | str] = {key: PRIMARY_MARK for key in ("male", "below_18",
                                                                   "disability")}
    values |= {"female": SECONDARY_MARK, "employed": 31, "isced_5_8": 31}
    summary = grid(values, suppressed=True)
    charts = esf_charts(summary, "lv")
    assert list(charts) == list(CHARTS)
    text = json.dumps([c.to_plotly_json() for c in charts.values()], default=str)
    assert '"17"' not in text and '"3"' not in text
    assert "<5" in text and '"31"' in text
