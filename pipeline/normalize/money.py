"""Money: "£1.2bn" -> (1200000000.0, "GBP"); currency inferred from the article when absent.

>>> parse_money("£400 million")
(400000000.0, 'GBP')
>>> parse_money("US$4.7 billion")
(4700000000.0, 'USD')
>>> parse_money("250m-euro")
(250000000.0, 'EUR')
>>> parse_money("Rs 1,200 crore")
(12000000000.0, 'INR')
>>> parse_money("50p")
(0.5, 'GBP')
>>> parse_money("a 400 million")
(400000000.0, None)
>>> parse_money("£20", partner="30m")
(20000000.0, 'GBP')
>>> parse_money("30m", partner="£20")
(30000000.0, 'GBP')
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from pipeline import cldr, lexicons
from pipeline.normalize.numbers import parse_number
from pipeline.normalize.qualifiers import qualifier_before

# "2 1/2", "1/2", "32 225 000" (thousands grouped by spaces: SI brochure 5.4.4, EU Interinstitutional Style
# Guide), "1,200.5", "7", ".50" (AP style for amounts under one)
NUMBER = re.compile(
    r"(?<!\d)\.\d+|\d+ \d+/\d+|\d+/\d+|\d*[½¼¾]|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d,.])|\d[\d,.]*\d|\d"
)

SHARE_OF = re.compile(r"\W*(?P<share>[^\W\d][\w\s-]*?)\s+of\s+an?(?=\s)", re.I)  # "a quarter of a billion"


@dataclass(frozen=True)
class Money:
    amount: float | None
    currency: str | None
    currency_inferred: bool
    qualifier: str | None

    @property
    def normalized(self) -> str | None:
        if self.amount is None:
            return None
        # XXX is ISO 4217's code for "no currency"
        return f"{self.currency or 'XXX'} {self.amount:.2f}".rstrip("0").rstrip(".")


@lru_cache(maxsize=1)
def _currencies() -> dict[str, str]:
    """{form: ISO code}: symbols and words in lower case, ISO codes as written (capitals)."""
    codes = {k.upper(): v for k, v in lexicons.mapping("currency_codes").items()}
    letters = {k.upper(): v for k, v in lexicons.mapping("currency_letters").items()}
    return {**lexicons.mapping("currencies"), **codes, **letters}


@lru_cache(maxsize=1)
def _currency_pattern() -> re.Pattern:
    """Symbols and words in any case, ISO codes in capitals, one-letter symbols in capitals before a number;
    the longest form wins."""
    words = sorted(lexicons.mapping("currencies"), key=len, reverse=True)
    codes = sorted(k.upper() for k in lexicons.mapping("currency_codes"))
    letters = "|".join(rf"(?<![A-Za-z]){k.upper()}(?= ?\d)" for k in lexicons.mapping("currency_letters"))

    def alt(form: str) -> str:
        return rf"(?<![A-Za-z]){re.escape(form)}(?![A-Za-z])" if form[0].isalpha() else re.escape(form)

    return re.compile("(?i:" + "|".join(map(alt, words)) + ")|" + "|".join(map(alt, codes)) + "|" + letters)


@lru_cache(maxsize=1)
def _number_words() -> re.Pattern:
    words = sorted(lexicons.mapping("numbers"), key=len, reverse=True)
    word = "|".join(re.escape(w) for w in words)
    return re.compile(rf"\b(?:{word})(?:[\s-]+(?:and[\s-]+)?(?:{word}))*\b", re.I)


@lru_cache(maxsize=1)
def _scale_pattern() -> re.Pattern:
    return re.compile(rf"^[\s-]*({lexicons.alternation('scales')})(?![A-Za-z])", re.I)


@lru_cache(maxsize=1)
def _subunit_pattern() -> re.Pattern:
    return re.compile(rf"^[\s-]*({lexicons.alternation('subunits')})(?![A-Za-z])", re.I)


@lru_cache(maxsize=1)
def _scaled_code_pattern() -> re.Pattern:
    prefixes = "".join(lexicons.words("currency_code_prefixes"))
    codes = "|".join(sorted(k.upper() for k in lexicons.mapping("currency_codes")))
    return re.compile(rf"(?<![A-Za-z])([{prefixes}])({codes})(?![A-Za-z])")


def unglued(text: str) -> str:
    """A scale glued before an ISO code written apart, after the number: "120 MEUR" -> "120 M EUR",
    "MAUD 60" -> "AUD 60 M" (``currency_code_prefixes``)."""
    glued = _scaled_code_pattern().search(text)
    if not glued:
        return text
    scale, code = glued.groups()
    if not text[: glued.start()].strip():
        return f"{text[: glued.start()]}{code}{text[glued.end() :]} {scale}"
    return f"{text[: glued.start()]}{scale} {code}{text[glued.end() :]}"


def _currency_match(text: str) -> re.Match | None:
    return _currency_pattern().search(re.sub(r"\b([A-Za-z]{1,2}) \$", r"\1$", unglued(text)))


def currency_form(text: str) -> str | None:
    """The first currency symbol, code or word in ``text`` as written ("C $ 5" is C$), or None."""
    match = _currency_match(text)
    return match.group(0) if match else None


def _code(form: str) -> str:
    return _currencies().get(form) or _currencies()[form.lower()]


def currency_in(text: str) -> str | None:
    """The ISO code of the first currency symbol, code or word in ``text``, read alone ("$" is USD)."""
    form = currency_form(text)
    return _code(form) if form else None


@dataclass(frozen=True)
class Evidence:
    """What an article says about its country: currencies of the places it names (cues) and of the amounts
    it writes unambiguously ("C$", "Canadian dollars", "HK$")."""

    cues: Counter
    explicit: Counter
    american_style: bool = True  # "percent" (AP); Canadian Press and Commonwealth style write "per cent"

    def score(self, code: str, default: str) -> int:
        """Cues for a currency, and its explicit amounts unless it is the form's default: "US$" is how a
        Canadian or Australian story tells US dollars from its own."""
        return self.cues[code] + (self.explicit[code] if code != default else 0)


def resolve(form: str, evidence: Evidence | None) -> str:
    """The currency a form means in an article: for a form shared by several ("$", "dollars", "francs",
    "Rs"), the one the article's evidence names most and at least twice (one place name is not a country:
    "Melbourne, Florida"; once is enough in an article not in American style), else the form's default
    reading."""
    default = _code(form)
    candidates = sorted(cldr.families().get(form.lower(), ()))
    if evidence is None or not candidates:
        return default
    best = max(candidates, key=lambda code: evidence.score(code, default))
    score = evidence.score(best, default)
    needed = 2 if evidence.american_style else 1
    return best if score >= needed and score > evidence.score(default, default) else default


def article_evidence(text: str, money_spans: list[str]) -> Evidence:
    """The evidence of an article: its country cues and the currencies of its unambiguous amounts."""
    forms = (currency_form(span) for span in money_spans)
    explicit = Counter(_code(f) for f in forms if f and f.lower() not in cldr.families())
    american = bool(re.search(r"\bpercent\b", text)) or not re.search(r"\bper cent\b", text)
    return Evidence(_cues(text), explicit, american)


def _cues(text: str) -> Counter:
    """The currencies of the countries, places and peoples an article names ("Canada", "Canadians"), each
    counted with its cue's weight (a country's own body or market counts twice: "ASX", "Commerce
    Commission")."""
    found = Counter()
    for m in _cue_pattern().finditer(text):
        found[_cue_currencies()[m.group(1)]] += _cue_weights().get(m.group(1), 1)
    return found


@lru_cache(maxsize=1)
def _cue_weights() -> dict[str, int]:
    weighed = lexicons.table("country_currency")
    return {
        form: int(weighed[form.lower()][1])
        for form in lexicons.words("country_currency")
        if len(weighed[form.lower()]) > 1
    }


@lru_cache(maxsize=1)
def _cue_currencies() -> dict[str, str]:
    """{place or adjective as written: currency}: CLDR's country names and currency adjectives, and the
    cities, bodies and markets of ``country_currency``."""
    codes = lexicons.mapping("country_currency")
    hand = {form: codes[form.lower()] for form in lexicons.words("country_currency")}
    return {**cldr.cues(), **hand}


@lru_cache(maxsize=1)
def _cue_pattern() -> re.Pattern:
    forms = sorted(_cue_currencies(), key=len, reverse=True)
    return re.compile(r"(?<![\w.])(" + "|".join(re.escape(f) for f in forms) + r")(?:(?<=an)s)?(?![\w])")


def _number_and_scale(text: str) -> tuple[float | None, float | None, str]:
    """(number, scale, text after them) of the first number in ``text``, in digits or words; scales multiply
    ("1.5 lakh crore" is 1.5e12)."""
    if (share := _share_of_scale(text)) is not None:
        number, rest, match = share[0], share[1], None
    else:
        digits, words = NUMBER.search(text), _number_words().search(text)
        if not (digits or words):
            return None, None, ""
        in_words = words and (
            not digits
            or words.end() < digits.start()
            and re.search(r"[^\W\d_]", text[words.end() : digits.start()])
        )
        match = words if in_words else digits  # "twenty dollars 43 cents", but "a 400 million" is 400 million
        number, rest = parse_number(match.group(0)), text[match.end() :]
    scale = None
    code_first = re.match(r"\s*[A-Z]{3}(?=\s)", rest)  # "75 USD million"
    if (
        code_first
        and code_first.group(0).strip() in lexicons.words("currency_codes")
        and _scale_pattern().match(rest[code_first.end() :])
    ):
        rest = rest[code_first.end() :]
    while scale_match := _scale_pattern().match(rest):
        scale = (scale or 1.0) * float(lexicons.mapping("scales")[scale_match.group(1).lower()])
        rest = rest[scale_match.end() :]
    if scale and match and re.fullmatch(r"\d+\.\d+", match.group(0)):
        number = float(match.group(0))  # "$2.604 million": before a scale one point is a decimal point
    return number, scale, rest


def _share_of_scale(text: str) -> tuple[float, str] | None:
    """(share, text from the scale on) of "three-quarters of a trillion dollars" (0.75), else None."""
    if not (m := SHARE_OF.match(text)) or not _scale_pattern().match(text[m.end() :]):
        return None
    share = parse_number(m["share"])
    return (share, text[m.end() :]) if share is not None and 0 < share < 1 else None


@lru_cache(maxsize=8192)
def parse_money(text: str, partner: str | None = None) -> tuple[float | None, str | None]:
    """(amount, ISO currency or None) of a money span; ``partner`` is the other end of a range."""
    amount, currency, _ = _parse(text, partner)
    return amount, currency


@lru_cache(maxsize=8192)
def _parse(text: str, partner: str | None) -> tuple[float | None, str | None, str | None]:
    """(amount, currency read alone, the form that named it: a symbol or word, or a sub-unit's main unit)."""
    text = unglued(text)
    number, scale, rest = _number_and_scale(text)
    if number is None:
        return None, None, None
    form = currency_form(text)
    subunit = _subunit_pattern().match(rest)
    if subunit and form is None:
        code, fraction, unit = lexicons.table("subunits")[subunit.group(1).lower()]
        return _times(number, float(fraction)), code, unit
    if partner:
        other_number, other_scale, _ = _number_and_scale(partner)
        if scale is None and other_scale and other_number is not None and number <= other_number:
            scale = other_scale
        scale = scale or _shared_thousands(number, partner, other_number)
        form = form or currency_form(partner)
    return _times(number, scale or 1.0) + _cents(text), _code(form) if form else None, form


def _shared_thousands(number: float, partner: str, other: float | None) -> float | None:
    """ "$50-100,000": the left end of a range shares the right end's groups of zeros when it is small
    beside it (50 and 100,000 are 50,000 and 100,000; 950 and 1,500 stay)."""
    zeros = re.search(r"\d((?:,000)+)\b", partner)
    if not zeros or other is None or number >= 1000:
        return None
    scale = 1000.0 ** zeros.group(1).count(",")
    return scale if number * scale < other < number * scale * 10 else None


def _times(number: float, scale: float) -> float:
    """number * scale without binary noise: 16.4 * 1e6 -> 16400000.0."""
    return float(Decimal(repr(number)) * Decimal(repr(scale)))


def _cents(text: str) -> float:
    """The minor part of "20 dollars 43 cents", "thirteen dollars and forty-five" or "$20 and 43c"."""
    _, _, rest = _number_and_scale(text)
    currency_first = _currency_match(rest)
    word_after = bool(currency_first and currency_first.start() == len(rest) - len(rest.lstrip()))
    if word_after:
        rest = rest[currency_first.end() :]
    units = lexicons.alternation("subunits")
    minor = re.fullmatch(rf"\s*(?:and\s+)?([\w\s-]+?)\s*-?\s*({units})?\.?\s*", rest, re.I)
    if not minor or not (word_after or minor.group(2)):
        return 0.0
    value = parse_number(minor.group(1))
    return value / 100 if value is not None and 0 < value < 100 else 0.0


def article_currency(explicit: list[str | None], text: str) -> str | None:
    """The currency of an article's bare amounts: its most used explicit one, else the first currency word,
    else the currency of the country the article names most ("UK", "Pentagon", "eurozone")."""
    counted = Counter(c for c in explicit if c)
    if counted:
        return counted.most_common(1)[0][0]
    return currency_in(text) or _country_currency(text)


def _country_currency(text: str) -> str | None:
    found = _cues(text)
    return found.most_common(1)[0][0] if found else None


def normalize_money(
    text: str,
    before: str = "",
    partner: str | None = None,
    article_default: str | None = None,
    evidence: Evidence | None = None,
) -> Money:
    """A money mention with its qualifier (from the words ``before`` it) and its currency: the one its form
    means in the article (``evidence``), else the article's (``article_default``, then inferred)."""
    amount, currency, form = _parse(text, partner)
    inferred = parse_money(text)[1] is None
    if form:
        currency = resolve(form, evidence)
    currency = currency or article_default
    return Money(amount, currency, bool(inferred and currency), qualifier_before(before))
