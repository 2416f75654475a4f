"""Articles in, table rows out: run the spaCy pipeline, choose mentions, normalise them per label."""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from spacy.language import Language

from pipeline.articles import Article
from pipeline.mentions import Mention, find_mentions
from pipeline.normalize import dates, duration, money, orgs, percent

BEFORE = 40  # characters before a value in which its qualifier is looked for


@dataclass
class Context:
    """What one article tells us about reading its values."""
    reference: date | None
    day_first: bool
    currency: str | None


def pieces(text: str, limit: int) -> list[tuple[int, str]]:
    """The text cut into (offset, piece) of at most ``limit`` characters, on paragraph breaks where possible."""
    out, start = [], 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        cut = cut + 1 if cut > limit // 2 else limit
        out.append((start, text[start:start + cut]))
        start += cut
    out.append((start, text[start:]))
    return out


def reference_for(article: Article, given: date | None, given_source: str) -> tuple[date | None, str]:
    """The article's reference date and where it came from: manifest or flag, else its dateline."""
    if given is not None:
        return given, given_source
    found = dates.find_dateline(article.text)
    return (found, "dateline") if found else (None, "none")


def process(nlp: Language, batch: list[tuple[Article, date | None, str]], limit: int) -> list[dict[str, list[dict]]]:
    """Rows for each article of a batch: {table: rows}. Articles that could not be read get only their row."""
    jobs = [(i, offset, piece) for i, (a, _, _) in enumerate(batch) if a.status == "ok"
            for offset, piece in pieces(a.text, limit)]
    found: dict[int, list[Mention]] = {i: [] for i in range(len(batch))}
    sentences: dict[int, list[tuple[int, int]]] = {i: [] for i in range(len(batch))}
    docs = nlp.pipe((piece for _, _, piece in jobs), batch_size=64)
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


def mention_rows(article: Article, found: list[Mention], sentences: list[tuple[int, int]],
                 reference: date | None) -> dict[str, list[dict]]:
    """The mentions table, one typed table per label and the organisation summary, for one article."""
    text = article.text
    found = propagate_orgs(text, found, sentences)
    explicit = [money.currency_in(text[m.start:m.end]) for m in found if m.label == "MONEY"]
    context = Context(reference, dates.day_first_evidence(text), money.article_currency(explicit, text))
    org_mentions = [m for m in found if m.label == "ORG"]
    resolved = dict(zip(map(id, org_mentions), orgs.resolve(text, [(m.start, m.end) for m in org_mentions])))
    found = [m for m in found if m.label != "ORG" or resolved[id(m)]]
    tables: dict[str, list[dict]] = {t: [] for t in ("mentions", "organisations", "money", "percentages",
                                                      "durations", "dates", "organisation_summary")}
    for mention_id, m in enumerate(found):
        key = {"article_id": article.article_id, "mention_id": mention_id}
        span_text = text[m.start:m.end]
        if m.label == "ORG":
            name, canonical = resolved[id(m)]
            table, values, normalized = "organisations", {"name": name, "canonical": canonical}, canonical
        else:
            table, values, normalized = normalise(m, span_text, text[max(0, m.start - BEFORE):m.start], context)
        tables[table].append({**key, "text": span_text, **values})
        tables["mentions"].append({**key, "label": m.label, "text": span_text, "start": m.start, "end": m.end,
                                   "sentence": m.sentence, "source": m.source, "normalized": normalized})
    tables["organisation_summary"] = summary(article.article_id, tables["mentions"])
    return tables


def normalise(m: Mention, span_text: str, before: str, context: Context) -> tuple[str, dict, str | None]:
    """(table, normalised columns, normalised string) of one value mention."""
    if m.label == "MONEY":
        value = money.normalize_money(span_text, before, m.partner, context.currency)
        return "money", {"amount": value.amount, "currency": value.currency,
                         "currency_inferred": value.currency_inferred, "qualifier": value.qualifier}, value.normalized
    if m.label == "PERCENT":
        value = percent.normalize_percent(span_text, before, m.partner)
        return "percentages", {"value": value.value, "qualifier": value.qualifier}, value.normalized
    if m.label == "DURATION":
        value = duration.normalize_duration(span_text, before)
        return "durations", {"iso": value.iso, "value": value.value, "unit": value.unit,
                             "qualifier": value.qualifier}, value.normalized
    value = dates.parse_date(span_text, context.reference, context.day_first, m.partner)
    return "dates", value._asdict(), value.value


def propagate_orgs(text: str, found: list[Mention], sentences: list[tuple[int, int]]) -> list[Mention]:
    """Every other whole-word occurrence of an organisation's name is that organisation too."""
    spans = [(m.start, m.end) for m in found if m.label == "ORG"]
    names = {text[s:e] for (s, e), r in zip(spans, orgs.resolve(text, spans)) if r and r[0] == orgs.clean_name(text[s:e])}
    taken = sorted((m.start, m.end) for m in found)
    starts = [s for s, _ in sentences]
    added = []
    for name in sorted(names, key=len, reverse=True):
        for match in re.finditer(rf"(?<![\w&-]){re.escape(name)}(?![\w&-])", text):
            s, e = match.span()
            if _free(taken, s, e):
                k = bisect.bisect_right(starts, s) - 1
                sentence = text[sentences[k][0]:sentences[k][1]] if k >= 0 else name
                added.append(Mention("ORG", s, e, "propagated", sentence))
                bisect.insort(taken, (s, e))
    return sorted(found + added, key=lambda m: m.start)


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    k = bisect.bisect_left(taken, (start, start))
    return all(not (s < end and start < e) for s, e in taken[max(0, k - 1):k + 1])


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
