"""The HTML report: built from a real extraction of a tiny folder, checked as text and in headless Chromium."""
from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.report import short_amount, write_report
from pipeline.run import extract_folder

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).parent / "artifacts"

ARTICLES = {
    "bt.txt": "BT wins £400 million Lancashire County Council contract\n\n"
              "BT has signed a ten-year contract with Lancashire County Council worth £400 million, the council "
              "said on 31 March 2014. BT will hold a 40 per cent stake in One Connect.\n",
    "acme.txt": "Acme <b>Holdings</b> & Co wins $5 million deal\n\n"
                "Acme <b>Holdings</b> & Co said on Monday it had won a $5 million contract with the Ministry of "
                "Defence that runs for three years from January 2015.\n",
    "empty.txt": "",
}
LABELS = {"ORG", "MONEY", "PERCENT", "DURATION", "DATE"}


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, dict[str, list[dict]]]:
    """The report of a folder with two articles, an empty file and a binary one, and its tables."""
    folder, out = tmp_path_factory.mktemp("articles"), tmp_path_factory.mktemp("run") / "output"
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    extract_folder(folder, out, reference=date(2014, 1, 1), workers=1)
    tables = {t: pq.read_table(out / f"{t}.parquet").to_pylist() for t in ("articles", "mentions", "money")}
    return write_report(out), tables


def test_report_has_highlights_charts_and_problems(report):
    path, tables = report
    page = path.read_text(encoding="utf-8")
    assert path.name == "report.html"
    labels = Counter(m["label"] for m in tables["mentions"])
    assert set(labels) == LABELS, "the test articles should give every label"
    for label, count in labels.items():
        assert len(re.findall(f'<mark class="{label}" data-value="', page)) == count
    assert '<svg class="money-chart"' in page and '<rect class="money"' in page
    assert '<svg class="timeline"' in page and "<circle " in page
    gbp = sum(row["amount"] for row in tables["money"] if row["currency"] == "GBP")
    assert f"GBP {short_amount(gbp)}" in page

    problems = page.split('<section id="problems">')[1].split("</section>")[0]
    assert {a["status"] for a in tables["articles"] if a["article_id"] in ("empty", "binary")} == {"empty", "error"}
    assert "<code>empty</code>" in problems and "no text" in problems
    assert "<code>binary</code>" in problems and "NUL bytes" in problems


def test_report_escapes_text_and_is_self_contained(report):
    page = report[0].read_text(encoding="utf-8")
    assert "Acme &lt;b&gt;Holdings&lt;/b&gt; &amp; Co" in page
    assert "<b>Holdings" not in page
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', page)
    assert "<link" not in page and "<img" not in page


def test_report_in_chromium(report):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    path, tables = report
    money = next(m for m in tables["mentions"] if m["label"] == "MONEY")
    requests = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.goto(path.as_uri())
            assert page.locator("mark").count() == len(tables["mentions"])
            for chart in ("svg.money-chart", "svg.timeline", "svg.money-chart rect", "svg.timeline circle"):
                box = page.locator(chart).first.bounding_box()
                assert box and box["width"] > 0 and box["height"] > 0, chart

            article = page.locator(f"details#a-{money['article_id']}")
            article.locator("summary").click()
            mark = article.locator(f'mark[data-value="{money["normalized"]}"]').first
            assert mark.bounding_box()["width"] > 0
            tooltip = "e => [getComputedStyle(e, '::after').visibility, getComputedStyle(e, '::after').content]"
            assert mark.evaluate(tooltip)[0] == "hidden"
            mark.hover()
            assert mark.evaluate(tooltip) == ["visible", f'"{money["normalized"]}"']

            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / "report.png", full_page=True)
        finally:
            browser.close()
    assert all(url.startswith("file:") for url in requests), requests
