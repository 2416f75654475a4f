"""Saved web pages made from ``.txt`` articles, for testing and measuring HTML input.

Each article (title on its first line, paragraphs after it) is wrapped in a news-site page: a header, a
navigation menu, a cookie banner, share buttons, a related-links sidebar, a newsletter box and a footer around
it, and its publication date in the page's metadata. Four page layouts take turns, each giving the date in
another common form (``article:published_time``, ``<time datetime>``, JSON-LD ``datePublished``,
``<meta name="date">``).

    python tests/html_pages.py make ARTICLES PAGES     # PAGES/<name>.html for each ARTICLES/<name>.txt
    python tests/html_pages.py measure ARTICLES OUT    # text kept and boilerplate leaked in an extract output
"""

from __future__ import annotations

import csv
import html
import json
import re
import sys
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path

import pandas as pd

# Page furniture; a piece has leaked when the text taken holds it more often than the article does. The
# related headlines and the "read more" link hold amounts, organisations and dates: a leak shows in scores.
SITE = "Contract Wire Daily"
MENU = ["Home", "Public sector", "Defence", "Technology", "Markets", "Opinion", "Events", "Subscribe"]
COOKIES = (
    "We use cookies to personalise content and ads and to analyse our traffic. By clicking Accept all "
    "you agree to the storing of cookies on your device."
)
SHARE = ["Share on Facebook", "Share on X", "Share on LinkedIn", "Email this article"]
RELATED = [
    "Northgate Council signs £12m waste collection deal with Veolia",
    "Babcock shares fall 8% after March 2019 profit warning",
    "Serco wins seven-year prison escort contract worth $310 million",
]
NEWSLETTER = "Sign up to our Daily Briefing newsletter for the top contract stories in your inbox daily."
FOOTER = [
    f"© 2024 {SITE} Media Group Ltd. Registered in England and Wales No. 04417733.",
    "Privacy policy",
    "Terms and conditions",
    "Cookie settings",
    "Contact the newsroom",
]
# Inside the article element: a picture's caption, a "read more" link between paragraphs, topic tags, the
# author's note and readers' comments.
CAPTION = "The agreement was signed at the department's London headquarters. Photo: Contract Wire archive"
READ_MORE = "Capita shares rise 4% on £90m outsourcing win"
TAGS = ["Procurement", "Outsourcing", "Government contracts"]
AUTHOR = "Jane Porter covers public procurement for Contract Wire Daily. Follow her on X at @jporter_cw."
COMMENTS = [
    "Another £4bn of taxpayers' money handed to the usual suspects.",
    "The last framework ran two years late. Why would this one be different?",
]
BOILERPLATE = [
    SITE,
    *MENU,
    COOKIES,
    *SHARE,
    *RELATED,
    NEWSLETTER,
    *FOOTER,
    CAPTION,
    READ_MORE,
    *TAGS,
    AUTHOR,
    *COMMENTS,
]


def split(text: str) -> tuple[str, list[str]]:
    """An article's title (its first non-empty line) and its paragraphs (blocks between blank lines)."""
    lines = text.strip().splitlines()
    paragraphs = [p.strip() for p in "\n".join(lines[1:]).split("\n\n") if p.strip()]
    return lines[0].strip(), paragraphs


def date_markup(layout: int, published: date | None, title: str) -> tuple[str, str]:
    """(in <head>, in the article's byline) giving the publication date in the layout's form."""
    if published is None:
        return "", ""
    day = published.isoformat()
    if layout == 0:
        return f'<meta property="article:published_time" content="{day}T08:30:00+00:00">', ""
    if layout == 1:
        return "", f'<time datetime="{day}T08:30">{published:%d %B %Y}</time>'
    if layout == 2:
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": day,
            "publisher": {"@type": "Organization", "name": SITE},
        }
        return f'<script type="application/ld+json">{json.dumps(ld)}</script>', ""
    return f'<meta name="date" content="{day}">', ""


TEMPLATE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | {site}</title>
<meta property="og:title" content="{title}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{site}">
<meta name="description" content="{description}">
{head_date}
<link rel="stylesheet" href="/static/site.css">
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"page": "article"}});</script>
</head>
<body>
<div id="cookie-banner" class="cookie-consent"><p>{cookies}</p><button>Accept all</button></div>
<header class="site-header"><a class="logo" href="/">{site}</a>
<nav class="main-menu"><ul>{menu}</ul></nav></header>
{open_main}{open_article}<h1>{title}</h1>
<p class="byline">By the Contract Wire newsroom {byline_date}</p>
<ul class="share-tools">{share}</ul>
<figure><img src="/img/signing.jpg" alt=""><figcaption>{caption}</figcaption></figure>
{body}
<div class="tags">Topics: {tags}</div>
<div class="author-bio"><p>{author}</p></div>
{close_article}
<section id="comments" class="comments"><h2>2 comments</h2>{comments}</section>
<aside class="sidebar related"><h2>Related stories</h2><ul>{related}</ul>
<div class="newsletter"><p>{newsletter}</p><form><input type="email"><button>Sign up</button></form></div>
</aside>
{close_main}
<footer class="site-footer"><p>{copyright}</p><ul>{footer}</ul></footer>
<script src="/static/analytics.js"></script>
</body>
</html>
"""
# (open main, open article, close article, close main): HTML5 elements, or only <div>s with classes and roles
LAYOUTS = [
    ("<main>", "<article>", "</article>", "</main>"),
    ("<main>", '<article class="story">', "</article>", "</main>"),
    ('<div id="content">', '<div class="post-content entry">', "</div>", "</div>"),
    ('<div role="main">', '<div class="article-body">', "</div>", "</div>"),
]


def links(items: list[str], prefix: str) -> str:
    return "".join(
        f'<li><a href="/{prefix}/{n}">{html.escape(item)}</a></li>' for n, item in enumerate(items)
    )


def page(text: str, published: date | None, layout: int) -> str:
    """A whole HTML document around the article ``text``, in one of the ``LAYOUTS`` (taken modulo 4)."""
    title, paragraphs = split(text)
    head_date, byline_date = date_markup(layout % 4, published, title)
    blocks = [f"<p>{'<br>'.join(map(html.escape, p.splitlines()))}</p>" for p in paragraphs]
    blocks.insert(2, f'<p class="read-more"><strong>Read more:</strong> <a href="/s/9">{READ_MORE}</a></p>')
    open_main, open_article, close_article, close_main = LAYOUTS[layout % 4]
    description = html.escape(paragraphs[0][:150] if paragraphs else "")
    return TEMPLATE.format(
        title=html.escape(title),
        site=SITE,
        description=description,
        head_date=head_date,
        cookies=COOKIES,
        menu=links(MENU, "section"),
        open_main=open_main,
        open_article=open_article,
        byline_date=byline_date,
        share=links(SHARE, "share"),
        caption=CAPTION,
        body="\n".join(blocks),
        tags=", ".join(f'<a href="/topic/{n}">{t}</a>' for n, t in enumerate(TAGS)),
        author=AUTHOR,
        comments="".join(f'<div class="comment"><p>{html.escape(c)}</p></div>' for c in COMMENTS),
        close_article=close_article,
        related=links(RELATED, "story"),
        newsletter=NEWSLETTER,
        close_main=close_main,
        copyright=FOOTER[0],
        footer=links(FOOTER[1:], "about"),
    )


def manifest(folder: Path) -> dict[str, date]:
    """{article file stem: publication date} from ``folder/manifest.csv``, if there is one."""
    path = folder / "manifest.csv"
    if not path.is_file():
        return {}
    with open(path, newline="", encoding="utf-8") as f:
        return {
            Path(r["article"]).stem: date.fromisoformat(r["published"])
            for r in csv.DictReader(f)
            if r["published"].strip()
        }


def make(articles: Path, pages: Path) -> int:
    """Write a page for every ``.txt`` article; the layouts take turns. Returns how many."""
    pages.mkdir(parents=True, exist_ok=True)
    dates = manifest(articles)
    sources = sorted(articles.glob("*.txt"))
    for n, source in enumerate(sources):
        text = source.read_text(encoding="utf-8")
        (pages / f"{source.stem}.html").write_text(page(text, dates.get(source.stem), n), encoding="utf-8")
    return len(sources)


def words(text: str) -> str:
    return " ".join(text.split())


def leaked(original: str, taken: str) -> list[str]:
    """The boilerplate lines the taken text holds more often than the article does (as whole words)."""

    def count(line: str, text: str) -> int:
        return len(re.findall(rf"(?<!\w){re.escape(line)}(?!\w)", text))

    return [line for line in BOILERPLATE if count(line, taken) > count(line, original)]


def measure(articles: Path, out: Path) -> pd.DataFrame:
    """Per page: the share of its article's characters (white space aside) found in order in the text taken
    from it, the characters taken that are not the article's, the boilerplate lines leaked, and whether the
    reference date is the manifest's."""
    texts = pd.read_parquet(out / "texts.parquet").set_index("article_id").text
    table = pd.read_parquet(out / "articles.parquet").set_index("article_id")
    dates = manifest(articles)
    rows = []
    for source in sorted(articles.glob("*.txt")):
        original, taken = words(source.read_text(encoding="utf-8")), words(texts.get(source.stem, ""))
        blocks = SequenceMatcher(None, original, taken, autojunk=False).get_matching_blocks()
        matched = sum(block.size for block in blocks)
        row = table.loc[source.stem]
        expected = dates.get(source.stem)
        rows.append(
            {
                "article": source.stem,
                "status": row.status,
                "chars": len(original),
                "kept": matched / len(original),
                "extra_chars": len(taken) - matched,
                "leaked": " | ".join(leaked(original, taken)),
                "reference": f"{row.reference_date} ({row.reference_date_source})",
                "date_as_manifest": expected is None or row.reference_date == expected,
            }
        )
    return pd.DataFrame(rows)


def main(argv: list[str]) -> int:
    if len(argv) != 4 or argv[1] not in ("make", "measure"):
        print(__doc__.split("\n\n")[-1], file=sys.stderr)
        return 2
    if argv[1] == "make":
        print(f"{make(Path(argv[2]), Path(argv[3]))} pages in {argv[3]}")
        return 0
    found = measure(Path(argv[2]), Path(argv[3]))
    print(found.to_string(index=False))
    kept = (found.kept * found.chars).sum() / found.chars.sum()
    print(
        f"{len(found)} pages, {found.status.eq('ok').sum()} ok; article text kept: {kept:.1%} of "
        f"{found.chars.sum():,} characters, {found.kept.ge(0.999).sum()} pages whole; other text taken: "
        f"{found.extra_chars.sum():,} characters; pages with boilerplate leaked: "
        f"{found.leaked.ne('').sum()}; reference date as in the manifest: {found.date_as_manifest.sum()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
