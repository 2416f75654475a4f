"""End to end: the CLI on a folder mixing .txt articles and web pages made from the labelled articles."""

import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, extracted, read_tables, run_in_process
from html_pages import page

import pipeline
from pipeline.articles import read_article
from pipeline.writer import OUR_FILES

GOLD = ROOT / "tests" / "gold" / "articles"
PAGES = {  # page: (the gold article it wraps, its layout, the date in its metadata)
    "dod.html": ("dod_20170623_1", 0, "2017-06-23"),
    "juncker.HTM": ("ec_juncker_plan_240bn", 2, "2017-10-26"),
    "nested/deeper/frank.htm": ("govuk_frank_adverts", 1, "2013-01-28"),
    "in_manifest.html": ("govuk_superfast_broadband_three_million", 3, "2015-08-12"),
    "deal.html": ("seed_003_7baf961abf3538a6", 0, None),
}
TXT = {
    "bt.txt": "seed_000_ed3064653d8ac52c",
    "deal.txt": "seed_003_7baf961abf3538a6",
    "txt/dod.txt": "dod_20170623_1",
    "txt/juncker.txt": "ec_juncker_plan_240bn",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Pages and text files side by side (one id shared by deal.txt and deal.html), a manifest giving one
    page a date other than its metadata's and text files their pages' dates, binary junk named .html and a
    page of menus only."""
    folder = tmp_path_factory.mktemp("mixed")
    for name, (source, layout, published) in PAGES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        text = (GOLD / f"{source}.txt").read_text(encoding="utf-8")
        (folder / name).write_text(page(text, published and pd.Timestamp(published).date(), layout))
    for name, source in TXT.items():
        (folder / name).parent.mkdir(exist_ok=True)
        shutil.copy(GOLD / f"{source}.txt", folder / name)
    (folder / "manifest.csv").write_text(
        "article,published\nbt.txt,2011-11-01\nin_manifest.html,2016-01-04\n"
        "txt/dod.txt,2017-06-23\ntxt/juncker.txt,2017-10-26\n"
    )
    (folder / "junk.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "menus.html").write_text(
        '<html><body><nav><a href="/">Home</a> <a href="/b">Business</a></nav>'
        "<footer>© 2024 Daily News</footer></body></html>"
    )
    return folder


@pytest.fixture(scope="module")
def run(corpus, tmp_path_factory):
    return extracted(corpus, tmp_path_factory)


def test_every_file_has_one_row_with_its_format(run):
    _, result, tables = run
    rows = tables["articles"].set_index("article_id")
    assert rows.format.to_dict() == {
        "bt": "txt",
        "deal.html": "html",
        "deal.txt": "txt",
        "dod": "html",
        "in_manifest": "html",
        "juncker": "html",
        "junk": "html",
        "menus": "html",
        "nested/deeper/frank": "html",
        "txt/dod": "txt",
        "txt/juncker": "txt",
    }
    assert rows.status[rows.status != "ok"].to_dict() == {"junk": "error", "menus": "empty"}
    assert "binary file" in rows.error["junk"] and "page furniture" in rows.error["menus"]
    assert "11 articles: 9 ok, 1 empty, 1 error" in result.stderr


def test_offsets_point_into_the_kept_text(run, corpus):
    _, _, tables = run
    texts = dict(zip(tables["texts"].article_id, tables["texts"].text))
    ok = tables["articles"].query("status == 'ok'")
    assert sorted(texts) == sorted(ok.article_id)
    for row in tables["mentions"].itertuples():
        assert texts[row.article_id][row.start : row.end] == row.text
    for row in ok.query("format == 'txt'").itertuples():  # a text file's text is the file's, decoded
        assert texts[row.article_id] == read_article(Path(row.path), corpus).text


def test_a_page_and_its_text_file_give_the_same_values(run):
    _, _, tables = run
    mentions = tables["mentions"]
    for pair in (("dod", "txt/dod"), ("juncker", "txt/juncker"), ("deal.html", "deal.txt")):
        html, txt = (
            Counter(zip(*[mentions[mentions.article_id == a][c] for c in ("label", "normalized")]))
            for a in pair
        )
        assert txt - html == Counter(), pair  # the page may hold more (its "read more" link), never less


def test_reference_dates_from_metadata_after_the_manifest(run):
    _, _, tables = run
    rows = tables["articles"].set_index("article_id")
    found = {
        a: (rows.reference_date[a], rows.reference_date_source[a])
        for a in ("dod", "juncker", "nested/deeper/frank", "in_manifest", "bt", "deal.html")
    }
    assert found == {
        "dod": (date(2017, 6, 23), "html_meta"),
        "juncker": (date(2017, 10, 26), "html_meta"),
        "nested/deeper/frank": (date(2013, 1, 28), "html_meta"),
        "in_manifest": (date(2016, 1, 4), "manifest"),
        "bt": (date(2011, 11, 1), "manifest"),
        "deal.html": (None, "none"),
    }
    title = rows.title["juncker"]
    assert title == (GOLD / "ec_juncker_plan_240bn.txt").read_text().splitlines()[0]


def test_load_gives_the_texts_and_the_output_is_ours(run):
    out, _, _ = run
    tables = pipeline.load(out)
    assert list(tables["texts"].columns) == ["article_id", "text"] and len(tables["texts"]) == 9
    assert str(tables["articles"].format.dtype) == "category"
    assert {p.name for p in out.iterdir()} <= OUR_FILES and {"texts.parquet", "texts.csv"} <= OUR_FILES


def test_incremental_reuses_unchanged_pages_and_redoes_a_changed_one(run, corpus, tmp_path):
    out, _, tables = run
    again = run_in_process("extract", corpus, "--out", out, "--quiet", "--incremental")
    assert again.returncode == 0 and "(10 reused)" in again.stderr  # all but the error row
    for table, frame in read_tables(out).items():
        pd.testing.assert_frame_equal(frame, tables[table], obj=table)
    changed = corpus / "dod.html"
    changed.write_text(changed.read_text().replace("</article>", "<p>The Navy paid $5m more.</p></article>"))
    third = run_in_process("extract", corpus, "--out", out, "--quiet", "--incremental")
    assert "(9 reused)" in third.stderr
    money = read_tables(out)["money"].query("article_id == 'dod'")
    assert 5e6 in money.amount.tolist()


def test_the_report_shows_a_page_as_extracted_after_the_page_is_gone(tmp_path):
    """The report takes a page's text from the texts table (the text offsets are into), so it shows it even
    when the saved page has been moved away since the run."""
    pages, out = tmp_path / "pages", tmp_path / "out"
    pages.mkdir()
    text = (GOLD / "dod_20170623_1.txt").read_text(encoding="utf-8")
    (pages / "dod.html").write_text(page(text, None, 0))
    assert run_in_process("extract", pages, "--out", out, "--quiet").returncode == 0
    shutil.rmtree(pages)
    assert run_in_process("report", out).returncode == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    sentence = max(read_tables(out)["texts"].text[0].split("\n"), key=len)[:60]
    assert "was not found" not in html and sentence in html
