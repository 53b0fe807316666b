"""Small-number suppression (tracker.esf.suppression): no count from 1 to 4 is shown, and no
hidden count can be worked out from the row and column totals, checked on chosen tables and
on tables hypothesis makes up, by the rules (every line hides 0 or at least 2 cells) and,
on small tables, by trying every value a hidden cell could have."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Hashable
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.models import SENSITIVE_CHARACTERISTICS
from tracker.esf.summary import EMPLOYMENT_GROUP, TOTAL, count, lines
from tracker.esf.suppression import (
    NONE,
    PRIMARY_MARK,
    SECONDARY_MARK,
    THRESHOLD,
    Line,
    Suppression,
    disclosed,
    grid_lines,
    group_line,
    suppress,
)


def table(inner: list[list[int]]) -> tuple[dict[Hashable, int], list[Line]]:
    """A table with its row totals, column totals and grand total, and its lines."""
    rows, columns = range(len(inner)), range(len(inner[0]))
    values: dict[Hashable, int] = {}
    for r in rows:
        for c in columns:
            values[(r, c)] = inner[r][c]
        values[(r, TOTAL)] = sum(inner[r])
    for c in columns:
        values[(TOTAL, c)] = sum(inner[r][c] for r in rows)
    values[(TOTAL, TOTAL)] = sum(map(sum, inner))
    lines = grid_lines([*rows, TOTAL], list(columns), TOTAL)
    lines += [group_line(list(rows), TOTAL, c) for c in [*columns, TOTAL]]
    return values, lines


def hidden_per_line(result: Suppression, lines: list[Line]) -> list[int]:
    return [sum(cell in result.hidden for cell in line.cells) for line in lines]


def shown(values: dict[Hashable, int], result: Suppression) -> dict[Hashable, int | str]:
    return {key: result.shown(key, value) for key, value in values.items()}


def test_nothing_small_nothing_hidden() -> None:
    values, lines = table([[5, 9], [0, 12]])
    result = suppress(values, lines)
    assert result == NONE
    assert shown(values, result) == values


def test_a_small_count_hides_the_next_smallest_of_its_row_and_column() -> None:
    values, lines = table([[3, 9, 7], [8, 6, 10]])

    result = suppress(values, lines)

    assert result.primary == {(0, 0)}
    # row 0: 7 is the smallest besides; column 0: 8; then the 2 x 2 block closes with 10
    assert {(0, 2), (1, 0), (1, 2)} <= result.secondary
    assert shown(values, result)[(0, 0)] == PRIMARY_MARK
    assert shown(values, result)[(0, 2)] == SECONDARY_MARK
    assert all(n in (0, 2, 3, 4) for n in hidden_per_line(result, lines))
    assert disclosed(values, lines, result.hidden) == []


def test_zeros_are_shown_and_the_total_is_hidden_when_nothing_else_is_left() -> None:
    values, lines = table([[2, 0, 0], [6, 7, 9]])

    result = suppress(values, lines)

    assert (0, 1) not in result.hidden and (0, 2) not in result.hidden
    assert (0, TOTAL) in result.hidden  # row 0's only other non-zero cell is its sum
    assert 0 not in [values[k] for k in result.hidden]


def test_two_small_counts_whose_sum_gives_them_away_are_protected() -> None:
    """4 and 4 with a shown total of 8: each is `<5`, so each is 4 (the ranges tell)."""
    values = {"a": 4, "b": 4, "sum": 8}
    lines = [Line(("a", "b"), "sum")]

    result = suppress(values, lines)

    assert result.primary == {"a", "b"} and result.secondary == {"sum"}
    assert disclosed(values, lines, frozenset({"a", "b"})) == ["a", "b"]
    assert disclosed(values, lines, result.hidden) == []


def test_a_secondary_cell_that_would_pin_the_primary_one_gets_company() -> None:
    """`<5` and `x` over a shown 6 would be 1 and 5: a third cell is hidden."""
    values = {"a": 1, "b": 5, "c": 9, "sum": 15}
    lines = [Line(("a", "b", "c"), "sum")]

    result = suppress(values, lines)

    assert result.primary == {"a"} and result.secondary == {"b", "c"}
    assert disclosed(values, lines, result.hidden) == []


def test_the_same_table_gives_the_same_cells() -> None:
    values, lines = table([[1, 6, 6], [6, 1, 6], [6, 6, 6]])
    assert suppress(values, lines) == suppress(dict(values), list(lines))


def test_a_line_naming_an_unknown_cell_is_an_error() -> None:
    with pytest.raises(KeyError):
        suppress({"a": 1}, [Line(("a", "b"), "sum")])


# Tables made up by hypothesis -------------------------------------------------------------------

COUNTS = st.one_of(st.integers(0, 4), st.integers(0, 12), st.integers(5, 40))
SMALL_COUNTS = st.one_of(st.integers(0, 4), st.integers(0, 9))  # few tables to try: fast


@st.composite
def inner_tables(draw: st.DrawFn, max_rows: int = 5, max_columns: int = 5,
                 counts: st.SearchStrategy[int] = COUNTS) -> list[list[int]]:
    rows = draw(st.integers(1, max_rows))
    columns = draw(st.integers(1, max_columns))
    return [[draw(counts) for _ in range(columns)] for _ in range(rows)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inner_tables())
def test_every_line_hides_none_or_at_least_two_and_nothing_small_shows(
        inner: list[list[int]]) -> None:
    values, lines = table(inner)

    result = suppress(values, lines)

    assert all(not 0 < values[k] < THRESHOLD for k in values if k not in result.hidden)
    assert result.primary == {k for k, v in values.items() if 0 < v < THRESHOLD}
    for line in lines:
        hidden = [cell for cell in line.cells if cell in result.hidden]
        assert len(hidden) != 1 or line.total in hidden, (line, hidden)
        assert len(hidden) != 1, (line, hidden)
    assert all(values[k] > 0 for k in result.hidden)
    everything = frozenset(k for k, v in values.items() if v > 0)
    assert set(disclosed(values, lines, result.hidden)) <= set(
        disclosed(values, lines, everything))


def _possible(values: dict[Hashable, int], result: Suppression, rows: int, columns: int,
              cap: int) -> dict[Hashable, set[int]]:
    """Every value each hidden cell can take in some table that shows the same: inner cells
    tried from 0 to `cap`, totals recomputed, each hidden cell kept in its marker's range."""
    hidden = result.hidden
    ranges = []
    for r, c in itertools.product(range(rows), range(columns)):
        key: Hashable = (r, c)
        # no count is above a shown sum it is part of
        top = min([cap, *(values[k] for k in ((r, TOTAL), (TOTAL, c), (TOTAL, TOTAL))
                          if k not in hidden)])
        if key not in hidden:
            ranges.append(np.array([values[key]], dtype=np.int32))
        elif key in result.primary:
            ranges.append(np.arange(1, min(THRESHOLD - 1, top) + 1, dtype=np.int32))
        else:
            ranges.append(np.arange(THRESHOLD, top + 1, dtype=np.int32))
    grids = np.stack([g.ravel() for g in np.meshgrid(*ranges, indexing="ij")], axis=1)
    cells = grids.reshape(-1, rows, columns)
    derived: dict[Hashable, Any] = {(r, TOTAL): cells[:, r, :].sum(axis=1)
                                    for r in range(rows)}
    derived |= {(TOTAL, c): cells[:, :, c].sum(axis=1) for c in range(columns)}
    derived[(TOTAL, TOTAL)] = cells.sum(axis=(1, 2))
    keep = np.ones(len(cells), dtype=bool)
    for key, column in derived.items():
        if key not in hidden:
            keep &= column == values[key]
        elif key in result.primary:
            keep &= (column >= 1) & (column < THRESHOLD)
        else:
            keep &= column >= THRESHOLD
    found: dict[Hashable, set[int]] = {}
    for r, c in itertools.product(range(rows), range(columns)):
        found[(r, c)] = set(cells[keep, r, c].tolist())
    for key, column in derived.items():
        found[key] = set(column[keep].tolist())
    return {key: found[key] for key in hidden}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inner_tables(max_rows=2, max_columns=3, counts=SMALL_COUNTS).filter(
    lambda t: len(t) * len(t[0]) <= 4))
def test_no_hidden_cell_can_be_worked_out_by_trying_every_table(inner: list[list[int]]
                                                                ) -> None:
    """Only what the markers would tell with every non-zero count hidden can be told (the
    tables tried: every inner count from 0 to the table's sum and 8 more, sums recomputed)."""
    values, lines = table(inner)
    result = suppress(values, lines)

    rows, columns, cap = len(inner), len(inner[0]), sum(map(sum, inner)) + 8
    possible = _possible(values, result, rows, columns, cap)

    assert all(values[key] in options for key, options in possible.items())
    pinned = {key for key, options in possible.items() if len(options) < 2}
    # what the markers' ranges tell even when every non-zero count is hidden (zeros show)
    inherent = set(disclosed(values, lines, frozenset(k for k, v in values.items() if v > 0)))
    assert pinned <= inherent, (inner, result, pinned - inherent)


# The ESF+ summary's own table -------------------------------------------------------------------

PEOPLE = st.fixed_dictionaries({
    "incubator_code": st.sampled_from(["KURZEME", "LATGALE", "VIDZEME"]),
    "entry": st.just(dt.date(2025, 5, 14)),
    "birth_date": st.one_of(st.none(), st.dates(dt.date(1940, 1, 1), dt.date(2012, 1, 1))),
    "birth_year": st.none(),
    "gender": st.sampled_from([None, "female", "male", "non_binary"]),
    "employment_status": st.sampled_from([None, *EMPLOYMENT_GROUP]),
    "education": st.sampled_from([None, "isced_0_2", "isced_3_4", "isced_5_8"]),
    **{name: st.sampled_from([None, "yes", "no", "refused"])
       for name in SENSITIVE_CHARACTERISTICS}})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PEOPLE.map(lambda d: SimpleNamespace(**d)), max_size=40))
def test_the_summary_of_any_participants_adds_up_and_is_safe(people: list[SimpleNamespace]
                                                             ) -> None:
    codes = ["KURZEME", "LATGALE", "VIDZEME"]
    values = count(people, codes)
    summary_lines = lines(codes)

    result = suppress(values, summary_lines)

    for line in summary_lines:  # the lines are true sums: a reader may rely on them
        assert sum(values[m] for m in line.members) == values[line.total], line
        assert sum(cell in result.hidden for cell in line.cells) != 1, line
    assert not any(0 < values[k] < THRESHOLD for k in values if k not in result.hidden)
    assert set(disclosed(values, summary_lines, result.hidden)) <= set(disclosed(
        values, summary_lines, frozenset(k for k, v in values.items() if v > 0)))
    assert values[("participants", TOTAL)] == sum(
        values[(group, TOTAL)] for group in ("unemployed", "inactive", "employed"))
    assert values[("attended", TOTAL)] == len(people)
