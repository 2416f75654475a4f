"""Small word lists kept as data under ``models/lexicons`` (one entry a line, ``#`` comments).

``.txt`` files are plain lists; ``.tsv`` files map an entry (first column) to a value. The currency lexicons
also hold the rows ``pipeline.cldr`` builds from CLDR; a hand row wins over a CLDR row for the same entry.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pipeline import cldr

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
LEXICON_DIR = MODELS_DIR / "lexicons"


def _rows(name: str) -> list[list[str]]:
    path = next((p for p in (LEXICON_DIR / f"{name}.tsv", LEXICON_DIR / f"{name}.txt") if p.exists()), None)
    if path is None:
        raise KeyError(f"no lexicon named {name!r} in {LEXICON_DIR}")
    rows = cldr.derived_rows(name) + _state_rows(name)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.rstrip("\n").split("\t"))
    return rows


def _state_rows(name: str) -> list[list[str]]:
    """The US states and Canadian provinces and territories (ISO 3166-2, through pycountry) are places: alone,
    "Alberta" or "Ontario" is no body."""
    if name != "places":
        return []
    import pycountry  # noqa: PLC0415  (only the organisation stage needs it)

    return [[s.name] for s in pycountry.subdivisions if s.country_code in ("US", "CA")]


@lru_cache(maxsize=None)
def words(name: str) -> tuple[str, ...]:
    """The entries of a lexicon, in file order."""
    return tuple(row[0].strip() for row in _rows(name))


@lru_cache(maxsize=None)
def mapping(name: str) -> dict[str, str]:
    """A ``.tsv`` lexicon as {entry in lower case: value}."""
    return {row[0].strip().lower(): row[1].strip() for row in _rows(name) if len(row) > 1}


@lru_cache(maxsize=None)
def table(name: str) -> dict[str, tuple[str, ...]]:
    """A ``.tsv`` lexicon as {entry in lower case: (its other columns)}."""
    return {row[0].strip().lower(): tuple(c.strip() for c in row[1:]) for row in _rows(name)}


@lru_cache(maxsize=None)
def lowered(name: str) -> frozenset[str]:
    """The entries of a lexicon in lower case, for membership tests."""
    return frozenset(w.lower() for w in words(name))


@lru_cache(maxsize=None)
def alternation(name: str) -> str:
    """A lexicon's entries, in lower case, as one regex alternation, longest first (for ``re.I`` patterns).

    >>> alternation("council_kinds")
    'metropolitan|district|borough|county|city|town'
    """
    return "|".join(re.escape(w) for w in sorted(lowered(name), key=lambda w: (-len(w), w)))


def exists(name: str) -> bool:
    return any((LEXICON_DIR / f"{name}.{ext}").exists() for ext in ("tsv", "txt"))


def _form_key(text: str) -> str:
    """A legal form as cleanco lists it: lower case, no dots or commas ("S.p.A." -> "spa")."""
    return re.sub(r"[.,]", "", text.lower()).strip()


@lru_cache(maxsize=1)
def legal_forms() -> frozenset[str]:
    """Company legal forms from cleanco, one or more words ("ltd", "gmbh", "sa", "pty ltd", "& co"), and those
    it lacks (``more_legal_forms``: "ltée"), without the short ones that English news mostly writes for
    something else (``not_legal_forms``: "UK", "VAT")."""
    from cleanco.clean import prepare_default_terms  # noqa: PLC0415  (only the organisation stage needs it)

    cleanco = frozenset(" ".join(words) for _, words in prepare_default_terms())
    return (cleanco | lowered("more_legal_forms")) - lowered("not_legal_forms")


def is_legal_form(word: str) -> bool:
    """A word that is a company's legal form: written with a capital ("Ltd", "GmbH", "S.A.") or a lower-case
    abbreviation without vowels ("plc", "ltd") or one of ``lower_case_legal_forms`` ("inc.", Quebec's usage),
    as style guides write them.

    >>> [is_legal_form(w) for w in ("Ltd.", "plc", "GmbH", "S.A.", "Oyj", "inc.", "UK", "as", "Council")]
    [True, True, True, True, True, True, False, False, False]
    """
    key = _form_key(word)
    if key not in legal_forms():
        return False
    return word[:1].isupper() or not re.search(r"[aeiouy]", key) or word in lowered("lower_case_legal_forms")


def legal_tail(words: list[str]) -> int:
    """How many of the last words of a name are its legal form ("Pty Ltd", "& Co."); 0 if none, and never
    all of them."""
    for n in range(min(4, len(words) - 1), 0, -1):
        tail = words[-n:]
        if _form_key(" ".join(tail)) in legal_forms() and (n > 1 or is_legal_form(tail[0])):
            return n
    return 0


REGION_TYPES = {
    "State",
    "Province",
    "Territory",
    "Land",
    "Country",
    "Autonomous community",
    "Federal district",
}


@lru_cache(maxsize=1)
def regions() -> frozenset[str]:
    """States, provinces and territories (ISO 3166-2 names of ``REGION_TYPES``, through pycountry) in lower
    case, with the postal codes of US states and Canadian provinces ("ON", "TX") and the AP abbreviations of
    US states ("Ala."): for a place after a comma only ("Ottawa, Ontario"), since some are also names of
    companies and clubs ("Santander", "Bayern")."""
    import pycountry  # noqa: PLC0415  (only the organisation stage needs it)

    names = {s.name.lower() for s in pycountry.subdivisions if s.type in REGION_TYPES}
    codes = {s.code.split("-")[1].lower() for s in pycountry.subdivisions if s.country_code in ("US", "CA")}
    return frozenset(names | codes | lowered("state_abbreviations"))
