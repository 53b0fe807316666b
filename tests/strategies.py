"""Hypothesis strategies for hostile input, shared by the schema, importer and service tests."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

# Values of every kind a form, a file or a crafted request could carry.
SCALARS = st.one_of(
    st.none(), st.booleans(), st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=400),
    st.sampled_from(["", " ", "0", "-1", "1e309", "NaN", "2025-02-30", "31.12.2025",
                     "<script>alert(1)</script>", "**bold**", "'; DROP TABLE users; --",
                     "=HYPERLINK(\"x\")", "40008000002", "0054000", "\u0000", "\u202e"]),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(),
)
VALUES = st.one_of(SCALARS, SCALARS, SCALARS, st.lists(SCALARS, max_size=3),
                   st.lists(st.dictionaries(st.text(max_size=12), SCALARS, max_size=3),
                            max_size=3))

# Hypothesis tries the simplest example first: the first choice of every strategy. Each list
# below therefore starts with its nastiest value.

# Texts a crafted request could carry in a text argument: control characters (NUL), a
# right-to-left override, long unicode, SQL, HTML, Markdown, LIKE wildcards, format fields.
TEXT_EDGES = ["a\u0000b", "\u0000", "", " ", "\t\r\n", "\u202egpj.exe", "evidence.pdf",
              "<script>alert(1)</script>", "**bold** [x](javascript:alert(1))",
              "'; DROP TABLE users; --", "%", "_", "\\", "{id}", "{}", "{0}",
              "=HYPERLINK(\"x\")", "Ūdensrožu biedrība", "¼ ß ﬁ ﷺ", "activity", "lv", "en",
              "admin@test.lv", "ADMIN@TEST.LV ", "a\u0000@test.lv", "x" * 2001]
HOSTILE_TEXTS = st.one_of(
    st.sampled_from(TEXT_EDGES), st.sampled_from(TEXT_EDGES), st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=400),
)

# JSON-like values (what a browser's form state holds), with NaN, infinities and huge numbers.
JSONISH = st.recursive(
    st.sampled_from([float("nan"), float("inf"), 2**70, "\u0000", None]) | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70) | st.floats() | st.text(max_size=40),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=12), children, max_size=3),
    max_leaves=6)

# Numbers where an id, a version, a page size or a year is expected: zero, negatives, small
# ones (likely to exist) and ones beyond 32- and 64-bit integers.
INTEGER_EDGES = [2**70, -(2**70), 2**63, 2**63 - 1, -(2**63), -(2**63) - 1, 2**31, 2**31 - 1,
                 -(2**31), -(2**31) - 1, 0, -1, 1, 2, 3]
HUGE_INTEGERS = st.integers(min_value=-(2**70), max_value=2**70)

ANY_DATE = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
DATES = st.one_of(st.sampled_from([dt.date.min, dt.date.max]), ANY_DATE)
