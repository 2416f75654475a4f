"""Percentages: "40 per cent", "71%", "2.5 pc", "ten percent" -> 40.0, 71.0, 2.5, 10.0.

>>> parse_percent("40 per cent")
40.0
>>> parse_percent("2.5 pc")
2.5
>>> parse_percent("four and a half per cent")
4.5
>>> parse_percent("26%", partner="21")
26.0
>>> parse_percent("minus five percent")
-5.0
>>> parse_percent("per cent") is None
True
>>> parse_percent("per cent of twenty-two")
22.0
>>> parse_percent("one in five"), parse_percent("nine out of 10")
(20.0, 90.0)
>>> parse_percent("a quarter"), parse_percent("1/4")
(25.0, 25.0)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.normalize.money import NUMBER
from pipeline.normalize.numbers import parse_number
from pipeline.normalize.qualifiers import qualifier_before

SIGN = re.compile(r"\s*(?:-\s*)?(?:%|％|per[\s-]?cents?|percents?|percentage|pct\.?|pc)\b", re.I)
NEGATIVE = re.compile(r"^\s*(?:minus|negative|-|−)\s*", re.I)
RATIO = re.compile(r"(?P<part>.+?)\s+(?:out\s+of|in)\s+(?P<whole>.+)", re.I)


@dataclass(frozen=True)
class Percent:
    value: float | None
    qualifier: str | None

    @property
    def normalized(self) -> str | None:
        return None if self.value is None else f"{self.value:g}%"


@lru_cache(maxsize=4096)
def parse_percent(text: str, partner: str | None = None) -> float | None:
    """The value of a percentage span (``partner``, the other end of a range, is not needed)."""
    if SIGN.search(text) is None and (share := _proportion(text)) is not None:
        return share
    negative = NEGATIVE.match(text)
    text = text[negative.end() :] if negative else text
    sign = SIGN.search(text)
    number_text = text[: sign.start()] if sign else text
    if sign and not number_text.strip():  # "per cent of 210": a percentage said the other way round
        number_text = re.sub(r"^\s*of\s+", "", text[sign.end() :])
    match = NUMBER.search(number_text)
    words = re.sub(r"^\W+|\W+$", "", number_text)
    value = parse_number(match.group(0)) if match else (parse_number(words) if words else None)
    return -value if negative and value is not None else value


def _proportion(text: str) -> float | None:
    """A share said as a ratio or a fraction, as a percentage: "one in five" 20.0, "two thirds" 66.67."""
    if ratio := RATIO.fullmatch(text.strip()):
        part, whole = parse_number(ratio["part"]), parse_number(ratio["whole"])
        return 100 * part / whole if part is not None and whole and 0 < part <= whole else None
    share = parse_number(text) if re.search(r"[/a-z½¼¾]", text, re.I) else None  # not the "0.5" of "0.5-1%"
    return 100 * share if share is not None and 0 < share < 1 else None


def normalize_percent(text: str, before: str = "", partner: str | None = None) -> Percent:
    return Percent(parse_percent(text, partner), qualifier_before(before))
