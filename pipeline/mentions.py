"""Choose the mentions of a Doc: rule spans first, then the model's entities, no two overlapping.

Rules beat the model; longer beats shorter; IGNORE rule spans block others and give no mention.
Ranges ("£20-30m", "21%-26%", "2010-2012") become two mentions that know each other's text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span

from pipeline import lexicons
from pipeline.normalize.duration import parse_duration
from pipeline.rules import SPANS_KEY

MODEL_LABELS = {"ORG": "ORG", "MONEY": "MONEY", "PERCENT": "PERCENT", "DATE": "DATE"}
RANGE_WORDS = {"-", "–", "—", "to", "and"}
VALUE_LABELS = {"MONEY", "PERCENT", "DURATION", "DATE"}


@dataclass
class Mention:
    label: str
    start: int          # character offsets into the article text
    end: int
    source: str
    sentence: str
    partner: str | None = None   # the other end of a range


@lru_cache(maxsize=1)
def _trim_words() -> frozenset[str]:
    qualifiers = {w for w in lexicons.mapping("qualifiers") if " " not in w}
    return (lexicons.lowered("trim_words") | lexicons.lowered("money_cues") | lexicons.lowered("money_nouns")
            | frozenset(qualifiers))


def trim(span: Span) -> Span | None:
    """Drop words around the value (prepositions, qualifiers, cue words, punctuation); None if nothing is left."""
    words = _trim_words()
    start, end = span.start, span.end
    doc = span.doc

    def loose(token) -> bool:
        if span.label_ == "ORG":
            return not (token.text[:1].isupper() or token.like_num) or token.lower_ in ("the", "'s", "’s")
        return token.lower_ in words or (token.is_punct and token.text not in "%$£€")
    while start < end and loose(doc[start]):
        start += 1
    while end > start and loose(doc[end - 1]):
        end -= 1
    return Span(doc, start, end, label=span.label_, span_id=span.id_) if end > start else None


SET_WORDS = re.compile(r"^(every|each|per|daily|weekly|monthly|quarterly|annually|yearly|nightly)\b")
VAGUE_WORDS = re.compile(r"\b(several|few|many|some|couple|recent|past|last|next|coming|number of)\b")
DATE_ANCHOR = re.compile(r"\d|\b(today|yesterday|tomorrow|tonight|now|ago|last|next|this|past|previous|earlier|"
                         r"later|current|recent|spring|summer|autumn|fall|winter|jan|feb|mar|apr|may|jun|jul|"
                         r"aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)")


def _model_label(ent: Span) -> str | None:
    """Our label for a model entity, or None: MONEY holding a percentage is PERCENT; a DATE that is a length
    of time is DURATION; DATEs that repeat ("every week") or name no point in time ("a quarter") are dropped."""
    label = MODEL_LABELS.get(ent.label_)
    text = ent.text.lower()
    if label == "MONEY" and re.search(r"%|per ?cent", text):
        return "PERCENT"
    if label != "DATE":
        return label
    if SET_WORDS.match(text):
        return None
    if parse_duration(text)[2] and not re.search(r"\b(ago|this|earlier|later)\b|\d{4}", text):
        return "DURATION" if parse_duration(text)[0] or VAGUE_WORDS.search(text) else None
    if re.fullmatch(r"[\d\s-]+", text) and not re.fullmatch(r"\d{4}", text):  # ages, counts, phone numbers
        return None
    return label if DATE_ANCHOR.search(text) else None


def _overlaps(span: Span, taken: list[Span]) -> list[Span]:
    return [t for t in taken if t.start < span.end and span.start < t.end]


def select_spans(doc: Doc) -> list[Span]:
    """The non-overlapping spans of a Doc, rule spans before model entities, each trimmed."""
    rule_spans = [s for s in (trim(s) for s in doc.spans.get(SPANS_KEY, [])) if s is not None]
    taken: list[Span] = []
    for span in sorted(rule_spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not _overlaps(span, taken):
            taken.append(span)
    for ent in doc.ents:
        label = _model_label(ent)
        span = trim(Span(doc, ent.start, ent.end, label=label, span_id="model")) if label else None
        if span is None:
            continue
        clash = _overlaps(span, taken)
        if not clash:
            taken.append(span)
        elif label == "ORG" and _extends_orgs(span, clash):
            taken = [t for t in taken if t not in clash] + [span]
    return sorted((s for s in taken if s.label_ != "IGNORE"), key=lambda s: s.start)


def _extends_orgs(span: Span, clash: list[Span]) -> bool:
    """A model ORG that continues a rule ORG from its first word ("Capita" -> "Capita Business Services")."""
    first = min(clash, key=lambda s: s.start)
    return all(c.label_ == "ORG" and span.start <= c.start and c.end <= span.end for c in clash) \
        and first.start == span.start and len(span) > sum(len(c) for c in clash)


def split_range(span: Span) -> list[tuple[Span, Span | None]]:
    """[(span, None)], or the two ends of a range, each with the other."""
    if span.label_ not in VALUE_LABELS - {"DURATION"} or span.id_.endswith("_cents"):
        return [(span, None)]
    for i, token in enumerate(span[1:-1], 1):
        left, right = span[:i], span[i + 1:]
        if token.lower_ in RANGE_WORDS and _has_number(left) and _has_number(right):
            if span.label_ == "DATE" and not (_is_year(left) and token.text != "/" and
                                              (_is_year(right) or re.fullmatch(r"\d\d", right.text))):
                continue
            return [(left, right), (right, left)]
    return [(span, None)]


def _has_number(span: Span) -> bool:
    return any(t.like_num for t in span)


def _is_year(span: Span) -> bool:
    return bool(re.fullmatch(r"(1[89]|2[01])\d\d", span.text))


def is_rate(span: Span) -> bool:
    """ "a year" after an amount ("£5m a year", "twice a day") is a rate, not a duration."""
    if span.label_ != "DURATION" or span[0].lower_ not in ("a", "an", "per") or span.start == 0:
        return False
    before = span.doc[span.start - 1]
    return before.like_num or before.lower_ in ("once", "twice", "times", "per", "each", "every") \
        or before.lower_ in lexicons.mapping("scales") or before.is_currency


def find_mentions(doc: Doc, offset: int = 0) -> list[Mention]:
    """The mentions of one Doc; ``offset`` is where the Doc's text starts in the article."""
    mentions = []
    for span in (s for s in select_spans(doc) if not is_rate(s)):
        source = "model" if span.id_ == "model" else f"rule:{span.id_}"
        sentence = span.sent.text if doc.has_annotation("SENT_START") else span.text
        for part, other in split_range(span):
            mentions.append(Mention(span.label_, offset + part.start_char, offset + part.end_char, source,
                                    sentence, other.text if other is not None else None))
    return mentions
