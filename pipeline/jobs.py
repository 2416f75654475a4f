"""What one job is (an article to read, with the reference date it was given) and how a worker process turns
a batch of jobs into rows. Both engines (``run`` locally, ``dask_engine`` on Dask) use this module; neither
imports the other."""

from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterator

from spacy.tokens import DocBin

from pipeline import articles, reading
from pipeline import nlp as nlp_builder
from pipeline.normalize import convert

BATCH = 16  # articles a worker takes at a time
SPLIT_CHARS = 100_000  # an article larger than this is read by all workers at once, in parts of this size
TIMED_OUT = "timed out: extraction took more than {:g} s (--article-timeout)"
ARTICLE_TIMEOUT = 600.0  # seconds an article may take before an error row (a 5 MB article: about a minute)


@dataclass(frozen=True)
class Job:
    """One article to process: where it is (a local path or a URL) and the reference date given for it
    (manifest or flag)."""

    path: str
    root: str
    article_id: str  # from articles.article_ids: its path without the suffix, unless another file has that id
    reference: date | None
    reference_source: str
    problem: str | None = None  # why the path cannot be read, known from the folder walk (an error row)
    size: int | None = None  # bytes, when the listing says (a URL's)
    data: bytes | None = None  # the file's bytes, sent along to workers that cannot read the client's disk

    def article(self) -> articles.Article:
        return articles.read_article(self.path, self.root, self.problem, self.article_id, self.data)


def jobs_for(
    folder: Path | str, reference: date | None, manifest: Path | str | None, skip: tuple[Path, ...] = ()
) -> list[Job]:
    """A job per article file (and per path the walk could not read), with the manifest's date (else the
    flag's) as its given reference date. ``folder`` is a local folder or a URL; folders in ``skip`` (the
    output) are not searched."""
    manifest = manifest or articles.manifest_in(folder)
    published = articles.read_manifest(manifest) if manifest else {}
    if articles.is_url(folder):
        listed = articles.discover_url(folder, skip)
    else:
        listed = [(str(path), problem, None) for path, problem in articles.discover(folder, skip)]
    identities = articles.article_ids([path for path, _, _ in listed], folder)
    jobs = []
    for (path, problem, size), identity in zip(listed, identities):
        aid = articles.article_id(path, folder)  # a manifest names an article without its suffix
        if aid in published:
            jobs.append(Job(path, str(folder), identity, published[aid], "manifest", problem, size))
        else:
            source = "flag" if reference else "none"
            jobs.append(Job(path, str(folder), identity, reference, source, problem, size))
    return jobs


def batches(jobs: list[Job]) -> Iterator[list[Job]]:
    """Consecutive jobs, ``BATCH`` at a time; a long article is a batch of its own."""
    batch: list[Job] = []
    for job in jobs:
        if is_long(job):
            yield from [batch, [job]] if batch else [[job]]
            batch = []
            continue
        batch.append(job)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def is_long(job: Job) -> bool:
    """A text file over ``SPLIT_CHARS``; a web page's size says little about its text's, and its text is
    taken in a worker."""
    if job.problem is not None or articles.article_format(job.path) != "txt":
        return False
    if job.size is not None or articles.is_url(job.path):
        return (job.size or 0) > SPLIT_CHARS
    try:
        return os.path.getsize(job.path) > SPLIT_CHARS
    except OSError:
        return False


_NLP = None
_PIECE_CHARS = 20_000
_TIMEOUT: float | None = ARTICLE_TIMEOUT


class TimedOut(BaseException):
    """An article went over its time budget (a BaseException, so no library code swallows it)."""


def init_worker(
    model: str | None,
    extra_rules: tuple[str, ...],
    nlp=None,
    timeout: float | None = ARTICLE_TIMEOUT,
    convert_to: str = convert.DEFAULT_TARGET,
) -> None:
    """Load the pipeline and the exchange rates once per worker process (or take a pipeline already built)."""
    global _NLP, _PIECE_CHARS, _TIMEOUT
    _NLP = nlp or nlp_builder.build(model, extra_rules, convert.check_target(convert_to))
    _PIECE_CHARS = int(nlp_builder.load_config()["pipeline"]["piece_chars"])
    _TIMEOUT = timeout


def process_jobs(batch: list[Job]) -> list[dict[str, list[dict]]]:
    """Rows for a batch of jobs, in the worker that loaded the pipeline. If extraction fails or goes over the
    batch's time budget, the articles are redone one by one, so that only the one at fault gets an error
    row."""
    items = [(j.article(), j.reference, j.reference_source) for j in batch]
    try:
        with time_limit(_TIMEOUT and _TIMEOUT * len(items)):
            return reading.process(_NLP, items, _PIECE_CHARS)
    except (Exception, TimedOut):
        return [_process_one(item) for item in items]


def _process_one(item: tuple[articles.Article, date | None, str]) -> dict[str, list[dict]]:
    try:
        with time_limit(_TIMEOUT):
            return reading.process(_NLP, [item], _PIECE_CHARS)[0]
    except (Exception, TimedOut) as err:  # a bug met on this article: say so in its row and go on
        return failed_rows(*item, err)


def failed_rows(
    article: articles.Article, reference: date | None, source: str, err: BaseException
) -> dict[str, list[dict]]:
    """The error row of an article whose extraction went over its time budget (``TimedOut``) or failed."""
    if isinstance(err, TimedOut):
        return reading.error_rows(article, reference, source, TIMED_OUT.format(_TIMEOUT))
    return reading.error_rows(article, reference, source, f"extraction failed: {type(err).__name__}: {err}")


def died_rows(job: Job) -> dict[str, list[dict]]:
    """The error row of an article whose worker process died each time it was tried."""
    return reading.error_rows(
        job.article(),
        job.reference,
        job.reference_source,
        "the worker process died on this article (killed, out of memory or crashed)",
    )


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``TimedOut`` in the block after ``seconds`` (a real-time alarm). Only in a process's main thread,
    where signals are delivered: in threaded workers (Dask) there is no budget."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise TimedOut

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def parts(article: articles.Article) -> list[list[tuple[int, str]]]:
    """A long article cut into parts that workers read at once (``read_part``)."""
    return reading.parts(article, _PIECE_CHARS, SPLIT_CHARS)


def read_part(part: list[tuple[int, str]]) -> bytes:
    """In a worker: the Docs of one part of a long article's pieces, serialised."""
    with time_limit(_TIMEOUT):
        return DocBin(store_user_data=True, docs=reading.read_pieces(_NLP, part).get(0, [])).to_bytes()


def joined_rows(job: Job, article: articles.Article, found: list[bytes]) -> dict[str, list[dict]]:
    """A long article's rows from the Docs ``read_part`` made of each of its parts, in order."""
    docs = [doc for part in found for doc in DocBin().from_bytes(part).get_docs(_NLP.vocab)]
    return reading.finish(_NLP, article, job.reference, job.reference_source, docs)
