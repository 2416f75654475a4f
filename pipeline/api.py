"""Python API for notebooks: load an output folder, or run the whole pipeline on one string."""

from __future__ import annotations

import hashlib
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import schema
from pipeline.articles import is_url

# Arrow's numbers and booleans as pandas' nullable dtypes (pd.NA, not NaN or object); dictionary codes load
# as categoricals and date32 as datetime64 by themselves (``frame``): no column is re-typed by name.
NULLABLE = {pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype(), pa.bool_(): pd.BooleanDtype()}


def frame(table: pa.Table) -> pd.DataFrame:
    """A table of ours as a pandas frame: str, Int64, Float64, boolean, category and datetime64[ms]."""
    return table.to_pandas(types_mapper=NULLABLE.get, date_as_object=False)


def load(out_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Every table of an output folder, typed: ``tables = pipeline.load("output"); tables["money"]``; or of an
    output URL that Dask workers wrote (``pipeline.load("s3://bucket/tables")``)."""
    if is_url(out_dir):
        from pipeline import dataset

        return {t: frame(table) for t, table in dataset.read(out_dir).items()}
    out_dir = Path(out_dir)
    return {t: frame(pq.read_table(out_dir / f"{t}.parquet")) for t in schema.TABLES}


@lru_cache(maxsize=2)
def _nlp(model: str | None, convert_to: str):
    from pipeline.nlp import build

    return build(model, (), convert_to)


def extract_text(
    text: str,
    reference_date: date | str | None = None,
    model: str | None = None,
    article_id: str = "text",
    convert_to: str = "USD",
) -> dict[str, pd.DataFrame]:
    """The tables for one string, as ``load`` gives them; relative dates resolve against ``reference_date``
    (else a dateline in the text), amounts are also given in ``convert_to``."""
    from pipeline.articles import Article
    from pipeline.nlp import load_config
    from pipeline.normalize.convert import check_target
    from pipeline.reading import process

    if isinstance(reference_date, str):
        reference_date = date.fromisoformat(reference_date)
    article = Article(article_id, "<text>", hashlib.sha256(text.encode()).hexdigest(), text, "utf-8")
    if not text.strip():
        article.status, article.error = "empty", "no text (empty or only white space)"
    source = "flag" if reference_date else "none"
    piece_chars = int(load_config()["pipeline"]["piece_chars"])
    rows = process(_nlp(model, check_target(convert_to)), [(article, reference_date, source)], piece_chars)[0]
    return {t: frame(schema.to_arrow(t, rows.get(t, []))) for t in schema.TABLES}
