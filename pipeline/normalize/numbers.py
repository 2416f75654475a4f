"""Numbers written in digits or words: "1,200", "4.7", "ten", "twenty-five", "a", "half".

>>> parse_number("1,200")
1200.0
>>> parse_number("twenty-five")
25.0
>>> parse_number("four hundred")
400.0
>>> parse_number("1.200,5")
1200.5
>>> parse_number("half a")
0.5
>>> parse_number("2 1/2"), parse_number("3/4")
(2.5, 0.75)
>>> parse_number("many") is None
True
"""
from __future__ import annotations

import re
from functools import lru_cache

from price_parser.parser import parse_number as _price_number

from pipeline import lexicons

DIGITS = re.compile(r"^\d[\d,.\u202f\u00a0 ]*$")
FRACTION = re.compile(r"(?:(\d+)\s+)?(\d+)/(\d+)")  # "2 1/2", "3/4"


@lru_cache(maxsize=4096)
def parse_number(text: str) -> float | None:
    """The value of a number in digits or English words, or None."""
    text = text.strip().lower()
    if not text:
        return None
    fraction = FRACTION.fullmatch(text)
    if fraction:
        whole, numerator, denominator = fraction.groups()
        return float(whole or 0) + int(numerator) / int(denominator) if int(denominator) else None
    if DIGITS.match(text):
        return _digits(text)
    return _words(text)


def _digits(text: str) -> float | None:
    """Digits with thousands separators; price-parser decides "1.200,5" against "1,200.5"."""
    compact = re.sub(r"[\s\u202f\u00a0]", "", text)
    if re.fullmatch(r"\d{1,3}(,\d{3})+", compact):
        return float(compact.replace(",", ""))
    value = _price_number(compact)
    return None if value is None else float(value)


def _words(text: str) -> float | None:
    """ "twenty-five", "four hundred", "two and a half" -> float."""
    values = lexicons.mapping("numbers")
    text = re.sub(r"\b(?:a|an|one)[\s-]+(half|quarter)\b", r"\1", text)
    total, current, seen = 0.0, 0.0, False
    for word in re.split(r"[\s-]+", text):
        if word in ("and", "") or (word in ("a", "an") and seen):
            continue
        if word not in values:
            return None
        value = float(values[word])
        seen = True
        if word == "hundred":
            current = (current or 1) * 100
        elif word in ("half", "quarter"):
            current = current + value if current else value
        else:
            current += value
    return total + current if seen else None
