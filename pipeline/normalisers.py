"""The normalisation stage: the article's reference date, then one spaCy component per value label
(``labels.LABELS``), each giving its label's mentions the columns of its table as extension attributes
(``span._.amount``, ``span._.iso``, ``span._.start``...) and ``span._.normalized``.

They run on the Doc of a whole article: an amount's currency, a date's day order, fiscal year and reference
date, and an amount stated again in brackets depend on the rest of the article.
"""

from __future__ import annotations

import re
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.labels import BY_NAME
from pipeline.mentions import MENTIONS_KEY, article_text, set_mentions
from pipeline.normalize import convert, dates, duration, money, percent

BEFORE = 60  # characters around a value in which its qualifier and tense are looked for
RESTATED = re.compile(
    r"\s*[(\[]\s*(?:(?:about|around|roughly|some|approximately|approx\.|nearly|or|c\.)\s+)?$", re.I
)  # "€300m (about $340m"
RESTATED_AGAIN = re.compile(r"\s*[;,/]\s*(?:or\s+)?")  # "£2m ($2.6m; €2.3m)"
MONEY_FIELDS = ("amount", "currency", "currency_inferred", "qualifier")  # of ``money.Money``

Doc.set_extension("reference_date", default=None, force=True)


@Language.component("contract_reference_date")
def reference_date(doc: Doc) -> Doc:
    """The date relative dates resolve against and amounts are converted at: ``doc._.reference_date`` as
    given (set it before the pipeline runs: ``nlp.make_doc`` then ``nlp(doc)``), else the article's
    dateline's."""
    if doc._.reference_date is None:
        doc._.reference_date = dates.find_dateline(article_text(doc))
    return doc


@Language.factory("contract_money", default_config={"convert_to": convert.DEFAULT_TARGET})
def make_normalise_money(nlp: Language, name: str, convert_to: str) -> NormaliseMoney:
    return NormaliseMoney(convert.check_target(convert_to))


class NormaliseMoney:
    """Amounts with their currency (what the form means in this article, else the article's currency) and
    qualifier, the amount each states again, and their value in ``convert_to``; a money mention without an
    amount ("multi-million-pound") is no mention."""

    def __init__(self, convert_to: str):
        self.convert_to = convert_to

    def __call__(self, doc: Doc) -> Doc:
        mentions = list(doc.spans[MENTIONS_KEY])
        read = _money_reader(doc, [s for s in mentions if s.label_ == "MONEY"])
        values = {i: read(span) for i, span in enumerate(mentions) if span.label_ == "MONEY"}
        if not values:
            return doc
        kept = [
            (span, values.get(i))
            for i, span in enumerate(mentions)
            if i not in values or values[i].amount is not None
        ]
        set_mentions(doc, [span for span, _ in kept])
        self._set_amounts(doc, [(i, s, value) for i, (s, value) in enumerate(kept) if value is not None])
        return doc

    def _set_amounts(self, doc: Doc, amounts: list[tuple[int, Span, money.Money]]) -> None:
        """Set the columns of each (mention_id, span, value) of an article's amounts."""
        rows = [{name: getattr(value, name) for name in MONEY_FIELDS} for _, _, value in amounts]
        convert.convert_rows(rows, doc._.reference_date, self.convert_to)
        where = [(span.start_char, span.end_char, value.currency) for _, span, value in amounts]
        for (_, span, value), row, first in zip(amounts, rows, restated(article_text(doc), where)):
            row["restates"] = amounts[first][0] if first is not None else None
            _set(span, row, value.normalized)


def _money_reader(doc: Doc, spans: list[Span]):
    """A function giving a money span's ``money.Money``, with what the article tells of its currencies."""
    text = article_text(doc)
    evidence = money.article_evidence(text, [s.text for s in spans]) if spans else None

    @cache
    def article_currency() -> str | None:
        forms = (money.currency_form(s.text) for s in spans)
        return money.article_currency([money.resolve(f, evidence) for f in forms if f], text)

    def read(span: Span) -> money.Money:
        partner = span._.partner
        default = article_currency() if money.parse_money(span.text, partner)[1] is None else None
        return money.normalize_money(span.text, _before(text, span), partner, default, evidence)

    return read


def restated(text: str, amounts: list[tuple[int, int, str | None]]) -> list[int | None]:
    """For each amount (start, end, currency), in text order, the index of the amount it states again, or
    None: an amount in brackets right after another amount in another currency ("€300 million ($340
    million)", "£2m ($2.6m; €2.3m)") is that amount stated again."""
    out: list[int | None] = []
    for k, (start, end, currency) in enumerate(amounts):
        out.append(None)
        if k == 0:
            continue
        _, previous_end, previous_currency = amounts[k - 1]
        gap = text[previous_end:start]
        if (
            previous_currency != currency
            and (RESTATED.fullmatch(gap) or out[k - 1] is not None and RESTATED_AGAIN.fullmatch(gap))
            and re.match(r"\s*[)\],;]", text[end : end + 3])
        ):
            out[k] = out[k - 1] if out[k - 1] is not None else k - 1
    return out


@Language.component("contract_percent")
def normalise_percent(doc: Doc) -> Doc:
    """Percentages: their value and qualifier."""
    text = article_text(doc)
    for span in _spans(doc, "PERCENT"):
        _set_record(span, percent.normalize_percent(span.text, _before(text, span), span._.partner))
    return doc


@Language.component("contract_duration")
def normalise_duration(doc: Doc) -> Doc:
    """Lengths of time: ISO 8601 duration, value and unit, qualifier."""
    text = article_text(doc)
    for span in _spans(doc, "DURATION"):
        _set_record(span, duration.normalize_duration(span.text, _before(text, span)))
    return doc


@Language.component("contract_date")
def normalise_date(doc: Doc) -> Doc:
    """Dates: their value, first and last day and grain, relative ones resolved against the reference date
    (into the future or the past, as the clause's tense says) or, pointing back ("a year earlier", "the
    following year", "the quarter"), against what the article said before them; the article's day order and
    fiscal year read once."""
    spans = _spans(doc, "DATE")
    if spans:
        text = article_text(doc)
        day_first, fiscal_end = dates.day_first_evidence(text), dates.fiscal_year_end(text)
        story, unanchored = dates.Story(), []
        for span in spans:
            before, after = _before(text, span), text[span.end_char : span.end_char + BEFORE]
            value = dates.parse_date(
                span.text,
                doc._.reference_date,
                day_first,
                span._.partner,
                dates.tense(before, after),
                fiscal_end,
                story,
            )
            story = story.after(span.text, value)
            _set_record(span, value)
            if value.value is None and dates.is_period_anaphor(span.text):
                unanchored.append(span)
        if unanchored:  # "the quarter" before any quarter is named is no date
            set_mentions(doc, [s for s in doc.spans[MENTIONS_KEY] if s not in unanchored])
    return doc


def _spans(doc: Doc, label: str) -> list[Span]:
    return [s for s in doc.spans[MENTIONS_KEY] if s.label_ == label]


def _before(text: str, span: Span) -> str:
    """The text before a mention, in which its qualifier ("about", "up to") is looked for."""
    return text[max(0, span.start_char - BEFORE) : span.start_char]


def _set_record(span: Span, record) -> None:
    """Set the columns of the span's label from a value record (``percent.Percent``...), which has them."""
    _set(span, {name: getattr(record, name) for name in BY_NAME[span.label_].column_names}, record.normalized)


def _set(span: Span, columns: dict, normalized: str | None) -> None:
    underscore = span._
    for name, value in columns.items():
        underscore.set(name, value)
    underscore.normalized = normalized
