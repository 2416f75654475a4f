"""One self-contained HTML page over an output folder: counts per label, the top organisations, money per
currency, the dates on a timeline, every article with its mentions highlighted in displaCy's entity style,
and the files that could not be read."""
from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from datetime import date
from html import escape as esc
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.articles import read_article

LABELS = ("ORG", "MONEY", "PERCENT", "DURATION", "DATE")
COLOURS = {"ORG": "#7aecec", "MONEY": "#bfeeb7", "PERCENT": "#ffe680", "DURATION": "#d9c9ff", "DATE": "#feca74"}
MAX_CHARS = 20_000  # characters of an article shown (and highlighted); the rest is cut
TOP_ORGS = 15
WIDTH = 1040  # timeline width in SVG units (about its width on screen)
MONEY_WIDTH = 500

CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f8fa;margin:0}
main{max-width:1120px;margin:0 auto;padding:24px 28px 60px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 12px}h3{font-size:15px;margin:0 0 10px}
.lead,.note,.none{color:#59636e}.note{font-size:13px;margin:6px 0}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px;align-items:start}.wide{grid-column:1/-1}
.stack{display:flex;flex-direction:column;gap:16px}
.card{background:#fff;border:1px solid #d1d9e0;border-radius:8px;padding:16px 18px}
table{border-collapse:collapse;width:100%;font-size:14px}
td,th{padding:4px 8px;border-bottom:1px solid #eef1f4;text-align:left;vertical-align:top}
th{color:#59636e;font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}
.bar{height:10px;background:#7aecec;border-radius:2px}
.chips{display:flex;flex-wrap:wrap;gap:8px}
.chip{border-radius:.35em;padding:.3em .7em;font-weight:600}.chip b{margin-left:.4em;font-size:1.15em}
svg{width:100%;height:auto;font:12px system-ui,sans-serif}svg .lab{fill:#1f2328;font-weight:600}
svg .dim{fill:#59636e}svg .axis{stroke:#8c959f}svg .grid{stroke:#eef1f4}
svg .money{fill:#5bb974}svg .rel{fill:#e8912d;stroke:#e8912d}svg .abs{fill:#2f6fde;stroke:#2f6fde}
svg line.rel,svg line.abs{stroke-width:3;stroke-opacity:.35}svg circle{fill-opacity:.8}
#filter{font:inherit;padding:6px 10px;width:320px;border:1px solid #d1d9e0;border-radius:6px;margin-bottom:10px}
details.article{background:#fff;border:1px solid #d1d9e0;border-radius:6px;margin:6px 0}
details.article>summary{cursor:pointer;padding:8px 12px}details.article[open]>summary{border-bottom:1px solid #eef1f4}
summary code{color:#59636e;margin-right:8px}summary .n{color:#59636e;font-size:13px;float:right}
.entities{line-height:2.5;white-space:pre-wrap;padding:8px 16px}.article .note{padding:0 16px}
.entities mark{position:relative;padding:.45em .6em;margin:0 .25em;line-height:1;border-radius:.35em;background:#ddd}
.entities mark>span{font-size:.8em;font-weight:bold;line-height:1;vertical-align:middle;margin-left:.5rem}
.entities mark::after{content:attr(data-value);position:absolute;left:0;bottom:calc(100% + 4px);z-index:2;
 background:#24292f;color:#fff;font:12px/1.4 ui-monospace,monospace;padding:3px 8px;border-radius:4px;
 white-space:nowrap;visibility:hidden;pointer-events:none}
.entities mark:hover::after{visibility:visible}
"""
CSS += "".join(f".{label}{{background:{colour}!important}}" for label, colour in COLOURS.items())

JS = """
const openTarget = () => { const d = document.getElementById(location.hash.slice(1)); if (d) d.open = true; };
addEventListener("hashchange", openTarget); openTarget();
document.getElementById("filter").addEventListener("input", e => {
  const q = e.target.value.trim().toLowerCase();
  for (const d of document.querySelectorAll("details.article")) d.hidden = q && !d.dataset.key.includes(q);
});
"""


def write_report(out_dir: Path) -> Path:
    """Write ``out_dir/report.html`` from the tables in ``out_dir``; returns its path."""
    out_dir = Path(out_dir)
    tables = {t: pq.read_table(out_dir / f"{t}.parquet").to_pylist()
              for t in ("articles", "mentions", "money", "dates", "organisation_summary")}
    path = out_dir / "report.html"
    path.write_text(page(tables, out_dir), encoding="utf-8")
    return path


def page(t: dict[str, list[dict]], out_dir: Path) -> str:
    """The whole HTML document."""
    by_article = defaultdict(list)
    for m in t["mentions"]:
        by_article[m["article_id"]].append(m)
    mentions = {(m["article_id"], m["mention_id"]): m for m in t["mentions"]}
    ok = [a for a in t["articles"] if a["status"] == "ok"]
    statuses = Counter(a["status"] for a in t["articles"])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Extraction report: {esc(out_dir.name)}</title><style>{CSS}</style></head>
<body><main>
<h1>Extraction report</h1>
<p class="lead">{len(t["articles"]):,} articles ({statuses["ok"]:,} ok, {statuses["empty"]:,} empty,
{statuses["error"]:,} error) · {len(t["mentions"]):,} mentions · tables in <code>{esc(str(out_dir))}</code></p>
<section id="summary"><h2>Summary</h2><div class="grid">
<div class="card"><h3>Top organisations</h3>{top_organisations(t["organisation_summary"])}</div>
<div class="stack"><div class="card"><h3>Mentions per label</h3>{label_counts(t["mentions"])}</div>
<div class="card"><h3>Money by currency (sum of amounts)</h3>{money_chart(t["money"])}</div></div>
<div class="card wide"><h3>Dates on a timeline</h3>{timeline(t["dates"], mentions)}</div>
</div></section>
<section id="articles"><h2>Articles ({len(ok):,})</h2>
<input id="filter" type="search" placeholder="Filter by id or title" aria-label="Filter articles">
{"".join(article(a, by_article[a["article_id"]], out_dir) for a in ok)}
</section>
<section id="problems"><h2>Empty and failed files</h2>{problems(t["articles"])}</section>
</main><script>{JS}</script></body></html>
"""


def label_counts(mentions: list[dict]) -> str:
    """A displaCy-coloured chip per label with its number of mentions."""
    counts = Counter(m["label"] for m in mentions)
    labels = [*LABELS, *sorted(set(counts) - set(LABELS))]
    return '<div class="chips">' + "".join(
        f'<span class="chip {esc(label)}">{esc(label)}<b>{counts[label]:,}</b></span>' for label in labels) + "</div>"


def top_organisations(summary: list[dict], n: int = TOP_ORGS) -> str:
    """The ``n`` canonical organisations with the most mentions over all articles."""
    mentions, articles = Counter(), Counter()
    for row in summary:
        mentions[row["canonical"]] += row["mentions"]
        articles[row["canonical"]] += 1
    top = sorted(mentions.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    if not top:
        return '<p class="none">No organisations.</p>'
    rows = "".join(f'<tr><td>{esc(name)}</td><td class="num">{k:,}</td><td class="num">{articles[name]:,}</td>'
                   f'<td style="width:30%"><div class="bar" style="width:{100 * k / top[0][1]:.1f}%"></div></td></tr>'
                   for name, k in top)
    return f'<table><tr><th>Organisation</th><th class="num">Mentions</th><th class="num">Articles</th><th></th></tr>' \
           f'{rows}</table>'


def short_amount(amount: float) -> str:
    """An amount in a few digits.

    >>> [short_amount(x) for x in (1.6e9, 2.37e8, 6e12, 1.17e15, 999_700, 12_500, 7.5)]
    ['1.6bn', '237m', '6tn', '1,170tn', '1m', '12.5k', '7.5']
    """
    size, suffix = next(((size, suffix) for size, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k"))
                         if abs(amount) >= size * 0.9995), (1, ""))
    value = amount / size
    return f"{value:.3g}{suffix}" if abs(value) < 999.5 else f"{value:,.0f}{suffix}"


def _n(count: int, noun: str) -> str:
    """``count`` and ``noun``, plural unless one."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def money_chart(money: list[dict]) -> str:
    """Inline SVG: a bar per currency, the sum of its amounts, largest first."""
    totals, counts = Counter(), Counter()
    for row in money:
        if row["amount"] is not None:
            totals[row["currency"] or "?"] += row["amount"]
            counts[row["currency"] or "?"] += 1
    if not totals:
        return '<p class="none">No money amounts.</p>'
    items = sorted(totals.items(), key=lambda kv: -kv[1])
    left, span, step = 44, MONEY_WIDTH * 0.45, 34
    largest = max(items[0][1], 1)
    bars = []
    for i, (currency, total) in enumerate(items):
        y, w = 10 + i * step, max(2.0, span * total / largest)
        bars.append(f'<text class="lab" x="{left - 8}" y="{y + 15}" text-anchor="end">{esc(currency)}</text>'
                    f'<rect class="money" x="{left}" y="{y}" width="{w:.1f}" height="22" rx="3">'
                    f'<title>{esc(currency)} {total:,.2f} in {_n(counts[currency], "mention")}</title></rect>'
                    f'<text class="lab" x="{left + w + 8:.1f}" y="{y + 15}">{esc(currency)} {short_amount(total)}'
                    f'<tspan class="dim" dx="6">{_n(counts[currency], "mention")}</tspan></text>')
    return (f'<svg class="money-chart" viewBox="0 0 {MONEY_WIDTH} {len(items) * step + 14}" role="img" '
            f'aria-label="Money by currency">{"".join(bars)}</svg>')


def timeline(dates: list[dict], mentions: dict[tuple, dict]) -> str:
    """Inline SVG: each date mention with a start as a dot on a time axis, a line to its end when longer."""
    spans = sorted(((date.fromisoformat(r["start"]), date.fromisoformat(r["end"] or r["start"]), r)
                    for r in dates if r["start"]), key=lambda s: s[:2])
    if not spans:
        return '<p class="none">No dates with a start.</p>'
    lo, hi = spans[0][0], max(end for _, end, _ in spans)
    if (hi - lo).days < 30:
        lo, hi = date.fromordinal(lo.toordinal() - 15), date.fromordinal(hi.toordinal() + 15)
    left, width, row_h = 36, WIDTH - 72, 14

    def x(day: date) -> float:
        return left + width * (day - lo).days / (hi - lo).days

    row_ends: list[float] = []
    marks = [_date_mark(x(start), x(end), 12 + _row(row_ends, x(start), x(end)) * row_h, r,
                        mentions.get((r["article_id"], r["mention_id"]))) for start, end, r in spans]
    axis_y = 20 + len(row_ends) * row_h
    ticks = "".join(f'<line class="grid" x1="{x(d):.1f}" x2="{x(d):.1f}" y1="4" y2="{axis_y}"/>'
                    f'<text class="dim" x="{x(d):.1f}" y="{axis_y + 16}" text-anchor="middle">{label}</text>'
                    for d, label in _ticks(lo, hi))
    legend = (f'<circle class="abs" cx="{left + 4}" cy="{axis_y + 36}" r="5"/><text class="dim" x="{left + 14}" '
              f'y="{axis_y + 40}">absolute</text><circle class="rel" cx="{left + 94}" cy="{axis_y + 36}" r="5"/>'
              f'<text class="dim" x="{left + 104}" y="{axis_y + 40}">relative to the reference date</text>')
    return (f'<svg class="timeline" viewBox="0 0 {WIDTH} {axis_y + 50}" role="img" aria-label="Dates on a timeline">'
            f'{ticks}<line class="axis" x1="{left}" x2="{left + width}" y1="{axis_y}" y2="{axis_y}"/>'
            f'{"".join(marks)}{legend}</svg>')


def _row(row_ends: list[float], x0: float, x1: float, max_rows: int = 16) -> int:
    """The first row free at ``x0`` (a new one up to ``max_rows``, then the one that ends first); updates
    ``row_ends``, the right end of the last mark in each row."""
    row = next((i for i, end in enumerate(row_ends) if end < x0 - 6), None)
    if row is None and len(row_ends) < max_rows:
        row_ends.append(x1)
        return len(row_ends) - 1
    if row is None:
        row = min(range(max_rows), key=row_ends.__getitem__)
    row_ends[row] = max(row_ends[row], x1)
    return row


def _date_mark(x0: float, x1: float, y: float, row: dict, mention: dict | None) -> str:
    """One date: a dot at its start (and a line to its end), linking to its article."""
    kind = "rel" if row["relative"] else "abs"
    said = f'"{mention["text"]}" → ' if mention else ""
    span = row["start"] if row["start"] == row["end"] else f'{row["start"]} to {row["end"]}'
    tip = f'{said}{row["value"]} ({span}) in {row["article_id"]}'
    line = f'<line class="{kind}" x1="{x0:.1f}" x2="{x1:.1f}" y1="{y}" y2="{y}"/>' if x1 - x0 > 1 else ""
    return (f'<a href="#{anchor(row["article_id"])}">{line}<circle class="{kind}" cx="{x0:.1f}" cy="{y}" r="4.5">'
            f'<title>{esc(tip)}</title></circle></a>')


def _ticks(lo: date, hi: date) -> list[tuple[date, str]]:
    """About ten tick dates between ``lo`` and ``hi``: year starts, or month starts for short spans."""
    years = [date(y, 1, 1) for y in range(lo.year, hi.year + 1) if lo <= date(y, 1, 1) <= hi]
    if len(years) >= 3:
        every = math.ceil(len(years) / 10)
        return [(d, str(d.year)) for d in years if d.year % every == 0]
    months = [date(y, m, 1) for y in range(lo.year, hi.year + 1) for m in range(1, 13) if lo <= date(y, m, 1) <= hi]
    every = math.ceil(len(months) / 10)
    return [(d, d.strftime("%b %Y")) for d in months[::every]]


def anchor(article_id: str) -> str:
    """A stable, unique HTML id for an article.

    >>> anchor("seeds_000"), anchor("news/2011 #1")
    ('a-seeds_000', 'a-news-2011--1-7354b71e')
    """
    slug = re.sub(r"[^A-Za-z0-9_.-]", "-", article_id)
    return "a-" + (slug if slug == article_id else f"{slug}-{hashlib.sha1(article_id.encode()).hexdigest()[:8]}")


def article(row: dict, mentions: list[dict], out_dir: Path) -> str:
    """An article, collapsed: its id and title, and when opened its text with the mentions highlighted."""
    text, note = article_text(row, out_dir)
    if len(text) > MAX_CHARS:
        note = f"Showing the first {MAX_CHARS:,} of {len(text):,} characters."
    key = f'{row["article_id"]} {row["title"] or ""}'.lower()
    return (f'<details class="article" id="{anchor(row["article_id"])}" data-key="{esc(key)}">'
            f'<summary><code>{esc(row["article_id"])}</code>{esc(row["title"] or "")}'
            f'<span class="n">{_n(len(mentions), "mention")}</span></summary>'
            f'{f"<p class=note>{esc(note)}</p>" if note else ""}'
            f'<div class="entities">{highlight(text[:MAX_CHARS], mentions)}</div></details>')


def article_text(row: dict, out_dir: Path) -> tuple[str, str]:
    """The article's text as it was extracted, or ``""`` and why it cannot be shown.

    The table's path is relative to where the extraction ran: here, or the output folder's parent."""
    for path in (Path(row["path"]), out_dir.resolve().parent / row["path"]):
        if path.is_file():
            read = read_article(path, path.parent)
            if read.sha256 != row["sha256"]:
                return "", f"{path} changed after the extraction: its text is not shown."
            return read.text, ""
    return "", f"{row['path']} was not found: the text is not shown."


def highlight(text: str, mentions: list[dict]) -> str:
    """``text`` as HTML, each mention inside it a displaCy-style ``<mark>`` with its label and, on hover, its
    normalised value; a mention overlapping an earlier one is left plain.

    >>> highlight("BT & co", [{"start": 0, "end": 2, "label": "ORG", "normalized": "BT"}])
    '<mark class="ORG" data-value="BT">BT<span>ORG</span></mark> &amp; co'
    """
    parts, pos = [], 0
    for m in sorted(mentions, key=lambda m: (m["start"], -m["end"])):
        if m["start"] < pos or m["end"] > len(text):
            continue
        value = m["normalized"] or "(no normalised value)"
        parts += [esc(text[pos:m["start"]]), f'<mark class="{esc(m["label"])}" data-value="{esc(value)}">'
                  f'{esc(text[m["start"]:m["end"]])}<span>{esc(m["label"])}</span></mark>']
        pos = m["end"]
    return "".join(parts) + esc(text[pos:])


def problems(articles: list[dict]) -> str:
    """A table of the files with status empty or error, and why."""
    rows = "".join(f'<tr><td><code>{esc(a["article_id"])}</code></td><td>{esc(a["status"])}</td>'
                   f'<td>{esc(a["error"] or "")}</td><td><code>{esc(a["path"])}</code></td></tr>'
                   for a in articles if a["status"] != "ok")
    if not rows:
        return '<p class="none">None: every file was read and had text.</p>'
    return f'<table><tr><th>Article</th><th>Status</th><th>Reason</th><th>Path</th></tr>{rows}</table>'
