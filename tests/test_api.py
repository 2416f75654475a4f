"""The notebook API: typed tables from a folder or from one string, and the README's example runs as written."""
import re
import shutil

import pandas as pd
import pytest

import pipeline
from conftest import ROOT
from pipeline.run import extract_folder
from pipeline.schema import TABLES, columns


def test_extract_text_gives_every_table_typed():
    tables = pipeline.extract_text("Capita wins £40m Home Office deal. The five-year contract starts next April.",
                                   reference_date="2011-11-01")
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


def test_load_matches_the_files(tmp_path):
    extract_folder(ROOT / "seeds", tmp_path / "out", workers=1)
    tables = pipeline.load(tmp_path / "out")
    raw = pd.read_parquet(tmp_path / "out" / "money.parquet")
    assert tables["money"].amount.astype(float).tolist() == raw.amount.tolist()
    assert str(tables["mentions"].label.dtype) == "category"


def test_readme_notebook_example_runs(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text()
    code = re.search(r"### In a notebook\n\n```python\n(.*?)```", readme, re.S).group(1)
    articles = tmp_path / "articles"
    shutil.copytree(ROOT / "seeds", articles)
    (articles / "restated.txt").write_text("Siemens wins €300 million ($340 million) rail deal\n\n"
                                           "Published: 3 March 2014. Siemens will be paid €300 million "
                                           "($340 million).\n")
    extract_folder(articles, tmp_path / "output", workers=1)
    monkeypatch.chdir(tmp_path)
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
