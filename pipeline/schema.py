"""The output tables (SPEC section 3): their columns and types, in one place."""
from __future__ import annotations

import pyarrow as pa

from pipeline.labels import LABELS

KEY = [("article_id", pa.string()), ("mention_id", pa.int64())]
# Typed tables repeat the mention text so that each loads and reads on its own.
TYPED_KEY = KEY + [("text", pa.string())]

TABLES: dict[str, list[tuple[str, pa.DataType]]] = {
    "articles": [("article_id", pa.string()), ("path", pa.string()), ("format", pa.string()),
                 ("sha256", pa.string()), ("title", pa.string()), ("reference_date", pa.string()),
                 ("reference_date_source", pa.string()), ("n_chars", pa.int64()), ("encoding", pa.string()),
                 ("status", pa.string()), ("error", pa.string())],
    # one row per ok article: the text its offsets are into (for a web page, the text taken from it)
    "texts": [("article_id", pa.string()), ("text", pa.string())],
    "mentions": KEY + [("label", pa.string()), ("text", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
                       ("sentence", pa.string()), ("source", pa.string()), ("normalized", pa.string())],
    # one typed table per label (``labels.LABELS``)
    **{label.table: TYPED_KEY + list(label.columns) for label in LABELS},
    "organisation_summary": [("article_id", pa.string()), ("canonical", pa.string()), ("mentions", pa.int64()),
                             ("first_start", pa.int64())],
    # one row per organisation across the run (filled when every article is done): its names joined by " | "
    "entities": [("entity", pa.string()), ("names", pa.string()), ("articles", pa.int64()), ("mentions", pa.int64())],
}
NAMES_SEPARATOR = " | "
# Tables whose rows belong to one article each (the others are computed over the whole run).
ARTICLE_TABLES = [t for t in TABLES if t != "entities"]

# The typed table each label's normalised columns go to.
LABEL_TABLE = {label.name: label.table for label in LABELS}


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([pa.field(name, kind) for name, kind in TABLES[table]])


def columns(table: str) -> list[str]:
    return [name for name, _ in TABLES[table]]


def to_arrow(table: str, rows: list[dict]) -> pa.Table:
    """Rows (dicts) as an Arrow table with exactly the table's columns and types."""
    names = columns(table)
    return pa.Table.from_pylist([{n: row.get(n) for n in names} for row in rows], schema=arrow_schema(table))
