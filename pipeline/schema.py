"""The output tables (SPEC section 3): their columns and final Arrow types, in one place. Calendar dates are
``date32``, codes with few distinct values ``dictionary`` (pandas loads them as categoricals), numbers and
booleans nullable; rows give dates as ISO strings (or ``date``), converted in ``to_arrow``."""

from __future__ import annotations

from datetime import date

import pyarrow as pa

from pipeline.labels import CODE, DATE, LABELS

KEY = [("article_id", pa.string()), ("mention_id", pa.int64())]
# Typed tables repeat the mention text so that each loads and reads on its own.
TYPED_KEY = KEY + [("text", pa.string())]

TABLES: dict[str, list[tuple[str, pa.DataType]]] = {
    "articles": [
        ("article_id", pa.string()),
        ("path", pa.string()),
        ("format", CODE),
        ("sha256", pa.string()),
        ("title", pa.string()),
        ("reference_date", DATE),
        ("reference_date_source", CODE),
        ("n_chars", pa.int64()),
        ("encoding", CODE),
        ("status", CODE),
        ("error", pa.string()),
    ],
    # one row per ok article: the text its offsets are into (for a web page, the text taken from it)
    "texts": [("article_id", pa.string()), ("text", pa.string())],
    "mentions": KEY
    + [
        ("label", CODE),
        ("text", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("sentence", pa.string()),
        ("source", CODE),
        ("normalized", pa.string()),
    ],
    # one typed table per label (``labels.LABELS``)
    **{label.table: TYPED_KEY + list(label.columns) for label in LABELS},
    "organisation_summary": [
        ("article_id", pa.string()),
        ("canonical", pa.string()),
        ("mentions", pa.int64()),
        ("first_start", pa.int64()),
    ],
    # one row per organisation across the run (filled when every article is done): its names joined by " | "
    "entities": [
        ("entity", pa.string()),
        ("names", pa.string()),
        ("articles", pa.int64()),
        ("mentions", pa.int64()),
    ],
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
    """Rows (dicts) as an Arrow table with exactly the table's columns and types; a date may be given as its
    ISO string."""
    names = columns(table)
    dates = [name for name, kind in TABLES[table] if kind == DATE]
    records = [{n: row.get(n) for n in names} for row in rows]
    for record in records:
        for name in dates:
            if isinstance(record[name], str):
                record[name] = date.fromisoformat(record[name])
    return pa.Table.from_pylist(records, schema=arrow_schema(table))
