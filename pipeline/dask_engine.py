"""Run the extraction on Dask: the same batches as the local engine, yielded in the same order.

Workers read URL inputs (``s3://...``) themselves, through fsspec. On a cluster at ``--scheduler``, whose
workers need not share the client's disk, the articles of a local folder are read here and their bytes sent
along with their batch. Dask is optional (``pip install '.[dask]'``): it is imported only here, when this
engine is used."""
from __future__ import annotations

import contextlib
import dataclasses
import logging
import tempfile
import threading
from collections import deque
from pathlib import Path
from typing import Iterator

from pipeline import articles, run

IN_FLIGHT = 4  # batches submitted ahead, per worker
_loaded: tuple | None = None  # (model, extra_rules) of the pipeline this worker process holds
_lock = threading.Lock()


def process_on_worker(batch: list[run.Job], model: str | None, extra_rules: tuple[str, ...]) -> list[dict]:
    """``run.process_jobs`` in a Dask worker, which loads the pipeline the first time only."""
    global _loaded
    with _lock:
        if _loaded != (model, extra_rules):
            run.init_worker(model, extra_rules)
            _loaded = (model, extra_rules)
    return run.process_jobs(batch)


def dask_results(jobs: list[run.Job], model: str | None, extra_rules: tuple[str, ...],
                 scheduler: str | None = None, workers: int | None = None) -> Iterator[list[dict[str, list[dict]]]]:
    """Rows batch by batch, in input order, like ``run.local_results``.

    On a local cluster of ``workers`` single-threaded processes, or on the cluster at ``scheduler``.
    At most ``IN_FLIGHT`` batches per worker are submitted ahead, so memory stays flat on big corpora.
    Fails at once, before anything runs, when Dask is not installed."""
    try:
        import dask
        import distributed
    except ImportError:
        raise RuntimeError("--engine dask needs Dask: pip install '.[dask]'") from None
    return _results(dask, distributed, jobs, model, extra_rules, scheduler, workers)


def _results(dask, distributed, jobs, model, extra_rules, scheduler, workers) -> Iterator[list[dict[str, list[dict]]]]:
    """The cluster and client are closed when the rows are all out, on an error, or when the caller stops."""
    if scheduler:
        with distributed.Client(scheduler) as client:
            yield from _ordered(client, jobs, model, extra_rules, carry_bytes=True)
        return
    try:
        yield from _local_cluster(dask, distributed, jobs, model, extra_rules, workers)
    finally:
        _close_half_made_clusters(distributed)


def _local_cluster(dask, distributed, jobs, model, extra_rules, workers) -> Iterator[list[dict[str, list[dict]]]]:
    with tempfile.TemporaryDirectory(prefix="contract-news-dask-") as scratch:
        # the cluster's lock and spill files go to a folder of this run, removed with it; worker logs are
        # silenced, so a stopped run prints no tracebacks of the workers it stopped
        with dask.config.set({"temporary-directory": scratch}), distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                local_directory=scratch, silence_logs=logging.CRITICAL) as cluster, distributed.Client(cluster) as client:
            yield from _ordered(client, jobs, model, extra_rules)


def _close_half_made_clusters(distributed) -> None:
    """A run stopped while its cluster was still starting leaves it half made: close it quietly here, since
    Dask's own exit hook would print a traceback when it cannot."""
    for cluster in list(distributed.deploy.spec.SpecCluster._instances):
        with contextlib.suppress(Exception):
            if getattr(cluster, "status", None) != distributed.core.Status.closed:
                cluster.close(timeout=5)
        cluster.shutdown_on_close = False  # done here: the exit hook leaves it


def _ordered(client, jobs, model, extra_rules, carry_bytes=False) -> Iterator[list[dict[str, list[dict]]]]:
    """Submit batches in a bounded window; yield each result in turn as the oldest one completes. With
    ``carry_bytes``, local files are read here as their batch is submitted: only the window's are held."""
    window = IN_FLIGHT * max(1, sum(client.nthreads().values()))
    pending: deque = deque()
    for batch in run.batches(jobs):
        if carry_bytes:
            batch = [with_bytes(job) for job in batch]
        pending.append((batch, client.submit(process_on_worker, batch, model, extra_rules, pure=False)))
        if len(pending) >= window:
            yield _rows(client, *pending.popleft(), model, extra_rules)
    while pending:
        yield _rows(client, *pending.popleft(), model, extra_rules)


def with_bytes(job: run.Job) -> run.Job:
    """A local file's job with its bytes, or with why it cannot be read; a URL's job as it is."""
    if job.problem or articles.is_url(job.path):
        return job
    try:
        data = articles.read_bytes(Path(job.path))
    except articles.Unreadable as err:
        return dataclasses.replace(job, problem=str(err))
    return dataclasses.replace(job, data=data, size=len(data))


def _rows(client, batch, future, model, extra_rules) -> list[dict[str, list[dict]]]:
    """A batch's rows. When its task killed the workers it ran on (Dask retries it a few times first), its
    articles are redone one by one, and an article that kills a worker again gets an error row."""
    from distributed import KilledWorker
    try:
        return future.result()
    except KilledWorker:
        if len(batch) == 1:
            return [run.died_rows(batch[0])]
        return [rows for job in batch for rows in  # one at a time, so that no other task shares the blame
                _rows(client, [job], client.submit(process_on_worker, [job], model, extra_rules, pure=False),
                      model, extra_rules)]
