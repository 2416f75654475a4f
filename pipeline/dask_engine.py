"""Run the extraction on Dask: the same batches as the local engine, yielded in the same order.

Workers read URL inputs (``s3://...``) themselves, through fsspec. On a cluster at ``--scheduler``, whose
workers need not share the client's disk, the articles of a local folder are read here and their bytes sent
along with their batch. With a URL output, the workers write the tables there (``dataset``). Dask is
optional (``pip install '.[dask]'``): it is imported only here, when this engine is used."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import tempfile
import threading
from collections import deque
from pathlib import Path
from typing import Callable, Iterator

from pipeline import articles, dataset, organisations, stops, writer
from pipeline.jobs import Job, batches, died_rows, init_worker, process_jobs
from pipeline.normalize import convert

IN_FLIGHT = 4  # batches submitted ahead, per worker
_loaded: tuple | None = None  # the setup (model, extra_rules, convert_to) this worker process holds
_lock = threading.Lock()


def process_on_worker(batch: list[Job], setup: tuple[str | None, tuple[str, ...], str]) -> list[dict]:
    """``jobs.process_jobs`` in a Dask worker, which loads the pipeline of ``setup`` (model, extra rules,
    currency amounts are converted to) the first time only."""
    global _loaded
    with _lock:
        if _loaded != setup:
            model, extra_rules, convert_to = setup
            init_worker(model, extra_rules, convert_to=convert_to)
            _loaded = setup
    return process_jobs(batch)


def dask_results(
    jobs: list[Job],
    model: str | None,
    extra_rules: tuple[str, ...],
    scheduler: str | None = None,
    workers: int | None = None,
    convert_to: str = convert.DEFAULT_TARGET,
) -> Iterator[list[dict[str, list[dict]]]]:
    """Rows batch by batch, in input order, like ``run.local_results``.

    On a local cluster of ``workers`` single-threaded processes, or on the cluster at ``scheduler``.
    At most ``IN_FLIGHT`` batches per worker are submitted ahead, so memory stays flat on big corpora.
    Fails at once, before anything runs, when Dask is not installed."""
    dask, distributed = _imported()
    return _results(dask, distributed, jobs, (model, extra_rules, convert_to), scheduler, workers)


def _imported():
    try:
        import dask
        import distributed
    except ImportError:
        raise RuntimeError("--engine dask needs Dask: pip install '.[dask]'") from None
    return dask, distributed


def _results(dask, distributed, jobs, setup, scheduler, workers) -> Iterator[list[dict[str, list[dict]]]]:
    """The cluster and client are closed when the rows are all out, on an error, or when the caller stops."""
    with _client(dask, distributed, scheduler, workers) as client:
        yield from _ordered(client, jobs, _Rows(setup), carry_bytes=bool(scheduler))


def dask_dataset(
    jobs: list[Job],
    setup: tuple,
    scheduler: str | None,
    workers: int | None,
    target: dataset.Dataset,
    meta: Callable[[], dict],
    on_receipt,
) -> None:
    """Extract ``jobs`` on Dask into ``target`` (a URL output), each batch's rows written as Parquet parts by
    the worker that made them (``dataset``); ``on_receipt`` is called, in input order, with what each part's
    worker counted for each article (``run.Summary.add`` takes it). The organisations get their run-wide
    entity once all parts are in, and only then is the run committed with ``meta()``; on any failure its parts
    are deleted and the previous output stays. ``setup`` is (model, extra rules, the currency converted
    to)."""
    dask, distributed = _imported()
    try:
        with _client(dask, distributed, scheduler, workers) as client:
            counts: dict[str, list[int]] = {}
            parts_of = _Parts(setup, target)
            for receipts in _ordered(client, jobs, parts_of, carry_bytes=bool(scheduler)):
                for receipt in receipts:
                    on_receipt(receipt)
                    writer.count_organisations(counts, receipt["organisation_summary"])
            entity_of, names = _entities(client, target, counts)
        target.commit(writer.entity_rows(counts, entity_of, names), meta())
    except BaseException:
        target.abort()
        raise


def _entities(client, target: dataset.Dataset, counts: dict[str, list[int]]) -> tuple[dict, dict]:
    """The run-wide entity of each canonical name ({canonical: entity}), written into the organisations parts
    by the workers, and the names each entity was written as."""
    entity_of = organisations.entities((name, m, a) for name, (m, a) in counts.items())
    shared = client.scatter([entity_of], broadcast=True)[0]
    filled = client.map(dataset.fill_entities, target.parts("organisations"), entity_of=shared, pure=False)
    names: dict[str, set[str]] = {}
    for found in client.gather(filled):
        for entity, more in found.items():
            names.setdefault(entity, set()).update(more)
    return entity_of, names


@contextlib.contextmanager
def _client(dask, distributed, scheduler, workers) -> Iterator:
    """A client of the cluster at ``scheduler``, or of a local cluster of ``workers`` processes made for the
    run and closed with it."""
    if scheduler:
        with distributed.Client(scheduler) as client:
            yield client
        return
    # the cluster's lock and spill files go to a folder of this run, removed with it; worker logs are
    # silenced, so a stopped run prints no tracebacks of the workers it stopped
    with (
        tempfile.TemporaryDirectory(prefix="contract-news-dask-") as scratch,
        dask.config.set({"temporary-directory": scratch}),
        contextlib.ExitStack() as stack,
    ):
        with stops.deferred():  # the cluster starts on threads of its own: a stop waits until it is whole
            cluster = stack.enter_context(
                distributed.LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    local_directory=scratch,
                    silence_logs=logging.CRITICAL,
                )
            )
            client = stack.enter_context(distributed.Client(cluster))
        yield client


class _Rows:
    """Each batch's rows come back to the client."""

    def __init__(self, setup: tuple):
        self.setup = setup

    def submit(self, client, batch: list[Job], number: int, sub: int):
        return client.submit(process_on_worker, batch, self.setup, pure=False)

    def died(self, job: Job, number: int, sub: int) -> dict:
        return died_rows(job)

    def forget(self, number: int, sub: int) -> None:
        """Nothing of a batch whose task killed its workers was kept."""


class _Parts(_Rows):
    """Each batch's rows are written as parts by its worker; what it counted comes back."""

    def __init__(self, setup: tuple, target: dataset.Dataset):
        super().__init__(setup)
        self.target = target

    def submit(self, client, batch: list[Job], number: int, sub: int):
        return client.submit(write_on_worker, batch, number, sub, self.target.folder, self.setup, pure=False)

    def died(self, job: Job, number: int, sub: int) -> dict:
        return dataset.write_batch(self.target.folder, number, sub, [died_rows(job)])[0]

    def forget(self, number: int, sub: int) -> None:
        """The parts the killed task may have written."""
        self.target.remove_part(number, sub)


def write_on_worker(batch: list[Job], number: int, sub: int, folder: str, setup: tuple) -> list[dict]:
    """In a Dask worker: a batch's rows written as parts of the run's ``folder``; what the client counts of
    each article."""
    return dataset.write_batch(folder, number, sub, process_on_worker(batch, setup))


def _ordered(client, jobs, way: _Rows, carry_bytes=False) -> Iterator[list]:
    """Submit batches in a bounded window; yield each result in turn as the oldest one completes. With
    ``carry_bytes``, local files are read here as their batch is submitted: only the window's are held."""
    window = IN_FLIGHT * max(1, sum(client.nthreads().values()))
    pending: deque = deque()
    for number, batch in enumerate(batches(jobs)):
        if carry_bytes:
            batch = [with_bytes(job) for job in batch]
        pending.append((batch, number, 0, way.submit(client, batch, number, 0)))
        if len(pending) >= window:
            yield _done(client, way, *pending.popleft())
    while pending:
        yield _done(client, way, *pending.popleft())


def with_bytes(job: Job) -> Job:
    """A local file's job with its bytes, or with why it cannot be read; a URL's job as it is."""
    if job.problem or articles.is_url(job.path):
        return job
    try:
        data = articles.read_bytes(Path(job.path))
    except articles.Unreadable as err:
        return dataclasses.replace(job, problem=str(err))
    return dataclasses.replace(job, data=data, size=len(data))


def _done(client, way: _Rows, batch: list[Job], number: int, sub: int, future) -> list:
    """A batch's results. When its task killed the workers it ran on (Dask retries it a few times first), its
    articles are redone one by one, and an article that kills a worker again gets an error row."""
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker:
        way.forget(number, sub)
        if len(batch) == 1:
            return [way.died(batch[0], number, sub)]
        return [
            result
            for place, job in enumerate(batch, 1)  # one at a time: no other task shares the blame
            for result in _done(client, way, [job], number, place, way.submit(client, [job], number, place))
        ]
