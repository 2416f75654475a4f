"""The whole extraction as a spaCy pipeline: ``load_nlp()`` adds the ``contract_mentions`` component, which
gives each Doc its final mentions as ``doc.ents`` (and ``doc.spans["mentions"]``), each with its normalised
columns as extension attributes: ``span._.amount``, ``span._.currency``, ``span._.value``, ``span._.iso``...

The component runs the same article stage as ``extract`` (``extract.mention_rows``: mention selection,
organisations, one normaliser per label), on the Doc as one article; ``doc._.rows`` holds the table rows.
Set ``doc._.reference_date`` before the component runs (``nlp.make_doc`` then ``nlp(doc)``) to resolve
relative dates; else the article's dateline is used.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline import extract, schema
from pipeline.articles import Article
from pipeline.mentions import find_mentions
from pipeline.normalize import convert

MENTIONS_KEY = "mentions"
COLUMNS = sorted({name for table in schema.LABEL_TABLE.values() for name in schema.columns(table)}
                 - {"article_id", "mention_id", "text"} | {"source", "normalized", "sentence"})

Doc.set_extension("reference_date", default=None, force=True)
Doc.set_extension("rows", default=None, force=True)
for _column in COLUMNS:
    Span.set_extension(_column, default=None, force=True)


@Language.factory("contract_mentions", default_config={"convert_to": convert.DEFAULT_TARGET})
def make_contract_mentions(nlp: Language, name: str, convert_to: str) -> ContractMentions:
    return ContractMentions(convert_to)


class ContractMentions:
    """Final mentions, normalised, from the rule spans and the model's entities of a Doc; money also in
    ``convert_to``."""

    def __init__(self, convert_to: str):
        self.convert_to = convert_to

    def __call__(self, doc: Doc) -> Doc:
        sentences = [(s.start_char, s.end_char) for s in doc.sents] if doc.has_annotation("SENT_START") else []
        article = Article("doc", "<doc>", text=doc.text)
        reference, _ = extract.reference_for(article, doc._.reference_date, "flag")
        rows = extract.mention_rows(article, find_mentions(doc), sentences, reference, self.convert_to)
        doc._.rows = rows
        typed = {r["mention_id"]: r for table in schema.LABEL_TABLE.values() for r in rows[table]}
        spans = [self.span(doc, row, typed[row["mention_id"]]) for row in rows["mentions"]]
        doc.spans[MENTIONS_KEY] = spans
        doc.ents = filter_spans(spans)
        return doc

    @staticmethod
    def span(doc: Doc, row: dict, typed: dict) -> Span:
        """The mention's span (widened to whole tokens where a name ends inside one), with the columns of its
        ``mentions`` row and of its typed table's row."""
        span = doc.char_span(row["start"], row["end"], label=row["label"], alignment_mode="expand")
        for column, value in typed.items():
            if column in COLUMNS:
                span._.set(column, value)
        for column in ("source", "normalized", "sentence"):
            span._.set(column, row[column])
        return span


def load_nlp(model: str | None = None, rules: tuple[str, ...] = ()) -> Language:
    """The extraction pipeline: the model (or ``model``), our rules (plus the pattern files ``rules``) and the
    ``contract_mentions`` component; ``nlp(text).ents`` are the final, normalised mentions."""
    from pipeline.nlp import build

    nlp = build(model, tuple(rules))
    nlp.add_pipe("contract_mentions", last=True)
    return nlp

