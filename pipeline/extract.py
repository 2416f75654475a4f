"""Articles in, table rows out: run the spaCy pipeline, choose mentions, normalise them per label."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from datetime import date
from typing import Iterable, Iterator

from spacy.language import Language

from pipeline import organisations
from pipeline.articles import Article
from pipeline.mentions import Mention, find_mentions
from pipeline.normalize import dates, duration, money, percent

BEFORE = 60  # characters around a value in which its qualifier and tense are looked for
BATCH_CHARS = 30_000  # characters the model reads at once: bigger batches run faster, memory grows with them
LONG_RUN = re.compile(r"\S{200,}")  # no word, number or name is this long; the tokenizer is quadratic on it


@dataclass
class Context:
    """What one article tells us about reading its values (each worked out once, when first needed)."""
    text: str
    reference: date | None
    explicit_currencies: list[str | None]

    @cached_property
    def day_first(self) -> bool:
        return dates.day_first_evidence(self.text)

    @cached_property
    def currency(self) -> str | None:
        return money.article_currency(self.explicit_currencies, self.text)


def pieces(text: str, limit: int) -> list[tuple[int, str]]:
    r"""The text cut into (offset, piece) of at most ``limit`` characters: on a paragraph break where there is
    one in the second half of the window, else a line break, a sentence end or a space.

    >>> pieces("one two.\n\nthree four", 12)
    [(0, 'one two.\n\n'), (10, 'three four')]
    """
    out, start = [], 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cuts = (window.rfind(sep, limit // 2) for sep in ("\n\n", "\n", ". ", " "))
        cut = next((c + 1 for c in cuts if c >= 0), limit)
        cut += window[cut:cut + 1] == "\n"
        out.append((start, text[start:start + cut]))
        start += cut
    out.append((start, text[start:]))
    return out


def readable(text: str) -> str:
    """The text the model reads: runs of 200 or more characters without a space (encoded data, symbol
    runs) become spaces of the same length, so offsets stay exact and the tokenizer stays linear.

    >>> readable("a " + "$" * 300 + " b").split()
    ['a', 'b']
    """
    return LONG_RUN.sub(lambda run: " " * len(run.group()), text)


def batched_by_size(jobs: list[tuple[int, int, str]]) -> Iterator[list[tuple[int, int, str]]]:
    """Consecutive jobs grouped so that each group holds about ``BATCH_CHARS`` characters of text."""
    group, size = [], 0
    for job in jobs:
        if group and size + len(job[2]) > BATCH_CHARS:
            yield group
            group, size = [], 0
        group.append(job)
        size += len(job[2])
    if group:
        yield group


def reference_for(article: Article, given: date | None, given_source: str) -> tuple[date | None, str]:
    """The article's reference date and where it came from: manifest or flag, else its dateline."""
    if given is not None:
        return given, given_source
    found = dates.find_dateline(article.text)
    return (found, "dateline") if found else (None, "none")


def process(nlp: Language, batch: list[tuple[Article, date | None, str]], limit: int) -> list[dict[str, list[dict]]]:
    """Rows for each article of a batch: {table: rows}. Articles that could not be read get only their row."""
    jobs = [(i, offset, piece) for i, (a, _, _) in enumerate(batch) if a.status == "ok"
            for offset, piece in pieces(readable(a.text), limit)]
    found: dict[int, list[Mention]] = {i: [] for i in range(len(batch))}
    sentences: dict[int, list[tuple[int, int]]] = {i: [] for i in range(len(batch))}
    docs = (doc for group in batched_by_size(jobs) for doc in nlp.pipe([p for _, _, p in group],
                                                                        batch_size=len(group)))
    for (i, offset, _), doc in zip(jobs, docs):
        found[i] += find_mentions(doc, offset)
        if doc.has_annotation("SENT_START"):
            sentences[i] += [(offset + s.start_char, offset + s.end_char) for s in doc.sents]
    results = []
    for i, (article, given, source) in enumerate(batch):
        reference, ref_source = reference_for(article, given, source) if article.status == "ok" else (given, source)
        rows = {"articles": [article_row(article, reference, ref_source)]}
        if article.status == "ok":
            rows.update(mention_rows(article, found[i], sentences[i], reference))
        results.append(rows)
    return results


def article_row(article: Article, reference: date | None, source: str) -> dict:
    return {"article_id": article.article_id, "path": article.path, "sha256": article.sha256,
            "title": article.title, "reference_date": reference.isoformat() if reference else None,
            "reference_date_source": source if reference else "none", "n_chars": len(article.text),
            "encoding": article.encoding, "status": article.status, "error": article.error}


def error_rows(article: Article, reference: date | None, source: str, why: str) -> dict[str, list[dict]]:
    """The rows of an article that failed: its ``articles`` row, status error, saying why."""
    article.status, article.error = "error", why
    return {"articles": [article_row(article, reference, source)]}


def mention_rows(article: Article, found: list[Mention], sentences: list[tuple[int, int]],
                 reference: date | None) -> dict[str, list[dict]]:
    """The mentions table, one typed table per label and the organisation summary, for one article."""
    text = article.text
    stage = organisations.resolve_article(text, found, sentences)
    explicit = [money.currency_in(text[m.start:m.end]) for m in stage.mentions if m.label == "MONEY"]
    context = Context(text, reference, explicit)
    tables: dict[str, list[dict]] = {t: [] for t in ("mentions", "organisations", "money", "percentages",
                                                      "durations", "dates", "organisation_summary")}
    for mention_id, (m, table, values, normalized) in enumerate(_normalised(text, stage, context)):
        key = {"article_id": article.article_id, "mention_id": mention_id}
        span_text = text[m.start:m.end]
        tables[table].append({**key, "text": span_text, **values})
        tables["mentions"].append({**key, "label": m.label, "text": span_text, "start": m.start, "end": m.end,
                                   "sentence": m.sentence, "source": m.source, "normalized": normalized})
    tables["organisation_summary"] = summary(article.article_id, tables["mentions"])
    return tables


def _normalised(text: str, stage: organisations.Organisations, context: Context) -> Iterator[tuple]:
    """(mention, table, normalised columns, normalised string) for the mentions kept: not money without an
    amount ("multi-million-pound")."""
    for m in stage.mentions:
        if m.label == "ORG":
            name, canonical = stage.names[m.start]
            yield m, "organisations", {"name": name, "canonical": canonical}, canonical
            continue
        table, values, normalized = normalise(m, text[m.start:m.end], text[max(0, m.start - BEFORE):m.start],
                                              text[m.end:m.end + BEFORE], context)
        if table != "money" or values["amount"] is not None:
            yield m, table, values, normalized


def normalise(m: Mention, span_text: str, before: str, after: str,
              context: Context) -> tuple[str, dict, str | None]:
    """(table, normalised columns, normalised string) of one value mention."""
    if m.label == "MONEY":
        needs_default = money.parse_money(span_text, m.partner)[1] is None
        value = money.normalize_money(span_text, before, m.partner, context.currency if needs_default else None)
        return "money", {"amount": value.amount, "currency": value.currency,
                         "currency_inferred": value.currency_inferred, "qualifier": value.qualifier}, value.normalized
    if m.label == "PERCENT":
        value = percent.normalize_percent(span_text, before, m.partner)
        return "percentages", {"value": value.value, "qualifier": value.qualifier}, value.normalized
    if m.label == "DURATION":
        value = duration.normalize_duration(span_text, before)
        return "durations", {"iso": value.iso, "value": value.value, "unit": value.unit,
                             "qualifier": value.qualifier}, value.normalized
    future = dates.speaks_of_future(before, after)
    value = dates.parse_date(span_text, context.reference, context.day_first, m.partner, future)
    return "dates", value._asdict(), value.value


def summary(article_id: str, mentions: Iterable[dict]) -> list[dict]:
    """One row per canonical organisation: how often it is mentioned and where first."""
    counts: Counter = Counter()
    first: dict[str, int] = {}
    for row in mentions:
        if row["label"] == "ORG":
            counts[row["normalized"]] += 1
            first.setdefault(row["normalized"], row["start"])
    return [{"article_id": article_id, "canonical": c, "mentions": n, "first_start": first[c]}
            for c, n in counts.items()]
