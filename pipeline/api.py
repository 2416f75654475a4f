"""Python API for notebooks: load an output folder, or run the whole pipeline on one string."""
from __future__ import annotations

import hashlib
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from pipeline import schema
from pipeline.articles import is_url

CATEGORIES = {"label", "currency", "converted_currency", "grain", "unit", "qualifier", "status",
              "reference_date_source", "encoding", "source", "format"}
DATES = {("articles", "reference_date"), ("dates", "start"), ("dates", "end"), ("money", "rate_date")}


def typed(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A table with analyst-friendly dtypes: categoricals for labels and codes, nullable floats and booleans,
    datetime64 for calendar dates (a date's ISO ``value`` stays a string: its grain varies)."""
    out = frame.copy()
    for name, kind in schema.TABLES[table]:
        if (table, name) in DATES:
            out[name] = pd.to_datetime(out[name], format="%Y-%m-%d")
        elif name in CATEGORIES:
            out[name] = out[name].astype("category")
        elif str(kind) == "double":
            out[name] = out[name].astype("Float64")
        elif str(kind) == "bool":
            out[name] = out[name].astype("boolean")
        elif str(kind) == "int64":
            out[name] = out[name].astype("Int64")
    return out


def load(out_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Every table of an output folder, typed: ``tables = pipeline.load("output"); tables["money"]``; or of an
    output URL that Dask workers wrote (``pipeline.load("s3://bucket/tables")``)."""
    if is_url(out_dir):
        from pipeline import dataset
        return {t: typed(t, frame) for t, frame in dataset.load(out_dir).items()}
    out_dir = Path(out_dir)
    return {t: typed(t, pd.read_parquet(out_dir / f"{t}.parquet")) for t in schema.TABLES}


@lru_cache(maxsize=2)
def _nlp(model: str | None, convert_to: str):
    from pipeline.nlp import build
    return build(model, (), convert_to)


def extract_text(text: str, reference_date: date | str | None = None, model: str | None = None,
                 article_id: str = "text", convert_to: str = "USD") -> dict[str, pd.DataFrame]:
    """The tables for one string, as ``load`` gives them; relative dates resolve against ``reference_date``
    (else a dateline in the text), amounts are also given in ``convert_to``."""
    from pipeline.articles import Article
    from pipeline.extract import process
    from pipeline.nlp import load_config

    if isinstance(reference_date, str):
        reference_date = date.fromisoformat(reference_date)
    article = Article(article_id, "<text>", hashlib.sha256(text.encode()).hexdigest(), text, "utf-8")
    if not text.strip():
        article.status, article.error = "empty", "no text (empty or only white space)"
    source = "flag" if reference_date else "none"
    piece_chars = int(load_config()["pipeline"]["piece_chars"])
    rows = process(_nlp(model, convert_to), [(article, reference_date, source)], piece_chars)[0]
    return {t: typed(t, schema.to_arrow(t, rows.get(t, [])).to_pandas()) for t in schema.TABLES}
