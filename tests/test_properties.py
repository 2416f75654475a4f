"""Property-based tests: every normaliser takes any string without raising and returns a value of the right
type and range, or null."""

import math
import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.evaluate import duration_key
from pipeline.normalize.dates import parse_date
from pipeline.normalize.duration import parse_duration
from pipeline.normalize.money import normalize_money
from pipeline.normalize.percent import parse_percent
from pipeline.organisations import canonical_names, clean_name

WORDS = st.sampled_from(
    [
        "£",
        "$",
        "€",
        "US$",
        "EUR",
        "million",
        "bn",
        "m",
        "per cent",
        "%",
        "year",
        "years",
        "months",
        "-",
        "and",
        "a",
        "half",
        "ten",
        "twenty-five",
        "1,200",
        "3.5",
        "2011",
        "Q3",
        "March",
        "31",
        "last",
        "next",
        "week",
        "ago",
        "the",
        "decade",
        "long",
        "cents",
        "0",
        ".",
    ]
)
TEXTS = st.one_of(st.text(max_size=60), st.lists(WORDS, max_size=8).map(" ".join))
REFS = st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.one_of(st.none(), TEXTS), st.one_of(st.none(), st.sampled_from(["GBP", "USD"])))
def test_money(text, partner, default):
    value = normalize_money(text, partner=partner, article_default=default)
    if value.amount is not None:
        assert math.isfinite(value.amount) and value.amount >= 0
        assert value.currency is None or re.fullmatch(r"[A-Z]{3}", value.currency)
        assert value.currency is not None or default is None  # a currency whenever the article gives one
    assert value.qualifier in (None, "approx", "over", "under", "up_to")


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_percent(text):
    value = parse_percent(text)
    assert value is None or math.isfinite(value)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_duration(text):
    iso, value, unit = parse_duration(text)
    assert unit in (None, "year", "month", "week", "day", "hour", "minute", "second")
    if iso is not None:
        assert re.fullmatch(r"P(?:[\d.]+[YMWD])*(?:T(?:[\d.]+[HMS])+)?", iso) and iso != "P"
        assert value is not None and value > 0


@settings(max_examples=400, deadline=None)
@given(TEXTS, REFS, st.booleans())
def test_date(text, reference, day_first):
    value = parse_date(text, reference, day_first)
    if value.value is not None:
        assert 1800 <= int(value.value[:4]) <= 2200
        assert value.grain in ("day", "week", "month", "quarter", "year")
        assert date.fromisoformat(value.start) <= date.fromisoformat(value.end)
    if value.relative and reference is None:
        assert value.value is None  # never a guess from today's clock


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 500),
    st.sampled_from(["year", "month", "week", "day", "hour", "minute", "second"]),
    st.booleans(),
)
def test_duration_round_trip(n, unit, hyphen):
    """n units -> ISO 8601 -> the same length: "18 months" is P18M (or P1Y6M), never another length."""
    text = f"{n}-{unit}" if hyphen else f"{n} {unit}s"
    iso, value, got_unit = parse_duration(text)
    assert (value, got_unit) == (n, unit)
    expected = {
        "year": f"P{n}Y",
        "month": f"P{n}M",
        "week": f"P{n}W",
        "day": f"P{n}D",
        "hour": f"PT{n}H",
        "minute": f"PT{n}M",
        "second": f"PT{n}S",
    }[unit]
    assert duration_key(iso) == duration_key(expected)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(st.text(max_size=30), st.sampled_from(["BT", "BT Group", "DWP", "Capita plc"])), max_size=8
    )
)
def test_org_names(names):
    cleaned = [n for n in (clean_name(x) for x in names) if n]
    canonical = canonical_names(cleaned)
    assert set(canonical) == set(cleaned) and all(isinstance(v, str) and v for v in canonical.values())
