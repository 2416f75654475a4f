"""Measure a report in headless Chromium (size, load time); with --screenshots, take the pictures in docs/.

    .venv/bin/python docs/report_check.py OUT [--rounds 5] [--screenshots docs]

OUT is an output folder with a report.html (``python -m pipeline report OUT`` or ``extract --report``). Load
time is from navigation start to the end of the load event (the page's script has drawn the article list by
then), the median of ``--rounds`` fresh pages. Needs playwright (the test extra) and Debian's chromium.
"""
from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
VIEWPORT = {"width": 1200, "height": 900}
LOAD_MS = "performance.getEntriesByType('navigation')[0].loadEventEnd"


def load_times(browser, path: Path, rounds: int) -> list[float]:
    """Milliseconds from navigation start to the end of the load event, one fresh page per round."""
    times = []
    for _ in range(rounds):
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(path.as_uri(), wait_until="load")
        times.append(page.evaluate(LOAD_MS))
        page.close()
    return times


def screenshots(browser, path: Path, folder: Path) -> None:
    """docs/report-summary.png (the summary) and docs/report-article.png (the articles of the top
    organisation, the first one opened, a money amount hovered)."""
    page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
    page.goto(path.as_uri())
    page.locator("#summary").screenshot(path=folder / "report-summary.png")
    page.locator("button.org").first.click()
    article = page.locator("details.article:visible").first
    article.locator("summary").click()
    article.locator("mark.MONEY").first.hover()
    page.locator("#articles").screenshot(path=folder / "report-article.png")
    page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--screenshots", type=Path, help="folder to write the two screenshots to")
    args = parser.parse_args()
    path = (args.out / "report.html").resolve()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            times = load_times(browser, path, args.rounds)
            if args.screenshots:
                screenshots(browser, path, args.screenshots)
        finally:
            browser.close()
    print(json.dumps({"report": str(path), "bytes": path.stat().st_size, "load_ms": [round(t) for t in times],
                      "median_load_ms": round(statistics.median(times))}))


if __name__ == "__main__":
    main()
