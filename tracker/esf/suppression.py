"""Small-number suppression of a table of counts (pure: no database, no text).

A count from 1 to 4 (below THRESHOLD) is primary: it is never shown, only as `<5`. A hidden
count must not be worked out from what is shown either, so cells are hidden besides
(secondary: shown as `x`) until every line of the table is safe. A line is a set of member
cells and the cell that holds their sum: a row and its total, a column and its total, an
additive group (the employment groups of the ESF+ total).

Safe means, for every line:

- it holds no hidden cell, or at least two (its members and its sum counted together), so
  no hidden cell is the difference of a sum and the cells beside it; and
- no hidden cell is pinned to one value by what a reader knows: the shown numbers, the line
  equations, and the ranges the markers give away (`<5`: 1 to 4; `x`: 5 or more, since
  every count from 1 to 4 is `<5` and zeros are shown). The ranges are narrowed line by line
  until nothing changes (bounds propagation); a cell narrowed to one value is disclosed.

The secondary cell of a line is its smallest shown non-zero member (a zero tells nothing
and is never hidden), or, when no member is left, its sum. Each round hides at least one
more cell, so the search ends.

What no hiding can help is left as it is: a line of several small counts under a total
below 5 tells that each is 1 however it is shown (four people, each in another group, under
`<5`), because zeros are shown. Only what hiding every non-zero count would still give away
is given away (`inherent`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

THRESHOLD = 5
PRIMARY_MARK = f"<{THRESHOLD}"
SECONDARY_MARK = "x"
_PASSES = 200  # bounds propagation converges long before on tables of this size

Key = Any  # a cell's name: any hashable value, e.g. (row, column)
Values = Mapping[Any, int]  # cell key -> count (Any: a mapping's key type is invariant)
Bounds = dict[Key, tuple[float, float]]


@dataclass(frozen=True)
class Line:
    """Cells whose values add up to the value of `total`."""

    members: tuple[Key, ...]
    total: Key

    @property
    def cells(self) -> tuple[Key, ...]:
        return (*self.members, self.total)


@dataclass(frozen=True)
class Suppression:
    """Which cells are hidden: `primary` (1 to 4) and `secondary` (hidden to protect them)."""

    primary: frozenset[Key]
    secondary: frozenset[Key]

    @property
    def hidden(self) -> frozenset[Key]:
        return self.primary | self.secondary

    def shown(self, key: Key, value: int) -> int | str:
        """What the table shows for the cell: its count, `<5` or `x`."""
        if key in self.primary:
            return PRIMARY_MARK
        if key in self.secondary:
            return SECONDARY_MARK
        return value


NONE = Suppression(frozenset(), frozenset())


def is_primary(value: int) -> bool:
    return 0 < value < THRESHOLD


def _known_bounds(values: Values, hidden: frozenset[Key]) -> Bounds:
    """What a reader knows of each cell before any arithmetic."""
    bounds: Bounds = {}
    for key, value in values.items():
        if key not in hidden:
            bounds[key] = (value, value)
        elif is_primary(value):
            bounds[key] = (1, THRESHOLD - 1)
        else:
            bounds[key] = (THRESHOLD, math.inf)
    return bounds


def _narrow(line: Line, bounds: Bounds) -> bool:
    """Tighten the line's bounds from its equation; whether anything changed."""
    changed = False
    total = (max(bounds[line.total][0], sum(bounds[m][0] for m in line.members)),
             min(bounds[line.total][1], sum(bounds[m][1] for m in line.members)))
    if total != bounds[line.total]:
        bounds[line.total], changed = total, True
    for member in line.members:
        others = [bounds[m] for m in line.members if m != member]
        low, high = bounds[member]
        new = (max(low, total[0] - sum(b[1] for b in others)),
               min(high, total[1] - sum(b[0] for b in others)))
        if new != (low, high):
            bounds[member], changed = new, True
    return changed


def bounds_of(values: Values, lines: Sequence[Line],
              hidden: frozenset[Key]) -> Bounds:
    """The narrowest ranges bounds propagation finds for every cell, as a reader would."""
    bounds = _known_bounds(values, hidden)
    for _ in range(_PASSES):
        if not any([_narrow(line, bounds) for line in lines]):
            break
    return bounds


def disclosed(values: Values, lines: Sequence[Line],
              hidden: frozenset[Key]) -> list[Key]:
    """Hidden cells a reader can work out exactly (in the order of `values`)."""
    bounds = bounds_of(values, lines, hidden)
    return [key for key in values if key in hidden and bounds[key][0] >= bounds[key][1]]


def _candidate(line: Line, values: Values, hidden: set[Key],
               order: Values) -> Key | None:
    """The cell to hide next on `line`: its smallest shown non-zero member, else its sum."""
    members = [m for m in line.members if m not in hidden and values[m] > 0]
    if members:
        return min(members, key=lambda m: (values[m], order[m]))
    if line.total not in hidden and values[line.total] > 0:
        return line.total
    return None


def _lone(lines: Iterable[Line], hidden: set[Key]) -> Line | None:
    """The first line with exactly one hidden cell."""
    return next((line for line in lines
                 if sum(cell in hidden for cell in line.cells) == 1), None)


def suppress(values: Values, lines: Sequence[Line]) -> Suppression:
    """Hide every count from 1 to 4 and as many others as the lines need (see the module).

    `values` holds every cell (including the lines' sums); the result is the same for the same
    input (cells are taken in the order of `values`)."""
    for line in lines:
        for cell in line.cells:
            if cell not in values:
                raise KeyError(f"line cell {cell!r} has no value")
    order = {key: index for index, key in enumerate(values)}
    primary = {key for key, value in values.items() if is_primary(value)}
    hidden = set(primary)
    # what the ranges give away even with every non-zero count hidden: nothing helps there
    inherent = set(disclosed(values, lines, frozenset(k for k, v in values.items() if v > 0)))
    while True:
        lone = _lone(lines, hidden)
        if lone is not None:
            pick = _candidate(lone, values, hidden, order)
            if pick is not None:  # always found: a hidden cell is non-zero, so its line is
                hidden.add(pick)
                continue
        exposed = [key for key in disclosed(values, lines, frozenset(hidden))
                   if key not in inherent]
        pick = next((candidate for key in exposed for line in lines if key in line.cells
                     for candidate in [_candidate(line, values, hidden, order)]
                     if candidate is not None), None)
        if pick is None:
            break
        hidden.add(pick)
    return Suppression(primary=frozenset(primary), secondary=frozenset(hidden - primary))


def grid_lines(rows: Sequence[Key], columns: Sequence[Key], total_column: Key
               ) -> list[Line]:
    """Each row's cells (row, column) add up to (row, total_column)."""
    return [Line(tuple((row, column) for column in columns), (row, total_column))
            for row in rows]


def group_line(members: Sequence[Key], total: Key, column: Key) -> Line:
    """Rows `members` of `column` add up to its row `total`."""
    return Line(tuple((member, column) for member in members), (total, column))
