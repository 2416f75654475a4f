"""The HTML report: built from a real extraction of a tiny folder, checked as data and in headless Chromium
(search over mentions and organisations, the organisation filter, tooltips on hover)."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import ecb_rates, extract_folder

from pipeline.labels import NAMES as LABELS
from pipeline.report import periods, short_amount

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).parent / "artifacts"

ARTICLES = {
    "bt.txt": "BT wins £400 million Lancashire County Council contract\n\n"
    "BT has signed a ten-year contract with Lancashire County Council worth £400 million, the council "
    "said on 31 March 2014. BT will hold a 40 per cent stake in One Connect.\n",
    "acme.txt": "Acme <b>Holdings</b> & Co wins $5 million deal\n\n"
    "Acme <b>Holdings</b> & Co said on Monday it had won a $5 million contract with the Ministry of "
    "Defence that runs for three years from January 2015.\n",
    "oil.txt": "Oil deal agreed\n\n"
    "Yukos sold the field to Rosneft for €300 million ($340 million) last week, and BT bought "
    "pipelines for £2 million.\n",
    "empty.txt": "",
}
PUBLISHED = {"bt.txt": "2014-04-01", "oil.txt": "2005-03-28"}  # acme has no reference date
LABEL_SET = set(LABELS)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, dict[str, list[dict]]]:
    """The report written by ``extract --report`` over three articles, an empty file and a binary one, and its
    tables."""
    folder, out = tmp_path_factory.mktemp("articles"), tmp_path_factory.mktemp("run") / "output"
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    manifest = "".join(f"{name},{day}\n" for name, day in PUBLISHED.items())
    (folder / "manifest.csv").write_text("article,published\n" + manifest)
    extract_folder(folder, out, workers=1, report=True)
    tables = {
        t: pq.read_table(out / f"{t}.parquet").to_pylist()
        for t in ("articles", "mentions", "money", "dates", "organisations")
    }
    return out / "report.html", tables


def page_data(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def test_every_mention_is_in_the_page_data(report):
    path, tables = report
    data = page_data(path.read_text(encoding="utf-8"))
    marks = {(a[0], m[0], m[1], LABELS[m[2]]) for a in data["articles"] for m in a[5]}
    assert marks == {(m["article_id"], m["start"], m["end"], m["label"]) for m in tables["mentions"]}
    assert {m[2] for a in data["articles"] for m in a[5]} == set(range(len(LABELS))), "every label"
    texts = {a[0]: a[3] for a in data["articles"]}
    assert all(texts[m["article_id"]][m["start"] : m["end"]] == m["text"] for m in tables["mentions"])


def test_money_is_summed_in_one_currency_without_restatements(report):
    path, tables = report
    page = path.read_text(encoding="utf-8")
    money = tables["money"]
    restated = [m for m in money if m["restates"] is not None]
    assert [(m["text"], m["currency"]) for m in restated] == [("$340 million", "USD")]
    eur = next(m for m in money if m["currency"] == "EUR")
    rates = ecb_rates()[date(2005, 3, 24)]  # Easter Monday 2005 takes the Thursday before Good Friday
    assert eur["rate_date"] == date(2005, 3, 24)
    assert eur["converted_amount"] == pytest.approx(300e6 * rates["USD"])
    usd = [m["amount"] for m in money if m["currency"] == "USD" and m["restates"] is None]
    usd_counted = sum(usd)
    assert usd == [5e6, 5e6], "acme's $5 million, in its title and its body"
    chart = re.search(r'<svg class="money-chart".*?</svg>', page, re.S).group()
    assert f"USD {short_amount(usd_counted)}" in chart
    assert f"USD {short_amount(eur['converted_amount'])}" in chart
    table = re.search(r'<table class="money-table">.*?</table>', page, re.S).group()
    rows = {
        cells[0]: cells[1:]
        for cells in (re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table))
        if cells
    }
    assert rows["USD"] == ["2", short_amount(10e6), short_amount(10e6), "0", "1"]  # the $340m left out, once
    gbp = [m for m in money if m["currency"] == "GBP"]
    assert rows["GBP"][:2] == [str(len(gbp)), short_amount(sum(m["amount"] for m in gbp))]
    assert rows["GBP"][2] == short_amount(sum(m["converted_amount"] for m in gbp))


def test_dates_are_a_histogram_and_undated_values_are_explained(report):
    path, tables = report
    page = path.read_text(encoding="utf-8")
    svg = re.search(r'<svg class="timeline".*?</svg>', page, re.S).group()
    titles = re.findall(r"<title>[^<]*?: (\d+) dates? in the (\w+)", svg)
    spans = [(d["start"], d["end"]) for d in tables["dates"] if d["start"]]
    assert len(spans) == 3, "31 March 2014, January 2015, last week (2005-W12)"
    grain = periods(min(spans)[0], max(spans)[0])[1]
    assert {found for _, found in titles} == {grain} == {"quarter"}  # ten years: too many months
    quarter = lambda day: (day.year, (day.month - 1) // 3)  # noqa: E731
    within = sum(1 for start, end in spans if quarter(start) == quarter(end))
    assert sum(int(n) for n, _ in titles) == within == 3
    relative = next(d for d in tables["dates"] if d["article_id"] == "acme" and d["relative"])
    assert relative["value"] is None
    assert "1 article had no reference date" in page


@pytest.mark.parametrize(
    "lo,hi,grain,bars",
    [
        ("2005-03-02", "2005-03-30", "month", 1),
        ("2004-01-01", "2009-12-31", "month", 72),
        ("2004-01-01", "2010-01-01", "quarter", 25),
        ("1990-01-01", "2007-12-31", "quarter", 72),
        ("1927-01-01", "2013-01-01", "year", 87),
    ],
)
def test_the_histogram_grain_keeps_the_bars_few(lo, hi, grain, bars):
    bins, found = periods(date.fromisoformat(lo), date.fromisoformat(hi))
    assert (found, len(bins) - 1) == (grain, bars)
    assert bins[0] <= date.fromisoformat(lo) and bins[-1] > date.fromisoformat(hi)


def test_problems_are_listed(report):
    page = report[0].read_text(encoding="utf-8")
    problems = page.split('<section id="problems">')[1].split("</section>")[0]
    assert "<code>empty</code>" in problems and "no text" in problems
    assert "<code>binary</code>" in problems and "NUL bytes" in problems


def test_report_escapes_text_and_is_self_contained(report):
    page = report[0].read_text(encoding="utf-8")
    assert "<b>Holdings" not in page and "Acme \\u003cb>Holdings\\u003c/b> & Co" in page
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', page)
    assert "<link" not in page and "<img" not in page


def test_a_rerun_replaces_the_report_and_never_leaves_it_behind(tmp_path):
    folder, out = tmp_path / "articles", tmp_path / "out"
    folder.mkdir()
    (folder / "a.txt").write_text("First title\n\nBT won a £1m deal.\n")
    extract_folder(folder, out, workers=1)
    assert not (out / "report.html").exists()
    extract_folder(folder, out, workers=1, report=True)
    assert "First title" in (out / "report.html").read_text()
    (folder / "a.txt").write_text("Second title\n\nBT won a £2m deal.\n")
    extract_folder(folder, out, workers=1)  # no --report: the old report is rewritten, neither stale nor gone
    page = (out / "report.html").read_text()
    assert "Second title" in page and "First title" not in page
    assert json.loads((out / "run.json").read_text())["options"]["report"] is True


def test_report_in_chromium(report):
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
    )
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    path, tables = report
    requests, errors = [], []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(path.as_uri())
            for chart in ("svg.money-chart rect", "svg.timeline rect.within", "table.money-table"):
                box = page.locator(chart).first.bounding_box()
                assert box and box["width"] > 0 and box["height"] > 0, chart
            ok = sorted(a["article_id"] for a in tables["articles"] if a["status"] == "ok")
            assert visible(page) == ok
            _check_search(page, tables)
            _check_organisation_filter(page, tables)
            _check_hovers(page, tables)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / "report.png", full_page=True)
        finally:
            browser.close()
    assert not errors, errors
    assert all(url.startswith("file:") for url in requests), requests


def visible(page) -> list[str]:
    return sorted(page.locator("details.article:visible summary code").all_text_contents())


def _check_search(page, tables) -> None:
    """A word only in a mention's text (not a title) finds its article; so does an organisation's name."""
    page.fill("#search", "rosneft")
    assert visible(page) == ["oil"] and page.locator("#shown").text_content() == "1 of 3 articles"
    page.fill("#search", "ministry of defence")
    assert visible(page) == ["acme"]
    page.fill("#search", "no such words")
    assert visible(page) == []
    page.fill("#search", "")


def _check_organisation_filter(page, tables) -> None:
    """Clicking a top organisation lists exactly the articles that name it; clicking it again, all of them."""
    counts = Counter(o["entity"] for o in tables["organisations"])
    entity = "BT"
    assert counts[entity] == max(counts.values())
    button = page.locator("button.org", has_text=re.compile(f"^{entity}$"))
    button.click()
    naming = {o["article_id"] for o in tables["organisations"] if o["entity"] == entity}
    assert visible(page) == sorted(naming)
    assert page.locator("#org-filter").text_content().startswith(f"Organisation: {entity}")
    button.click()
    assert len(visible(page)) == 3 and page.locator("#org-filter").is_hidden()


def _check_hovers(page, tables) -> None:
    """Hovering shows a mention's value: money with its converted amount, a date without a value why."""
    tooltip = "e => [getComputedStyle(e, '::after').visibility, getComputedStyle(e, '::after').content]"
    for article_id, selector, expected in [
        ("acme", "mark.DATE.novalue", "no value: relative, no reference date"),
        ("oil", "mark.MONEY", "EUR 300000000 = USD "),
    ]:
        page.locator(f"details#a-{article_id} summary").click()
        mark = page.locator(f"details#a-{article_id} {selector}").first
        assert mark.evaluate(tooltip)[0] == "hidden"
        mark.hover()
        visibility, content = mark.evaluate(tooltip)
        assert visibility == "visible" and content.strip('"').startswith(expected), content
    count = page.locator("details.article[open] mark").count()
    assert count == sum(1 for m in tables["mentions"] if m["article_id"] in ("acme", "oil"))
