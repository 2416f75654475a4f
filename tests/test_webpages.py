"""Saved web pages as articles: main text without page furniture, title and date from the metadata, the
page's charset, and a clear row for every bad page."""

from datetime import date

import pytest

from pipeline import webpages
from pipeline.articles import read_article

STORY = (
    "<p>Capita has won a £40m contract with the Home Office to run its visa processing service, the "
    "company said on Tuesday.</p><p>The five-year contract starts next April and covers 40 per cent of "
    "applications.</p>"
)
COOKIES = (
    '<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience. '
    "Accept all cookies.</p></div>"
)
MENUS = (
    '<header><a href="/">Daily Contracts News</a><nav><ul><li><a href="/tech">Technology</a></li>'
    '<li><a href="/gov">Government</a></li></ul></nav></header>'
)
SIDEBAR = (
    '<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Serco loses £20m prison '
    "contract</a></li></ul></aside><footer><p>© 2024 Daily Contracts News Ltd. All rights reserved."
    "</p></footer>"
)
UTF8 = '<meta charset="utf-8">'
MONEY = "costs £5m, or €6m, in “new” money"


def page(body: str, head: str = "", charset: str = UTF8, title: str = "Capita wins deal") -> str:
    return (
        f"<!DOCTYPE html><html><head>{charset}<title>{title} | Daily Contracts News</title>{head}</head>"
        f"<body>{body}</body></html>"
    )


def news(head: str = "", inside: str = "") -> bytes:
    """A news page: its story inside an <article> with a headline, between a header, menu and sidebar."""
    article = f"<article><h1>Capita wins deal</h1>{inside}{STORY}</article>"
    return page(f"{COOKIES}{MENUS}<main>{article}{SIDEBAR}</main>", head).encode("utf-8")


def legacy(charset: str, encoding: str, words: str = MONEY) -> bytes:
    """A page in ``encoding``, declared by the markup ``charset``."""
    return page(
        f"<article><p>The Home Office said the deal {words}, the department said on Tuesday in a "
        f"short statement to the press.</p></article>",
        charset=charset,
    ).encode(encoding)


def dated(published: date, present: str = "Capita has won") -> tuple:
    """The expected row of a news page dated ``published``: ok, UTF-8, its story read."""
    return "ok", "utf-8", published, [present], [], None


def read_as(encoding: str, present: str = MONEY) -> tuple:
    """The expected row of a page decoded as ``encoding``."""
    return "ok", encoding, None, [present], [], None


def bad(status: str, error: str, encoding: str | None = None) -> tuple:
    return status, encoding, None, [], [], error


JSON_LD = (
    '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
    '"headline": "Capita wins deal", "datePublished": "2013-01-28T10:00:00Z", '
    '"dateModified": "2014-05-05"}</script>'
)
OG_DATE = '<meta property="article:published_time" content="2011-11-01T09:30:00+00:00">'
LATIN1 = '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
XML = b'<?xml version="1.0" encoding="ISO-8859-1"?>\n'
NO_TEXT = "characters of text are all navigation, menus, footers or other page furniture"
CASES = [
    # name, bytes, then: status, encoding, published, in the text, not in the text, error
    (
        "furniture_removed",
        news(),
        "ok",
        "utf-8",
        None,
        ["Capita wins deal\n\nCapita has won a £40m contract", "covers 40 per cent of applications."],
        ["cookies", "Technology", "Related stories", "Serco", "All rights reserved"],
        None,
    ),
    ("og_published_time", news(OG_DATE), *dated(date(2011, 11, 1))),
    (
        "time_datetime",
        news(inside='<p><time datetime="2017-06-23T10:00">23 June 2017</time></p>'),
        *dated(date(2017, 6, 23)),
    ),
    ("json_ld_published_not_modified", news(JSON_LD), *dated(date(2013, 1, 28))),
    ("meta_name_date", news('<meta name="date" content="2015-08-12">'), *dated(date(2015, 8, 12))),
    (
        "itemprop_date_published",
        news('<meta itemprop="datePublished" content="2019-02-21">'),
        *dated(date(2019, 2, 21)),
    ),
    ("no_date_from_copyright_line", news(), "ok", "utf-8", None, ["Capita has won"], [], None),
    (
        "title_from_title_tag",
        page(f"<article>{STORY}</article>", title="Capita wins visa deal").encode(),
        "ok",
        "utf-8",
        None,
        ["Capita wins visa deal\n\nCapita has won"],
        ["Daily Contracts News"],
        None,
    ),
    ("declared_windows_1252", legacy('<meta charset="windows-1252">', "cp1252"), *read_as("cp1252")),
    ("http_equiv_latin1_read_as_cp1252", legacy(LATIN1, "cp1252"), *read_as("cp1252")),
    (
        "declared_koi8_r",
        legacy('<meta charset="koi8-r">', "koi8-r", "with Газпром costs 5m roubles"),
        *read_as("koi8-r", "with Газпром costs 5m roubles"),
    ),
    ("xml_declaration", XML + legacy("", "cp1252"), *read_as("cp1252")),
    ("undeclared_utf8", legacy("", "utf-8"), *read_as("utf-8")),
    ("undeclared_cp1252", legacy("", "cp1252"), *read_as("cp1252")),
    (
        "utf8_bom_beats_declaration",
        b"\xef\xbb\xbf" + legacy('<meta charset="iso-8859-1">', "utf-8"),
        *read_as("utf-8"),
    ),
    ("utf16_bom", legacy(UTF8, "utf-16"), *read_as("utf-16-le")),
    ("declared_utf16_without_bom_is_utf8", legacy('<meta charset="utf-16">', "utf-8"), *read_as("utf-8")),
    (
        "declared_utf8_but_cp1252_bytes",
        legacy(UTF8, "cp1252"),
        *bad("error", "the page declares charset utf-8, but byte 0xa3 at offset"),
    ),
    ("utf16_bom_odd_bytes", b"\xff\xfe<\x00p\x00>\x00\x00\xd8", *bad("error", "its byte-order mark says so")),
    ("binary_junk", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", *bad("error", "binary file")),
    ("empty_file", b"", *bad("empty", "no text (empty or only white space)", "utf-8")),
    ("only_white_space", b" \r\n\t\n", *bad("empty", "no text (empty or only white space)", "utf-8")),
    ("only_menus_and_footer", page(MENUS + SIDEBAR).encode(), *bad("empty", NO_TEXT, "utf-8")),
    (
        "script_app_shell",
        page('<div id="root"></div><script>render("story")</script>').encode(),
        *bad("empty", "shows no text (its content is loaded by scripts)", "utf-8"),
    ),
    (
        "too_many_elements",
        page("<p>x</p>" * (webpages.MAX_ELEMENTS + 1)).encode(),
        *bad("error", "more than 100,000 HTML elements"),
    ),
    (
        "plain_text_named_html",
        "BT won a £5m deal from the council on Tuesday, the company said.".encode(),
        *read_as("utf-8", "BT won a £5m deal"),
    ),
]


@pytest.mark.parametrize(
    "name,data,status,encoding,published,present,absent,error", CASES, ids=[c[0] for c in CASES]
)
def test_page(tmp_path, name, data, status, encoding, published, present, absent, error):
    path = tmp_path / f"{name}.html"
    path.write_bytes(data)
    article = read_article(path, tmp_path)
    assert (article.article_id, article.format, article.status) == (name, "html", status)
    assert (article.encoding, article.published) == (encoding, published)
    assert all(part in article.text for part in present), article.text
    assert not any(part in article.text for part in absent), article.text
    assert (error is None and article.error is None) or error in article.error


def test_a_page_larger_than_the_limit_is_an_error_row(tmp_path):
    path = tmp_path / "huge.htm"
    path.write_bytes(news() + b" " * webpages.MAX_PAGE_BYTES)
    article = read_article(path, tmp_path)
    assert (article.status, article.error) == ("error", "web page is larger than 20 MiB")


@pytest.mark.parametrize("name", ["story.HTML", "story.Htm", "story.htm"])
def test_any_case_of_the_suffix_is_a_web_page(tmp_path, name):
    (tmp_path / name).write_bytes(news())
    article = read_article(tmp_path / name, tmp_path)
    assert (article.article_id, article.format, article.title) == ("story", "html", "Capita wins deal")
