"""Qualifiers before a value ("around", "more than", "up to") -> approx, over, under, up_to.

>>> qualifier_before("worth more than ")
'over'
>>> qualifier_before("a contract of up to")
'up_to'
>>> qualifier_before("signed a") is None
True
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline import lexicons


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    forms = sorted(lexicons.mapping("qualifiers"), key=len, reverse=True)
    return re.compile(r"(?:^|\W)(" + "|".join(re.escape(f) for f in forms) + r")\W*$", re.I)


def qualifier_before(text: str) -> str | None:
    """The qualifier that ends ``text`` (the words just before a value), or None."""
    match = _pattern().search(text[-40:])
    return lexicons.mapping("qualifiers")[match.group(1).lower()] if match else None
