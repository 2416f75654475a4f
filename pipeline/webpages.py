"""Saved web pages (``.html``, ``.htm``) as articles: decoded as a browser decodes them, parsed with lxml, and
their title, publication date and main text (without navigation, cookie banners, related links or footers)
taken with trafilatura.

An article's text is its title, then the main text's paragraphs, separated by blank lines, as a ``.txt``
article is written; mention offsets are into that text.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version

import lxml.etree
import lxml.html
import trafilatura
from w3lib.encoding import html_body_declared_encoding, read_bom

MAX_PAGE_BYTES = 20 * 2**20  # 20 MiB of markup takes trafilatura about 25 s and 650 MB
MAX_ELEMENTS = 100_000  # a long news page has a few thousand; 100,000 take trafilatura about 4 s
FALLBACK_ENCODINGS = ("utf-8", "cp1252", "latin-1")  # without a declaration: the first that decodes the page
# Only the page's metadata (meta tags, JSON-LD, <time>), never a guess from its text ("© 2024" in a footer);
# htmldate's default earliest date (1995) would drop older pages.
DATE_SEARCH = {"extensive_search": False, "original_date": True, "min_date": "1900-01-01"}
# As trafilatura parses, but with no limit on one text node or attribute: a page saved with its images inline
# (data: addresses of several MB) parses too. The bytes are already decoded: a <meta charset> is ignored.
PARSER = lxml.html.HTMLParser(
    encoding="utf-8",
    huge_tree=True,
    remove_comments=True,
    remove_pis=True,
    collect_ids=False,
    default_doctype=False,
)
# the text a reader of the page sees: none from scripts, styles and the like
VISIBLE_TEXT = "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
# Elements the HTML standard and ARIA define as page furniture, never the article: trafilatura leaves them out
# of its main text; this keeps them out of its fall-backs too (a page with only a menu has no article text).
FURNITURE = [
    "//nav",
    "//footer",
    "//body/header",
    "//*[@role='navigation' or @role='contentinfo' or @role='banner']",
]
LIBRARIES = ("trafilatura", "htmldate", "justext", "lxml", "w3lib")  # what the text of a page depends on


class BadPage(Exception):
    """A file that cannot be read as a web page; the message says why."""


@dataclass
class Page:
    """What a page gives an article: its text (title and main text), the charset read, its date."""

    text: str
    encoding: str
    published: date | None = None
    no_text: str | None = None  # why a page with markup has no article text


def read_page(data: bytes) -> Page:
    """The article in a web page's bytes; raises ``BadPage`` with the reason."""
    if len(data) > MAX_PAGE_BYTES:
        raise BadPage(f"web page is larger than {MAX_PAGE_BYTES // 2**20} MiB")
    markup, encoding = decode(data)
    if not markup.strip():
        return Page(markup, encoding)
    tree = parse(markup)
    found = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        date_extraction_params=DATE_SEARCH,
        prune_xpath=FURNITURE,
    )
    text = article_text(found.title if found else None, found.text if found else None)
    if not text:
        return Page("", encoding, no_text=why_no_text(tree))
    return Page(text, encoding, published(found.date))


def decode(data: bytes) -> tuple[str, str]:
    """(markup, encoding) as the HTML standard decodes a file: its byte-order mark, else the charset its
    ``<meta>`` or XML declaration names, else UTF-8, else cp1252 (the web's default), else Latin-1, as a
    ``.txt`` article. A page that is not in the encoding its mark or declaration names is a ``BadPage``."""
    bom_encoding, bom = read_bom(data)
    if bom_encoding:
        return _strict(data[len(bom) :], bom_encoding, "its byte-order mark says so")
    if b"\x00" in data:
        raise BadPage("binary file (contains NUL bytes), not a web page")
    declared = html_body_declared_encoding(data)
    if declared and codecs.lookup(declared).name.startswith(("utf-16", "utf-32")):
        declared = "utf-8"  # the standard's rule: a declaration readable as ASCII cannot be UTF-16's
    if declared:
        return _strict(data, declared, f"the page declares charset {declared}")
    for encoding in FALLBACK_ENCODINGS[:-1]:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode(FALLBACK_ENCODINGS[-1]), FALLBACK_ENCODINGS[-1]


def _strict(data: bytes, encoding: str, reason: str) -> tuple[str, str]:
    try:
        return data.decode(encoding), codecs.lookup(encoding).name
    except UnicodeDecodeError as err:
        raise BadPage(
            f"cannot decode the page: {reason}, but byte 0x{err.object[err.start]:02x} at offset "
            f"{err.start} is not {encoding}"
        ) from None


def parse(markup: str) -> lxml.html.HtmlElement:
    """The page's element tree; ``BadPage`` if it is not HTML or is too large to read in reasonable time."""
    try:
        tree = lxml.html.document_fromstring(markup.encode("utf-8"), parser=PARSER)
    except (lxml.etree.ParserError, ValueError) as err:
        raise BadPage(f"not an HTML page: {err}") from None
    if tree is None:
        raise BadPage("not an HTML page: the parser found no document")
    if int(tree.xpath("count(//*)")) > MAX_ELEMENTS:
        raise BadPage(f"web page has more than {MAX_ELEMENTS:,} HTML elements, too many for an article")
    return tree


def article_text(title: str | None, body: str | None) -> str:
    """The title, then the main text's lines, separated by blank lines; the title is not repeated when the
    main text starts with it (a headline inside the article element).

    >>> article_text("Deal signed", "Deal signed\\nA £5m deal.\\n\\nIt runs\\n")
    'Deal signed\\n\\nA £5m deal.\\n\\nIt runs'
    """
    lines = [line.strip() for line in (body or "").splitlines() if line.strip()]
    if not lines:
        return ""
    title = " ".join((title or "").split())
    if title and lines[0] != title:
        lines.insert(0, title)
    return "\n\n".join(lines)


def why_no_text(tree: lxml.html.HtmlElement) -> str:
    """Why trafilatura found no article text in a page: it shows no text at all, or only page furniture."""
    visible = " ".join(" ".join(tree.xpath(VISIBLE_TEXT)).split())
    if not visible:
        scripted = " (its content is loaded by scripts)" if tree.xpath("//script") else ""
        return f"no text: the web page shows no text{scripted}"
    return (
        f"no article text: the web page's {len(visible):,} characters of text are all navigation, menus, "
        f"footers or other page furniture to trafilatura"
    )


def published(found: str | None) -> date | None:
    """The publication date trafilatura read from the page's metadata (ISO), else None."""
    try:
        return date.fromisoformat(found) if found else None
    except ValueError:
        return None


def versions() -> str:
    """The versions of the libraries a page's text depends on, for the incremental fingerprint."""
    return " ".join(f"{name}=={version(name)}" for name in LIBRARIES)
