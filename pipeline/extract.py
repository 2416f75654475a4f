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
from pipeline.normalize import convert, dates, duration, money, percent

BEFORE = 60  # characters around a value in which its qualifier and tense are looked for
BATCH_CHARS = 30_000  # characters the model reads at once: bigger batches run faster, memory grows with them
LONG_RUN = re.compile(r"\S{200,}")  # no word, number or name is this long; the tokenizer is quadratic on it


@dataclass
class Context:
    """What one article tells us about reading its values (each worked out once, when first needed)."""
    text: str
    reference: date | None
    money_spans: list[str]
    story: dates.Story = dates.Story()  # what the article said before the date being read

    @cached_property
    def day_first(self) -> bool:
        return dates.day_first_evidence(self.text)

    @cached_property
    def fiscal_end(self) -> tuple[int, int] | None:
        return dates.fiscal_year_end(self.text)

    @cached_property
    def currency_evidence(self) -> money.Evidence:
        return money.article_evidence(self.text, self.money_spans)

    @cached_property
    def currency(self) -> str | None:
        forms = (money.currency_form(span) for span in self.money_spans)
        explicit = [money.resolve(f, self.currency_evidence) for f in forms if f]
        return money.article_currency(explicit, self.text)


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
    """The article's reference date and where it came from: manifest or flag, else a web page's metadata, else
    its dateline."""
    if given is not None:
        return given, given_source
    if article.published is not None:
        return article.published, "html_meta"
    found = dates.find_dateline(article.text)
    return (found, "dateline") if found else (None, "none")


def process(nlp: Language, batch: list[tuple[Article, date | None, str]], limit: int,
            convert_to: str = convert.DEFAULT_TARGET) -> list[dict[str, list[dict]]]:
    """Rows for each article of a batch: {table: rows}, amounts converted to ``convert_to``. Articles that
    could not be read get only their row."""
    jobs = [(i, offset, piece) for i, (a, _, _) in enumerate(batch) if a.status == "ok"
            for offset, piece in pieces(readable(a.text), limit)]
    found = find_in_pieces(nlp, jobs)
    return [finish(article, given, source, *found.get(i, ([], [])), convert_to)
            for i, (article, given, source) in enumerate(batch)]


def find_in_pieces(nlp: Language, jobs: list[tuple[int, int, str]]) -> dict[int, tuple[list, list]]:
    """{key: (mentions, sentence bounds)} found by the pipeline in pieces (key, offset, text) of texts."""
    found: dict[int, tuple[list[Mention], list[tuple[int, int]]]] = {}
    docs = (doc for group in batched_by_size(jobs) for doc in nlp.pipe([p for _, _, p in group],
                                                                        batch_size=len(group)))
    for (key, offset, _), doc in zip(jobs, docs):
        mentions, sentences = found.setdefault(key, ([], []))
        mentions += find_mentions(doc, offset)
        if doc.has_annotation("SENT_START"):
            sentences += [(offset + s.start_char, offset + s.end_char) for s in doc.sents]
    return found


def finish(article: Article, given: date | None, source: str, found: list[Mention],
           sentences: list[tuple[int, int]],
           convert_to: str = convert.DEFAULT_TARGET) -> dict[str, list[dict]]:
    """An article's rows from the mentions and sentences found in it."""
    reference, ref_source = reference_for(article, given, source) if article.status == "ok" else (given, source)
    rows = {"articles": [article_row(article, reference, ref_source)]}
    if article.status == "ok":
        rows["texts"] = [{"article_id": article.article_id, "text": article.text}]
        rows.update(mention_rows(article, found, sentences, reference, convert_to))
    return rows


def parts(article: Article, limit: int, size: int) -> list[list[tuple[int, int, str]]]:
    """A long article's pieces in consecutive parts of about ``size`` characters, to be read in parallel."""
    out: list[list[tuple[int, int, str]]] = [[]]
    for offset, piece in pieces(readable(article.text), limit):
        if out[-1] and sum(len(p) for _, _, p in out[-1]) + len(piece) > size:
            out.append([])
        out[-1].append((0, offset, piece))
    return out


def article_row(article: Article, reference: date | None, source: str) -> dict:
    return {"article_id": article.article_id, "path": article.path, "format": article.format,
            "sha256": article.sha256, "title": article.title,
            "reference_date": reference.isoformat() if reference else None,
            "reference_date_source": source if reference else "none", "n_chars": len(article.text),
            "encoding": article.encoding, "status": article.status, "error": article.error}


def error_rows(article: Article, reference: date | None, source: str, why: str) -> dict[str, list[dict]]:
    """The rows of an article that failed: its ``articles`` row, status error, saying why."""
    article.status, article.error = "error", why
    return {"articles": [article_row(article, reference, source)]}


def mention_rows(article: Article, found: list[Mention], sentences: list[tuple[int, int]],
                 reference: date | None, convert_to: str) -> dict[str, list[dict]]:
    """The mentions table, one typed table per label and the organisation summary, for one article."""
    text = article.text
    stage = organisations.resolve_article(text, found, sentences)
    context = Context(text, reference, [text[m.start:m.end] for m in stage.mentions if m.label == "MONEY"])
    tables: dict[str, list[dict]] = {t: [] for t in ("mentions", "organisations", "money", "percentages",
                                                      "durations", "dates", "organisation_summary")}
    for mention_id, (m, table, values, normalized) in enumerate(_normalised(text, stage, context)):
        key = {"article_id": article.article_id, "mention_id": mention_id}
        span_text = text[m.start:m.end]
        tables[table].append({**key, "text": span_text, **values})
        tables["mentions"].append({**key, "label": m.label, "text": span_text, "start": m.start, "end": m.end,
                                   "sentence": m.sentence, "source": m.source, "normalized": normalized})
    mark_restated(text, tables["money"], tables["mentions"])
    convert.convert_rows(tables["money"], reference, convert_to)
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
        default = context.currency if needs_default else None
        value = money.normalize_money(span_text, before, m.partner, default, context.currency_evidence)
        return "money", {"amount": value.amount, "currency": value.currency,
                         "currency_inferred": value.currency_inferred, "qualifier": value.qualifier}, value.normalized
    if m.label == "PERCENT":
        value = percent.normalize_percent(span_text, before, m.partner)
        return "percentages", {"value": value.value, "qualifier": value.qualifier}, value.normalized
    if m.label == "DURATION":
        value = duration.normalize_duration(span_text, before)
        return "durations", {"iso": value.iso, "value": value.value, "unit": value.unit,
                             "qualifier": value.qualifier}, value.normalized
    future = dates.tense(before, after)
    value = dates.parse_date(span_text, context.reference, context.day_first, m.partner, future, context.fiscal_end,
                             context.story)
    context.story = context.story.after(span_text, value)
    return "dates", value._asdict(), value.value


RESTATED = re.compile(
    r"\s*[(\[]\s*(?:(?:about|around|roughly|some|approximately|approx\.|nearly|or|c\.)\s+)?$",
    re.I)  # "€300m (about $340m"
RESTATED_AGAIN = re.compile(r"\s*[;,/]\s*(?:or\s+)?")  # "£2m ($2.6m; €2.3m)"


def mark_restated(text: str, money_rows: list[dict], mentions: list[dict]) -> None:
    """Set ``restates``: an amount in brackets right after another amount in another currency ("€300 million
    ($340 million)", "£2m ($2.6m; €2.3m)") is that amount stated again, and names its ``mention_id``."""
    where = {row["mention_id"]: (row["start"], row["end"]) for row in mentions if row["label"] == "MONEY"}
    previous = None
    for row in money_rows:
        start, end = where[row["mention_id"]]
        row["restates"] = None
        gap = text[where[previous["mention_id"]][1]:start] if previous else ""
        if previous and previous["currency"] != row["currency"] \
                and (RESTATED.fullmatch(gap)
                     or previous["restates"] is not None and RESTATED_AGAIN.fullmatch(gap)) \
                and re.match(r"\s*[)\],;]", text[end:end + 3]):
            first = previous["restates"]
            row["restates"] = first if first is not None else previous["mention_id"]
        previous = row


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
