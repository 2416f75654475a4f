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
>>> parse_number("3/4"), parse_number("two-thirds"), parse_number("one fifth")
(0.75, 0.6666666666666666, 0.2)
>>> parse_number("many") is None
True
>>> parse_number("2 1/2"), parse_number("5 and a half"), parse_number("one and three quarters")
(2.5, 5.5, 1.75)
>>> parse_number("2½")
2.5
"""

from __future__ import annotations

import re
from functools import lru_cache

from price_parser.parser import parse_number as _price_number

from pipeline import lexicons

DIGITS = re.compile(r"^\.?\d[\d,.\u202f\u00a0 ]*$")
VULGAR = {"½": 0.5, "¼": 0.25, "¾": 0.75}
# a whole number and a fraction: "2 1/2", "2½", "5 and a half", "one and three quarters"
MIXED = re.compile(
    r"""
    (?:(?P<whole>.+?)(?:\s+and\s+|\s+|(?=[½¼¾])))?           # "5 and ", "2 ", "2" before ½
    (?P<fraction>\d+/\d+                                      # 1/2
      |[½¼¾]                                                  # ½
      |(?:(?:a|an|one|\w+)[\s-]+)?(?:half|halves|quarters?|thirds?))  # a half, three quarters
    """,
    re.VERBOSE,
)
ALONE = ("half", "halves", "quarter", "quarters", "third", "thirds")  # a fraction said without a count


@lru_cache(maxsize=4096)
def parse_number(text: str) -> float | None:
    """The value of a number in digits or English words, or None."""
    text = text.strip().lower()
    if not text:
        return None
    if DIGITS.match(text):
        return _digits(text)
    if (fraction := _fraction(text)) is not None:
        return fraction
    if (m := MIXED.fullmatch(text)) and (fraction := _fraction(m["fraction"])) is not None:
        whole = parse_number(m["whole"]) if m["whole"] else 0.0
        return None if whole is None else whole + fraction
    return _words(text)


def _fraction(text: str) -> float | None:
    """ "1/2", "½", "a half", "three quarters", "two-thirds", "one fifth" -> float; None for anything else."""
    if m := re.fullmatch(r"(\d+)/(\d+)", text):
        top, bottom = int(m[1]), int(m[2])
        return top / bottom if 0 < top < bottom else None
    if text in VULGAR:
        return VULGAR[text]
    m = re.fullmatch(rf"(?:(.+?)[\s-]+)?({lexicons.alternation('fractions')})", text)
    if m is None or (m[1] and re.search(r"\band\b", m[1])) or (m[1] is None and m[2] not in ALONE):
        return None
    parts = int(lexicons.mapping("fractions")[m[2]])
    n = parse_number(m[1]) if m[1] not in (None, "a", "an") else 1.0
    return None if n is None or n >= parts else n / parts


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
