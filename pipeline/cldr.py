"""Currency names, symbols and codes, the currency of each country, and the names of countries and
territories, from CLDR (through babel).

The hand lexicons under ``models/lexicons`` keep only what CLDR lacks (see ``currencies.tsv``); the rows
built here are added to them (``lexicons.words("currencies")`` holds both).

>>> names()["canadian dollars"], names()["west african cfa franc"], names()["swiss francs"]
('CAD', 'XOF', 'CHF')
>>> sorted(families()["cfa francs"]), "CAD" in families()["$"], "COP" in families()["pesos"]
(['XAF', 'XOF'], True, True)
>>> territory_currency("SN"), territory_currency("CA"), cues()["Canadian"], cues()["Colombia"]
('XOF', 'CAD', 'CAD', 'COP')
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale, localedata
from babel.core import get_global

NOT_PLACES = {"EU", "EZ", "UN", "ZZ", "001"}  # CLDR's "territories" that are bodies or none: "European Union"
NOT_MONEY = re.compile(r"^X(?!OF|AF|PF|CD)")  # ISO codes of metals, funds and test units (XAU, XDR, XTS)
SHORT_LETTERS = re.compile(r"^[^\W\d_]{1,2}\.?$")  # "SR", "Le", "K": symbols too like ordinary abbreviations


@lru_cache(maxsize=1)
def _english() -> Locale:
    return Locale("en")


@lru_cache(maxsize=1)
def _tender() -> dict[str, bool]:
    """{ISO code: still in use} of every currency that is or was legal tender somewhere."""
    out: dict[str, bool] = {}
    for spans in get_global("territory_currencies").values():
        for code, _, end, tender in spans:
            if tender and not NOT_MONEY.match(code):
                out[code] = out.get(code, False) or end is None
    return out


def territory_currency(territory: str) -> str | None:
    """The currency a territory uses today ("CA" -> "CAD"), or None."""
    spans = get_global("territory_currencies").get(territory, ())
    return next((code for code, _, end, tender in spans if tender and end is None), None)


def _name_forms(code: str) -> set[str]:
    """The English name of a currency, singular and plural, in lower case; none for dated names."""
    plural = _english()._data["currency_names_plural"].get(code, {})
    forms = {_english().currencies.get(code, "")} | set(dict(plural).values())
    return {f.lower() for f in forms if f and not re.search(r"[\d(]", f)}


@lru_cache(maxsize=1)
def names() -> dict[str, str]:
    """{English currency name in lower case: ISO code}, singular and plural ("swiss francs": "CHF"), and the
    endings of two words or more that name one currency in use ("convertible marks")."""
    full = {form: code for code in _tender() for form in _name_forms(code)}
    endings = {ending: codes for ending, codes in _endings().items() if len(codes) == 1 and " " in ending}
    return {**{ending: next(iter(codes)) for ending, codes in endings.items()}, **full}


@lru_cache(maxsize=1)
def _endings() -> dict[str, set[str]]:
    """{the unit word or a shorter ending of a current currency's name: the currencies it ends}."""
    out: dict[str, set[str]] = {}
    for code, current in _tender().items():
        for form in _name_forms(code) if current else ():
            words = form.split()
            for i in range(1, len(words)):
                out.setdefault(" ".join(words[i:]), set()).add(code)
    return out


@lru_cache(maxsize=1)
def _all_symbols() -> dict[str, frozenset[str]]:
    """{symbol: ISO codes} as CLDR's English locales write them ("HK$", "A$", "$", "Rs", "kr")."""
    found: dict[str, set[str]] = {}
    for locale in localedata.locale_identifiers():
        if locale == "en" or locale.startswith("en_"):
            for code, symbol in Locale.parse(locale).currency_symbols.items():
                if code in _tender() and symbol != code and " " not in symbol:
                    found.setdefault(symbol, set()).add(code)
    return {s: frozenset(c) for s, c in found.items()}


def symbols() -> dict[str, frozenset[str]]:
    """The symbols to read as currencies: not the short letter-only ones, which read like abbreviations
    ("SR 520", "K 2"); the few needed ("Rs", "Rp", "kr") are in the hand lexicon."""
    return {s: c for s, c in _all_symbols().items() if not SHORT_LETTERS.match(s)}


@lru_cache(maxsize=1)
def families() -> dict[str, frozenset[str]]:
    """{form: the currencies in use it may stand for}: the unit word and every shorter ending of a name
    ("francs", "cfa francs"), and a symbol CLDR gives to several ("$", "£", "kr"), which stands for every
    currency named like those ("$": every dollar)."""
    out = {ending: set(codes) for ending, codes in _endings().items()}
    units = {code: {f.split()[-1] for f in _name_forms(code)} for code in _tender()}
    for symbol, codes in ((s, c) for s, c in _all_symbols().items() if len(c) > 1):
        named = {unit for code in codes for unit in units[code]}
        out.setdefault(symbol.lower(), set()).update(
            c for c, current in _tender().items() if current and units[c] & named
        )
    return {form: frozenset(codes) for form, codes in out.items() if len(codes) > 1}


def _adjective(code: str) -> str | None:
    """ "Canadian" of "Canadian Dollar": the words of a currency's name before its unit word."""
    words = _english().currencies.get(code, "").split()
    return " ".join(words[:-1]) if len(words) > 1 else None


@lru_cache(maxsize=1)
def cues() -> dict[str, str]:
    """{country name or adjective as written: its currency}: CLDR's English country names ("Canada",
    "Hong Kong" of "Hong Kong SAR China") and the adjectives of currency names ("Canadian", "Colombian")."""
    out = {}
    for territory, name in _english().territories.items():
        code = territory_currency(territory) if territory.isalpha() else None
        if code:
            out[re.sub(r" SAR China$", "", name)] = code
    for code, current in _tender().items():
        adjective = _adjective(code) if current else None
        if adjective and adjective.isascii() and adjective[0].isupper():
            out.setdefault(adjective, code)
    return out


@lru_cache(maxsize=1)
def territories() -> frozenset[str]:
    """CLDR's English names of countries, territories and regions ("New Zealand", "Europe")."""
    return frozenset(name for code, name in _english().territories.items() if code not in NOT_PLACES)


def derived_rows(lexicon: str) -> list[list[str]]:
    """Rows CLDR adds to a hand lexicon: currency forms with their codes, ISO codes, name words, places."""
    if lexicon == "currencies":
        single = [[s, next(iter(c))] for s, c in symbols().items() if len(c) == 1]
        return [[form, code] for form, code in names().items()] + single
    if lexicon == "currency_codes":
        return [[code, code] for code in _tender()]
    if lexicon == "currency_modifiers":
        return [[word] for form in names() for word in form.split()[:-1]]
    if lexicon == "currency_units":
        return [[form.split()[-1]] for form in names() if " " in form]
    if lexicon == "places":
        return [[name] for name in sorted(territories())]
    return []
