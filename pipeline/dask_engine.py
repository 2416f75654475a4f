"""Run the extraction on Dask: the same batches as the local engine, yielded in the same order.

Dask is optional (``pip install '.[dask]'``): it is imported only here, when this engine is used."""
from __future__ import annotations

import contextlib
import logging
import tempfile
import threading
from collections import deque
from typing import Iterator

from pipeline import run
from pipeline.normalize import convert

IN_FLIGHT = 4  # batches submitted ahead, per worker
_loaded: tuple | None = None  # the setup (model, extra_rules, convert_to) this worker process holds
_lock = threading.Lock()


def process_on_worker(batch: list[run.Job], setup: tuple[str | None, tuple[str, ...], str]) -> list[dict]:
    """``run.process_jobs`` in a Dask worker, which loads the pipeline of ``setup`` (model, extra rules,
    currency amounts are converted to) the first time only."""
    global _loaded
    with _lock:
        if _loaded != setup:
            model, extra_rules, convert_to = setup
            run.init_worker(model, extra_rules, convert_to=convert_to)
            _loaded = setup
    return run.process_jobs(batch)


def dask_results(jobs: list[run.Job], model: str | None, extra_rules: tuple[str, ...],
                 scheduler: str | None = None, workers: int | None = None,
                 convert_to: str = convert.DEFAULT_TARGET) -> Iterator[list[dict[str, list[dict]]]]:
    """Rows batch by batch, in input order, like ``run.local_results``.

    On a local cluster of ``workers`` single-threaded processes, or on the cluster at ``scheduler``.
    At most ``IN_FLIGHT`` batches per worker are submitted ahead, so memory stays flat on big corpora.
    Fails at once, before anything runs, when Dask is not installed."""
    try:
        import dask
        import distributed
    except ImportError:
        raise RuntimeError("--engine dask needs Dask: pip install '.[dask]'") from None
    return _results(dask, distributed, jobs, (model, extra_rules, convert_to), scheduler, workers)


def _results(dask, distributed, jobs, setup, scheduler, workers) -> Iterator[list[dict[str, list[dict]]]]:
    """The cluster and client are closed when the rows are all out, on an error, or when the caller stops."""
    if scheduler:
        with distributed.Client(scheduler) as client:
            yield from _ordered(client, jobs, setup)
        return
    try:
        yield from _local_cluster(dask, distributed, jobs, setup, workers)
    finally:
        _close_half_made_clusters(distributed)


def _local_cluster(dask, distributed, jobs, setup, workers) -> Iterator[list[dict[str, list[dict]]]]:
    with tempfile.TemporaryDirectory(prefix="contract-news-dask-") as scratch:
        # the cluster's lock and spill files go to a folder of this run, removed with it; worker logs are
        # silenced, so a stopped run prints no tracebacks of the workers it stopped
        with dask.config.set({"temporary-directory": scratch}), distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                local_directory=scratch, silence_logs=logging.CRITICAL) as cluster, distributed.Client(cluster) as client:
            yield from _ordered(client, jobs, setup)


def _close_half_made_clusters(distributed) -> None:
    """A run stopped while its cluster was still starting leaves it half made: close it quietly here, since
    Dask's own exit hook would print a traceback when it cannot."""
    for cluster in list(distributed.deploy.spec.SpecCluster._instances):
        with contextlib.suppress(Exception):
            if getattr(cluster, "status", None) != distributed.core.Status.closed:
                cluster.close(timeout=5)
        cluster.shutdown_on_close = False  # done here: the exit hook leaves it


def _ordered(client, jobs, setup) -> Iterator[list[dict[str, list[dict]]]]:
    """Submit batches in a bounded window; yield each result in turn as the oldest one completes."""
    window = IN_FLIGHT * max(1, sum(client.nthreads().values()))
    pending: deque = deque()
    for batch in run.batches(jobs):
        pending.append((batch, client.submit(process_on_worker, batch, setup, pure=False)))
        if len(pending) >= window:
            yield _rows(client, *pending.popleft(), setup)
    while pending:
        yield _rows(client, *pending.popleft(), setup)


def _rows(client, batch, future, setup) -> list[dict[str, list[dict]]]:
    """A batch's rows. When its task killed the workers it ran on (Dask retries it a few times first), its
    articles are redone one by one, and an article that kills a worker again gets an error row."""
    from distributed import KilledWorker
    try:
        return future.result()
    except KilledWorker:
        if len(batch) == 1:
            return [run.died_rows(batch[0])]
        return [rows for job in batch for rows in  # one at a time, so that no other task shares the blame
                _rows(client, [job], client.submit(process_on_worker, [job], setup, pure=False), setup)]
