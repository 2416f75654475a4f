"""The mention selection stage (``contract_mentions``): a Doc's mentions chosen from its rule spans and the
model's entities, no two overlapping, as ``doc.spans["mentions"]`` and ``doc.ents``.

Rules beat the model; longer beats shorter; IGNORE rule spans block others and give no mention.
Ranges ("£20-30m", "21%-26%", "2010-2012") become two mentions that know each other's text
(``span._.partner``). Each mention carries ``span._.source`` (``model`` or ``rule:<pattern id>``) and
``span._.sentence``; the later stages add the values of its label (``pipeline.labels``).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import takewhile

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from pipeline import cldr, labels, lexicons
from pipeline.normalize import money
from pipeline.normalize.dates import is_period_anaphor
from pipeline.normalize.duration import parse_duration, units_descend
from pipeline.rules import NAME_LIST, SPANS_KEY

MENTIONS_KEY = "mentions"
MODEL_NAMES_KEY = "model_names"  # the model's people and places, which the organisation stage reads
WORKS_KEY = "work_titles"  # titles the rules find after a work's noun ("film Vera Drake"), read there too
NAME_LABELS = {"PERSON", "GPE", "LOC", "NORP", "FAC"}
OTHER_NAMES = NAME_LABELS | {"PRODUCT", "WORK_OF_ART", "EVENT", "LAW"}  # the model's names of what is no body
SURNAME_PARTICLES = {"da", "de", "di", "del", "della", "der", "van", "von", "du", "le", "la", "dos", "das"}
MODEL_LABELS = {label.model_label: label.name for label in labels.LABELS if label.model_label}
RANGE_WORDS = {"-", "–", "—", "to", "and"}
MAX_SENTENCE = 2000  # characters of a sentence kept with each mention
# Words of a text about financial years, where "2018-19" is one such year (Australian Government Style
# Manual: "financial year 2019-20"; Canada.ca: "fiscal year 2023-24"; GOV.UK: "2015 to 2016", "2015-16").
FINANCIAL_YEARS = re.compile(r"\b(?:budget|fiscal|financial year|tax year)", re.I)


@dataclass
class Mention:
    label: str
    start: int  # character offsets into the article text
    end: int
    source: str
    sentence: str
    partner: str | None = None  # the other end of a range


# "mmSense", "eBay", "3E Nano", the "58th" of a unit ("58th Maintenance Group"); not Apple's "iPod", "iTunes"
CAMEL_NAME = re.compile(r"(?!i[A-Z])[a-z]+[A-Z]|\d+[A-Z]|\d+(?:st|nd|rd|th)$")
# A French name after an elided article: "d'Or" in "Val-d'Or"
ELIDED_NAME = re.compile(r"[dl]['’][A-ZÀ-ÖØ-Þ]")
INITIAL = re.compile(r"[A-Z]\.?")  # a person's initial: "K" in "K Maggs"


@lru_cache(maxsize=1)
def _trim_words() -> frozenset[str]:
    qualifiers = {w for w in lexicons.mapping("qualifiers") if " " not in w}
    return (
        lexicons.lowered("trim_words")
        | lexicons.lowered("money_cues")
        | lexicons.lowered("money_nouns")
        | frozenset(qualifiers)
    )


def trim(span: Span) -> Span | None:
    """Drop words around the value (prepositions, qualifiers, cue words, punctuation); None if nothing is
    left. An IGNORE span stays whole: its words are what blocks ("Foreign Military Sales program")."""
    if span.label_ == "IGNORE":
        return span
    words = _trim_words()
    start, end = span.start, span.end
    doc = span.doc

    def loose(token) -> bool:
        if span.label_ == "ORG":
            named = (
                token.text[:1].isupper()
                or token.like_num
                or CAMEL_NAME.match(token.text)
                or ELIDED_NAME.match(token.text)
            )
            return not named or token.lower_ in ("the", "'s", "’s")
        return token.lower_ in words or (token.is_punct and token.text not in "%$£€")

    while start < end and loose(doc[start]):
        start += 1
    if span.label_ == "ORG" and not span.id_.startswith(
        ("org_department", "org_partnership", "org_university_campus", "gazetteer", NAME_LIST)
    ):
        end = _before_comma(doc, start, end)
    if span.label_ == "ORG":
        end = _before_model_number(doc, start, _before_open_bracket(doc, start, end))
    while end > start and loose(doc[end - 1]):
        end -= 1
    if span.label_ == "MONEY" and _symbol_before_number(doc, end):
        return None  # "1,987 $140,459,870" in a table: the symbol is the next amount's
    if span.label_ == "MONEY" and _percent_follows(doc, end):
        return None  # "the British pound 2%": the number is a percentage, not an amount
    if span.label_ == "DURATION" and not units_descend(doc[start:end].text):
        return None  # "12 months and 6 months": two lengths, each matched on its own
    if span.id_ == "duration_unit_bare_number" and end < len(doc) and doc[end].is_alpha:
        return None  # "2 hours 10 minutes" is another pattern's; "1 hour 30 people" counts people
    if end > start and _comparative(doc, end):  # "later" alone ("not later than 120 days") leaves nothing
        return Span(doc, start, end - 1, label="DURATION", span_id=span.id_) if end - 1 > start else None
    return Span(doc, start, end, label=span.label_, span_id=span.id_) if end > start else None


def _symbol_before_number(doc: Doc, end: int) -> bool:
    """A span's last token is a currency symbol that a number follows, one with no symbol of its own after it
    ("1,987 $140,459,870"; not "10 $ 30 $")."""
    after = doc[end + 1 : end + 2]
    return (
        end < len(doc)
        and doc[end - 1].is_currency
        and doc[end].like_num
        and not (after and after[0].is_currency)
    )


def _percent_follows(doc: Doc, end: int) -> bool:
    """A percent sign or word right after a span's last number ("2%", "2 per cent")."""
    after = doc[end : end + 2].text.lower()
    return doc[end - 1].like_num and re.match(r"(?:%|per ?cent\b)", after) is not None


def _comparative(doc: Doc, end: int) -> bool:
    """ "a month earlier than usual": a length of time compared, not a date a month back."""
    return doc[end - 1].lower_ in ("earlier", "later") and end < len(doc) and doc[end].lower_ == "than"


def _before_comma(doc: Doc, start: int, end: int) -> int:
    """An organisation name ends at its first comma, unless a legal suffix ("Acme, Inc.") or, to the end of
    the span, a regional designator ("Naval Facilities Engineering Command, Far East") or a unit ("Naval
    Surface Warfare Center, Crane Division") follows."""
    for i in range(start + 1, end):
        if (
            doc[i].text == ","
            and (i + 1 >= len(doc) or not lexicons.is_legal_form(doc[i + 1].text))
            and doc[i + 1 : end].text not in lexicons.words("org_regions")
            and doc[end - 1].text not in lexicons.words("org_units")
        ):
            return i
    return end


def _before_model_number(doc: Doc, start: int, end: int) -> int:
    """An organisation name ends before a model or version number or an aircraft's designation: "Microsoft 365
    and Office 365" -> "Microsoft", "Boeing 737" -> "Boeing" (the maker of the product), "Air Force Special
    Operations Command MQ-9 Medium Altitude ..." -> "Air Force Special Operations Command"; not "Channel 4",
    "Expo 2020"."""
    for i in range(start + 1, end):
        text = doc[i].text
        number = re.fullmatch(r"\d{3,}|[A-Z]{1,3}-\d+[A-Z]?", text) and not YEAR_NUMBER.fullmatch(text)
        if number and doc[i - 1].is_title:
            return i
    return end


def _before_open_bracket(doc: Doc, start: int, end: int) -> int:
    """An organisation name ends before a bracket it does not close: "Acme Mining (ASX" -> "Acme Mining"."""
    opened = [i for i in range(start + 1, end) if doc[i].text == "("]
    return opened[-1] if opened and ")" not in doc[opened[-1] : end].text else end


SET_WORDS = re.compile(rf"^({lexicons.alternation('set_words')})\b")
VAGUE_WORDS = re.compile(rf"\b({lexicons.alternation('vague_words')})\b")
YEAR_NUMBER = re.compile(r"(?:1[5-9]|20)\d\d|\d0s\b")  # 2004, mid-2005, 1990s, 90s


def _model_label(ent: Span, elsewhere: dict[str, Counter]) -> str | None:
    """Our label for a model entity, or None: MONEY holding a percentage is PERCENT, MONEY with neither a
    currency nor a scale word, before a counted noun ("410 million lbs.") or with a brand in it ("323 Family
    Dollar"), is a number; an ORG ending in a legal form stays, while another ORG the model calls a person or
    place elsewhere, the surname of a person named in full ("Federer" after "Roger Federer") or a titled name
    ("Mr Ebbers") is dropped;
    a DATE that is a length of time is DURATION; DATEs that repeat ("every week"), name no point in time
    ("a quarter"), are bare numbers ("65", "6.302-1") or name no time ("the age of 87", "the last eight") are
    dropped."""
    label = MODEL_LABELS.get(ent.label_)
    text = ent.text.lower()
    if label == "MONEY":
        if re.search(r"%|per ?cent", text):
            return "PERCENT"
        if _brand_between(ent):
            return None
        currency = any(t.is_currency for t in ent) or money.currency_in(ent.text)
        after = ent.doc[ent.end].lower_ if ent.end < len(ent.doc) else ""
        if not currency and after in lexicons.lowered("count_nouns"):
            return None  # "410 million lbs.", "2 million people": a count of things
        has_scale = any(t.lower_ in lexicons.mapping("scales") for t in ent)
        return label if has_scale or currency else None
    if label == "ORG":
        if len(ent) > 1 and lexicons.is_legal_form(ent[-1].text):  # "HS2 Ltd" is a company, whatever "HS2" is
            return label
        votes = elsewhere.get(ent.text, Counter())
        person_first = any(ent.text.startswith(name + " ") for name, v in elsewhere.items() if v["PERSON"])
        if person_first or votes["SURNAME"] or ent[0].lower_.rstrip(".") in lexicons.lowered("honorifics"):
            return None
        return None if votes["PERSON"] + votes["GPE"] + votes["LOC"] > votes["ORG"] else label
    if label != "DATE":
        return label
    if is_period_anaphor(text):
        return label  # "the quarter": a results story's reporting period (dropped later if it has named none)
    if SET_WORDS.match(text):
        return None
    # a unit of time is a length unless anchored: "a year ago", "the end of the year" ("the end of the day" is
    # the idiom "ultimately")
    if parse_duration(text)[2] and not re.search(
        r"\b(ago|this|earlier|later)\b|\d{4}|\b(end|start|beginning) of (?!the day)|\bend$", text
    ):
        counted = parse_duration(text)[0] and re.search(
            r"""
            \d                                                          # 10 years
            |\b(a|an|one|two|three|four|five|six|seven|eight|nine
               |ten|eleven|twelve|twenty|thirty|half|dozen)\b          # two years, a decade, half an hour
            """,
            text,
            re.VERBOSE,
        )
        return "DURATION" if counted or VAGUE_WORDS.search(text) else None
    if re.fullmatch(r"[\d\s.,/-]+", text) and not re.fullmatch(r"(?:19|20)\d\d", text):  # ages, counts, codes
        return None
    return label if _names_a_time(ent) else None


def _brand_between(ent: Span) -> bool:
    """A capitalised word that names no currency between the number and the currency word makes a name, not
    an amount: "323 Family Dollar (stores)"; not "5 Hong Kong dollars"."""
    modifiers = lexicons.lowered("currency_modifiers")
    words = [
        t for t in ent if not t.like_num and not t.is_punct and t.lower_ not in lexicons.mapping("scales")
    ]
    return any(t.is_title and t.lower_ not in modifiers for t in words[:-1]) and ent[0].like_num


def _names_a_time(ent: Span) -> bool:
    """A year or decade, a month, weekday, time unit or word of time ("tonight"), or a relative word with a
    word that is not a number ("this season", not "the last eight")."""
    kinds, words = lexicons.mapping("date_words"), _calendar_words()
    if any(
        kinds.get(t.lower_) == "time"
        or t.lower_ in words
        or t.lower_.rstrip("s") in words
        or YEAR_NUMBER.search(t.text)
        for t in ent
    ):
        return True
    return any(kinds.get(t.lower_) == "relative" for t in ent) and not any(t.like_num for t in ent)


@lru_cache(maxsize=None)
def _calendar_words() -> frozenset[str]:
    return lexicons.lowered("months") | lexicons.lowered("weekdays") | lexicons.lowered("duration_units")


class Taken:
    """Chosen spans, kept disjoint and sorted, with overlap look-ups in logarithmic time."""

    def __init__(self):
        self.spans: list[Span] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlapping(self, span: Span) -> tuple[int, int]:
        """The index range of chosen spans that overlap ``span``."""
        return bisect.bisect_right(self.ends, span.start), bisect.bisect_left(self.starts, span.end)

    def replace(self, i: int, j: int, span: Span) -> None:
        self.spans[i:j], self.starts[i:j], self.ends[i:j] = [span], [span.start], [span.end]


def with_number_words(span: Span) -> Span:
    """A money or percent span widened leftwards over the number words its number starts with: "forty five
    percent", "one hundred and twenty pounds" (the "and" after a hundred or more, as British English says)."""
    doc, start = span.doc, span.start
    if span.label_ not in ("MONEY", "PERCENT") or not _number_word(doc[start]):
        return span
    while start > 0 and (
        _number_word(doc[start - 1])
        or doc[start - 1].lower_ == "and"
        and start > 1
        and _compound_number(doc[start - 2], doc[start - 1])
    ):
        start -= 1
    return span if start == span.start else Span(doc, start, span.end, label=span.label_, span_id=span.id_)


def _number_word(token) -> bool:
    return token.is_alpha and token.lower_ in lexicons.mapping("numbers") and token.lower_ not in ("a", "an")


def _number_value(token) -> float:
    return float(lexicons.mapping("numbers").get(token.lower_, 0))


def select_spans(doc: Doc) -> list[Span]:
    """The non-overlapping spans of a Doc, rule spans before model entities, each trimmed."""
    model_orgs = [e for e in doc.ents if e.label_ == "ORG"]
    org_ends, org_end_from = {e.end for e in model_orgs}, {e.start: e.end for e in model_orgs}
    person_end_from = {i: e.end for e in doc.ents if e.label_ == "PERSON" for i in range(e.start, e.end)}
    rule_spans = [
        with_number_words(_after_person(s, person_end_from))
        for s in (trim(s) for s in doc.spans.get(SPANS_KEY, []))
        if s is not None and not _joins_model_names(s, org_ends, org_end_from) and not _runs_into_a_count(s)
    ]
    others = [e for e in doc.ents if e.label_ in OTHER_NAMES]
    rule_spans = [s for s in rule_spans if not (s.id_.startswith(NAME_LIST) and _taken_otherwise(s, others))]
    rule_spans += _with_country(doc)
    known = [s for s in rule_spans if s.id_.startswith("gazetteer")]
    rule_spans = [s for s in rule_spans if not any(_cuts(s, name) for name in known)]
    taken = Taken()
    for span in sorted(rule_spans, key=lambda s: (-(s.end - s.start), s.start, s.label_ != "IGNORE")):
        i, j = taken.overlapping(span)
        if i == j:
            taken.replace(i, j, span)
    elsewhere: dict[str, Counter] = {}
    for ent in doc.ents:  # "K Maggs", "A Turner (Notts AC)": an initial and a surname are a person's
        label = "SURNAME" if ent.label_ == "ORG" and _after_initial(ent) else ent.label_
        elsewhere.setdefault(ent.text, Counter())[label] += 1
    for name, votes in list(elsewhere.items()):  # "Roger Federer": "Federer" alone is that person
        if votes["PERSON"] > votes["ORG"] + votes["GPE"]:
            for rest in _surnames(name):
                elsewhere.setdefault(rest, Counter())["SURNAME"] += votes["PERSON"]
    text = doc.text
    for ent in (
        piece for ent in doc.ents for line in _lines(ent, elsewhere) for piece in _listed(line, text)
    ):
        label = _model_label(ent, elsewhere)
        span = trim(Span(doc, ent.start, ent.end, label=label, span_id="model")) if label else None
        if span is None:
            continue
        i, j = taken.overlapping(span)
        if i == j or (label == "ORG" and _extends_orgs(span, taken.spans[i:j])):
            taken.replace(i, j, span)
    return [s for s in taken.spans if s.label_ != "IGNORE"]


COUNTRY_SHORT_FORMS = {"UK", "U.K.", "US", "U.S.", "USA"}  # short forms CLDR's territory names lack
# Words a name may stand before at a clause's end: "Vodafone UK said", "AOL UK, the ..."
CLAUSE_WORDS = frozenset("said says has have had is was were will would and or which".split())


def _with_country(doc: Doc) -> list[Span]:
    """A model ORG straight before a country or region the model names is a company's arm there: "Toyota New
    Zealand", "Ford Europe", "AOL UK said"; not before a capitalised word, nor a short form before a word
    that it may qualify ("told BBC News US policy"), nor a generic word ("Parliament UK"), an acronym of two
    letters ("EU China summit") or a possessive."""
    ents = list(doc.ents)
    pairs = [
        (org, place)
        for org, place in zip(ents, ents[1:])
        if org.label_ == "ORG" and place.label_ in ("GPE", "LOC") and place.start == org.end
    ]
    return [
        Span(doc, org.start, place.end, label="ORG", span_id="org_with_country")
        for org, place in pairs
        if _country_follows(doc, place)
        and org.text.lower() not in lexicons.lowered("org_generic")
        and not (org.text.isupper() and len(org.text) <= 2)
        and org[-1].text not in ("'", "’", "'s", "’s")
    ]


def _country_follows(doc: Doc, place: Span) -> bool:
    """Whether a place right after a name is a country or region that ends the name there."""
    after = doc[place.end] if place.end < len(doc) else None
    if place.text in COUNTRY_SHORT_FORMS:
        return after is None or after.is_punct or after.lower_ in CLAUSE_WORDS
    return place.text in cldr.territories() and not (after is not None and after.text[:1].isupper())


def _taken_otherwise(span: Span, names: list[Span]) -> bool:
    """Whether a name list's name is read as something else: overlapping the model's organisation, part of a
    longer name of another kind ("Ford" of "Harrison Ford", "Linde" of "CJ van der Linde"), of a thing's
    ("Heineken Cup", "The Da Vinci Code") or glued by a hyphen or slash to another name ("Sanofi-GSK",
    "FedEx/TNT")."""
    doc = span.doc
    particle = span.start > 0 and doc[span.start - 1].lower_ in SURNAME_PARTICLES
    thing = span.end < len(doc) and doc[span.end].text in lexicons.words("org_not_heads")
    return (
        _glued(span)
        or particle
        or thing
        or any(e.start < span.end and span.start < e.end for e in doc.ents if e.label_ == "ORG")
        or any(e.start <= span.start and span.end <= e.end and len(e) > len(span) for e in names)
    )


def _glued(span: Span) -> bool:
    """Whether a hyphen or slash with no space around it joins the span to a capitalised word, after or
    before it."""
    doc = span.doc
    after = (
        span.end + 1 < len(doc)
        and not doc[span.end - 1].whitespace_
        and _glue(doc[span.end], doc[span.end + 1])
    )
    before = (
        span.start > 1
        and not doc[span.start - 2].whitespace_
        and _glue(doc[span.start - 1], doc[span.start - 2])
    )
    return after or before


def _glue(mark: Token, word: Token) -> bool:
    """A hyphen or slash with no space after it, then a capitalised word."""
    return mark.text in ("-", "/") and not mark.whitespace_ and word.text[:1].isupper()


def _cuts(span: Span, name: Span) -> bool:
    """Whether a span holds part of a gazetteer name and words outside it ("International Development Office"
    across "U.S. Agency for International Development"), or the name after a comma ("Office of Export
    Enforcement, U.S. Immigration and Customs Enforcement": a list) or joined by "and" to more ("BT and
    Lancashire County Council": two)."""
    crosses = span.start < name.start < span.end < name.end or name.start < span.start < name.end < span.end
    inside = span.start <= name.start and name.end <= span.end and len(span) > len(name)
    before = span.doc[span.start : name.start] if inside else None
    listed = before is not None and "," in before.text
    beside = [i for i in (name.start - 1, name.end) if span.start <= i < span.end]  # the words either side
    joined = inside and any(span.doc[i].lower_ in ("and", "&") for i in beside)
    return crosses or listed or joined


GENERATION = re.compile(r",?\s+(?:Jr|Sr|II|III|IV)\.?$")  # "Robert Downey Jr.", "Martin Luther King III"


def _surnames(name: str) -> list[str]:
    """The ends of a person's full name that may stand alone for them: "Manuel Friedler" and "Friedler" of
    "Ariel Manuel Friedler", "Downey" of "Robert Downey Jr."; none when it starts with a place."""
    words = GENERATION.sub("", name).split()
    if words and words[0].lower() in lexicons.lowered("places"):
        return []
    return [" ".join(words[i:]) for i in range(1, len(words))]


def _after_person(span: Span, person_end_from: dict[int, int]) -> Span:
    """A rule ORG "<person> of <body>" is the body: "Jennifer Daskal of American University", "Daskal of
    American University", "Dr Jane Smith of University College" (``person_end_from``: where the model's person
    holding a token ends)."""
    honorific = span.doc[span.start].lower_.rstrip(".") in lexicons.lowered("honorifics")
    end = person_end_from.get(span.start + honorific)
    if span.label_ != "ORG" or end is None or end + 1 >= span.end or span.doc[end].lower_ != "of":
        return span
    if span.doc[end + 1].ent_type_ in ("GPE", "LOC"):
        return span  # "Firewatch Contracting of Florida LLC": a company's seat, whatever the model says
    return Span(span.doc, end + 1, span.end, label=span.label_, span_id=span.id_)


def _runs_into_a_count(span: Span) -> bool:
    """A rule MONEY span whose last number counts the things after it: "£17,007.08 to 38 workers" is an amount
    paid to 38 workers, not a range."""
    doc = span.doc
    return (
        span.label_ == "MONEY"
        and span[-1].like_num
        and span.end < len(doc)
        and doc[span.end].lower_ in lexicons.lowered("count_nouns")
    )


def _joins_model_names(span: Span, org_ends: set[int], org_end_from: dict[int, int]) -> bool:
    """A rule ORG across "and" that ends inside the model's next organisation ("Morgan Stanley and Royal Bank"
    of "... and Royal Bank of Canada", "Terminals Limited and ALD Group Holdings" of "... Holdings NZ
    Limited"), after one the model names or a legal form: two names, which the model's own spans give
    (``org_ends``: where the model's organisations end; ``org_end_from``: where the one starting at a token
    ends). A gazetteer name is one name ("U.S. Immigration and Customs Enforcement")."""
    return (
        span.label_ == "ORG"
        and not span.id_.startswith("gazetteer")
        and any(
            t.lower_ in ("and", "&")
            and (t.i in org_ends or lexicons.is_legal_form(t.nbor(-1).text))
            and org_end_from.get(t.i + 1, 0) > span.end
            for t in span[1:-1]
        )
    )


def _lines(ent: Span, elsewhere: dict[str, Counter]) -> list[Span]:
    """A model ORG across line breaks (list items, a heading run into the next line) is as many names as
    lines, each kept if the model calls it an organisation on its own elsewhere or it ends in a legal form."""
    breaks = [t.i for t in ent if t.is_space and "\n" in t.text]
    if ent.label_ != "ORG" or not breaks:
        return [ent]
    bounds = zip([ent.start, *(i + 1 for i in breaks)], [*breaks, ent.end])
    pieces = [Span(ent.doc, start, end, label="ORG") for start, end in bounds if end > start]
    return [
        p for p in pieces if elsewhere.get(p.text, Counter())["ORG"] or lexicons.is_legal_form(p[-1].text)
    ]


# A list of names goes on: ", Metcash and Aldi", " and Aldi", and does not end in a bracketed acronym
LIST_GOES_ON = re.compile(r"(?:,\s+(?:and\s+)?|\s+and\s+)(?:the\s+)?[A-Z](?![^.;\n]*?\([A-Z\d]{2,}\))")


def _listed(ent: Span, text: str) -> list[Span]:
    """A model ORG "A, B" that a list of names goes on after ("Coles, Woolworths, Metcash and Aldi") is two
    members, unless B is a legal form, a region or unit ("Acme, Inc.", "Command, Far East") or A ends in a
    body's head word; not a list that ends in its acronym ("Command, Control, ... and Intelligence (C4I)").
    ``text``: the Doc's text."""
    doc, commas = ent.doc, [t.i for t in ent[1:-1] if t.text == ","]
    if ent.label_ != "ORG" or len(commas) != 1 or not LIST_GOES_ON.match(text, ent.end_char):
        return [ent]
    first, second = doc[ent.start : commas[0]], doc[commas[0] + 1 : ent.end]
    if not second[0].is_title or _designator(second) or first[-1].text in lexicons.words("org_heads"):
        return [ent]  # "Army Contracting Command, Tank and Automotive": a body's unit
    return [Span(doc, p.start, p.end, label="ORG") for p in (first, second)]


def _designator(part: Span) -> bool:
    """A legal form, or a region or unit that ends a body's name after its comma."""
    return (
        lexicons.is_legal_form(part[0].text)
        or part.text in lexicons.words("org_regions")
        or part[-1].text in lexicons.words("org_units")
    )


def _after_initial(ent: Span) -> bool:
    """A one-word name with a person's initial, before it or in it: "K Maggs", "O Barkley", "..., A Turner";
    not "A Siemens spokesman" nor "A Labour peer", nor "J Sainsbury plc"."""
    doc = ent.doc
    if len(ent) == 2 and INITIAL.fullmatch(ent[0].text) and ent[0].text not in ("A", "I"):
        initial, surname = ent[0], ent[1]
    elif ent.start > 0 and (len(ent) == 1 or ent[1].text == ","):
        initial, surname = doc[ent.start - 1], ent[0]
    else:
        return False
    listed = initial.i > 0 and doc[initial.i - 1].text in (",", ";", ":", "(")  # "..., A Turner"
    return (
        INITIAL.fullmatch(initial.text) is not None
        and surname.is_title
        and (listed or not initial.is_sent_start and initial.text not in ("A", "I"))
        and not (surname.i + 1 < len(doc) and lexicons.is_legal_form(doc[surname.i + 1].text))
    )


US_PREFIXES = ("US", "U.S.", "United States")


def _extends_orgs(span: Span, clash: list[Span]) -> bool:
    """A model ORG that continues a rule ORG from its first word ("Capita" -> "Capita Business Services"), or
    begins one that ends in the same legal form ("Union Coop" -> "Savings Banks' Union Coop"), that a context
    cue found ("T-Mobile USA" for "Mobile USA, the company's American business"), that names a body of a
    place ("Federal Court of Australia" for "Court of Australia") or that is a US agency with its country
    ("US Secret Service")."""
    first = min(clash, key=lambda s: s.start)
    same_end = (
        len(clash) == 1
        and first.end == span.end
        and "\n" not in span.text
        and (
            lexicons.is_legal_form(span[-1].text)
            or first.id_.startswith("org_cue")
            or first.id_.startswith("org_department_for")  # "Superior Court" before "Court of Québec",
            # "National" before "Institute of Standards and Technology"
            or first.id_.startswith("gazetteer")
            and span.doc[span.start : first.start].text in US_PREFIXES
        )
    )
    return (
        all(c.label_ == "ORG" and span.start <= c.start and c.end <= span.end for c in clash)
        and (first.start == span.start or same_end)
        and not _joins_two(clash)
        and len(span) > sum(len(c) for c in clash)
    )


def _joins_two(clash: list[Span]) -> bool:
    """Rule names joined by "and" ("Hella" and "Automotive Lighting" of "fined Hella and Automotive
    Lighting"): two names, which a model span over both does not make one."""
    spans = sorted(clash, key=lambda s: s.start)
    doc = spans[0].doc
    return any(b.start == a.end + 1 and doc[a.end].lower_ in ("and", "&") for a, b in zip(spans, spans[1:]))


def split_range(span: Span, financial_years: bool = False) -> list[tuple[Span, Span | None]]:
    """[(span, None)], or the two ends of a range, each with the other. In an article about
    ``financial_years`` (budgets, fiscal years), "2018-19" is one year written across two, not a range."""
    if span.label_ not in labels.VALUE_LABELS - {"DURATION"} or span.id_.endswith("_cents"):
        return [(span, None)]
    if span.id_ == "date_month_list":
        return _month_list(span)
    for i, token in enumerate(span[1:-1], 1):
        left, right = span[:i], span[i + 1 :]
        if (
            token.lower_ in RANGE_WORDS
            and _has_number(left)
            and _has_number(right)
            and not _compound_number(left[-1], token)
        ):
            if span.label_ == "DATE" and not (
                _is_year(left)
                and token.text != "/"
                and (_is_year(right) or re.fullmatch(r"\d\d", right.text))
            ):
                continue
            if span.label_ == "DATE" and financial_years and _next_year(left.text, right.text):
                break
            return [(left, right), (right, left)]
    return [(span, None)]


def _month_list(span: Span) -> list[tuple[Span, Span | None]]:
    """ "May, June and July 2020", "February to December 2022": each month, the last with the year they share,
    the others with the last as partner (TimeML: every month of the list is a date of that year); the months
    of one quarter are that quarter ("July to September 2018", 2018-Q3)."""
    months = [i for i, token in enumerate(span) if token.lower_ in lexicons.mapping("months")]
    if _a_quarter(span, months):
        return [(span, None)]
    last = span[months[-1] :]
    return [(span[i : i + 1], last) for i in months[:-1]] + [(last, None)]


def _a_quarter(span: Span, months: list[int]) -> bool:
    """ "July to September 2018", "January to June 2020": a range from the first month of a calendar quarter
    or half to its last."""
    numbers, joiners = lexicons.mapping("months"), ("-", "–", "—", "to", "through", "until", "till")
    if len(months) != 2 or span[months[0] + 1].lower_ not in joiners:
        return False
    first, last = int(numbers[span[months[0]].lower_]), int(numbers[span[months[1]].lower_])
    return first % 3 == 1 and last == first + 2 or first % 6 == 1 and last == first + 5


def _next_year(first: str, second: str) -> bool:
    """ "2018" then "19" or "2019": the year after, as a financial year spanning two is written."""
    return int(second) == (int(first) + 1) % 10 ** len(second)


def _compound_number(before, joiner) -> bool:
    """ "twenty-two": a hyphen with no space between two number words joins one number, not a range; so does
    "and" after a hundred or more, before a number word ("one hundred and twenty")."""
    if joiner.lower_ == "and":
        after = list(takewhile(_number_word, joiner.doc[joiner.i + 1 :]))
        return _number_value(before) >= 100 and bool(after) and all(_number_value(t) < 100 for t in after)
    return (
        joiner.text == "-"
        and before.is_alpha
        and joiner.nbor(1).is_alpha
        and not before.whitespace_
        and not joiner.whitespace_
    )


def _has_number(span: Span) -> bool:
    """A number other than a scale word: "£1.6-billion" is one amount, not a range."""
    return any(t.like_num and t.lower_ not in lexicons.mapping("scales") for t in span)


def _is_year(span: Span) -> bool:
    return bool(re.fullmatch(r"(1[89]|2[01])\d\d", span.text))


def is_rate(span: Span) -> bool:
    """ "a year" after an amount ("£5m a year", "twice a day") or a count of things ("four flights a week",
    "700 seats a week") is a rate, not a duration."""
    if span.label_ != "DURATION" or span[0].lower_ not in ("a", "an", "per") or span.start == 0:
        return False
    before = span.doc[span.start - 1]
    return (
        before.like_num
        or before.lower_ in ("once", "twice", "times", "per", "each", "every")
        or before.lower_ in lexicons.mapping("scales")
        or before.is_currency
        or _counted_things(span)
    )


def _counted_things(span: Span) -> bool:
    """A plural word with a number just before it ("four flights", "700 seats") ends before ``span``, and
    ``span`` is not what is given ("300 workers a week off")."""
    doc = span.doc
    before = doc[span.start - 1]
    if not (before.is_lower and before.is_alpha and before.lower_.endswith("s")):
        return False
    if span.end < len(doc) and doc[span.end].lower_ == "off":
        return False
    return any(t.like_num for t in doc[max(0, span.start - 4) : span.start - 1])


def sentence_window(text: str, start: int, end: int, at: int) -> str:
    """text[start:end], the sentence around offset ``at``; a run-on "sentence" is cut to a window around
    it."""
    if end - start > MAX_SENTENCE:
        start = max(start, at - MAX_SENTENCE // 2)
    return text[start : min(end, start + MAX_SENTENCE)]


# What a mention carries besides its label: its source, its sentence, the other end of its range, its own
# character offsets when its span had to be widened to whole tokens, its normalised string and the columns of
# its label's table.
SPAN_COLUMNS = ("source", "sentence", "partner", "bounds", "normalized") + tuple(
    dict.fromkeys(name for label in labels.LABELS for name in label.column_names)
)
for _column in SPAN_COLUMNS:
    Span.set_extension(_column, default=None, force=True)


Doc.set_extension("article_text", default=None, force=True)


def article_text(doc: Doc) -> str:
    """The text of an article's Doc, kept in ``doc._.article_text`` for the stages that read it (``doc.text``
    joins the tokens anew on each call)."""
    if doc._.article_text is None:
        doc._.article_text = doc.text
    return doc._.article_text


def set_mentions(doc: Doc, spans: list[Span]) -> None:
    """Make ``spans`` (in text order) the Doc's mentions: ``doc.spans["mentions"]`` and, without overlaps,
    ``doc.ents``."""
    doc.spans[MENTIONS_KEY] = spans
    doc.ents = filter_spans(spans)


@Language.component("contract_mentions")
def select_mentions(doc: Doc) -> Doc:
    """The mentions of a Doc, each with its source, sentence and range partner."""
    mentions, text = [], doc.text
    sentences = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    sentence_starts = [s.start for s in sentences]
    financial_years = bool(FINANCIAL_YEARS.search(text))
    for span in (s for s in select_spans(doc) if not is_rate(s)):
        source = "model" if span.id_ == "model" else f"rule:{span.id_}"
        sentence = sentences[bisect.bisect_right(sentence_starts, span.start) - 1]
        sentence = sentence_window(text, sentence.start_char, sentence.end_char, span.start_char)
        for part, other in split_range(span, financial_years):
            mention = Span(doc, part.start, part.end, label=span.label_)
            mention._.source, mention._.sentence = source, sentence
            mention._.partner = other.text if other is not None else None
            mentions.append(mention)
    doc.spans[MODEL_NAMES_KEY] = [e for e in doc.ents if e.label_ in NAME_LABELS]
    titles = [s for s in doc.spans.get(SPANS_KEY, []) if s.id_ == "org_work_title"]
    doc.spans[WORKS_KEY] = filter_spans(titles)
    set_mentions(doc, mentions)
    return doc
