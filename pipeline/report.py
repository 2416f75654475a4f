"""One self-contained HTML page over an output folder, for an analyst: counts per label, the top organisations
(a click lists their articles), money in one currency with a table per currency (restated amounts left out),
a histogram of the dates, every article searchable by title, mention text and organisation, with its mentions
highlighted in displaCy's entity style and their values (or why there is none) on hover, and the files that
could not be read.

The articles travel inside the page as JSON and its script draws each one when it is opened, so that thousands
of articles stay a few megabytes and load in well under two seconds."""

from __future__ import annotations

import hashlib
import json
import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from datetime import date
from html import escape as esc
from pathlib import Path

import pyarrow.parquet as pq

from pipeline import schema
from pipeline.articles import read_article
from pipeline.labels import LABELS, NAMES
from pipeline.normalize import convert
from pipeline.writer import REPORT, RUN_META

MAX_CHARS = 20_000  # characters of an article shown (and highlighted); the rest is cut
TOP_ORGS = 15
TOP_CURRENCIES = 12  # rows of the money table; the other currencies share one
WIDTH = 1040  # histogram width in SVG units (about its width on screen)
MONEY_WIDTH = 500
MAX_BARS = 72  # histogram bars at most: months, else quarters, else years
TRIM = 0.02  # share of dates at each end left out of the histogram's range (a stray 1600 or 2050)
TABLES = ("articles", "mentions", "money", "dates", "organisations", "entities")

CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f8fa;
margin:0}
main{max-width:1120px;margin:0 auto;padding:24px 28px 60px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 12px}h3{font-size:15px;margin:0 0 10px}
.lead,.note,.none{color:#59636e}.note{font-size:13px;margin:6px 0}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px;align-items:start}.wide{grid-column:1/-1}
.stack{display:flex;flex-direction:column;gap:16px}.pair{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.card{background:#fff;border:1px solid #d1d9e0;border-radius:8px;padding:16px 18px}
table{border-collapse:collapse;width:100%;font-size:14px}
td,th{padding:4px 8px;border-bottom:1px solid #eef1f4;text-align:left;vertical-align:top}
th{color:#59636e;font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}
tr.total td{font-weight:600;border-top:1px solid #d1d9e0}
.bar{height:10px;background:#7aecec;border-radius:2px}
button.org{font:inherit;background:none;border:0;padding:0;color:#0550ae;cursor:pointer;text-align:left}
button.org:hover{text-decoration:underline}button.org[aria-pressed=true]{font-weight:700}
.chips{display:flex;flex-wrap:wrap;gap:8px}
.chip{border-radius:.35em;padding:.3em .7em;font-weight:600}.chip b{margin-left:.4em;font-size:1.15em}
svg{width:100%;height:auto;font:12px system-ui,sans-serif}svg .lab{fill:#1f2328;font-weight:600}
svg .dim{fill:#59636e}svg .axis{stroke:#8c959f}svg .grid{stroke:#eef1f4}
svg .money{fill:#5bb974}svg .within{fill:#2f6fde}svg .spread{fill:#a9c4f5}
.tools{display:flex;gap:12px;align-items:center;flex-wrap:wrap;margin-bottom:10px}
#search{font:inherit;padding:6px 10px;width:360px;border:1px solid #d1d9e0;border-radius:6px}
#org-filter{background:#ddf4ff;border:1px solid #54aeff;border-radius:6px;padding:3px 10px}
#org-filter button{font:inherit;border:0;background:none;cursor:pointer;margin-left:6px}
details.article{background:#fff;border:1px solid #d1d9e0;border-radius:6px;margin:6px 0}
details.article>summary{cursor:pointer;padding:8px 12px}
details.article[open]>summary{border-bottom:1px solid #eef1f4}
summary code{color:#59636e;margin-right:8px}summary .n{color:#59636e;font-size:13px;float:right}
.entities{line-height:2.5;white-space:pre-wrap;padding:8px 16px}.article .note{padding:0 16px}
.entities mark{position:relative;padding:.45em .6em;margin:0 .25em;line-height:1;border-radius:.35em;
background:#ddd}
.entities mark>span{font-size:.8em;font-weight:bold;line-height:1;vertical-align:middle;margin-left:.5rem}
.entities mark.novalue{outline:2px dashed #bc4c00;outline-offset:-2px}
.entities mark::after{content:attr(data-value);position:absolute;left:0;bottom:calc(100% + 4px);z-index:2;
 background:#24292f;color:#fff;font:12px/1.4 ui-monospace,monospace;padding:3px 8px;border-radius:4px;
 white-space:nowrap;visibility:hidden;pointer-events:none}
.entities mark:hover::after{visibility:visible}
"""
CSS += "".join(f".{label.name}{{background:{label.colour}!important}}" for label in LABELS)

JS = """
const DATA = JSON.parse(document.getElementById("data").textContent);
const S = DATA.strings, LABELS = DATA.labels, list = document.getElementById("list");
const el = (tag, props, ...kids) => { const e = Object.assign(document.createElement(tag), props);
  e.append(...kids); return e; };
const items = DATA.articles.map(([id, anchor, title, text, note, marks, orgs]) => {
  const d = el("details", {className: "article", id: anchor});
  const count = marks.length + (marks.length === 1 ? " mention" : " mentions");
  d.append(el("summary", {}, el("code", {textContent: id}), title,
              el("span", {className: "n", textContent: count})));
  d.addEventListener("toggle", () => {
    if (d.open && d.childElementCount === 1) draw(d, text, note, marks);
  });
  list.append(d);
  return {d, id, title, text, marks, orgs, key: null};
});
function draw(d, text, note, marks) {
  if (note) d.append(el("p", {className: "note", textContent: note}));
  const body = el("div", {className: "entities"});
  let pos = 0;
  for (const [start, end, label, tip, novalue] of marks) {
    if (start < pos) continue;
    body.append(text.slice(pos, start), el("mark", {className: LABELS[label] + (novalue ? " novalue" : "")},
                text.slice(start, end), el("span", {textContent: LABELS[label]})));
    body.lastChild.dataset.value = S[tip];
    pos = end;
  }
  body.append(text.slice(pos));
  d.append(body);
}
const keyOf = it => it.key ??= [it.id, it.title, ...it.marks.map(m => it.text.slice(m[0], m[1])),
                                 ...it.orgs.map(o => S[o])].join("\\n").toLowerCase();
const search = document.getElementById("search"), shown = document.getElementById("shown");
const orgFilter = document.getElementById("org-filter");
let org = null;
function apply() {
  const q = search.value.trim().toLowerCase();
  let n = 0;
  for (const it of items) {
    it.d.hidden = (q && !keyOf(it).includes(q)) || (org !== null && !it.orgs.includes(org));
    n += !it.d.hidden;
  }
  shown.textContent = `${n.toLocaleString("en")} of ${items.length.toLocaleString("en")} articles`;
  orgFilter.hidden = org === null;
  if (org !== null) orgFilter.firstChild.textContent = "Organisation: " + S[org];
  for (const b of document.querySelectorAll("button.org")) {
    b.setAttribute("aria-pressed", +b.dataset.org === org);
  }
}
search.addEventListener("input", apply);
for (const b of document.querySelectorAll("button.org")) b.addEventListener("click", () => {
  org = org === +b.dataset.org ? null : +b.dataset.org;
  apply();
  document.getElementById("articles").scrollIntoView();
});
orgFilter.querySelector("button").addEventListener("click", () => { org = null; apply(); });
const openTarget = () => { const d = document.getElementById(location.hash.slice(1));
  if (d && d.tagName === "DETAILS") d.open = true; };
addEventListener("hashchange", openTarget); openTarget(); apply();
"""


class Strings:
    """A table of the strings the page's JSON refers to by number (each tooltip and name written once)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        return self.index.setdefault(text, len(self.index))

    def table(self) -> list[str]:
        return list(self.index)


def write_report(out_dir: Path, tables_dir: Path | None = None) -> Path:
    """Write ``report.html`` from the tables in ``tables_dir`` (default ``out_dir``), named and with article
    paths resolved as the output folder ``out_dir``; returns its path."""
    out_dir = Path(out_dir)
    tables_dir = Path(tables_dir or out_dir)
    tables = {t: read(tables_dir / f"{t}.parquet", t) for t in TABLES}
    # the texts offsets are into (web pages' extracted text); older runs lack it
    texts = tables_dir / "texts.parquet"
    tables["texts"] = read(texts, "texts") if texts.exists() else []
    path = tables_dir / REPORT
    path.write_text(page(tables, out_dir, converted_to(tables["money"], tables_dir)), encoding="utf-8")
    return path


def read(path: Path, table: str) -> list[dict]:
    """A table's rows, its calendar dates as ``date``: an output written before they were date32 (ISO text)
    is cast to today's types."""
    return pq.read_table(path).cast(schema.arrow_schema(table)).to_pylist()


def converted_to(money: list[dict], tables_dir: Path) -> str:
    """The currency the run converted amounts to: the rows', else run.json's option, else the default."""
    found = next((row["converted_currency"] for row in money if row["converted_currency"]), None)
    if found:
        return found
    try:
        return json.loads((tables_dir / RUN_META).read_text())["options"]["convert_to"]
    except (OSError, ValueError, KeyError, TypeError):
        return convert.DEFAULT_TARGET


def page(t: dict[str, list[dict]], out_dir: Path, target: str) -> str:
    """The whole HTML document."""
    strings = Strings()
    statuses = Counter(a["status"] for a in t["articles"])
    references = {a["article_id"]: a["reference_date"] for a in t["articles"]}
    data = {"labels": list(NAMES), "articles": articles_data(t, references, out_dir, target, strings)}
    data["strings"] = strings.table()
    ok = statuses["ok"]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Extraction report: {esc(out_dir.name)}</title><style>{CSS}</style></head>
<body><main>
<h1>Extraction report</h1>
<p class="lead">{len(t["articles"]):,} articles ({ok:,} ok, {statuses["empty"]:,} empty,
{statuses["error"]:,} error) · {len(t["mentions"]):,} mentions · tables in
<code>{esc(str(out_dir))}</code></p>
{reference_note(t["articles"], t["dates"])}
<section id="summary"><h2>Summary</h2><div class="grid">
<div class="card"><h3>Top organisations</h3>{top_organisations(t["entities"], strings)}</div>
<div class="card"><h3>Mentions per label</h3>{label_counts(t["mentions"])}</div>
<div class="card wide"><h3>Money in {esc(target)}</h3>{money_section(t["money"], references, target)}</div>
<div class="card wide"><h3>Dates per period</h3>{timeline(t["dates"], references)}</div>
</div></section>
<section id="articles"><h2>Articles ({ok:,})</h2>
<div class="tools"><input id="search" type="search" placeholder="Search titles, mentions and organisations"
aria-label="Search articles"><span id="org-filter" hidden><span></span><button
aria-label="Clear the organisation filter">✕</button></span><span id="shown" class="note"></span></div>
<div id="list"></div>
</section>
<section id="problems"><h2>Empty and failed files</h2>{problems(t["articles"])}</section>
</main><script type="application/json" id="data">{script_json(data)}</script>
<script>{JS}</script></body></html>
"""


def script_json(data: dict) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<`` to end it early.

    >>> script_json({"t": "</script>"})
    '{"t":"\\\\u003c/script>"}'
    """
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def reference_note(articles: list[dict], dates: list[dict]) -> str:
    """A line saying how many articles had no reference date and how many relative dates that left open."""
    without = sum(1 for a in articles if a["status"] == "ok" and a["reference_date"] is None)
    open_dates = sum(1 for d in dates if d["relative"] and d["value"] is None)
    if not without:
        return ""
    return (
        f'<p class="note">{_n(without, "article")} had no reference date: '
        f"{_n(open_dates, 'relative date')} in them have no value (run <code>extract</code> with "
        f"<code>--reference-date</code> or a manifest).</p>"
    )


def label_counts(mentions: list[dict]) -> str:
    """A displaCy-coloured chip per label with its number of mentions."""
    counts = Counter(m["label"] for m in mentions)
    labels = [*NAMES, *sorted(set(counts) - set(NAMES))]
    return (
        '<div class="chips">'
        + "".join(
            f'<span class="chip {esc(label)}">{esc(label)}<b>{counts[label]:,}</b></span>' for label in labels
        )
        + "</div>"
    )


def top_organisations(entities: list[dict], strings: Strings, n: int = TOP_ORGS) -> str:
    """The ``n`` organisations (run-wide ``entity``) with the most mentions, each a button that filters the
    article list to the articles that name it."""
    top = sorted(entities, key=lambda e: (-e["mentions"], e["entity"]))[:n]
    if not top:
        return '<p class="none">No organisations.</p>'
    rows = "".join(
        f'<tr><td><button class="org" data-org="{strings(e["entity"])}" title="{esc(e["names"])}">'
        f'{esc(e["entity"])}</button></td><td class="num">{e["mentions"]:,}</td>'
        f'<td class="num">{e["articles"]:,}</td><td style="width:30%"><div class="bar" '
        f'style="width:{100 * e["mentions"] / top[0]["mentions"]:.1f}%"></div></td></tr>'
        for e in top
    )
    return (
        '<table><tr><th>Organisation</th><th class="num">Mentions</th><th class="num">Articles</th>'
        f'<th></th></tr>{rows}</table><p class="note">Click one to list its articles.</p>'
    )


def short_amount(amount: float) -> str:
    """An amount in a few digits.

    >>> [short_amount(x) for x in (1.6e9, 2.37e8, 6e12, 1.17e15, 999_700, 12_500, 7.5)]
    ['1.6bn', '237m', '6tn', '1,170tn', '1m', '12.5k', '7.5']
    """
    size, suffix = next(
        (
            (size, suffix)
            for size, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k"))
            if abs(amount) >= size * 0.9995
        ),
        (1, ""),
    )
    value = amount / size
    return f"{value:.3g}{suffix}" if abs(value) < 999.5 else f"{value:,.0f}{suffix}"


def _n(count: int, noun: str) -> str:
    """``count`` and ``noun``, plural unless one."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def money_by_currency(money: list[dict], references: dict[str, date | None]) -> dict[str, dict]:
    """Per currency as written: the amounts counted (restatements left out), their total, their converted
    total, how many were converted, why the others were not, and the restatements left out."""
    out: dict[str, dict] = {}
    for row in money:
        c = out.setdefault(
            row["currency"] or "?",
            {
                "amounts": 0,
                "written": 0.0,
                "converted": 0.0,
                "n_converted": 0,
                "why_not": Counter(),
                "restated": 0,
            },
        )
        if row["restates"] is not None:
            c["restated"] += 1
            continue
        c["amounts"] += 1
        c["written"] += row["amount"]
        why = convert.why_unconverted(row, references.get(row["article_id"]))
        if why:
            c["why_not"][why] += 1
        else:
            c["converted"] += row["converted_amount"]
            c["n_converted"] += 1
    return out


def money_section(money: list[dict], references: dict[str, date | None], target: str) -> str:
    """The chart of converted totals per currency and the table per currency, side by side."""
    by_currency = money_by_currency(money, references)
    if not by_currency:
        return '<p class="none">No money amounts.</p>'
    note = (
        '<p class="note">Each amount at the ECB reference rate of its article\'s reference date; an '
        'amount that restates another in brackets ("€300m ($340m)") is left out.</p>'
    )
    return (
        f'{note}<div class="pair"><div>{money_chart(by_currency, target)}</div>'
        f"<div>{money_table(by_currency, target)}</div></div>"
    )


def money_chart(by_currency: dict[str, dict], target: str) -> str:
    """Inline SVG: a bar per currency as written, the total of its converted amounts in ``target``."""
    items = sorted(
        ((c, v) for c, v in by_currency.items() if v["n_converted"]), key=lambda kv: -kv[1]["converted"]
    )
    if not items:
        return f'<p class="none">No amount could be converted to {esc(target)}.</p>'
    left, span, step = 44, MONEY_WIDTH * 0.5, 34
    largest = max(items[0][1]["converted"], 1)
    bars = []
    for i, (currency, v) in enumerate(items):
        y, w = 10 + i * step, max(2.0, span * v["converted"] / largest)
        counted = f"{v['n_converted']:,} of {_n(v['amounts'], 'amount')} converted"
        bars.append(
            f'<text class="lab" x="{left - 8}" y="{y + 15}" text-anchor="end">{esc(currency)}</text>'
            f'<rect class="money" x="{left}" y="{y}" width="{w:.1f}" height="22" rx="3">'
            f"<title>{esc(currency)} amounts: {target} {v['converted']:,.0f} ({counted})</title>"
            f'</rect><text class="lab" x="{left + w + 8:.1f}" y="{y + 15}">'
            f"{target} {short_amount(v['converted'])}"
            f'<tspan class="dim" dx="6">{v["n_converted"]:,}/{v["amounts"]:,}</tspan></text>'
        )
    return (
        f'<svg class="money-chart" viewBox="0 0 {MONEY_WIDTH} {len(items) * step + 14}" role="img" '
        f'aria-label="Money in {esc(target)} by currency">{"".join(bars)}</svg>'
    )


def money_table(by_currency: dict[str, dict], target: str) -> str:
    """A row per currency: amounts, total as written, total in ``target``, not converted (why, on hover) and
    restatements left out; a total row."""
    ranked = sorted(by_currency.items(), key=lambda kv: (-kv[1]["amounts"], kv[0]))
    rows = [
        f'<tr><td>{esc(currency)}</td><td class="num">{v["amounts"]:,}</td>'
        f'<td class="num">{short_amount(v["written"])}</td>'
        f'<td class="num">{_converted([(currency, v)])}</td>'
        f'{_not_converted(v["why_not"])}<td class="num">{v["restated"]:,}</td></tr>'
        for currency, v in ranked[:TOP_CURRENCIES]
    ]
    rest = ranked[TOP_CURRENCIES:]
    if rest:
        others = f"{len(rest)} other {'currency' if len(rest) == 1 else 'currencies'}"
        rows.append(
            f'<tr><td title="{esc(", ".join(c for c, _ in rest))}">{others}</td>'
            f'<td class="num">{sum(v["amounts"] for _, v in rest):,}</td><td></td>'
            f'<td class="num">{_converted(rest)}</td>'
            f"{_not_converted(sum((v['why_not'] for _, v in rest), Counter()))}"
            f'<td class="num">{sum(v["restated"] for _, v in rest):,}</td></tr>'
        )
    total_why = sum((v["why_not"] for v in by_currency.values()), Counter())
    amounts, restated = (sum(v[key] for v in by_currency.values()) for key in ("amounts", "restated"))
    total = (
        f'<tr class="total"><td>All</td><td class="num">{amounts:,}</td><td></td>'
        f'<td class="num">{_converted(ranked)}</td>{_not_converted(total_why)}'
        f'<td class="num">{restated:,}</td></tr>'
    )
    return (
        '<table class="money-table"><tr><th>Currency</th><th class="num">Amounts</th>'
        f'<th class="num">Total</th><th class="num">In {esc(target)}</th>'
        f'<th class="num">Not converted</th><th class="num">Restated</th></tr>{"".join(rows)}{total}</table>'
    )


def _converted(rows: list[tuple[str, dict]]) -> str:
    """The converted total of some currencies' amounts, or a dash when none was converted."""
    if not any(v["n_converted"] for _, v in rows):
        return "–"
    return short_amount(sum(v["converted"] for _, v in rows))


def _not_converted(why_not: Counter) -> str:
    """A table cell: how many amounts were not converted, and why, on hover."""
    why = "; ".join(f"{convert.REASONS[k]}: {n:,}" for k, n in why_not.most_common())
    return f'<td class="num" title="{esc(why)}">{sum(why_not.values()):,}</td>'


def timeline(dates: list[dict], references: dict[str, date | None]) -> str:
    """Inline SVG: a histogram of the dates per month, quarter or year (whichever keeps the bars few enough).
    A date inside one period counts there; a longer one ("2005", "the 1990s") is spread over its periods."""
    spans = sorted((r["start"], r["end"] or r["start"]) for r in dates if r["start"])
    without = Counter(
        _why_no_value(r, references.get(r["article_id"]))
        if r["value"] is None
        else "a financial year whose end the article does not give"
        for r in dates
        if not r["start"]
    )
    if not spans:
        return '<p class="none">No dates with a value.</p>' + _without_note(without)
    lo, hi = spans[int(TRIM * len(spans))][0], spans[math.ceil((1 - TRIM) * len(spans)) - 1][0]
    bins, label = periods(lo, hi)
    within, spread = [0] * len(bins), [0.0] * len(bins)
    outside = 0
    for start, end in spans:
        first, last = bisect_right(bins, start) - 1, bisect_right(bins, end) - 1
        if start < bins[0] or first >= len(bins) - 1:
            outside += 1
        elif first == last:
            within[first] += 1
        else:
            _spread(start, end, bins, spread)
    return _histogram(bins, label, within, spread) + _without_note(without, outside)


def periods(lo: date, hi: date) -> tuple[list[date], str]:
    """The first days of the months, quarters or years from ``lo``'s to just after ``hi``'s (at most
    ``MAX_BARS`` periods), and the grain's name.

    >>> bins, grain = periods(date(2004, 11, 5), date(2005, 2, 1))
    >>> [day.isoformat() for day in bins], grain
    (['2004-11-01', '2004-12-01', '2005-01-01', '2005-02-01', '2005-03-01'], 'month')
    """
    for months, grain in ((1, "month"), (3, "quarter"), (12, "year")):
        first = lo.year * 12 + (lo.month - 1) // months * months
        last = hi.year * 12 + (hi.month - 1) // months * months
        if (last - first) // months < MAX_BARS or grain == "year":
            return [date(m // 12, m % 12 + 1, 1) for m in range(first, last + months + 1, months)], grain
    raise AssertionError("unreachable")


def _spread(start: date, end: date, bins: list[date], spread: list[float]) -> None:
    """Add a date longer than one period to ``spread``, shared among the periods it covers by days."""
    days = (end - start).days + 1
    for i in range(len(bins) - 1):
        overlap = (min(end, date.fromordinal(bins[i + 1].toordinal() - 1)) - max(start, bins[i])).days + 1
        if overlap > 0:
            spread[i] += overlap / days


def _why_no_value(row: dict, reference: date | None) -> str:
    """Why a date has no value: relative without a reference date, or a span no grain expresses."""
    if row["relative"]:
        return "relative, no reference date" if reference is None else "relative, no grain expresses it"
    return "a span no grain expresses"


def _without_note(without: Counter, outside: int = 0) -> str:
    parts = [f"{_n(n, 'date')} with no calendar days ({why})" for why, n in without.most_common()]
    if outside:
        parts.append(f"{_n(outside, 'date')} before or after the range shown")
    return f'<p class="note">Not shown: {"; ".join(parts)}.</p>' if parts else ""


def _histogram(bins: list[date], grain: str, within: list[int], spread: list[float]) -> str:
    left, width, height = 40, WIDTH - 60, 160
    top = max(max(w + s for w, s in zip(within, spread)), 1)
    step = width / (len(bins) - 1)
    bars, ticks = [], []
    for i, (count, share) in enumerate(zip(within, spread)):
        x, h_in, h_sp = left + i * step, height * count / top, height * share / top
        name = _period_name(bins[i], grain)
        tip = f"{name}: {_n(count, 'date')} in the {grain}"
        tip += f", and {share:.1f} of longer ones" if share else ""
        bar = f'x="{x + 1:.1f}" width="{max(step - 2, 1):.1f}"'
        bars.append(
            f'<g><title>{esc(tip)}</title><rect class="within" {bar} y="{20 + height - h_in:.1f}" '
            f'height="{h_in:.1f}"/><rect class="spread" {bar} y="{20 + height - h_in - h_sp:.1f}" '
            f'height="{h_sp:.1f}"/></g>'
        )
    every = math.ceil((len(bins) - 1) / 12)
    for i in range(0, len(bins) - 1, every):
        x = left + i * step
        ticks.append(
            f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="20" y2="{20 + height}"/>'
            f'<text class="dim" x="{x:.1f}" y="{height + 36}">{_period_name(bins[i], grain)}</text>'
        )
    axis = (
        f'<line class="axis" x1="{left}" x2="{left + width}" y1="{20 + height}" y2="{20 + height}"/>'
        f'<text class="dim" x="{left - 6}" y="28" text-anchor="end">{top:,.0f}</text>'
    )
    key = f'y="{height + 50}" width="10" height="10"'
    legend = (
        f'<rect class="within" x="{left}" {key}/><text class="dim" x="{left + 16}" y="{height + 59}">'
        f'dates within the {grain}</text><rect class="spread" x="{left + 170}" {key}/>'
        f'<text class="dim" x="{left + 186}" y="{height + 59}">longer dates ("2005", "the 1990s"), '
        f"shared among the {grain}s they cover</text>"
    )
    return (
        f'<svg class="timeline" viewBox="0 0 {WIDTH} {height + 70}" role="img" '
        f'aria-label="Dates per {grain}">{"".join(ticks)}{"".join(bars)}{axis}{legend}</svg>'
    )


def _period_name(first_day: date, grain: str) -> str:
    """'Mar 2005', '2005-Q1' or '2005'."""
    if grain == "month":
        return first_day.strftime("%b %Y")
    if grain == "quarter":
        return f"{first_day.year}-Q{(first_day.month - 1) // 3 + 1}"
    return str(first_day.year)


def anchor(article_id: str) -> str:
    """A stable, unique HTML id for an article.

    >>> anchor("seeds_000"), anchor("news/2011 #1")
    ('a-seeds_000', 'a-news-2011--1-7354b71e')
    """
    slug = re.sub(r"[^A-Za-z0-9_.-]", "-", article_id)
    return "a-" + (
        slug if slug == article_id else f"{slug}-{hashlib.sha1(article_id.encode()).hexdigest()[:8]}"
    )


def articles_data(
    t: dict[str, list[dict]], references: dict[str, date | None], out_dir: Path, target: str, strings: Strings
) -> list[list]:
    """For the page's script, per article read: id, anchor, title, text (cut at ``MAX_CHARS``), a note, its
    mentions as [start, end, label, tooltip, no value], and its organisations' entities (string numbers)."""
    typed = {(r["article_id"], r["mention_id"]): r for table in ("money", "dates") for r in t[table]}
    orgs = defaultdict(set)
    for row in t["organisations"]:
        orgs[row["article_id"]].add(strings(row["entity"] or row["canonical"]))
    by_article = defaultdict(list)
    for m in t["mentions"]:
        by_article[m["article_id"]].append(m)
    texts = {r["article_id"]: r["text"] for r in t["texts"]}
    out = []
    for a in (a for a in t["articles"] if a["status"] == "ok"):
        text, note = (texts[a["article_id"]], "") if a["article_id"] in texts else article_text(a, out_dir)
        if len(text) > MAX_CHARS:
            note, text = f"Showing the first {MAX_CHARS:,} of {len(text):,} characters.", text[:MAX_CHARS]
        marks = []
        for m in sorted(by_article[a["article_id"]], key=lambda m: (m["start"], -m["end"])):
            if m["end"] <= len(text):
                tip, no_value = tooltip(m, typed.get((m["article_id"], m["mention_id"])), references, target)
                marks.append([m["start"], m["end"], NAMES.index(m["label"]), strings(tip), int(no_value)])
        out.append(
            [
                a["article_id"],
                anchor(a["article_id"]),
                a["title"] or "",
                text,
                note,
                marks,
                sorted(orgs[a["article_id"]]),
            ]
        )
    return out


def tooltip(
    mention: dict, row: dict | None, references: dict[str, date | None], target: str
) -> tuple[str, bool]:
    """What hovering a mention shows: its normalised value, and for money its converted amount (or why there
    is none) and whether it restates another; for a date without a value, why. Second: it has no value."""
    value = mention["normalized"]
    reference = references.get(mention["article_id"])
    if mention["label"] == "DATE" and row and row["value"] is None:
        return f"no value: {_why_no_value(row, reference)}", True
    if mention["label"] != "MONEY" or not row:
        return value or "(no normalised value)", not value
    why = convert.why_unconverted(row, reference)
    if why:
        value += f"; not in {target}: {convert.REASONS[why]}"
    elif row["currency"] != target:
        value += f" = {target} {row['converted_amount']:,.0f} (ECB rate of {row['rate_date']})"
    if row["restates"] is not None:
        value += f"; restates mention {row['restates']}: left out of the sums"
    return value, False


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


def problems(articles: list[dict]) -> str:
    """A table of the files with status empty or error, and why."""
    rows = "".join(
        f"<tr><td><code>{esc(a['article_id'])}</code></td><td>{esc(a['status'])}</td>"
        f"<td>{esc(a['error'] or '')}</td><td><code>{esc(a['path'])}</code></td></tr>"
        for a in articles
        if a["status"] != "ok"
    )
    if not rows:
        return '<p class="none">None: every file was read and had text.</p>'
    return f"<table><tr><th>Article</th><th>Status</th><th>Reason</th><th>Path</th></tr>{rows}</table>"
