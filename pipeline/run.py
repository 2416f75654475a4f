"""Run an extraction over a folder: find the files, process them in batches on worker processes, stream the
rows to the writer, and swap the finished tables into place."""
from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterator

from pipeline import articles, extract, nlp as nlp_builder
from pipeline.writer import TableWriter

BATCH = 8  # articles a worker takes at a time


@dataclass(frozen=True)
class Job:
    """One article to process: where it is and the reference date given for it (manifest or flag)."""
    path: str
    root: str
    reference: date | None
    reference_source: str


@dataclass
class Summary:
    statuses: Counter = field(default_factory=Counter)
    labels: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def add(self, rows: dict[str, list[dict]]) -> None:
        self.statuses.update(r["status"] for r in rows["articles"])
        self.labels.update(r["label"] for r in rows.get("mentions", []))

    def line(self) -> str:
        s = self.statuses
        labels = ", ".join(f"{k} {self.labels[k]}" for k in ("ORG", "MONEY", "PERCENT", "DURATION", "DATE"))
        return (f"{sum(s.values())} articles: {s['ok']} ok, {s['empty']} empty, {s['error']} error; "
                f"mentions: {labels}; {self.seconds:.1f} s")


def jobs_for(folder: Path, reference: date | None, manifest: Path | None) -> list[Job]:
    """A job per ``*.txt`` file, with the manifest's date (else the flag's) as its given reference date."""
    manifest = manifest or (folder / "manifest.csv" if (folder / "manifest.csv").exists() else None)
    published = articles.read_manifest(manifest) if manifest else {}
    jobs = []
    for path in articles.discover(folder):
        aid = articles.article_id(path, folder)
        if aid in published:
            jobs.append(Job(str(path), str(folder), published[aid], "manifest"))
        else:
            jobs.append(Job(str(path), str(folder), reference, "flag" if reference else "none"))
    return jobs


_NLP = None
_PIECE_CHARS = 20_000


def init_worker(model: str | None, extra_rules: tuple[str, ...], nlp=None) -> None:
    """Load the pipeline once per worker process (or take one already built)."""
    global _NLP, _PIECE_CHARS
    _NLP = nlp or nlp_builder.build(model, extra_rules)
    _PIECE_CHARS = int(nlp_builder.load_config()["pipeline"]["piece_chars"])


def process_jobs(batch: list[Job]) -> list[dict[str, list[dict]]]:
    """Rows for a batch of jobs, in the worker that loaded the pipeline."""
    items = [(articles.read_article(Path(j.path), Path(j.root)), j.reference, j.reference_source) for j in batch]
    return extract.process(_NLP, items, _PIECE_CHARS)


def batches(jobs: list[Job], size: int = BATCH) -> Iterator[list[Job]]:
    for i in range(0, len(jobs), size):
        yield jobs[i:i + size]


def local_results(jobs: list[Job], workers: int, model: str | None, extra_rules: tuple[str, ...],
                  nlp=None) -> Iterator[list[dict[str, list[dict]]]]:
    """Rows batch by batch, in input order, from ``workers`` processes (in this process when 1).

    Workers are forked after the pipeline is loaded here, so each starts with it already in memory."""
    init_worker(model, extra_rules, nlp)
    if workers <= 1 or len(jobs) <= BATCH:
        yield from map(process_jobs, batches(jobs))
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(process_jobs, batches(jobs))


def extract_folder(folder: Path, out_dir: Path, *, reference: date | None = None, manifest: Path | None = None,
                   model: str | None = None, extra_rules: tuple[str, ...] = (), workers: int | None = None,
                   progress: Callable[[int], None] | None = None) -> Summary:
    """Extract every article under ``folder`` into ``out_dir``; the previous output is replaced only at the end."""
    started = time.perf_counter()
    nlp = nlp_builder.build(model, extra_rules)  # fails here, early, on a missing model or a bad rule file
    jobs = jobs_for(folder, reference, manifest)
    summary = Summary()
    writer = TableWriter(out_dir)
    try:
        for batch_rows in local_results(jobs, workers or os.cpu_count() or 1, model, extra_rules, nlp):
            for rows in batch_rows:
                writer.write(rows)
                summary.add(rows)
            if progress:
                progress(len(batch_rows))
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    summary.seconds = time.perf_counter() - started
    return summary
