"""The notebook API: typed tables from a folder or from one string, and the README's example runs as
written."""

import re
import shutil
from datetime import date

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, extract_folder

import pipeline
from pipeline.schema import TABLES, columns


def test_extract_text_gives_every_table_typed():
    tables = pipeline.extract_text(
        "Capita wins £40m Home Office deal. The five-year contract starts next April.",
        reference_date="2011-11-01",
    )
    assert set(tables) == set(TABLES) and all(list(tables[t].columns) == columns(t) for t in TABLES)
    money = tables["money"]
    assert money.amount.tolist() == [40e6] and money.currency.dtype == "category"
    assert str(money.amount.dtype) == "Float64" and str(money.currency_inferred.dtype) == "boolean"
    dates = tables["dates"]
    assert dates.value.tolist() == ["2012-04"] and str(dates.start.dtype).startswith("datetime64")
    assert tables["durations"].iso.tolist() == ["P5Y"]


def test_empty_text_is_an_empty_article():
    tables = pipeline.extract_text("   ")
    assert tables["articles"].status.tolist() == ["empty"] and tables["mentions"].empty


# The output's types (issue 14): calendar dates are date32, codes dictionary-encoded; nothing else is either.
DATE_COLUMNS = {("articles", "reference_date"), ("dates", "start"), ("dates", "end"), ("money", "rate_date")}
CODE_COLUMNS = {
    "label",
    "currency",
    "converted_currency",
    "grain",
    "unit",
    "qualifier",
    "status",
    "reference_date_source",
    "encoding",
    "source",
    "format",
}
LOADED = [  # (table, column, the dtype pipeline.load gives it): as the README's pandas section lists them
    ("articles", "reference_date", "datetime64[ms]"),
    ("dates", "start", "datetime64[ms]"),
    ("dates", "end", "datetime64[ms]"),
    ("money", "rate_date", "datetime64[ms]"),
    ("mentions", "label", "category"),
    ("money", "currency", "category"),
    ("articles", "status", "category"),
    ("money", "amount", "Float64"),
    ("money", "restates", "Int64"),
    ("articles", "n_chars", "Int64"),
    ("money", "currency_inferred", "boolean"),
    ("dates", "relative", "boolean"),
    ("dates", "value", "str"),
    ("mentions", "text", "str"),
]


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds") / "out"
    extract_folder(ROOT / "seeds", out, workers=1)
    return out


def test_load_matches_the_files(seeds_out):
    tables = pipeline.load(seeds_out)
    raw = pd.read_parquet(seeds_out / "money.parquet")
    assert tables["money"].amount.astype(float).tolist() == raw.amount.tolist()


def test_parquet_holds_the_final_types(seeds_out):
    """Plain Arrow and pandas readers get dates and categoricals from the files alone."""
    for table in TABLES:
        found = pq.read_schema(seeds_out / f"{table}.parquet")
        for field in found:
            where = (table, field.name)
            assert pa.types.is_date32(field.type) == (where in DATE_COLUMNS), where
            assert pa.types.is_dictionary(field.type) == (field.name in CODE_COLUMNS), where
    plain = pd.read_parquet(seeds_out / "dates.parquet")
    assert plain.grain.dtype == "category" and plain.start.dropna().map(type).eq(date).all()


@pytest.mark.parametrize("table,column,dtype", LOADED)
def test_load_gives_the_documented_dtypes(seeds_out, table, column, dtype):
    assert str(pipeline.load(seeds_out)[table][column].dtype) == dtype


def test_readme_notebook_example_runs(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text()
    code = re.search(r"### In a notebook\n\n```python\n(.*?)```", readme, re.S).group(1)
    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "seeds", articles)
    (articles / "restated.txt").write_text(
        "Siemens wins €300 million ($340 million) rail deal\n\n"
        "Published: 3 March 2014. Siemens will be paid €300 million "
        "($340 million).\n"
    )
    monkeypatch.chdir(tmp_path)  # the example extracts articles/ into output/
    scope: dict = {}
    exec(code, scope)
    one = scope["one"]
    assert one["money"].amount.tolist() == [40e6] and one["dates"].value.tolist() == ["2012-04"]
    money = pd.read_parquet(tmp_path / "output" / "money.parquet")
    restated = money[money.restates.notna()]
    assert set(restated.article_id) == {"restated"} and set(restated.currency) == {"USD"}
    assert scope["total_usd"] == pytest.approx(money[money.restates.isna()].converted_amount.sum())
    counted_usd = money[money.restates.isna() & (money.currency == "USD")]
    assert scope["by_currency"]["USD"] == counted_usd.amount.sum()
