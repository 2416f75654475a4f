"""Articles in, table rows out: the pipeline reads each article (a long one in pieces, whose Docs are joined
for the stages that read a whole article) and ``rows.doc_rows`` makes the tables of its Doc."""

from __future__ import annotations

import re
from datetime import date
from typing import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.articles import Article
from pipeline.nlp import ARTICLE_STAGES
from pipeline.rows import doc_rows

BATCH_CHARS = 30_000  # characters the model reads at once: bigger batches run faster, memory grows with them
LONG_RUN = re.compile(r"\S{200,}")  # no word, number or name is this long; the tokenizer is quadratic on it


def pieces(text: str, limit: int) -> list[str]:
    r"""The text cut into pieces of at most ``limit`` characters: on a paragraph break where there is one in
    the second half of the window, else a line break, a sentence end or a space.

    >>> pieces("one two.\n\nthree four", 12)
    ['one two.\n\n', 'three four']
    """
    out, start = [], 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cuts = (window.rfind(sep, limit // 2) for sep in ("\n\n", "\n", ". ", " "))
        cut = next((c + 1 for c in cuts if c >= 0), limit)
        cut += window[cut : cut + 1] == "\n"
        out.append(text[start : start + cut])
        start += cut
    out.append(text[start:])
    return out


def readable(text: str) -> str:
    """The text the model reads: runs of 200 or more characters without a space (encoded data, symbol
    runs) become spaces of the same length, so offsets stay exact and the tokenizer stays linear.

    >>> readable("a " + "$" * 300 + " b").split()
    ['a', 'b']
    """
    return LONG_RUN.sub(lambda run: " " * len(run.group()), text)


def batched_by_size(jobs: list[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
    """Consecutive jobs grouped so that each group holds about ``BATCH_CHARS`` characters of text."""
    group, size = [], 0
    for job in jobs:
        if group and size + len(job[1]) > BATCH_CHARS:
            yield group
            group, size = [], 0
        group.append(job)
        size += len(job[1])
    if group:
        yield group


def process(
    nlp: Language, batch: list[tuple[Article, date | None, str]], limit: int
) -> list[dict[str, list[dict]]]:
    """Rows for each article of a batch: {table: rows}. Articles that could not be read get only their row."""
    jobs = [
        (i, piece)
        for i, (a, _, _) in enumerate(batch)
        if a.status == "ok"
        for piece in pieces(readable(a.text), limit)
    ]
    found = read_pieces(nlp, jobs)
    return [
        finish(nlp, article, given, source, found.get(i, []))
        for i, (article, given, source) in enumerate(batch)
    ]


def read_pieces(nlp: Language, jobs: list[tuple[int, str]]) -> dict[int, list[Doc]]:
    """{key: Docs} of the pieces (key, text) of texts, in order, through the stages that need no whole
    article."""
    found: dict[int, list[Doc]] = {}
    docs = (
        doc
        for group in batched_by_size(jobs)
        for doc in nlp.pipe([p for _, p in group], batch_size=len(group), disable=ARTICLE_STAGES)
    )
    for (key, _), doc in zip(jobs, docs):
        found.setdefault(key, []).append(doc)
    return found


def finish(
    nlp: Language, article: Article, given: date | None, source: str, docs: list[Doc]
) -> dict[str, list[dict]]:
    """An article's rows from the Docs of its pieces; its reference date is the one ``given`` (manifest or
    flag), else a web page's metadata, else its dateline."""
    if article.status != "ok":
        return {"articles": [article_row(article, given, source)]}
    reference = given if given is not None else article.published
    source = source if given is not None else "html_meta" if reference is not None else "dateline"
    doc = article_doc(nlp, docs, reference)
    return {
        "articles": [article_row(article, doc._.reference_date, source)],
        "texts": [{"article_id": article.article_id, "text": article.text}],
        **doc_rows(doc, article.article_id),
    }


def article_doc(nlp: Language, docs: list[Doc], reference: date | None) -> Doc:
    """The Doc of a whole article from the Docs of its pieces, through the stages that read a whole
    article."""
    doc = docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor"])
    doc._.reference_date = reference
    for name in ARTICLE_STAGES:
        doc = nlp.get_pipe(name)(doc)
    return doc


def parts(article: Article, limit: int, size: int) -> list[list[tuple[int, str]]]:
    """A long article's pieces in consecutive parts of about ``size`` characters, to be read in parallel."""
    out: list[list[tuple[int, str]]] = [[]]
    for piece in pieces(readable(article.text), limit):
        if out[-1] and sum(len(p) for _, p in out[-1]) + len(piece) > size:
            out.append([])
        out[-1].append((0, piece))
    return out


def article_row(article: Article, reference: date | None, source: str) -> dict:
    return {
        "article_id": article.article_id,
        "path": article.path,
        "format": article.format,
        "sha256": article.sha256,
        "title": article.title,
        "reference_date": reference.isoformat() if reference else None,
        "reference_date_source": source if reference else "none",
        "n_chars": len(article.text),
        "encoding": article.encoding,
        "status": article.status,
        "error": article.error,
    }


def error_rows(article: Article, reference: date | None, source: str, why: str) -> dict[str, list[dict]]:
    """The rows of an article that failed: its ``articles`` row, status error, saying why."""
    article.status, article.error = "error", why
    return {"articles": [article_row(article, reference, source)]}
