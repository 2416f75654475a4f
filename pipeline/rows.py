"""The table rows of an article's Doc, once the pipeline has run on it: the ``mentions`` table, one typed
table per label (``labels.LABELS``) and the organisation summary. ``extract``, ``extract_text`` and the Dask
engine all make their rows here."""

from __future__ import annotations

from collections import Counter
from typing import Iterable

from spacy.tokens import Doc

from pipeline.labels import BY_NAME, LABELS
from pipeline.mentions import MENTIONS_KEY, article_text


def doc_rows(doc: Doc, article_id: str) -> dict[str, list[dict]]:
    """{table: rows} of the Doc's mentions (``doc.spans["mentions"]``, in order: a mention's index is its
    ``mention_id``) and their values (``span._``)."""
    tables: dict[str, list[dict]] = {"mentions": [], **{label.table: [] for label in LABELS}}
    text = article_text(doc)
    for mention_id, span in enumerate(doc.spans[MENTIONS_KEY]):
        values, label = span._, BY_NAME[span.label_]
        start, end = values.bounds or (span.start_char, span.end_char)
        key = {"article_id": article_id, "mention_id": mention_id}
        tables[label.table].append(
            {**key, "text": text[start:end], **{name: values.get(name) for name in label.column_names}}
        )
        tables["mentions"].append(
            {
                **key,
                "label": label.name,
                "text": text[start:end],
                "start": start,
                "end": end,
                "sentence": values.sentence,
                "source": values.source,
                "normalized": values.normalized,
            }
        )
    tables["organisation_summary"] = summary(article_id, tables["mentions"])
    return tables


def summary(article_id: str, mentions: Iterable[dict]) -> list[dict]:
    """One row per canonical organisation: how often it is mentioned and where first."""
    counts: Counter = Counter()
    first: dict[str, int] = {}
    for row in mentions:
        if row["label"] == "ORG":
            counts[row["normalized"]] += 1
            first.setdefault(row["normalized"], row["start"])
    return [
        {"article_id": article_id, "canonical": c, "mentions": n, "first_start": first[c]}
        for c, n in counts.items()
    ]
