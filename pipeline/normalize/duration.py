"""Durations: "10-year" -> P10Y, "18 months" -> P18M, "four-and-a-half-year" -> P4Y6M, "90 minutes" -> PT90M.

>>> parse_duration("10-year")
('P10Y', 10.0, 'year')
>>> parse_duration("four-and-a-half-year")
('P4Y6M', 4.5, 'year')
>>> parse_duration("three years and four months")
('P3Y4M', 3.3333, 'year')
>>> parse_duration("decade-long")
('P10Y', 10.0, 'year')
>>> parse_duration("18 months")
('P18M', 18.0, 'month')
>>> parse_duration("90 minutes")
('PT90M', 90.0, 'minute')
>>> parse_duration("a year and a half")
('P1Y6M', 1.5, 'year')
>>> parse_duration("2 1/2 years"), parse_duration("one and three quarter hours")
(('P2Y6M', 2.5, 'year'), ('PT1H45M', 1.75, 'hour'))
>>> parse_duration("1 hour and fifteen")
('PT1H15M', 1.25, 'hour')
>>> parse_duration("several years")
(None, None, 'year')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline import lexicons
from pipeline.normalize.numbers import parse_number
from pipeline.normalize.qualifiers import qualifier_before

UNITS = ("year", "month", "week", "day", "hour", "minute", "second")
DATE_PART = {"year": "Y", "month": "M", "week": "W", "day": "D"}
TIME_PART = {"hour": "H", "minute": "M", "second": "S"}
IN_SECONDS = {
    "year": 365 * 86400,
    "month": 30 * 86400,
    "week": 7 * 86400,
    "day": 86400,
    "hour": 3600,
    "minute": 60,
    "second": 1,
}


@dataclass(frozen=True)
class Duration:
    iso: str | None
    value: float | None
    unit: str | None
    qualifier: str | None

    @property
    def normalized(self) -> str | None:
        return self.iso


# A race or running time written as a clock with seconds ("finishing in 3:07:35"): TimeML's DURATION.
CLOCK = re.compile(r"(\d{1,2}):([0-5]\d):([0-5]\d(?:\.\d+)?)")


def _amounts(text: str) -> tuple[dict[str, float], bool]:
    """{unit: amount} named in ``text``, and whether a unit had no usable number ("several years")."""
    if clock := CLOCK.fullmatch(text.strip()):
        return {"hour": float(clock[1]), "minute": float(clock[2]), "second": float(clock[3])}, False
    units = lexicons.table("duration_units")
    amounts: dict[str, float] = {}
    vague, buffer, last = False, [], None
    for word in re.findall(r"[\w./½¼¾]+", text.lower()):
        if word in units:
            unit, factor = units[word]
            number = _count(buffer, plural=word.endswith("s"))
            vague |= number is None
            amounts[unit] = amounts.get(unit, 0.0) + (number or 0.0) * float(factor)
            buffer, last = [], unit
        elif word == "half" and last and buffer in ([], ["a"]):
            amounts[last] += 0.5
            buffer = []
        elif word in ("a", "an") and buffer and re.fullmatch(r"halfs?|halves|quarters?|thirds?", buffer[-1]):
            continue  # "three quarters of an hour"
        elif word not in ("long", "lasting", "of") and (word != "and" or buffer):
            buffer.append(word)
    smaller = {"hour": "minute", "minute": "second"}.get(last)
    if smaller and buffer and (number := parse_number(" ".join(w for w in buffer if w != "and"))):
        amounts[smaller] = amounts.get(smaller, 0.0) + number  # "1 hour thirty", "2 minutes 30"
    return amounts, vague


def units_descend(text: str) -> bool:
    """Whether the units of a span run from larger to smaller, each once, as a compound length does ("2 years
    and 6 months"); "12 months and 6 months" is two lengths."""
    units = lexicons.table("duration_units")
    named = [units[w][0] for w in re.findall(r"[a-z]+", text.lower()) if w in units]
    ranks = [UNITS.index(u) for u in named if u in UNITS]
    return all(a < b for a, b in zip(ranks, ranks[1:]))


def _count(words: list[str], plural: bool) -> float | None:
    """The number in the words before a unit ("four and a", "the next" -> none), 1 for a lone singular
    unit."""
    if any(re.fullmatch(r"\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|tenth", w) for w in words):
        return None  # "the 21st century", "its tenth year": a position, not a length
    numbers = [w for w in words if parse_number(w) is not None or w in ("and", "a", "an")]
    number = parse_number(" ".join(numbers)) if numbers else None
    return number if number is not None else (None if plural else 1.0)


def _carry(amounts: dict[str, float]) -> dict[str, float]:
    """Move whole fractions down a unit: 4.5 years -> 4 years 6 months; 1.5 hours -> 1 hour 30 minutes."""
    out = dict(amounts)
    for big, small, ratio in (
        ("year", "month", 12),
        ("day", "hour", 24),
        ("hour", "minute", 60),
        ("minute", "second", 60),
    ):
        whole = int(out.get(big, 0))
        fraction = round((out.get(big, 0) - whole) * ratio, 6)
        if big in out and fraction and fraction.is_integer():
            out[big] = whole
            out[small] = out.get(small, 0) + fraction
            if not whole:
                del out[big]
    return out


def _iso(amounts: dict[str, float]) -> str:
    def fmt(x: float) -> str:
        return f"{x:.6f}".rstrip("0").rstrip(".")

    date = "".join(f"{fmt(amounts[u])}{p}" for u, p in DATE_PART.items() if amounts.get(u))
    time = "".join(f"{fmt(amounts[u])}{p}" for u, p in TIME_PART.items() if amounts.get(u))
    return "P" + date + (f"T{time}" if time else "")


@lru_cache(maxsize=4096)
def parse_duration(text: str) -> tuple[str | None, float | None, str | None]:
    """(ISO 8601 duration, value in the largest unit named, that unit) of a duration span."""
    amounts, vague = _amounts(text)
    if not amounts:
        return None, None, None
    unit = next(u for u in UNITS if u in amounts)
    if vague or not any(amounts.values()):
        return None, None, unit
    total = sum(amounts[u] * IN_SECONDS[u] for u in amounts) / IN_SECONDS[unit]
    if set(amounts) <= {"year", "month"}:
        total = amounts.get(unit, 0) + (amounts.get("month", 0) / 12 if unit == "year" else 0)
    return _iso(_carry(amounts)), round(total, 4), unit


def normalize_duration(text: str, before: str = "") -> Duration:
    iso, value, unit = parse_duration(text)
    return Duration(iso, value, unit, qualifier_before(before))
